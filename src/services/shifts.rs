//! Shifts: events of type `shift` that a worker takes part in at a location, nested in the worker's
//! employment, with breaks and work periods nested in them.
//!
//! Every command locks the shift, checks the caller's expected version, writes, appends one change and
//! re-judges the workers it touched, all in one transaction. Drafts may conflict (each conflict becomes
//! an attention item); the database refuses an active double booking whatever happens here.

use super::{attention, employments, Caller};
use crate::access::{Action, Denied};
use crate::change_kind::{ChangeKind, StreamType};
use crate::hours::{shift_hours, BreakSpan};
use crate::ids::{EntityId, EventId};
use crate::interval::{subtract_all, Interval};
use crate::kinds::{EventKind, EventStatus};
use crate::rules::{shift_interval, Conflict, ConflictKind};
use crate::store::changes;
use crate::store::core::{self, NewEvent};
use crate::store::{retrying, DomainError, DomainResult};
use crate::views::{BreakView, ShiftView};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewShift {
    pub worker_id: EntityId,
    pub location_id: EntityId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub role: Option<String>,
    pub notes: Option<String>,
    #[serde(default)]
    pub breaks: Vec<NewBreak>,
}

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBreak {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(default)]
    pub paid: bool,
}

/// Move (new start and end, same length), resize (new start or end) and reassign (new worker), with the
/// version the caller last saw.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShiftPatch {
    pub expected_version: i32,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub worker_id: Option<EntityId>,
    pub role: Option<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ShiftFilter {
    pub worker_id: Option<EntityId>,
    pub location_id: Option<EntityId>,
    /// Shifts whose start lies in this schedule's period at its location.
    pub schedule_id: Option<EventId>,
    pub status: Option<EventStatus>,
    /// Shifts overlapping [from, to).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

pub async fn create(pool: &PgPool, caller: &Caller, new: NewShift) -> DomainResult<ShiftView> {
    caller.require_at(Action::EditDrafts, new.location_id)?;
    retrying(|| apply_create(pool, caller, &new)).await
}

/// A draft planned on the calendar (drawn, or copied with a modifier key): where no schedule at the
/// location covers the local week of its start, a draft schedule for that week opens in the same
/// transaction, as copying a week does.
pub async fn create_opening_week(pool: &PgPool, caller: &Caller, new: NewShift) -> DomainResult<ShiftView> {
    caller.require_at(Action::EditDrafts, new.location_id)?;
    let location = super::locations::get(pool, caller, new.location_id).await?;
    let tz = location.zone();
    let week = crate::local_time::local_week(crate::local_time::monday_of(new.start.with_timezone(&tz).date_naive()), tz);
    retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        super::schedules::open_draft_unless_planned(&mut tx, caller, new.location_id, week).await?;
        let after = insert_draft(&mut tx, caller, &new).await?;
        attention::refresh_workers(&mut tx, caller, &[(after.worker_id, after.during)]).await?;
        crate::store::commit(tx, pool).await?;
        Ok(after)
    })
    .await
}

