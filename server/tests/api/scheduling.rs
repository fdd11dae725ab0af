use crate::client::{code, Api};
use axum::http::StatusCode;
use futures::future::join_all;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn a_scheduler_plans_moves_and_publishes_a_week(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;

    let shift = api.shift(&ann, &location, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    let id = shift["id"].as_str().unwrap();
    assert_eq!((shift["status"].as_str(), shift["version"].as_i64()), (Some("draft"), Some(1)));

    let (status, with_break) = api
        .post(
            &format!("/api/v1/shifts/{id}/breaks"),
            json!({ "expected_version": 1, "start": "2026-03-03T11:00:00Z", "end": "2026-03-03T11:30:00Z" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(with_break["hours"], json!({ "worked": 8.0, "breaks": 0.5, "net": 7.5 }));

    // A cover shift on top of it: allowed as a draft, and it shows up as an open hard conflict.
    let cover = api.shift(&ann, &location, "2026-03-03T12:00:00Z", "2026-03-03T16:00:00Z").await;
    let (_, items) = api.get("/api/v1/attention-items").await;
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!((items[0]["kind"].as_str(), items[0]["severity"].as_str()), (Some("overlap"), Some("hard")));

    // Publishing is refused with the blocking conflict.
    let schedule_id = schedule["id"].as_str().unwrap();
    let (status, body) = api.post(&format!("/api/v1/schedules/{schedule_id}/publish"), json!({ "expected_version": 1 })).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "rule_violation"));
    assert_eq!(body["error"]["details"]["conflicts"][0]["kind"], "overlap");

    // Moving the cover shift to the next day clears the conflict; a second move with the old version is stale.
    let cover_id = cover["id"].as_str().unwrap();
    let (status, moved) = api
        .patch(
            &format!("/api/v1/shifts/{cover_id}"),
            json!({ "expected_version": 1, "start": "2026-03-04T12:00:00Z", "end": "2026-03-04T16:00:00Z" }),
        )
        .await;
    assert_eq!((status, moved["version"].as_i64()), (StatusCode::OK, Some(2)));
    assert_eq!(api.get("/api/v1/attention-items").await.1, json!([]));
    let (status, body) =
        api.patch(&format!("/api/v1/shifts/{cover_id}"), json!({ "expected_version": 1, "start": "2026-03-05T12:00:00Z" })).await;
    assert_eq!((status, body["error"]["details"]["current_version"].as_i64()), (StatusCode::PRECONDITION_FAILED, Some(2)));

    let (status, published) =
        api.post(&format!("/api/v1/schedules/{schedule_id}/publish"), json!({ "expected_version": 1 })).await;
    assert_eq!((status, published["status"].as_str()), (StatusCode::OK, Some("published")));
    let (_, active) = api.get(&format!("/api/v1/shifts?status=active&worker_id={ann}")).await;
    assert_eq!(active.as_array().unwrap().len(), 2);

    // Now active, the cover shift cannot be dragged back onto the morning shift.
    let (status, body) = api
        .patch(
            &format!("/api/v1/shifts/{cover_id}"),
            json!({ "expected_version": 3, "start": "2026-03-03T12:00:00Z", "end": "2026-03-03T16:00:00Z" }),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "double_booked"));
    assert_eq!(body["error"]["details"]["clashing_shifts"], json!([id]));

    let (status, timeline) =
        api.get(&format!("/api/v1/workers/{ann}/timeline?from=2026-03-02T00:00:00Z&to=2026-03-09T00:00:00Z")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(timeline["shifts"].as_array().unwrap().len(), 2);
    assert_eq!(timeline["totals"]["net"], json!(11.5));

    // The log is read only below the oldest transaction running in the cluster (other tests' too), so
    // the newest changes can take a moment to become readable.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let changes = loop {
        let (status, changes) = api.get("/api/v1/changes?limit=1000").await;
        assert_eq!(status, StatusCode::OK);
        if changes.as_array().unwrap().last().map(|c| c["kind"] == "schedule.published").unwrap_or(false)
            || std::time::Instant::now() > deadline
        {
            break changes;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let kinds: Vec<&str> = changes.as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.ends_with(&["shift.moved", "shift.published", "shift.published", "schedule.published"]), "{kinds:?}");
    let halfway = changes[3]["cursor"].as_str().unwrap();
    let (_, rest) = api.get(&format!("/api/v1/changes?after={halfway}&limit=1000")).await;
    assert_eq!(rest.as_array().unwrap().len(), changes.as_array().unwrap().len() - 4);
}

/// Sixteen clients reassign sixteen different active shifts to the same worker for the same morning, all
/// at once, over HTTP: exactly one is booked, fifteen hear 409, and nothing answers 5xx.
#[sqlx::test(migrations = "../migrations")]
async fn concurrent_requests_booking_one_worker_twice_let_exactly_one_through(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let mut ids = Vec::new();
    for i in 0..16 {
        let other = api.employed_worker(&format!("Worker {i}"), &location).await;
        let start = format!("2026-03-03T{:02}:00:00Z", 7 + i % 4);
        let end = format!("2026-03-03T{:02}:00:00Z", 13 + i % 4);
        ids.push(api.shift(&other, &location, &start, &end).await["id"].as_str().unwrap().to_string());
    }
    let schedule_id = schedule["id"].as_str().unwrap();
    assert_eq!(
        api.post(&format!("/api/v1/schedules/{schedule_id}/publish"), json!({ "expected_version": 1 })).await.0,
        StatusCode::OK
    );

    let requests = ids.iter().map(|id| {
        let api = api.clone();
        let uri = format!("/api/v1/shifts/{id}");
        let ann = ann.clone();
        tokio::spawn(async move { api.patch(&uri, json!({ "expected_version": 2, "worker_id": ann })).await })
    });
    let answers: Vec<(StatusCode, serde_json::Value)> = join_all(requests).await.into_iter().map(|r| r.unwrap()).collect();
    let statuses: Vec<u16> = answers.iter().map(|(s, _)| s.as_u16()).collect();
    assert!(statuses.iter().all(|s| *s < 500), "no 5xx: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 15, "{answers:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_location_hierarchy_is_built_and_read_over_http(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let region = api.created("/api/v1/locations", json!({ "name": "Region", "time_zone": "Europe/Berlin" })).await;
    let store = api.created("/api/v1/locations", json!({ "name": "Store", "time_zone": "Europe/Berlin", "capacity": 12 })).await;
    let (region, store) = (region["id"].as_str().unwrap(), store["id"].as_str().unwrap());
    let membership = api
        .created(&format!("/api/v1/locations/{store}/parent"), json!({ "parent_id": region, "from": "2026-01-01T00:00:00Z" }))
        .await;
    let (_, parent) = api.get(&format!("/api/v1/locations/{store}/parent?at=2026-02-01T00:00:00Z")).await;
    assert_eq!(parent["id"].as_str(), Some(region));
    let (_, children) = api.get(&format!("/api/v1/locations/{region}/children?at=2026-02-01T00:00:00Z")).await;
    assert_eq!(children[0]["capacity"], 12);
    let (status, body) = api
        .post(&format!("/api/v1/locations/{region}/parent"), json!({ "parent_id": store, "from": "2026-01-01T00:00:00Z" }))
        .await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("parent_id")));
    let membership_id = membership["id"].as_str().unwrap();
    let (status, _) = api
        .post(
            &format!("/api/v1/location-memberships/{membership_id}/end"),
            json!({ "at": "2026-03-01T00:00:00Z", "expected_version": 1 }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(api.get(&format!("/api/v1/locations/{store}/parent?at=2026-03-02T00:00:00Z")).await.1, json!(null));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_employment_is_ended_and_extended_over_http_but_never_overlapped(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let worker = api.created("/api/v1/workers", json!({ "name": "Ann", "email": "ann@acme.test" })).await;
    let worker = worker["id"].as_str().unwrap();
    let employment = api
        .created("/api/v1/employments", json!({ "worker_id": worker, "start": "2026-01-01T00:00:00Z", "title": "barista" }))
        .await;
    let id = employment["id"].as_str().unwrap();
    let (status, body) = api.post("/api/v1/employments", json!({ "worker_id": worker, "start": "2026-06-01T00:00:00Z" })).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "employment_overlap"));

    let (status, ended) =
        api.patch(&format!("/api/v1/employments/{id}"), json!({ "end": "2026-05-01T00:00:00Z", "expected_version": 1 })).await;
    assert_eq!((status, ended["during"]["end"].as_str()), (StatusCode::OK, Some("2026-05-01T00:00:00Z")));
    let (status, _) = api.post("/api/v1/employments", json!({ "worker_id": worker, "start": "2026-06-01T00:00:00Z" })).await;
    assert_eq!(status, StatusCode::CREATED, "after the first ends, a second may start");

    let (status, body) = api.patch(&format!("/api/v1/employments/{id}"), json!({ "end": null, "expected_version": 2 })).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "employment_overlap"), "extending into the second is refused");
    let (status, body) =
        api.patch(&format!("/api/v1/employments/{id}"), json!({ "end": "2026-05-02T00:00:00Z", "expected_version": 1 })).await;
    assert_eq!((status, code(&body)), (StatusCode::PRECONDITION_FAILED, "stale_version"));
    let (_, listed) = api.get(&format!("/api/v1/workers/{worker}/employments")).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let (_, found) = api.get("/api/v1/workers?q=ANN@").await;
    assert_eq!(found[0]["id"].as_str(), Some(worker));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_move_is_undone_over_http_and_a_stale_undo_is_refused(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let shift = api.shift(&ann, &location, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    let id = shift["id"].as_str().unwrap();
    let (_, moved) = api
        .patch(
            &format!("/api/v1/shifts/{id}"),
            json!({ "expected_version": 1, "start": "2026-03-04T07:00:00Z", "end": "2026-03-04T15:00:00Z" }),
        )
        .await;
    let (status, undone) = api.post(&format!("/api/v1/shifts/{id}/undo"), json!({ "expected_version": moved["version"] })).await;
    assert_eq!(status, StatusCode::OK, "{undone}");
    assert_eq!(undone["during"], shift["during"]);
    let (status, body) = api.post(&format!("/api/v1/shifts/{id}/undo"), json!({ "expected_version": moved["version"] })).await;
    assert_eq!((status, code(&body)), (StatusCode::PRECONDITION_FAILED, "stale_version"), "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shift_is_planned_from_a_template_over_http(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let template = api
        .created(
            "/api/v1/shift-templates",
            json!({ "name": "Late", "start": "14:00", "end": "22:00", "breaks": [{ "start": "18:00", "end": "18:30" }] }),
        )
        .await;
    let uri = format!("/api/v1/shift-templates/{}/plan", template["id"].as_str().unwrap());
    let shift = api.created(&uri, json!({ "worker_id": ann, "location_id": location, "day": "2026-03-05" })).await;
    assert_eq!(shift["during"]["start"], "2026-03-05T14:00:00Z");
    assert_eq!(shift["breaks"][0]["during"]["start"], "2026-03-05T18:00:00Z");
    let (status, body) = api.post("/api/v1/shift-templates", json!({ "name": "Odd", "start": "25:00", "end": "26:00" })).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "malformed"), "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn breaks_are_replaced_as_a_whole_and_a_bad_one_is_named(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let shift = api.shift(&ann, &location, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    let id = shift["id"].as_str().unwrap();
    let uri = format!("/api/v1/shifts/{id}/breaks");

    let (status, changed) = api
        .call(
            axum::http::Method::PUT,
            &uri,
            Some(json!({ "expected_version": 1, "breaks": [
                { "start": "2026-03-03T11:00:00Z", "end": "2026-03-03T11:30:00Z" },
                { "start": "2026-03-03T09:00:00Z", "end": "2026-03-03T09:15:00Z", "paid": true }
            ] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["hours"], json!({ "worked": 8.0, "breaks": 0.75, "net": 7.5 }));

    let (status, body) = api
        .call(
            axum::http::Method::PUT,
            &uri,
            Some(
                json!({ "expected_version": 2, "breaks": [{ "start": "2026-03-03T16:00:00Z", "end": "2026-03-03T16:30:00Z" }] }),
            ),
        )
        .await;
    assert_eq!(
        (status, code(&body), body["error"]["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("breaks[0].start"))
    );

    let (status, none) = api.call(axum::http::Method::PUT, &uri, Some(json!({ "expected_version": 2, "breaks": [] }))).await;
    assert_eq!((status, none["breaks"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
}
