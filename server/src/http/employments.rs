use super::error::ApiResult;
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use mosaic::ids::EventId;
use mosaic::services::employments::{self, EmploymentFilter, NewEmployment};
use mosaic::views::EmploymentView;
use serde::Deserialize;

pub fn router() -> Router<ApiState> {
    Router::new().route("/employments", get(list).post(create)).route("/employments/{id}", get(show).patch(set_end))
}

#[utoipa::path(post, path = "/api/v1/employments", tag = "employments", request_body = NewEmployment,
    responses((status = 201, body = EmploymentView), (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn create(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewEmployment>,
) -> ApiResult<(StatusCode, Json<EmploymentView>)> {
    Ok((StatusCode::CREATED, Json(employments::create(&s.pool, &caller, new).await?)))
}

/// The organisation's employments, in start order, by worker, location or the instant they run at.
#[utoipa::path(get, path = "/api/v1/employments", tag = "employments", params(EmploymentFilter),
    responses((status = 200, body = [EmploymentView]), (status = 422, body = super::error::ErrorBody)))]
pub async fn list(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(filter): Query<EmploymentFilter>,
) -> ApiResult<Json<Vec<EmploymentView>>> {
    Ok(Json(employments::list(&s.pool, &caller, &filter).await?))
}

#[utoipa::path(get, path = "/api/v1/employments/{id}", tag = "employments", params(("id" = EventId, Path)),
    responses((status = 200, body = EmploymentView), (status = 404, body = super::error::ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<EventId>) -> ApiResult<Json<EmploymentView>> {
    Ok(Json(employments::get(&s.pool, &caller, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmploymentEnd {
    /// The new end, or `null` to make the employment open-ended.
    end: Option<DateTime<Utc>>,
    expected_version: i32,
}

/// Ends or extends an employment.
#[utoipa::path(patch, path = "/api/v1/employments/{id}", tag = "employments", params(("id" = EventId, Path)), request_body = EmploymentEnd,
    responses((status = 200, body = EmploymentView), (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn set_end(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(body): Json<EmploymentEnd>,
) -> ApiResult<Json<EmploymentView>> {
    Ok(Json(employments::set_end(&s.pool, &caller, id, body.end, body.expected_version).await?))
}
