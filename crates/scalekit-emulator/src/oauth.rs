//! The authorization server: `/oauth/authorize` (no UI: a test hook picks the
//! user), `/oauth/token` (client credentials, authorization code with PKCE,
//! refresh token), `/keys` (RS256 JWKS with rotation under the test's control)
//! and `/oidc/logout`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde_json::{json, Value};

use crate::error::oauth_error;
use crate::state::AppState;

/// Test-only RSA keys, public by design: tokens from the emulator prove nothing outside tests.
const KEY_PEMS: [&str; 3] = [
    include_str!("../keys/signing-key-1.pem"),
    include_str!("../keys/signing-key-2.pem"),
    include_str!("../keys/signing-key-3.pem"),
];

const CODE_LIFETIME: Duration = Duration::from_secs(60);

struct SigningKey {
    kid: String,
    encoding: jsonwebtoken::EncodingKey,
    jwk: Value,
}

fn signing_keys() -> &'static [SigningKey] {
    static KEYS: OnceLock<Vec<SigningKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        KEY_PEMS
            .iter()
            .enumerate()
            .map(|(i, pem)| {
                let der = pem_to_der(pem);
                let pair = ring::signature::RsaKeyPair::from_pkcs8(&der).expect("test key is PKCS#8 RSA");
                let public = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(pair.public());
                let kid = format!("snk_emulator_{}", i + 1);
                let jwk = json!({
                    "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                    "n": URL_SAFE_NO_PAD.encode(&public.n), "e": URL_SAFE_NO_PAD.encode(&public.e),
                });
                SigningKey { kid, encoding: jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).expect("test key is an RSA PEM"), jwk }
            })
            .collect()
    })
}

fn pem_to_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(body).expect("PEM body is base64")
}

/// Which keys sign and which are published; rotation is the test's to call.
pub struct KeyRing {
    inner: Mutex<(usize, Vec<usize>)>,
}

impl Default for KeyRing {
    fn default() -> Self {
        KeyRing { inner: Mutex::new((0, vec![0])) }
    }
}

impl KeyRing {
    /// Signs with the next key; the previous one stays in the JWKS unless `retain_previous` is false.
    /// Returns the new key id.
    pub fn rotate(&self, retain_previous: bool) -> String {
        let mut inner = self.inner.lock().unwrap();
        let next = (inner.0 + 1) % KEY_PEMS.len();
        let published = if retain_previous { vec![next, inner.0] } else { vec![next] };
        *inner = (next, published);
        signing_keys()[next].kid.clone()
    }

    fn current(&self) -> &'static SigningKey {
        &signing_keys()[self.inner.lock().unwrap().0]
    }

    fn jwks(&self) -> Value {
        let published = self.inner.lock().unwrap().1.clone();
        json!({ "keys": published.iter().map(|&i| signing_keys()[i].jwk.clone()).collect::<Vec<_>>() })
    }
}

/// The claims of a token the emulator signed with a key it still publishes, unexpired, not revoked, and
/// (when it names a session) whose session is still active.
pub(crate) fn verified_claims(state: &AppState, token: &str) -> Option<Value> {
    let header = jsonwebtoken::decode_header(token).ok()?;
    let jwks = state.keys.jwks();
    let jwk = jwks["keys"].as_array()?.iter().find(|k| k["kid"].as_str() == header.kid.as_deref())?.clone();
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(jwk).ok()?;
    let key = jsonwebtoken::DecodingKey::from_jwk(&jwk).ok()?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_aud = false;
    let claims = jsonwebtoken::decode::<Value>(token, &key, &validation).ok()?.claims;
    if state.store.lock().unwrap().revoked_tokens.contains(token) {
        return None;
    }
    if let Some(sid) = claims["sid"].as_str() {
        if !state.session_active(sid) {
            return None;
        }
    }
    Some(claims)
}

pub(crate) fn sign(state: &AppState, claims: &Value) -> String {
    let key = state.keys.current();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &key.encoding).expect("RS256 signing")
}

/// A token signed with the emulator's current key, for tests: `iss`, `aud` (the client id), `iat`,
/// `exp` (`ttl` from now; a negative one makes an expired token) and `jti` are filled in unless
/// `claims` sets them. An access token is also registered, so the emulator's API accepts it.
pub fn mint_token(state: &AppState, claims: serde_json::Map<String, Value>, ttl_seconds_from_now: i64, access: bool) -> String {
    let now = state.clock.unix() as i64;
    let client_id = state.config().client_id;
    let mut full = serde_json::Map::new();
    full.insert("iss".into(), json!(state.issuer()));
    full.insert("aud".into(), json!([client_id.clone()]));
    full.insert("sub".into(), json!(client_id));
    full.insert("iat".into(), json!(now));
    full.insert("exp".into(), json!(now + ttl_seconds_from_now));
    full.insert("jti".into(), json!(random_token("tkn_")));
    full.extend(claims);
    let exp = full.get("exp").and_then(Value::as_i64).unwrap_or(now);
    let token = sign(state, &Value::Object(full));
    if access {
        let lifetime = Duration::from_secs(u64::try_from(exp - now).unwrap_or(0));
        state.store.lock().unwrap().tokens.insert(token.clone(), state.clock.instant() + lifetime);
    }
    token
}

