//! Undo: a shift's latest change reversed by a new change, so the log stays append-only.

use super::children::set_breaks_undoing;
use super::commands::{cancel_undoing, update_undoing};
use super::edit::{Intent, Target};
use super::reads::get;
use super::{NewBreak, ShiftPatch};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::EventId;
use crate::kinds::EventStatus;
use crate::services::Caller;
use crate::store::{DomainError, DomainResult};
use crate::views::ShiftView;
use serde_json::Value;
use sqlx::PgPool;

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
            cancel_undoing(pool, caller, id, expected_version, Some(expected_version)).await
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
                position_id: Some(before.position.as_ref().map(|p| p.id)),
                notes: Some(before.notes.clone().unwrap_or_default()),
            };
            update_undoing(pool, caller, id, &patch, Some(expected_version)).await
        }
        Some(ChangeKind::ShiftBreakAdded | ChangeKind::ShiftBreaksChanged) => {
            let before: ShiftView = serde_json::from_value(payload["before"].clone())
                .map_err(|_| cannot("This change was recorded without its earlier state, so it"))?;
            let breaks: Vec<NewBreak> = before
                .breaks
                .iter()
                .filter_map(|b| Some(NewBreak { start: b.during.start, end: b.during.end?, paid: b.paid }))
                .collect();
            let target = Target { id, expected_version, intent: Intent::Change, undoes: Some(expected_version) };
            set_breaks_undoing(pool, caller, target, &breaks).await
        }
        Some(ChangeKind::ShiftCancelled) => Err(cannot("A cancellation")),
        Some(ChangeKind::ShiftPublished) => Err(cannot("Publishing (it belongs to the whole schedule)")),
        _ => Err(cannot("Adding a work period")),
    }
}