async fn apply_create(pool: &PgPool, caller: &Caller, new: &NewShift) -> DomainResult<ShiftView> {
    let mut tx = crate::store::begin(pool).await?;
    let after = insert_draft(&mut tx, caller, new).await?;
    attention::refresh_workers(&mut tx, caller, &[(after.worker_id, after.during)]).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Plans a draft shift inside the caller's transaction: the shift, its breaks and work periods and its
/// change. The caller brings the worker's attention items in step once all its rows are written
/// (`attention::refresh_workers`).
pub(crate) async fn insert_draft(tx: &mut PgConnection, caller: &Caller, new: &NewShift) -> DomainResult<ShiftView> {
    let during = shift_interval(new.start, new.end).map_err(|(field, msg)| DomainError::invalid(field, msg))?;
    let properties = shift_properties(new.role.as_deref(), new.notes.as_deref());
    core::check_properties(&mut *tx, caller.org, EventKind::Shift, &properties).await?;
    ensure_entity(&mut *tx, caller, new.worker_id, "worker").await?;
    ensure_entity(&mut *tx, caller, new.location_id, "location").await?;
    super::schedules::open_schedule_at(&mut *tx, caller, new.location_id, during.start).await?;
    let employment = employments::containing(&mut *tx, caller, new.worker_id, during)
        .await?
        .ok_or_else(|| outside_employment(new.worker_id, during))?;
    let id = core::insert_event(
        &mut *tx,
        caller.org,
        NewEvent { kind: EventKind::Shift, parent: Some(employment), during, status: EventStatus::Draft, properties },
    )
    .await?;
    core::add_participation(&mut *tx, caller.org, id, new.worker_id, "worker", new.role.as_deref()).await?;
    core::add_participation(&mut *tx, caller.org, id, new.location_id, "location", None).await?;
    for b in &new.breaks {
        insert_break(&mut *tx, caller, id, during, b).await?;
    }
    regenerate_work_periods(&mut *tx, caller, id, during).await?;
    let after = load(&mut *tx, caller, id).await?;
    record(&mut *tx, caller, &after, ChangeKind::ShiftCreated, json!({ "after": after })).await?;
    Ok(after)
}

pub async fn get(pool: &PgPool, caller: &Caller, id: EventId) -> DomainResult<ShiftView> {
    let mut conn = pool.acquire().await?;
    let shift = load(&mut conn, caller, id).await?;
    drop(conn);
    if caller.access.role.allows(Action::ReadOrganisation) || !caller.access.is_worker(shift.worker_id) {
        caller.require(Action::ReadOrganisation)?;
        return Ok(shift);
    }
    // A worker's own shift, if it is one they may know of.
    let known = known_to_worker(pool, caller, vec![shift]).await?.pop();
    known.ok_or_else(|| {
        DomainError::Forbidden(Denied { role: caller.access.role, action: Action::ReadOrganisation, location: None })
    })
}

/// Drafts are a scheduler's to edit at their own locations; a published shift is a manager's.
fn require_edit(caller: &Caller, status: EventStatus, location: EntityId) -> DomainResult<()> {
    let action = if status == EventStatus::Draft { Action::EditDrafts } else { Action::EditPublished };
    caller.require_at(action, location)
}

/// The start of every change to a shift: lock the shift at the version the caller saw, read it as it
/// is, and check the caller may change it (drafts at their locations, or published shifts). Its
/// workers' locks come at the end, with the attention refresh (`attention::refresh_workers`).
async fn lock_for_edit(
    tx: &mut PgConnection,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
) -> DomainResult<(core::EventRow, ShiftView)> {
    let row = core::lock_event(&mut *tx, caller.org, EventKind::Shift, id, Some(expected_version)).await?;
    let before = load(&mut *tx, caller, id).await?;
    require_edit(caller, row.status, before.location_id)?;
    Ok((row, before))
}

pub async fn update(pool: &PgPool, caller: &Caller, id: EventId, patch: ShiftPatch) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    match retrying(|| apply_update(pool, caller, id, &patch, None)).await {
        Err(err @ DomainError::DoubleBooked { .. }) => {
            let current = get(pool, caller, id).await?;
            let start = patch.start.unwrap_or(current.during.start);
            let end = patch.end.or(current.during.end).unwrap_or(start);
            let during = Interval { start, end: Some(end) };
            Err(explain_double_booking(pool, caller, err, patch.worker_id.unwrap_or(current.worker_id), during, Some(id)).await)
        }
        other => other,
    }
}

