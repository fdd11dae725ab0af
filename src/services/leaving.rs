//! People leave and places close, and both stay in history. Removing a worker from an instant cancels
//! their drafts after it and ends their employments there; closing a location from an instant leaves
//! what came before. Neither may strand a published shift, which a manager reassigns or cancels first
//! (the people on it were told of it). From then on PostgreSQL refuses any planning past the instant
//! (`participations_not_after_inactive`); timesheets, pay, time travel and the log keep the past.
//! Restoring a worker or reopening a location clears the instant; a restored worker is planned again
//! once they have a new employment.

use super::{attention, employments, locations, shifts, workers, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::store::{changes, retrying, DomainError, DomainResult};
use crate::views::{LocationView, WorkerView};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

/// Removes the worker from `from` on: their drafts after it are cancelled and their employments end
/// there. Refused while a published shift of theirs reaches past it.
pub async fn remove_worker(
    pool: &PgPool,
    caller: &Caller,
    id: EntityId,
    expected_version: i32,
    from: DateTime<Utc>,
) -> DomainResult<WorkerView> {
    caller.require(Action::ManagePeople)?;
    crate::date_range::require_instant("from", from)?;
    retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let before = workers::lock_row(&mut tx, caller, id, expected_version).await?;
        if before.removed_from.is_some() {
            return Err(DomainError::Conflict {
                code: "already_removed",
                message: format!("{} is already removed.", before.name),
            });
        }
        refuse_published(&mut tx, caller, id, "worker", from, &before.name).await?;
        let mut touched: Vec<(EntityId, Interval)> = Vec::new();
        for draft in reaching(&mut tx, caller, id, "worker", "draft", from).await? {
            if let Some(shift) = shifts::cancel_draft_in(&mut tx, caller, draft).await? {
                touched.push((shift.worker_id, shift.during));
            }
        }
        employments::end_all_from(&mut tx, caller, id, from).await?;
        let after = workers::set_removed(&mut tx, caller, &before, Some(from)).await?;
        let payload = json!({ "before": before, "after": after });
        changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::WorkerRemoved, id.0, after.version, payload).await?;
        match touched.is_empty() {
            true => workers::lock(&mut tx, caller.org, &[id]).await?,
            false => attention::refresh_workers(&mut tx, caller, &touched).await?,
        }
        crate::store::commit(tx, pool).await?;
        Ok(after)
    })
    .await
}

/// Brings a removed worker back into the pickers; they are planned again once they have a new employment.
pub async fn restore_worker(pool: &PgPool, caller: &Caller, id: EntityId, expected_version: i32) -> DomainResult<WorkerView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let before = workers::lock_row(&mut tx, caller, id, expected_version).await?;
    if before.removed_from.is_none() {
        return Err(DomainError::Conflict { code: "not_removed", message: format!("{} has not been removed.", before.name) });
    }
    let after = workers::set_removed(&mut tx, caller, &before, None).await?;
    let payload = json!({ "before": before, "after": after });
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::WorkerRestored, id.0, after.version, payload).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Closes the location from `from` on. Refused while a schedule or a published shift there reaches past
/// it: the schedule is withdrawn or archived, or the location closed after it ends.
pub async fn close_location(
    pool: &PgPool,
    caller: &Caller,
    id: EntityId,
    expected_version: i32,
    from: DateTime<Utc>,
) -> DomainResult<LocationView> {
    caller.require(Action::ManagePeople)?;
    crate::date_range::require_instant("from", from)?;
    let mut tx = crate::store::begin(pool).await?;
    let before = locations::lock_row(&mut tx, caller, id, expected_version).await?;
    if before.closed_from.is_some() {
        return Err(DomainError::Conflict { code: "already_closed", message: format!("{} is already closed.", before.name) });
    }
    refuse_published(&mut tx, caller, id, "location", from, &before.name).await?;
    let schedules: Vec<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT upper(during) FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'schedule' AND participation_type = 'location'
            AND event_status IN ('draft', 'active') AND upper(during) > $3
          ORDER BY upper(during) DESC",
    )
    .bind(caller.org)
    .bind(id)
    .bind(from)
    .fetch_all(&mut *tx)
    .await?;
    if let Some(last) = schedules.first() {
        return Err(DomainError::Conflict {
            code: "has_schedules",
            message: format!(
                "{} has {} schedule(s) running until {}; withdraw or archive them, or close it from then.",
                before.name,
                schedules.len(),
                day_of(*last, &before)
            ),
        });
    }
    let after = locations::set_closed(&mut tx, caller, &before, Some(from)).await?;
    let payload = json!({ "before": before, "after": after });
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::LocationClosed, id.0, after.version, payload).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

pub async fn reopen_location(pool: &PgPool, caller: &Caller, id: EntityId, expected_version: i32) -> DomainResult<LocationView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let before = locations::lock_row(&mut tx, caller, id, expected_version).await?;
    if before.closed_from.is_none() {
        return Err(DomainError::Conflict { code: "not_closed", message: format!("{} is not closed.", before.name) });
    }
    let after = locations::set_closed(&mut tx, caller, &before, None).await?;
    let payload = json!({ "before": before, "after": after });
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::LocationReopened, id.0, after.version, payload).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// A published shift of the worker, or at the location, that reaches past `from` stops the command.
async fn refuse_published(
    conn: &mut PgConnection,
    caller: &Caller,
    entity: EntityId,
    participation: &str,
    from: DateTime<Utc>,
    name: &str,
) -> DomainResult<()> {
    let published = reaching(conn, caller, entity, participation, "active", from).await?;
    if published.is_empty() {
        return Ok(());
    }
    Err(DomainError::Conflict {
        code: "has_published_shifts",
        message: format!(
            "{name} has {} published shift(s) after that time; reassign or cancel them first, or choose a later time.",
            published.len()
        ),
    })
}

/// Shifts in `status` the entity takes part in that end after `from`, earliest first.
async fn reaching(
    conn: &mut PgConnection,
    caller: &Caller,
    entity: EntityId,
    participation: &str,
    status: &str,
    from: DateTime<Utc>,
) -> DomainResult<Vec<EventId>> {
    Ok(sqlx::query_scalar(
        "SELECT event_id FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'shift' AND participation_type = $3
            AND event_status = $4 AND upper(during) > $5
          ORDER BY lower(during)",
    )
    .bind(caller.org)
    .bind(entity)
    .bind(participation)
    .bind(status)
    .bind(from)
    .fetch_all(conn)
    .await?)
}

/// `Sun 13 Dec 2026` on the location's calendar.
fn day_of(t: DateTime<Utc>, location: &LocationView) -> String {
    t.with_timezone(&location.zone()).format("%a %-d %b %Y").to_string()
}
