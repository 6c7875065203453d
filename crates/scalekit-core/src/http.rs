//! Authenticated JSON requests to `/api/v1/...`: the one request path every
//! method takes, with retries (`retry`), the 401 → re-auth → replay rule, a
//! per-attempt timeout, a whole-call deadline and cancellation.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::Serialize;
pub use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::error::{transport_error, Error, RateLimit, Result, ServerError, TimeoutLimit, TransportError, TransportKind};
use crate::observe::{Event, EventKind, Observer};
use crate::retry;
use crate::token::{AccessToken, TokenManager};
use crate::wire::FromWire;

pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The API version the official SDK 2.11.0 pins.
pub const API_VERSION: &str = "20260727";

/// Characters escaped in one path segment: everything but unreserved and sub-delims.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ').add(b'"').add(b'#').add(b'%').add(b'/').add(b'<').add(b'>').add(b'?')
    .add(b'`').add(b'{').add(b'}').add(b'\\').add(b'^').add(b'|').add(b'[').add(b']');

/// Escapes one path parameter, so that an id can never change the path.
pub fn segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id", "x-scalekit-request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// One API call, ready to be sent (and replayed once after a 401).
pub struct ApiRequest {
    method: Method,
    path: String,
    query: Option<String>,
    body: Option<Bytes>,
    /// The body's type; JSON unless [`raw_body`](Self::raw_body) says otherwise.
    content_type: std::borrow::Cow<'static, str>,
    /// Headers of this request (the proxy's routing headers), besides the caller's.
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiRequest {
    pub fn new(method: Method, path: String) -> Self {
        ApiRequest { method, path, query: None, body: None, content_type: "application/json".into(), headers: Vec::new() }
    }

    /// A body sent as it is, of `content_type`.
    pub fn raw_body(mut self, body: Bytes, content_type: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.body = Some(body);
        self.content_type = content_type.into();
        self
    }

    /// A header of this request; checked as the caller's are.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self> {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::invalid(format!("headers.{name}"), format!("headers: {name:?} is not a valid header name")))?;
        let value = HeaderValue::from_str(value).map_err(|_| Error::invalid(format!("headers.{name}"), format!("headers: the value of {name} must be printable ASCII")))?;
        self.headers.push((header, value));
        Ok(self)
    }

    /// Adds query pairs; `None` values are left out.
    pub fn query<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, Option<String>)>) -> Self {
        let mut serializer = url::form_urlencoded::Serializer::new(self.query.take().unwrap_or_default());
        for (key, value) in pairs {
            if let Some(value) = value {
                serializer.append_pair(key, &value);
            }
        }
        let query = serializer.finish();
        self.query = (!query.is_empty()).then_some(query);
        self
    }

    pub fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid("body", format!("the request body cannot be encoded as JSON: {e}")))?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }
}

/// Options of one call, the optional last argument of every method. Each
/// one left unset takes the client's default.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Per attempt.
    pub timeout: Option<Duration>,
    /// The whole call: token fetch, every attempt and every backoff.
    pub deadline: Option<Duration>,
    pub max_retries: Option<u32>,
    /// Extra headers (validated: no `Authorization`, `Host` or framing headers).
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Sent as `Idempotency-Key` on every attempt of a POST; one is generated when unset.
    pub idempotency_key: Option<String>,
    /// Cancels the call: the request in flight is dropped and its connection closed.
    pub cancel: Option<CancellationToken>,
    /// Receives the status, headers, request id and rate-limit state of a successful answer.
    pub capture: Option<ResponseCapture>,
}

/// Headers a caller may not set: the client owns them.
const RESERVED_HEADERS: &[&str] = &["authorization", "host", "content-length", "transfer-encoding", "connection", "content-type"];

impl RequestOptions {
    /// Adds a caller's header, checked before any I/O.
    pub fn header(&mut self, name: &str, value: &str) -> Result<()> {
        let field = || format!("headers.{name}");
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::invalid(field(), format!("headers: {name:?} is not a valid header name")))?;
        if RESERVED_HEADERS.contains(&header.as_str()) {
            return Err(Error::invalid(field(), format!("headers: {name} is set by the client and cannot be overridden")));
        }
        let value = HeaderValue::from_str(value).map_err(|_| Error::invalid(field(), format!("headers: the value of {name} must be printable ASCII")))?;
        self.headers.push((header, value));
        Ok(())
    }

    pub fn idempotency_key(&mut self, key: &str) -> Result<()> {
        if key.is_empty() || key.len() > 255 || HeaderValue::from_str(key).is_err() {
            return Err(Error::invalid("idempotencyKey", "idempotencyKey must be 1 to 255 printable ASCII characters"));
        }
        self.idempotency_key = Some(key.to_owned());
        Ok(())
    }
}

