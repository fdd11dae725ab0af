//! Time off through the API: a worker asks, a manager decides, and what each may see and do.

use crate::client::{code, Api};
use axum::http::StatusCode;
use mosaic::access::Role;
use serde_json::{json, Value};
use sqlx::PgPool;

fn field(body: &Value) -> &str {
    body["error"]["details"]["field"].as_str().unwrap_or("")
}

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_asks_a_manager_approves_and_the_draft_on_it_becomes_a_hard_conflict(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let bo = api.employed_worker("Bo", &location).await;
    let worker = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;
    let scheduler = api.colleague("sam@acme.test", Role::Scheduler, None, &[&location]).await;
    let draft = api.shift(&ann, &location, "2026-03-04T09:00:00Z", "2026-03-04T13:00:00Z").await;

    let asked = worker
        .created(
            "/api/v1/time-off",
            json!({ "kind": "vacation", "first_day": "2026-03-04", "last_day": "2026-03-05", "note": "Wedding" }),
        )
        .await;
    assert_eq!((asked["status"].as_str(), asked["worker_id"].as_str()), (Some("requested"), Some(ann.as_str())), "{asked}");
    assert_eq!((asked["during"]["start"].as_str(), asked["whole_days"].as_bool()), (Some("2026-03-04T00:00:00Z"), Some(true)));
    let id = asked["id"].as_str().unwrap();

    let (status, _) = worker.post(&format!("/api/v1/time-off/{id}/approve"), json!({ "expected_version": 1 })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a worker decides nothing");
    let (status, _) = scheduler.post(&format!("/api/v1/time-off/{id}/approve"), json!({ "expected_version": 1 })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor does a scheduler");
    let (status, body) =
        worker.post("/api/v1/time-off", json!({ "worker_id": bo, "kind": "sick", "first_day": "2026-03-09" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a worker asks only for themself: {body}");

    let (status, waiting) = api.get("/api/v1/time-off?status=requested").await;
    assert_eq!((status, waiting.as_array().map(Vec::len)), (StatusCode::OK, Some(1)), "{waiting}");
    let (status, body) = api.post(&format!("/api/v1/time-off/{id}/approve"), json!({ "expected_version": 7 })).await;
    assert_eq!((status, code(&body)), (StatusCode::PRECONDITION_FAILED, "stale_version"), "{body}");
    let (status, approved) =
        api.post(&format!("/api/v1/time-off/{id}/approve"), json!({ "expected_version": 1, "note": "Congratulations" })).await;
    assert_eq!((status, approved["status"].as_str()), (StatusCode::OK, Some("approved")), "{approved}");
    assert_eq!(approved["decision_note"], "Congratulations");

    let (_, items) = api.get("/api/v1/attention-items").await;
    let kinds: Vec<&str> = items.as_array().unwrap().iter().filter_map(|i| i["kind"].as_str()).collect();
    assert_eq!(kinds, vec!["on_time_off"], "{items}");
    assert_eq!(items[0]["shift_ids"][0], draft["id"]);
    let (status, body) = api
        .post(&format!("/api/v1/schedules/{}/publish", schedule["id"].as_str().unwrap()), json!({ "expected_version": 1 }))
        .await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "rule_violation"), "{body}");

    let (status, mine) = worker.get("/api/v1/time-off").await;
    assert_eq!((status, mine[0]["status"].as_str()), (StatusCode::OK, Some("approved")), "{mine}");
    let (status, _) = worker.get(&format!("/api/v1/time-off?worker_id={bo}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "someone else's requests");

    let sick = api
        .created(
            "/api/v1/time-off",
            json!({ "worker_id": bo, "kind": "sick", "start": "2026-03-09T09:00:00Z", "end": "2026-03-09T13:00:00Z" }),
        )
        .await;
    let (status, declined) = api
        .post(
            &format!("/api/v1/time-off/{}/decline", sick["id"].as_str().unwrap()),
            json!({ "expected_version": 1, "note": "Wrong day" }),
        )
        .await;
    assert_eq!((status, declined["status"].as_str()), (StatusCode::OK, Some("declined")), "{declined}");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_requests_are_refused_with_the_field_named_and_nothing_written(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let worker = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;
    let cases = [
        (json!({ "first_day": "2026-03-04" }), "kind"),
        (json!({ "kind": "vacation", "first_day": "2026-03-05", "last_day": "2026-03-04" }), "last_day"),
        (json!({ "kind": "vacation", "first_day": "2026-03-04", "start": "2026-03-04T09:00:00Z" }), "start"),
        (json!({ "kind": "vacation" }), "first_day"),
        (json!({ "kind": "vacation", "first_day": "1066-10-14" }), "first_day"),
        (json!({ "kind": "vacation", "first_day": "2026-01-01", "last_day": "2027-06-01" }), "last_day"),
        (json!({ "kind": "vacation", "first_day": "2026-03-04", "note": "x".repeat(501) }), "note"),
        (json!({ "kind": "vacation", "first_day": "2026-03-04", "note": "a\u{0}b" }), "note"),
    ];
    for (body, expected) in cases {
        let (status, answer) = worker.post("/api/v1/time-off", body.clone()).await;
        assert_eq!((status, field(&answer)), (StatusCode::UNPROCESSABLE_ENTITY, expected), "{body} → {answer}");
    }
    for body in [
        json!({ "kind": "holiday", "first_day": "2026-03-04" }),
        json!({ "kind": "vacation", "first_day": "2026-03-04", "colour": "red" }),
        json!({ "kind": "vacation", "first_day": "not a day" }),
    ] {
        let (status, answer) = worker.post("/api/v1/time-off", body.clone()).await;
        assert!(status.is_client_error(), "{body} → {status} {answer}");
    }
    let (status, body) = api.get("/api/v1/time-off?status=pending").await;
    assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "status"), "{body}");
    let (status, _) = api.get("/api/v1/time-off/not-an-id").await;
    assert!(status.is_client_error(), "{status}");
    let (status, _) = api.get(&format!("/api/v1/time-off/{}", uuid::Uuid::new_v4())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, all) = api.get("/api/v1/time-off").await;
    assert_eq!(all.as_array().map(Vec::len), Some(0), "nothing was written: {all}");
}

#[sqlx::test(migrations = "../migrations")]
async fn every_time_off_route_is_in_the_openapi_document(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (status, document) = api.anonymous().get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/api/v1/time-off",
        "/api/v1/time-off/{id}",
        "/api/v1/time-off/{id}/approve",
        "/api/v1/time-off/{id}/decline",
        "/api/v1/time-off/{id}/cancel",
    ] {
        assert!(document["paths"].get(path).is_some(), "{path} missing");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_states_when_they_cannot_work_and_a_shift_then_is_a_warning(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let bo = api.employed_worker("Bo", &location).await;
    let worker = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;
    let shift = api.shift(&ann, &location, "2026-03-09T10:00:00Z", "2026-03-09T14:00:00Z").await;

    let pattern = json!({ "first_day": "2026-03-01", "windows": [
        { "weekday": 1, "from": "09:00:00", "to": "13:00:00", "preference": "unavailable" },
        { "weekday": 5, "from": "08:00:00", "to": "16:00:00", "preference": "preferred" } ] });
    let (status, set) =
        worker.call(axum::http::Method::PUT, &format!("/api/v1/workers/{ann}/availability"), Some(pattern.clone())).await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["patterns"][0]["windows"].as_array().map(Vec::len), Some(2), "{set}");
    let (_, items) = api.get("/api/v1/attention-items").await;
    assert_eq!(items[0]["kind"], "unavailable", "{items}");
    assert_eq!(items[0]["shift_ids"][0], shift["id"]);

    let (status, _) = worker.call(axum::http::Method::PUT, &format!("/api/v1/workers/{bo}/availability"), Some(pattern)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only their own");
    let bad = json!({ "first_day": "2026-03-01", "windows": [{ "weekday": 9, "from": "09:00:00", "to": "13:00:00", "preference": "unavailable" }] });
    let (status, body) = worker.call(axum::http::Method::PUT, &format!("/api/v1/workers/{ann}/availability"), Some(bad)).await;
    assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "windows[0].weekday"), "{body}");

    let exception = worker
        .created(
            &format!("/api/v1/workers/{ann}/availability/exceptions"),
            json!({ "first_day": "2026-03-09", "available": true }),
        )
        .await;
    let (_, items) = api.get("/api/v1/attention-items").await;
    assert_eq!(items.as_array().map(Vec::len), Some(0), "available after all: {items}");
    let (status, _) =
        worker.delete(&format!("/api/v1/availability-exceptions/{}?expected_version=1", exception["id"].as_str().unwrap())).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, shown) = worker.get(&format!("/api/v1/workers/{ann}/availability")).await;
    assert_eq!((status, shown["exceptions"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)), "{shown}");
}
