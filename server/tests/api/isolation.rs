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
    // Two overlapping drafts make an attention item in their organisation.
    theirs.shift(&their_worker, &their_location, "2026-03-03T10:00:00Z", "2026-03-03T12:00:00Z").await;
    let (_, their_items) = theirs.get("/api/v1/attention-items").await;
    let their_item = their_items[0]["id"].as_str().expect("their conflict is on their board").to_string();
    assert_eq!(theirs.get(&format!("/api/v1/attention-items/{their_item}")).await.0, StatusCode::OK);

    for uri in [
        format!("/api/v1/workers/{their_worker}"),
        format!("/api/v1/locations/{their_location}"),
        format!("/api/v1/shifts/{their_shift}"),
        format!("/api/v1/schedules/{}", their_schedule["id"].as_str().unwrap()),
        format!("/api/v1/attention-items/{their_item}"),
        format!("/api/v1/workers/{their_worker}/timeline?from=2026-03-01T00:00:00Z&to=2026-03-20T00:00:00Z"),
        format!("/api/v1/workers/{their_worker}/rates"),
        format!("/api/v1/workers/{their_worker}/rates/on?date=2026-03-02"),
        format!("/api/v1/workers/{their_worker}/timesheet?week=2026-03-02"),
    ] {
        let (status, body) = ours.get(&uri).await;
        assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"), "{uri}");
    }
    let (status, _) = ours
        .patch(&format!("/api/v1/shifts/{their_shift}"), json!({ "expected_version": 1, "start": "2026-03-04T07:00:00Z" }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = ours
        .post(&format!("/api/v1/schedules/{}/publish", their_schedule["id"].as_str().unwrap()), json!({ "expected_version": 1 }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nor publish their schedule");
    let (our_location, _) = ours.location_with_schedule().await;
    let (status, _) = ours
        .post("/api/v1/shifts", json!({ "worker_id": their_worker, "location_id": our_location, "start": "2026-03-03T07:00:00Z", "end": "2026-03-03T15:00:00Z" }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "their worker cannot be booked into our location");
    assert_eq!(ours.get("/api/v1/attention-items").await.1, json!([]));
    assert_eq!(ours.get("/api/v1/shifts").await.1, json!([]));
}

/// A member of one organisation is nobody in another: their token and session open only their own.
#[sqlx::test(migrations = "../migrations")]
async fn a_token_from_one_organisation_sees_nothing_of_another(pool: PgPool) {
    let ours = Api::new(pool.clone(), "ours").await;
    let theirs = Api::new(pool, "theirs").await;
    let (their_location, _) = theirs.location_with_schedule().await;
    theirs.employed_worker("Zed", &their_location).await;
    let (_, workers) = ours.get("/api/v1/workers").await;
    assert_eq!(workers, json!([]));
    let (_, locations) = ours.get("/api/v1/locations").await;
    assert_eq!(locations, json!([]));
    let (status, body) = ours.patch(&format!("/api/v1/members/{}", uuid::Uuid::new_v4()), json!({ "role": "worker" })).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
}