/// The defaults a derived client (`ScalekitClient::with_options`) changes; unset ones are kept.
#[derive(Clone, Default)]
pub struct CallDefaults {
    pub timeout: Option<Duration>,
    pub tool_timeout: Option<Duration>,
    pub max_retries: Option<u32>,
    pub deadline: Option<Duration>,
    pub observer: Option<Arc<dyn Observer>>,
}

/// What a successful answer said besides its body.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseMeta {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    pub attempts: u32,
}

/// A slot a call fills with its [`ResponseMeta`].
#[derive(Debug, Clone, Default)]
pub struct ResponseCapture(Arc<Mutex<Option<ResponseMeta>>>);

impl ResponseCapture {
    pub fn take(&self) -> Option<ResponseMeta> {
        self.0.lock().unwrap().take()
    }
}

pub struct ApiClient {
    http: reqwest::Client,
    /// The environment URL parsed once: each call sets its path (after `path_prefix`, the URL's own
    /// path when Scalekit sits behind a gateway) and query on a copy, instead of reqwest parsing the
    /// whole URL, host and IDNA included, on every attempt.
    base_url: url::Url,
    path_prefix: Arc<str>,
    /// Shared by the clients `ScalekitClient::with_options` derives.
    tokens: Arc<TokenManager>,
    timeout: Duration,
    max_retries: u32,
    deadline: Option<Duration>,
    observer: Option<Arc<dyn Observer>>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient").field("env_url", &self.base_url.as_str()).field("tokens", &self.tokens).finish_non_exhaustive()
    }
}

/// The one HTTP client of a `ScalekitClient`: pooled keep-alive connections,
/// HTTP/2 by ALPN where offered, the OS trust store plus any extra roots,
/// and the proxy from the options or the environment.
pub(crate) fn build_http_client(options: &crate::config::ClientOptions) -> Result<reqwest::Client> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert("x-sdk-version", HeaderValue::from_str(&format!("scalekit-native/{SDK_VERSION}")).expect("ascii"));
    headers.insert("x-api-version", HeaderValue::from_static(API_VERSION));
    let mut user_agent = format!("scalekit-native/{SDK_VERSION} (rust)");
    if let Some(extra) = &options.user_agent {
        user_agent.push(' ');
        user_agent.push_str(extra);
    }
    let mut builder = reqwest::Client::builder()
        .user_agent(user_agent)
        .default_headers(headers)
        .connect_timeout(options.timeout)
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_nodelay(true);
    if !options.http2 {
        builder = builder.http1_only();
    }
    if let Some(proxy) = &options.proxy {
        let proxy = reqwest::Proxy::all(proxy.as_str()).map_err(|e| Error::invalid("proxy", format!("proxy is not usable: {e}")))?;
        builder = builder.proxy(proxy);
    }
    let mut roots = Vec::new();
    for pem in &options.ca_certificates {
        roots.extend(reqwest::Certificate::from_pem_bundle(pem.as_bytes()).map_err(|e| Error::invalid("caCertificates", format!("caCertificates: {e}")))?);
    }
    if !roots.is_empty() {
        builder = builder.tls_certs_merge(roots);
    }
    builder.build().map_err(|e| Error::transport(TransportKind::Tls, format!("cannot build the HTTP client: {e}")))
}

/// Where a call stands, for the error of a deadline or an abort that cuts it short.
struct Progress {
    attempts: AtomicU32,
    /// A POST or PATCH has been sent and its answer has not fully arrived.
    unanswered_write: AtomicBool,
}

impl ApiClient {
    pub fn new(config: &Config) -> Result<Self> {
        crate::install_crypto_provider();
        let http = build_http_client(&config.options)?;
        let tokens = Arc::new(TokenManager::new(http.clone(), config));
        let base_url = url::Url::parse(&config.env_url).map_err(|e| Error::invalid("envUrl", format!("envUrl is not a URL: {e}")))?;
        let path_prefix = base_url.path().trim_end_matches('/').into();
        Ok(ApiClient {
            http,
            base_url,
            path_prefix,
            tokens,
            timeout: config.options.timeout,
            max_retries: config.options.max_retries,
            deadline: config.options.deadline,
            observer: config.options.observer.clone(),
        })
    }

