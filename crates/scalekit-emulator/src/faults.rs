//! Fault injection: latency, error statuses and dropped connections for the
//! next N matching requests, deterministic under the emulator's seed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Notify;

use crate::state::AppState;

/// A fault to inject. Every field is optional: `{ status: 503 }` fails the next request with 503.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultSpec {
    /// Only requests whose path starts with this (a `*` matches any run of characters). Default: all but `/oauth/token`.
    pub path: Option<String>,
    /// Only requests with this method.
    pub method: Option<String>,
    /// How many matching requests it applies to; 0 means until cleared. Default 1.
    pub times: Option<u32>,
    /// Apply to each matching request with this probability (seeded). Default 1.
    pub probability: Option<f64>,
    /// Answer with this status and a Scalekit-shaped error body (429, 500, 503, ...).
    pub status: Option<u16>,
    /// `Retry-After` header, in seconds (for 429 and 503).
    pub retry_after_seconds: Option<u32>,
    /// Delay before answering (or before dropping).
    pub latency_ms: Option<u32>,
    /// Extra random delay from 0 to this, drawn from the seeded generator.
    pub jitter_ms: Option<u32>,
    /// Close the connection without answering, before the request is processed (nothing changes).
    pub drop: Option<bool>,
    /// Process the request (a create is stored), then close the connection without answering:
    /// the client cannot know whether it took effect.
    pub drop_after_processing: Option<bool>,
    /// Send `Retry-After` as an HTTP-date (`retryAfterSeconds` from now) instead of seconds.
    pub retry_after_as_date: Option<bool>,
    /// `RateLimit-Limit` header on the answer (with `rateLimitRemaining` and `rateLimitResetSeconds`).
    pub rate_limit_limit: Option<u32>,
    /// `RateLimit-Remaining` header on the answer.
    pub rate_limit_remaining: Option<u32>,
    /// `RateLimit-Reset` header on the answer, in seconds.
    pub rate_limit_reset_seconds: Option<u32>,
}

struct ActiveFault {
    spec: FaultSpec,
    remaining: Option<u32>,
}

pub struct Faults {
    active: Mutex<Vec<ActiveFault>>,
    rng: Mutex<StdRng>,
}

/// Lets a handler close the connection it came on (see `lib.rs`'s accept loop).
#[derive(Clone)]
pub struct ConnectionKill(pub Arc<Notify>);

fn matches_path(pattern: &str, path: &str) -> bool {
    match pattern.split_once('*') {
        None => path.starts_with(pattern),
        Some((head, tail)) => path.strip_prefix(head).is_some_and(|rest| (0..=rest.len()).any(|i| rest.is_char_boundary(i) && matches_path(tail, &rest[i..]))),
    }
}

impl Faults {
    pub fn new(seed: u64) -> Self {
        Faults { active: Mutex::new(Vec::new()), rng: Mutex::new(StdRng::seed_from_u64(seed)) }
    }

    pub fn add(&self, spec: FaultSpec) -> Result<(), String> {
        if let Some(status) = spec.status {
            if !(400..=599).contains(&status) {
                return Err(format!("status must be an HTTP error status (400-599), got {status}"));
            }
        }
        if spec.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
            return Err("probability must be from 0 to 1".into());
        }
        let remaining = match spec.times {
            Some(0) => None,
            Some(n) => Some(n),
            None => Some(1),
        };
        self.active.lock().unwrap().push(ActiveFault { spec, remaining });
        Ok(())
    }

    pub fn clear(&self) {
        self.active.lock().unwrap().clear();
    }

    /// The fault to apply to this request, if any (and uses one of its `times`).
    fn take(&self, method: &str, path: &str) -> Option<(FaultSpec, Duration)> {
        let mut active = self.active.lock().unwrap();
        let mut rng = self.rng.lock().unwrap();
        let index = active.iter().position(|f| {
            let path_ok = match &f.spec.path {
                Some(pattern) => matches_path(pattern, path),
                None => path != "/oauth/token",
            };
            path_ok && f.spec.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method)) && f.remaining != Some(0)
        })?;
        if let Some(p) = active[index].spec.probability {
            if !rng.random_bool(p) {
                return None;
            }
        }
        let fault = &mut active[index];
        if let Some(n) = fault.remaining.as_mut() {
            *n -= 1;
        }
        let spec = fault.spec.clone();
        if fault.remaining == Some(0) {
            active.remove(index);
        }
        let jitter = spec.jitter_ms.map(|j| rng.random_range(0..=j)).unwrap_or(0);
        Some((spec.clone(), Duration::from_millis(u64::from(spec.latency_ms.unwrap_or(0)) + u64::from(jitter))))
    }
}

