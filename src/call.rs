//! The per-request options every method takes as its optional last argument,
//! and their marshaling: one `Call` per method call, so a method only says
//! which core function it runs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{LazyLock, Mutex};

use napi_derive::napi;
use scalekit_core::{config, CamelJson, CancellationToken, ResponseCapture};

use crate::errors::IntoNapi;
use crate::json::Json;

/// Options of one call; each one left out takes the client's default.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct RequestOptions {
    /// Cancels the call: the request in flight is dropped and its connection closed. An already
    /// aborted signal rejects at once, with nothing sent. Your own listeners are left alone.
    #[napi(ts_type = "AbortSignal")]
    pub signal: Option<()>,
    /// Per attempt, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// The whole call, in milliseconds: token fetch, every attempt and every backoff.
    pub deadline_ms: Option<f64>,
    /// Retries after a retryable failure, 0 to 10.
    pub max_retries: Option<f64>,
    /// Extra request headers (not `Authorization`, `Host`, `Content-Type` or framing headers).
    pub headers: Option<HashMap<String, String>>,
    /// `Idempotency-Key` of a POST, the same on every attempt; one is generated when left out.
    pub idempotency_key: Option<String>,
    /// Resolve to `{ data, response }`, where `response` has the status, headers, request id,
    /// rate-limit state and attempts of the answer.
    pub with_response: Option<bool>,
    /// Set by the JS wrapper from `signal` (see `__cancellation`).
    #[napi(skip_typescript)]
    pub cancellation: Option<u32>,
}

/// Cancel tokens of the calls in flight that have a signal, by id.
static CANCELLATIONS: LazyLock<Mutex<HashMap<u32, CancellationToken>>> = LazyLock::new(Default::default);
#[cfg_attr(test, allow(dead_code))]
static NEXT_CANCELLATION: AtomicU32 = AtomicU32::new(1);

/// A new cancel token for a call with a signal; the JS wrapper cancels and releases it.
#[napi(skip_typescript, js_name = "__cancellation")]
#[cfg_attr(test, allow(dead_code))]
pub fn new_cancellation() -> u32 {
    let id = NEXT_CANCELLATION.fetch_add(1, Ordering::Relaxed);
    CANCELLATIONS.lock().unwrap().insert(id, CancellationToken::new());
    id
}

/// Cancels (`cancel` true) or forgets the token `id`.
#[napi(skip_typescript, js_name = "__cancel")]
#[cfg_attr(test, allow(dead_code))]
pub fn end_cancellation(id: u32, cancel: bool) {
    let token = CANCELLATIONS.lock().unwrap().remove(&id);
    if let Some(token) = token.filter(|_| cancel) {
        token.cancel();
    }
}

/// One method call's core options and what it must report back.
pub struct Call {
    pub options: scalekit_core::RequestOptions,
    capture: Option<ResponseCapture>,
}

impl Call {
    /// Checks the options before any I/O.
    pub fn new(options: Option<RequestOptions>) -> napi::Result<Call> {
        Self::from_js(options.unwrap_or_default()).into_napi()
    }

    fn from_js(js: RequestOptions) -> scalekit_core::Result<Call> {
        let mut options = scalekit_core::RequestOptions {
            timeout: js.timeout_ms.map(|ms| config::millis("requestOptions.timeoutMs", ms)).transpose()?,
            deadline: js.deadline_ms.map(|ms| config::millis("requestOptions.deadlineMs", ms)).transpose()?,
            max_retries: js.max_retries.map(|n| config::retries("requestOptions.maxRetries", n)).transpose()?,
            ..Default::default()
        };
        for (name, value) in js.headers.iter().flatten() {
            options.header(name, value)?;
        }
        if let Some(key) = &js.idempotency_key {
            options.idempotency_key(key)?;
        }
        options.cancel = js.cancellation.and_then(|id| CANCELLATIONS.lock().unwrap().get(&id).cloned());
        let capture = js.with_response.unwrap_or(false).then(ResponseCapture::default);
        options.capture = capture.clone();
        Ok(Call { options, capture })
    }

    /// The JS result: the camelCase JSON, or `{ data, response }` with `withResponse`.
    pub fn finish(&self, result: scalekit_core::Result<CamelJson>) -> napi::Result<Json> {
        let data = result.into_napi()?;
        match self.capture.as_ref().and_then(ResponseCapture::take) {
            None => Ok(data.into()),
            Some(meta) => {
                let meta = serde_json::to_string(&meta).map_err(|e| napi::Error::from_reason(e.to_string()))?;
                Ok(Json::new(format!("{{\"data\":{},\"response\":{meta}}}", data.text)))
            }
        }
    }
}

/// The future of one sub-client call, boxed: every method shares one instantiation of the promise glue.
pub type CallFuture = std::pin::Pin<Box<dyn std::future::Future<Output = napi::Result<Json>> + Send>>;

/// Runs a call on the runtime and gives JS its promise (settled through `completion`).
pub fn spawn(env: &napi::Env, future: CallFuture) -> napi::Result<napi::bindgen_prelude::PromiseRaw<'_, Json>> {
    crate::completion::spawn(env, future)
}