    /// Sends `request` with a valid token and decodes the JSON answer of model
    /// `M` into `R` (`M` itself, or `CamelJson`), retrying as `retry` allows.
    /// A 401 gets exactly one forced token refresh and one replay, which does
    /// not count as a retry. The deadline and the cancel token bound it all.
    pub async fn send<M, R: FromWire<M>>(&self, request: ApiRequest, options: &RequestOptions) -> Result<R> {
        let body = self.send_raw(&request, options).await?;
        decode::<M, R>(&request.method, &request.path, &body)
    }

    /// As [`send`](Self::send), for answers whose result is one field of the body, such as
    /// `GeneratePortalLinkResponse.link`: `key` is decoded as model `M`. Without it (or
    /// `null`), `missing` decides: `Some(json)` stands in, `None` is an error.
    pub async fn send_field<M, R: FromWire<M>>(&self, request: ApiRequest, options: &RequestOptions, key: &str, missing: Option<&str>) -> Result<R> {
        let body = self.send_raw(&request, options).await?;
        let value = field_of(&request, &body, key)?.or(missing).ok_or_else(|| {
            Error::transport(TransportKind::Decode, format!("{} {}: the response has no `{key}`", request.method, request.path))
        })?;
        decode::<M, R>(&request.method, &request.path, value.as_bytes())
    }

    /// As [`send`](Self::send), for an answer that is not the API's JSON (the proxy): its status,
    /// headers and body as they came.
    pub async fn send_bytes(&self, request: ApiRequest, options: &RequestOptions) -> Result<(ResponseMeta, Bytes)> {
        let capture = ResponseCapture::default();
        let inner = RequestOptions { capture: Some(capture.clone()), ..options.clone() };
        let body = self.send_raw(&request, &inner).await?.into_bytes();
        let meta = capture.take().unwrap_or_default();
        // `withResponse` still gets it.
        if let Some(outer) = &options.capture {
            *outer.0.lock().unwrap() = Some(meta.clone());
        }
        Ok((meta, body))
    }

    /// As [`send`](Self::send), for the first item of the list `key` (such as `directories`),
    /// decoded as model `M`; `None` when the list is empty or absent.
    pub async fn send_first<M, R: FromWire<M>>(&self, request: ApiRequest, options: &RequestOptions, key: &str) -> Result<Option<R>> {
        let body = self.send_raw(&request, options).await?;
        let Some(list) = field_of(&request, &body, key)? else { return Ok(None) };
        let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(list)
            .map_err(|e| Error::transport(TransportKind::Decode, format!("{} {}: `{key}` is not a list: {e}", request.method, request.path)))?;
        items.first().map(|item| decode::<M, R>(&request.method, &request.path, item.get().as_bytes())).transpose()
    }

    /// Sends with retries, re-auth, deadline and cancellation; the body of the successful answer.
    async fn send_raw(&self, request: &ApiRequest, options: &RequestOptions) -> Result<Body> {
        let progress = Progress { attempts: AtomicU32::new(0), unanswered_write: AtomicBool::new(false) };
        let deadline = options.deadline.or(self.deadline);
        let deadline_at = deadline.map(|d| Instant::now() + d);
        let work = self.attempts(request, options, deadline_at, &progress);
        let bounded = async {
            match deadline_at {
                Some(at) => match tokio::time::timeout_at(at.into(), work).await {
                    Ok(result) => result,
                    Err(_) => Err(progress.cut_short(deadline_error(deadline.unwrap_or_default(), progress.attempts.load(Relaxed), "the call was still running"))),
                },
                None => work.await,
            }
        };
        match &options.cancel {
            Some(cancel) => tokio::select! {
                biased;
                _ = cancel.cancelled() => Err(progress.cut_short(aborted(progress.attempts.load(Relaxed)))),
                result = bounded => result,
            },
            None => bounded.await,
        }
    }

