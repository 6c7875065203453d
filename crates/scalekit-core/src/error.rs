//! One error type for every failure of the client, with enough detail for the
//! addon to rebuild the official SDK's exception classes.

use serde::{Deserialize, Serialize};

use crate::models::ErrorInfo;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure of a Scalekit call. `Clone` so that one failed token request
/// can be handed to every caller that was waiting on it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// Rejected before any network I/O.
    #[error("{message}")]
    InvalidInput { field: String, message: String },
    /// The server (API or token endpoint) answered with an error status.
    #[error("{}", .0.message)]
    Server(Box<ServerError>),
    /// No usable HTTP answer: refused, reset, timed out, aborted, TLS, or a body that is not what the API promises.
    #[error("{}", .0.message)]
    Transport(Box<TransportError>),
    /// A webhook or interceptor payload that did not verify; `reason` is machine-readable.
    #[error("{message}")]
    Webhook { reason: &'static str, message: String },
    /// A JWT that did not validate; `reason` is machine-readable (`expired`, `bad_signature`, …).
    #[error("{message}")]
    TokenInvalid { reason: &'static str, message: String },
}

impl Error {
    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.into(), message: message.into() }
    }

    pub(crate) fn transport(kind: TransportKind, message: impl Into<String>) -> Self {
        Error::Transport(Box::new(TransportError { kind, message: message.into(), ..Default::default() }))
    }

    /// A not-found the client concludes from a successful answer (an empty list where one item was asked for).
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Error::Server(Box::new(ServerError {
            http_status: 404,
            grpc_status: grpc::NOT_FOUND,
            error_code: None,
            message: message.into(),
            err_details: Vec::new(),
            request_id: None,
            attempts: 1,
            retry_after: None,
            rate_limit: None,
            outcome_unknown: false,
        }))
    }

    /// Name of the matching exception class of the official SDK (or ours, for the kinds it lacks).
    pub fn class_name(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "ScalekitValidationException",
            Error::Transport(e) => e.class_name(),
            Error::Server(e) => e.class_name(),
            Error::Webhook { .. } => "WebhookVerificationError",
            Error::TokenInvalid { .. } => "ScalekitValidateTokenFailureException",
        }
    }

    /// Attempts made for the call that failed (1 = no retry; 0 = nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::InvalidInput { .. } | Error::Webhook { .. } | Error::TokenInvalid { .. } => 0,
            Error::Transport(e) => e.attempts,
            Error::Server(e) => e.attempts,
        }
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        match self {
            Error::InvalidInput { .. } | Error::Webhook { .. } | Error::TokenInvalid { .. } => {}
            Error::Transport(e) => e.attempts = attempts,
            Error::Server(e) => e.attempts = attempts,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    Connect,
    Timeout,
    Tls,
    Reset,
    /// The answer came but could not be read as the API's JSON.
    Decode,
    /// The caller's `AbortSignal` fired.
    Aborted,
    #[default]
    Other,
}

/// Which time limit a [`TransportKind::Timeout`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeoutLimit {
    /// `timeoutMs`: one attempt (a request and its answer, or one token request).
    Attempt,
    /// `deadlineMs`: the whole call, every attempt, backoff and token fetch included.
    Deadline,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransportError {
    pub kind: TransportKind,
    pub message: String,
    pub attempts: u32,
    /// The request may have been processed (a POST or PATCH lost after it was sent): not retried.
    pub outcome_unknown: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<TimeoutLimit>,
}

impl TransportError {
    pub fn class_name(&self) -> &'static str {
        // The caller's own limits (abort, deadline) keep their class, with `outcome_unknown` set
        // when they cut a POST short; a transport failure of a sent POST is an outcome-unknown error.
        match (self.kind, self.limit) {
            (TransportKind::Aborted, _) => "ScalekitAbortedException",
            (TransportKind::Timeout, Some(TimeoutLimit::Deadline)) => "ScalekitTimeoutException",
            _ if self.outcome_unknown => "ScalekitOutcomeUnknownException",
            (TransportKind::Timeout, _) => "ScalekitTimeoutException",
            _ => "ScalekitTransportException",
        }
    }
}

/// Rate-limit state from `RateLimit-*` or `X-RateLimit-*` headers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_at: Option<String>,
}

/// An error answer from Scalekit, normalised from either the gRPC-gateway
/// shape `{code, message, details}` or the OAuth shape `{error, error_description}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerError {
    pub http_status: u16,
    pub grpc_status: i32,
    pub error_code: Option<String>,
    pub message: String,
    pub err_details: Vec<ErrorInfo>,
    pub request_id: Option<String>,
    pub attempts: u32,
    /// `Retry-After`, in milliseconds.
    pub retry_after: Option<u64>,
    pub rate_limit: Option<RateLimit>,
    /// A 5xx other than 503 to a POST or PATCH: it may have been processed, so it was not retried.
    pub outcome_unknown: bool,
}

