//! The server decides: every drop, key-press commit, copy, drawing and undo goes through one of these
//! server functions, which call the same services as the HTTP API. A refusal or a stale version is an
//! answer the calendar shows, not an error.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use mosaic::ids::{EntityId, EventId};
use mosaic::views::{AttentionItemView, ShiftView};
use serde::{Deserialize, Serialize};

/// What became of a change the calendar sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    Saved(ShiftView),
    /// Someone changed the shift since the calendar read it: here it is now, and who did it.
    Stale {
        current: ShiftView,
        changed_by: String,
        changed_at: Option<DateTime<Utc>>,
    },
    /// A rule or the database refused it; nothing was written.
    Refused {
        reason: String,
    },
}

#[cfg(feature = "ssr")]
async fn decided(
    pool: &sqlx::PgPool,
    caller: &mosaic::services::Caller,
    shift: Option<EventId>,
    result: mosaic::store::DomainResult<ShiftView>,
) -> Result<Outcome, ServerFnError> {
    use mosaic::store::DomainError;
    match (result, shift) {
        (Ok(view), _) => Ok(Outcome::Saved(view)),
        (Err(DomainError::StaleVersion { .. }), Some(id)) => {
            let current = mosaic::services::shifts::get(pool, caller, id).await.map_err(crate::auth::shown)?;
            let last = mosaic::services::history::latest_change(pool, caller, id.0).await.map_err(crate::auth::shown)?;
            Ok(Outcome::Stale {
                current,
                changed_by: last.as_ref().map(|c| c.actor.clone()).unwrap_or_else(|| "someone".into()),
                changed_at: last.map(|c| c.recorded_at),
            })
        }
        (Err(DomainError::Database(e)), _) => Err(crate::auth::shown(DomainError::Database(e))),
        (Err(refusal), _) => Ok(Outcome::Refused { reason: refusal.to_string() }),
    }
}

/// Move, stretch or reassign: the shift's new bounds and worker, with the version the calendar saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftChange {
    pub id: EventId,
    pub expected_version: i32,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub worker_id: EntityId,
}

#[server(prefix = "/rpc", endpoint = "change_shift", input = Json)]
pub async fn change_shift(change: ShiftChange) -> Result<Outcome, ServerFnError> {
    use mosaic::services::shifts::{update, ShiftPatch};
    let (caller, pool) = crate::auth::signed_in()?;
    let patch = ShiftPatch {
        expected_version: change.expected_version,
        start: Some(change.start),
        end: Some(change.end),
        worker_id: Some(change.worker_id),
        ..ShiftPatch::default()
    };
    let result = update(&pool, &caller, change.id, patch).await;
    decided(&pool, &caller, Some(change.id), result).await
}

/// A copy of a shift (role, notes and breaks with it) as a new draft for `worker_id` starting at `start`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftCopy {
    pub id: EventId,
    pub start: DateTime<Utc>,
    pub worker_id: EntityId,
}

#[server(prefix = "/rpc", endpoint = "copy_shift", input = Json)]
pub async fn copy_shift(copy: ShiftCopy) -> Result<Outcome, ServerFnError> {
    use mosaic::services::shifts::{create_opening_week, get, NewBreak, NewShift};
    let (caller, pool) = crate::auth::signed_in()?;
    let original = match get(&pool, &caller, copy.id).await {
        Ok(shift) => shift,
        Err(e) => return decided(&pool, &caller, None, Err(e)).await,
    };
    let offset = copy.start - original.during.start;
    let length = original.during.duration().unwrap_or_default();
    let new = NewShift {
        worker_id: copy.worker_id,
        location_id: original.location_id,
        start: copy.start,
        end: copy.start + length,
        role: original.role.clone(),
        position_id: original.position.as_ref().map(|p| p.id),
        notes: original.notes.clone(),
        breaks: original
            .breaks
            .iter()
            .filter_map(|b| Some(NewBreak { start: b.during.start + offset, end: b.during.end? + offset, paid: b.paid }))
            .collect(),
    };
    let result = create_opening_week(&pool, &caller, new).await;
    decided(&pool, &caller, None, result).await
}

/// A new draft drawn on a worker's row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrawnShift {
    pub worker_id: EntityId,
    pub location_id: EntityId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[server(prefix = "/rpc", endpoint = "create_drawn_shift", input = Json)]