/// `undoes`: the version whose change this update reverses, kept in the new change's payload.
async fn apply_update(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    patch: &ShiftPatch,
    undoes: Option<i32>,
) -> DomainResult<ShiftView> {
    let mut tx = crate::store::begin(pool).await?;
    let (row, before) = lock_for_edit(&mut tx, caller, id, patch.expected_version).await?;
    let status = row.status;
    if !matches!(status, EventStatus::Draft | EventStatus::Active) {
        return Err(DomainError::invalid("status", format!("a {} shift cannot be changed", status.as_str())));
    }
    let start = patch.start.unwrap_or(before.during.start);
    let end = patch.end.or(before.during.end).unwrap_or(start);
    let during = shift_interval(start, end).map_err(|(field, msg)| DomainError::invalid(field, msg))?;
    let worker = patch.worker_id.unwrap_or(before.worker_id);
    if worker != before.worker_id {
        ensure_entity(&mut tx, caller, worker, "worker").await?;
    }
    let mut properties = row.properties.clone();
    merge_text(&mut properties, "role", patch.role.as_deref());
    merge_text(&mut properties, "notes", patch.notes.as_deref());
    core::check_properties(&mut tx, caller.org, EventKind::Shift, &properties).await?;
    if during != before.during {
        super::schedules::open_schedule_at(&mut tx, caller, before.location_id, during.start).await?;
    }

    let employment = employments::containing(&mut tx, caller, worker, during).await?;
    if employment.is_none() && status == EventStatus::Active {
        return Err(outside_employment(worker, during));
    }

    let moved_whole = before.during.duration() == during.duration() && before.during != during;
    core::update_event(&mut tx, caller.org, id, employment, during, status, &properties).await?;
    if moved_whole {
        // Breaks and work periods travel with the shift.
        sqlx::query(
            "UPDATE events SET start_time = start_time + make_interval(secs => $3), end_time = end_time + make_interval(secs => $3)
              WHERE org_id = $1 AND parent_id = $2",
        )
        .bind(caller.org)
        .bind(id)
        .bind((during.start - before.during.start).num_milliseconds() as f64 / 1000.0)
        .execute(&mut *tx)
        .await?;
    } else if during != before.during {
        if let Some(stray) = before.breaks.iter().find(|b| !during.contains(&b.during)) {
            return Err(DomainError::invalid(
                "end",
                format!("the break at {} would fall outside the shift; move or remove it first", stray.during.start),
            ));
        }
        regenerate_work_periods(&mut tx, caller, id, during).await?;
    }
    if worker != before.worker_id {
        sqlx::query(
            "UPDATE participations SET entity_id = $3 WHERE org_id = $1 AND event_id = $2 AND participation_type = 'worker'",
        )
        .bind(caller.org)
        .bind(id)
        .bind(worker)
        .execute(&mut *tx)
        .await?;
    }
    if patch.role.is_some() {
        sqlx::query("UPDATE participations SET role = $3 WHERE org_id = $1 AND event_id = $2 AND participation_type = 'worker'")
            .bind(caller.org)
            .bind(id)
            .bind(properties.get("role").and_then(Value::as_str))
            .execute(&mut *tx)
            .await?;
    }

    let after = load(&mut tx, caller, id).await?;
    let kind = if worker != before.worker_id {
        ChangeKind::ShiftReassigned
    } else if moved_whole {
        ChangeKind::ShiftMoved
    } else if during != before.during {
        ChangeKind::ShiftResized
    } else {
        ChangeKind::ShiftUpdated
    };
    record(&mut tx, caller, &after, kind, change_payload(&before, &after, undoes)).await?;
    attention::refresh_workers(&mut tx, caller, &[(worker, before.during), (worker, during), (before.worker_id, before.during)])
        .await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

pub async fn cancel(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    retrying(|| apply_cancel(pool, caller, id, expected_version, None)).await
}

async fn apply_cancel(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    undoes: Option<i32>,
) -> DomainResult<ShiftView> {
    let mut tx = crate::store::begin(pool).await?;
    let (row, before) = lock_for_edit(&mut tx, caller, id, expected_version).await?;
    if !row.status.can_become(EventStatus::Cancelled) || row.status == EventStatus::Cancelled {
        return Err(DomainError::invalid("status", format!("a {} shift cannot be cancelled", row.status.as_str())));
    }
    let after = cancel_locked(&mut tx, caller, &row, &before, undoes).await?;
    attention::refresh_workers(&mut tx, caller, &[(before.worker_id, before.during)]).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Cancels a shift already locked, with its breaks and work periods, and logs it; the caller brings the
/// worker's attention items in step.
async fn cancel_locked(
    tx: &mut PgConnection,
    caller: &Caller,
    row: &core::EventRow,
    before: &ShiftView,
    undoes: Option<i32>,
) -> DomainResult<ShiftView> {
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE org_id = $1 AND parent_id = $2 AND status <> 'cancelled'")
        .bind(caller.org)
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    core::update_event(&mut *tx, caller.org, row.id, row.parent_id, row.during(), EventStatus::Cancelled, &row.properties)
        .await?;
    let after = load(&mut *tx, caller, row.id).await?;
    record(&mut *tx, caller, &after, ChangeKind::ShiftCancelled, change_payload(before, &after, undoes)).await?;
    Ok(after)
}

/// Cancels a draft shift inside the caller's transaction (withdrawing its schedule); a shift no longer a
/// draft is left alone. The caller refreshes the worker's attention items once all its rows are written.
pub(crate) async fn cancel_draft_in(tx: &mut PgConnection, caller: &Caller, id: EventId) -> DomainResult<Option<ShiftView>> {
    let row = core::lock_event(&mut *tx, caller.org, EventKind::Shift, id, None).await?;
    if row.status != EventStatus::Draft {
        return Ok(None);
    }
    let before = load(&mut *tx, caller, id).await?;
    Ok(Some(cancel_locked(tx, caller, &row, &before, None).await?))
}

/// Reverses the shift's latest change — given as the version the caller last saw, which must still be
/// the latest — with a new change that restores the earlier state, so the log stays append-only. A move,
/// resize, reassignment, edit or change of breaks is put back; a new draft is cancelled. A cancellation
/// cannot be undone (plan the shift again), nor a work period added by hand.
pub async fn undo(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    let (kind, payload): (String, Value) =
        sqlx::query_as("SELECT kind, payload FROM changes WHERE org_id = $1 AND stream_id = $2 AND stream_version = $3")
            .bind(caller.org)
            .bind(id)
            .bind(expected_version)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| DomainError::not_found("shift", id))?;
    let cannot = |what: &str| DomainError::Conflict { code: "cannot_undo", message: format!("{what} cannot be undone.") };
    match ChangeKind::parse(&kind) {
        Some(ChangeKind::ShiftCreated) => {
            let current = get(pool, caller, id).await?;
            if current.status != EventStatus::Draft {
                return Err(cannot("A shift that has been published"));
            }
            retrying(|| apply_cancel(pool, caller, id, expected_version, Some(expected_version))).await
        }
        Some(ChangeKind::ShiftMoved | ChangeKind::ShiftResized | ChangeKind::ShiftReassigned | ChangeKind::ShiftUpdated) => {
            let before: ShiftView = serde_json::from_value(payload["before"].clone())
                .map_err(|_| cannot("This change was recorded without its earlier state, so it"))?;
            let patch = ShiftPatch {
                expected_version,
                start: Some(before.during.start),
                end: before.during.end,
                worker_id: Some(before.worker_id),
                // An empty text clears what the change had set.
                role: Some(before.role.clone().unwrap_or_default()),
                notes: Some(before.notes.clone().unwrap_or_default()),
            };
            retrying(|| apply_update(pool, caller, id, &patch, Some(expected_version))).await
        }
        Some(ChangeKind::ShiftBreakAdded | ChangeKind::ShiftBreaksChanged) => {
            let before: ShiftView = serde_json::from_value(payload["before"].clone())
                .map_err(|_| cannot("This change was recorded without its earlier state, so it"))?;
            let breaks: Vec<NewBreak> = before
                .breaks
                .iter()
                .filter_map(|b| Some(NewBreak { start: b.during.start, end: b.during.end?, paid: b.paid }))
                .collect();
            retrying(|| apply_set_breaks(pool, caller, id, expected_version, &breaks, Some(expected_version))).await
        }
        Some(ChangeKind::ShiftCancelled) => Err(cannot("A cancellation")),
        Some(ChangeKind::ShiftPublished) => Err(cannot("Publishing (it belongs to the whole schedule)")),
        _ => Err(cannot("Adding a work period")),
    }
}

pub async fn add_break(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    new: NewBreak,
) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    retrying(|| apply_add_break(pool, caller, id, expected_version, &new)).await
}

