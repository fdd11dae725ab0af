//! `/workers/{id}/availability`: when a worker can work — a weekly pattern from a day on, and one-off
//! exceptions. A worker states their own; a manager anyone's.

use super::error::{ApiResult, ErrorBody};
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use mosaic::ids::{EntityId, EventId};
use mosaic::services::availability::{self, NewException, NewPattern};
use mosaic::views::time_off::{AvailabilityExceptionView, AvailabilityView};
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/workers/{id}/availability", get(show).put(set_pattern))
        .route("/workers/{id}/availability/exceptions", post(add_exception))
        .route("/availability-exceptions/{id}", delete(remove_exception))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FromQuery {
    /// Only exceptions ending after this instant (every one when left out).
    from: Option<DateTime<Utc>>,
}

#[utoipa::path(get, path = "/api/v1/workers/{id}/availability", tag = "availability", params(("id" = EntityId, Path), FromQuery),
    responses((status = 200, body = AvailabilityView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Query(query): Query<FromQuery>,
) -> ApiResult<Json<AvailabilityView>> {
    Ok(Json(availability::of_worker(&s.pool, &caller, id, query.from).await?))
}

/// Sets the weekly pattern from `first_day` on: it ends the one in force then, and replaces one that
/// started the same day.
#[utoipa::path(put, path = "/api/v1/workers/{id}/availability", tag = "availability", params(("id" = EntityId, Path)), request_body = NewPattern,
    responses((status = 200, body = AvailabilityView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn set_pattern(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(pattern): Json<NewPattern>,
) -> ApiResult<Json<AvailabilityView>> {
    Ok(Json(availability::set_pattern(&s.pool, &caller, id, pattern).await?))
}

/// A one-off exception: unavailable then (`available: false`), or available after all.
#[utoipa::path(post, path = "/api/v1/workers/{id}/availability/exceptions", tag = "availability", params(("id" = EntityId, Path)),
    request_body = NewException,
    responses((status = 201, body = AvailabilityExceptionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn add_exception(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(exception): Json<NewException>,
) -> ApiResult<(StatusCode, Json<AvailabilityExceptionView>)> {
    Ok((StatusCode::CREATED, Json(availability::add_exception(&s.pool, &caller, id, exception).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VersionQuery {
    expected_version: i32,
}

#[utoipa::path(delete, path = "/api/v1/availability-exceptions/{id}", tag = "availability", params(("id" = Uuid, Path), VersionQuery),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 412, body = ErrorBody)))]
pub async fn remove_exception(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Query(query): Query<VersionQuery>,
) -> ApiResult<StatusCode> {
    availability::remove_exception(&s.pool, &caller, EventId(id), query.expected_version).await?;
    Ok(StatusCode::NO_CONTENT)
}
