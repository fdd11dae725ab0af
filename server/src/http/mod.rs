//! The JSON API `/api/v1`: thin handlers over the domain services, one module per resource, each with
//! its own `router()`. The OpenAPI document is generated from the handlers' annotations.

mod attention;
mod availability;
mod changes;
mod employments;
pub mod error;
mod extract;
mod health;
mod imports;
mod invitations;
mod locations;
mod me;
mod members;
mod open_shifts;
mod openapi;
mod organisation;
mod pay;
mod positions;
mod schedules;
mod shifts;
mod swaps;
mod templates;
mod time_off;
mod time_travel;
mod timekeeping;
mod workers;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::Router;
use mosaic::services::Caller;
use mosaic::store::DomainError;
use sqlx::PgPool;

/// What every handler gets.
#[derive(Clone, Debug)]
pub struct ApiState {
    pub pool: PgPool,
    /// This instance's follower of the change log, shared by every open change stream.
    pub feed: crate::live::Feed,
}

/// Who is asking, as `crate::auth::authenticate` found them from the bearer token or session cookie;
/// a handler that takes it answers 401 to anyone else.
pub struct Auth(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = error::ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Caller>() {
            Some(caller) => Ok(Auth(caller.clone())),
            None => Err(DomainError::Unauthenticated {
                message: "Sign in, or send a personal API token as `Authorization: Bearer <token>`.".into(),
            }
            .into()),
        }
    }
}

pub fn api_router(state: ApiState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(workers::router())
        .merge(locations::router())
        .merge(positions::router())
        .merge(employments::router())
        .merge(schedules::router())
        .merge(shifts::router())
        .merge(templates::router())
        .merge(time_off::router())
        .merge(open_shifts::router())
        .merge(swaps::router())
        .merge(availability::router())
        .merge(attention::router())
        .merge(changes::router())
        .merge(time_travel::router())
        .merge(timekeeping::router())
        .merge(pay::router())
        .merge(me::router())
        .merge(members::router())
        .merge(invitations::router())
        .merge(organisation::router())
        .merge(imports::router())
        .merge(openapi::router())
        .method_not_allowed_fallback(|| async { error::ApiError::MethodNotAllowed })
        .fallback(|| async { error::ApiError::NoRoute })
        .with_state(state)
}

/// A body carrying only the version the caller last saw.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectedVersion {
    pub expected_version: i32,
}