async fn apply_add_break(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    new: &NewBreak,
) -> DomainResult<ShiftView> {
    let mut tx = crate::store::begin(pool).await?;
    let (row, before) = lock_for_edit(&mut tx, caller, id, expected_version).await?;
    if row.status == EventStatus::Cancelled || row.status == EventStatus::Completed {
        return Err(DomainError::invalid("status", format!("a {} shift cannot be changed", row.status.as_str())));
    }
    let during = row.during();
    insert_break(&mut tx, caller, id, during, new).await?;
    regenerate_work_periods(&mut tx, caller, id, during).await?;
    core::update_event(&mut tx, caller.org, id, row.parent_id, during, row.status, &row.properties).await?;
    let after = load(&mut tx, caller, id).await?;
    record(&mut tx, caller, &after, ChangeKind::ShiftBreakAdded, json!({ "before": before, "after": after })).await?;
    attention::refresh_workers(&mut tx, caller, &[(before.worker_id, during)]).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Replaces the shift's breaks with `breaks` — the edit panel's add, move and remove as one command. Each
/// lies inside the shift and overlaps no other; a refusal names the break (`breaks[i]`).
pub async fn set_breaks(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    breaks: Vec<NewBreak>,
) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    retrying(|| apply_set_breaks(pool, caller, id, expected_version, &breaks, None)).await
}

