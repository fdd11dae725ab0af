use super::error::ApiResult;
use super::extract::{Json, Query};
use super::ApiState;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use mosaic::services::attention::{self, AttentionFilter};
use mosaic::views::AttentionItemView;

pub fn router() -> Router<ApiState> {
    Router::new().route("/attention-items", get(list))
}

/// Open conflicts for the manager's board, newest first.
#[utoipa::path(get, path = "/api/v1/attention-items", tag = "attention", params(AttentionFilter),
    responses((status = 200, body = [AttentionItemView])))]
pub async fn list(State(s): State<ApiState>, Query(filter): Query<AttentionFilter>) -> ApiResult<Json<Vec<AttentionItemView>>> {
    Ok(Json(attention::list_open(&s.pool, &s.caller, &filter).await?))
}
