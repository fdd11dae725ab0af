//! Pay over HTTP: a worker's rates over time, and the payroll of a pay period as JSON or CSV.

use super::error::ApiResult;
use super::extract::{Json, Path, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use mosaic::ids::EntityId;
use mosaic::services::compensation::{self, NewRate};
use mosaic::services::payroll_export;
use mosaic::store::DomainError;
use mosaic::views::time::{PayrollView, RateView};
use serde::Deserialize;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/workers/{id}/rates", get(rates).post(set_rate))
        .route("/workers/{id}/rates/on", get(rate_on))
        .route("/payroll", get(payroll))
        .route("/payroll.csv", get(payroll_csv))
}

/// The worker's hourly rates, earliest first (managers and admins; a worker their own).
#[utoipa::path(get, path = "/api/v1/workers/{id}/rates", tag = "pay", params(("id" = EntityId, Path)),
    responses((status = 200, body = [RateView]), (status = 403, body = super::error::ErrorBody)))]
pub async fn rates(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<EntityId>) -> ApiResult<Json<Vec<RateView>>> {
    Ok(Json(compensation::rates(&s.pool, &caller, id).await?))
}

/// Sets the worker's rate from a date on: a raise is a new rate, the one before ends that day.
#[utoipa::path(post, path = "/api/v1/workers/{id}/rates", tag = "pay", params(("id" = EntityId, Path)), request_body = NewRate,
    responses((status = 201, body = RateView), (status = 403, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn set_rate(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Json(new): Json<NewRate>,
) -> ApiResult<(StatusCode, Json<RateView>)> {
    Ok((StatusCode::CREATED, Json(compensation::set_rate(&s.pool, &caller, id, new).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnDate {
    /// A day in the organisation's time zone, `2026-03-04`.
    date: NaiveDate,
}

/// The rate in force on a date; 404 when the worker had none.
#[utoipa::path(get, path = "/api/v1/workers/{id}/rates/on", tag = "pay", params(("id" = EntityId, Path), OnDate),
    responses((status = 200, body = RateView), (status = 404, body = super::error::ErrorBody)))]
pub async fn rate_on(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<EntityId>,
    Query(q): Query<OnDate>,
) -> ApiResult<Json<RateView>> {
    let rate = compensation::rate_on(&s.pool, &caller, id, q.date).await?;
    Ok(Json(rate.ok_or_else(|| DomainError::not_found("rate on that date for worker", id))?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayPeriod {
    /// First day of the pay period, `2026-03-01`.
    from: NaiveDate,
    /// Last day of the pay period, included.
    to: NaiveDate,
}

/// Approved pay in the period: hours and cost per worker and rate type, with each worker's total.
#[utoipa::path(get, path = "/api/v1/payroll", tag = "pay", params(PayPeriod),
    responses((status = 200, body = PayrollView), (status = 403, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn payroll(State(s): State<ApiState>, Auth(caller): Auth, Query(q): Query<PayPeriod>) -> ApiResult<Json<PayrollView>> {
    Ok(Json(payroll_export::summary(&s.pool, &caller, q.from, q.to).await?))
}

/// The same as CSV, to download: one row per worker and rate type, a `total` row per worker and an
/// `all workers` row.
#[utoipa::path(get, path = "/api/v1/payroll.csv", tag = "pay", params(PayPeriod),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = super::error::ErrorBody)))]
pub async fn payroll_csv(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(q): Query<PayPeriod>,
) -> ApiResult<impl IntoResponse> {
    let summary = payroll_export::summary(&s.pool, &caller, q.from, q.to).await?;
    let body = payroll_export::csv(&summary)?;
    let file = format!("attachment; filename=\"payroll-{}-to-{}.csv\"", q.from, q.to);
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, file)], body))
}