pub(crate) fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}


/// A code issued by `/oauth/authorize`, redeemed once at `/oauth/token`.
#[derive(Clone, Debug)]
pub struct AuthCode {
    user_id: String,
    organization_id: Option<String>,
    redirect_uri: String,
    scope: String,
    nonce: Option<String>,
    code_challenge: Option<String>,
    expires: Instant,
    /// Its entry in the authentication-request log.
    auth_request_id: String,
    /// The client it was issued to; only that client may redeem it.
    client_id: String,
    /// For an MCP client: what the token will be for.
    mcp: Option<McpGrant>,
}

/// What an MCP client's code or refresh token grants: a resource server, and the `resource` asked for.
#[derive(Clone, Debug)]
pub struct McpGrant {
    pub resource_id: String,
    pub resource: Option<String>,
}

/// A signed-in user's session, as refresh tokens and `sid` claims refer to it.
#[derive(Clone, Debug)]
pub struct LoginSession {
    pub session_id: String,
    pub user_id: String,
    pub organization_id: Option<String>,
    pub scope: String,
    /// The client the session's tokens were issued to.
    pub client_id: String,
    pub mcp: Option<McpGrant>,
}

/// An authorization waiting for a bring-your-own-auth login page to sign the user in.
#[derive(Clone, Debug)]
pub struct PendingLogin {
    pub connection_id: String,
    pub login_request_id: String,
    /// The `state` the emulator gave the login page; `partner:callback` brings it back.
    pub state_token: String,
    pub request: PendingAuthorization,
    pub expires: Instant,
}

/// Everything needed to finish an authorization request once a user is known.
#[derive(Clone, Debug)]
pub struct PendingAuthorization {
    pub client_id: String,
    pub redirect_uri: String,
    pub requested_scopes: Vec<String>,
    /// The app's own `state`, given back with the code.
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub organization_id: Option<String>,
    pub connection_id: Option<String>,
    /// For an MCP client: the server, the `resource` parameter, and the request's log entry.
    pub mcp: Option<(McpGrant, usize)>,
    /// `iss` to add to the redirect (RFC 9207), for resource authorization servers.
    pub iss: Option<String>,
}

#[derive(Debug, Default)]
pub struct AuthStore {
    pub codes: HashMap<String, AuthCode>,
    pub refresh_tokens: HashMap<String, LoginSession>,
    /// Who `/oauth/authorize` signs in when the request has no `login_hint`.
    pub login_user: Option<String>,
    /// Authorizations waiting for a bring-your-own-auth login page, by login request id.
    pub pending_logins: HashMap<String, PendingLogin>,
    /// Refresh tokens already exchanged (rotation), for the reuse policy.
    pub used_refresh_tokens: HashMap<String, UsedRefreshToken>,
}

pub async fn jwks(State(state): State<Arc<AppState>>) -> Response {
    ([(header::CACHE_CONTROL, "max-age=60")], Json(state.keys.jwks())).into_response()
}

fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

pub(crate) fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        serializer.append_pair(k, v);
    }
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{}", serializer.finish())
}

pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Registered redirect URIs match exactly; with none registered, any loopback URL is allowed.
fn redirect_allowed(config: &crate::state::EmulatorConfig, uri: &str) -> bool {
    if !config.redirect_uris.is_empty() {
        return config.redirect_uris.iter().any(|r| r == uri);
    }
    crate::parse_url(uri).ok().is_some_and(|u| is_loopback(&u))
}

/// The redirect of an authorization's outcome to the client: `pairs`, then its `state` and `iss`.
fn back_to_client(request: &PendingAuthorization, pairs: &[(&str, &str)]) -> Response {
    let mut pairs = pairs.to_vec();
    if let Some(state) = request.state.as_deref() {
        pairs.push(("state", state));
    }
    if let Some(iss) = request.iss.as_deref() {
        pairs.push(("iss", iss));
    }
    redirect(&with_query(&request.redirect_uri, &pairs))
}

fn fail_to_client(state: &AppState, request: &PendingAuthorization, error: &str, description: &str) -> Response {
    if let Some((_, index)) = &request.mcp {
        crate::mcp_auth::set_outcome(state, *index, error, None);
    }
    back_to_client(request, &[("error", error), ("error_description", description)])
}

