//! Withdrawing a draft schedule nobody will publish: the schedule, its draft shifts and its draft open
//! shifts are cancelled in one command. It sits above both `schedules` and `shifts` (shifts need their schedule open, so
//! schedules cannot call back into shifts).

use super::schedules::{draft_shifts, get, schedule_location};
use super::{attention, shifts, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::store::changes;
use crate::store::core;
use crate::store::{DomainError, DomainResult};
use crate::views::ScheduleView;
use serde_json::json;
use sqlx::PgPool;

/// Withdraws a draft schedule nobody will publish: it and its draft shifts are cancelled (kept in the
/// log and in time travel), and the attention items about those shifts close.
pub async fn withdraw(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<ScheduleView> {
    caller.require(Action::Publish)?;
    crate::store::retrying(|| apply_withdraw(pool, caller, id, expected_version)).await
}

async fn apply_withdraw(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<ScheduleView> {
    let mut tx = crate::store::begin(pool).await?;
    let row = core::lock_event(&mut tx, caller.org, EventKind::Schedule, id, Some(expected_version)).await?;
    if row.status != EventStatus::Draft {
        return Err(DomainError::invalid("status", "only a draft schedule can be withdrawn; archive a published one"));
    }
    let location = schedule_location(&mut tx, caller, id).await?;
    let drafts = draft_shifts(&mut tx, caller, location, row.during()).await?;
    let mut cancelled = Vec::new();
    let mut touched: Vec<(EntityId, Interval)> = Vec::new();
    for draft in &drafts {
        if let Some(shift) = shifts::cancel_draft_in(&mut tx, caller, draft.id).await? {
            touched.push((shift.worker_id, shift.during));
            cancelled.push(shift.id);
        }
    }
    super::open_shifts::withdraw_drafts_in(&mut tx, caller, location, row.during()).await?;
    let version =
        core::update_event(&mut tx, caller.org, id, None, row.during(), EventStatus::Cancelled, &row.properties).await?;
    changes::record(
        &mut tx,
        caller.org,
        &caller.actor,
        ChangeKind::ScheduleWithdrawn,
        id.0,
        version,
        json!({ "cancelled_shifts": cancelled }),
    )
    .await?;
    attention::refresh_workers(&mut tx, caller, &touched).await?;
    crate::store::commit(tx, pool).await?;
    get(pool, caller, id).await
}
