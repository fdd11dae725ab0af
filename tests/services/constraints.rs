//! What PostgreSQL refuses on its own, whatever the application does: these tests write SQL directly,
//! as a buggy service or a hand-typed statement would.

use crate::fixture::{at, World};
use sqlx::PgPool;

async fn refused(pool: &PgPool, sql: &str) -> String {
    let err = sqlx::query(sql).execute(pool).await.expect_err(sql);
    let db = err.as_database_error().expect("a database refusal");
    db.constraint().map(String::from).unwrap_or_else(|| db.message().to_string())
}

#[sqlx::test]
async fn the_change_log_cannot_be_rewritten_or_erased_even_by_its_owner(pool: PgPool) {
    let w = World::new(pool).await;
    assert_eq!(refused(&w.owner, "UPDATE changes SET kind = 'forged'").await, "changes_append_only");
    assert_eq!(refused(&w.owner, "DELETE FROM changes").await, "changes_append_only");
    assert_eq!(refused(&w.owner, "TRUNCATE changes").await, "changes_append_only");
}

/// The server's own role cannot even try: it owns nothing, so the log's guards cannot be altered,
/// disabled or sidestepped from the application's connection.
#[sqlx::test]
async fn the_application_role_cannot_alter_disable_or_sidestep_the_logs_guards(pool: PgPool) {
    let w = World::new(pool).await;
    w.shift(w.employed_worker("Ada").await, at(2, 9), 8).await;
    let role = mosaic::store::roles::inspect(&w.pool).await.unwrap();
    assert_eq!(role.too_powerful(), None, "{role:?}");
    for sql in [
        "ALTER TABLE changes DISABLE TRIGGER ALL",
        "ALTER TABLE changes DISABLE TRIGGER changes_append_only",
        "DROP TRIGGER changes_append_only ON changes",
        "ALTER TABLE events DROP CONSTRAINT events_end_after_start",
        "UPDATE changes SET kind = 'forged'",
        "DELETE FROM changes",
        "TRUNCATE changes",
        "SET session_replication_role = replica",
        "CREATE OR REPLACE FUNCTION changes_are_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
        "DELETE FROM _sqlx_migrations",
    ] {
        let err = sqlx::query(sql).execute(&w.pool).await.expect_err(sql);
        let code = err.as_database_error().and_then(|e| e.code()).map(|c| c.to_string());
        assert_eq!(code.as_deref(), Some("42501"), "{sql}: {err}");
    }
    assert_eq!(w.count("SELECT count(*) FROM changes WHERE kind = 'forged'").await, 0);
    assert!(w.count("SELECT count(*) FROM changes").await > 0, "it reads the log");
}

#[sqlx::test]
async fn an_event_ending_before_it_starts_or_with_an_unknown_status_is_refused(pool: PgPool) {
    let w = World::new(pool).await;
    let org = w.caller.org;
    assert_eq!(
        refused(&w.pool, &format!("INSERT INTO events (org_id, id, event_type, start_time, end_time) VALUES ('{org}', gen_random_uuid(), 'task', '2026-03-02 10:00Z', '2026-03-02 09:00Z')")).await,
        "events_end_after_start"
    );
    assert_eq!(
        refused(&w.pool, &format!("INSERT INTO events (org_id, id, event_type, start_time, end_time) VALUES ('{org}', gen_random_uuid(), 'task', '2026-03-02 10:00Z', '2026-03-02 10:00Z')")).await,
        "events_end_after_start",
        "an empty range is refused too"
    );
    assert_eq!(
        refused(&w.pool, &format!("INSERT INTO events (org_id, id, event_type, start_time, status) VALUES ('{org}', gen_random_uuid(), 'task', now(), 'maybe')")).await,
        "events_known_status"
    );
}

#[sqlx::test]
async fn a_status_never_goes_backwards(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let shift = w.shift(ann, at(3, 7), 8).await;
    w.publish().await;
    assert_eq!(
        refused(&w.pool, &format!("UPDATE events SET status = 'draft' WHERE id = '{}'", shift.id)).await,
        "events_status_transition"
    );
    sqlx::query(&format!("UPDATE events SET status = 'cancelled' WHERE parent_id = '{0}' OR id = '{0}'", shift.id))
        .execute(&w.pool)
        .await
        .unwrap();
    assert_eq!(
        refused(&w.pool, &format!("UPDATE events SET status = 'active' WHERE id = '{}'", shift.id)).await,
        "events_status_transition"
    );
}

#[sqlx::test]
async fn a_break_outside_its_shift_is_refused_at_commit(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let shift = w.shift(ann, at(3, 7), 8).await;
    let sql = format!(
        "INSERT INTO events (org_id, id, event_type, parent_id, start_time, end_time, properties)
         VALUES ('{}', gen_random_uuid(), 'break', '{}', '2026-03-03 16:00Z', '2026-03-03 16:30Z', '{{\"paid\": false}}')",
        w.caller.org, shift.id
    );
    assert_eq!(refused(&w.pool, &sql).await, "events_within_parent");
    let shrink = format!("UPDATE events SET end_time = '2026-03-03 10:00Z' WHERE id = '{}'", shift.id);
    assert_eq!(refused(&w.pool, &shrink).await, "events_within_parent", "a shift cannot shrink away from its break");
}

