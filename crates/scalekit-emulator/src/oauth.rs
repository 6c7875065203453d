//! The authorization server: `/oauth/authorize` (no UI: a test hook picks the
//! user), `/oauth/token` (client credentials, authorization code with PKCE,
//! refresh token), `/keys` (RS256 JWKS with rotation under the test's control)
//! and `/oidc/logout`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
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

fn sign(state: &AppState, claims: &Value) -> String {
    let key = state.keys.current();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &key.encoding).expect("RS256 signing")
}

/// A token signed with the emulator's current key, for tests: `iss`, `aud` (the client id), `iat`,
/// `exp` (`ttl` from now; a negative one makes an expired token) and `jti` are filled in unless
/// `claims` sets them. An access token is also registered, so the emulator's API accepts it.
pub fn mint_token(state: &AppState, claims: serde_json::Map<String, Value>, ttl_seconds_from_now: i64, access: bool) -> String {
    let now = unix_now() as i64;
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
        state.store.lock().unwrap().tokens.insert(token.clone(), Instant::now() + lifetime);
    }
    token
}

fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
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
}

/// A signed-in user's session, as refresh tokens and `sid` claims refer to it.
#[derive(Clone, Debug)]
pub struct LoginSession {
    pub session_id: String,
    pub user_id: String,
    pub organization_id: Option<String>,
    pub scope: String,
}

#[derive(Debug, Default)]
pub struct AuthStore {
    pub codes: HashMap<String, AuthCode>,
    pub refresh_tokens: HashMap<String, LoginSession>,
    /// Who `/oauth/authorize` signs in when the request has no `login_hint`.
    pub login_user: Option<String>,
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

/// Registered redirect URIs match exactly; with none registered, any loopback URL is allowed.
fn redirect_allowed(config: &crate::state::EmulatorConfig, uri: &str) -> bool {
    if !config.redirect_uris.is_empty() {
        return config.redirect_uris.iter().any(|r| r == uri);
    }
    url::Url::parse(uri).ok().is_some_and(|u| match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    })
}

pub async fn authorize(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> Response {
    let param = |name: &str| query.get(name).map(String::as_str).filter(|v| !v.is_empty());
    let config = state.config();
    let Some(redirect_uri) = param("redirect_uri").filter(|u| url::Url::parse(u).is_ok()) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "redirect_uri must be an absolute URL");
    };
    if param("client_id") != Some(config.client_id.as_str()) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "unknown client_id");
    }
    // Never redirect to an unregistered URI: that would hand the code to anyone.
    if !redirect_allowed(&config, redirect_uri) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "redirect_uri is not registered for this environment (setRedirectUris)");
    }
    let state_param = param("state").unwrap_or("");
    let fail = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if !state_param.is_empty() {
            pairs.push(("state", state_param));
        }
        redirect(&with_query(redirect_uri, &pairs))
    };
    if param("response_type") != Some("code") {
        return fail("unsupported_response_type", "only response_type=code is supported");
    }
    if let Some(prompt) = param("prompt") {
        if !prompt.split(' ').all(|p| matches!(p, "login" | "consent" | "create" | "none" | "select_account")) {
            return fail("invalid_request", "prompt must be login, consent, create, none or select_account");
        }
    }
    let code_challenge = param("code_challenge").map(str::to_owned);
    if code_challenge.is_some() && param("code_challenge_method") != Some("S256") {
        return fail("invalid_request", "code_challenge_method must be S256");
    }
    let mut store = state.store.lock().unwrap();
    let wanted = param("login_hint").map(str::to_owned).or_else(|| store.auth.login_user.clone());
    let Some(wanted) = wanted else {
        return fail("login_required", "no user to sign in: pass login_hint or call setLoginUser() on the emulator");
    };
    let Some(user) = store.users.iter().find(|u| u["id"] == *wanted || u["email"].as_str().is_some_and(|e| e.eq_ignore_ascii_case(&wanted))) else {
        return fail("access_denied", "no such user");
    };
    let organization_id = param("organization_id").map(str::to_owned).or_else(|| {
        user["memberships"].as_array().and_then(|ms| ms.first()).and_then(|m| m["organization_id"].as_str()).map(str::to_owned)
    });
    let code = random_token("");
    let auth_request_id = state.new_id("ar");
    let connection = param("connection_id").and_then(|id| store.connections.iter().find(|c| c["id"] == id));
    let log_entry = json!({
        "auth_request_id": auth_request_id, "client_id": config.client_id, "email": user["email"],
        "organization_id": organization_id, "connection_id": connection.map(|c| c["id"].clone()),
        "connection_type": connection.map(|c| c["type"].clone()), "connection_provider": connection.map(|c| c["provider"].clone()),
        "environment_id": crate::state::ENVIRONMENT_ID, "status": "INITIATED", "timestamp": crate::state::now_rfc3339(), "workflow": "LOGIN",
    });
    let auth_code = AuthCode {
        user_id: user["id"].as_str().unwrap_or_default().to_owned(),
        organization_id,
        redirect_uri: redirect_uri.to_owned(),
        scope: param("scope").unwrap_or("openid profile email").to_owned(),
        nonce: param("nonce").map(str::to_owned),
        code_challenge,
        expires: Instant::now() + CODE_LIFETIME,
        auth_request_id,
    };
    store.auth.codes.insert(code.clone(), auth_code);
    store.log_auth(log_entry);
    let mut pairs = vec![("code", code.as_str())];
    if !state_param.is_empty() {
        pairs.push(("state", state_param));
    }
    redirect(&with_query(redirect_uri, &pairs))
}

