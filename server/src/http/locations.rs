use super::error::ApiResult;
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use mosaic::ids::{EntityId, EventId};
use mosaic::services::leaving;
use mosaic::services::locations::{self, LocationPatch, NewLocation};
use mosaic::views::{LocationMembershipView, LocationView};
use serde::Deserialize;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/locations", get(list).post(create))
        .route("/locations/{id}", get(show).patch(update))
        .route("/locations/{id}/close", post(close))
        .route("/locations/{id}/reopen", post(reopen))
        .route("/locations/{id}/parent", get(parent).post(set_parent))
        .route("/locations/{id}/children", get(children))
        .route("/location-memberships/{id}/end", post(end_membership))
}

#[utoipa::path(get, path = "/api/v1/locations", tag = "locations", responses((status = 200, body = [LocationView])))]
pub async fn list(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<Vec<LocationView>>> {
    Ok(Json(locations::list(&s.pool, &caller).await?))
}

#[utoipa::path(post, path = "/api/v1/locations", tag = "locations", request_body = NewLocation,
    responses((status = 201, body = LocationView), (status = 422, body = super::error::ErrorBody)))]
pub async fn create(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewLocation>,
) -> ApiResult<(StatusCode, Json<LocationView>)> {
    Ok((StatusCode::CREATED, Json(locations::create(&s.pool, &caller, new).await?)))
}

/// Renames a location or changes its address (empty clears it), zone or capacity.
#[utoipa::path(patch, path = "/api/v1/locations/{id}", tag = "locations", params(("id" = EntityId, Path)),
    request_body = LocationPatch,
    responses((status = 200, body = LocationView), (status = 404, body = super::error::ErrorBody),
              (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn update(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(patch): Json<LocationPatch>,
) -> ApiResult<Json<LocationView>> {
    Ok(Json(locations::update(&s.pool, &caller, id, patch).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Closing {
    expected_version: i32,
    /// From when; now if left out.
    from: Option<DateTime<Utc>>,
}

/// Closes the location (a soft delete) from `from`: nothing is planned there after it, and its past stays.
/// Refused while a schedule or a published shift there reaches past `from`.
#[utoipa::path(post, path = "/api/v1/locations/{id}/close", tag = "locations", params(("id" = EntityId, Path)),
    request_body = Closing,
    responses((status = 200, body = LocationView), (status = 404, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 412, body = super::error::ErrorBody)))]
pub async fn close(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(body): Json<Closing>,
) -> ApiResult<Json<LocationView>> {
    let from = body.from.unwrap_or_else(Utc::now);
    Ok(Json(leaving::close_location(&s.pool, &caller, id, body.expected_version, from).await?))
}

#[utoipa::path(post, path = "/api/v1/locations/{id}/reopen", tag = "locations", params(("id" = EntityId, Path)),
    request_body = super::ExpectedVersion,
    responses((status = 200, body = LocationView), (status = 404, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 412, body = super::error::ErrorBody)))]
pub async fn reopen(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(body): Json<super::ExpectedVersion>,
) -> ApiResult<Json<LocationView>> {
    Ok(Json(leaving::reopen_location(&s.pool, &caller, id, body.expected_version).await?))
}

#[utoipa::path(get, path = "/api/v1/locations/{id}", tag = "locations", params(("id" = EntityId, Path)),
    responses((status = 200, body = LocationView), (status = 404, body = super::error::ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<EntityId>) -> ApiResult<Json<LocationView>> {
    Ok(Json(locations::get(&s.pool, &caller, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// The moment to read the hierarchy at; now if left out.
    at: Option<DateTime<Utc>>,
}

/// The location's parent at a moment, or `null`.
#[utoipa::path(get, path = "/api/v1/locations/{id}/parent", tag = "locations", params(("id" = EntityId, Path), AsOf),
    responses((status = 200, body = Option<LocationView>), (status = 404, body = super::error::ErrorBody)))]
pub async fn parent(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Query(q): Query<AsOf>,
) -> ApiResult<Json<Option<LocationView>>> {
    Ok(Json(locations::parent_at(&s.pool, &caller, id, q.at.unwrap_or_else(Utc::now)).await?))
}

/// The locations directly under this one at a moment.
#[utoipa::path(get, path = "/api/v1/locations/{id}/children", tag = "locations", params(("id" = EntityId, Path), AsOf),
    responses((status = 200, body = [LocationView]), (status = 404, body = super::error::ErrorBody)))]
pub async fn children(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Query(q): Query<AsOf>,
) -> ApiResult<Json<Vec<LocationView>>> {
    Ok(Json(locations::children_at(&s.pool, &caller, id, q.at.unwrap_or_else(Utc::now)).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewParent {
    parent_id: EntityId,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

/// Puts the location under a parent from a moment on; refused if it would close a loop.
#[utoipa::path(post, path = "/api/v1/locations/{id}/parent", tag = "locations", params(("id" = EntityId, Path)), request_body = NewParent,
    responses((status = 201, body = LocationMembershipView), (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn set_parent(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(body): Json<NewParent>,
) -> ApiResult<(StatusCode, Json<LocationMembershipView>)> {
    let view = locations::set_parent(&s.pool, &caller, id, body.parent_id, body.from, body.until).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndMembership {
    at: DateTime<Utc>,
    expected_version: i32,
}

#[utoipa::path(post, path = "/api/v1/location-memberships/{id}/end", tag = "locations", params(("id" = EventId, Path)), request_body = EndMembership,
    responses((status = 200, body = LocationMembershipView), (status = 412, body = super::error::ErrorBody)))]
pub async fn end_membership(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EventId>,
    Json(body): Json<EndMembership>,
) -> ApiResult<Json<LocationMembershipView>> {
    Ok(Json(locations::end_membership(&s.pool, &caller, id, body.at, body.expected_version).await?))
}
