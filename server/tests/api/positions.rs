use crate::client::{code, Api};
use axum::http::{Method, StatusCode};
use mosaic::access::Role;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn a_shift_asks_for_a_position_and_only_a_holder_may_work_it_once_published(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann Albers", &location).await;
    let bob = api.employed_worker("Bob Brandt", &location).await;
    let barista = api.created("/api/v1/positions", json!({ "name": "Barista", "colour": "#B45309" })).await;
    assert_eq!(barista["colour"], "#b45309", "{barista}");
    let barista = barista["id"].as_str().unwrap().to_string();

    let (status, bad) = api.post("/api/v1/positions", json!({ "name": "Cook", "colour": "orange" })).await;
    assert_eq!((status, bad["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("colour")));
    let (status, taken) = api.post("/api/v1/positions", json!({ "name": "BARISTA" })).await;
    assert_eq!((status, code(&taken)), (StatusCode::CONFLICT, "position_taken"));
    let (status, unknown) = api.post("/api/v1/positions", json!({ "name": "Cook", "shade": "dark" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{unknown}");

    let (status, held) = api
        .call(
            Method::PUT,
            &format!("/api/v1/workers/{ann}/positions"),
            Some(json!({ "expected_version": 1, "position_ids": [barista] })),
        )
        .await;
    assert_eq!((status, held["version"].as_i64()), (StatusCode::OK, Some(2)), "{held}");

    let shift = api
        .created(
            "/api/v1/shifts",
            json!({ "worker_id": bob, "location_id": location, "start": "2026-03-03T07:00:00Z",
                    "end": "2026-03-03T12:00:00Z", "position_id": barista }),
        )
        .await;
    assert_eq!(shift["position"]["name"], "Barista", "{shift}");
    let id = shift["id"].as_str().unwrap();
    let (status, refused) = api
        .post(&format!("/api/v1/schedules/{}/publish", schedule["id"].as_str().unwrap()), json!({ "expected_version": 1 }))
        .await;
    assert_eq!((status, code(&refused)), (StatusCode::UNPROCESSABLE_ENTITY, "rule_violation"), "{refused}");
    assert_eq!(refused["error"]["details"]["conflicts"][0]["kind"], "position_not_held");

    let (status, moved) = api.patch(&format!("/api/v1/shifts/{id}"), json!({ "expected_version": 1, "worker_id": ann })).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    let (status, published) = api
        .post(&format!("/api/v1/schedules/{}/publish", schedule["id"].as_str().unwrap()), json!({ "expected_version": 1 }))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");

    let (status, refused) = api.patch(&format!("/api/v1/shifts/{id}"), json!({ "expected_version": 3, "worker_id": bob })).await;
    assert_eq!((status, refused["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("worker_id")));
    let (status, cleared) =
        api.patch(&format!("/api/v1/shifts/{id}"), json!({ "expected_version": 3, "position_id": null })).await;
    assert_eq!((status, cleared["position"].is_null()), (StatusCode::OK, true), "{cleared}");

    // Positions are the organisation's: another one's worker sees none of them, and a scheduler may not add one.
    let other = Api::new(pool.clone(), "other").await;
    let (_, theirs) = other.get("/api/v1/positions").await;
    assert_eq!(theirs, json!([]));
    let (status, _) = other
        .call(
            Method::PUT,
            &format!("/api/v1/workers/{ann}/positions"),
            Some(json!({ "expected_version": 2, "position_ids": [] })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let scheduler = api.colleague("sam@acme.test", Role::Scheduler, None, &[&location]).await;
    let (status, _) = scheduler.post("/api/v1/positions", json!({ "name": "Cook" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, listed) = scheduler.get("/api/v1/positions").await;
    assert_eq!((status, listed.as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
}
