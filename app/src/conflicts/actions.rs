//! The board's server functions: each calls the same service as the HTTP API, and a refusal comes back
//! as the service's message.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use mosaic::ids::{EntityId, EventId};
use mosaic::views::{AttentionItemView, ChangeView, ConflictBoardView, CoverView, ShiftView};

/// The board under the page's filters; each comes from the query string and may be missing or malformed.
#[server(prefix = "/rpc", endpoint = "load_conflict_board")]
pub async fn load_board(
    location: Option<String>,
    kind: Option<String>,
    severity: Option<String>,
) -> Result<ConflictBoardView, ServerFnError> {
    use mosaic::rules::{ConflictKind, Severity};
    use mosaic::services::conflict_board::{board, BoardFilter};
    let (caller, pool) = crate::auth::signed_in()?;
    let given = |s: Option<String>| s.filter(|s| !s.is_empty());
    let filter = BoardFilter {
        location_id: match given(location) {
            Some(s) => Some(s.parse::<EntityId>().map_err(|_| ServerFnError::new("location: not a location id"))?),
            None => None,
        },
        kind: match given(kind) {
            Some(s) => Some(ConflictKind::parse(&s).ok_or_else(|| ServerFnError::new("kind: not a kind of conflict"))?),
            None => None,
        },
        severity: match given(severity).as_deref() {
            Some("hard") => Some(Severity::Hard),
            Some("warning") => Some(Severity::Warning),
            Some(_) => return Err(ServerFnError::new("severity: hard or warning")),
            None => None,
        },
    };
    board(&pool, &caller, &filter).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "acknowledge_conflict", input = Json)]
pub async fn acknowledge(id: uuid::Uuid, reason: String) -> Result<AttentionItemView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::conflict_board::acknowledge(&pool, &caller, id, &reason).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "conflict_history", input = Json)]
pub async fn history(id: uuid::Uuid) -> Result<Vec<ChangeView>, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::conflict_board::history(&pool, &caller, id).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "conflict_cover", input = Json)]
pub async fn cover(id: uuid::Uuid) -> Result<Vec<CoverView>, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::conflict_board::cover(&pool, &caller, id).await.map_err(crate::auth::shown)
}

/// Gives the shift to another worker, at the version the board showed.
#[server(prefix = "/rpc", endpoint = "reassign_conflicting_shift", input = Json)]
pub async fn reassign(id: EventId, expected_version: i32, worker_id: EntityId) -> Result<ShiftView, ServerFnError> {
    use mosaic::services::shifts::{update, ShiftPatch};
    let (caller, pool) = crate::auth::signed_in()?;
    let patch = ShiftPatch { expected_version, worker_id: Some(worker_id), ..ShiftPatch::default() };
    update(&pool, &caller, id, patch).await.map_err(crate::auth::shown)
}

/// Shortens or moves the shift to new times, at the version the board showed.
#[server(prefix = "/rpc", endpoint = "retime_conflicting_shift", input = Json)]
pub async fn retime(
    id: EventId,
    expected_version: i32,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> Result<ShiftView, ServerFnError> {
    use mosaic::services::shifts::{update, ShiftPatch};
    let (caller, pool) = crate::auth::signed_in()?;
    let patch = ShiftPatch { expected_version, start: Some(start), end: Some(end), ..ShiftPatch::default() };
    update(&pool, &caller, id, patch).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "cancel_conflicting_shift", input = Json)]
pub async fn cancel(id: EventId, expected_version: i32) -> Result<ShiftView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::shifts::cancel(&pool, &caller, id, expected_version).await.map_err(crate::auth::shown)
}
