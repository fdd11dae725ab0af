//! Reading workers' availability as stored: a leaf, which calls no other service, so that `attention`
//! (which judges shifts against it) and the calendar read it as the availability commands write it.

use super::super::Caller;
use crate::availability::{spans, Exception, Spans, WeeklyPattern, WeeklyWindow};
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::store::{DomainError, DomainResult};
use crate::views::time_off::{AvailabilityExceptionView, AvailabilityPatternView};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;
use sqlx::PgConnection;
use std::collections::BTreeMap;

type EventRow = (EntityId, EventId, DateTime<Utc>, Option<DateTime<Utc>>, Value, i32);

fn decoding(what: String) -> DomainError {
    DomainError::Database(sqlx::Error::Decode(what.into()))
}

/// The live `kind` events of these workers overlapping `window`, by start.
async fn rows(
    conn: &mut PgConnection,
    caller: &Caller,
    kind: &str,
    workers: &[EntityId],
    window: Interval,
) -> DomainResult<Vec<EventRow>> {
    Ok(sqlx::query_as(
        "SELECT p.entity_id, e.id, e.start_time, e.end_time, e.properties, e.version
           FROM participations p JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
          WHERE p.org_id = $1 AND p.entity_id = ANY ($2) AND p.event_type = $3 AND p.participation_type = 'worker'
            AND p.event_status = 'active' AND p.during && tstzrange($4, $5, '[)')
          ORDER BY e.start_time",
    )
    .bind(caller.org)
    .bind(workers.iter().map(|w| w.0).collect::<Vec<_>>())
    .bind(kind)
    .bind(window.start)
    .bind(window.end)
    .fetch_all(conn)
    .await?)
}

fn pattern_view((_, id, start, end, properties, version): EventRow, tz: Tz) -> DomainResult<AvailabilityPatternView> {
    let windows: Vec<WeeklyWindow> = serde_json::from_value(properties["windows"].clone())
        .map_err(|e| decoding(format!("availability {id} has windows this build does not know: {e}")))?;
    Ok(AvailabilityPatternView {
        id,
        first_day: start.with_timezone(&tz).date_naive(),
        until: end.map(|e| e.with_timezone(&tz).date_naive()),
        windows,
        version,
    })
}

fn exception_view((_, id, start, end, properties, version): EventRow) -> DomainResult<AvailabilityExceptionView> {
    let available =
        properties["available"].as_bool().ok_or_else(|| decoding(format!("availability exception {id} has no `available`")))?;
    let note = properties["note"].as_str().map(str::to_string);
    Ok(AvailabilityExceptionView { id, during: Interval { start, end }, available, note, version })
}

/// The worker's patterns in force, earliest first.
pub(crate) async fn patterns(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    tz: Tz,
) -> DomainResult<Vec<AvailabilityPatternView>> {
    let all = Interval { start: crate::date_range::earliest_instant(), end: None };
    rows(conn, caller, "availability", &[worker], all).await?.into_iter().map(|row| pattern_view(row, tz)).collect()
}

/// The worker's live exceptions overlapping `window`.
pub(crate) async fn exceptions(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    window: Interval,
) -> DomainResult<Vec<AvailabilityExceptionView>> {
    rows(conn, caller, "availability_exception", &[worker], window).await?.into_iter().map(exception_view).collect()
}

/// Each worker's unavailable and preferred stretches of `window`, in two statements for them all.
pub async fn spans_of(
    conn: &mut PgConnection,
    caller: &Caller,
    workers: &[EntityId],
    window: Interval,
    tz: Tz,
) -> DomainResult<BTreeMap<EntityId, Spans>> {
    let mut patterns: BTreeMap<EntityId, Vec<WeeklyPattern>> = BTreeMap::new();
    // A day either side: a window of the pattern's local day may reach into the stretch asked for.
    let around =
        Interval { start: window.start - chrono::Duration::days(1), end: window.end.map(|e| e + chrono::Duration::days(1)) };
    for row in rows(conn, caller, "availability", workers, around).await? {
        let worker = row.0;
        let view = pattern_view(row, tz)?;
        patterns.entry(worker).or_default().push(WeeklyPattern {
            first_day: view.first_day,
            until: view.until,
            windows: view.windows,
        });
    }
    let mut exceptions: BTreeMap<EntityId, Vec<Exception>> = BTreeMap::new();
    for row in rows(conn, caller, "availability_exception", workers, window).await? {
        let worker = row.0;
        let view = exception_view(row)?;
        exceptions.entry(worker).or_default().push(Exception { during: view.during, available: view.available });
    }
    Ok(workers
        .iter()
        .map(|w| {
            let found = spans(
                patterns.get(w).map(Vec::as_slice).unwrap_or(&[]),
                exceptions.get(w).map(Vec::as_slice).unwrap_or(&[]),
                &window,
                tz,
            );
            (*w, found)
        })
        .collect())
}