/// Sends the browser back to the client with `access_denied`.
pub(crate) fn deny(state: &AppState, request: &PendingAuthorization, description: &str) -> Response {
    fail_to_client(state, request, "access_denied", description)
}

pub async fn authorize(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> Response {
    authorize_for(state, None, query).await
}

/// `/resources/{res_id}/oauth/authorize`: the resource authorization server's own path.
pub async fn authorize_resource(State(state): State<Arc<AppState>>, Path(resource_id): Path<String>, Query(query): Query<HashMap<String, String>>) -> Response {
    authorize_for(state, Some(resource_id), query).await
}

async fn authorize_for(state: Arc<AppState>, path_resource: Option<String>, query: HashMap<String, String>) -> Response {
    use crate::mcp_auth::{client, ClientLookup};
    let param = |name: &str| query.get(name).map(String::as_str).filter(|v| !v.is_empty());
    let config = state.config();
    let Some(redirect_uri) = param("redirect_uri").filter(|u| crate::parse_url(u).is_ok()) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "redirect_uri must be an absolute URL");
    };
    let client_id = param("client_id").unwrap_or_default();
    let mcp_client = if client_id == config.client_id {
        None
    } else {
        match client(&state, client_id) {
            ClientLookup::Found(found) => Some(found),
            ClientLookup::Unknown => return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "unknown client_id"),
            ClientLookup::BadDocument(why) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_client_metadata_url", &why),
        }
    };
    // Never redirect to an unregistered URI: that would hand the code to anyone.
    let registered = match &mcp_client {
        None => redirect_allowed(&config, redirect_uri),
        Some(c) => c.redirect_allowed(redirect_uri),
    };
    if !registered {
        let hint = if mcp_client.is_some() { "one of the client's redirect_uris" } else { "registered for this environment (setRedirectUris)" };
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &format!("redirect_uri is not {hint}"));
    }
    let requested_scopes: Vec<String> = param("scope").unwrap_or("").split_whitespace().map(str::to_owned).collect();
    let mut request = PendingAuthorization {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        requested_scopes,
        state: param("state").map(str::to_owned),
        nonce: param("nonce").map(str::to_owned),
        code_challenge: param("code_challenge").map(str::to_owned),
        organization_id: param("organization_id").map(str::to_owned),
        connection_id: param("connection_id").map(str::to_owned),
        mcp: None,
        iss: None,
    };
    let server = match &mcp_client {
        None => None,
        Some(c) => {
            let Some(server) = crate::mcp_auth::server_for(&state, path_resource.as_deref(), c, param("resource")) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_target", "no MCP server for this request (register one: mcp.createServer)");
            };
            if c.resource_id().is_some_and(|r| r != server.resource_id) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "the client is registered with another MCP server");
            }
            request.iss = Some(server.issuer(&state.public_url()));
            Some(server)
        }
    };
    if param("response_type") != Some("code") {
        return fail_to_client(&state, &request, "unsupported_response_type", "only response_type=code is supported");
    }
    if let Some(prompt) = param("prompt") {
        if !prompt.split(' ').all(|p| matches!(p, "login" | "consent" | "create" | "none" | "select_account")) {
            return fail_to_client(&state, &request, "invalid_request", "prompt must be login, consent, create, none or select_account");
        }
    }
    if request.code_challenge.is_some() && param("code_challenge_method") != Some("S256") {
        return fail_to_client(&state, &request, "invalid_request", "code_challenge_method must be S256");
    }
    if let (Some(server), Some(client)) = (&server, &mcp_client) {
        // MCP clients must use PKCE (S256), and a metadata-document client needs the server to allow them.
        if request.code_challenge.is_none() {
            return fail_to_client(&state, &request, "invalid_request", "code_challenge (PKCE, S256) is required");
        }
        if matches!(client, crate::mcp_auth::McpClient::Document(..)) && !server.cimd {
            return fail_to_client(&state, &request, "unauthorized_client", "client ID metadata documents are turned off for this MCP server");
        }
        if request.requested_scopes.is_empty() {
            request.requested_scopes = server.scopes.clone();
        }
        let entry = crate::mcp_auth::request_entry(&server.resource_id, client.id(), redirect_uri, &request.requested_scopes, param("resource"), param("code_challenge_method"));
        let index = crate::mcp_auth::log_request(&state, entry);
        request.mcp = Some((McpGrant { resource_id: server.resource_id.clone(), resource: param("resource").map(str::to_owned) }, index));
        if let Err(why) = server.check_resource(param("resource")) {
            return fail_to_client(&state, &request, "invalid_target", &why);
        }
        let supported = server.scopes_supported();
        if let Some(unknown) = request.requested_scopes.iter().find(|s| !supported.contains(s)) {
            return fail_to_client(&state, &request, "invalid_scope", &format!("scope {unknown} is not defined for this MCP server"));
        }
    }
    // A bring-your-own-auth connection signs the user in on the customer's own login page.
    let custom_auth = crate::login_users::custom_auth_for(&state, request.connection_id.as_deref(), server.as_ref().and_then(|s| s.custom_auth_connection.as_deref()));
    if let Some(connection) = custom_auth {
        return crate::login_users::send_to_login_page(&state, &connection, request);
    }
    let wanted = param("login_hint").map(str::to_owned).or_else(|| state.store.lock().unwrap().auth.login_user.clone());
    let Some(wanted) = wanted else {
        return fail_to_client(&state, &request, "login_required", "no user to sign in: pass login_hint or call setLoginUser() on the emulator");
    };
    let user = state.store.lock().unwrap().users.iter().find(|u| u["id"] == *wanted || u["email"].as_str().is_some_and(|e| e.eq_ignore_ascii_case(&wanted))).cloned();
    let Some(user) = user else {
        return fail_to_client(&state, &request, "access_denied", "no such user");
    };
    // prompt=none signs in silently only a user who is signed in already (OIDC Core 3.1.2.1).
    if param("prompt").is_some_and(|p| p.split(' ').any(|p| p == "none")) && !state.user_signed_in(user["id"].as_str().unwrap_or_default()) {
        return fail_to_client(&state, &request, "login_required", "prompt=none, and the user has no active session");
    }
    // An organization asked for (organization_id, as with prompt=select_account) must be one of the user's.
    if let Some(organization) = request.organization_id.as_deref() {
        let member = user["memberships"].as_array().is_some_and(|ms| ms.iter().any(|m| m["organization_id"] == organization));
        if !member {
            return fail_to_client(&state, &request, "access_denied", "the user is not a member of that organization");
        }
    }
    finish_authorization(&state, request, &user).await
}

