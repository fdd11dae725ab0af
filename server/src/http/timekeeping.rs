//! Timekeeping over HTTP: the caller's own clock, supervisors' corrections, and timesheets with their
//! approval.

use super::error::ApiResult;
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::{NaiveDate, Utc};
use mosaic::ids::EntityId;
use mosaic::services::timekeeping::{self, NewPunch, PunchCorrection};
use mosaic::services::timesheets;
use mosaic::views::time::{ApprovalOutcome, ClockView, PunchView, TeamWeekView, TimesheetView};
use serde::Deserialize;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/me/clock", get(my_clock).post(clock))
        .route("/punch-corrections", post(correct))
        .route("/workers/{id}/timesheet", get(timesheet))
        .route("/workers/{id}/timesheet/approve", post(approve))
        .route("/timesheets", get(team_week))
        .route("/timesheets/approvals", post(approve_several))
}

/// Whether the caller is clocked in, since when, and today's punches.
#[utoipa::path(get, path = "/api/v1/me/clock", tag = "timekeeping",
    responses((status = 200, body = ClockView), (status = 401, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn my_clock(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<ClockView>> {
    Ok(Json(timekeeping::my_clock(&s.pool, &caller, Utc::now()).await?))
}

/// Clocks the caller in or out now, with an optional note and location. A second clock-in while one is
/// open is refused (409); a clock-out with nothing open is kept, for a supervisor to look at.
#[utoipa::path(post, path = "/api/v1/me/clock", tag = "timekeeping", request_body = NewPunch,
    responses((status = 201, body = PunchView), (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn clock(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewPunch>,
) -> ApiResult<(StatusCode, Json<PunchView>)> {
    Ok((StatusCode::CREATED, Json(timekeeping::clock(&s.pool, &caller, new, Utc::now()).await?)))
}

/// Adds, replaces or voids a worker's punch with a reason (managers and admins). The punch corrected is
/// never changed: the correction is a new punch naming it.
#[utoipa::path(post, path = "/api/v1/punch-corrections", tag = "timekeeping", request_body = PunchCorrection,
    responses((status = 201, body = PunchView), (status = 403, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody),
              (status = 422, body = super::error::ErrorBody)))]
pub async fn correct(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(correction): Json<PunchCorrection>,
) -> ApiResult<(StatusCode, Json<PunchView>)> {
    Ok((StatusCode::CREATED, Json(timekeeping::correct(&s.pool, &caller, correction, Utc::now()).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// Any day of the week (`2026-03-04`), in the organisation's time zone; this week if left out.
    week: Option<NaiveDate>,
}

/// A worker's week, planned against actual, day by day; with its approval and payroll pieces once
/// approved. Workers may read their own.
#[utoipa::path(get, path = "/api/v1/workers/{id}/timesheet", tag = "timekeeping", params(("id" = EntityId, Path), WeekQuery),
    responses((status = 200, body = TimesheetView), (status = 403, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody)))]
pub async fn timesheet(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Query(q): Query<WeekQuery>,
) -> ApiResult<Json<TimesheetView>> {
    Ok(Json(timesheets::week(&s.pool, &caller, id, q.week).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveWeek {
    /// Any day of the week to approve.
    pub week: NaiveDate,
}

/// Approves the week: its periods are priced into payroll pieces and the week is locked. Refused (409)
/// while a clock-out is missing or already approved; 422 while a worked hour has no pay rate.
#[utoipa::path(post, path = "/api/v1/workers/{id}/timesheet/approve", tag = "timekeeping", params(("id" = EntityId, Path)),
    request_body = ApproveWeek,
    responses((status = 200, body = TimesheetView), (status = 403, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody),
              (status = 422, body = super::error::ErrorBody)))]
pub async fn approve(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(body): Json<ApproveWeek>,
) -> ApiResult<Json<TimesheetView>> {
    Ok(Json(timesheets::approve(&s.pool, &caller, id, body.week, chrono::Utc::now()).await?))
}

/// Every worker's week with something planned or clocked: planned, clocked and overtime hours, and
/// whether it is approved, ready to approve, blocked (and why) or not over yet. Managers and admins.
#[utoipa::path(get, path = "/api/v1/timesheets", tag = "timekeeping", params(WeekQuery),
    responses((status = 200, body = TeamWeekView), (status = 403, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn team_week(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(q): Query<WeekQuery>,
) -> ApiResult<Json<TeamWeekView>> {
    Ok(Json(timesheets::team_week(&s.pool, &caller, q.week, Utc::now()).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveWeeks {
    /// Any day of the week to approve.
    pub week: NaiveDate,
    /// Whose weeks: at most 500.
    pub worker_ids: Vec<EntityId>,
}

/// Approves several workers' weeks, each on its own: the answer says, worker by worker, whether it was
/// approved or why not (the week not over, already approved, a clock-out missing, no pay rate).
#[utoipa::path(post, path = "/api/v1/timesheets/approvals", tag = "timekeeping", request_body = ApproveWeeks,
    responses((status = 200, body = Vec<ApprovalOutcome>), (status = 403, body = super::error::ErrorBody),
              (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn approve_several(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(body): Json<ApproveWeeks>,
) -> ApiResult<Json<Vec<ApprovalOutcome>>> {
    Ok(Json(timesheets::approve_several(&s.pool, &caller, &body.worker_ids, body.week, Utc::now()).await?))
}
