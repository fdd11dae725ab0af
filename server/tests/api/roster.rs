use crate::client::{code, Api};
use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_is_edited_removed_and_restored_through_the_api(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann Albers", &location).await;

    let (status, edited) =
        api.patch(&format!("/api/v1/workers/{ann}"), json!({ "expected_version": 1, "phone": "+351 21 000 1111" })).await;
    assert_eq!(
        (status, edited["phone"].as_str(), edited["version"].as_i64()),
        (StatusCode::OK, Some("+351 21 000 1111"), Some(2)),
        "{edited}"
    );
    let (status, refused) =
        api.patch(&format!("/api/v1/workers/{ann}"), json!({ "expected_version": 2, "phone": "ring ring" })).await;
    assert_eq!((status, refused["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("phone")));
    let (status, _) = api.patch(&format!("/api/v1/workers/{ann}"), json!({ "expected_version": 1, "name": "Ann" })).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, unknown) = api.patch(&format!("/api/v1/workers/{ann}"), json!({ "expected_version": 2, "nickname": "A" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{unknown}");

    let (status, removed) = api.post(&format!("/api/v1/workers/{ann}/remove"), json!({ "expected_version": 2 })).await;
    assert_eq!(status, StatusCode::OK, "{removed}");
    assert!(removed["removed_from"].is_string(), "{removed}");
    let (_, listed) = api.get("/api/v1/workers?q=ann").await;
    assert_eq!(listed.as_array().unwrap().len(), 0, "gone from the list");
    let (_, listed) = api.get("/api/v1/workers?q=ann&include_removed=true").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (status, again) = api.post(&format!("/api/v1/workers/{ann}/remove"), json!({ "expected_version": 3 })).await;
    assert_eq!((status, code(&again)), (StatusCode::CONFLICT, "already_removed"));
    let (status, restored) = api.post(&format!("/api/v1/workers/{ann}/restore"), json!({ "expected_version": 3 })).await;
    assert_eq!((status, restored["removed_from"].is_null()), (StatusCode::OK, true), "{restored}");
    let (status, deleted) = api.delete(&format!("/api/v1/workers/{ann}?expected_version=4")).await;
    assert_eq!((status, deleted["version"].as_i64()), (StatusCode::OK, Some(5)), "{deleted}");
}

#[sqlx::test(migrations = "../migrations")]
async fn locations_employments_and_schedules_gain_what_the_screens_use(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann Albers", &location).await;

    let (status, edited) = api
        .patch(
            &format!("/api/v1/locations/{location}"),
            json!({ "expected_version": 1, "address": "Rua 1", "time_zone": "Europe/Lisbon" }),
        )
        .await;
    assert_eq!((status, edited["time_zone"].as_str()), (StatusCode::OK, Some("Europe/Lisbon")), "{edited}");
    let (status, bad) =
        api.patch(&format!("/api/v1/locations/{location}"), json!({ "expected_version": 2, "time_zone": "Nowhere/Land" })).await;
    assert_eq!((status, bad["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("time_zone")));

    let (status, refused) = api
        .post(&format!("/api/v1/locations/{location}/close"), json!({ "expected_version": 2, "from": "2026-03-09T00:00:00Z" }))
        .await;
    assert_eq!((status, code(&refused)), (StatusCode::CONFLICT, "has_schedules"), "{refused}");
    let end = schedule["period"]["end"].as_str().unwrap().to_string();
    let (status, closed) =
        api.post(&format!("/api/v1/locations/{location}/close"), json!({ "expected_version": 2, "from": end })).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert!(closed["closed_from"].is_string());
    let (status, reopened) = api.post(&format!("/api/v1/locations/{location}/reopen"), json!({ "expected_version": 3 })).await;
    assert_eq!((status, reopened["closed_from"].is_null()), (StatusCode::OK, true));

    let (status, listed) = api.get(&format!("/api/v1/employments?location_id={location}")).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed.as_array().unwrap().iter().map(|e| e["worker_id"].as_str().unwrap()).collect::<Vec<_>>(), [ann.as_str()]);
    let (status, bad) = api.get("/api/v1/employments?active_at=9999-01-01T00:00:00Z").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");

    let id = schedule["id"].as_str().unwrap();
    let start = schedule["period"]["start"].as_str().unwrap();
    let (status, moved) = api
        .patch(
            &format!("/api/v1/schedules/{id}"),
            json!({ "expected_version": 1, "start": start, "end": "2026-03-30T00:00:00Z" }),
        )
        .await;
    assert_eq!((status, moved["period"]["end"].as_str()), (StatusCode::OK, Some("2026-03-30T00:00:00Z")), "{moved}");
}