/// Grants an authorization to `user` (asking the consent policy for an MCP client) and redirects back
/// to the client with its code.
pub(crate) async fn finish_authorization(state: &Arc<AppState>, request: PendingAuthorization, user: &Value) -> Response {
    let user_id = user["id"].as_str().unwrap_or_default().to_owned();
    let mut scope = request.requested_scopes.join(" ");
    if let Some((grant, index)) = &request.mcp {
        let asked = crate::mcp_auth::ConsentRequest {
            resource_id: grant.resource_id.clone(),
            client_id: request.client_id.clone(),
            user_id: user_id.clone(),
            requested_scopes: request.requested_scopes.clone(),
            resource: grant.resource.clone(),
        };
        let Some(granted) = crate::mcp_auth::consent(state, asked).await else {
            return fail_to_client(state, &request, "access_denied", "the user did not consent");
        };
        crate::mcp_auth::set_outcome(state, *index, "granted", Some(&granted));
        scope = granted.join(" ");
    } else if scope.is_empty() {
        scope = "openid profile email".into();
    }
    let organization_id = request.organization_id.clone().or_else(|| {
        user["memberships"].as_array().and_then(|ms| ms.first()).and_then(|m| m["organization_id"].as_str()).map(str::to_owned)
    });
    let code = random_token("");
    let auth_request_id = state.new_id("ar");
    let mut store = state.store.lock().unwrap();
    let connection = request.connection_id.as_deref().and_then(|id| store.connections.iter().find(|c| c["id"] == id));
    let log_entry = json!({
        "auth_request_id": auth_request_id, "client_id": request.client_id, "email": user["email"],
        "organization_id": organization_id, "connection_id": connection.map(|c| c["id"].clone()),
        "connection_type": connection.map(|c| c["type"].clone()), "connection_provider": connection.map(|c| c["provider"].clone()),
        "environment_id": crate::state::ENVIRONMENT_ID, "status": "INITIATED", "timestamp": crate::state::now_rfc3339(), "workflow": "LOGIN",
    });
    let auth_code = AuthCode {
        user_id,
        organization_id,
        redirect_uri: request.redirect_uri.clone(),
        scope,
        nonce: request.nonce.clone(),
        code_challenge: request.code_challenge.clone(),
        expires: state.clock.instant() + CODE_LIFETIME,
        auth_request_id,
        client_id: request.client_id.clone(),
        mcp: request.mcp.as_ref().map(|(grant, _)| grant.clone()),
    };
    store.auth.codes.insert(code.clone(), auth_code);
    store.log_auth(log_entry);
    drop(store);
    back_to_client(&request, &[("code", code.as_str())])
}

/// Who is asking `/oauth/token`, once authenticated.
enum TokenClient {
    /// The environment's own client.
    Environment,
    /// An organization's M2M client (its REST JSON).
    Organization(Value),
    Mcp(crate::mcp_auth::McpClient),
}

