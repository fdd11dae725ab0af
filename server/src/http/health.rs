use super::ApiState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub fn router() -> Router<ApiState> {
    Router::new().route("/health", get(health))
}

/// Whether the server can reach its database.
#[utoipa::path(get, path = "/api/v1/health", tag = "health",
    responses((status = 200, description = "Healthy"), (status = 503, description = "The database does not answer")))]
pub async fn health(State(state): State<ApiState>) -> (StatusCode, Json<Value>) {
    match mosaic::store::ping(&state.pool).await {
        Ok(_) => (StatusCode::OK, Json(json!({ "status": "ok", "database": "ok" }))),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "degraded", "database": "unreachable" })))
        }
    }
}
