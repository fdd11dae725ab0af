use crate::fixture::{at, World};
use chrono::Duration;
use mosaic::ids::EventId;
use mosaic::interval::Interval;
use mosaic::kinds::EventStatus;
use mosaic::planning::DifferenceKind;
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::services::time_travel::{self, Moment};
use mosaic::store::DomainError;
use mosaic::views::{MomentView, ShiftView};
use std::collections::BTreeMap;

fn march_week() -> Interval {
    Interval { start: at(2, 0), end: Some(at(9, 0)) }
}

async fn latest(w: &World) -> MomentView {
    time_travel::moment(&w.pool, &w.caller, Moment::Latest, chrono_tz::UTC).await.unwrap().unwrap()
}

async fn week_at(w: &World, position: i64) -> Vec<ShiftView> {
    time_travel::shifts_as_of(&w.pool, &w.caller, march_week(), position, Some(w.location)).await.unwrap()
}

fn starts(shifts: &[ShiftView]) -> Vec<(EventId, chrono::DateTime<chrono::Utc>, EventStatus)> {
    shifts.iter().map(|s| (s.id, s.during.start, s.status)).collect()
}

#[sqlx::test]
async fn the_week_as_it_stood_after_each_change_and_what_changed_between_two_moments(pool: sqlx::PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let bob = w.employed_worker("Bob").await;
    let before_anything = latest(&w).await.position;

    let monday = w.shift(ann, at(2, 9), 8).await;
    let created = latest(&w).await.position;
    let tuesday = w.shift(bob, at(3, 9), 8).await;
    let both = latest(&w).await.position;
    let patch = ShiftPatch { expected_version: 1, start: Some(at(2, 10)), end: Some(at(2, 18)), ..Default::default() };
    shifts::update(&w.pool, &w.caller, monday.id, patch).await.unwrap();
    let moved = latest(&w).await.position;
    let patch = ShiftPatch { expected_version: 1, worker_id: Some(ann), ..Default::default() };
    shifts::update(&w.pool, &w.caller, tuesday.id, patch).await.unwrap();
    w.publish().await;
    let published = latest(&w).await.position;
    let tuesday_now = shifts::get(&w.pool, &w.caller, tuesday.id).await.unwrap();
    shifts::cancel(&w.pool, &w.caller, tuesday.id, tuesday_now.version).await.unwrap();
    let cancelled = latest(&w).await.position;

    assert!(week_at(&w, before_anything).await.is_empty());
    assert_eq!(starts(&week_at(&w, created).await), [(monday.id, at(2, 9), EventStatus::Draft)]);
    assert_eq!(
        starts(&week_at(&w, both).await),
        [(monday.id, at(2, 9), EventStatus::Draft), (tuesday.id, at(3, 9), EventStatus::Draft)]
    );
    assert_eq!(week_at(&w, moved).await[0].during.start, at(2, 10));
    let at_publication = week_at(&w, published).await;
    assert!(at_publication.iter().all(|s| s.status == EventStatus::Active && s.worker_id == ann), "{at_publication:?}");
    assert_eq!(starts(&week_at(&w, cancelled).await), [(monday.id, at(2, 10), EventStatus::Active)]);

    // Now, the past and the present agree: the latest moment is the shift as the service reads it.
    let now = shifts::get(&w.pool, &w.caller, monday.id).await.unwrap();
    assert_eq!(week_at(&w, cancelled).await, [now]);

    let page = time_travel::week(
        &w.pool,
        &w.caller,
        Some(w.location),
        Some(at(4, 0).date_naive()),
        Moment::Position(cancelled),
        Some(Moment::Position(both)),
    )
    .await
    .unwrap();
    let found: Vec<(EventId, DifferenceKind)> =
        page.differences.iter().map(|d| (d.difference.shift_id, d.difference.kind)).collect();
    assert_eq!(found, [(monday.id, DifferenceKind::Moved), (tuesday.id, DifferenceKind::Removed)]);
    assert_eq!(page.differences[0].changed_by, ["test"]);
    assert_eq!(page.differences[0].changes, ["shift.moved", "shift.published"]);
    assert_eq!(page.differences[1].changes, ["shift.reassigned", "shift.published", "shift.cancelled"]);
    let names: Vec<&str> = page.rows.iter().map(|r| r.worker_name.as_str()).collect();
    assert_eq!(names, ["Ann", "Bob"], "Bob had the Tuesday shift at the earlier moment");
    assert!(page.rows[1].shifts.is_empty());
    assert_eq!(page.since.as_ref().map(|m| m.kind.as_str()), Some("shift.created"));

    // Compared the other way round, the same shifts differ the other way.
    let back = time_travel::week(
        &w.pool,
        &w.caller,
        Some(w.location),
        Some(at(4, 0).date_naive()),
        Moment::Position(both),
        Some(Moment::Position(cancelled)),
    )
    .await
    .unwrap();
    let found: Vec<DifferenceKind> = back.differences.iter().map(|d| d.difference.kind).collect();
    assert_eq!(found, [DifferenceKind::Moved, DifferenceKind::Added]);
}

