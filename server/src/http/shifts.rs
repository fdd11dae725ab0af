use super::error::{ApiError, ApiResult};
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth, ExpectedVersion};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use mosaic::ids::EventId;
use mosaic::services::calendar;
use mosaic::services::shifts::{self, NewBreak, NewShift, ShiftFilter, ShiftPatch};
use mosaic::services::week_copy::{self, CopyWeek, WeekCopy};
use mosaic::views::ShiftView;
use serde::Deserialize;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/shifts", get(list).post(create))
        .route("/shifts/copy-week", post(copy_week))
        .route("/shifts/{id}", get(show).patch(update))
        .route("/shifts/{id}/cancel", post(cancel))
        .route("/shifts/{id}/undo", post(undo))
        .route("/shifts/{id}/breaks", post(add_break).put(set_breaks))
        .route("/shifts/{id}/work-periods", post(add_work_period))
        .route("/organisation-week", get(organisation_week))
}

/// Shifts by worker, location, schedule, status and time (at most 5,000, in time order).
#[utoipa::path(get, path = "/api/v1/shifts", tag = "shifts", params(ShiftFilter), responses((status = 200, body = [ShiftView])))]
pub async fn list(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(filter): Query<ShiftFilter>,
) -> ApiResult<Json<Vec<ShiftView>>> {
    Ok(Json(shifts::list(&s.pool, &caller, &filter).await?))
}

/// Creates a draft shift inside the worker's employment and a schedule of the location.
#[utoipa::path(post, path = "/api/v1/shifts", tag = "shifts", request_body = NewShift,
    responses((status = 201, body = ShiftView), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn create(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewShift>,
) -> ApiResult<(StatusCode, Json<ShiftView>)> {
    Ok((StatusCode::CREATED, Json(shifts::create(&s.pool, &caller, new).await?)))
}

/// Copies a location's week into another week as drafts, at the same local times; says which shifts it
/// left out and why. Copying twice adds nothing.
#[utoipa::path(post, path = "/api/v1/shifts/copy-week", tag = "shifts", request_body = CopyWeek,
    responses((status = 201, body = WeekCopy), (status = 403, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn copy_week(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(request): Json<CopyWeek>,
) -> ApiResult<(StatusCode, Json<WeekCopy>)> {
    Ok((StatusCode::CREATED, Json(week_copy::copy_week(&s.pool, &caller, request).await?)))
}

/// Reverses the shift's latest change (the version given must still be the latest) with a new change
/// that restores the earlier state: a move, resize, reassignment or edit goes back; a new draft is
/// cancelled. `payload.undoes` in the log names the version reversed.
#[utoipa::path(post, path = "/api/v1/shifts/{id}/undo", tag = "shifts", params(("id" = EventId, Path)), request_body = ExpectedVersion,
    responses((status = 200, body = ShiftView), (status = 404, body = super::error::ErrorBody),
              (status = 409, description = "`cannot_undo`, or the earlier state is double-booked now", body = super::error::ErrorBody),
              (status = 412, description = "Someone changed the shift since", body = super::error::ErrorBody)))]
pub async fn undo(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(body): Json<ExpectedVersion>,
) -> ApiResult<Json<ShiftView>> {
    Ok(Json(shifts::undo(&s.pool, &caller, id, body.expected_version).await?))
}

/// A shift with its breaks, work periods and hours.
#[utoipa::path(get, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = EventId, Path)),
    responses((status = 200, body = ShiftView), (status = 404, body = super::error::ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<EventId>) -> ApiResult<Json<ShiftView>> {
    Ok(Json(shifts::get(&s.pool, &caller, id).await?))
}

/// Moves, resizes or reassigns a shift, given the version the caller last saw.
#[utoipa::path(patch, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = EventId, Path)), request_body = ShiftPatch,
    responses(
        (status = 200, body = ShiftView),
        (status = 409, description = "The worker is already booked; `details.clashing_shifts` names the shifts", body = super::error::ErrorBody),
        (status = 412, description = "Someone changed the shift first; `details.current_version`", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody)))]
pub async fn update(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(patch): Json<ShiftPatch>,
) -> ApiResult<Json<ShiftView>> {
    Ok(Json(shifts::update(&s.pool, &caller, id, patch).await?))
}

#[utoipa::path(post, path = "/api/v1/shifts/{id}/cancel", tag = "shifts", params(("id" = EventId, Path)), request_body = ExpectedVersion,
    responses((status = 200, body = ShiftView), (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn cancel(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(body): Json<ExpectedVersion>,
) -> ApiResult<Json<ShiftView>> {
    Ok(Json(shifts::cancel(&s.pool, &caller, id, body.expected_version).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakRequest {
    expected_version: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    #[serde(default)]
    paid: bool,
}

#[utoipa::path(post, path = "/api/v1/shifts/{id}/breaks", tag = "shifts", params(("id" = EventId, Path)), request_body = BreakRequest,
    responses((status = 201, body = ShiftView), (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn add_break(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(b): Json<BreakRequest>,
) -> ApiResult<(StatusCode, Json<ShiftView>)> {
    let view = shifts::add_break(&s.pool, &caller, id, b.expected_version, NewBreak { start: b.start, end: b.end, paid: b.paid })
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreaksRequest {
    expected_version: i32,
    breaks: Vec<NewBreak>,
}

/// Replaces all of the shift's breaks (add, move and remove in one change); a refusal names `breaks[i]`.
#[utoipa::path(put, path = "/api/v1/shifts/{id}/breaks", tag = "shifts", params(("id" = EventId, Path)), request_body = BreaksRequest,
    responses((status = 200, body = ShiftView), (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn set_breaks(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(b): Json<BreaksRequest>,
) -> ApiResult<Json<ShiftView>> {
    Ok(Json(shifts::set_breaks(&s.pool, &caller, id, b.expected_version, b.breaks).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkPeriodRequest {
    expected_version: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

#[utoipa::path(post, path = "/api/v1/shifts/{id}/work-periods", tag = "shifts", params(("id" = EventId, Path)), request_body = WorkPeriodRequest,
    responses((status = 201, body = ShiftView), (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn add_work_period(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(p): Json<WorkPeriodRequest>,
) -> ApiResult<(StatusCode, Json<ShiftView>)> {
    let view = shifts::add_work_period(&s.pool, &caller, id, p.expected_version, p.start, p.end).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// The first instant of the week.
    start: DateTime<Utc>,
}

/// Every live shift of the organisation in the seven days from `start`.
#[utoipa::path(get, path = "/api/v1/organisation-week", tag = "shifts", params(WeekQuery), responses((status = 200, body = [ShiftView])))]
pub async fn organisation_week(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(q): Query<WeekQuery>,
) -> ApiResult<Json<Vec<ShiftView>>> {
    calendar::organisation_week(&s.pool, &caller, q.start).await.map(Json).map_err(ApiError::from)
}