/// Client authentication at the token endpoint: `client_secret_basic` (the header, its parts
/// form-encoded or not), `client_secret_post`, or `none` for a public MCP client.
fn authenticate_client(state: &AppState, headers: &HeaderMap, form: &HashMap<String, String>) -> Result<(TokenClient, String), Response> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic ")))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|pair| pair.split_once(':').map(|(id, secret)| (id.to_owned(), secret.to_owned())));
    let decode = |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default();
    let (client_id, secrets): (String, Vec<String>) = match basic {
        Some((id, secret)) => {
            let decoded_id = decode(&id);
            (decoded_id, vec![secret.clone(), decode(&secret)])
        }
        None => (form.get("client_id").cloned().unwrap_or_default(), form.get("client_secret").cloned().into_iter().collect()),
    };
    let invalid = || oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed");
    let config = state.config();
    if client_id == config.client_id {
        return if secrets.iter().any(|s| *s == config.client_secret) { Ok((TokenClient::Environment, client_id)) } else { Err(invalid()) };
    }
    if let Some(found) = secrets.iter().find_map(|s| crate::clients::authenticate(&state.store.lock().unwrap(), &client_id, s)) {
        return Ok((TokenClient::Organization(found), client_id));
    }
    match crate::mcp_auth::client(state, &client_id) {
        crate::mcp_auth::ClientLookup::Found(mcp) => match mcp.secret() {
            Some(secret) if !secrets.iter().any(|s| s == secret) => Err(invalid()),
            _ => Ok((TokenClient::Mcp(mcp), client_id)),
        },
        crate::mcp_auth::ClientLookup::BadDocument(why) => Err(oauth_error(StatusCode::UNAUTHORIZED, "invalid_client_metadata_url", &why)),
        crate::mcp_auth::ClientLookup::Unknown => Err(invalid()),
    }
}

/// A token answer: never cached (RFC 6749 5.1).
fn token_answer(body: Value) -> Response {
    ([(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")], Json(body)).into_response()
}

pub async fn token(State(state): State<Arc<AppState>>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    token_for(state, None, headers, form).await
}

/// `/resources/{res_id}/oauth/token`: the resource authorization server's own path.
pub async fn token_resource(State(state): State<Arc<AppState>>, Path(resource_id): Path<String>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    token_for(state, Some(resource_id), headers, form).await
}

async fn token_for(state: Arc<AppState>, path_resource: Option<String>, headers: HeaderMap, form: HashMap<String, String>) -> Response {
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let grant = field("grant_type");
    if !matches!(grant, "client_credentials" | "authorization_code" | "refresh_token") {
        return match grant {
            "" => oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required"),
            other => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", &format!("grant_type {other} is not supported")),
        };
    }
    let (client, client_id) = match authenticate_client(&state, &headers, &form) {
        Ok(found) => found,
        Err(response) => return response,
    };
    match (grant, client) {
        ("client_credentials", TokenClient::Environment) => {
            let config = state.config();
            let access_token = issue_access_token(&state, &config.client_id, None, None, "");
            token_answer(json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": ttl_seconds(&state), "scope": "" }))
        }
        ("client_credentials", TokenClient::Organization(client)) => {
            let access_token = issue_client_token(&state, &client);
            let scope = client["scopes"].as_array().map(|s| s.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" ")).unwrap_or_default();
            token_answer(json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": client_ttl(&client), "scope": scope }))
        }
        ("client_credentials", TokenClient::Mcp(client)) => {
            let confidential = client.secret().is_some();
            let Some(server) = crate::mcp_auth::server_for(&state, path_resource.as_deref(), &client, form.get("resource").map(String::as_str)).filter(|_| confidential) else {
                return oauth_error(StatusCode::BAD_REQUEST, "unauthorized_client", "only a confidential client registered with an MCP server may use client_credentials");
            };
            let requested: Vec<String> = field("scope").split_whitespace().map(str::to_owned).collect();
            if let Some(unknown) = requested.iter().find(|s| !server.scopes.contains(s)) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", &format!("scope {unknown} is not defined for this MCP server"));
            }
            let scopes = if requested.is_empty() { server.scopes.clone() } else { requested };
            let grant = ResourceGrant { server: &server, client_id: client_id.clone(), user_id: None, organization_id: None, session_id: None, scopes, resource: form.get("resource").cloned().or(server.server_url.clone()) };
            token_answer(resource_tokens(&state, &grant, None))
        }
        (_, TokenClient::Organization(_)) => oauth_error(StatusCode::BAD_REQUEST, "unauthorized_client", "M2M clients may only use client_credentials"),
        ("authorization_code", _) => {
            let code = state.store.lock().unwrap().auth.codes.remove(field("code"));
            let Some(code) = code.filter(|c| c.expires > state.clock.instant() && c.client_id == client_id) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the code is unknown, used, expired or another client's");
            };
            if field("redirect_uri") != code.redirect_uri {
                state.store.lock().unwrap().set_auth_status(&code.auth_request_id, "FAILED");
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "redirect_uri does not match the authorization request");
            }
            if let Some(challenge) = &code.code_challenge {
                let digest = ring::digest::digest(&ring::digest::SHA256, field("code_verifier").as_bytes());
                if field("code_verifier").is_empty() || URL_SAFE_NO_PAD.encode(digest.as_ref()) != *challenge {
                    state.store.lock().unwrap().set_auth_status(&code.auth_request_id, "FAILED");
                    return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "code_verifier does not match the code_challenge");
                }
            }
            if let (Some(mcp), Some(asked)) = (&code.mcp, form.get("resource").filter(|r| !r.is_empty())) {
                if mcp.resource.as_deref().is_some_and(|bound| crate::mcp_auth::normalized(bound) != crate::mcp_auth::normalized(asked)) {
                    return oauth_error(StatusCode::BAD_REQUEST, "invalid_target", "resource is not the one the code was issued for");
                }
            }
            state.store.lock().unwrap().set_auth_status(&code.auth_request_id, "SUCCESS");
            let session = LoginSession { session_id: state.new_id("ses"), user_id: code.user_id, organization_id: code.organization_id, scope: code.scope, client_id, mcp: code.mcp };
            state.record_login(&session);
            let user = state.store.lock().unwrap().users.iter().find(|u| u["id"] == *session.user_id).cloned();
            state.emit("user.login", "User", session.organization_id.as_deref(), user.unwrap_or_default());
            match session_tokens(&state, session, code.nonce.as_deref()) {
                Ok(body) => token_answer(body),
                Err(response) => response,
            }
        }
        (_, _) => refresh(&state, field("refresh_token"), &client_id),
    }
}

