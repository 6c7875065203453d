//! "Bring your own auth": a connection whose login page is the customer's own. `/oauth/authorize`
//! sends the user there with a `login_request_id` and a `state`; the page authenticates the user,
//! reports who it was (`POST /connections/{id}/auth-requests/{login_request_id}/user`, the SDK's
//! `auth.updateLoginUserDetails`), and sends the browser back to
//! `/sso/v1/connections/{id}/partner:callback?state=…`, which finishes the authorization and redirects
//! to the app with its code.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::oauth::{PendingAuthorization, PendingLogin};
use crate::parse_body;
use crate::state::{now_rfc3339, without_nulls, AppState};
use crate::users::is_email;

/// How long the customer's login page has to finish a login request.
const LOGIN_REQUEST_LIFETIME: Duration = Duration::from_secs(600);

/// A bring-your-own-auth connection (configuration: `reset()` keeps it).
#[derive(Debug, Clone)]
pub struct CustomAuthConnection {
    pub id: String,
    /// The customer's login page.
    pub login_endpoint: String,
    /// Every sign-in of the environment's own client goes to it (not only those naming it by `connection_id`).
    pub default: bool,
}

/// Adds a bring-your-own-auth connection whose login page is `login_endpoint`; returns its id.
pub fn add_custom_auth_connection(state: &AppState, login_endpoint: &str, default: bool) -> Result<String, String> {
    let url = crate::parse_url(login_endpoint).map_err(|e| format!("loginEndpoint is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("loginEndpoint must be an http(s) URL".into());
    }
    let id = state.new_id("conn");
    let mut connections = state.custom_auth.lock().unwrap();
    if default {
        connections.iter_mut().for_each(|c| c.default = false);
    }
    connections.push(CustomAuthConnection { id: id.clone(), login_endpoint: login_endpoint.to_owned(), default });
    Ok(id)
}

/// The bring-your-own-auth connection an authorization goes through: the one it names, the MCP
/// server's, or the environment's default.
pub(crate) fn custom_auth_for(state: &AppState, named: Option<&str>, server_connection: Option<&str>) -> Option<CustomAuthConnection> {
    let connections = state.custom_auth.lock().unwrap();
    if let Some(id) = named.or(server_connection) {
        return connections.iter().find(|c| c.id == id).cloned();
    }
    connections.iter().find(|c| c.default).cloned()
}

/// Starts a login request and sends the browser to the connection's login page.
pub(crate) fn send_to_login_page(state: &AppState, connection: &CustomAuthConnection, request: PendingAuthorization) -> Response {
    let login_request_id = state.new_id("lri");
    let state_token = crate::oauth::random_token("st_");
    let location = crate::oauth::with_query(&connection.login_endpoint, &[("login_request_id", &login_request_id), ("state", &state_token)]);
    let pending = PendingLogin { connection_id: connection.id.clone(), login_request_id: login_request_id.clone(), state_token, request, expires: state.clock.instant() + LOGIN_REQUEST_LIFETIME };
    state.store.lock().unwrap().auth.pending_logins.insert(login_request_id, pending);
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
struct LoginUser {
    sub: Option<String>,
    email: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    email_verified: Option<bool>,
    phone_number: Option<String>,
    phone_number_verified: Option<bool>,
    name: Option<String>,
    preferred_username: Option<String>,
    picture: Option<String>,
    gender: Option<String>,
    locale: Option<String>,
    groups: Option<Vec<String>>,
    custom_attributes: Option<Map<String, Value>>,
    organization_external_id: Option<String>,
    roles: Option<Vec<String>>,
    organization_external_name: Option<String>,
    login_failed: Option<bool>,
}

/// `POST /api/v1/connections/{connection_id}/auth-requests/{login_request_id}/user`: the user the login
/// page authenticated for a login request the emulator issued (NOT_FOUND otherwise, as Scalekit answers).
pub async fn submit(State(state): State<Arc<AppState>>, Path((connection_id, login_request_id)): Path<(String, String)>, body: Bytes) -> ApiResult<Json<Value>> {
    let user: LoginUser = parse_body(&body)?;
    if user.login_failed != Some(true) {
        match user.email.as_deref().map(str::trim) {
            None | Some("") => return Err(ApiError::field("email", "value is required", "required")),
            Some(email) if !is_email(email) => return Err(ApiError::field("email", "value must be a valid email address", "string.email")),
            Some(_) => {}
        }
    }
    let known_connection = state.custom_auth.lock().unwrap().iter().any(|c| c.id == connection_id);
    let mut store = state.store.lock().unwrap();
    if !known_connection && !store.connections.iter().any(|c| c["id"] == connection_id) {
        return Err(ApiError::not_found(format!("connection {connection_id} not found")));
    }
    let issued = store.auth.pending_logins.get(&login_request_id).is_some_and(|p| p.connection_id == connection_id && p.expires > state.clock.instant());
    if !issued {
        return Err(ApiError::not_found(format!("login request {login_request_id} not found for connection {connection_id}")));
    }
    let user = without_nulls(serde_json::to_value(user).expect("a login user serializes"));
    store.login_user_details.insert(login_request_id.clone(), user);
    Ok(Json(json!({ "auth_request_id": login_request_id })))
}

/// The user reported for a login request, as sent (REST JSON), for tests.
pub fn login_user_details(state: &AppState, login_request_id: &str) -> Option<Value> {
    state.store.lock().unwrap().login_user_details.get(login_request_id).cloned()
}

fn callback_error(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_request", "error_description": message }))).into_response()
}

/// `GET /sso/v1/connections/{connection_id}/partner:callback?state=…`: the login page is done. With the
/// user it reported, the authorization finishes (the user is found by email, or created) and the
/// browser goes back to the app with a code; a failed login goes back with `access_denied`.
pub async fn partner_callback(State(state): State<Arc<AppState>>, Path(connection_id): Path<String>, Query(query): Query<HashMap<String, String>>) -> Response {
    let Some(state_token) = query.get("state").filter(|s| !s.is_empty()) else {
        return callback_error("state is required");
    };
    let pending = {
        let mut store = state.store.lock().unwrap();
        let id = store.auth.pending_logins.iter().find(|(_, p)| p.state_token == *state_token && p.connection_id == connection_id).map(|(id, _)| id.clone());
        id.and_then(|id| store.auth.pending_logins.remove(&id))
    };
    let Some(pending) = pending.filter(|p| p.expires > state.clock.instant()) else {
        return callback_error("no login request of this connection has that state (unknown, used or expired)");
    };
    let Some(details) = login_user_details(&state, &pending.login_request_id) else {
        // Not reported yet: the login page must call auth.updateLoginUserDetails before redirecting here.
        state.store.lock().unwrap().auth.pending_logins.insert(pending.login_request_id.clone(), pending);
        return callback_error("the login page has not reported the user of this login request (auth.updateLoginUserDetails)");
    };
    if details["login_failed"] == true {
        return crate::oauth::deny(&state, &pending.request, "the login page reported a failed login");
    }
    let user = find_or_create_user(&state, &details);
    crate::oauth::finish_authorization(&state, pending.request, &user).await
}

/// The environment's user with the reported email, created (without memberships) when there is none.
fn find_or_create_user(state: &AppState, details: &Value) -> Value {
    let email = details["email"].as_str().unwrap_or_default().trim().to_owned();
    let mut store = state.store.lock().unwrap();
    if let Some(user) = store.users.iter().find(|u| u["email"].as_str().is_some_and(|e| e.eq_ignore_ascii_case(&email))) {
        return user.clone();
    }
    let now = now_rfc3339();
    // The login page's own id for the user becomes the external id, unless another user has it.
    let external_id = details["sub"].as_str().filter(|sub| !sub.is_empty() && !store.user_external_ids.contains(*sub)).map(str::to_owned);
    if let Some(external_id) = &external_id {
        store.user_external_ids.insert(external_id.clone());
    }
    let user = without_nulls(json!({
        "id": state.new_id("usr"), "environment_id": crate::state::ENVIRONMENT_ID, "email": email, "external_id": external_id,
        "create_time": now, "update_time": now, "memberships": [],
        "user_profile": {
            "id": state.new_id("usp"), "given_name": details["given_name"], "family_name": details["family_name"],
            "name": details["name"], "email_verified": details["email_verified"].as_bool().unwrap_or(false),
            "phone_number": details["phone_number"], "locale": details["locale"], "picture": details["picture"],
        },
    }));
    store.users.push(user.clone());
    user
}
