//! The API's one error type: every failure becomes `{"error": {"code", "message", "details"}}` with the
//! status a client can act on. Database faults are logged and answered with a bare 500, leaking nothing.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mosaic::store::DomainError;
use serde_json::{json, Value};

#[derive(Debug)]
pub enum ApiError {
    /// The request could not be read: bad JSON, a bad id in the path, a bad query string (400).
    Malformed {
        message: String,
    },
    Domain(DomainError),
    /// No such route (404).
    NoRoute,
    /// The route exists, but not for this method (405).
    MethodNotAllowed,
    /// A write with a session cookie sent from another site's page (403).
    CrossSite,
    /// A request body over the route's limit (413).
    TooLarge {
        limit_bytes: usize,
    },
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::Domain(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let message = r.body_text();
        // Request bodies refuse fields they do not have (`deny_unknown_fields`): a field misspelt or
        // from another version would otherwise be dropped without a word, and the command done anyway.
        if let Some(field) = unknown_field(&message) {
            return DomainError::invalid(&field, format!("is not a field of this request ({message})")).into();
        }
        ApiError::Malformed { message }
    }
}

/// The field serde names in "unknown field `x`, expected …".
fn unknown_field(message: &str) -> Option<String> {
    let rest = &message[message.find("unknown field `")? + "unknown field `".len()..];
    Some(rest[..rest.find('`')?].to_string())
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::Malformed { message: r.body_text() }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::Malformed { message: r.body_text() }
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed { .. } => StatusCode::BAD_REQUEST,
            ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::CrossSite => StatusCode::FORBIDDEN,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Domain(e) => StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    fn body(&self) -> Value {
        let (code, message, details) = match self {
            ApiError::Malformed { message } => ("malformed", message.clone(), json!({})),
            ApiError::NoRoute => ("not_found", "There is no such API route.".to_string(), json!({})),
            ApiError::MethodNotAllowed => ("method_not_allowed", "This route does not take that method.".to_string(), json!({})),
            ApiError::CrossSite => ("cross_site", "A page on another site cannot change anything here.".to_string(), json!({})),
            ApiError::TooLarge { limit_bytes } => (
                "too_large",
                format!("The file is larger than {} MB; import it in parts.", limit_bytes / (1024 * 1024)),
                json!({ "limit_bytes": limit_bytes }),
            ),
            ApiError::Domain(DomainError::Database(_)) => {
                ("internal", "Something went wrong on our side.".to_string(), json!({}))
            }
            ApiError::Domain(e) => (e.code(), e.to_string(), e.details()),
        };
        json!({ "error": { "code": code, "message": message, "details": details } })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Domain(DomainError::Database(e)) = &self {
            tracing::error!(error = %e, "database error");
        }
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        let headers = response.headers_mut();
        match &self {
            ApiError::Domain(DomainError::Unauthenticated { .. }) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::Domain(DomainError::Throttled { retry_after_secs }) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            _ => {}
        }
        response
    }
}

/// What a panicking handler answers: the same bare 500 a database fault gets, logged with what it said.
pub fn answer_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let said = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    tracing::error!(panic = said, "a handler panicked");
    let body = json!({ "error": { "code": "internal", "message": "Something went wrong on our side.", "details": {} } });
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}

/// The error document, as the OpenAPI description shows it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorDetail {
    /// `malformed`, `invalid`, `not_found`, `double_booked`, `stale_version`, `rule_violation`, …
    code: String,
    message: String,
    /// The field at fault, the clashing shifts, the current version or the blocking conflicts.
    details: Value,
}
