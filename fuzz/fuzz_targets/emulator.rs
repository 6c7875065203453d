//! The emulator's request handling (`scalekit_emulator::router`): methods, paths with any segments
//! and percent-escapes, query strings, headers (`Authorization` included), JSON and form bodies.
//!
//! Input: up to three requests, run in order on an emulator reset for it (so that a create and a
//! read of what it made can meet; a new emulator every `INPUTS_PER_EMULATOR` inputs); each is a method, a path (one of the router's own, its
//! parameters filled with anything, or any path), a query, headers and a body. Half of them carry a
//! live bearer token, so the handlers behind the API's bearer check are reached.
//!
//! Invariants: never panics (nor hangs: libFuzzer's `-timeout`); every error answer (4xx, 5xx) of
//! `/api/v1/*`, of `/proxy/*` and of a path no route serves is Scalekit-shaped JSON (`{code,
//! message, details?}`, see the emulator's `error.rs`); the OAuth endpoints (`/oauth/token`,
//! `/oauth/authorize`, the same under `/resources/{id}`, and `/api/v1/resources/{id}/clients:register`) answer errors as
//! RFC 6749 does (`{error, error_description}`). Other routes (discovery, `/keys`, `/oidc/logout`,
//! `/connect`, `/_emulator`) are held to not panicking only. `KNOWN_DEVIATIONS` lists the answers
//! that may break the shapes (none today); `SCALEKIT_FUZZ_STRICT=1` fails on them too.
//!
//! Left out: the admin routes whose effects outlive a request or reach outside the process
//! (`/_emulator/faults` can delay or drop every later request, `/_emulator/proxy-target` sends the
//! proxy's calls to a URL, `/_emulator/organizations` creates as many as asked).

#![no_main]

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use libfuzzer_sys::fuzz_target;
use scalekit_emulator::{AppState, EmulatorConfig};
use scalekit_fuzz::{escaped, Source};
use serde_json::{json, Value};
use tower::ServiceExt;

include!(concat!(env!("OUT_DIR"), "/routes.rs"));

const LEFT_OUT: &[&str] = &["/_emulator/faults", "/_emulator/proxy-target", "/_emulator/organizations"];

/// One emulator: its state, its router and a live bearer token.
#[derive(Clone)]
struct World {
    state: Arc<AppState>,
    router: axum::Router,
    bearer: String,
}

/// Inputs run on one emulator before a new one replaces it: `AppState::reset` empties the store, not
/// what lives beside it (MCP servers, agent and custom-auth connections that admin routes add).
const INPUTS_PER_EMULATOR: u32 = 1000;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap())
}

/// The emulator for this input, reset to the state each input starts from: empty but for one
/// organization, one user and the live token.
fn world() -> World {
    static WORLD: Mutex<Option<(World, u32)>> = Mutex::new(None);
    let mut slot = WORLD.lock().unwrap();
    if slot.as_ref().is_none_or(|(_, inputs)| *inputs >= INPUTS_PER_EMULATOR) {
        if let Some(missing) = OAUTH_ROUTES.iter().find(|route| !ROUTES.contains(route)) {
            panic!("{missing} is no longer a route of the emulator: update OAUTH_ROUTES");
        }
        let state = Arc::new(AppState::new(EmulatorConfig::default()));
        let _ = state.url.set("http://127.0.0.1:9".into());
        let bearer = scalekit_emulator::mint_token(&state, serde_json::Map::new(), 3600, true);
        let router = scalekit_emulator::router(state.clone());
        *slot = Some((World { state, router, bearer }, 0));
    }
    let (world, inputs) = slot.as_mut().unwrap();
    *inputs += 1;
    world.state.reset();
    world.state.store.lock().unwrap().tokens.insert(world.bearer.clone(), Instant::now() + Duration::from_secs(86_400));
    let organization = json!({ "id": "org_fuzz", "display_name": "Fuzz", "external_id": "ext_fuzz", "metadata": { "k": "v" } });
    let user = json!({ "id": "usr_fuzz", "email": "fuzz@example.com", "external_id": "uext_fuzz",
        "memberships": [{ "organization_id": "org_fuzz", "membership_status": "ACTIVE", "roles": [{ "name": "admin" }] }] });
    scalekit_emulator::import_records(&world.state, vec![organization], vec![user]).unwrap();
    world.clone()
}

