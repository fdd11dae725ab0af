use crate::client::{code, Api};
use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

/// Another organisation's ids are simply not found: the answer says nothing about what exists there.
#[sqlx::test(migrations = "../migrations")]
async fn another_organisations_rows_are_not_found_and_cannot_be_used(pool: PgPool) {
    let ours = Api::new(pool.clone(), "ours").await;
    let theirs = Api::new(pool, "theirs").await;
    let (their_location, their_schedule) = theirs.location_with_schedule().await;
    let their_worker = theirs.employed_worker("Zed", &their_location).await;
    let their_shift = theirs.shift(&their_worker, &their_location, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    let their_shift = their_shift["id"].as_str().unwrap();

    for uri in [
        format!("/api/v1/workers/{their_worker}"),
        format!("/api/v1/locations/{their_location}"),
        format!("/api/v1/shifts/{their_shift}"),
        format!("/api/v1/schedules/{}", their_schedule["id"].as_str().unwrap()),
    ] {
        let (status, body) = ours.get(&uri).await;
        assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"), "{uri}");
    }
    let (status, _) = ours
        .patch(&format!("/api/v1/shifts/{their_shift}"), json!({ "expected_version": 1, "start": "2026-03-04T07:00:00Z" }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (our_location, _) = ours.location_with_schedule().await;
    let (status, _) = ours
        .post("/api/v1/shifts", json!({ "worker_id": their_worker, "location_id": our_location, "start": "2026-03-03T07:00:00Z", "end": "2026-03-03T15:00:00Z" }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "their worker cannot be booked into our location");
    assert_eq!(ours.get("/api/v1/attention-items").await.1, json!([]));
    assert_eq!(ours.get("/api/v1/shifts").await.1, json!([]));
}
