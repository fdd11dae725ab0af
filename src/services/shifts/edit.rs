//! The shape of every command on an existing shift, written once.

use super::reads::load;
use crate::change_kind::{ChangeKind, StreamType};
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::services::{attention, Caller};
use crate::store::changes;
use crate::store::core::{self, EventRow};
use crate::store::{retrying, DomainError, DomainResult};
use crate::views::ShiftView;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use std::future::Future;

/// Which shift a command changes, as the caller saw it, and what it does to it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Target {
    pub id: EventId,
    pub expected_version: i32,
    pub intent: Intent,
    /// The version whose change this command reverses (an undo), kept in the new change's payload.
    pub undoes: Option<i32>,
}

/// What a command does to a shift, as a refusal names it: "a cancelled shift cannot be changed".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Intent {
    Change,
    Cancel,
}

/// The shift as the command found it, locked: its own row and its view.
pub(super) struct Locked {
    pub row: EventRow,
    pub before: ShiftView,
}

/// What a command's own step did: the change to record, and the workers and spans whose attention items
/// it may have changed (none for what no rule reads, like a work period entered by hand).
pub(super) struct Edited {
    pub kind: ChangeKind,
    pub touched: Vec<(EntityId, Interval)>,
}

/// The command's transaction, handed to its step and back (owned: a step that borrowed it would make every
/// command's future Send only for some lifetimes, which axum's handlers cannot use).
pub(super) type Tx = sqlx::Transaction<'static, sqlx::Postgres>;

/// Runs `step` on the locked shift in one transaction, then records its change, brings the touched
/// workers' attention items in step (their locks are taken there, last) and commits; again after a
/// deadlock or serialisation failure.
pub(super) async fn edit<Step, Done>(pool: &PgPool, caller: &Caller, target: Target, step: Step) -> DomainResult<ShiftView>
where
    Step: Fn(Tx, Locked) -> Done,
    Done: Future<Output = DomainResult<(Tx, Edited)>>,
{
    retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let locked = lock_for_edit(&mut tx, caller, target).await?;
        let before = locked.before.clone();
        let (mut tx, edited) = step(tx, locked).await?;
        let after = record_edit(&mut tx, caller, &before, edited.kind, target.undoes).await?;
        attention::refresh_workers(&mut tx, caller, &edited.touched).await?;
        crate::store::commit(tx, pool).await?;
        Ok(after)
    })
    .await
}

/// Locks the shift at the version the caller saw, reads it as it is, and checks the caller may change it
/// (drafts at their locations, or published shifts) and that it can still change.
pub(super) async fn lock_for_edit(conn: &mut PgConnection, caller: &Caller, target: Target) -> DomainResult<Locked> {
    let row = core::lock_event(&mut *conn, caller.org, EventKind::Shift, target.id, Some(target.expected_version)).await?;
    let before = load(&mut *conn, caller, target.id).await?;
    require_edit(caller, row.status, before.location_id)?;
    require_editable(row.status, target.intent)?;
    Ok(Locked { row, before })
}

/// Drafts are a scheduler's to edit at their own locations; a published shift is a manager's.
fn require_edit(caller: &Caller, status: EventStatus, location: EntityId) -> DomainResult<()> {
    Ok(caller.access.require_shift_change(status, location)?)
}

/// A draft or published shift can change; a cancelled (or completed) one is history.
fn require_editable(status: EventStatus, intent: Intent) -> DomainResult<()> {
    if matches!(status, EventStatus::Draft | EventStatus::Active) {
        return Ok(());
    }
    let verb = match intent {
        Intent::Change => "changed",
        Intent::Cancel => "cancelled",
    };
    Err(DomainError::invalid("status", format!("a {} shift cannot be {verb}", status.as_str())))
}

/// Reads the shift as the command left it and appends its change, with the state before.
pub(super) async fn record_edit(
    conn: &mut PgConnection,
    caller: &Caller,
    before: &ShiftView,
    kind: ChangeKind,
    undoes: Option<i32>,
) -> DomainResult<ShiftView> {
    let after = load(&mut *conn, caller, before.id).await?;
    record(conn, caller, &after, kind, change_payload(before, &after, undoes)).await?;
    Ok(after)
}

/// A change's before and after state, and the version it reverses if it is an undo.
fn change_payload(before: &ShiftView, after: &ShiftView, undoes: Option<i32>) -> Value {
    let mut payload = json!({ "before": before, "after": after });
    if let Some(version) = undoes {
        payload["undoes"] = json!(version);
    }
    payload
}

/// Appends a change to the shift's stream at its new version.
pub(super) async fn record(
    conn: &mut PgConnection,
    caller: &Caller,
    shift: &ShiftView,
    kind: ChangeKind,
    payload: Value,
) -> DomainResult<()> {
    debug_assert_eq!(kind.stream(), StreamType::Shift, "{kind:?}");
    changes::record(conn, caller.org, &caller.actor, kind, shift.id.0, shift.version, payload).await
}
