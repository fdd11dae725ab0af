//! `/shift-templates`: named start/end/break patterns, and planning a draft shift from one.

use super::error::ApiResult;
use super::extract::{Json, Path};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use mosaic::services::shift_templates::{self, NewShiftTemplate, PlanFromTemplate, ShiftTemplateView};
use mosaic::views::ShiftView;
use uuid::Uuid;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/shift-templates", get(list).post(create))
        .route("/shift-templates/{id}", delete(archive))
        .route("/shift-templates/{id}/plan", post(plan))
}

#[utoipa::path(get, path = "/api/v1/shift-templates", tag = "shifts", responses((status = 200, body = [ShiftTemplateView])))]
pub async fn list(State(s): State<ApiState>, Auth(caller): Auth) -> ApiResult<Json<Vec<ShiftTemplateView>>> {
    Ok(Json(shift_templates::list(&s.pool, &caller).await?))
}

/// A named pattern of local times; an end at or before the start is the next day.
#[utoipa::path(post, path = "/api/v1/shift-templates", tag = "shifts", request_body = NewShiftTemplate,
    responses((status = 201, body = ShiftTemplateView), (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn create(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Json(new): Json<NewShiftTemplate>,
) -> ApiResult<(StatusCode, Json<ShiftTemplateView>)> {
    Ok((StatusCode::CREATED, Json(shift_templates::create(&s.pool, &caller, new).await?)))
}

#[utoipa::path(delete, path = "/api/v1/shift-templates/{id}", tag = "shifts", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = super::error::ErrorBody)))]
pub async fn archive(State(s): State<ApiState>, Auth(caller): Auth, Path(id): Path<Uuid>) -> ApiResult<StatusCode> {
    shift_templates::archive(&s.pool, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Plans a draft shift from the template on a local day at a location.
#[utoipa::path(post, path = "/api/v1/shift-templates/{id}/plan", tag = "shifts", params(("id" = Uuid, Path)), request_body = PlanFromTemplate,
    responses((status = 201, body = ShiftView), (status = 403, body = super::error::ErrorBody),
              (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn plan(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Path(id): Path<Uuid>,
    Json(request): Json<PlanFromTemplate>,
) -> ApiResult<(StatusCode, Json<ShiftView>)> {
    Ok((StatusCode::CREATED, Json(shift_templates::plan(&s.pool, &caller, id, request).await?)))
}