/// gRPC status codes (google.rpc.Code).
pub mod grpc {
    pub const CANCELLED: i32 = 1;
    pub const UNKNOWN: i32 = 2;
    pub const INVALID_ARGUMENT: i32 = 3;
    pub const DEADLINE_EXCEEDED: i32 = 4;
    pub const NOT_FOUND: i32 = 5;
    pub const ALREADY_EXISTS: i32 = 6;
    pub const PERMISSION_DENIED: i32 = 7;
    pub const RESOURCE_EXHAUSTED: i32 = 8;
    pub const FAILED_PRECONDITION: i32 = 9;
    pub const ABORTED: i32 = 10;
    pub const OUT_OF_RANGE: i32 = 11;
    pub const UNIMPLEMENTED: i32 = 12;
    pub const INTERNAL: i32 = 13;
    pub const UNAVAILABLE: i32 = 14;
    pub const DATA_LOSS: i32 = 15;
    pub const UNAUTHENTICATED: i32 = 16;

    /// The official SDK's map for answers that carry no gRPC code.
    pub fn from_http_status(status: u16) -> i32 {
        match status {
            400 => INVALID_ARGUMENT,
            401 => UNAUTHENTICATED,
            403 => PERMISSION_DENIED,
            404 => NOT_FOUND,
            409 => ALREADY_EXISTS,
            429 => RESOURCE_EXHAUSTED,
            499 => CANCELLED,
            500 => INTERNAL,
            501 => UNIMPLEMENTED,
            503 => UNAVAILABLE,
            504 => DEADLINE_EXCEEDED,
            _ => UNKNOWN,
        }
    }
}

impl ServerError {
    /// Exception class chosen the way the official SDK's `promote` does: by gRPC code.
    pub fn class_name(&self) -> &'static str {
        use grpc::*;
        if self.is_tool_error() {
            return match self.grpc_status {
                UNAUTHENTICATED => "ScalekitToolUnauthorizedException",
                PERMISSION_DENIED => "ScalekitToolForbiddenException",
                RESOURCE_EXHAUSTED => "ScalekitToolRateLimitException",
                _ => "ScalekitToolException",
            };
        }
        match self.grpc_status {
            INVALID_ARGUMENT | FAILED_PRECONDITION | OUT_OF_RANGE => "ScalekitBadRequestException",
            UNAUTHENTICATED => "ScalekitUnauthorizedException",
            PERMISSION_DENIED => "ScalekitForbiddenException",
            NOT_FOUND => "ScalekitNotFoundException",
            ALREADY_EXISTS | ABORTED => "ScalekitConflictException",
            RESOURCE_EXHAUSTED => "ScalekitTooManyRequestsException",
            CANCELLED => "ScalekitCancelledException",
            DATA_LOSS | UNKNOWN | INTERNAL => "ScalekitInternalServerException",
            UNIMPLEMENTED => "ScalekitNotImplementedException",
            UNAVAILABLE => "ScalekitServiceUnavailableException",
            DEADLINE_EXCEEDED => "ScalekitGatewayTimeoutException",
            _ => "ScalekitUnknownException",
        }
    }

    /// An upstream tool provider failed: some detail has `error_code` `TOOL_ERROR`.
    pub fn is_tool_error(&self) -> bool {
        self.err_details.iter().any(|d| d.error_code.as_deref() == Some("TOOL_ERROR"))
    }

    /// Builds the error from a non-success answer. `body` may be anything: an
    /// HTML page from a proxy must still give a useful message.
    pub fn from_response(http_status: u16, body: &[u8], request_id: Option<String>) -> Self {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct WireError {
            code: Option<serde_json::Value>,
            message: Option<String>,
            details: Option<Vec<ErrorInfo>>,
            error: Option<String>,
            error_description: Option<String>,
        }
        let wire: WireError = serde_json::from_slice(body).unwrap_or_default();
        let grpc_status = match wire.code.as_ref().and_then(|c| c.as_i64()) {
            Some(code) if code > 0 => code as i32,
            _ => grpc::from_http_status(http_status),
        };
        let details = wire.details.unwrap_or_default();
        let error_code = details
            .iter()
            .find_map(|d| d.error_code.clone().filter(|c| !c.is_empty()))
            .or(wire.error.clone());
        let message = wire
            .message
            .filter(|m| !m.is_empty())
            .or(wire.error_description)
            .or(wire.error)
            .unwrap_or_else(|| {
                let text = String::from_utf8_lossy(body);
                let text = text.trim();
                if text.is_empty() || text.len() > 200 {
                    format!("HTTP {http_status}")
                } else {
                    format!("HTTP {http_status}: {text}")
                }
            });
        ServerError { http_status, grpc_status, error_code, message, err_details: details, request_id, attempts: 1, retry_after: None, rate_limit: None, outcome_unknown: false }
    }
}

impl From<crate::auth::WebhookFailure> for Error {
    fn from(failure: crate::auth::WebhookFailure) -> Self {
        Error::Webhook { reason: failure.reason(), message: failure.message().to_owned() }
    }
}

