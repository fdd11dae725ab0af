//! `/time-off`: workers ask for time off and withdraw it; managers approve or decline with a note.

use super::error::{ApiResult, ErrorBody};
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use mosaic::ids::EventId;
use mosaic::services::time_off::{self, Decision, NewTimeOff, TimeOffFilter};
use mosaic::views::time_off::TimeOffView;
use uuid::Uuid;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/time-off", get(list).post(request))
        .route("/time-off/{id}", get(show))
        .route("/time-off/{id}/approve", post(approve))
        .route("/time-off/{id}/decline", post(decline))
        .route("/time-off/{id}/cancel", post(cancel))
}

/// Requests by start. A worker sees only their own; a manager everyone's.
#[utoipa::path(get, path = "/api/v1/time-off", tag = "time off", params(TimeOffFilter),
    responses((status = 200, body = [TimeOffView]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(filter): Query<TimeOffFilter>,
) -> ApiResult<Json<Vec<TimeOffView>>> {
    Ok(Json(time_off::list(&s.pool, &caller, &filter).await?))
}

/// Asks for time off: whole days (`first_day`, `last_day`, in the organisation's zone) or hours
/// (`start`, `end`). For oneself, or (a manager) for a named worker.
#[utoipa::path(post, path = "/api/v1/time-off", tag = "time off", request_body = NewTimeOff,
    responses((status = 201, body = TimeOffView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn request(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewTimeOff>,
) -> ApiResult<(StatusCode, Json<TimeOffView>)> {
    Ok((StatusCode::CREATED, Json(time_off::request(&s.pool, &caller, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/time-off/{id}", tag = "time off", params(("id" = Uuid, Path)),
    responses((status = 200, body = TimeOffView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<Uuid>) -> ApiResult<Json<TimeOffView>> {
    Ok(Json(time_off::get(&s.pool, &caller, EventId(id)).await?))
}

/// Approves a waiting request (managers). Refused (409) while published shifts of the worker fall in it.
#[utoipa::path(post, path = "/api/v1/time-off/{id}/approve", tag = "time off", params(("id" = Uuid, Path)), request_body = Decision,
    responses((status = 200, body = TimeOffView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn approve(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<TimeOffView>> {
    Ok(Json(time_off::approve(&s.pool, &caller, EventId(id), decision).await?))
}

/// Declines a waiting request (managers), with a note for the worker.
#[utoipa::path(post, path = "/api/v1/time-off/{id}/decline", tag = "time off", params(("id" = Uuid, Path)), request_body = Decision,
    responses((status = 200, body = TimeOffView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decline(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<TimeOffView>> {
    Ok(Json(time_off::decline(&s.pool, &caller, EventId(id), decision).await?))
}

/// Withdraws a request: the worker's own before it starts, or (managers) an approval until it ends.
#[utoipa::path(post, path = "/api/v1/time-off/{id}/cancel", tag = "time off", params(("id" = Uuid, Path)), request_body = Decision,
    responses((status = 200, body = TimeOffView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<TimeOffView>> {
    Ok(Json(time_off::cancel(&s.pool, &caller, EventId(id), decision, chrono::Utc::now()).await?))
}