async fn apply_set_breaks(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    breaks: &[NewBreak],
    undoes: Option<i32>,
) -> DomainResult<ShiftView> {
    let mut tx = crate::store::begin(pool).await?;
    let (row, before) = lock_for_edit(&mut tx, caller, id, expected_version).await?;
    if !matches!(row.status, EventStatus::Draft | EventStatus::Active) {
        return Err(DomainError::invalid("status", format!("a {} shift cannot be changed", row.status.as_str())));
    }
    let during = row.during();
    sqlx::query("DELETE FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'break'")
        .bind(caller.org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for (i, new) in breaks.iter().enumerate() {
        insert_break(&mut tx, caller, id, during, new).await.map_err(|e| match e {
            DomainError::Invalid { field, message } => {
                DomainError::Invalid { field: field.replacen("breaks", &format!("breaks[{i}]"), 1), message }
            }
            other => other,
        })?;
    }
    regenerate_work_periods(&mut tx, caller, id, during).await?;
    core::update_event(&mut tx, caller.org, id, row.parent_id, during, row.status, &row.properties).await?;
    let after = load(&mut tx, caller, id).await?;
    record(&mut tx, caller, &after, ChangeKind::ShiftBreaksChanged, change_payload(&before, &after, undoes)).await?;
    attention::refresh_workers(&mut tx, caller, &[(before.worker_id, during)]).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Adds a work period by hand; from then on the shift's work periods are the ones entered, no longer
/// generated around its breaks.
pub async fn add_work_period(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    let period = Interval::new(start, end).map_err(|e| DomainError::invalid("end", e.to_string()))?;
    retrying(|| apply_add_work_period(pool, caller, id, expected_version, period)).await
}

async fn apply_add_work_period(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    period: Interval,
) -> DomainResult<ShiftView> {
    let mut tx = crate::store::begin(pool).await?;
    let (row, before) = lock_for_edit(&mut tx, caller, id, expected_version).await?;
    if !row.during().contains(&period) {
        return Err(DomainError::invalid("start", "a work period lies inside its shift"));
    }
    sqlx::query("DELETE FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'work_period' AND properties @> '{\"generated\": true}'")
        .bind(caller.org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let manual: Vec<Interval> = work_periods(&mut tx, caller, id).await?;
    if manual.iter().any(|p| p.overlaps(&period)) {
        return Err(DomainError::invalid("start", "overlaps another work period of this shift"));
    }
    core::insert_event(
        &mut tx,
        caller.org,
        NewEvent {
            kind: EventKind::WorkPeriod,
            parent: Some(id),
            during: period,
            status: EventStatus::Active,
            properties: json!({ "generated": false }),
        },
    )
    .await?;
    core::update_event(&mut tx, caller.org, id, row.parent_id, row.during(), row.status, &row.properties).await?;
    let after = load(&mut tx, caller, id).await?;
    record(&mut tx, caller, &after, ChangeKind::ShiftWorkPeriodAdded, json!({ "before": before, "after": after })).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

pub async fn list(pool: &PgPool, caller: &Caller, filter: &ShiftFilter) -> DomainResult<Vec<ShiftView>> {
    crate::date_range::require_optional_instant("from", filter.from)?;
    crate::date_range::require_optional_instant("to", filter.to)?;
    // A worker may list their own shifts, and sees only the published ones.
    if caller.access.role.allows(Action::ReadOrganisation) || !filter.worker_id.is_some_and(|w| caller.access.is_worker(w)) {
        caller.require(Action::ReadOrganisation)?;
        return list_unchecked(pool, caller, filter).await;
    }
    let own = list_unchecked(pool, caller, filter).await?;
    known_to_worker(pool, caller, own).await
}

pub(crate) async fn list_unchecked(pool: &PgPool, caller: &Caller, filter: &ShiftFilter) -> DomainResult<Vec<ShiftView>> {
    let mut conn = pool.acquire().await?;
    let (location, from, to) = match filter.schedule_id {
        Some(schedule) => {
            let row = sqlx::query_as::<_, (EntityId, DateTime<Utc>, Option<DateTime<Utc>>)>(
                "SELECT p.entity_id, e.start_time, e.end_time FROM events e
                   JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id AND p.participation_type = 'location'
                  WHERE e.org_id = $1 AND e.id = $2 AND e.event_type = 'schedule'",
            )
            .bind(caller.org)
            .bind(schedule)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| DomainError::not_found("schedule", schedule))?;
            (Some(row.0), Some(row.1), row.2)
        }
        None => (filter.location_id, filter.from, filter.to),
    };
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT e.id FROM events e
           JOIN participations w ON w.org_id = e.org_id AND w.event_id = e.id AND w.participation_type = 'worker'
           JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location'
          WHERE e.org_id = $1 AND e.event_type = 'shift'
            AND ($2::uuid IS NULL OR w.entity_id = $2)
            AND ($3::uuid IS NULL OR l.entity_id = $3)
            AND ($4::text IS NULL OR e.status = $4)
            AND ($5::timestamptz IS NULL OR e.end_time > $5)
            AND ($6::timestamptz IS NULL OR e.start_time < $6)
          ORDER BY e.start_time, e.id
          LIMIT 5000",
    )
    .bind(caller.org)
    .bind(filter.worker_id)
    .bind(location)
    .bind(filter.status.map(|s| s.as_str()))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    load_many(&mut conn, caller, &ids).await
}

/// The shift columns every load reads; the `WHERE` differs by how many are wanted.
macro_rules! shift_select {
    ($which:literal) => {
        concat!(
            "SELECT e.id, e.parent_id AS employment_id, e.start_time, e.end_time, e.status, e.version,
                    e.properties ->> 'role' AS role, e.properties ->> 'notes' AS notes,
                    w.entity_id AS worker_id, we.name AS worker_name, l.entity_id AS location_id
               FROM events e
               JOIN participations w ON w.org_id = e.org_id AND w.event_id = e.id AND w.participation_type = 'worker'
               JOIN entities we ON we.org_id = e.org_id AND we.id = w.entity_id
               JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location'
              WHERE e.org_id = $1 AND e.event_type = 'shift' AND ",
            $which
        )
    };
}

macro_rules! children_select {
    ($which:literal) => {
        concat!(
            "SELECT parent_id, id, event_type, start_time, end_time, coalesce((properties ->> 'paid')::boolean, false)
               FROM events WHERE org_id = $1 AND event_type IN ('break', 'work_period') AND status <> 'cancelled' AND ",
            $which,
            " ORDER BY start_time"
        )
    };
}

/// The shift event's own columns.
#[derive(sqlx::FromRow)]
pub(crate) struct ShiftEventRow {
    pub id: EventId,
    pub employment_id: Option<EventId>,
    pub start_time: DateTime<Utc>,
    pub end_time: Option<DateTime<Utc>>,
    pub status: EventStatus,
    pub version: i32,
    pub role: Option<String>,
    pub notes: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ShiftRow {
    #[sqlx(flatten)]
    pub event: ShiftEventRow,
    pub worker_id: EntityId,
    pub worker_name: String,
    pub location_id: EntityId,
}

/// A break or work period: (shift, id, kind, start, end, paid).
pub(crate) type ChildRow = (EventId, EventId, String, DateTime<Utc>, DateTime<Utc>, bool);

/// Loads shifts with their breaks, work periods and hours, in two queries whatever their number, in the
/// order asked for.
pub async fn load_many(conn: &mut PgConnection, caller: &Caller, ids: &[Uuid]) -> DomainResult<Vec<ShiftView>> {
    let mut rows: Vec<ShiftRow> =
        sqlx::query_as(shift_select!("e.id = ANY ($2)")).bind(caller.org).bind(ids).fetch_all(&mut *conn).await?;
    let children: Vec<ChildRow> =
        sqlx::query_as(children_select!("parent_id = ANY ($2)")).bind(caller.org).bind(ids).fetch_all(&mut *conn).await?;
    let position: HashMap<Uuid, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| position.get(&r.event.id.0).copied().unwrap_or(usize::MAX));
    Ok(assemble(rows, children))
}

/// Every live shift of the organisation overlapping [from, to). Range scans and joins in memory rather
/// than a lookup per shift: shifts last at most a day (a checked invariant) and everything nested in or
/// taking part in one lies inside it, so events, participations and children are each read by time
/// through one index.
pub async fn live_in_period(
    conn: &mut PgConnection,
    caller: &Caller,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<ShiftView>> {
    let events: Vec<ShiftEventRow> = sqlx::query_as(
        "SELECT id, parent_id AS employment_id, start_time, end_time, status, version,
                properties ->> 'role' AS role, properties ->> 'notes' AS notes
           FROM events
          WHERE org_id = $1 AND event_type = 'shift' AND status <> 'cancelled'
            AND start_time >= $2::timestamptz - interval '24 hours' AND start_time < $3 AND end_time > $2
          ORDER BY start_time, id",
    )
    .bind(caller.org)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let taking_part: Vec<(EventId, bool, EntityId)> = sqlx::query_as(
        "SELECT event_id, participation_type = 'worker', entity_id FROM participations
          WHERE org_id = $1 AND event_type = 'shift' AND participation_type IN ('worker', 'location')
            AND lower(during) >= $2::timestamptz - interval '24 hours' AND lower(during) < $3::timestamptz + interval '24 hours'",
    )
    .bind(caller.org)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut workers: HashMap<EventId, EntityId> = HashMap::with_capacity(events.len());
    let mut locations: HashMap<EventId, EntityId> = HashMap::with_capacity(events.len());
    for (event, is_worker, entity) in taking_part {
        if is_worker {
            workers.insert(event, entity);
        } else {
            locations.insert(event, entity);
        }
    }
    let mut worker_ids: Vec<Uuid> = workers.values().map(|w| w.0).collect();
    worker_ids.sort_unstable();
    worker_ids.dedup();
    let names: HashMap<EntityId, String> =
        sqlx::query_as::<_, (EntityId, String)>("SELECT id, name FROM entities WHERE org_id = $1 AND id = ANY ($2)")
            .bind(caller.org)
            .bind(&worker_ids)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let children: Vec<ChildRow> =
        sqlx::query_as(children_select!("start_time >= $2::timestamptz - interval '24 hours' AND start_time < $3"))
            .bind(caller.org)
            .bind(from)
            .bind(to)
            .fetch_all(&mut *conn)
            .await?;
    let rows = events
        .into_iter()
        .filter_map(|e| {
            let worker_id = *workers.get(&e.id)?;
            Some(ShiftRow {
                worker_name: names.get(&worker_id).cloned().unwrap_or_default(),
                location_id: *locations.get(&e.id)?,
                worker_id,
                event: e,
            })
        })
        .collect();
    Ok(assemble(rows, children))
}

/// Of a worker's shifts, those the worker may know of: published ones, and those cancelled after they
/// had been published (so the worker learns of it). A draft, or a draft cancelled before publishing,
/// never shows.
pub(crate) async fn known_to_worker(pool: &PgPool, caller: &Caller, shifts: Vec<ShiftView>) -> DomainResult<Vec<ShiftView>> {
    let cancelled: Vec<Uuid> = shifts.iter().filter(|s| s.status == EventStatus::Cancelled).map(|s| s.id.0).collect();
    let once_published: HashSet<Uuid> = if cancelled.is_empty() {
        HashSet::new()
    } else {
        sqlx::query_scalar(
            "SELECT DISTINCT stream_id FROM changes
              WHERE org_id = $1 AND stream_id = ANY ($2)
                AND (kind = $3 OR payload -> 'after' ->> 'status' = ANY ($4))",
        )
        .bind(caller.org)
        .bind(&cancelled)
        .bind(crate::change_kind::ChangeKind::ShiftPublished.as_str())
        .bind(crate::access::PUBLISHED.map(EventStatus::as_str).to_vec())
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect()
    };
    Ok(shifts.into_iter().filter(|s| crate::access::known_to_its_worker(s.status) || once_published.contains(&s.id.0)).collect())
}

/// One shift. Its own statements, not `load_many` with one id: PostgreSQL re-plans an `= ANY ($2)`
/// statement on every run when it cannot tell the array's size, which tripled the cost of a move.
async fn load(conn: &mut PgConnection, caller: &Caller, id: EventId) -> DomainResult<ShiftView> {
    let row: Option<ShiftRow> =
        sqlx::query_as(shift_select!("e.id = $2")).bind(caller.org).bind(id).fetch_optional(&mut *conn).await?;
    let row = row.ok_or_else(|| DomainError::not_found("shift", id))?;
    let children: Vec<ChildRow> =
        sqlx::query_as(children_select!("parent_id = $2")).bind(caller.org).bind(id).fetch_all(&mut *conn).await?;
    Ok(assemble(vec![row], children).remove(0))
}

/// Shift views from their rows and their children's, wherever those were read.
pub(crate) fn assemble(rows: Vec<ShiftRow>, children: Vec<ChildRow>) -> Vec<ShiftView> {
    let mut breaks: HashMap<EventId, Vec<BreakView>> = HashMap::new();
    let mut periods: HashMap<EventId, Vec<Interval>> = HashMap::new();
    for (shift, id, kind, start, end, paid) in children {
        let during = Interval { start, end: Some(end) };
        if kind == "break" {
            breaks.entry(shift).or_default().push(BreakView { id, during, paid });
        } else {
            periods.entry(shift).or_default().push(during);
        }
    }
    rows.into_iter()
        .map(|ShiftRow { event: e, worker_id, worker_name, location_id }| {
            let during = Interval { start: e.start_time, end: e.end_time };
            let breaks = breaks.remove(&e.id).unwrap_or_default();
            let spans: Vec<BreakSpan> = breaks.iter().map(|b| BreakSpan { during: b.during, paid: b.paid }).collect();
            ShiftView {
                id: e.id,
                worker_id,
                worker_name,
                location_id,
                employment_id: e.employment_id,
                during,
                status: e.status,
                role: e.role,
                notes: e.notes,
                version: e.version,
                hours: shift_hours(&during, &spans),
                breaks,
                work_periods: periods.remove(&e.id).unwrap_or_default(),
            }
        })
        .collect()
}

/// A change's before and after state, and the version it reverses if it is an undo.
fn change_payload(before: &ShiftView, after: &ShiftView, undoes: Option<i32>) -> Value {
    let mut payload = json!({ "before": before, "after": after });
    if let Some(version) = undoes {
        payload["undoes"] = json!(version);
    }
    payload
}

async fn record(
    conn: &mut PgConnection,
    caller: &Caller,
    shift: &ShiftView,
    kind: ChangeKind,
    payload: Value,
) -> DomainResult<()> {
    debug_assert_eq!(kind.stream(), StreamType::Shift, "{kind:?}");
    changes::record(conn, caller.org, &caller.actor, kind, shift.id.0, shift.version, payload).await
}

async fn insert_break(
    conn: &mut PgConnection,
    caller: &Caller,
    shift: EventId,
    shift_during: Interval,
    new: &NewBreak,
) -> DomainResult<()> {
    let during = Interval::new(new.start, new.end).map_err(|e| DomainError::invalid("breaks.end", e.to_string()))?;
    if !shift_during.contains(&during) {
        return Err(DomainError::invalid("breaks.start", "a break lies inside its shift"));
    }
    let clash: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'break'
            AND status <> 'cancelled' AND tstzrange(start_time, end_time) && tstzrange($3, $4))",
    )
    .bind(caller.org)
    .bind(shift)
    .bind(during.start)
    .bind(during.end)
    .fetch_one(&mut *conn)
    .await?;
    if clash {
        return Err(DomainError::invalid("breaks.start", "overlaps another break of this shift"));
    }
    core::insert_event(
        conn,
        caller.org,
        NewEvent {
            kind: EventKind::Break,
            parent: Some(shift),
            during,
            status: EventStatus::Active,
            properties: json!({ "paid": new.paid }),
        },
    )
    .await?;
    Ok(())
}

async fn work_periods(conn: &mut PgConnection, caller: &Caller, shift: EventId) -> DomainResult<Vec<Interval>> {
    let rows: Vec<(DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT start_time, end_time FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'work_period' AND status <> 'cancelled'",
    )
    .bind(caller.org)
    .bind(shift)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(start, end)| Interval { start, end: Some(end) }).collect())
}

