//! The live feed waits only for writers of the log: a long transaction in another database, or one in
//! Mosaic's own database that never declared itself a writer, delays nobody; a long writer makes the
//! stream say "delayed" until it ends.

use crate::client::Api;
use crate::sse::open_ready;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, PgPool};
use std::time::{Duration, Instant};

/// A transaction that has taken a transaction id and stays open until the connection is dropped.
async fn open_transaction_with_an_id(options: &PgConnectOptions) -> PgConnection {
    let mut conn = PgConnection::connect_with(options).await.unwrap();
    sqlx::query("BEGIN").execute(&mut conn).await.unwrap();
    sqlx::query("SELECT pg_current_xact_id()").execute(&mut conn).await.unwrap();
    conn
}

#[sqlx::test(migrations = "../migrations")]
async fn a_change_reaches_the_stream_within_a_second_while_other_transactions_stay_open(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let mut events = open_ready(&api, "", None).await;

    // Opened before the changes, so it has an older transaction id than the commands that write them.
    let in_another_database = open_transaction_with_an_id(&pool.connect_options().as_ref().clone().database("postgres")).await;
    // A session in Mosaic's database that took an id without declaring itself a writer: a report, a
    // migration, someone's psql. It can never append to the log, so the feed does not wait for it.
    let in_this_database = open_transaction_with_an_id(&pool.connect_options()).await;

    for day in 3..=5 {
        let written = Instant::now();
        let shift = api.shift(&ann, &location, &format!("2026-03-0{day}T09:00:00Z"), &format!("2026-03-0{day}T17:00:00Z")).await;
        let event = events.next_within(Duration::from_secs(1)).await.expect("the change within a second");
        assert_eq!((event.event.as_str(), event.json()["stream_id"].as_str()), ("change", shift["id"].as_str()));
        assert!(written.elapsed() < Duration::from_secs(1), "reached the stream in {:?}", written.elapsed());
        // The figure the README gives: a change's way to an open stream while both transactions stay open.
        eprintln!("behind two open transactions, a change reached the stream in {:?}", written.elapsed());
    }
    // The reader too, within the same second. One read alone may come up short: a transaction of another
    // database that ends between the read's snapshot and its look at pg_locks can no longer be told
    // apart from a writer here, so that one read stops below it (the next one passes).
    let asked = Instant::now();
    let mut created = 0;
    while asked.elapsed() < Duration::from_secs(1) {
        let (_, read) = api.get("/api/v1/changes?limit=1000").await;
        created = read.as_array().unwrap().iter().filter(|c| c["kind"] == "shift.created").count();
        if created == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(created, 3, "the log's reader is not held back either");
    drop((in_another_database, in_this_database));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_long_writer_of_the_log_makes_the_stream_say_delayed_until_it_ends(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let mut events = open_ready(&api, "", None).await;

    // A declared writer of the log with a transaction id, as a long import would be.
    let mut writer = mosaic::store::begin(&pool).await.unwrap();
    sqlx::query("SELECT pg_current_xact_id()").execute(&mut *writer).await.unwrap();
    let shift = api.shift(&ann, &location, "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z").await;

    let delayed = events.next().await;
    assert_eq!(delayed.event, "delayed", "the change waits, and the stream says so: {delayed:?}");
    writer.rollback().await.unwrap();

    let mut seen = vec![];
    while seen.len() < 2 {
        let event = events.next().await;
        seen.push((
            event.event.clone(),
            if event.event == "change" { event.json()["stream_id"].clone() } else { Default::default() },
        ));
    }
    assert!(seen.contains(&("change".into(), shift["id"].clone())), "the held change arrives: {seen:?}");
    assert!(seen.iter().any(|(event, _)| event == "live"), "and the stream is live again: {seen:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_log_refuses_an_append_from_a_transaction_that_did_not_declare_itself(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let undeclared = sqlx::query(
        "INSERT INTO changes (org_id, stream_id, stream_type, stream_version, actor, kind, payload)
         VALUES ($1, gen_random_uuid(), 'note', 1, 'script', 'note.added', '{}')",
    )
    .bind(api.org)
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(undeclared.to_string().contains("changes_begin_writing"), "{undeclared}");

    // Declaring after writing would let a reader pass the transaction unseen: refused too.
    let mut late = pool.begin().await.unwrap();
    sqlx::query("SELECT pg_current_xact_id()").execute(&mut *late).await.unwrap();
    let refused = sqlx::query("SELECT changes_begin_writing()").execute(&mut *late).await.unwrap_err();
    assert!(refused.to_string().contains("before the transaction writes anything"), "{refused}");
}
