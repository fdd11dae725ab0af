//! The calendar's server functions through the real router: every drop gets an answer the calendar can
//! show — saved, stale with who changed it, or refused with the reason — and nothing half-written.

use crate::client::Api;
use axum::http::StatusCode;
use mosaic::access::Role;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn rpc(api: &Api, name: &str, body: Value) -> Value {
    let (status, answer) = api.post(&format!("/rpc/{name}"), body).await;
    assert_eq!(status, StatusCode::OK, "{name}: {answer}");
    answer
}

#[sqlx::test(migrations = "../migrations")]
async fn a_drop_with_a_stale_version_answers_with_the_current_shift_and_who_changed_it(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let (ann, bea) = (api.employed_worker("Ann", &location).await, api.employed_worker("Bea", &location).await);
    let shift = api.shift(&ann, &location, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    let id = shift["id"].as_str().unwrap();

    // Reassigned to Bea and an hour later, as a drag would send it.
    let change = |version: i64, start: &str, end: &str, worker: &str| json!({ "change": { "id": id, "expected_version": version, "start": start, "end": end, "worker_id": worker } });
    let saved = rpc(&api, "change_shift", change(1, "2026-03-03T08:00:00Z", "2026-03-03T16:00:00Z", &bea)).await;
    assert_eq!(saved["Saved"]["worker_id"], json!(bea));
    assert_eq!(saved["Saved"]["version"], 2);

    // A second calendar still holding version 1 drops it elsewhere: nothing is written, and it learns why.
    let stale = rpc(&api, "change_shift", change(1, "2026-03-04T07:00:00Z", "2026-03-04T15:00:00Z", &ann)).await;
    assert_eq!(stale["Stale"]["current"]["version"], 2);
    assert_eq!(stale["Stale"]["current"]["worker_id"], json!(bea));
    assert_eq!(stale["Stale"]["changed_by"], "admin", "the name of the member who moved it");
    let (_, now) = api.get(&format!("/api/v1/shifts/{id}")).await;
    assert_eq!((now["version"].as_i64(), now["during"]["start"].as_str()), (Some(2), Some("2026-03-03T08:00:00Z")));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_drop_names_the_reason_and_writes_nothing(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let early = api.shift(&ann, &location, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    let late = api.shift(&ann, &location, "2026-03-04T07:00:00Z", "2026-03-04T15:00:00Z").await;
    let schedule_id = schedule["id"].as_str().unwrap();
    let (status, _) = api.post(&format!("/api/v1/schedules/{schedule_id}/publish"), json!({ "expected_version": 1 })).await;
    assert_eq!(status, StatusCode::OK);

    // Published, the later shift cannot be dropped onto the earlier one: the database refuses.
    let id = late["id"].as_str().unwrap();
    let onto = json!({ "change": { "id": id, "expected_version": 2, "start": "2026-03-03T09:00:00Z", "end": "2026-03-03T17:00:00Z", "worker_id": ann } });
    let refused = rpc(&api, "change_shift", onto).await;
    let reason = refused["Refused"]["reason"].as_str().unwrap();
    assert!(reason.contains("already"), "{reason}");
    let (_, now) = api.get(&format!("/api/v1/shifts/{id}")).await;
    assert_eq!(now["during"]["start"], "2026-03-04T07:00:00Z");

    // An end before the start is refused naming the field.
    let early_id = early["id"].as_str().unwrap();
    let backwards = json!({ "change": { "id": early_id, "expected_version": 2, "start": "2026-03-03T09:00:00Z", "end": "2026-03-03T08:00:00Z", "worker_id": ann } });
    let refused = rpc(&api, "change_shift", backwards).await;
    assert!(refused["Refused"]["reason"].as_str().unwrap().starts_with("end:"), "{refused}");
}

#[sqlx::test(migrations = "../migrations")]
async fn drawing_copying_and_undoing_make_drafts_through_the_same_services(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let (ann, bea) = (api.employed_worker("Ann", &location).await, api.employed_worker("Bea", &location).await);

    let drawn = rpc(
        &api,
        "create_drawn_shift",
        json!({ "drawn": { "worker_id": ann, "location_id": location, "start": "2026-03-05T09:00:00Z", "end": "2026-03-05T17:00:00Z" } }),
    )
    .await;
    let drawn = &drawn["Saved"];
    assert_eq!((drawn["status"].as_str(), drawn["version"].as_i64()), (Some("draft"), Some(1)));
    let id = drawn["id"].as_str().unwrap();
    let (status, _) = api
        .post(
            &format!("/api/v1/shifts/{id}/breaks"),
            json!({ "expected_version": 1, "start": "2026-03-05T12:00:00Z", "end": "2026-03-05T12:30:00Z" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // A copy to Bea the next day brings the break along, at the same place in the shift.
    let copy = rpc(&api, "copy_shift", json!({ "copy": { "id": id, "start": "2026-03-06T10:00:00Z", "worker_id": bea } })).await;
    let copy = &copy["Saved"];
    assert_ne!(copy["id"].as_str(), Some(id));
    assert_eq!(copy["worker_id"], json!(bea));
    assert_eq!(copy["during"], json!({ "start": "2026-03-06T10:00:00Z", "end": "2026-03-06T18:00:00Z" }));
    assert_eq!(copy["breaks"][0]["during"], json!({ "start": "2026-03-06T13:00:00Z", "end": "2026-03-06T13:30:00Z" }));

    // Undo of the copy's creation cancels it; the original stays.
    let copy_id = copy["id"].as_str().unwrap();
    let undone = rpc(&api, "undo_shift_change", json!({ "id": copy_id, "expected_version": 1 })).await;
    assert_eq!(undone["Saved"]["status"], "cancelled");
    let (_, original) = api.get(&format!("/api/v1/shifts/{id}")).await;
    assert_eq!(original["status"], "draft");

    // The conflicts the calendar shows come from the same projection as the API's.
    let conflicts = rpc(&api, "open_conflicts", json!({ "from": "2026-03-02T00:00:00Z", "to": "2026-03-09T00:00:00Z" })).await;
    assert_eq!(conflicts, api.get("/api/v1/attention-items").await.1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_cannot_drag_shifts_and_a_scheduler_only_at_their_locations(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let shift = api.shift(&ann, &location, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    let id = shift["id"].as_str().unwrap();
    let worker = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;
    let elsewhere = api.colleague("sam@acme.test", Role::Scheduler, None, &[]).await;
    let change = json!({ "change": { "id": id, "expected_version": 1, "start": "2026-03-03T08:00:00Z", "end": "2026-03-03T16:00:00Z", "worker_id": ann } });
    for who in [&worker, &elsewhere] {
        let refused = rpc(who, "change_shift", change.clone()).await;
        assert!(
            refused["Refused"]["reason"].as_str().unwrap().contains("a worker may not")
                || refused["Refused"]["reason"].as_str().unwrap().contains("only at the locations"),
            "{refused}"
        );
    }
    let (_, now) = api.get(&format!("/api/v1/shifts/{id}")).await;
    assert_eq!(now["version"], 1);
    // Without credentials, nothing at all.
    let (status, _) = api.anonymous().post("/rpc/change_shift", change).await;
    assert_ne!(status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn publishing_from_the_calendar_lists_what_blocks_it_then_activates_every_draft(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let schedule_id = schedule["id"].as_str().unwrap();
    let ann = api.employed_worker("Ann", &location).await;
    let morning = api.shift(&ann, &location, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    let cover = api.shift(&ann, &location, "2026-03-03T12:00:00Z", "2026-03-03T16:00:00Z").await;

    let scheduler = api.colleague("sam@acme.test", Role::Scheduler, None, &[&location]).await;
    let refused = rpc(&scheduler, "publish_schedule", json!({ "id": schedule_id, "expected_version": 1 })).await;
    assert!(refused["Refused"]["reason"].as_str().unwrap().contains("may not publish"), "{refused}");

    let blocked = rpc(&api, "publish_schedule", json!({ "id": schedule_id, "expected_version": 1 })).await;
    let conflicts = blocked["Blocked"]["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{blocked}");
    assert_eq!(conflicts[0]["kind"], "overlap");
    assert_eq!(conflicts[0]["worker"], json!(ann));
    let (_, still) = api.get(&format!("/api/v1/shifts/{}", morning["id"].as_str().unwrap())).await;
    assert_eq!(still["status"], "draft", "nothing was published");

    let (status, _) =
        api.post(&format!("/api/v1/shifts/{}/cancel", cover["id"].as_str().unwrap()), json!({ "expected_version": 1 })).await;
    assert_eq!(status, StatusCode::OK);
    let published = rpc(&api, "publish_schedule", json!({ "id": schedule_id, "expected_version": 1 })).await;
    assert_eq!(published["Published"]["status"], "published", "{published}");
    let (_, now) = api.get(&format!("/api/v1/shifts/{}", morning["id"].as_str().unwrap())).await;
    assert_eq!((now["status"].as_str(), now["version"].as_i64()), (Some("active"), Some(2)));
    let again = rpc(&api, "publish_schedule", json!({ "id": schedule_id, "expected_version": 1 })).await;
    assert!(again["Refused"]["reason"].is_string(), "a second press with the old version is refused: {again}");
}
