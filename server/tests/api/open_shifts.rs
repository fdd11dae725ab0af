//! Open shifts through the API: a manager offers places, a worker claims one, the manager approves, and
//! what each may see and do.

use crate::client::{code, Api};
use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use mosaic::access::Role;
use serde_json::{json, Value};
use sqlx::PgPool;

/// A Wednesday three to four weeks ahead: still to come when the test claims it, and within the weeks
/// a worker is shown open shifts for.
fn wednesday_ahead() -> NaiveDate {
    let first = Utc::now().date_naive() + Duration::days(21);
    first + Duration::days((3 + 7 - i64::from(first.weekday().number_from_monday())) % 7)
}

fn hours(day: NaiveDate, from: u32, to: u32) -> (String, String) {
    let at = |h: u32| day.and_hms_opt(h, 0, 0).unwrap().and_utc().to_rfc3339();
    (at(from), at(to))
}

async fn publish_week_of(api: &Api, location: &str, day: NaiveDate) {
    let (_, schedules) = api.get(&format!("/api/v1/schedules?location_id={location}")).await;
    let covering = schedules
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            let start = s["period"]["start"].as_str().unwrap_or("");
            start <= &*format!("{day}T23") && s["period"]["end"].as_str().is_some_and(|end| end > &*format!("{day}"))
        })
        .unwrap_or_else(|| panic!("a schedule covering {day}: {schedules}"))
        .clone();
    let id = covering["id"].as_str().unwrap();
    let (status, body) =
        api.post(&format!("/api/v1/schedules/{id}/publish"), json!({ "expected_version": covering["version"] })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_manager_offers_a_worker_claims_and_the_approval_publishes_the_shift_as_theirs(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let worker = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;
    let scheduler = api.colleague("sam@acme.test", Role::Scheduler, None, &[&location]).await;
    let day = wednesday_ahead();
    let (start, end) = hours(day, 9, 17);
    let offer = json!({ "location_id": location, "start": start, "end": end, "places": 3, "role": "Barista" });

    let (status, _) = worker.post("/api/v1/open-shifts", offer.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a worker offers nothing");
    let open = scheduler.created("/api/v1/open-shifts", offer).await;
    assert_eq!(
        (open["status"].as_str(), open["places"].as_i64(), open["taken"].as_i64()),
        (Some("draft"), Some(3), Some(0)),
        "{open}"
    );
    let id = open["id"].as_str().unwrap();
    let (status, body) = worker.post(&format!("/api/v1/open-shifts/{id}/claims"), json!({})).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "open_shift_not_claimable"), "a draft: {body}");

    publish_week_of(&api, &location, day).await;
    let (status, mine) = worker.get("/api/v1/me/open-shifts").await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["offered"][0]["open_shift"]["id"].as_str(), Some(id), "{mine}");

    let claim = worker.created(&format!("/api/v1/open-shifts/{id}/claims"), json!({ "note": "I can" })).await;
    assert_eq!((claim["status"].as_str(), claim["worker_id"].as_str()), (Some("waiting"), Some(ann.as_str())), "{claim}");
    let claim_id = claim["id"].as_str().unwrap();
    let (status, _) = scheduler.post(&format!("/api/v1/shift-claims/{claim_id}/approve"), json!({ "expected_version": 1 })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a scheduler decides no claim");
    let (status, _) = worker.post(&format!("/api/v1/shift-claims/{claim_id}/approve"), json!({ "expected_version": 1 })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor does the worker");

    let (status, listed) = api.get(&format!("/api/v1/open-shifts?location_id={location}&from={}", day)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a day is not an instant: {listed}");
    let (status, listed) = api.get(&format!("/api/v1/open-shifts?location_id={location}")).await;
    assert_eq!((status, listed[0]["claims"][0]["id"].as_str()), (StatusCode::OK, Some(claim_id)), "{listed}");

    let (status, approved) =
        api.post(&format!("/api/v1/shift-claims/{claim_id}/approve"), json!({ "expected_version": 1, "note": "Thanks" })).await;
    assert_eq!((status, approved["status"].as_str()), (StatusCode::OK, Some("approved")), "{approved}");
    let shift = approved["shift_id"].as_str().unwrap();
    let (status, given) = api.get(&format!("/api/v1/shifts/{shift}")).await;
    assert_eq!(status, StatusCode::OK, "{given}");
    assert_eq!((given["worker_id"].as_str(), given["status"].as_str()), (Some(ann.as_str()), Some("active")), "{given}");
    let (_, again) = api.get(&format!("/api/v1/open-shifts/{id}")).await;
    assert_eq!(again["open_shift"]["taken"].as_i64(), Some(1), "{again}");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_offers_and_claims_are_refused_with_the_field_named_and_nothing_written(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let (start, end) = hours(wednesday_ahead(), 9, 17);
    let base = json!({ "location_id": location, "start": start, "end": end });
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    for (body, field) in [
        (with("places", json!(0)), "places"),
        (with("places", json!(1000)), "places"),
        (with("end", json!(start)), "end"),
        (with("start", json!("9999-01-01T00:00:00Z")), "start"),
        (with("notes", json!("a\u{0}b")), "notes"),
        (with("approval", json!("sometimes")), "malformed"),
        (with("colour", json!("red")), "colour"),
    ] {
        let (status, answer) = api.post("/api/v1/open-shifts", body.clone()).await;
        let expected = if field == "malformed" { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
        assert_eq!(status, expected, "{body} → {answer}");
        if field != "malformed" {
            assert_eq!(answer["error"]["details"]["field"].as_str(), Some(field), "{body} → {answer}");
        }
    }
    let (_, listed) = api.get("/api/v1/open-shifts").await;
    assert_eq!(listed, json!([]), "nothing half-written");
    let (status, body) = api.post(&format!("/api/v1/open-shifts/{}/claims", uuid::Uuid::new_v4()), json!({})).await;
    assert!(matches!(status, StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY), "{status} {body}");
}
