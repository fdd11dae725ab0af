use super::error::ApiResult;
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use mosaic::hours::ShiftHours;
use mosaic::ids::EntityId;
use mosaic::services::shifts::ShiftFilter;
use mosaic::services::workers::{NewWorker, WorkerPatch};
use mosaic::services::{employments, leaving, shifts, workers};
use mosaic::views::{EmploymentView, ShiftView, WorkerView};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/workers", get(search).post(create))
        .route("/workers/{id}", get(show).patch(update).delete(remove_now))
        .route("/workers/{id}/remove", axum::routing::post(remove))
        .route("/workers/{id}/restore", axum::routing::post(restore))
        .route("/workers/{id}/employments", get(employments_of))
        .route("/workers/{id}/timeline", get(timeline))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of a name or email, any case; empty lists everyone.
    #[serde(default)]
    q: String,
    limit: Option<i64>,
    /// Removed workers too (left out unless asked).
    #[serde(default)]
    include_removed: bool,
}

/// Workers whose name or email contains `q`.
#[utoipa::path(get, path = "/api/v1/workers", tag = "workers", params(SearchQuery),
    responses((status = 200, body = [WorkerView])))]
pub async fn search(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<Vec<WorkerView>>> {
    Ok(Json(workers::search_with(&s.pool, &caller, &q.q, q.limit.unwrap_or(50), q.include_removed).await?))
}

#[utoipa::path(post, path = "/api/v1/workers", tag = "workers", request_body = NewWorker,
    responses((status = 201, body = WorkerView), (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn create(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewWorker>,
) -> ApiResult<(StatusCode, Json<WorkerView>)> {
    Ok((StatusCode::CREATED, Json(workers::create(&s.pool, &caller, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/workers/{id}", tag = "workers", params(("id" = EntityId, Path)),
    responses((status = 200, body = WorkerView), (status = 404, body = super::error::ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<EntityId>) -> ApiResult<Json<WorkerView>> {
    Ok(Json(workers::get(&s.pool, &caller, id).await?))
}

/// Renames a worker or changes their email or phone (an empty string clears it).
#[utoipa::path(patch, path = "/api/v1/workers/{id}", tag = "workers", params(("id" = EntityId, Path)), request_body = WorkerPatch,
    responses((status = 200, body = WorkerView), (status = 404, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 412, body = super::error::ErrorBody),
              (status = 422, body = super::error::ErrorBody)))]
pub async fn update(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(patch): Json<WorkerPatch>,
) -> ApiResult<Json<WorkerView>> {
    Ok(Json(workers::update(&s.pool, &caller, id, patch).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Removal {
    expected_version: i32,
    /// From when; now if left out.
    from: Option<DateTime<Utc>>,
}

/// Removes the worker (a soft delete): their drafts after `from` are cancelled and their employments end
/// then; past shifts, timesheets, pay and history stay. Refused while a published shift of theirs
/// reaches past `from`.
#[utoipa::path(post, path = "/api/v1/workers/{id}/remove", tag = "workers", params(("id" = EntityId, Path)), request_body = Removal,
    responses((status = 200, body = WorkerView), (status = 404, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 412, body = super::error::ErrorBody)))]
pub async fn remove(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(body): Json<Removal>,
) -> ApiResult<Json<WorkerView>> {
    let from = body.from.unwrap_or_else(Utc::now);
    Ok(Json(leaving::remove_worker(&s.pool, &caller, id, body.expected_version, from).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    expected_version: i32,
}

/// The same as `POST /workers/{id}/remove` from now.
#[utoipa::path(delete, path = "/api/v1/workers/{id}", tag = "workers", params(("id" = EntityId, Path), VersionQuery),
    responses((status = 200, body = WorkerView), (status = 404, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 412, body = super::error::ErrorBody)))]
pub async fn remove_now(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Query(q): Query<VersionQuery>,
) -> ApiResult<Json<WorkerView>> {
    Ok(Json(leaving::remove_worker(&s.pool, &caller, id, q.expected_version, Utc::now()).await?))
}

/// Brings a removed worker back; they are planned again once they have a new employment.
#[utoipa::path(post, path = "/api/v1/workers/{id}/restore", tag = "workers", params(("id" = EntityId, Path)),
    request_body = super::ExpectedVersion,
    responses((status = 200, body = WorkerView), (status = 404, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 412, body = super::error::ErrorBody)))]
pub async fn restore(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(body): Json<super::ExpectedVersion>,
) -> ApiResult<Json<WorkerView>> {
    Ok(Json(leaving::restore_worker(&s.pool, &caller, id, body.expected_version).await?))
}

#[utoipa::path(get, path = "/api/v1/workers/{id}/employments", tag = "employments", params(("id" = EntityId, Path)),
    responses((status = 200, body = [EmploymentView]), (status = 404, body = super::error::ErrorBody)))]
pub async fn employments_of(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
) -> ApiResult<Json<Vec<EmploymentView>>> {
    Ok(Json(employments::list_for_worker(&s.pool, &caller, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Timeline {
    worker: WorkerView,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    shifts: Vec<ShiftView>,
    /// Hours of the live (not cancelled) shifts in the period.
    totals: ShiftHours,
}

/// A worker's shifts in a period, in time order, with hour totals.
#[utoipa::path(get, path = "/api/v1/workers/{id}/timeline", tag = "workers", params(("id" = EntityId, Path), Period),
    responses((status = 200, body = Timeline), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn timeline(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Query(p): Query<Period>,
) -> ApiResult<Json<Timeline>> {
    mosaic::date_range::require_instant("from", p.from)?;
    mosaic::date_range::require_instant("to", p.to)?;
    if p.to <= p.from {
        return Err(mosaic::store::DomainError::invalid("to", "must be after from").into());
    }
    let worker = workers::get(&s.pool, &caller, id).await?;
    let filter = ShiftFilter { worker_id: Some(id), from: Some(p.from), to: Some(p.to), ..Default::default() };
    let shifts = shifts::list(&s.pool, &caller, &filter).await?;
    let live = shifts.iter().filter(|s| s.status != mosaic::kinds::EventStatus::Cancelled);
    let totals = live.fold(ShiftHours { worked: 0.0, breaks: 0.0, net: 0.0 }, |t, s| ShiftHours {
        worked: t.worked + s.hours.worked,
        breaks: t.breaks + s.hours.breaks,
        net: t.net + s.hours.net,
    });
    Ok(Json(Timeline { worker, from: p.from, to: p.to, shifts, totals }))
}
