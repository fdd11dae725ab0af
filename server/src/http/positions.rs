use super::error::ApiResult;
use super::extract::{Json, Path};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use chrono::Utc;
use mosaic::ids::EntityId;
use mosaic::services::positions::{self, NewPosition, PositionPatch};
use mosaic::services::roster::{self, HeldPositions};
use mosaic::views::positions::PositionView;
use mosaic::views::WorkerView;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/positions", get(list).post(create))
        .route("/positions/{id}", axum::routing::patch(update))
        .route("/positions/{id}/retire", post(retire))
        .route("/positions/{id}/restore", post(restore))
        .route("/workers/{id}/positions", put(set_held))
}

#[utoipa::path(get, path = "/api/v1/positions", tag = "positions", responses((status = 200, body = [PositionView])))]
pub async fn list(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<Vec<PositionView>>> {
    Ok(Json(positions::list(&s.pool, &caller).await?))
}

#[utoipa::path(post, path = "/api/v1/positions", tag = "positions", request_body = NewPosition,
    responses((status = 201, body = PositionView), (status = 409, body = super::error::ErrorBody),
              (status = 422, body = super::error::ErrorBody)))]
pub async fn create(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewPosition>,
) -> ApiResult<(StatusCode, Json<PositionView>)> {
    Ok((StatusCode::CREATED, Json(positions::create(&s.pool, &caller, new).await?)))
}

/// Renames or recolours a position; the shifts that ask for it follow.
#[utoipa::path(patch, path = "/api/v1/positions/{id}", tag = "positions", params(("id" = EntityId, Path)),
    request_body = PositionPatch,
    responses((status = 200, body = PositionView), (status = 404, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 412, body = super::error::ErrorBody),
              (status = 422, body = super::error::ErrorBody)))]
pub async fn update(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(patch): Json<PositionPatch>,
) -> ApiResult<Json<PositionView>> {
    Ok(Json(positions::update(&s.pool, &caller, id, patch).await?))
}

/// Retires a position now: no new shift asks for it; the shifts that do, and its holders, keep it.
#[utoipa::path(post, path = "/api/v1/positions/{id}/retire", tag = "positions", params(("id" = EntityId, Path)),
    request_body = super::ExpectedVersion,
    responses((status = 200, body = PositionView), (status = 404, body = super::error::ErrorBody),
              (status = 412, body = super::error::ErrorBody)))]
pub async fn retire(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(body): Json<super::ExpectedVersion>,
) -> ApiResult<Json<PositionView>> {
    Ok(Json(positions::set_retired(&s.pool, &caller, id, body.expected_version, true, Utc::now()).await?))
}

#[utoipa::path(post, path = "/api/v1/positions/{id}/restore", tag = "positions", params(("id" = EntityId, Path)),
    request_body = super::ExpectedVersion,
    responses((status = 200, body = PositionView), (status = 404, body = super::error::ErrorBody),
              (status = 412, body = super::error::ErrorBody)))]
pub async fn restore(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(body): Json<super::ExpectedVersion>,
) -> ApiResult<Json<PositionView>> {
    Ok(Json(positions::set_retired(&s.pool, &caller, id, body.expected_version, false, Utc::now()).await?))
}

/// Sets every position the worker holds at once. Their drafts are re-judged; letting go of a position
/// a published shift still to come asks of them is refused (409 `position_needed`).
#[utoipa::path(put, path = "/api/v1/workers/{id}/positions", tag = "positions", params(("id" = EntityId, Path)),
    request_body = HeldPositions,
    responses((status = 200, body = WorkerView), (status = 404, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 412, body = super::error::ErrorBody),
              (status = 422, body = super::error::ErrorBody)))]
pub async fn set_held(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(held): Json<HeldPositions>,
) -> ApiResult<Json<WorkerView>> {
    Ok(Json(roster::set_positions(&s.pool, &caller, id, held, Utc::now()).await?))
}
