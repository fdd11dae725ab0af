//! `/organisation`: the caller's organisation and its settings — name, zone, currency, first weekday,
//! rule thresholds and pay premiums. Anyone in it may read them; administrators change them.

use super::error::ApiResult;
use super::extract::Json;
use super::{ApiState, Auth};
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use mosaic::services::organisation_settings::{self, SettingsChange};
use mosaic::views::OrganisationSettingsView;

pub fn router() -> Router<ApiState> {
    Router::new().route("/organisation", get(show).put(update))
}

#[utoipa::path(get, path = "/api/v1/organisation", tag = "organisation",
    responses((status = 200, body = OrganisationSettingsView), (status = 403, body = super::error::ErrorBody)))]
pub async fn show(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<OrganisationSettingsView>> {
    Ok(Json(organisation_settings::read(&s.pool, &caller).await?))
}

/// Replaces the settings as a whole, at the version read. Changing the rules or the first weekday
/// re-judges every shift from this week on.
#[utoipa::path(put, path = "/api/v1/organisation", tag = "organisation", request_body = SettingsChange,
    responses((status = 200, body = OrganisationSettingsView), (status = 403, body = super::error::ErrorBody),
              (status = 412, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn update(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(change): Json<SettingsChange>,
) -> ApiResult<Json<OrganisationSettingsView>> {
    Ok(Json(organisation_settings::update(&s.pool, &caller, change, chrono::Utc::now()).await?))
}
