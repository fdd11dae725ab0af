use super::error::ApiResult;
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use mosaic::services::attention::{self, AttentionFilter};
use mosaic::views::AttentionItemView;

pub fn router() -> Router<ApiState> {
    Router::new().route("/attention-items", get(list)).route("/attention-items/{id}", get(show))
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
