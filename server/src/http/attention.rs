use super::error::ApiResult;
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use mosaic::services::attention::{self, AttentionFilter};
use mosaic::services::conflict_board::{self, BoardFilter};
use mosaic::views::{AttentionItemView, ChangeView, ConflictBoardView, CoverView};
use serde::Deserialize;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/attention-items", get(list))
        .route("/attention-items/{id}", get(show))
        .route("/attention-items/{id}/acknowledge", post(acknowledge))
        .route("/attention-items/{id}/history", get(history))
        .route("/attention-items/{id}/cover", get(cover))
        .route("/conflict-board", get(board))
}

/// Open conflicts for the manager's board, newest first.
#[utoipa::path(get, path = "/api/v1/attention-items", tag = "attention", params(AttentionFilter),
    responses((status = 200, body = [AttentionItemView])))]
pub async fn list(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(filter): Query<AttentionFilter>,
) -> ApiResult<Json<Vec<AttentionItemView>>> {
    Ok(Json(attention::list_open(&s.pool, &caller, &filter).await?))
}

#[utoipa::path(get, path = "/api/v1/attention-items/{id}", tag = "attention", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AttentionItemView), (status = 404, body = super::error::ErrorBody)))]
pub async fn show(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<uuid::Uuid>,
) -> ApiResult<Json<AttentionItemView>> {
    Ok(Json(attention::get(&s.pool, &caller, id).await?))
}

/// The manager's conflict board: open items with their workers and shifts, and counts per kind.
#[utoipa::path(get, path = "/api/v1/conflict-board", tag = "attention", params(BoardFilter),
    responses((status = 200, body = ConflictBoardView), (status = 403, body = super::error::ErrorBody)))]
pub async fn board(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(filter): Query<BoardFilter>,
) -> ApiResult<Json<ConflictBoardView>> {
    Ok(Json(conflict_board::board(&s.pool, &caller, &filter).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// Why the warning is acceptable; kept on the item and in the change log.
    reason: String,
}

/// Acknowledges a warning with a reason. Hard conflicts are refused (409): change their shifts instead.
#[utoipa::path(post, path = "/api/v1/attention-items/{id}/acknowledge", tag = "attention",
    params(("id" = uuid::Uuid, Path)), request_body = Acknowledgement,
    responses((status = 200, body = AttentionItemView), (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn acknowledge(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<Acknowledgement>,
) -> ApiResult<Json<AttentionItemView>> {
    Ok(Json(conflict_board::acknowledge(&s.pool, &caller, id, &body.reason).await?))
}

/// Every change to the item's shifts, and its acknowledgement, oldest first.
#[utoipa::path(get, path = "/api/v1/attention-items/{id}/history", tag = "attention", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = [ChangeView]), (status = 404, body = super::error::ErrorBody)))]
pub async fn history(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<uuid::Uuid>,
) -> ApiResult<Json<Vec<ChangeView>>> {
    Ok(Json(conflict_board::history(&s.pool, &caller, id).await?))
}

/// Who could take the item's latest shift over without a hard conflict, fewest warnings first.
#[utoipa::path(get, path = "/api/v1/attention-items/{id}/cover", tag = "attention", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = [CoverView]), (status = 404, body = super::error::ErrorBody)))]
pub async fn cover(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<uuid::Uuid>) -> ApiResult<Json<Vec<CoverView>>> {
    Ok(Json(conflict_board::cover(&s.pool, &caller, id).await?))
}
