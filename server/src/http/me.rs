//! `/me`: the caller themselves — who they are, their own timeline, their API tokens and calendar link.

use super::error::ApiResult;
use super::extract::{Json, Path};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, post};
use axum::Router;
use mosaic::access::Role;
use mosaic::ids::EntityId;
use mosaic::services::accounts::tokens::{self, ApiTokenView, NewApiToken};
use mosaic::services::{calendar_feed, timeline};
use mosaic::views::TimelineView;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/me", get(show))
        .route("/me/timeline", get(my_timeline))
        .route("/me/tokens", get(list_tokens).post(create_token))
        .route("/me/tokens/{id}", delete(revoke_token))
        .route("/me/calendar-link", post(renew_calendar_link).delete(revoke_calendar_link))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    user_id: Option<Uuid>,
    name: String,
    role: Role,
    worker_id: Option<EntityId>,
    location_ids: Vec<EntityId>,
}

/// Who the caller is in this organisation.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", responses((status = 200, body = Me), (status = 401, body = super::error::ErrorBody)))]
pub async fn show(Auth(caller): Auth) -> Json<Me> {
    Json(Me {
        user_id: caller.actor.id,
        name: caller.actor.name,
        role: caller.access.role,
        worker_id: caller.access.worker,
        location_ids: caller.access.locations,
    })
}

/// The caller's own published shifts: today and the coming weeks, with totals for past weeks.
#[utoipa::path(get, path = "/api/v1/me/timeline", tag = "me",
    responses((status = 200, body = TimelineView), (status = 401, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)))]
pub async fn my_timeline(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<TimelineView>> {
    Ok(Json(timeline::for_caller(&s.pool, &caller, chrono::Utc::now(), false).await?))
}

#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "me", responses((status = 200, body = [ApiTokenView])))]
pub async fn list_tokens(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<Vec<ApiTokenView>>> {
    Ok(Json(tokens::list(&s.pool, &caller).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for, e.g. "payroll export".
    name: String,
}

/// A new personal API token; the secret in `token` is shown this once.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "me", request_body = TokenRequest,
    responses((status = 201, body = NewApiToken), (status = 422, body = super::error::ErrorBody)))]
pub async fn create_token(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(request): Json<TokenRequest>,
) -> ApiResult<(StatusCode, Json<NewApiToken>)> {
    Ok((StatusCode::CREATED, Json(tokens::create(&s.pool, &caller, &request.name).await?)))
}

#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "me", params(("id" = Uuid, Path)),
    responses((status = 200, body = ApiTokenView), (status = 404, body = super::error::ErrorBody)))]
pub async fn revoke_token(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<Uuid>) -> ApiResult<Json<ApiTokenView>> {
    Ok(Json(tokens::revoke(&s.pool, &caller, id).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CalendarLink {
    /// Subscribe to this in a calendar app; it is shown this once.
    url: String,
}

/// A new private calendar feed link for the caller's worker; the previous link stops working.
#[utoipa::path(post, path = "/api/v1/me/calendar-link", tag = "me",
    responses((status = 201, body = CalendarLink), (status = 409, body = super::error::ErrorBody)))]
pub async fn renew_calendar_link(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    headers: HeaderMap,
) -> ApiResult<(StatusCode, Json<CalendarLink>)> {
    let secret = calendar_feed::renew_link(&s.pool, &caller).await?;
    Ok((StatusCode::CREATED, Json(CalendarLink { url: app::account::calendar_url(&headers, &secret) })))
}

#[utoipa::path(delete, path = "/api/v1/me/calendar-link", tag = "me", responses((status = 204)))]
pub async fn revoke_calendar_link(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<StatusCode> {
    calendar_feed::revoke_link(&s.pool, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}
