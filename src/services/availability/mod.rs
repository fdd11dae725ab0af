//! Availability: a worker says, per weekday, when they cannot work or would rather work, from a day on,
//! with one-off exceptions. A pattern is an `availability` event, an exception an
//! `availability_exception` event, each with the worker taking part; every change is in the log, and
//! the worker's shifts from then on are judged again (a shift in unavailable hours is a warning).

pub mod stored;

use super::{attention, workers, Caller};
use crate::access::Action;
use crate::availability::{checked_windows, WeeklyWindow};
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::local_time::day_start;
use crate::store::changes::{self, Recorded};
use crate::store::core::{self, NewEvent};
use crate::store::{DomainError, DomainResult};
use crate::time_off::Asked;
use crate::views::time_off::{AvailabilityExceptionView, AvailabilityView};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use stored::{exceptions, patterns};

/// A weekly pattern from a day on.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPattern {
    /// The first day it is in force, in the organisation's zone.
    pub first_day: NaiveDate,
    /// Empty: available whenever employed.
    pub windows: Vec<WeeklyWindow>,
}

/// A one-off exception: whole days, hours of a day, or between two instants, as a request for time off
/// is given.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewException {
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub from_time: Option<NaiveTime>,
    pub to_time: Option<NaiveTime>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// Available after all (true), or unavailable (false).
    pub available: bool,
    pub note: Option<String>,
}

/// Whether the caller may state this worker's availability: their own, or anyone's for a manager.
fn require_for(caller: &Caller, worker: EntityId) -> DomainResult<()> {
    if caller.access.is_worker(worker) {
        return caller.require(Action::StateOwnAvailability);
    }
    caller.require(Action::DecideRequests)
}

/// Sets the worker's pattern from a day on. One already starting that day is replaced (withdrawn, kept
/// in the log); the one in force then ends where this one starts.
pub async fn set_pattern(pool: &PgPool, caller: &Caller, worker: EntityId, new: NewPattern) -> DomainResult<AvailabilityView> {
    require_for(caller, worker)?;
    crate::date_range::require_day("first_day", new.first_day)?;
    checked_windows(&new.windows).map_err(|(field, message)| DomainError::invalid(&field, message))?;
    workers::get(pool, caller, worker).await?;
    crate::store::retrying(|| apply_set_pattern(pool, caller, worker, new.clone())).await?;
    of_worker(pool, caller, worker, None).await
}

async fn apply_set_pattern(pool: &PgPool, caller: &Caller, worker: EntityId, new: NewPattern) -> DomainResult<()> {
    let mut tx = crate::store::begin(pool).await?;
    let tz = zone(&mut tx, caller).await?;
    // Patterns of one worker are set one command at a time, so two cannot both end the same one.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('availability:' || $1::text || ':' || $2::text, 0))")
        .bind(caller.org)
        .bind(worker)
        .execute(&mut *tx)
        .await?;
    let start = day_start(new.first_day, tz);
    let existing = patterns(&mut tx, caller, worker, tz).await?;
    let mut end = existing.iter().map(|p| day_start(p.first_day, tz)).filter(|s| *s > start).min();
    if let Some(covering) = existing.iter().find(|p| {
        let from = day_start(p.first_day, tz);
        from <= start && p.until.is_none_or(|u| start < day_start(u, tz))
    }) {
        end = covering.until.map(|u| day_start(u, tz));
        let from = day_start(covering.first_day, tz);
        let (status, during, kind) = if from == start {
            (
                EventStatus::Cancelled,
                Interval { start: from, end: covering.until.map(|u| day_start(u, tz)) },
                ChangeKind::AvailabilityWithdrawn,
            )
        } else {
            (EventStatus::Active, Interval { start: from, end: Some(start) }, ChangeKind::AvailabilityEnded)
        };
        let properties = json!({ "windows": covering.windows });
        let version = core::update_event(&mut tx, caller.org, covering.id, None, during, status, &properties).await?;
        let after = json!({ "worker_id": worker, "id": covering.id, "during": during, "windows": covering.windows });
        record(&mut tx, caller, kind, covering.id.0, version, &after).await?;
    }
    let during = Interval { start, end };
    let properties = json!({ "windows": new.windows });
    let id = core::insert_event(
        &mut tx,
        caller.org,
        NewEvent { kind: EventKind::Availability, parent: None, during, status: EventStatus::Active, properties },
    )
    .await?;
    core::add_participation(&mut tx, caller.org, id, worker, "worker", None).await?;
    let after = json!({ "worker_id": worker, "id": id, "during": during, "windows": new.windows });
    record(&mut tx, caller, ChangeKind::AvailabilitySet, id.0, 1, &after).await?;
    attention::refresh_worker_from(&mut tx, caller, worker, start).await?;
    crate::store::commit(tx, pool).await
}

