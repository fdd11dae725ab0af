use super::error::ApiResult;
use super::extract::{Json, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use mosaic::services::history;
use mosaic::store::changes::Cursor;
use mosaic::views::ChangeView;
use serde::Deserialize;

pub fn router() -> Router<ApiState> {
    Router::new().route("/changes", get(list))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ChangesQuery {
    /// The `cursor` of the last change already read; from the beginning if left out.
    after: Option<String>,
    /// At most this many (1–1000, default 100).
    limit: Option<i64>,
}

/// The change log after a cursor, in commit-safe order: no change is ever skipped by following it.
#[utoipa::path(get, path = "/api/v1/changes", tag = "changes", params(ChangesQuery),
    responses((status = 200, body = [ChangeView]), (status = 422, body = super::error::ErrorBody)))]
pub async fn list(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(q): Query<ChangesQuery>,
) -> ApiResult<Json<Vec<ChangeView>>> {
    let after = match q.after.as_deref() {
        Some(cursor) => Cursor::parse(cursor)?,
        None => Cursor::default(),
    };
    Ok(Json(history::changes_after(&s.pool, &caller, after, q.limit.unwrap_or(100)).await?))
}
