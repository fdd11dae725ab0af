//! The live change stream: what an open browser is sent, what a reconnecting one catches up on, what a
//! worker may see, and two server instances sharing one log.

use crate::client::{code, Api};
use crate::sse::{open, open_ready};
use crate::tcp::{serve, tcp_post, tcp_stream};
use axum::http::StatusCode;
use mosaic::access::Role;
use serde_json::json;
use sqlx::PgPool;
use std::time::Duration;

#[sqlx::test(migrations = "../migrations")]
async fn a_change_reaches_an_open_stream_with_its_cursor(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let mut events = open_ready(&api, "", None).await;

    let shift = api.shift(&ann, &location, "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z").await;
    let event = events.next_change("shift.created").await;
    let change = event.json();
    assert_eq!((change["kind"].as_str(), change["stream_id"].as_str()), (Some("shift.created"), shift["id"].as_str()));
    assert_eq!(change["stream_type"], "shift");
    assert_eq!(change["payload"]["after"]["worker_id"], json!(ann));
    assert_eq!(event.id.as_deref(), change["cursor"].as_str(), "the event id is the change's cursor");
    assert!(events.next_within(Duration::from_millis(300)).await.is_none(), "one change, sent once");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_reconnecting_stream_gets_exactly_what_it_missed(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let mut events = open_ready(&api, "", None).await;
    let mut shifts = vec![];
    for day in 3..=5 {
        shifts.push(api.shift(&ann, &location, &format!("2026-03-0{day}T09:00:00Z"), &format!("2026-03-0{day}T17:00:00Z")).await);
    }
    let mut seen = vec![];
    for _ in 0..3 {
        seen.push(events.next_change("shift.created").await);
    }
    drop(events);

    // Two changes while the browser is away, then it comes back with the last id it received.
    for day in 6..=7 {
        shifts.push(api.shift(&ann, &location, &format!("2026-03-0{day}T09:00:00Z"), &format!("2026-03-0{day}T17:00:00Z")).await);
    }
    let last = seen[2].id.clone().unwrap();
    // The header wins over the page's `after` (the browser's own reconnect sends both).
    let (status, mut events) = open(&api, &format!("?after={}", seen[0].id.clone().unwrap()), Some(&last)).await;
    assert_eq!(status, StatusCode::OK);
    // Caught up from the database, or (if a transaction elsewhere holds them back a moment) live: either
    // way exactly the two it missed, and nothing again.
    let missed: Vec<String> = vec![events.next_of("change").await, events.next_of("change").await]
        .iter()
        .map(|e| e.json()["stream_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(missed, [shifts[3]["id"].as_str().unwrap(), shifts[4]["id"].as_str().unwrap()]);
    while let Some(event) = events.next_within(Duration::from_millis(500)).await {
        assert_eq!(event.event, "ready", "nothing repeated: {event:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_is_sent_only_the_changes_to_their_own_published_shifts(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let bob = api.employed_worker("Bob", &location).await;
    let anns_api = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;
    let mut events = open_ready(&anns_api, "", None).await;

    let anns = api.shift(&ann, &location, "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z").await;
    api.shift(&bob, &location, "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z").await;
    assert!(events.next_within(Duration::from_millis(800)).await.is_none(), "drafts are not sent to workers");

    let (status, body) = api
        .post(&format!("/api/v1/schedules/{}/publish", schedule["id"].as_str().unwrap()), json!({ "expected_version": 1 }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let published = events.next().await.json();
    assert_eq!((published["kind"].as_str(), published["stream_id"].as_str()), (Some("shift.published"), anns["id"].as_str()));
    assert!(events.next_within(Duration::from_millis(800)).await.is_none(), "not Bob's shift, nor the schedule");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stream_too_far_behind_is_told_to_reload_and_goes_on_from_now(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let (location, _) = api.location_with_schedule().await;
    // More changes than a browser would be replayed: written straight into the log, as a declared writer.
    let mut tx = mosaic::store::begin(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO changes (org_id, stream_id, stream_type, stream_version, actor, kind, payload)
         SELECT $1, gen_random_uuid(), 'note', 1, 'bulk', 'note.added', '{}' FROM generate_series(1, 1001)",
    )
    .bind(api.org)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // Readable once no older writer of the log runs (another test's may, for a moment).
    for _ in 0..200 {
        let readable: i64 =
            sqlx::query_scalar("SELECT count(*) FROM changes WHERE org_id = $1 AND txid < (SELECT changes_readable_below())")
                .bind(api.org)
                .fetch_one(&pool)
                .await
                .unwrap();
        if readable > 1001 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, mut events) = open(&api, "?after=0-0", None).await;
    assert_eq!(status, StatusCode::OK);
    let reload = events.next().await;
    assert_eq!(reload.event, "reload");
    assert_eq!(events.next().await.event, "ready");

    let ann = api.employed_worker("Ann", &location).await;
    let next = events.next_change("worker.created").await.json();
    assert_eq!(
        (next["kind"].as_str(), next["stream_id"].as_str()),
        (Some("worker.created"), Some(ann.as_str())),
        "live after the reload"
    );
    assert!(next["cursor"].as_str() > reload.id.as_deref());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stream_is_refused_a_bad_cursor_and_an_unknown_caller(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (status, _) = open(&api, "", Some("yesterday")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = api.get("/api/v1/changes/stream?after=12").await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid"));
    assert_eq!(body["error"]["details"]["field"], "after");
    let (status, _) = open(&api.anonymous(), "", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_bad_last_event_id_is_named(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let mut request = axum::http::Request::get("/api/v1/changes/stream").header("last-event-id", "7");
    request = request.header("content-type", "application/json");
    let (status, body) = api.send(request.body(axum::body::Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["field"], "Last-Event-ID");
}

/// Two server instances on two ports against one database: a change made through one reaches a stream
/// open on the other, over real TCP.
#[sqlx::test(migrations = "../migrations")]
async fn a_change_made_through_one_instance_reaches_a_browser_on_another(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let token = api.token.clone().unwrap();
    let first = serve(pool.clone()).await;
    let second = serve(pool.clone()).await;
    assert_ne!(first.port(), second.port());

    let mut events = tcp_stream(second, &token).await;
    assert_eq!(events.next_of("ready").await.event, "ready");
    let body =
        json!({ "worker_id": ann, "location_id": location, "start": "2026-03-03T09:00:00Z", "end": "2026-03-03T17:00:00Z" });
    let (status, created) = tcp_post(first, &token, "/api/v1/shifts", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let change = events.next_change("shift.created").await.json();
    assert_eq!(change["stream_id"].as_str(), created["id"].as_str());
}

/// Sixteen writers at once, and a reader that drops its stream at random moments and comes back with the
/// last id it received: it sees every change exactly once, in log order.
#[sqlx::test(migrations = "../migrations")]
async fn a_reader_reconnecting_at_random_sees_every_change_of_sixteen_writers_once_in_log_order(pool: PgPool) {
    const WRITERS: usize = 16;
    const EACH: usize = 12;
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let mut workers = vec![];
    for i in 0..WRITERS {
        workers.push(api.employed_worker(&format!("Writer {i}"), &location).await);
    }
    let (status, mut events) = open(&api, "", None).await;
    assert_eq!(status, StatusCode::OK);
    let start = events.next_of("ready").await.id.unwrap();
    drop(events);

    let writers: Vec<_> = workers
        .into_iter()
        .map(|worker| {
            let (api, location) = (api.clone(), location.clone());
            tokio::spawn(async move {
                for day in 2..2 + EACH {
                    let (from, to) = (format!("2026-03-{day:02}T09:00:00Z"), format!("2026-03-{day:02}T10:00:00Z"));
                    api.shift(&worker, &location, &from, &to).await;
                }
            })
        })
        .collect();

    // The stream starts from the last change every reader can see, which another test's running
    // transaction may hold back behind some of the setup above: those come through the stream too.
    let made = |changes: &[(String, String)]| changes.iter().filter(|(_, kind)| kind == "shift.created").count();
    let mut received: Vec<(String, String)> = vec![];
    let mut last = start.clone();
    let mut dice = 0x2545_f491_4f6c_dd1d_u64;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while made(&received) < WRITERS * EACH && tokio::time::Instant::now() < deadline {
        let (status, mut events) = open(&api, "", Some(&last)).await;
        assert_eq!(status, StatusCode::OK);
        dice ^= dice << 13;
        dice ^= dice >> 7;
        dice ^= dice << 17;
        let take = 1 + dice % 15;
        let mut taken = 0;
        while taken < take {
            match events.next_within(Duration::from_secs(5)).await {
                Some(event) if event.event == "change" => {
                    last = event.id.clone().unwrap();
                    received.push((last.clone(), event.json()["kind"].as_str().unwrap().to_string()));
                    taken += 1;
                }
                Some(_) => {}
                None => break,
            }
        }
    }
    for writer in writers {
        writer.await.unwrap();
    }

    let mut log: Vec<(String, String)> = vec![];
    for _ in 0..100 {
        let (status, read) = api.get(&format!("/api/v1/changes?after={start}&limit=1000")).await;
        assert_eq!(status, StatusCode::OK);
        log = read
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["cursor"].as_str().unwrap().to_string(), c["kind"].as_str().unwrap().to_string()))
            .collect();
        if made(&log) == WRITERS * EACH {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(made(&log), WRITERS * EACH, "every shift the writers made");
    assert_eq!(received, log, "every change once, in log order");
}
