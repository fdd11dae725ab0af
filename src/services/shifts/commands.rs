//! Planning a shift, changing it (move, resize, reassign, edit) and cancelling it.

use super::children::regenerate_work_periods;
use super::edit::{edit, lock_for_edit, record_edit, Edited, Intent, Locked, Target, Tx};
use super::reads::{get, load};
use super::{NewShift, ShiftPatch};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::rules::{shift_interval, Conflict, ConflictKind};
use crate::services::{attention, employments, positions, schedules, Caller};
use crate::store::core::{self, EventRow};
use crate::store::{retrying, DomainError, DomainResult};
use crate::views::ShiftView;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

pub async fn create(pool: &PgPool, caller: &Caller, new: NewShift) -> DomainResult<ShiftView> {
    caller.require_at(Action::EditDrafts, new.location_id)?;
    retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let after = insert_draft(&mut tx, caller, &new).await?;
        attention::refresh_workers(&mut tx, caller, &[(after.worker_id, after.during)]).await?;
        crate::store::commit(tx, pool).await?;
        Ok(after)
    })
    .await
}

/// A draft planned on the calendar (drawn, or copied with a modifier key): where no schedule at the
/// location covers the local week of its start, a draft schedule for that week opens in the same
/// transaction, as copying a week does.
pub async fn create_opening_week(pool: &PgPool, caller: &Caller, new: NewShift) -> DomainResult<ShiftView> {
    caller.require_at(Action::EditDrafts, new.location_id)?;
    let location = crate::services::locations::get(pool, caller, new.location_id).await?;
    let tz = location.zone();
    let starts = crate::services::organisations::week_starts_on(&mut *pool.acquire().await?, caller.org).await?;
    let week = crate::local_time::local_week(starts.first_day_of(new.start.with_timezone(&tz).date_naive()), tz);
    retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        schedules::open_draft_unless_planned(&mut tx, caller, new.location_id, week).await?;
        let after = insert_draft(&mut tx, caller, &new).await?;
        attention::refresh_workers(&mut tx, caller, &[(after.worker_id, after.during)]).await?;
        crate::store::commit(tx, pool).await?;
        Ok(after)
    })
    .await
}

/// Plans a draft shift inside the caller's transaction: the shift, its breaks and work periods and its
/// change (`drafts::insert_drafts` with one). The caller brings the worker's attention items in step once
/// all its rows are written (`attention::refresh_workers`).
pub(crate) async fn insert_draft(tx: &mut PgConnection, caller: &Caller, new: &NewShift) -> DomainResult<ShiftView> {
    let mut planned = super::drafts::insert_drafts(tx, caller, std::slice::from_ref(new)).await?;
    planned.remove(0)
}