/// The history against an oracle: the log replayed in Rust, keeping each shift's last recorded state.
#[sqlx::test]
async fn every_moment_of_a_random_history_matches_the_log_replayed(pool: sqlx::PgPool) {
    let w = World::new(pool).await;
    let workers = [w.employed_worker("Ann").await, w.employed_worker("Bob").await, w.employed_worker("Cy").await];
    let mut shifts = Vec::new();
    for (i, worker) in workers.iter().enumerate() {
        shifts.push(w.shift(*worker, at(2 + i as u32, 8), 6).await.id);
    }
    let mut seed: u64 = 0x5eed;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for _ in 0..40 {
        let id = shifts[next(shifts.len() as u64) as usize];
        let current = shifts::get(&w.pool, &w.caller, id).await.unwrap();
        let patch = match next(3) {
            // Anywhere in the fortnight the schedule covers, so moves cross the week's edge both ways.
            0 | 1 => {
                let start = at(2, 0) + Duration::hours(next(13 * 24) as i64);
                ShiftPatch {
                    expected_version: current.version,
                    start: Some(start),
                    end: Some(start + Duration::hours(6)),
                    ..Default::default()
                }
            }
            _ => ShiftPatch { expected_version: current.version, role: Some(format!("role {}", next(5))), ..Default::default() },
        };
        // A move onto a worker's other shift is refused, as it should be; the history skips it too.
        let _ = shifts::update(&w.pool, &w.caller, id, patch).await;
    }
    w.publish().await;

    let log: Vec<(i64, uuid::Uuid, String, serde_json::Value)> =
        sqlx::query_as("SELECT position, stream_id, stream_type, payload FROM changes WHERE org_id = $1 ORDER BY position")
            .bind(w.caller.org)
            .fetch_all(&w.pool)
            .await
            .unwrap()
            .into_iter()
            .map(|(p, id, t, payload): (i64, uuid::Uuid, String, serde_json::Value)| (p, id, t, payload))
            .collect();
    let mut replayed: BTreeMap<uuid::Uuid, ShiftView> = BTreeMap::new();
    let mut checked = 0;
    for (position, stream, stream_type, payload) in log {
        if stream_type == "shift" {
            match payload.get("after") {
                Some(after) => {
                    replayed.insert(stream, serde_json::from_value(after.clone()).unwrap());
                }
                None => {
                    let shift = replayed.get_mut(&stream).unwrap();
                    shift.status = EventStatus::Active;
                    shift.version += 1;
                }
            }
        }
        let mut expected: Vec<ShiftView> = replayed
            .values()
            .filter(|s| s.status != EventStatus::Cancelled && s.during.overlaps(&march_week()))
            .cloned()
            .collect();
        expected.sort_by_key(|s| (s.during.start, s.id));
        assert_eq!(week_at(&w, position).await, expected, "as of change {position}");
        checked += 1;
    }
    assert!(checked > 40, "{checked} moments checked");
}

