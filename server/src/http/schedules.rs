use super::error::ApiResult;
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth, ExpectedVersion};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use mosaic::ids::{EntityId, EventId};
use mosaic::services::schedule_withdrawal;
use mosaic::services::schedules::{self, NewSchedule};
use mosaic::views::ScheduleView;
use serde::Deserialize;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/schedules", get(list).post(create))
        .route("/schedules/{id}", get(show).patch(set_period))
        .route("/schedules/{id}/publish", post(publish))
        .route("/schedules/{id}/archive", post(archive))
        .route("/schedules/{id}/withdraw", post(withdraw))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    location_id: Option<EntityId>,
}

#[utoipa::path(get, path = "/api/v1/schedules", tag = "schedules", params(ScheduleQuery), responses((status = 200, body = [ScheduleView])))]
pub async fn list(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(q): Query<ScheduleQuery>,
) -> ApiResult<Json<Vec<ScheduleView>>> {
    Ok(Json(schedules::list(&s.pool, &caller, q.location_id).await?))
}

#[utoipa::path(post, path = "/api/v1/schedules", tag = "schedules", request_body = NewSchedule,
    responses((status = 201, body = ScheduleView), (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn create(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewSchedule>,
) -> ApiResult<(StatusCode, Json<ScheduleView>)> {
    Ok((StatusCode::CREATED, Json(schedules::create(&s.pool, &caller, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/schedules/{id}", tag = "schedules", params(("id" = EventId, Path)),
    responses((status = 200, body = ScheduleView), (status = 404, body = super::error::ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<EventId>) -> ApiResult<Json<ScheduleView>> {
    Ok(Json(schedules::get(&s.pool, &caller, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodChange {
    expected_version: i32,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
}

/// Moves a draft schedule's period; refused while a draft shift of it would fall outside the new one.
#[utoipa::path(patch, path = "/api/v1/schedules/{id}", tag = "schedules", params(("id" = EventId, Path)), request_body = PeriodChange,
    responses((status = 200, body = ScheduleView), (status = 409, body = super::error::ErrorBody),
              (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn set_period(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(change): Json<PeriodChange>,
) -> ApiResult<Json<ScheduleView>> {
    Ok(Json(schedules::set_period(&s.pool, &caller, id, change.expected_version, change.start, change.end).await?))
}

/// Activates the schedule's draft shifts; refused (422) with the blocking conflicts while any remain.
#[utoipa::path(post, path = "/api/v1/schedules/{id}/publish", tag = "schedules", params(("id" = EventId, Path)), request_body = ExpectedVersion,
    responses((status = 200, body = ScheduleView), (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn publish(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(body): Json<ExpectedVersion>,
) -> ApiResult<Json<ScheduleView>> {
    Ok(Json(schedules::publish(&s.pool, &caller, id, body.expected_version).await?))
}

#[utoipa::path(post, path = "/api/v1/schedules/{id}/archive", tag = "schedules", params(("id" = EventId, Path)), request_body = ExpectedVersion,
    responses((status = 200, body = ScheduleView), (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn archive(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(body): Json<ExpectedVersion>,
) -> ApiResult<Json<ScheduleView>> {
    Ok(Json(schedules::archive(&s.pool, &caller, id, body.expected_version).await?))
}

/// Withdraws a draft schedule nobody will publish: it and its draft shifts are cancelled (kept in the
/// log and in time travel). Managers and administrators.
#[utoipa::path(post, path = "/api/v1/schedules/{id}/withdraw", tag = "schedules", params(("id" = EventId, Path)), request_body = ExpectedVersion,
    responses((status = 200, body = ScheduleView), (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn withdraw(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(body): Json<ExpectedVersion>,
) -> ApiResult<Json<ScheduleView>> {
    Ok(Json(schedule_withdrawal::withdraw(&s.pool, &caller, id, body.expected_version).await?))
}