pub(crate) fn grpc_code(status: u16) -> (i32, &'static str) {
    match status {
        400 => (3, "INVALID_ARGUMENT"),
        401 => (16, "UNAUTHENTICATED"),
        403 => (7, "PERMISSION_DENIED"),
        404 => (5, "NOT_FOUND"),
        // grpc-gateway's answer to a method a path does not serve.
        405 => (12, "UNIMPLEMENTED"),
        409 => (6, "ALREADY_EXISTS"),
        415 => (3, "INVALID_ARGUMENT"),
        429 => (8, "RESOURCE_EXHAUSTED"),
        499 => (1, "CANCELLED"),
        501 => (12, "UNIMPLEMENTED"),
        503 => (14, "UNAVAILABLE"),
        504 => (4, "DEADLINE_EXCEEDED"),
        _ => (13, "INTERNAL"),
    }
}

pub async fn apply(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/_emulator/") {
        return next.run(request).await;
    }
    let Some((fault, delay)) = state.faults.take(request.method().as_str(), request.uri().path()) else {
        return next.run(request).await;
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    let drop_connection = || async move {
        if let Some(kill) = kill {
            kill.0.notify_one();
        }
        // Never answered: the connection is closed under it.
        std::future::pending::<Response>().await
    };
    if fault.drop == Some(true) {
        return drop_connection().await;
    }
    if fault.drop_after_processing == Some(true) {
        let _processed = next.run(request).await;
        return drop_connection().await;
    }
    let mut response = match fault.status {
        None => next.run(request).await,
        Some(status) => {
            let (code, error_code) = grpc_code(status);
            let body = json!({
                "code": code,
                "message": format!("injected fault: HTTP {status}"),
                "details": [{ "@type": "type.googleapis.com/scalekit.v1.errdetails.ErrorInfo", "error_code": error_code }],
            });
            let mut response = (StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), Json(body)).into_response();
            if let Some(seconds) = fault.retry_after_seconds.or((status == 429).then_some(1)) {
                let value = if fault.retry_after_as_date == Some(true) {
                    let at = std::time::SystemTime::now() + Duration::from_secs(u64::from(seconds));
                    HeaderValue::from_str(&httpdate::fmt_http_date(at)).expect("an HTTP-date is ASCII")
                } else {
                    HeaderValue::from(seconds)
                };
                response.headers_mut().insert("retry-after", value);
            }
            response
        }
    };
    for (name, value) in [("ratelimit-limit", fault.rate_limit_limit), ("ratelimit-remaining", fault.rate_limit_remaining), ("ratelimit-reset", fault.rate_limit_reset_seconds)] {
        if let Some(value) = value {
            response.headers_mut().insert(name, HeaderValue::from(value));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns() {
        assert!(matches_path("/api/v1/organizations", "/api/v1/organizations/org_1/users"));
        assert!(matches_path("/api/v1/organizations/*/users", "/api/v1/organizations/org_1/users"));
        assert!(!matches_path("/api/v1/users", "/api/v1/organizations"));
    }

    #[test]
    fn times_and_probability_are_deterministic() {
        let faults = Faults::new(7);
        faults.add(FaultSpec { status: Some(503), times: Some(2), ..Default::default() }).unwrap();
        assert!(faults.take("GET", "/api/v1/organizations").is_some());
        assert!(faults.take("GET", "/oauth/token").is_none(), "the token endpoint is spared unless named");
        assert!(faults.take("GET", "/api/v1/organizations").is_some());
        assert!(faults.take("GET", "/api/v1/organizations").is_none());

        let draws = |seed| {
            let faults = Faults::new(seed);
            faults.add(FaultSpec { status: Some(500), times: Some(0), probability: Some(0.5), ..Default::default() }).unwrap();
            (0..32).map(|_| faults.take("GET", "/api/v1/x").is_some()).collect::<Vec<_>>()
        };
        assert_eq!(draws(1), draws(1));
        assert_ne!(draws(1), draws(2));
        assert!(Faults::new(1).add(FaultSpec { status: Some(200), ..Default::default() }).is_err());
    }
}
