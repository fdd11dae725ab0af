//! Checks on the repository's text that keep its parts in step where no compiler looks: the names the
//! migrations give their errors against the messages in `src/store/error.rs`, the change kinds and
//! `ShiftView` keys the SQL names against the Rust that writes them.

use mosaic::change_kind::{ChangeKind, StreamType};
use mosaic::store::error::DELIBERATE_BACKSTOPS;
use std::collections::BTreeSet;
use std::path::Path;

fn migrations() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect::<Vec<_>>().join("\n")
}

fn words_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.match_indices(marker)
        .map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|word| !word.is_empty())
        .collect()
}

/// The text up to the closing quote after each `marker` (which ends with the opening one).
fn quoted_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            rest.find('\'').map(|end| &rest[..end])
        })
        .collect()
}

/// The names a constraint, a unique index or a trigger's `RAISE … CONSTRAINT = '…'` gives an error (a
/// constraint trigger's own name is not one: its error carries the name its RAISE gives).
fn named_errors(sql: &str) -> BTreeSet<String> {
    let sql: String = sql.lines().map(|line| line.split("--").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let mut names = BTreeSet::new();
    names.extend(words_after(&sql, "CONSTRAINT ").into_iter().filter(|w| *w != "TRIGGER").map(String::from));
    names.extend(words_after(&sql, "CONSTRAINT = '").into_iter().map(String::from));
    names.extend(words_after(&sql, "CREATE UNIQUE INDEX ").into_iter().map(String::from));
    // A constraint dropped for good names nothing; one dropped and added again (a wider CHECK) still does.
    for dropped in words_after(&sql, "DROP CONSTRAINT ") {
        let last_drop = sql.rfind(&format!("DROP CONSTRAINT {dropped}")).unwrap_or(0);
        let added_again = sql[last_drop..].matches(&format!("ADD CONSTRAINT {dropped}")).next().is_some();
        if !added_again {
            names.remove(dropped);
        }
    }
    // Foreign keys share one message (`_fk` / `_fkey`, matched by suffix in error.rs).
    names.retain(|n| !n.ends_with("_fk") && !n.ends_with("_fkey"));
    names
}

#[test]
fn every_error_the_migrations_name_has_a_message_or_is_a_listed_backstop() {
    let error_rs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/error.rs")).unwrap();
    let mapped: BTreeSet<&str> = words_after(&error_rs, "Some(\"").into_iter().collect();
    let names = named_errors(&migrations());
    assert!(names.len() > 40, "the scan finds the migrations' names: {names:?}");
    let unaccounted: Vec<&String> =
        names.iter().filter(|n| !mapped.contains(n.as_str()) && !DELIBERATE_BACKSTOPS.contains(&n.as_str())).collect();
    assert!(unaccounted.is_empty(), "map these in src/store/error.rs, or list them in DELIBERATE_BACKSTOPS: {unaccounted:?}");
    let both: Vec<&&str> = DELIBERATE_BACKSTOPS.iter().filter(|n| mapped.contains(**n)).collect();
    assert!(both.is_empty(), "mapped and listed as a backstop at once: {both:?}");
    let stale: Vec<&&str> = DELIBERATE_BACKSTOPS.iter().filter(|n| !names.contains(**n)).collect();
    assert!(stale.is_empty(), "listed as backstops but named nowhere in migrations/: {stale:?}");
}

#[test]
fn the_sql_names_only_change_kinds_and_streams_the_core_knows() {
    let sql = migrations();
    for name in quoted_after(&sql, "kind = '") {
        assert!(ChangeKind::parse(name).is_some(), "the migrations name the change kind {name:?}, which ChangeKind lacks");
    }
    for stream in quoted_after(&sql, "stream_type = '") {
        assert!(StreamType::parse(stream).is_some(), "the migrations name the stream {stream:?}, which StreamType lacks");
    }
    assert!(sql.contains("c.kind = 'shift.published'"), "the history trigger reads publishing by its name");
}

/// `shift_history_apply` (migrations/0005_shift_history.sql) reads a `ShiftView` stored in a change's
/// payload by these keys; renaming one in Rust would silently empty the history's columns.
#[test]
fn the_keys_the_history_trigger_reads_are_the_ones_a_shift_view_is_stored_with() {
    let sql = migrations();
    let start = sql.find("CREATE FUNCTION shift_history_apply").unwrap();
    let function = &sql[start..start + sql[start..].find("END $$;").unwrap()];
    let mut read: BTreeSet<String> = BTreeSet::new();
    read.extend(words_after(function, "state ->> '").into_iter().map(String::from));
    for path in words_after(function, "state #>> '{") {
        read.insert(path.to_string());
    }
    read.extend(words_after(function, "jsonb_build_object('").into_iter().map(String::from));
    read.extend(words_after(function, "'{\"").into_iter().map(String::from));
    assert_eq!(
        read,
        ["during", "location_id", "status", "version", "worker_id"].map(String::from).into_iter().collect(),
        "the keys the trigger reads changed; keep ShiftView and this list in step"
    );

    let during = mosaic::interval::Interval::new(
        chrono::DateTime::from_timestamp(1_770_000_000, 0).unwrap(),
        chrono::DateTime::from_timestamp(1_770_028_800, 0).unwrap(),
    )
    .unwrap();
    let shift = mosaic::views::ShiftView {
        id: mosaic::ids::EventId(uuid::Uuid::from_u128(1)),
        worker_id: mosaic::ids::EntityId(uuid::Uuid::from_u128(2)),
        worker_name: "Ann".into(),
        location_id: mosaic::ids::EntityId(uuid::Uuid::from_u128(3)),
        employment_id: None,
        during,
        status: mosaic::kinds::EventStatus::Draft,
        role: None,
        position: None,
        notes: None,
        version: 4,
        hours: mosaic::hours::shift_hours(&during, &[]),
        breaks: vec![],
        work_periods: vec![],
    };
    let stored = serde_json::to_value(&shift).unwrap();
    for pointer in ["/during/start", "/during/end", "/location_id", "/worker_id", "/status", "/version"] {
        assert!(stored.pointer(pointer).is_some_and(|v| !v.is_null()), "a stored ShiftView has {pointer}: {stored}");
    }
    assert_eq!(stored["status"], "draft", "the status is stored as the text the history's column holds");
}

/// Every status, kind, severity and role the database stores as text reads back as the variant that
/// wrote it (the text is the API's serde name), and a value this build does not know is an error rather
/// than a silent default.
#[sqlx::test]
async fn stored_enums_read_back_as_written_and_an_unknown_value_is_an_error(pool: sqlx::PgPool) {
    use mosaic::access::Role;
    use mosaic::kinds::EventStatus;
    use mosaic::rules::{ConflictKind, Severity};
    use mosaic::views::AttentionStatus;

    async fn round_trip<T>(pool: &sqlx::PgPool, values: &[T])
    where
        T: serde::Serialize + std::fmt::Debug + PartialEq + Copy + Send + Unpin,
        T: sqlx::Type<sqlx::Postgres> + for<'r> sqlx::Decode<'r, sqlx::Postgres> + for<'q> sqlx::Encode<'q, sqlx::Postgres>,
    {
        for &value in values {
            let text = serde_json::to_value(value).unwrap().as_str().unwrap().to_string();
            let read: T = sqlx::query_scalar("SELECT $1::text").bind(&text).fetch_one(pool).await.unwrap();
            assert_eq!(read, value, "{text}");
            let written: String = sqlx::query_scalar("SELECT $1::text").bind(value).fetch_one(pool).await.unwrap();
            assert_eq!(written, text);
        }
        let unknown = sqlx::query_scalar::<_, T>("SELECT 'paused'::text").fetch_one(pool).await;
        assert!(unknown.is_err(), "an unknown value decodes to {unknown:?}");
    }

    round_trip(&pool, &[EventStatus::Draft, EventStatus::Active, EventStatus::Completed, EventStatus::Cancelled]).await;
    round_trip(&pool, &ConflictKind::ALL).await;
    round_trip(&pool, &[Severity::Hard, Severity::Warning]).await;
    round_trip(&pool, &[AttentionStatus::Open, AttentionStatus::Acknowledged, AttentionStatus::Resolved]).await;
    round_trip(&pool, &Role::ALL).await;
}