/// Work periods are the shift less its breaks, unless someone entered them by hand.
async fn regenerate_work_periods(conn: &mut PgConnection, caller: &Caller, shift: EventId, during: Interval) -> DomainResult<()> {
    let entered_by_hand: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'work_period'
            AND status <> 'cancelled' AND properties @> '{\"generated\": false}')",
    )
    .bind(caller.org)
    .bind(shift)
    .fetch_one(&mut *conn)
    .await?;
    if entered_by_hand {
        return Ok(());
    }
    sqlx::query("DELETE FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'work_period'")
        .bind(caller.org)
        .bind(shift)
        .execute(&mut *conn)
        .await?;
    let breaks: Vec<(DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT start_time, end_time FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'break' AND status <> 'cancelled'",
    )
    .bind(caller.org)
    .bind(shift)
    .fetch_all(&mut *conn)
    .await?;
    let holes: Vec<Interval> = breaks.into_iter().map(|(start, end)| Interval { start, end: Some(end) }).collect();
    for piece in subtract_all(&during, &holes) {
        core::insert_event(
            conn,
            caller.org,
            NewEvent {
                kind: EventKind::WorkPeriod,
                parent: Some(shift),
                during: piece,
                status: EventStatus::Active,
                properties: json!({ "generated": true }),
            },
        )
        .await?;
    }
    Ok(())
}