/// Adds a one-off exception.
pub async fn add_exception(
    pool: &PgPool,
    caller: &Caller,
    worker: EntityId,
    new: NewException,
) -> DomainResult<AvailabilityExceptionView> {
    require_for(caller, worker)?;
    let asked = match (new.first_day, new.start, new.end) {
        (Some(first), None, None) => match (new.from_time, new.to_time) {
            (Some(from), Some(to)) => Asked::HoursOfDay { day: first, from, to },
            (None, None) => Asked::Days { first, last: new.last_day.unwrap_or(first) },
            (Some(_), None) => return Err(DomainError::invalid("to_time", "is required with from_time")),
            (None, Some(_)) => return Err(DomainError::invalid("from_time", "is required with to_time")),
        },
        (None, Some(start), Some(end)) => Asked::Hours { start, end },
        (None, None, None) => {
            return Err(DomainError::invalid("first_day", "is required: give days, hours of a day, or start and end"))
        }
        _ => return Err(DomainError::invalid("start", "give either days (first_day, last_day) or start and end, not both")),
    };
    let note = super::time_off::checked_note("note", new.note)?;
    workers::get(pool, caller, worker).await?;
    let mut tx = crate::store::begin(pool).await?;
    let tz = zone(&mut tx, caller).await?;
    let during = asked.span(tz).map_err(|(field, message)| DomainError::invalid(field, message))?;
    let mut properties = json!({ "available": new.available });
    if let Some(note) = &note {
        properties["note"] = json!(note);
    }
    let id = core::insert_event(
        &mut tx,
        caller.org,
        NewEvent { kind: EventKind::AvailabilityException, parent: None, during, status: EventStatus::Active, properties },
    )
    .await?;
    core::add_participation(&mut tx, caller.org, id, worker, "worker", None).await?;
    let view = AvailabilityExceptionView { id, during, available: new.available, note, version: 1 };
    let after = json!({ "worker_id": worker, "exception": view });
    record(&mut tx, caller, ChangeKind::AvailabilityExceptionAdded, id.0, 1, &after).await?;
    attention::refresh_workers(&mut tx, caller, &[(worker, during)]).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Removes an exception, at the version the caller saw.
pub async fn remove_exception(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<()> {
    let mut tx = crate::store::begin(pool).await?;
    let worker = core::participant(&mut tx, caller.org, id, "worker")
        .await?
        .ok_or_else(|| DomainError::not_found("availability exception", id))?;
    require_for(caller, worker)?;
    let row = core::lock_event(&mut tx, caller.org, EventKind::AvailabilityException, id, Some(expected_version)).await?;
    if row.status == EventStatus::Cancelled {
        return Err(DomainError::not_found("availability exception", id));
    }
    let version =
        core::update_event(&mut tx, caller.org, id, None, row.during(), EventStatus::Cancelled, &row.properties).await?;
    record(&mut tx, caller, ChangeKind::AvailabilityExceptionRemoved, id.0, version, &json!({ "worker_id": worker, "id": id }))
        .await?;
    attention::refresh_workers(&mut tx, caller, &[(worker, row.during())]).await?;
    crate::store::commit(tx, pool).await
}

/// The worker's patterns and their exceptions ending after `from` (all, when not given).
pub async fn of_worker(
    pool: &PgPool,
    caller: &Caller,
    worker: EntityId,
    from: Option<DateTime<Utc>>,
) -> DomainResult<AvailabilityView> {
    if !caller.access.is_worker(worker) {
        caller.require(Action::ReadOrganisation)?;
    }
    crate::date_range::require_optional_instant("from", from)?;
    workers::get(pool, caller, worker).await?;
    let mut conn = pool.acquire().await?;
    let tz = zone(&mut conn, caller).await?;
    let patterns = patterns(&mut conn, caller, worker, tz).await?;
    let window = Interval { start: from.unwrap_or(crate::date_range::earliest_instant()), end: None };
    let exceptions = exceptions(&mut conn, caller, worker, window).await?;
    Ok(AvailabilityView { worker_id: worker, patterns, exceptions, time_zone: tz.name().to_string() })
}

async fn zone(conn: &mut PgConnection, caller: &Caller) -> DomainResult<Tz> {
    Ok(super::organisations::thresholds(conn, caller.org).await?.week_time_zone)
}

async fn record(
    conn: &mut PgConnection,
    caller: &Caller,
    kind: ChangeKind,
    stream: uuid::Uuid,
    version: i32,
    after: &Value,
) -> DomainResult<()> {
    let change = Recorded::after(kind, stream, version, after);
    changes::record(conn, caller.org, &caller.actor, kind, change.stream_id, change.stream_version, change.payload).await
}
