//! `/members`: the people of the organisation and their roles (administrators only).

use super::error::ApiResult;
use super::extract::{Json, Path};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use mosaic::services::members::{self, MemberPatch, MemberView, NewMember};
use uuid::Uuid;

pub fn router() -> Router<ApiState> {
    Router::new().route("/members", get(list).post(add)).route("/members/{user_id}", get(show).patch(update).delete(remove))
}

#[utoipa::path(get, path = "/api/v1/members", tag = "members",
    responses((status = 200, body = [MemberView]), (status = 403, body = super::error::ErrorBody)))]
pub async fn list(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<Vec<MemberView>>> {
    Ok(Json(members::list(&s.pool, &caller).await?))
}

/// Adds a person with a role: an existing account by email, or a new one with a name and password.
#[utoipa::path(post, path = "/api/v1/members", tag = "members", request_body = NewMember,
    responses((status = 201, body = MemberView), (status = 403, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn add(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewMember>,
) -> ApiResult<(StatusCode, Json<MemberView>)> {
    Ok((StatusCode::CREATED, Json(members::add(&s.pool, &caller, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/members/{user_id}", tag = "members", params(("user_id" = Uuid, Path)),
    responses((status = 200, body = MemberView), (status = 403, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth, Path(user): Path<Uuid>) -> ApiResult<Json<MemberView>> {
    Ok(Json(members::get(&s.pool, &caller, user).await?))
}

/// Changes a member's role, worker link or scheduler locations.
#[utoipa::path(patch, path = "/api/v1/members/{user_id}", tag = "members", params(("user_id" = Uuid, Path)), request_body = MemberPatch,
    responses((status = 200, body = MemberView), (status = 403, body = super::error::ErrorBody),
              (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)))]
pub async fn update(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(user): Path<Uuid>,
    Json(patch): Json<MemberPatch>,
) -> ApiResult<Json<MemberView>> {
    Ok(Json(members::update(&s.pool, &caller, user, patch).await?))
}

/// Ends a membership, with the person's sessions and tokens in this organisation.
#[utoipa::path(delete, path = "/api/v1/members/{user_id}", tag = "members", params(("user_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)))]
pub async fn remove(State(s): State<ApiState>, Auth(caller): Auth, Path(user): Path<Uuid>) -> ApiResult<StatusCode> {
    members::remove(&s.pool, &caller, user).await?;
    Ok(StatusCode::NO_CONTENT)
}