    async fn attempts(&self, request: &ApiRequest, options: &RequestOptions, deadline_at: Option<Instant>, progress: &Progress) -> Result<Body> {
        // The path and query are already percent-encoded (`segment`, `ApiRequest::query`): set as they are.
        let mut url = self.base_url.clone();
        if self.path_prefix.is_empty() {
            url.set_path(&request.path);
        } else {
            url.set_path(&format!("{}{}", self.path_prefix, request.path));
        }
        url.set_query(request.query.as_deref());
        let timeout = options.timeout.unwrap_or(self.timeout);
        let max_retries = options.max_retries.unwrap_or(self.max_retries);
        // One key per logical call, the same on every attempt.
        let idempotency_key = (request.method == Method::POST)
            .then(|| options.idempotency_key.clone().unwrap_or_else(|| uuid::Builder::from_random_bytes(rand::random()).into_uuid().to_string()));
        let mut replayed = false;
        let mut retries = 0;
        loop {
            let attempt = progress.attempts.fetch_add(1, Relaxed) + 1;
            let started = Instant::now();
            let outcome = self.attempt(request, &url, options, timeout, idempotency_key.as_deref(), attempt, progress).await;
            let (error, verdict, retry_after) = match outcome {
                Attempt::Answer { status, headers, body, token } => {
                    let request_id = request_id(&headers);
                    self.observe(|| Event {
                        status: Some(status),
                        duration_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
                        request_id: request_id.clone(),
                        ..Event::new(EventKind::Response, request.method.as_str(), &request.path, attempt)
                    });
                    // A token the API rejects is replaced once; this is no retry. A tool provider's 401 (TOOL_ERROR)
                    // is the provider's answer about its own credentials: replaying would run the tool again.
                    if status == 401 && !replayed && !ServerError::from_response(status, &body, None).is_tool_error() {
                        self.tokens.invalidate(&token);
                        replayed = true;
                        continue;
                    }
                    if (200..300).contains(&status) {
                        if let Some(capture) = &options.capture {
                            let meta = ResponseMeta {
                                status,
                                headers: headers.iter().filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned()))).collect(),
                                request_id,
                                rate_limit: retry::rate_limit(&headers, SystemTime::now()),
                                attempts: attempt,
                            };
                            *capture.0.lock().unwrap() = Some(meta);
                        }
                        return Ok(body);
                    }
                    let now = SystemTime::now();
                    let mut server = ServerError::from_response(status, &body, request_id);
                    server.attempts = attempt;
                    server.rate_limit = retry::rate_limit(&headers, now);
                    let retry_after = retry::retry_after(&headers, now);
                    server.retry_after = retry_after.map(|d| d.as_millis() as u64);
                    // An upstream tool provider's failure is its answer, not a blip of ours: never retried.
                    let verdict = if server.is_tool_error() { retry::Verdict::Fail } else { retry::after_status(&request.method, status) };
                    (Error::from(server), verdict, retry_after)
                }
                Attempt::TokenFailed(mut error) => {
                    // The token grant has no side effect: retry what is retryable on any method.
                    error.set_attempts(attempt);
                    let verdict = match &error {
                        Error::Server(server) if retry::retryable_status(server.http_status) => retry::Verdict::Retry,
                        Error::Transport(t) => match retry::after_transport(&Method::GET, t.kind, false) {
                            retry::Verdict::OutcomeUnknown => retry::Verdict::Retry,
                            verdict => verdict,
                        },
                        _ => retry::Verdict::Fail,
                    };
                    (error, verdict, None)
                }
                Attempt::Failed { mut error, connect } => {
                    error.set_attempts(attempt);
                    let Error::Transport(transport) = &error else { unreachable!("attempts fail with transport errors") };
                    let verdict = retry::after_transport(&request.method, transport.kind, connect);
                    self.observe(|| Event {
                        duration_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
                        error: Some(format!("{}: {}", error.class_name(), error)),
                        ..Event::new(EventKind::Error, request.method.as_str(), &request.path, attempt)
                    });
                    (error, verdict, None)
                }
            };
            let mut error = error;
            match verdict {
                retry::Verdict::Fail => return Err(error),
                retry::Verdict::OutcomeUnknown => return Err(outcome_unknown(error)),
                retry::Verdict::Retry if retries >= max_retries => return Err(error),
                retry::Verdict::Retry => {}
            }
            if retry_after.is_some_and(|d| d > retry::MAX_RETRY_AFTER) {
                return Err(error);
            }
            let wait = retry_after.unwrap_or_else(|| retry::backoff(retries));
            if let Some(at) = deadline_at {
                if Instant::now() + wait >= at {
                    let limit = self.deadline_of(options);
                    let why = format!("waiting {} ms to retry would pass it; last failure: {error}", wait.as_millis());
                    error = deadline_error(limit, attempt, &why);
                    return Err(error);
                }
            }
            retries += 1;
            self.observe(|| Event { delay_ms: Some(wait.as_millis() as u64), ..Event::new(EventKind::Retry, request.method.as_str(), &request.path, attempt) });
            tokio::time::sleep(wait).await;
        }
    }

    /// The same connection pool and token cache, with other per-call defaults.
    pub(crate) fn derive(&self, defaults: &CallDefaults) -> ApiClient {
        ApiClient {
            http: self.http.clone(),
            base_url: self.base_url.clone(),
            path_prefix: self.path_prefix.clone(),
            tokens: self.tokens.clone(),
            timeout: defaults.timeout.unwrap_or(self.timeout),
            max_retries: defaults.max_retries.unwrap_or(self.max_retries),
            deadline: defaults.deadline.or(self.deadline),
            observer: defaults.observer.clone().or_else(|| self.observer.clone()),
        }
    }

    /// The pooled HTTP client, for the other callers of the environment (the JWKS).
    pub(crate) fn http_client(&self) -> reqwest::Client {
        self.http.clone()
    }

    fn deadline_of(&self, options: &RequestOptions) -> Duration {
        options.deadline.or(self.deadline).unwrap_or_default()
    }

    /// One attempt: a token (fetched if needed), then the request and its whole answer.
    #[allow(clippy::too_many_arguments)]
    async fn attempt(&self, request: &ApiRequest, url: &url::Url, options: &RequestOptions, timeout: Duration, idempotency_key: Option<&str>, attempt: u32, progress: &Progress) -> Attempt {
        let token = match self.tokens.get().await {
            Ok(token) => token,
            Err(error) => return Attempt::TokenFailed(error),
        };
        self.observe(|| Event::new(EventKind::Request, request.method.as_str(), &request.path, attempt));
        let mut builder = self.http.request(request.method.clone(), url.clone()).timeout(timeout).header(AUTHORIZATION, &token.bearer);
        for (name, value) in request.headers.iter().chain(&options.headers) {
            builder = builder.header(name, value);
        }
        if let Some(key) = idempotency_key {
            builder = builder.header("idempotency-key", key);
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, request.content_type.as_ref()).body(body.clone());
        }
        let writes = !retry::idempotent(&request.method);
        progress.unanswered_write.store(writes, Relaxed);
        let response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return Attempt::Failed { connect: e.is_connect(), error: with_timeout_note(transport_error(&e), timeout) },
        };
        let status = response.status().as_u16();
        let mut response = response;
        // Taken, not cloned: the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        match read_body(&mut response).await {
            Ok(body) => {
                progress.unanswered_write.store(false, Relaxed);
                Attempt::Answer { status, headers, body, token }
            }
            Err(e) => Attempt::Failed { connect: false, error: with_timeout_note(transport_error(&e), timeout) },
        }
    }

    fn observe(&self, event: impl FnOnce() -> Event) {
        if let Some(observer) = &self.observer {
            observer.event(event());
        }
    }
}