/// A used refresh token: when, for which session, and what it was exchanged for.
#[derive(Clone, Debug)]
pub struct UsedRefreshToken {
    pub session_id: String,
    pub client_id: String,
    pub at: Instant,
    pub answer: Value,
}

/// `grant_type=refresh_token`: single-use rotation. A token used again gets what the reuse policy says
/// (`EmulatorConfig::refresh_token_reuse`): refused, refused with its session revoked, or (within a grace
/// window) the same answer as its first use.
fn refresh(state: &Arc<AppState>, refresh_token: &str, client_id: &str) -> Response {
    let used = state.store.lock().unwrap().auth.used_refresh_tokens.get(refresh_token).cloned();
    if let Some(used) = used.filter(|u| u.client_id == client_id) {
        return match state.config().refresh_token_reuse {
            crate::state::RefreshTokenReuse::Grace(window) if state.clock.instant().saturating_duration_since(used.at) <= window && state.session_active(&used.session_id) => token_answer(used.answer),
            crate::state::RefreshTokenReuse::RevokeSession => {
                state.end_session(&used.session_id);
                oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the refresh token was already used: reuse detected, the session is revoked")
            }
            _ => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the refresh token was already used (refresh tokens are single-use)"),
        };
    }
    let session = state.store.lock().unwrap().auth.refresh_tokens.remove(refresh_token);
    let Some(session) = session.filter(|s| s.client_id == client_id && state.session_active(&s.session_id)) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the refresh token is unknown, used or revoked");
    };
    if !state.touch_session(&session.session_id) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the session has expired (its absolute or idle timeout passed)");
    }
    let session_id = session.session_id.clone();
    match session_tokens(state, session, None) {
        Ok(answer) => {
            let used = UsedRefreshToken { session_id, client_id: client_id.to_owned(), at: state.clock.instant(), answer: answer.clone() };
            state.store.lock().unwrap().auth.used_refresh_tokens.insert(refresh_token.to_owned(), used);
            token_answer(answer)
        }
        Err(response) => response,
    }
}

/// What a resource token is issued for.
pub(crate) struct ResourceGrant<'a> {
    pub server: &'a crate::mcp_auth::McpServer,
    pub client_id: String,
    pub user_id: Option<String>,
    pub organization_id: Option<String>,
    pub session_id: Option<String>,
    pub scopes: Vec<String>,
    /// The `resource` asked for, else the server URL: the first audience.
    pub resource: Option<String>,
}

