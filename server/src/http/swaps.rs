//! `/shift-offers`: a worker offers a published shift to a colleague or to anyone who could take it;
//! the colleague accepts or refuses, a manager approves or declines, the worker withdraws.

use super::error::{ApiResult, ErrorBody};
use super::extract::{Json, Path};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use mosaic::ids::EventId;
use mosaic::services::swaps::{self, NewOffer};
use mosaic::services::time_off::Decision;
use mosaic::views::swaps::{MyOffersView, ShiftOfferView};
use uuid::Uuid;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/shifts/{id}/offers", post(offer))
        .route("/shift-offers", get(waiting))
        .route("/shift-offers/{id}", get(show))
        .route("/shift-offers/{id}/accept", post(accept))
        .route("/shift-offers/{id}/refuse", post(refuse))
        .route("/shift-offers/{id}/approve", post(approve))
        .route("/shift-offers/{id}/decline", post(decline))
        .route("/shift-offers/{id}/withdraw", post(withdraw))
        .route("/me/shift-offers", get(mine))
}

/// Offers one of one's published shifts still to come: to `to_worker_id` (perhaps for
/// `in_return_shift_id`, one of theirs), or to anyone who could take it.
#[utoipa::path(post, path = "/api/v1/shifts/{id}/offers", tag = "swaps", params(("id" = Uuid, Path)), request_body = NewOffer,
    responses((status = 201, body = ShiftOfferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn offer(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(new): Json<NewOffer>,
) -> ApiResult<(StatusCode, Json<ShiftOfferView>)> {
    Ok((StatusCode::CREATED, Json(swaps::offer(&s.pool, &caller, EventId(id), new, Utc::now()).await?)))
}

/// The offers accepted by a colleague and waiting for a manager, soonest first (managers).
#[utoipa::path(get, path = "/api/v1/shift-offers", tag = "swaps",
    responses((status = 200, body = [ShiftOfferView]), (status = 403, body = ErrorBody)))]
pub async fn waiting(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<Vec<ShiftOfferView>>> {
    Ok(Json(swaps::waiting(&s.pool, &caller, Utc::now()).await?))
}

#[utoipa::path(get, path = "/api/v1/shift-offers/{id}", tag = "swaps", params(("id" = Uuid, Path)),
    responses((status = 200, body = ShiftOfferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<Uuid>) -> ApiResult<Json<ShiftOfferView>> {
    Ok(Json(swaps::get(&s.pool, &caller, EventId(id), Utc::now()).await?))
}

/// Accepts an offer: the named colleague, or anyone who could take a drop. 422 with the reasons when
/// the rules would not let them take it.
#[utoipa::path(post, path = "/api/v1/shift-offers/{id}/accept", tag = "swaps", params(("id" = Uuid, Path)), request_body = Decision,
    responses((status = 200, body = ShiftOfferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn accept(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<ShiftOfferView>> {
    Ok(Json(swaps::accept(&s.pool, &caller, EventId(id), decision, Utc::now()).await?))
}

/// Says no to an offer made to one by name.
#[utoipa::path(post, path = "/api/v1/shift-offers/{id}/refuse", tag = "swaps", params(("id" = Uuid, Path)), request_body = Decision,
    responses((status = 200, body = ShiftOfferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn refuse(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<ShiftOfferView>> {
    Ok(Json(swaps::refuse(&s.pool, &caller, EventId(id), decision, Utc::now()).await?))
}

/// Approves an accepted offer (managers): the shift changes hands as a reassignment on the calendar
/// would, refused (422) with the reason when a rule would be broken.
#[utoipa::path(post, path = "/api/v1/shift-offers/{id}/approve", tag = "swaps", params(("id" = Uuid, Path)), request_body = Decision,
    responses((status = 200, body = ShiftOfferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn approve(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<ShiftOfferView>> {
    Ok(Json(swaps::approve(&s.pool, &caller, EventId(id), decision, Utc::now()).await?))
}

/// Declines an offer (managers), with a note for both workers.
#[utoipa::path(post, path = "/api/v1/shift-offers/{id}/decline", tag = "swaps", params(("id" = Uuid, Path)), request_body = Decision,
    responses((status = 200, body = ShiftOfferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decline(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<ShiftOfferView>> {
    Ok(Json(swaps::decline(&s.pool, &caller, EventId(id), decision, Utc::now()).await?))
}

/// Takes one's own offer back while it is live.
#[utoipa::path(post, path = "/api/v1/shift-offers/{id}/withdraw", tag = "swaps", params(("id" = Uuid, Path)), request_body = Decision,
    responses((status = 200, body = ShiftOfferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn withdraw(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(decision): Json<Decision>,
) -> ApiResult<Json<ShiftOfferView>> {
    Ok(Json(swaps::withdraw(&s.pool, &caller, EventId(id), decision, Utc::now()).await?))
}

/// One's offers, and those one may accept.
#[utoipa::path(get, path = "/api/v1/me/shift-offers", tag = "swaps",
    responses((status = 200, body = MyOffersView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mine(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<MyOffersView>> {
    Ok(Json(swaps::mine(&s.pool, &caller, Utc::now()).await?))
}