#[sqlx::test]
async fn rebuilding_the_history_from_the_log_gives_what_the_trigger_kept(pool: sqlx::PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let shift = w.shift(ann, at(2, 9), 8).await;
    let patch = ShiftPatch { expected_version: 1, start: Some(at(2, 11)), end: Some(at(2, 19)), ..Default::default() };
    shifts::update(&w.pool, &w.caller, shift.id, patch).await.unwrap();
    w.publish().await;

    let read = |pool: sqlx::PgPool| async move {
        sqlx::query_as::<_, (uuid::Uuid, i32, String, serde_json::Value)>(
            "SELECT shift_id, version, known::text, state FROM shift_history ORDER BY shift_id, version",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    let kept = read(w.pool.clone()).await;
    assert_eq!(kept.len(), 3);
    assert!(kept[2].2.ends_with(",)"), "the last version is current: {}", kept[2].2);
    sqlx::query("DELETE FROM shift_history").execute(&w.pool).await.unwrap();
    sqlx::query("SELECT shift_history_replay($1, 0, 9223372036854775807)").bind(w.caller.org).execute(&w.pool).await.unwrap();
    assert_eq!(read(w.pool.clone()).await, kept);
}

#[sqlx::test]
async fn a_time_names_the_last_change_recorded_by_then(pool: sqlx::PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    w.shift(ann, at(2, 9), 8).await;
    let first = latest(&w).await;
    w.shift(ann, at(3, 9), 8).await;
    let second = latest(&w).await;

    let resolve = |m: Moment| {
        let (pool, caller) = (w.pool.clone(), w.caller.clone());
        async move { time_travel::moment(&pool, &caller, m, chrono_tz::Europe::Berlin).await.unwrap() }
    };
    assert_eq!(resolve(Moment::Instant(first.recorded_at)).await.map(|m| m.position), Some(first.position));
    assert_eq!(resolve(Moment::Instant(second.recorded_at)).await.map(|m| m.position), Some(second.position));
    let local = first.recorded_at.with_timezone(&chrono_tz::Europe::Berlin).naive_local();
    assert_eq!(resolve(Moment::LocalTime(local)).await.map(|m| m.position), Some(first.position), "Berlin wall-clock time");
    assert_eq!(resolve(Moment::Instant(first.recorded_at - Duration::days(1))).await, None, "before the first change");
    assert_eq!(resolve(Moment::Position(i64::MAX)).await, Some(second.clone()), "beyond the last: the last");
    let first_now = resolve(Moment::Position(first.position)).await.unwrap();
    assert_eq!(first_now.later, Some(second.position), "read again, the first change has a later one");
    assert_eq!(second.earlier, Some(first.position));
    assert_eq!(second.later, None);

    let other = World::named(w.owner.clone(), "other").await;
    let theirs = time_travel::moment(&other.pool, &other.caller, Moment::Latest, chrono_tz::UTC).await.unwrap().unwrap();
    assert!(theirs.earlier.is_none_or(|p| p != second.position), "neighbours are the organisation's own changes");
    assert!(time_travel::shifts_as_of(&other.pool, &other.caller, march_week(), i64::MAX, None).await.unwrap().is_empty());
}

#[test]
fn a_bad_moment_is_named_by_its_field() {
    let field = |r: Result<Option<Moment>, DomainError>| match r {
        Err(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected a named field, got {other:?}"),
    };
    assert_eq!(field(Moment::parse("at", Some("-3"), None)), "at");
    assert_eq!(field(Moment::parse("since", Some("later"), None)), "since");
    assert_eq!(field(Moment::parse("since", None, Some("yesterday"))), "since_time");
    assert_eq!(Moment::parse("at", Some(" 42 "), Some("ignored")).unwrap(), Some(Moment::Position(42)));
    assert_eq!(Moment::parse("at", None, None).unwrap(), None);
    assert!(matches!(Moment::parse("at", None, Some("2026-03-02T09:30")).unwrap(), Some(Moment::LocalTime(_))));
    assert!(matches!(Moment::parse("at", None, Some("2026-03-02T08:30:00Z")).unwrap(), Some(Moment::Instant(_))));
}