const IDS: &[&str] = &["org_fuzz", "usr_fuzz", "ext_fuzz", "uext_fuzz", "admin", "member", "skc_emulator", "conn_1", "dir_1", "", " ", "..", ".", "org_fuzz:search"];
const QUERY_KEYS: &[&str] = &[
    "page_size", "page_token", "external_id", "email", "organization_id", "user_id", "query", "filter.tool_name", "filter.connector", "filter.identifier",
    "filter.organization_id", "filter.user_id", "filter.query", "filter.status", "filter.provider", "connection_id", "connector", "identifier", "include",
    "include_detail", "role_name", "reassign_role_name", "redirect_uri", "client_id", "response_type", "scope", "state", "nonce", "code_challenge",
    "code_challenge_method", "login_hint", "post_logout_redirect_uri", "id_token_hint", "domain", "domain_type", "status", "start_time", "end_time",
    "updated_after", "send_invitation_email", "resource_id", "type", "provider", "directory_group_id", "include_external_groups", "page_number",
];
const VALUES: &[&str] = &["", "0", "1", "-1", "100", "101", "4294967296", "1e3", "true", "false", "x", "org_fuzz", "usr_fuzz", "fuzz@example.com", "S256", "code",
    "http://localhost:3000/cb", "openid profile email", "2024-01-01T00:00:00Z", "not-a-date", "ACTIVE", "admin", "%", "%zz", "%FF", "%C3%28", "%00", "+", "a+b", "=", "&"];
const BODY_KEYS: &[&str] = &[
    "display_name", "external_id", "metadata", "email", "user_profile", "first_name", "last_name", "name", "description", "organization_id", "roles",
    "permissions", "membership", "domain", "domain_type", "redirect_uris", "enabled", "settings", "features", "page_size", "page_token", "connector",
    "identifier", "authorization_details", "static_auth", "oauth_token", "access_token", "refresh_token", "scopes", "tool_name", "params",
    "connected_account_id", "template", "state", "magiclink_auth_uri", "expires_in", "code", "link_token", "auth_request_id", "custom_claims",
    "token", "token_id", "api_token", "base_role", "extends", "default_creator_role", "default_member_role", "id", "type", "provider", "key_id",
    "custom_attributes", "user_detail", "session_policy", "user_management", "sub", "user", "emails", "data", "events", "event_types", "start_time",
];