pub async fn create_drawn_shift(drawn: DrawnShift) -> Result<Outcome, ServerFnError> {
    use mosaic::services::shifts::{create_opening_week, NewShift};
    let (caller, pool) = crate::auth::signed_in()?;
    let new = NewShift {
        worker_id: drawn.worker_id,
        location_id: drawn.location_id,
        start: drawn.start,
        end: drawn.end,
        role: None,
        position_id: None,
        notes: None,
        breaks: vec![],
    };
    let result = create_opening_week(&pool, &caller, new).await;
    decided(&pool, &caller, None, result).await
}

/// Reverses the shift's latest change with a new change (the log stays append-only).
#[server(prefix = "/rpc", endpoint = "undo_shift_change", input = Json)]
pub async fn undo_shift_change(id: EventId, expected_version: i32) -> Result<Outcome, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let result = mosaic::services::shifts::undo(&pool, &caller, id, expected_version).await;
    decided(&pool, &caller, Some(id), result).await
}

/// The open conflicts over the organisation's week, after a change may have opened or closed some.
#[server(prefix = "/rpc", endpoint = "open_conflicts", input = Json)]
pub async fn open_conflicts(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<AttentionItemView>, ServerFnError> {
    use mosaic::services::attention::{list_open, AttentionFilter};
    let (caller, pool) = crate::auth::signed_in()?;
    let filter = AttentionFilter { worker_id: None, from: Some(from), to: Some(to) };
    list_open(&pool, &caller, &filter).await.map_err(crate::auth::shown)
}

/// The edit panel's fields: times, worker, position, role and notes (an empty text clears it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftEdit {
    pub id: EventId,
    pub expected_version: i32,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub worker_id: EntityId,
    pub position_id: Option<EntityId>,
    pub role: String,
    pub notes: String,
}

#[server(prefix = "/rpc", endpoint = "edit_shift", input = Json)]
pub async fn edit_shift(edit: ShiftEdit) -> Result<Outcome, ServerFnError> {
    use mosaic::services::shifts::{update, ShiftPatch};
    let (caller, pool) = crate::auth::signed_in()?;
    let patch = ShiftPatch {
        expected_version: edit.expected_version,
        start: Some(edit.start),
        end: Some(edit.end),
        worker_id: Some(edit.worker_id),
        role: Some(edit.role),
        position_id: Some(edit.position_id),
        notes: Some(edit.notes),
    };
    let result = update(&pool, &caller, edit.id, patch).await;
    decided(&pool, &caller, Some(edit.id), result).await
}

/// One break as the panel sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelBreak {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub paid: bool,
}

#[server(prefix = "/rpc", endpoint = "set_shift_breaks", input = Json)]
pub async fn set_shift_breaks(id: EventId, expected_version: i32, breaks: Vec<PanelBreak>) -> Result<Outcome, ServerFnError> {
    use mosaic::services::shifts::{set_breaks, NewBreak};
    let (caller, pool) = crate::auth::signed_in()?;
    let breaks = breaks.into_iter().map(|b| NewBreak { start: b.start, end: b.end, paid: b.paid }).collect();
    let result = set_breaks(&pool, &caller, id, expected_version, breaks).await;
    decided(&pool, &caller, Some(id), result).await
}

#[server(prefix = "/rpc", endpoint = "cancel_shift", input = Json)]
pub async fn cancel_shift(id: EventId, expected_version: i32) -> Result<Outcome, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let result = mosaic::services::shifts::cancel(&pool, &caller, id, expected_version).await;
    decided(&pool, &caller, Some(id), result).await
}

/// A shift planned from a template on a worker's row and a local day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplatePlan {
    pub template: uuid::Uuid,
    pub worker_id: EntityId,
    pub location_id: EntityId,
    pub day: chrono::NaiveDate,
}

#[server(prefix = "/rpc", endpoint = "plan_template", input = Json)]
pub async fn plan_template(plan: TemplatePlan) -> Result<Outcome, ServerFnError> {
    use mosaic::services::shift_templates::{plan as plan_from, PlanFromTemplate};
    let (caller, pool) = crate::auth::signed_in()?;
    let request = PlanFromTemplate { worker_id: plan.worker_id, location_id: plan.location_id, day: plan.day };
    let result = plan_from(&pool, &caller, plan.template, request).await;
    decided(&pool, &caller, None, result).await
}
