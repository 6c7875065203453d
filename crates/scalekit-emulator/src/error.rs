//! Scalekit-shaped error answers: `{code, message, details: [ErrorInfo]}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

pub const INVALID_ARGUMENT: i32 = 3;
pub const NOT_FOUND: i32 = 5;
pub const ALREADY_EXISTS: i32 = 6;
pub const PERMISSION_DENIED: i32 = 7;
pub const FAILED_PRECONDITION: i32 = 9;
pub const UNAUTHENTICATED: i32 = 16;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: i32,
    error_code: &'static str,
    message: String,
    violations: Vec<Value>,
    /// `tool_error_info` of the ErrorInfo: a tool that failed upstream.
    tool_error: Option<Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}: {}", self.status.as_u16(), self.message)
    }
}

impl ApiError {
    fn new(status: StatusCode, code: i32, error_code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, error_code, message: message.into(), violations: vec![], tool_error: None }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, INVALID_ARGUMENT, "INVALID_ARGUMENT", message)
    }

    /// A validation failure of one field, as protovalidate reports it.
    pub fn field(field: &str, description: &str, constraint: &str) -> Self {
        let mut e = ApiError::invalid(format!("validation error: {field}: {description}"));
        e.violations.push(json!({ "field": field, "description": description, "constraint": constraint }));
        e
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, NOT_FOUND, "NOT_FOUND", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, ALREADY_EXISTS, "ALREADY_EXISTS", message)
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, UNAUTHENTICATED, "UNAUTHENTICATED", message)
    }

    /// 403, as gRPC's PERMISSION_DENIED maps.
    pub fn permission_denied(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, PERMISSION_DENIED, "PERMISSION_DENIED", message)
    }

    /// 400 for a request that is well formed but cannot run in the current state (gRPC FAILED_PRECONDITION).
    pub fn failed_precondition(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, FAILED_PRECONDITION, "FAILED_PRECONDITION", message)
    }

    /// Any HTTP error status, with the gRPC code the gateway maps it from (502: INTERNAL).
    pub fn with_status(status: u16, message: impl Into<String>) -> Self {
        let (code, error_code) = crate::faults::grpc_code(status);
        ApiError::new(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), code, error_code, message)
    }

    /// A tool that failed at its provider: the upstream status, `error_code` `TOOL_ERROR`
    /// and a `tool_error_info` naming the execution.
    pub fn tool_error(status: u16, execution_id: &str, tool_error_code: &str, tool_error_message: &str) -> Self {
        let mut e = ApiError::with_status(status, tool_error_message.to_owned());
        e.error_code = "TOOL_ERROR";
        e.tool_error = Some(json!({ "execution_id": execution_id, "tool_error_code": tool_error_code, "tool_error_message": tool_error_message }));
        e
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
        if let Some(tool_error) = self.tool_error {
            info["tool_error_info"] = tool_error;
        }
        (self.status, Json(json!({ "code": self.code, "message": self.message, "details": [info] }))).into_response()
    }
}

/// OAuth token-endpoint errors use RFC 6749's shape instead.
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({ "error": error, "error_description": description }))).into_response()
}