pub async fn token(State(state): State<Arc<AppState>>, Form(form): Form<HashMap<String, String>>) -> Response {
    let config = state.config();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let grant = field("grant_type");
    if !matches!(grant, "client_credentials" | "authorization_code" | "refresh_token") {
        return match grant {
            "" => oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required"),
            other => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", &format!("grant_type {other} is not supported")),
        };
    }
    let environment_client = field("client_id") == config.client_id && field("client_secret") == config.client_secret;
    if !environment_client {
        // An organization's M2M client may use the client-credentials grant.
        let client = crate::clients::authenticate(&state.store.lock().unwrap(), field("client_id"), field("client_secret"));
        return match client {
            Some(client) if grant == "client_credentials" => {
                let access_token = issue_client_token(&state, &client);
                let scope = client["scopes"].as_array().map(|s| s.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" ")).unwrap_or_default();
                Json(json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": client_ttl(&client), "scope": scope })).into_response()
            }
            Some(_) => oauth_error(StatusCode::BAD_REQUEST, "unauthorized_client", "M2M clients may only use client_credentials"),
            None => oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed"),
        };
    }
    match grant {
        "client_credentials" => {
            let access_token = issue_access_token(&state, &config.client_id, None, None, "");
            Json(json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": ttl_seconds(&state), "scope": "" })).into_response()
        }
        "authorization_code" => {
            let code = state.store.lock().unwrap().auth.codes.remove(field("code"));
            let Some(code) = code.filter(|c| c.expires > Instant::now()) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the code is unknown, used or expired");
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
            state.store.lock().unwrap().set_auth_status(&code.auth_request_id, "SUCCESS");
            let session = LoginSession { session_id: state.new_id("ses"), user_id: code.user_id, organization_id: code.organization_id, scope: code.scope };
            state.record_login(&session);
            let user = state.store.lock().unwrap().users.iter().find(|u| u["id"] == *session.user_id).cloned();
            state.emit("user.login", "User", session.organization_id.as_deref(), user.unwrap_or_default());
            user_tokens(&state, &config.client_id, session, code.nonce.as_deref())
        }
        _ => {
            let session = state.store.lock().unwrap().auth.refresh_tokens.remove(field("refresh_token"));
            let Some(session) = session.filter(|s| state.session_active(&s.session_id)) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the refresh token is unknown, used or revoked");
            };
            user_tokens(&state, &config.client_id, session, None)
        }
    }
}

fn client_ttl(client: &Value) -> u64 {
    client["expiry"].as_str().and_then(|s| s.parse().ok()).unwrap_or(3600)
}

/// A token for an organization's M2M client: `sub` is the client, `oid` its organization.
fn issue_client_token(state: &AppState, client: &Value) -> String {
    let now = unix_now();
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
    state.store.lock().unwrap().tokens.insert(token.clone(), Instant::now() + Duration::from_secs(ttl));
    token
}

fn ttl_seconds(state: &AppState) -> u64 {
    state.config().token_ttl.as_secs_f64().ceil() as u64
}

/// Mints an RS256 access token and registers it for the API's bearer check.
fn issue_access_token(state: &AppState, client_id: &str, user: Option<&Value>, session: Option<&LoginSession>, scope: &str) -> String {
    let now = unix_now();
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
    state.store.lock().unwrap().tokens.insert(token.clone(), Instant::now() + state.config().token_ttl);
    token
}

fn user_tokens(state: &AppState, client_id: &str, session: LoginSession, nonce: Option<&str>) -> Response {
    let user = state.store.lock().unwrap().users.iter().find(|u| u["id"] == *session.user_id).cloned();
    let Some(user) = user else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the user no longer exists");
    };
    let access_token = issue_access_token(state, client_id, Some(&user), Some(&session), &session.scope);
    let now = unix_now();
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
    Json(answer).into_response()
}

/// `/oidc/logout`: ends the session named by `id_token_hint` and redirects.
pub async fn logout(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> Response {
    // As /oauth/authorize: only a registered (by default, a loopback) URI, so that logout is no open redirect.
    if let Some(uri) = query.get("post_logout_redirect_uri") {
        if !redirect_allowed(&state.config.lock().unwrap(), uri) {
            return (StatusCode::BAD_REQUEST, "post_logout_redirect_uri is not a registered redirect URI").into_response();
        }
    }
    if let Some(hint) = query.get("id_token_hint") {
        let claims = hint.split('.').nth(1).and_then(|p| URL_SAFE_NO_PAD.decode(p).ok()).and_then(|b| serde_json::from_slice::<Value>(&b).ok());
        if let Some(sid) = claims.as_ref().and_then(|c| c["sid"].as_str()) {
            state.end_session(sid);
            let user_id = claims.as_ref().and_then(|c| c["sub"].as_str()).unwrap_or_default();
            state.emit("user.logout", "User", claims.as_ref().and_then(|c| c["oid"].as_str()), json!({ "id": user_id, "session_id": sid }));
        }
    }
    match query.get("post_logout_redirect_uri").filter(|u| url::Url::parse(u).is_ok()) {
        Some(uri) => match query.get("state") {
            Some(s) => redirect(&with_query(uri, &[("state", s)])),
            None => redirect(uri),
        },
        None => (StatusCode::OK, "signed out").into_response(),
    }
}