#[sqlx::test]
async fn two_active_shifts_or_employments_of_one_worker_cannot_overlap(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let a = w.shift(ann, at(3, 7), 8).await;
    let b = w.shift(ann, at(4, 7), 8).await;
    w.publish().await;
    let overlap =
        format!("UPDATE events SET start_time = '2026-03-03 10:00Z', end_time = '2026-03-03 18:00Z' WHERE id = '{}'", b.id);
    // The break travels too, or the commit-time check would refuse first.
    sqlx::query(&format!("DELETE FROM events WHERE parent_id = '{}'", b.id)).execute(&w.pool).await.unwrap();
    assert_eq!(refused(&w.pool, &overlap).await, "shifts_no_double_booking");
    let _ = a;
    let employment = format!(
        "WITH e AS (INSERT INTO events (org_id, id, event_type, start_time, status) VALUES ('{org}', gen_random_uuid(), 'employment', '2026-03-01', 'active') RETURNING id)
         INSERT INTO participations (org_id, id, event_id, entity_id, participation_type, event_type, event_status, during)
         SELECT '{org}', gen_random_uuid(), e.id, '{ann}', 'employee', '', '', 'empty' FROM e",
        org = w.caller.org
    );
    assert_eq!(refused(&w.pool, &employment).await, "employments_no_overlap");
}

#[sqlx::test]
async fn a_cancelled_shift_does_not_occupy_the_worker(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let a = w.shift(ann, at(3, 7), 8).await;
    w.shift(ann, at(3, 20), 4).await;
    w.publish().await;
    sqlx::query(&format!("UPDATE events SET status = 'cancelled' WHERE parent_id = '{0}' OR id = '{0}'", a.id))
        .execute(&w.pool)
        .await
        .unwrap();
    let c = w.shift(ann, at(3, 8), 6).await;
    sqlx::query(&format!("UPDATE events SET status = 'active' WHERE id = '{}'", c.id)).execute(&w.pool).await.unwrap();
}

#[sqlx::test]
async fn a_row_cannot_reference_another_organisations_row(pool: PgPool) {
    let acme = World::new(pool.clone()).await;
    let other = World::named(pool, "other").await;
    let theirs = other.employed_worker("Zed").await;
    let shift = acme.shift(acme.employed_worker("Ann").await, at(3, 7), 8).await;
    let sql = format!(
        "INSERT INTO participations (org_id, id, event_id, entity_id, participation_type, event_type, event_status, during)
         VALUES ('{}', gen_random_uuid(), '{}', '{}', 'worker', '', '', 'empty')",
        acme.caller.org, shift.id, theirs
    );
    assert_eq!(refused(&acme.pool, &sql).await, "participations_entity_fk");
    let sql = format!(
        "INSERT INTO events (org_id, id, event_type, parent_id, start_time, end_time, properties)
         VALUES ('{}', gen_random_uuid(), 'break', '{}', '2026-03-03 09:00Z', '2026-03-03 09:30Z', '{{\"paid\": true}}')",
        other.caller.org, shift.id
    );
    assert_eq!(refused(&acme.pool, &sql).await, "events_parent_fk");
}

#[sqlx::test]
async fn a_worker_participation_must_name_a_worker(pool: PgPool) {
    let w = World::new(pool).await;
    let shift = w.shift(w.employed_worker("Ann").await, at(3, 7), 8).await;
    let sql = format!(
        "INSERT INTO participations (org_id, id, event_id, entity_id, participation_type, event_type, event_status, during)
         VALUES ('{}', gen_random_uuid(), '{}', '{}', 'worker', '', '', 'empty')",
        w.caller.org, shift.id, w.location
    );
    assert_eq!(refused(&w.pool, &sql).await, "participations_entity_kind");
}

/// The rule engine and the exclusion constraint agree on what overlapping means: back to back is fine.
#[sqlx::test]
async fn back_to_back_active_shifts_are_not_a_double_booking_for_the_rules_or_the_database(pool: PgPool) {
    use mosaic::rules::{evaluate_worker, ConflictKind, RuleShift, Thresholds};
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let early = w.shift(ann, at(3, 6), 4).await;
    let late = w.shift(ann, at(3, 10), 4).await;
    w.publish().await;
    let as_rules =
        |s: &mosaic::views::ShiftView| RuleShift { id: s.id, during: s.during, status: s.status, breaks: vec![], position: None };
    let found = evaluate_worker(ann, &[as_rules(&early), as_rules(&late)], Default::default(), &Thresholds::default());
    assert!(!found.iter().any(|c| c.kind == ConflictKind::Overlap));
    let one_minute_more = format!("UPDATE events SET end_time = end_time + interval '1 minute' WHERE id = '{}'", early.id);
    assert_eq!(refused(&w.pool, &one_minute_more).await, "shifts_no_double_booking");
}

/// The database's own check of a location's zone, behind the service's: a zone it does not know, or
/// none, is refused (and a known one taken without reading every zone file of the server).
#[sqlx::test]
async fn a_location_in_an_unknown_time_zone_is_refused(pool: PgPool) {
    let w = World::new(pool).await;
    let org = w.caller.org;
    for zone in [r#"{"time_zone": "Moon/Tranquility"}"#, r#"{"time_zone": ""}"#, "{}"] {
        let sql = format!("INSERT INTO entities (org_id, id, entity_type, name, properties) VALUES ('{org}', gen_random_uuid(), 'location', 'Base', '{zone}')");
        assert_eq!(refused(&w.pool, &sql).await, "entities_location_time_zone", "{zone}");
    }
    sqlx::query(&format!("INSERT INTO entities (org_id, id, entity_type, name, properties) VALUES ('{org}', gen_random_uuid(), 'location', 'Harbour', '{{\"time_zone\": \"Pacific/Chatham\"}}')"))
        .execute(&w.pool)
        .await
        .unwrap();
}