/// The claims of a resource token: `iss` (environment or resource form, per the server's switch),
/// `aud` `[server URL or resource, res_id]`, `sub`, `client_id`, `sid`, `jti`, `oid`/`org_id`, and the
/// scopes in the claims the server's switch names.
pub(crate) fn resource_claims(state: &AppState, grant: &ResourceGrant, ttl: i64) -> Value {
    use crate::mcp_auth::{IssuerForm, ScopeClaims};
    let now = state.clock.unix() as i64;
    let base = state.public_url();
    let issuer = match grant.server.issuer_form {
        IssuerForm::Environment => state.issuer(),
        IssuerForm::Resource => grant.server.issuer(&base),
    };
    let audience: Vec<String> = grant.server.server_url.clone().or_else(|| grant.resource.clone()).into_iter().chain([grant.server.resource_id.clone()]).collect();
    let mut claims = json!({
        "iss": issuer, "aud": audience, "sub": grant.user_id.clone().unwrap_or_else(|| grant.client_id.clone()),
        "client_id": grant.client_id, "iat": now, "nbf": now, "exp": now + ttl, "jti": random_token("tkn_"),
    });
    if let Some(sid) = &grant.session_id {
        claims["sid"] = json!(sid);
    }
    if let Some(org) = &grant.organization_id {
        claims["oid"] = json!(org);
        claims["org_id"] = json!(org);
    }
    if matches!(grant.server.scope_claims, ScopeClaims::Both | ScopeClaims::Scope) {
        claims["scope"] = json!(grant.scopes.join(" "));
    }
    if matches!(grant.server.scope_claims, ScopeClaims::Both | ScopeClaims::Scopes) {
        claims["scopes"] = json!(grant.scopes);
    }
    claims
}

/// A resource token answer; with `refresh` (a session granted `offline_access`), a refresh token too.
fn resource_tokens(state: &AppState, grant: &ResourceGrant, refresh: Option<LoginSession>) -> Value {
    let ttl = grant.server.token_ttl;
    let access_token = sign(state, &resource_claims(state, grant, ttl as i64));
    let mut answer = json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": ttl, "scope": grant.scopes.join(" ") });
    if let Some(session) = refresh.filter(|s| s.scope.split(' ').any(|s| s == "offline_access")) {
        let refresh_token = random_token("skrt_");
        state.store.lock().unwrap().auth.refresh_tokens.insert(refresh_token.clone(), session);
        answer["refresh_token"] = json!(refresh_token);
    }
    answer
}

/// Tokens for an MCP client's session (after a code or a refresh): a new refresh token replaces the used one.
fn session_resource_tokens(state: &Arc<AppState>, session: LoginSession) -> Result<Value, Response> {
    let Some(mcp) = session.mcp.clone() else {
        return Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "not an MCP session"));
    };
    let Some(server) = crate::mcp_auth::server(state, &mcp.resource_id) else {
        return Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_target", "the MCP server no longer exists"));
    };
    let grant = ResourceGrant {
        server: &server,
        client_id: session.client_id.clone(),
        user_id: Some(session.user_id.clone()),
        organization_id: session.organization_id.clone(),
        session_id: Some(session.session_id.clone()),
        scopes: session.scope.split_whitespace().map(str::to_owned).collect(),
        resource: mcp.resource.clone(),
    };
    Ok(resource_tokens(state, &grant, Some(session.clone())))
}

/// The tokens of a session: a user's (with an id token), or an MCP client's (a resource token).
fn session_tokens(state: &Arc<AppState>, session: LoginSession, nonce: Option<&str>) -> Result<Value, Response> {
    if session.mcp.is_some() {
        session_resource_tokens(state, session)
    } else {
        user_tokens(state, session, nonce)
    }
}

fn client_ttl(client: &Value) -> u64 {
    client["expiry"].as_str().and_then(|s| s.parse().ok()).unwrap_or(3600)
}

