//! `/open-shifts` and `/shift-claims`: managers offer places with no worker yet, workers claim them,
//! managers approve or decline (or the open shift gives its place to the first eligible claim).

use super::error::{ApiResult, ErrorBody};
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use mosaic::ids::EventId;
use mosaic::services::open_shifts::{self, Assignment, MakeOpen, NewClaim, NewOpenShift, OpenShiftFilter};
use mosaic::services::time_off::Decision;
use mosaic::views::open_shifts::{ClaimView, MyOpenShiftsView, OpenShiftView, OpenShiftWithClaims};
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/open-shifts", get(list).post(offer))
        .route("/open-shifts/{id}", get(show))
        .route("/open-shifts/{id}/withdraw", post(withdraw))
        .route("/open-shifts/{id}/claims", post(claim))
        .route("/open-shifts/{id}/assign", post(assign))
        .route("/shifts/{id}/make-open", post(make_open))
        .route("/shift-claims/{id}/approve", post(approve))
        .route("/shift-claims/{id}/decline", post(decline))
        .route("/shift-claims/{id}/withdraw", post(withdraw_claim))
        .route("/me/open-shifts", get(mine))
}

/// The version of the open shift the manager saw.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AtVersion {
    pub expected_version: i32,
}

/// Open shifts with their claims, by start; from now for eight weeks unless `from` and `to` say otherwise.
#[utoipa::path(get, path = "/api/v1/open-shifts", tag = "open shifts", params(OpenShiftFilter),
    responses((status = 200, body = [OpenShiftWithClaims]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(filter): Query<OpenShiftFilter>,
) -> ApiResult<Json<Vec<OpenShiftWithClaims>>> {
    Ok(Json(open_shifts::list(&s.pool, &caller, &filter, chrono::Utc::now()).await?))
}

/// Offers an open shift: `places` identical places at a location. A draft in a draft week; in a
/// published week it is open to claims at once.
#[utoipa::path(post, path = "/api/v1/open-shifts", tag = "open shifts", request_body = NewOpenShift,
    responses((status = 201, body = OpenShiftView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn offer(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewOpenShift>,
) -> ApiResult<(StatusCode, Json<OpenShiftView>)> {
    Ok((StatusCode::CREATED, Json(open_shifts::offer(&s.pool, &caller, new).await?)))
}

/// One open shift with its claims (a worker sees a published one, with only their own claims).
#[utoipa::path(get, path = "/api/v1/open-shifts/{id}", tag = "open shifts", params(("id" = Uuid, Path)),
    responses((status = 200, body = OpenShiftWithClaims), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<Uuid>) -> ApiResult<Json<OpenShiftWithClaims>> {
    Ok(Json(open_shifts::get(&s.pool, &caller, EventId(id)).await?))
}

/// Withdraws the places not yet taken; waiting claims are closed.
#[utoipa::path(post, path = "/api/v1/open-shifts/{id}/withdraw", tag = "open shifts", params(("id" = Uuid, Path)),
    request_body = AtVersion,
    responses((status = 200, body = OpenShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn withdraw(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(at): Json<AtVersion>,
) -> ApiResult<Json<OpenShiftView>> {
    Ok(Json(open_shifts::withdraw(&s.pool, &caller, EventId(id), at.expected_version).await?))
}

/// Claims a place as the worker one is. 422 with the reasons when the rules would not let the worker
/// take it; 409 when it is not open to claims (a draft, started, withdrawn or full).
#[utoipa::path(post, path = "/api/v1/open-shifts/{id}/claims", tag = "open shifts", params(("id" = Uuid, Path)),
    request_body = NewClaim,
    responses((status = 201, body = ClaimView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn claim(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(new): Json<NewClaim>,
) -> ApiResult<(StatusCode, Json<ClaimView>)> {
    let made = open_shifts::claim(&s.pool, &caller, EventId(id), new, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// Gives a place to a worker directly (managers; schedulers in a draft week).
#[utoipa::path(post, path = "/api/v1/open-shifts/{id}/assign", tag = "open shifts", params(("id" = Uuid, Path)),
    request_body = Assignment,
    responses((status = 201, body = ClaimView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(assignment): Json<Assignment>,
) -> ApiResult<(StatusCode, Json<ClaimView>)> {
    Ok((StatusCode::CREATED, Json(open_shifts::assign(&s.pool, &caller, EventId(id), assignment).await?)))
}

/// Makes an assigned shift open: it is cancelled and one place is offered in its stead.
#[utoipa::path(post, path = "/api/v1/shifts/{id}/make-open", tag = "open shifts", params(("id" = Uuid, Path)),
    request_body = MakeOpen,
    responses((status = 201, body = OpenShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn make_open(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(asked): Json<MakeOpen>,
) -> ApiResult<(StatusCode, Json<OpenShiftView>)> {
    Ok((StatusCode::CREATED, Json(open_shifts::make_open(&s.pool, &caller, EventId(id), asked).await?)))
}

/// Approves a waiting claim (managers): the worker gets the place as a shift, published with the open shift.
#[utoipa::path(post, path = "/api/v1/shift-claims/{id}/approve", tag = "open shifts", params(("id" = Uuid, Path)),
    request_body = Decision,
    responses((status = 200, body = ClaimView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn approve(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<ClaimView>> {
    Ok(Json(open_shifts::approve(&s.pool, &caller, EventId(id), decision).await?))
}

/// Declines a waiting claim (managers), with a note for the worker.
#[utoipa::path(post, path = "/api/v1/shift-claims/{id}/decline", tag = "open shifts", params(("id" = Uuid, Path)),
    request_body = Decision,
    responses((status = 200, body = ClaimView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decline(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<ClaimView>> {
    Ok(Json(open_shifts::decline(&s.pool, &caller, EventId(id), decision).await?))
}

/// Withdraws one's own waiting claim.
#[utoipa::path(post, path = "/api/v1/shift-claims/{id}/withdraw", tag = "open shifts", params(("id" = Uuid, Path)),
    request_body = Decision,
    responses((status = 200, body = ClaimView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn withdraw_claim(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<ClaimView>> {
    Ok(Json(open_shifts::withdraw_claim(&s.pool, &caller, EventId(id), decision).await?))
}

/// The published open shifts still to come one may take, with one's claims.
#[utoipa::path(get, path = "/api/v1/me/open-shifts", tag = "open shifts",
    responses((status = 200, body = MyOpenShiftsView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mine(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<MyOpenShiftsView>> {
    Ok(Json(open_shifts::mine(&s.pool, &caller, chrono::Utc::now()).await?))
}