impl From<ServerError> for Error {
    fn from(e: ServerError) -> Self {
        Error::Server(Box::new(e))
    }
}

/// Maps a reqwest failure to a transport error whose message carries the whole
/// cause chain (reqwest's own message hides the root cause, e.g. "Connection refused").
/// The message never holds a header or body: reqwest's errors carry the URL and causes only.
pub(crate) fn transport_error(err: &reqwest::Error) -> Error {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    let mut chain = String::new();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) && !chain.contains(&text) {
            chain.push_str(": ");
            chain.push_str(&text);
        }
        source = cause.source();
    }
    message.push_str(&chain);
    if let Some(url) = err.url() {
        // The query may hold search terms, emails and page tokens, and a path may be huge: neither belongs in
        // an error message.
        let path = url.path();
        let path = if path.len() > 200 { format!("{}…", &path[..path.floor_char_boundary(200)]) } else { path.to_owned() };
        message = message.replace(url.as_str(), &format!("{}{path}", url.origin().ascii_serialization()));
    }
    let lower = message.to_ascii_lowercase();
    let kind = if err.is_timeout() {
        TransportKind::Timeout
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        TransportKind::Tls
    } else if err.is_connect() {
        TransportKind::Connect
    } else if lower.contains("reset") || lower.contains("connection closed") || lower.contains("incomplete message") || lower.contains("broken pipe") {
        TransportKind::Reset
    } else if err.is_decode() || err.is_body() {
        TransportKind::Decode
    } else {
        TransportKind::Other
    };
    let limit = (kind == TransportKind::Timeout).then_some(TimeoutLimit::Attempt);
    Error::Transport(Box::new(TransportError { kind, message, attempts: 1, outcome_unknown: false, limit }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_grpc_gateway_error_body() {
        let body = br#"{"code":3,"message":"invalid email","details":[{"@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo","error_code":"INVALID_ARGUMENT","validation_error_info":{"field_violations":[{"field":"email","description":"value must be a valid email address","constraint":"string.email"}]}}]}"#;
        let e = ServerError::from_response(400, body, Some("req_1".into()));
        assert_eq!(e.class_name(), "ScalekitBadRequestException");
        assert_eq!(e.grpc_status, 3);
        assert_eq!(e.error_code.as_deref(), Some("INVALID_ARGUMENT"));
        assert_eq!(e.message, "invalid email");
        let violations = &e.err_details[0].validation_error_info.as_ref().unwrap().field_violations;
        assert_eq!(violations[0].field.as_deref(), Some("email"));
        assert_eq!(e.request_id.as_deref(), Some("req_1"));
    }

    #[test]
    fn parses_oauth_error_body() {
        let e = ServerError::from_response(401, br#"{"error":"invalid_client","error_description":"bad credentials"}"#, None);
        assert_eq!(e.class_name(), "ScalekitUnauthorizedException");
        assert_eq!(e.error_code.as_deref(), Some("invalid_client"));
        assert_eq!(e.message, "bad credentials");
    }

    #[test]
    fn non_json_body_falls_back_to_http_status() {
        let e = ServerError::from_response(503, b"<html>upstream down</html>", None);
        assert_eq!(e.class_name(), "ScalekitServiceUnavailableException");
        assert_eq!(e.message, "HTTP 503: <html>upstream down</html>");
        // As in the official SDK: an unmapped status is gRPC UNKNOWN, an internal error.
        let e = ServerError::from_response(418, b"", None);
        assert_eq!(e.class_name(), "ScalekitInternalServerException");
        assert_eq!((e.http_status, e.message.as_str()), (418, "HTTP 418"));
        let e = ServerError::from_response(400, br#"{"code":99,"message":"new"}"#, None);
        assert_eq!(e.class_name(), "ScalekitUnknownException");
    }

    #[test]
    fn tool_errors_get_the_tool_classes() {
        let body = |code: i32| format!(r#"{{"code":{code},"message":"upstream","details":[{{"error_code":"TOOL_ERROR","tool_error_info":{{"execution_id":"ex_1","tool_error_code":"RATE","tool_error_message":"slow down"}}}}]}}"#);
        let class = |code, status| ServerError::from_response(status, body(code).as_bytes(), None).class_name();
        assert_eq!(class(grpc::RESOURCE_EXHAUSTED, 429), "ScalekitToolRateLimitException");
        assert_eq!(class(grpc::UNAUTHENTICATED, 401), "ScalekitToolUnauthorizedException");
        assert_eq!(class(grpc::PERMISSION_DENIED, 403), "ScalekitToolForbiddenException");
        assert_eq!(class(grpc::INTERNAL, 500), "ScalekitToolException");
        let e = ServerError::from_response(500, body(grpc::INTERNAL).as_bytes(), None);
        assert_eq!(e.err_details[0].tool_error_info.as_ref().unwrap().execution_id.as_deref(), Some("ex_1"));
    }
}