/// A whole response body: its one chunk as it came, or its chunks joined in a kept buffer (`buffers`).
pub(crate) enum Body {
    Chunk(Bytes),
    Joined(Vec<u8>),
}

impl std::ops::Deref for Body {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Body::Chunk(bytes) => bytes,
            Body::Joined(joined) => joined,
        }
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        if let Body::Joined(joined) = self {
            crate::buffers::give(std::mem::take(joined));
        }
    }
}

impl Body {
    fn into_bytes(mut self) -> Bytes {
        match &mut self {
            Body::Chunk(bytes) => std::mem::take(bytes),
            Body::Joined(joined) => Bytes::from(std::mem::take(joined)),
        }
    }
}

/// Reads the rest of `response`. A body of one chunk (every small answer) is kept as it is; a longer one is
/// joined in a kept buffer sized from `Content-Length`, instead of fresh memory grown chunk by chunk.
async fn read_body(response: &mut reqwest::Response) -> reqwest::Result<Body> {
    let length = response.content_length().unwrap_or(0) as usize;
    let Some(first) = response.chunk().await? else { return Ok(Body::Chunk(Bytes::new())) };
    let Some(second) = response.chunk().await? else { return Ok(Body::Chunk(first)) };
    // `Content-Length` is the server's word, not memory to reserve blindly: past MAX_KEPT the buffer grows with the data.
    let mut joined = crate::buffers::take(length.min(crate::buffers::MAX_KEPT).max(first.len() + second.len()));
    joined.extend_from_slice(&first);
    joined.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        joined.extend_from_slice(&chunk);
    }
    Ok(Body::Joined(joined))
}

