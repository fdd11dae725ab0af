//! Clocking, corrections, timesheets, rates and payroll through the API.

use crate::client::{code, Api};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use mosaic::access::Role;
use serde_json::{json, Value};
use sqlx::PgPool;
use tower::ServiceExt;

fn field(body: &Value) -> &str {
    body["error"]["details"]["field"].as_str().unwrap_or("")
}

fn add(worker: &str, direction: &str, at: &str) -> Value {
    json!({ "worker_id": worker, "action": "add", "direction": direction, "at": at, "reason": "forgot to clock" })
}

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_clocks_in_and_out_and_a_second_clock_in_is_refused(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let worker = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;

    let punch =
        worker.created("/api/v1/me/clock", json!({ "direction": "in", "note": "front door", "location_id": location })).await;
    assert_eq!((punch["direction"].as_str(), punch["note"].as_str()), (Some("in"), Some("front door")), "{punch}");
    let (status, body) = worker.post("/api/v1/me/clock", json!({ "direction": "in" })).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "already_clocked_in"), "{body}");
    let (status, clock) = worker.get("/api/v1/me/clock").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(clock["open"]["clock_in"], punch["id"], "{clock}");
    assert_eq!(clock["today"][0]["id"], punch["id"]);
    // Straight after the clock-in, an out is the second tap of a double tap: refused.
    let (status, body) = worker.post("/api/v1/me/clock", json!({ "direction": "out" })).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "just_clocked_in"), "{body}");
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    worker.created("/api/v1/me/clock", json!({ "direction": "out" })).await;
    let (_, clock) = worker.get("/api/v1/me/clock").await;
    assert_eq!(clock["open"], Value::Null);

    let (status, body) = worker.post("/api/v1/me/clock", json!({ "direction": "sideways" })).await;
    assert!(status.is_client_error() && body.to_string().contains("direction"), "{status} {body}");
    let (status, body) = worker.post("/api/v1/me/clock", json!({ "direction": "in", "note": "x".repeat(501) })).await;
    assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "note"), "{body}");
    let (status, body) = api.post("/api/v1/me/clock", json!({ "direction": "in" })).await;
    assert_eq!(
        (status, field(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "worker"),
        "an admin without a worker has no clock: {body}"
    );
    let (status, _) = api.anonymous().post("/api/v1/me/clock", json!({ "direction": "in" })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Workers do not correct punches, nor read other people's timesheets.
    let (status, _) = worker.post("/api/v1/punch-corrections", add(&ann, "out", "2026-03-03T16:00:00Z")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let bo = api.employed_worker("Bo", &location).await;
    let (status, _) = worker.get(&format!("/api/v1/workers/{bo}/timesheet")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, own) = worker.get(&format!("/api/v1/workers/{ann}/timesheet")).await;
    assert_eq!(status, StatusCode::OK, "{own}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_week_is_corrected_approved_priced_and_exported(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    api.shift(&ann, &location, "2026-03-03T08:00:00Z", "2026-03-03T16:00:00Z").await;
    let (status, published) = api
        .post(&format!("/api/v1/schedules/{}/publish", schedule["id"].as_str().unwrap()), json!({ "expected_version": 1 }))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");

    let rate = api
        .created(
            &format!("/api/v1/workers/{ann}/rates"),
            json!({ "hourly_rate_cents": 1600, "currency": "eur", "effective_from": "2026-03-01" }),
        )
        .await;
    assert_eq!(rate["currency"], "EUR");
    let (status, body) = api
        .post(
            &format!("/api/v1/workers/{ann}/rates"),
            json!({ "hourly_rate_cents": 1600, "currency": "EUR", "effective_from": "2026-02-30" }),
        )
        .await;
    assert!(status.is_client_error() && body.to_string().contains("effective_from"), "{status} {body}");
    let (status, on) = api.get(&format!("/api/v1/workers/{ann}/rates/on?date=2026-03-03")).await;
    assert_eq!((status, on["hourly_rate_cents"].as_i64()), (StatusCode::OK, Some(1600)), "{on}");
    let (status, _) = api.get(&format!("/api/v1/workers/{ann}/rates/on?date=2026-02-01")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let clock_in = api.created("/api/v1/punch-corrections", add(&ann, "in", "2026-03-03T08:10:00Z")).await;
    let (status, body) = api
        .post("/api/v1/punch-corrections", json!({ "worker_id": ann, "action": "add", "direction": "out", "reason": "left" }))
        .await;
    assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "at"), "{body}");
    let (status, body) = api.post(&format!("/api/v1/workers/{ann}/timesheet/approve"), json!({ "week": "2026-03-04" })).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "timesheet_incomplete"), "{body}");
    let (_, sheet) = api.get(&format!("/api/v1/workers/{ann}/timesheet?week=2026-03-04")).await;
    assert_eq!(sheet["issues"][0]["kind"], "missing_clock_out", "{sheet}");
    assert_eq!(sheet["blocking"].as_array().map(Vec::len), Some(1));

    api.created("/api/v1/punch-corrections", add(&ann, "out", "2026-03-03T16:00:00Z")).await;
    let (_, sheet) = api.get(&format!("/api/v1/workers/{ann}/timesheet?week=2026-03-04")).await;
    let tuesday = &sheet["days"][1];
    assert_eq!(tuesday["totals"]["late_minutes"], 10, "{tuesday}");
    assert_eq!(tuesday["totals"]["scheduled_hours"], 8.0);
    assert_eq!(sheet["issues"], json!([]));
    assert_eq!(tuesday["punches"][0]["id"], clock_in["id"]);

    let (status, approved) = api.post(&format!("/api/v1/workers/{ann}/timesheet/approve"), json!({ "week": "2026-03-04" })).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["approval"]["cost_cents"], 12533, "7 h 50 min at 16.00: {approved}");
    assert_eq!(approved["pieces"][0]["rate_type"], "regular");
    let (status, body) = api.post("/api/v1/punch-corrections", add(&ann, "in", "2026-03-05T08:00:00Z")).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "week_approved"), "{body}");

    let (status, payroll) = api.get("/api/v1/payroll?from=2026-03-01&to=2026-03-31").await;
    assert_eq!(status, StatusCode::OK, "{payroll}");
    assert_eq!(payroll["totals"], json!([{ "currency": "EUR", "cost_cents": 12533 }]));
    let (status, body) = api.get("/api/v1/payroll?from=2026-03-31&to=2026-03-01").await;
    assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "to"), "{body}");

    let request = Request::get("/api/v1/payroll.csv?from=2026-03-01&to=2026-03-31")
        .header(header::AUTHORIZATION, format!("Bearer {}", api.token.clone().unwrap()))
        .body(Body::empty())
        .unwrap();
    let response = api.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains("payroll-2026-03-01-to-2026-03-31.csv"));
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let shown: Vec<(&str, &str, &str, &str)> =
        rows.iter().map(|r| (r[0].as_str(), r[2].as_str(), r[3].as_str(), r[4].as_str())).collect();
    assert_eq!(
        shown,
        vec![
            ("Ann", "regular", "7.83", "125.33"),
            ("Ann", "total", "7.83", "125.33"),
            ("all workers", "total", "7.83", "125.33")
        ]
    );

    let scheduler = api.colleague("sam@acme.test", Role::Scheduler, None, &[&location]).await;
    let (status, _) = scheduler.get("/api/v1/payroll?from=2026-03-01&to=2026-03-31").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = scheduler.get(&format!("/api/v1/workers/{ann}/rates")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_timekeeping_and_pay_routes_are_in_the_openapi_document(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (_, document) = api.get("/api/v1/openapi.json").await;
    for path in [
        "/api/v1/me/clock",
        "/api/v1/punch-corrections",
        "/api/v1/workers/{id}/timesheet",
        "/api/v1/workers/{id}/timesheet/approve",
        "/api/v1/timesheets",
        "/api/v1/timesheets/approvals",
        "/api/v1/workers/{id}/rates",
        "/api/v1/workers/{id}/rates/on",
        "/api/v1/payroll",
        "/api/v1/payroll.csv",
    ] {
        assert!(document["paths"].get(path).is_some(), "{path} is missing");
    }
    assert!(document["components"]["schemas"].get("TimesheetView").is_some());
    assert!(document["components"]["schemas"].get("TeamWeekView").is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn the_team_week_is_read_and_approved_together_and_bad_requests_name_their_field(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let bo = api.employed_worker("Bo", &location).await;
    api.shift(&ann, &location, "2026-03-03T08:00:00Z", "2026-03-03T16:00:00Z").await;
    api.shift(&bo, &location, "2026-03-04T08:00:00Z", "2026-03-04T16:00:00Z").await;
    let (status, published) = api
        .post(&format!("/api/v1/schedules/{}/publish", schedule["id"].as_str().unwrap()), json!({ "expected_version": 1 }))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    for worker in [&ann, &bo] {
        api.created(
            &format!("/api/v1/workers/{worker}/rates"),
            json!({ "hourly_rate_cents": 1600, "currency": "EUR", "effective_from": "2026-03-01" }),
        )
        .await;
    }
    // Ann's day is clocked in full; Bo's clock-out is missing.
    api.created("/api/v1/punch-corrections", add(&ann, "in", "2026-03-03T08:00:00Z")).await;
    api.created("/api/v1/punch-corrections", add(&ann, "out", "2026-03-03T16:00:00Z")).await;
    api.created("/api/v1/punch-corrections", add(&bo, "in", "2026-03-04T08:00:00Z")).await;

    let (status, team) = api.get("/api/v1/timesheets?week=2026-03-05").await;
    assert_eq!(status, StatusCode::OK, "{team}");
    let standing: Vec<(&str, &str)> = team["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| (line["worker"]["name"].as_str().unwrap(), line["standing"].as_str().unwrap()))
        .collect();
    assert_eq!(standing, vec![("Ann", "ready"), ("Bo", "blocked")], "{team}");

    let (status, outcomes) =
        api.post("/api/v1/timesheets/approvals", json!({ "week": "2026-03-05", "worker_ids": [ann, bo, ann] })).await;
    assert_eq!(status, StatusCode::OK, "{outcomes}");
    let said: Vec<(&str, bool)> = outcomes
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["worker_name"].as_str().unwrap(), o["approved"].as_bool().unwrap()))
        .collect();
    assert_eq!(said, vec![("Ann", true), ("Bo", false)], "each worker once, in the order asked: {outcomes}");
    assert!(outcomes[1]["refused"].as_str().is_some_and(|why| !why.is_empty()), "{outcomes}");
    let (_, team) = api.get("/api/v1/timesheets?week=2026-03-05").await;
    assert_eq!(team["lines"][0]["standing"], "approved", "{team}");

    let (status, body) = api.post("/api/v1/timesheets/approvals", json!({ "week": "2026-03-05", "worker_ids": [] })).await;
    assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "worker_ids"), "{body}");
    let many: Vec<String> = (0..501).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let (status, body) = api.post("/api/v1/timesheets/approvals", json!({ "week": "2026-03-05", "worker_ids": many })).await;
    assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "worker_ids"), "{body}");
    let (status, body) =
        api.post("/api/v1/timesheets/approvals", json!({ "week": "2026-03-05", "worker_ids": [ann], "force": true })).await;
    assert!(status.is_client_error(), "an unknown field is refused: {status} {body}");
    let (status, body) = api.get("/api/v1/timesheets?week=99999-01-01").await;
    assert!(status.is_client_error(), "{status} {body}");

    let scheduler = api.colleague("sam@acme.test", Role::Scheduler, None, &[&location]).await;
    let (status, _) = scheduler.get("/api/v1/timesheets?week=2026-03-05").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = scheduler.post("/api/v1/timesheets/approvals", json!({ "week": "2026-03-05", "worker_ids": [bo] })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
