//! When a failed attempt is tried again, and after how long.
//!
//! GET, PUT and DELETE are idempotent, so any retryable failure may be retried.
//! A POST or PATCH is retried only when the server provably did not process it:
//! the connection failed before the request was written, or the answer was 429
//! or 503 (Scalekit refused it). After a reset, a read timeout or another 5xx
//! its outcome is unknown, and the call fails saying so instead of risking a
//! duplicate.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::Method;

use crate::error::{RateLimit, TransportKind};

/// First backoff step; each retry doubles it, up to [`MAX_BACKOFF`], with full jitter.
pub const BASE_BACKOFF: Duration = Duration::from_millis(500);
pub const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// The longest `Retry-After` the client waits for; a longer one fails the call at once (with `retryAfter` set).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Statuses worth another attempt.
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

pub fn idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE)
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Retry,
    /// Not worth retrying (a 400, a TLS failure, …).
    Fail,
    /// A POST or PATCH that may have been processed: fail, marked as outcome unknown.
    OutcomeUnknown,
}

/// After an answer with an error status.
pub fn after_status(method: &Method, status: u16) -> Verdict {
    if !retryable_status(status) {
        Verdict::Fail
    } else if idempotent(method) || matches!(status, 429 | 503) {
        Verdict::Retry
    } else {
        Verdict::OutcomeUnknown
    }
}

/// After a failure with no answer. `connect`: it failed while connecting, before anything was written.
pub fn after_transport(method: &Method, kind: TransportKind, connect: bool) -> Verdict {
    match kind {
        TransportKind::Tls | TransportKind::Decode | TransportKind::Aborted | TransportKind::Other => Verdict::Fail,
        _ if connect => Verdict::Retry,
        TransportKind::Connect => Verdict::Retry,
        TransportKind::Timeout | TransportKind::Reset if idempotent(method) => Verdict::Retry,
        TransportKind::Timeout | TransportKind::Reset => Verdict::OutcomeUnknown,
    }
}

/// Exponential backoff with full jitter: uniform in `[0, min(MAX, BASE · 2^retry)]`.
pub fn backoff(retry: u32) -> Duration {
    let ceiling = BASE_BACKOFF.saturating_mul(1u32 << retry.min(16)).min(MAX_BACKOFF);
    ceiling.mul_f64(rand::random::<f64>())
}

/// `Retry-After` as delta seconds or an HTTP-date.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `RateLimit-Limit/-Remaining/-Reset` (reset in seconds from now), or the
/// `X-RateLimit-*` spelling (reset as seconds from now or a unix time).
pub fn rate_limit(headers: &HeaderMap, now: SystemTime) -> Option<RateLimit> {
    let number = |names: [&str; 2]| {
        names.iter().find_map(|name| headers.get(*name)).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().split([',', ';']).next()?.trim().parse::<u64>().ok())
    };
    let limit = number(["ratelimit-limit", "x-ratelimit-limit"]);
    let remaining = number(["ratelimit-remaining", "x-ratelimit-remaining"]);
    let reset = number(["ratelimit-reset", "x-ratelimit-reset"]);
    if limit.is_none() && remaining.is_none() && reset.is_none() {
        return None;
    }
    let now_unix = now.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs();
    // Values past a billion seconds (2001) are unix times, smaller ones are deltas.
    let reset_at = reset.map(|r| if r > 1_000_000_000 { r } else { now_unix + r }).map(|unix| {
        let time = time::OffsetDateTime::from_unix_timestamp(unix as i64).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        time.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
    });
    Some(RateLimit { limit, remaining, reset_at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn only_unprocessed_posts_are_retried() {
        assert_eq!(after_status(&Method::GET, 500), Verdict::Retry);
        assert_eq!(after_status(&Method::DELETE, 502), Verdict::Retry);
        assert_eq!(after_status(&Method::POST, 429), Verdict::Retry);
        assert_eq!(after_status(&Method::POST, 503), Verdict::Retry);
        assert_eq!(after_status(&Method::POST, 500), Verdict::OutcomeUnknown);
        assert_eq!(after_status(&Method::PATCH, 504), Verdict::OutcomeUnknown);
        assert_eq!(after_status(&Method::GET, 400), Verdict::Fail);
        assert_eq!(after_status(&Method::POST, 409), Verdict::Fail);
        assert_eq!(after_transport(&Method::POST, TransportKind::Connect, true), Verdict::Retry);
        assert_eq!(after_transport(&Method::POST, TransportKind::Timeout, true), Verdict::Retry, "a connect timeout wrote nothing");
        assert_eq!(after_transport(&Method::POST, TransportKind::Reset, false), Verdict::OutcomeUnknown);
        assert_eq!(after_transport(&Method::POST, TransportKind::Timeout, false), Verdict::OutcomeUnknown);
        assert_eq!(after_transport(&Method::GET, TransportKind::Reset, false), Verdict::Retry);
        assert_eq!(after_transport(&Method::GET, TransportKind::Tls, true), Verdict::Fail);
    }

    #[test]
    fn backoff_is_capped_full_jitter() {
        for retry in 0..40 {
            let ceiling = BASE_BACKOFF.saturating_mul(1 << retry.min(16)).min(MAX_BACKOFF);
            for _ in 0..50 {
                assert!(backoff(retry) <= ceiling);
            }
        }
        assert!((0..200).map(|_| backoff(3)).any(|d| d < Duration::from_millis(100)), "jitter reaches low values");
    }

    #[test]
    fn retry_after_in_both_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(3)));
        headers.insert("retry-after", HeaderValue::from_str(&httpdate::fmt_http_date(now + Duration::from_secs(7))).unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert("retry-after", HeaderValue::from_str(&httpdate::fmt_http_date(now - Duration::from_secs(7))).unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO), "a date in the past means now");
        headers.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn rate_limit_headers() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = HeaderMap::new();
        assert_eq!(rate_limit(&headers, now), None);
        headers.insert("ratelimit-limit", HeaderValue::from_static("100"));
        headers.insert("ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("ratelimit-reset", HeaderValue::from_static("30"));
        let state = rate_limit(&headers, now).unwrap();
        assert_eq!((state.limit, state.remaining), (Some(100), Some(0)));
        assert_eq!(state.reset_at.as_deref(), Some("2023-11-14T22:13:50Z"));
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("1700000060"));
        assert_eq!(rate_limit(&headers, now).unwrap().reset_at.as_deref(), Some("2023-11-14T22:14:20Z"));
    }
}