enum Attempt {
    Answer { status: u16, headers: HeaderMap, body: Body, token: Arc<AccessToken> },
    TokenFailed(Error),
    /// No answer; `connect`: it failed while connecting, before the request was written.
    Failed { error: Error, connect: bool },
}

impl Progress {
    /// A deadline or an abort that lands while a POST or PATCH awaits its answer leaves its outcome unknown.
    fn cut_short(&self, mut error: Error) -> Error {
        if let Error::Transport(e) = &mut error {
            if self.unanswered_write.load(Relaxed) {
                e.outcome_unknown = true;
                e.message.push_str("; a POST or PATCH was awaiting its answer, so it may have been processed");
            }
        }
        error
    }
}

/// Says which limit a per-attempt timeout was.
pub(crate) fn with_timeout_note(mut error: Error, timeout: Duration) -> Error {
    if let Error::Transport(e) = &mut error {
        if e.kind == TransportKind::Timeout {
            e.message.push_str(&format!(" (the per-attempt limit, timeoutMs = {} ms)", timeout.as_millis()));
        }
    }
    error
}

fn deadline_error(deadline: Duration, attempts: u32, why: &str) -> Error {
    Error::Transport(Box::new(TransportError {
        kind: TransportKind::Timeout,
        message: format!("the deadline of {} ms (deadlineMs) was reached: {why}", deadline.as_millis()),
        attempts,
        outcome_unknown: false,
        limit: Some(TimeoutLimit::Deadline),
    }))
}

fn aborted(attempts: u32) -> Error {
    Error::Transport(Box::new(TransportError {
        kind: TransportKind::Aborted,
        message: "the call was aborted by its AbortSignal".into(),
        attempts,
        ..Default::default()
    }))
}

/// Marks a failed POST or PATCH whose request may have been processed.
fn outcome_unknown(mut error: Error) -> Error {
    const NOTE: &str = "; not retried: the request may have been processed, so its outcome is unknown";
    match &mut error {
        Error::Transport(e) => {
            e.outcome_unknown = true;
            e.message.push_str(NOTE);
        }
        Error::Server(e) => {
            e.outcome_unknown = true;
            e.message.push_str(NOTE);
        }
        Error::InvalidInput { .. } | Error::Webhook { .. } | Error::TokenInvalid { .. } => {}
    }
    error
}

fn decode<M, R: FromWire<M>>(method: &Method, path: &str, body: &[u8]) -> Result<R> {
    // An empty body is a valid empty message (e.g. `{}` from deletes).
    let body = if body.iter().all(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t')) { b"{}".as_slice() } else { body };
    R::from_wire(body).map_err(|e| Error::transport(TransportKind::Decode, format!("{method} {path}: the response is not the expected JSON: {e}")))
}

/// The shared handle the sub-clients hold.
/// The raw JSON of field `key` of an answer that must be an object; `None` when absent or `null`.
fn field_of<'a>(request: &ApiRequest, body: &'a [u8], key: &str) -> Result<Option<&'a str>> {
    let fields: std::collections::HashMap<&str, &serde_json::value::RawValue> = serde_json::from_slice(body)
        .map_err(|e| Error::transport(TransportKind::Decode, format!("{} {}: the response is not a JSON object: {e}", request.method, request.path)))?;
    Ok(fields.get(key).map(|v| v.get()).filter(|v| *v != "null"))
}

pub type Api = Arc<ApiClient>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_escapes_path_characters() {
        assert_eq!(segment("org_1"), "org_1");
        assert_eq!(segment("../x/y?z#"), "..%2Fx%2Fy%3Fz%23");
    }

    #[test]
    fn query_skips_absent_values_and_encodes() {
        let r = ApiRequest::new(Method::GET, "/p".into()).query([("a", Some("x y&z".to_owned())), ("b", None)]);
        assert_eq!(r.query.as_deref(), Some("a=x+y%26z"));
        let r = ApiRequest::new(Method::GET, "/p".into()).query([("b", None)]);
        assert_eq!(r.query, None);
    }
}
