//! Swaps through the API: a worker offers a published shift to a colleague, the colleague accepts, a
//! manager approves, and what each may see and do.

use crate::client::{code, Api};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use mosaic::access::Role;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_offers_a_shift_a_colleague_takes_it_and_the_managers_approval_hands_it_over(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let bob = api.employed_worker("Bob", &location).await;
    let as_ann = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;
    let as_bob = api.colleague("bob@acme.test", Role::Worker, Some(&bob), &[]).await;
    let scheduler = api.colleague("sam@acme.test", Role::Scheduler, None, &[&location]).await;

    // A published week three weeks on, with a shift of Ann's in it.
    let monday = (Utc::now() + Duration::days(21)).date_naive();
    let at = |days: i64, hour: u32| (monday + Duration::days(days)).and_hms_opt(hour, 0, 0).unwrap().and_utc().to_rfc3339();
    let schedule = api.created("/api/v1/schedules", json!({ "location_id": location, "start": at(0, 0), "end": at(7, 0) })).await;
    let shift = api.shift(&ann, &location, &at(2, 9), &at(2, 17)).await;
    let shift_id = shift["id"].as_str().unwrap();
    let (status, body) = as_ann.post(&format!("/api/v1/shifts/{shift_id}/offers"), json!({})).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "shift_not_offerable"), "a draft is not offered: {body}");
    let (status, body) = api
        .post(&format!("/api/v1/schedules/{}/publish", schedule["id"].as_str().unwrap()), json!({ "expected_version": 1 }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, _) = as_bob.post(&format!("/api/v1/shifts/{shift_id}/offers"), json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only one's own shift is offered");
    let (_, mine) = as_ann.get("/api/v1/me/shift-offers").await;
    assert_eq!(mine["colleagues"][0]["name"], "Bob", "{mine}");
    let offer =
        as_ann.created(&format!("/api/v1/shifts/{shift_id}/offers"), json!({ "to_worker_id": bob, "note": "Wedding" })).await;
    assert_eq!((offer["status"].as_str(), offer["to_worker_name"].as_str()), (Some("offered"), Some("Bob")), "{offer}");
    let id = offer["id"].as_str().unwrap();

    let (status, _) = scheduler.post(&format!("/api/v1/shift-offers/{id}/approve"), json!({ "expected_version": 1 })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a scheduler approves nothing");
    let (_, for_bob) = as_bob.get("/api/v1/me/shift-offers").await;
    assert_eq!(for_bob["to_me"][0]["id"].as_str(), Some(id), "{for_bob}");
    let (status, accepted) = as_bob.post(&format!("/api/v1/shift-offers/{id}/accept"), json!({ "expected_version": 1 })).await;
    assert_eq!((status, accepted["status"].as_str()), (StatusCode::OK, Some("accepted")), "{accepted}");

    let (_, waiting) = api.get("/api/v1/shift-offers").await;
    assert_eq!(waiting[0]["id"].as_str(), Some(id), "{waiting}");
    let (status, body) = api.post(&format!("/api/v1/shift-offers/{id}/approve"), json!({ "expected_version": 1 })).await;
    assert_eq!((status, code(&body)), (StatusCode::PRECONDITION_FAILED, "stale_version"), "{body}");
    let (status, approved) =
        api.post(&format!("/api/v1/shift-offers/{id}/approve"), json!({ "expected_version": 2, "note": "Fine" })).await;
    assert_eq!((status, approved["status"].as_str()), (StatusCode::OK, Some("approved")), "{approved}");
    let (_, moved) = api.get(&format!("/api/v1/shifts/{shift_id}")).await;
    assert_eq!(moved["worker_id"].as_str(), Some(bob.as_str()), "{moved}");

    let (status, body) = as_bob.post(&format!("/api/v1/shifts/{shift_id}/offers"), json!({ "to_worker_id": bob })).await;
    assert_eq!(
        (status, body["error"]["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("to_worker_id")),
        "{body}"
    );
    let (status, body) = as_bob.post(&format!("/api/v1/shifts/{shift_id}/offers"), json!({ "in_return": "x" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown field is named: {body}");
}
