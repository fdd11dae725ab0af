//! `/invitations` and `/members/{user_id}/password-link`: one-time links that let a person in — an
//! invitation to join with a role, or a new password for a member (administrators only). Each link is
//! in the answer that makes it, and only there.

use super::error::ApiResult;
use super::extract::{Json, Path};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use mosaic::services::invitations::{self, InvitationView, NewInvitation};
use mosaic::services::password_links;
use serde::Serialize;
use uuid::Uuid;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/invitations", get(list).post(invite))
        .route("/invitations/{id}", axum::routing::delete(revoke))
        .route("/invitations/{id}/resend", post(resend))
        .route("/members/{user_id}/password-link", post(password_link))
}

/// An invitation with the link to send: `url` is shown this once and works once, for 7 days.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InvitationLink {
    invitation: InvitationView,
    url: String,
}

/// A link for a member to choose a new password: shown this once, works once, for 7 days.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PasswordLink {
    user_id: Uuid,
    url: String,
    expires_at: chrono::DateTime<chrono::Utc>,
}

#[utoipa::path(get, path = "/api/v1/invitations", tag = "members",
    responses((status = 200, body = [InvitationView]), (status = 403, body = super::error::ErrorBody)))]
pub async fn list(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<Vec<InvitationView>>> {
    Ok(Json(invitations::list(&s.pool, &caller).await?))
}

/// Invites a person by email with a role; a worker without `worker_id` is made as a new worker.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "members", request_body = NewInvitation,
    responses((status = 201, body = InvitationLink), (status = 403, body = super::error::ErrorBody),
              (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn invite(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    Json(new): Json<NewInvitation>,
) -> ApiResult<(StatusCode, Json<InvitationLink>)> {
    let issued = invitations::invite(&s.pool, &caller, new).await?;
    let url = app::links::absolute_url(&headers, &format!("/join/{}", issued.secret));
    Ok((StatusCode::CREATED, Json(InvitationLink { invitation: issued.invitation, url })))
}

/// A new link for an unanswered invitation; the previous link stops working.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/resend", tag = "members", params(("id" = Uuid, Path)),
    responses((status = 200, body = InvitationLink), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)))]
pub async fn resend(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<InvitationLink>> {
    let issued = invitations::resend(&s.pool, &caller, id).await?;
    let url = app::links::absolute_url(&headers, &format!("/join/{}", issued.secret));
    Ok(Json(InvitationLink { invitation: issued.invitation, url }))
}

/// Withdraws an unanswered invitation.
#[utoipa::path(delete, path = "/api/v1/invitations/{id}", tag = "members", params(("id" = Uuid, Path)),
    responses((status = 200, body = InvitationView), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)))]
pub async fn revoke(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<Uuid>) -> ApiResult<Json<InvitationView>> {
    Ok(Json(invitations::revoke(&s.pool, &caller, id).await?))
}

/// A link for a member of this organisation (and no other) to choose a new password.
#[utoipa::path(post, path = "/api/v1/members/{user_id}/password-link", tag = "members", params(("user_id" = Uuid, Path)),
    responses((status = 201, body = PasswordLink), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)))]
pub async fn password_link(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    Path(user): Path<Uuid>,
) -> ApiResult<(StatusCode, Json<PasswordLink>)> {
    let issued = password_links::issue(&s.pool, &caller, user).await?;
    let url = app::links::absolute_url(&headers, &format!("/password/{}", issued.secret));
    Ok((StatusCode::CREATED, Json(PasswordLink { user_id: issued.user_id, url, expires_at: issued.expires_at })))
}
