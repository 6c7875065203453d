//! What the client tells a logger or tracer, one event per attempt. Events are
//! redacted by construction: they carry the method, the path, the status and
//! timings, never a header, a token, a secret, a query value or a body.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// An attempt is about to be sent.
    Request,
    /// An attempt got an answer (any status).
    Response,
    /// An attempt failed without an answer.
    Error,
    /// The client will try again after `delay_ms`.
    Retry,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub kind: EventKind,
    pub method: String,
    /// The path without its query: query values may carry user data.
    pub path: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The error class and message of a failed attempt (messages never hold secrets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

impl Event {
    pub fn new(kind: EventKind, method: &str, path: &str, attempt: u32) -> Self {
        Event { kind, method: method.to_owned(), path: path.to_owned(), attempt, status: None, duration_ms: None, request_id: None, error: None, delay_ms: None }
    }
}

/// Receives the client's events. Called on the client's runtime threads, so it must not block.
pub trait Observer: Send + Sync {
    fn event(&self, event: Event);
}