/// A token for an organization's M2M client: `sub` is the client, `oid` its organization.
fn issue_client_token(state: &AppState, client: &Value) -> String {
    let now = state.clock.unix();
    let ttl = client_ttl(client);
    let scopes: Vec<&str> = client["scopes"].as_array().map(|s| s.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let mut claims = json!({
        "iss": state.issuer(), "sub": client["client_id"], "client_id": client["client_id"], "oid": client["organization_id"],
        "aud": client["audience"], "scopes": scopes, "scope": scopes.join(" "),
        "iat": now, "nbf": now, "exp": now + ttl, "jti": random_token("tkn_"),
    });
    for claim in client["custom_claims"].as_array().into_iter().flatten() {
        if let Some(key) = claim["key"].as_str() {
            claims[key] = claim["value"].clone();
        }
    }
    let token = sign(state, &claims);
    state.store.lock().unwrap().tokens.insert(token.clone(), state.clock.instant() + Duration::from_secs(ttl));
    token
}

fn ttl_seconds(state: &AppState) -> u64 {
    state.config().token_ttl.as_secs_f64().ceil() as u64
}

/// Mints an RS256 access token and registers it for the API's bearer check.
fn issue_access_token(state: &AppState, client_id: &str, user: Option<&Value>, session: Option<&LoginSession>, scope: &str) -> String {
    let now = state.clock.unix();
    let ttl = ttl_seconds(state);
    let mut claims = json!({
        "iss": state.issuer(), "sub": client_id, "aud": [client_id], "client_id": client_id,
        "iat": now, "nbf": now, "exp": now + ttl, "jti": random_token("tkn_"),
    });
    if let (Some(user), Some(session)) = (user, session) {
        claims["sub"] = user["id"].clone();
        claims["sid"] = json!(session.session_id);
        let scopes: Vec<&str> = scope.split_whitespace().collect();
        claims["scope"] = json!(scope);
        claims["scopes"] = json!(scopes);
        if let Some(org) = &session.organization_id {
            claims["oid"] = json!(org);
            let membership = user["memberships"].as_array().and_then(|ms| ms.iter().find(|m| m["organization_id"] == *org));
            let roles: Vec<Value> = membership.and_then(|m| m["roles"].as_array()).map(|rs| rs.iter().map(|r| r["name"].clone()).collect()).unwrap_or_default();
            let store = state.store.lock().unwrap();
            let mut permissions: Vec<String> = Vec::new();
            for role in roles.iter().filter_map(Value::as_str) {
                for p in store.effective_permissions(Some(org), role) {
                    if !permissions.contains(&p) {
                        permissions.push(p);
                    }
                }
            }
            claims["roles"] = json!(roles);
            claims["permissions"] = json!(permissions);
        }
    }
    let token = sign(state, &claims);
    state.store.lock().unwrap().tokens.insert(token.clone(), state.clock.instant() + state.config().token_ttl);
    token
}

fn user_tokens(state: &AppState, session: LoginSession, nonce: Option<&str>) -> Result<Value, Response> {
    let client_id = session.client_id.clone();
    let client_id = client_id.as_str();
    let user = state.store.lock().unwrap().users.iter().find(|u| u["id"] == *session.user_id).cloned();
    let Some(user) = user else {
        return Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the user no longer exists"));
    };
    let access_token = issue_access_token(state, client_id, Some(&user), Some(&session), &session.scope);
    let now = state.clock.unix();
    let profile = &user["user_profile"];
    let mut id_claims = json!({
        "iss": state.issuer(), "sub": user["id"], "aud": [client_id], "azp": client_id,
        "iat": now, "exp": now + ttl_seconds(state), "auth_time": now, "sid": session.session_id, "amr": ["pwd"],
        "email": user["email"], "email_verified": profile["email_verified"].as_bool().unwrap_or(false),
        "name": profile["name"], "given_name": profile["given_name"], "family_name": profile["family_name"],
    });
    if let Some(org) = &session.organization_id {
        id_claims["oid"] = json!(org);
    }
    if let Some(nonce) = nonce {
        id_claims["nonce"] = json!(nonce);
    }
    if let Some(object) = id_claims.as_object_mut() {
        object.retain(|_, v| !v.is_null());
    }
    // OIDC Core 3.1.3.6: the left half of the access token's SHA-256, base64url.
    let digest = ring::digest::digest(&ring::digest::SHA256, access_token.as_bytes());
    id_claims["at_hash"] = json!(URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16]));
    let id_token = sign(state, &id_claims);
    let mut answer = json!({ "access_token": access_token, "id_token": id_token, "token_type": "Bearer", "expires_in": ttl_seconds(state) });
    // As Scalekit documents: a refresh token only for the offline_access scope.
    if session.scope.split(' ').any(|s| s == "offline_access") {
        let refresh_token = random_token("skrt_");
        state.store.lock().unwrap().auth.refresh_tokens.insert(refresh_token.clone(), session);
        answer["refresh_token"] = json!(refresh_token);
    }
    Ok(answer)
}

/// `/oidc/logout`: ends the session named by `id_token_hint` and redirects.
pub async fn logout(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> Response {
    // As /oauth/authorize: only a registered (by default, a loopback) URI, so that logout is no open redirect.
    if let Some(uri) = query.get("post_logout_redirect_uri") {
        if !redirect_allowed(&state.config(), uri) {
            return (StatusCode::BAD_REQUEST, "post_logout_redirect_uri is not a registered redirect URI").into_response();
        }
    }
    if let Some(hint) = query.get("id_token_hint") {
        let claims = hint.split('.').nth(1).and_then(|p| URL_SAFE_NO_PAD.decode(p).ok()).and_then(|b| serde_json::from_slice::<Value>(&b).ok());
        if let Some(sid) = claims.as_ref().and_then(|c| c["sid"].as_str()) {
            state.end_session(sid);
        }
    }
    match query.get("post_logout_redirect_uri").filter(|u| crate::parse_url(u).is_ok()) {
        Some(uri) => match query.get("state") {
            Some(s) => redirect(&with_query(uri, &[("state", s)])),
            None => redirect(uri),
        },
        None => (StatusCode::OK, "signed out").into_response(),
    }
}