async fn ensure_entity(conn: &mut PgConnection, caller: &Caller, id: EntityId, entity_type: &'static str) -> DomainResult<()> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM entities WHERE org_id = $1 AND id = $2 AND entity_type = $3)")
            .bind(caller.org)
            .bind(id)
            .bind(entity_type)
            .fetch_one(conn)
            .await?;
    if exists {
        Ok(())
    } else {
        Err(DomainError::not_found(entity_type, id))
    }
}

fn outside_employment(worker: EntityId, during: Interval) -> DomainError {
    let message = "The shift falls outside the worker's employment.".to_string();
    let conflict = Conflict {
        kind: ConflictKind::OutsideEmployment,
        severity: ConflictKind::OutsideEmployment.severity(),
        worker,
        shifts: vec![],
        span: during,
        message: message.clone(),
    };
    DomainError::RuleViolation { message, conflicts: vec![conflict] }
}

fn shift_properties(role: Option<&str>, notes: Option<&str>) -> Value {
    let mut properties = json!({});
    merge_text(&mut properties, "role", role);
    merge_text(&mut properties, "notes", notes);
    properties
}

/// Sets a text property; an empty string clears it.
fn merge_text(properties: &mut Value, key: &str, value: Option<&str>) {
    let Some(map) = properties.as_object_mut() else { return };
    match value.map(str::trim) {
        Some("") => {
            map.remove(key);
        }
        Some(v) => {
            map.insert(key.to_string(), Value::String(v.to_string()));
        }
        None => {}
    }
}

/// Explains a refused double booking with the active shifts it clashed with (read after the failed
/// transaction has rolled back).
pub async fn explain_double_booking(
    pool: &PgPool,
    caller: &Caller,
    err: DomainError,
    worker: EntityId,
    during: Interval,
    except: Option<EventId>,
) -> DomainError {
    let DomainError::DoubleBooked { message, .. } = err else {
        return err;
    };
    let clashing: Vec<EventId> = sqlx::query_scalar(
        "SELECT event_id FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'shift' AND participation_type = 'worker'
            AND event_status IN ('active', 'completed') AND during && tstzrange($3, $4, '[)')
            AND event_id IS DISTINCT FROM $5",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(during.start)
    .bind(during.end)
    .bind(except)
    .fetch_all(pool)
    .await
    .unwrap_or_default();
    DomainError::DoubleBooked { message, clashing_shifts: clashing }
}
