//! The conflict board's routes: the board, acknowledging with a reason, an item's history and cover.

use crate::client::{code, Api};
use axum::http::StatusCode;
use mosaic::access::Role;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_board_and_its_actions_answer_with_clear_statuses(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let bob = api.employed_worker("Bob", &location).await;
    api.shift(&ann, &location, "2026-03-03T07:00:00Z", "2026-03-03T12:00:00Z").await;
    api.shift(&ann, &location, "2026-03-03T10:00:00Z", "2026-03-03T14:00:00Z").await;
    api.shift(&bob, &location, "2026-03-04T14:00:00Z", "2026-03-04T20:00:00Z").await;
    api.shift(&bob, &location, "2026-03-05T05:00:00Z", "2026-03-05T10:00:00Z").await;

    let (status, board) = api.get(&format!("/api/v1/conflict-board?location_id={location}")).await;
    assert_eq!(status, StatusCode::OK, "{board}");
    let items = board["items"].as_array().unwrap();
    let find = |kind: &str| items.iter().find(|i| i["item"]["kind"] == kind).unwrap_or_else(|| panic!("{kind}: {board}"));
    let (overlap, rest) = (find("overlap"), find("short_rest"));
    assert_eq!(overlap["worker_name"], "Ann");
    assert_eq!(overlap["shifts"].as_array().unwrap().len(), 2);
    assert!(board["counts"].as_array().unwrap().iter().any(|c| c["kind"] == "overlap" && c["open"] == 1));
    let (status, body) = api.get("/api/v1/conflict-board?severity=purple").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let overlap_id = overlap["item"]["id"].as_str().unwrap();
    let rest_id = rest["item"]["id"].as_str().unwrap();
    let (status, body) =
        api.post(&format!("/api/v1/attention-items/{overlap_id}/acknowledge"), json!({ "reason": "fine" })).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "hard_conflict"));
    let (status, body) = api.post(&format!("/api/v1/attention-items/{rest_id}/acknowledge"), json!({ "reason": "" })).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")));
    let scheduler = api.colleague("sam@acme.test", Role::Scheduler, None, &[&location]).await;
    let (status, _) = scheduler.post(&format!("/api/v1/attention-items/{rest_id}/acknowledge"), json!({ "reason": "ok" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, done) =
        api.post(&format!("/api/v1/attention-items/{rest_id}/acknowledge"), json!({ "reason": "Bob asked for it" })).await;
    assert_eq!(
        (status, done["status"].as_str(), done["reason"].as_str()),
        (StatusCode::OK, Some("acknowledged"), Some("Bob asked for it"))
    );

    let (status, history) = api.get(&format!("/api/v1/attention-items/{rest_id}/history")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history.as_array().unwrap().last().unwrap()["payload"]["reason"], "Bob asked for it");
    let (status, cover) = api.get(&format!("/api/v1/attention-items/{overlap_id}/cover")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cover[0]["worker"]["name"], "Bob", "{cover}");
    let (status, _) = api.get(&format!("/api/v1/attention-items/{}/cover", uuid::Uuid::new_v4())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
