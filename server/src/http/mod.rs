//! The JSON API `/api/v1`: thin handlers over the domain services, one module per resource, each with
//! its own `router()`. The OpenAPI document is generated from the handlers' annotations.

mod attention;
mod changes;
mod employments;
pub mod error;
mod extract;
mod health;
mod locations;
mod openapi;
mod schedules;
mod shifts;
mod workers;

use axum::Router;
use mosaic::services::Caller;
use sqlx::PgPool;

/// What every handler gets: the pool and who is asking.
#[derive(Clone, Debug)]
pub struct ApiState {
    pub pool: PgPool,
    pub caller: Caller,
}

pub fn api_router(state: ApiState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(workers::router())
        .merge(locations::router())
        .merge(employments::router())
        .merge(schedules::router())
        .merge(shifts::router())
        .merge(attention::router())
        .merge(changes::router())
        .merge(openapi::router())
        .fallback(|| async { error::ApiError::NoRoute })
        .with_state(state)
}

/// A body carrying only the version the caller last saw.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct ExpectedVersion {
    pub expected_version: i32,
}