fn percent_all(bytes: &[u8]) -> String {
    bytes.iter().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(b) { (*b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A path segment or query part: a known value, escaped fuzz bytes, or fuzz bytes kept where a URI allows them.
fn part(src: &mut Source, pool: &[&str]) -> String {
    match src.below(6) {
        0..=2 => src.pick(pool).to_string(),
        3 => percent_all(src.text()),
        4 => src.text().iter().filter(|b| b.is_ascii_graphic() && !b"#?/\\\"<>^`{|}".contains(b)).map(|&b| b as char).collect(),
        _ => src.pick(VALUES).to_string(),
    }
}

fn path(src: &mut Source) -> String {
    if src.one_in(8) {
        let raw: String = src.text().iter().filter(|b| b.is_ascii_graphic() && !b"#?\\\"<>^`{|}".contains(b)).map(|&b| b as char).collect();
        return format!("/{}", raw.trim_start_matches('/'));
    }
    let route = *src.pick(ROUTES);
    let mut out = String::new();
    let mut rest = route;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        let wildcard = rest[open..close].starts_with("{*");
        out.push_str(&part(src, IDS));
        if wildcard && src.bool() {
            out.push('/');
            out.push_str(&part(src, IDS));
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    match src.below(16) {
        13 => out.push('/'),
        14 => out = out.replacen("/api/v1", "/api/v1/", 1),
        15 => out = out.to_uppercase(),
        _ => {}
    }
    out
}

fn query(src: &mut Source) -> String {
    let pairs: Vec<String> = (0..src.below(5)).map(|_| format!("{}={}", part(src, QUERY_KEYS), part(src, VALUES))).collect();
    pairs.join(if src.one_in(8) { ";" } else { "&" })
}

fn json_value(src: &mut Source, depth: usize) -> Value {
    match src.below(if depth > 2 { 6 } else { 9 }) {
        0 => Value::Null,
        1 => Value::Bool(src.bool()),
        2 => json!(src.i64()),
        3 => json!(*src.pick(&[0.5, -1.0, 1e300, 4294967296.0])),
        4 => Value::String(src.pick(VALUES).to_string()),
        5 => Value::String(src.string()),
        6 => Value::Array((0..src.below(3)).map(|_| json_value(src, depth + 1)).collect()),
        _ => Value::Object((0..src.below(5)).map(|_| (src.pick(BODY_KEYS).to_string(), json_value(src, depth + 1))).collect()),
    }
}

fn body(src: &mut Source, headers: &mut Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let content_type = |t: &str| ("content-type".to_owned(), t.as_bytes().to_vec());
    match src.below(8) {
        0 => Vec::new(),
        1..=3 => {
            headers.push(content_type("application/json"));
            json_value(src, 0).to_string().into_bytes()
        }
        4 => {
            headers.push(content_type("application/x-www-form-urlencoded"));
            let grant = *src.pick(&["client_credentials", "authorization_code", "refresh_token", "password", ""]);
            let mut form = format!("grant_type={grant}");
            if src.bool() {
                form.push_str("&client_id=skc_emulator&client_secret=emulator_secret");
            }
            for _ in 0..src.below(4) {
                let key = *src.pick(&["code", "redirect_uri", "code_verifier", "refresh_token", "scope", "client_id", "client_secret", "grant_type"]);
                form.push_str(&format!("&{key}={}", part(src, VALUES)));
            }
            form.into_bytes()
        }
        5 => {
            headers.push(content_type(src.pick(&["application/json", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-8", "multipart/form-data"])));
            src.text().to_vec()
        }
        _ => src.text().to_vec(),
    }
}

fn request(src: &mut Source, bearer: &str) -> Option<(Request<Body>, String)> {
    let method = match src.below(10) {
        0..=1 => Method::GET,
        2..=3 => Method::POST,
        4 => Method::PUT,
        5 => Method::PATCH,
        6 => Method::DELETE,
        7 => Method::HEAD,
        8 => Method::OPTIONS,
        _ => Method::from_bytes(src.text()).ok()?,
    };
    let path = path(src);
    if LEFT_OUT.iter().any(|p| path.starts_with(p)) {
        return None;
    }
    let query = query(src);
    let uri = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
    let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
    match src.below(8) {
        0..=3 => headers.push(("authorization".into(), format!("Bearer {bearer}").into_bytes())),
        4 => {}
        5 => headers.push(("authorization".into(), src.pick(&["Bearer", "Bearer ", "bearer x", "Basic c2tjOnNlY3JldA==", "Bearer  x", "Bearer tkn_x"]).as_bytes().to_vec())),
        _ => headers.push(("authorization".into(), [b"Bearer ".as_slice(), src.text()].concat())),
    }
    for _ in 0..src.below(3) {
        let name = src.pick(&["idempotency-key", "user-agent", "connection_name", "identifier", "x-api-version", "accept", "content-type", "x-custom"]).to_string();
        headers.push((name, src.text().to_vec()));
    }
    let body = body(src, &mut headers);
    let mut builder = Request::builder().method(method).uri(uri.as_str());
    for (name, value) in &headers {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(value)) {
            builder = builder.header(name, value);
        }
    }
    Some((builder.body(Body::from(body)).ok()?, uri))
}

fn scalekit_shaped(body: &Value) -> bool {
    body.get("code").is_some_and(Value::is_i64)
        && body.get("message").is_some_and(Value::is_string)
        && body.get("details").is_none_or(|d| d.as_array().is_some_and(|items| items.iter().all(Value::is_object)))
}

fn oauth_shaped(body: &Value) -> bool {
    body.get("error").is_some_and(Value::is_string) && body.get("error_description").is_none_or(Value::is_string)
}

/// The endpoints of RFC 6749 (and RFC 7591's registration, public under `/api/v1`), which answer
/// `{error, error_description}`: the environment's and each MCP resource's. Matched as routes, not by
/// suffix: `/proxy/clients:register` is the tool proxy's, and answers in Scalekit's shape.
const OAUTH_ROUTES: &[&str] = &[
    "/oauth/token",
    "/oauth/authorize",
    "/resources/{resource_id}/oauth/token",
    "/resources/{resource_id}/oauth/authorize",
    "/api/v1/resources/{resource_id}/clients:register",
];

fn oauth_endpoint(path: &str) -> bool {
    OAUTH_ROUTES.iter().any(|route| route_serves(route, path))
}

/// Error answers in neither shape that are tolerated (tallied, failed with `SCALEKIT_FUZZ_STRICT`): none since the
/// emulator reshapes axum's own 405, 400 and 415 rejections. Add an entry only for a reported deviation.
const KNOWN_DEVIATIONS: &[(u16, &str, &str)] = &[];

fn known_deviation(status: u16, body: &[u8]) -> Option<&'static str> {
    KNOWN_DEVIATIONS.iter().find(|(s, prefix, _)| *s == status && body.starts_with(prefix.as_bytes()) && (!prefix.is_empty() || body.is_empty())).map(|k| k.2)
}

/// Whether a route serves `path`.
fn routed(path: &str) -> bool {
    ROUTES.iter().any(|route| route_serves(route, path))
}

/// Whether `route` serves `path`, as the router matches it: segment by segment, `{x}` any one segment, even an
/// empty one, `{*x}` the rest.
fn route_serves(route: &str, path: &str) -> bool {
    let (mut want, mut have) = (route.split('/'), path.split('/'));
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), Some(_)) if w.starts_with("{*") => return true,
            (Some(w), Some(h)) if w == h || (w.starts_with('{') && w.ends_with('}')) => {}
            (Some(w), Some(h)) if w.contains('{') => {
                // `users:external/{external_id}`-style: a literal prefix and a parameter in one segment.
                let prefix = &w[..w.find('{').unwrap()];
                if !h.starts_with(prefix) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let world = world();
    let mut src = Source::new(data);
    for _ in 0..=src.below(3) {
        let Some((request, uri)) = request(&mut src, &world.bearer) else { continue };
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let response = runtime().block_on(async {
            let response = world.router.clone().oneshot(request).await.expect("the router is infallible");
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.expect("a response body");
            (parts.status, bytes)
        });
        let (status, bytes) = response;
        if scalekit_fuzz::tallying() {
            scalekit_fuzz::tally(&format!("{}{}", status.as_u16(), if path.starts_with("/api/v1/") { " api" } else { "" }));
        }
        // HEAD answers have no body, by HTTP's rules.
        if method == Method::HEAD || !(status.is_client_error() || status.is_server_error()) {
            continue;
        }
        let json: Option<Value> = serde_json::from_slice(&bytes).ok();
        let shown = || format!("{method} {uri} → {status}: b\"{}\"", escaped(&bytes));
        let (kind, shaped) = if oauth_endpoint(&path) {
            ("an OAuth endpoint's error is not an OAuth error", json.as_ref().is_some_and(oauth_shaped))
        } else if path.starts_with("/api/v1/") || path == "/api/v1" || path.starts_with("/proxy/") || !routed(&path) {
            ("an API error is not Scalekit-shaped", json.as_ref().is_some_and(scalekit_shaped))
        } else {
            continue;
        };
        if !shaped {
            match known_deviation(status.as_u16(), &bytes) {
                Some(which) if !scalekit_fuzz::strict() => scalekit_fuzz::tally(which),
                _ => panic!("{kind}: {}", shown()),
            }
        }
    }
});
