//! Scalekit-shaped error answers: `{code, message, details: [ErrorInfo]}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

pub const INVALID_ARGUMENT: i32 = 3;
pub const NOT_FOUND: i32 = 5;
pub const ALREADY_EXISTS: i32 = 6;
pub const UNAUTHENTICATED: i32 = 16;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: i32,
    error_code: &'static str,
    message: String,
    violations: Vec<Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}: {}", self.status.as_u16(), self.message)
    }
}

impl ApiError {
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::BAD_REQUEST, code: INVALID_ARGUMENT, error_code: "INVALID_ARGUMENT", message: message.into(), violations: vec![] }
    }

    /// A validation failure of one field, as protovalidate reports it.
    pub fn field(field: &str, description: &str, constraint: &str) -> Self {
        let mut e = ApiError::invalid(format!("validation error: {field}: {description}"));
        e.violations.push(json!({ "field": field, "description": description, "constraint": constraint }));
        e
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::NOT_FOUND, code: NOT_FOUND, error_code: "NOT_FOUND", message: message.into(), violations: vec![] }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::CONFLICT, code: ALREADY_EXISTS, error_code: "ALREADY_EXISTS", message: message.into(), violations: vec![] }
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::UNAUTHORIZED, code: UNAUTHENTICATED, error_code: "UNAUTHENTICATED", message: message.into(), violations: vec![] }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut info = json!({
            "@type": "type.googleapis.com/scalekit.v1.errdetails.ErrorInfo",
            "error_code": self.error_code,
        });
        if !self.violations.is_empty() {
            info["validation_error_info"] = json!({ "field_violations": self.violations });
        }
        (self.status, Json(json!({ "code": self.code, "message": self.message, "details": [info] }))).into_response()
    }
}

/// OAuth token-endpoint errors use RFC 6749's shape instead.
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({ "error": error, "error_description": description }))).into_response()
}
