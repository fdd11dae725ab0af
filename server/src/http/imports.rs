//! `/imports/workers` and `/imports/shifts`: a roster or a shifts file (CSV, as spreadsheets save it)
//! checked, then imported whole or not at all; the templates to start one from; and a location's week
//! as a shifts file (`/exports/week.csv`). The file is the request's body, up to 50 MB.

use super::error::{ApiError, ApiResult};
use super::extract::{Json, Query};
use super::{ApiState, Auth};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use mosaic::ids::EntityId;
use mosaic::services::roster_import::{self, parse::TEMPLATE, ImportOptions};
use mosaic::services::{shift_import, week_export};
use mosaic::views::import::ImportReport;

/// The largest file taken.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/imports/workers", post(import))
        .route("/imports/workers/check", post(check))
        .route("/imports/workers/template.csv", get(template))
        .route("/imports/shifts", post(import_shifts))
        .route("/imports/shifts/check", post(check_shifts))
        .route("/imports/shifts/template.csv", get(shifts_template))
        .route("/exports/week.csv", get(export_week))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES))
}

fn file(body: Result<Bytes, axum::extract::rejection::BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|rejection| match rejection.status() {
        axum::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge { limit_bytes: MAX_FILE_BYTES },
        _ => ApiError::Malformed { message: rejection.body_text() },
    })
}

/// What importing the file would do, with every problem by row and column; writes nothing.
#[utoipa::path(post, path = "/api/v1/imports/workers/check", tag = "people", params(ImportOptions),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = super::error::ErrorBody),
              (status = 413, body = super::error::ErrorBody)))]
pub async fn check(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(options): Query<ImportOptions>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<ImportReport>> {
    let bytes = file(body)?;
    Ok(Json(roster_import::check(&s.pool, &caller, &bytes, options).await?))
}

/// Imports the file in one transaction: every row, or (422 `import_refused`, with the problems) none.
/// Importing the same file again changes nothing.
#[utoipa::path(post, path = "/api/v1/imports/workers", tag = "people", params(ImportOptions),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = super::error::ErrorBody),
              (status = 413, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn import(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(options): Query<ImportOptions>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<ImportReport>> {
    let bytes = file(body)?;
    let progress = |done: usize, total: usize| tracing::info!(done, total, "importing workers");
    Ok(Json(roster_import::import(&s.pool, &caller, &bytes, options, &progress).await?))
}

/// A file with every column Mosaic reads and one example row.
#[utoipa::path(get, path = "/api/v1/imports/workers/template.csv", tag = "people",
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn template(Auth(_caller): Auth) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"workers-template.csv\""),
        ],
        TEMPLATE,
    )
}

/// What importing the shifts file would do as drafts, with every problem by row and column (a worker
/// not employed then, an unknown position, …); writes nothing.
#[utoipa::path(post, path = "/api/v1/imports/shifts/check", tag = "shifts", params(ImportOptions),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = super::error::ErrorBody),
              (status = 413, body = super::error::ErrorBody)))]
pub async fn check_shifts(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(options): Query<ImportOptions>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<ImportReport>> {
    let bytes = file(body)?;
    Ok(Json(shift_import::check(&s.pool, &caller, &bytes, options.slash_dates).await?))
}

/// Imports the shifts file as drafts in one transaction: every row, or (422 `import_refused`, with the
/// problems) none. A shift already planned (same worker, place and times) is left as it is.
#[utoipa::path(post, path = "/api/v1/imports/shifts", tag = "shifts", params(ImportOptions),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = super::error::ErrorBody),
              (status = 413, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn import_shifts(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(options): Query<ImportOptions>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<ImportReport>> {
    let bytes = file(body)?;
    Ok(Json(shift_import::import(&s.pool, &caller, &bytes, options.slash_dates).await?))
}

#[utoipa::path(get, path = "/api/v1/imports/shifts/template.csv", tag = "shifts",
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn shifts_template(Auth(_caller): Auth) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"shifts-template.csv\""),
        ],
        shift_import::parse::TEMPLATE,
    )
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WeekOf {
    location_id: EntityId,
    /// Any day of the week, on the location's calendar.
    week: NaiveDate,
}

/// A location's week as a shifts file, in the columns `/imports/shifts` reads.
#[utoipa::path(get, path = "/api/v1/exports/week.csv", tag = "shifts", params(WeekOf),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = super::error::ErrorBody),
              (status = 422, body = super::error::ErrorBody)))]
pub async fn export_week(State(s): State<ApiState>, Auth(caller): Auth, Query(q): Query<WeekOf>) -> ApiResult<impl IntoResponse> {
    let (name, body) = week_export::week_csv(&s.pool, &caller, q.location_id, q.week).await?;
    let file = format!("attachment; filename=\"{name}\"");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, file)], body))
}