pub async fn update(pool: &PgPool, caller: &Caller, id: EventId, patch: ShiftPatch) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    match update_undoing(pool, caller, id, &patch, None).await {
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

/// `undoes`: the version whose change this update reverses (an undo), or none.
pub(super) async fn update_undoing(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    patch: &ShiftPatch,
    undoes: Option<i32>,
) -> DomainResult<ShiftView> {
    let target = Target { id, expected_version: patch.expected_version, intent: Intent::Change, undoes };
    edit(pool, caller, target, move |mut tx: Tx, Locked { row, before }: Locked| async move {
        let status = row.status;
        let start = patch.start.unwrap_or(before.during.start);
        let end = patch.end.or(before.during.end).unwrap_or(start);
        let during = shift_interval(start, end).map_err(|(field, msg)| DomainError::invalid(field, msg))?;
        let worker = patch.worker_id.unwrap_or(before.worker_id);
        if worker != before.worker_id {
            ensure_entity(&mut *tx, caller, worker, "worker").await?;
        }
        let mut properties = row.properties.clone();
        merge_text(&mut properties, "role", patch.role.as_deref());
        merge_text(&mut properties, "notes", patch.notes.as_deref());
        core::check_properties(&mut *tx, caller.org, EventKind::Shift, &properties).await?;
        if during != before.during {
            schedules::open_schedule_at(&mut *tx, caller, before.location_id, during.start).await?;
        }

        let employment = employments::containing(&mut *tx, caller, worker, during).await?;
        if employment.is_none() && status == EventStatus::Active {
            return Err(outside_employment(worker, during));
        }

        let moved_whole = before.during.duration() == during.duration() && before.during != during;
        core::update_event(&mut *tx, caller.org, id, employment, during, status, &properties).await?;
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
            regenerate_work_periods(&mut *tx, caller, id, during).await?;
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
        if let Some(position) = patch.position_id {
            ask_for_position(&mut tx, caller, id, before.position.as_ref().map(|p| p.id), position).await?;
        }
        if patch.role.is_some() {
            sqlx::query("UPDATE participations SET role = $3 WHERE org_id = $1 AND event_id = $2 AND participation_type = 'worker'")
                .bind(caller.org)
                .bind(id)
                .bind(properties.get("role").and_then(Value::as_str))
                .execute(&mut *tx)
                .await?;
        }

        let kind = if worker != before.worker_id {
            ChangeKind::ShiftReassigned
        } else if moved_whole {
            ChangeKind::ShiftMoved
        } else if during != before.during {
            ChangeKind::ShiftResized
        } else {
            ChangeKind::ShiftUpdated
        };
        let touched = vec![(worker, before.during), (worker, during), (before.worker_id, before.during)];
        Ok((tx, Edited { kind, touched }))
    })
    .await
}

pub async fn cancel(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    cancel_undoing(pool, caller, id, expected_version, None).await
}

/// `undoes`: the version whose change this cancellation reverses (undoing a new draft), or none.
pub(super) async fn cancel_undoing(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    undoes: Option<i32>,
) -> DomainResult<ShiftView> {
    let target = Target { id, expected_version, intent: Intent::Cancel, undoes };
    edit(pool, caller, target, move |mut tx: Tx, Locked { row, before }: Locked| async move {
        cancel_rows(&mut tx, caller, &row).await?;
        Ok((tx, Edited { kind: ChangeKind::ShiftCancelled, touched: vec![(before.worker_id, before.during)] }))
    })
    .await
}

/// Cancels a draft shift inside the caller's transaction (withdrawing its schedule); a shift no longer a
/// draft is left alone. The caller refreshes the worker's attention items once all its rows are written.
pub(crate) async fn cancel_draft_in(tx: &mut PgConnection, caller: &Caller, id: EventId) -> DomainResult<Option<ShiftView>> {
    let row = core::lock_event(&mut *tx, caller.org, EventKind::Shift, id, None).await?;
    if row.status != EventStatus::Draft {
        return Ok(None);
    }
    let before = load(&mut *tx, caller, id).await?;
    cancel_rows(&mut *tx, caller, &row).await?;
    Ok(Some(record_edit(tx, caller, &before, ChangeKind::ShiftCancelled, None).await?))
}

/// Cancels a shift inside the caller's transaction with the checks `cancel` makes (the version the
/// caller saw, drafts a scheduler's and published shifts a manager's); the shift as it was. The caller
/// refreshes the worker's attention items once all its rows are written.
pub(crate) async fn cancel_in(
    tx: &mut PgConnection,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
) -> DomainResult<ShiftView> {
    let target = Target { id, expected_version, intent: Intent::Cancel, undoes: None };
    let Locked { row, before } = lock_for_edit(&mut *tx, caller, target).await?;
    cancel_rows(&mut *tx, caller, &row).await?;
    record_edit(&mut *tx, caller, &before, ChangeKind::ShiftCancelled, None).await?;
    Ok(before)
}

/// Gives a shift to another worker inside the caller's transaction, as the calendar's reassignment does
/// (the same checks, the same change); the shift before and after. The caller judges the rules and
/// refreshes the workers' attention items once all its rows are written.
pub(crate) async fn reassign_in(
    tx: &mut PgConnection,
    caller: &Caller,
    id: EventId,
    worker: EntityId,
) -> DomainResult<(ShiftView, ShiftView)> {
    let current = core::lock_event(&mut *tx, caller.org, EventKind::Shift, id, None).await?.version;
    let target = Target { id, expected_version: current, intent: Intent::Change, undoes: None };
    let Locked { row, before } = lock_for_edit(&mut *tx, caller, target).await?;
    let employment = employments::containing(&mut *tx, caller, worker, before.during).await?;
    if employment.is_none() && row.status == EventStatus::Active {
        return Err(outside_employment(worker, before.during));
    }
    core::update_event(&mut *tx, caller.org, id, employment, before.during, row.status, &row.properties).await?;
    sqlx::query("UPDATE participations SET entity_id = $3 WHERE org_id = $1 AND event_id = $2 AND participation_type = 'worker'")
        .bind(caller.org)
        .bind(id)
        .bind(worker)
        .execute(&mut *tx)
        .await?;
    let after = record_edit(&mut *tx, caller, &before, ChangeKind::ShiftReassigned, None).await?;
    Ok((before, after))
}

/// Publishes one draft inside the caller's transaction, as publishing its week would (a place of a
/// published open shift taken). The database judges the double booking; the caller refreshes the
/// worker's attention items.
pub(crate) async fn publish_in(tx: &mut PgConnection, caller: &Caller, draft: &ShiftView) -> DomainResult<ShiftView> {
    let version: i32 = sqlx::query_scalar(
        "UPDATE events SET status = 'active', version = version + 1
          WHERE org_id = $1 AND id = $2 AND status = 'draft' RETURNING version",
    )
    .bind(caller.org)
    .bind(draft.id)
    .fetch_one(&mut *tx)
    .await?;
    let payload = json!({ "worker_id": draft.worker_id });
    crate::store::changes::record(&mut *tx, caller.org, &caller.actor, ChangeKind::ShiftPublished, draft.id.0, version, payload)
        .await?;
    load(&mut *tx, caller, draft.id).await
}

/// Cancels a locked shift with its breaks and work periods.
async fn cancel_rows(tx: &mut PgConnection, caller: &Caller, row: &EventRow) -> DomainResult<()> {
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE org_id = $1 AND parent_id = $2 AND status <> 'cancelled'")
        .bind(caller.org)
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    core::update_event(&mut *tx, caller.org, row.id, row.parent_id, row.during(), EventStatus::Cancelled, &row.properties)
        .await?;
    Ok(())
}

/// Makes the shift ask for `position` (or for none) instead of what it asked for before.
async fn ask_for_position(
    tx: &mut PgConnection,
    caller: &Caller,
    shift: EventId,
    before: Option<EntityId>,
    position: Option<EntityId>,
) -> DomainResult<()> {
    if before == position {
        return Ok(());
    }
    sqlx::query("DELETE FROM participations WHERE org_id = $1 AND event_id = $2 AND participation_type = 'position'")
        .bind(caller.org)
        .bind(shift)
        .execute(&mut *tx)
        .await?;
    if let Some(position) = position {
        positions::askable(&mut *tx, caller, position, "position_id").await?;
        core::add_participation(&mut *tx, caller.org, shift, position, "position", None).await?;
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

pub(super) fn outside_employment(worker: EntityId, during: Interval) -> DomainError {
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

pub(super) fn shift_properties(role: Option<&str>, notes: Option<&str>) -> Value {
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
