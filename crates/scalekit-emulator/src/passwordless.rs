//! `/api/v1/passwordless/email/*`: no email leaves the emulator; tests read the
//! code and link token through the JS test API (`passwordlessEmail(email)`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::parse_body;
use crate::state::{without_nulls, AppState};
use crate::users::is_email;

const MAX_ATTEMPTS: u32 = 5;

/// What the emulator "sent", readable by tests.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordlessEmail {
    pub auth_request_id: String,
    pub email: String,
    /// The one-time code (OTP), six digits.
    pub code: String,
    pub link_token: String,
    /// `magiclink_auth_uri` with `link_token` appended, when one was given.
    pub magic_link: Option<String>,
    pub sent_count: u32,
}

#[derive(Debug, Clone)]
pub struct AuthRequest {
    pub email: PasswordlessEmail,
    state: Option<String>,
    template: String,
    passwordless_type: &'static str,
    expires_in: u32,
    expires: Instant,
    expires_at_unix: u64,
    failed_attempts: u32,
    used: bool,
}

fn new_code(state: &AppState) -> (String, String) {
    let mut rng = state.rng.lock().unwrap();
    let code = format!("{:06}", rng.random_range(0..1_000_000));
    let mut token = [0u8; 24];
    rng.fill(&mut token);
    use base64::Engine;
    (code, base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token))
}

fn sent_response(request: &AuthRequest) -> Json<Value> {
    Json(json!({
        "auth_request_id": request.email.auth_request_id,
        "expires_at": request.expires_at_unix.to_string(),
        "expires_in": request.expires_in,
        "passwordless_type": request.passwordless_type,
    }))
}

pub async fn send(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        email: String,
        expires_in: Option<u32>,
        magiclink_auth_uri: Option<String>,
        state: Option<String>,
        template: Option<String>,
        template_variables: Option<Map<String, Value>>,
    }
    let request: Body = parse_body(&body)?;
    let _ = request.template_variables;
    let email = request.email.trim().to_owned();
    if !is_email(&email) {
        return Err(ApiError::field("email", "value must be a valid email address", "string.email"));
    }
    let template = request.template.unwrap_or_else(|| "SIGNIN".into());
    if !matches!(template.as_str(), "SIGNIN" | "SIGNUP") {
        return Err(ApiError::field("template", "value must be SIGNIN or SIGNUP", "enum.defined_only"));
    }
    let expires_in = request.expires_in.unwrap_or(300);
    if !(60..=3600).contains(&expires_in) {
        return Err(ApiError::field("expires_in", "value must be from 60 to 3600 seconds", "uint32.gte_lte"));
    }
    let magic_link_uri = request.magiclink_auth_uri.filter(|u| !u.is_empty());
    if let Some(uri) = &magic_link_uri {
        if crate::parse_url(uri).is_err() {
            return Err(ApiError::field("magiclink_auth_uri", "value must be an absolute URL", "string.uri"));
        }
    }
    let (code, link_token) = new_code(&state);
    let magic_link = magic_link_uri.as_ref().map(|uri| {
        let separator = if uri.contains('?') { '&' } else { '?' };
        format!("{uri}{separator}link_token={link_token}")
    });
    let now_unix = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let auth_request = AuthRequest {
        email: PasswordlessEmail { auth_request_id: state.new_id("ar"), email, code, link_token, magic_link, sent_count: 1 },
        state: request.state,
        template,
        passwordless_type: if magic_link_uri.is_some() { "LINK_OTP" } else { "OTP" },
        expires_in,
        expires: state.clock.instant() + Duration::from_secs(expires_in.into()),
        expires_at_unix: now_unix + u64::from(expires_in),
        failed_attempts: 0,
        used: false,
    };
    let response = sent_response(&auth_request);
    let log_entry = json!({
        "auth_request_id": auth_request.email.auth_request_id, "client_id": state.config().client_id, "email": auth_request.email.email,
        "environment_id": crate::state::ENVIRONMENT_ID, "status": "PENDING", "timestamp": crate::state::now_rfc3339(), "workflow": "PASSWORDLESS",
    });
    let mut store = state.store.lock().unwrap();
    store.passwordless.push(auth_request);
    store.log_auth(log_entry);
    Ok(response)
}

pub async fn resend(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        auth_request_id: String,
    }
    let request: Body = parse_body(&body)?;
    let (code, link_token) = new_code(&state);
    let mut store = state.store.lock().unwrap();
    let auth_request = store
        .passwordless
        .iter_mut()
        .find(|r| r.email.auth_request_id == request.auth_request_id && !r.used)
        .ok_or_else(|| ApiError::not_found("auth request not found or already used"))?;
    auth_request.email.code = code;
    if let Some(link) = &auth_request.email.magic_link {
        auth_request.email.magic_link = Some(link.replace(&auth_request.email.link_token, &link_token));
    }
    auth_request.email.link_token = link_token;
    auth_request.email.sent_count += 1;
    auth_request.failed_attempts = 0;
    auth_request.expires = state.clock.instant() + Duration::from_secs(auth_request.expires_in.into());
    Ok(sent_response(auth_request))
}

pub async fn verify(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        auth_request_id: Option<String>,
        code: Option<String>,
        link_token: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    let mut store = state.store.lock().unwrap();
    let auth_request = match (&request.link_token, &request.code) {
        (Some(token), _) if !token.is_empty() => store.passwordless.iter_mut().find(|r| r.email.link_token == *token),
        (_, Some(_)) => {
            let id = request.auth_request_id.as_deref().unwrap_or_default();
            store.passwordless.iter_mut().find(|r| r.email.auth_request_id == id)
        }
        _ => return Err(ApiError::invalid("either code (with auth_request_id) or link_token is required")),
    }
    .ok_or_else(|| ApiError::invalid("invalid or expired passwordless request"))?;
    if auth_request.used || auth_request.expires <= state.clock.instant() || auth_request.failed_attempts >= MAX_ATTEMPTS {
        return Err(ApiError::invalid("the passwordless request has expired or was already used"));
    }
    if let Some(code) = request.code.as_deref().filter(|_| request.link_token.as_deref().unwrap_or_default().is_empty()) {
        if code != auth_request.email.code {
            auth_request.failed_attempts += 1;
            if auth_request.failed_attempts >= MAX_ATTEMPTS {
                let id = auth_request.email.auth_request_id.clone();
                store.set_auth_status(&id, "FAILED");
            }
            return Err(ApiError::field("code", "the code is not valid", "passwordless.code"));
        }
    }
    auth_request.used = true;
    let answer = without_nulls(json!({
        "email": auth_request.email.email,
        "state": auth_request.state,
        "template": auth_request.template,
        "passwordless_type": auth_request.passwordless_type,
    }));
    let id = auth_request.email.auth_request_id.clone();
    store.set_auth_status(&id, "SUCCESS");
    Ok(Json(answer))
}
