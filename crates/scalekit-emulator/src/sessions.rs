//! `/api/v1/sessions` and `/api/v1/users/{user_id}/sessions`: sessions come
//! from sign-ins through `/oauth/authorize` and `/oauth/token`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::pagination::{page_response, Bounds, Total};
use axum::response::Response;
use crate::state::AppState;

const REVOKED_FIELDS: [&str; 10] =
    ["session_id", "user_id", "status", "created_at", "updated_at", "last_active_at", "absolute_expires_at", "idle_expires_at", "expired_at", "logout_at"];

fn revoked_view(session: &Value) -> Value {
    Value::Object(REVOKED_FIELDS.iter().filter_map(|f| session.get(*f).filter(|v| !v.is_null()).map(|v| ((*f).to_owned(), v.clone()))).collect())
}

fn revoke(session: &mut Value, now: &str) {
    if session["status"] == "ACTIVE" {
        let now = now.to_owned();
        session["status"] = json!("REVOKED");
        session["logout_at"] = json!(now);
        session["updated_at"] = json!(now);
    }
}

impl AppState {
    /// Records the session a sign-in opened, with the expiries its policy gives.
    pub fn record_login(&self, login: &crate::oauth::LoginSession) {
        let now = self.clock.datetime();
        let fmt = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).expect("RFC 3339");
        let client_id = self.config().client_id;
        let (absolute, idle) = self.session_policy(login.organization_id.as_deref());
        let mut session = json!({
            "session_id": login.session_id,
            "user_id": login.user_id,
            "organization_id": login.organization_id,
            "authenticated_organizations": login.organization_id.iter().collect::<Vec<_>>(),
            "authenticated_clients": [{ "client_id": client_id, "organization_id": login.organization_id }],
            "status": "ACTIVE",
            "created_at": fmt(now),
            "updated_at": fmt(now),
            "last_active_at": fmt(now),
            "absolute_expires_at": fmt(now + absolute),
            "device": { "user_agent": "scalekit-emulator", "ip": "127.0.0.1", "browser": "Emulator", "os": "Emulator", "device_type": "desktop" },
        });
        if let Some(idle) = idle {
            session["idle_expires_at"] = json!(fmt(now + idle));
        }
        self.store.lock().unwrap().sessions.push(session);
    }

    /// (absolute timeout, idle timeout) of a session: its organization's custom session policy, else the
    /// emulator's (`setSessionPolicy`).
    fn session_policy(&self, organization_id: Option<&str>) -> (std::time::Duration, Option<std::time::Duration>) {
        let config = self.config();
        let defaults = (config.session_absolute_timeout, Some(config.session_idle_timeout));
        let store = self.store.lock().unwrap();
        let Some(policy) = organization_id.and_then(|id| store.organization_settings.get(id)).and_then(|s| s.get("session_policy")) else { return defaults };
        if policy["policy_source"] != "CUSTOM" {
            return defaults;
        }
        let span = |amount: &Value, unit: &Value| {
            let amount = amount.as_i64().or_else(|| amount.as_str().and_then(|a| a.parse().ok())).filter(|a| *a > 0)?;
            let unit = match unit.as_str() {
                Some("MINUTES") => 60,
                Some("HOURS") => 3_600,
                _ => 86_400,
            };
            Some(std::time::Duration::from_secs(amount as u64 * unit))
        };
        let absolute = span(&policy["absolute_session_timeout"], &policy["absolute_session_timeout_unit"]).unwrap_or(defaults.0);
        let idle = if policy["idle_session_timeout_enabled"] == true { span(&policy["idle_session_timeout"], &policy["idle_session_timeout_unit"]) } else { None };
        (absolute, idle)
    }

    /// A refresh of a session: false (and the session ends, EXPIRED) when its absolute or idle timeout has
    /// passed; else it is active again now, and its idle timeout starts over.
    pub fn touch_session(&self, session_id: &str) -> bool {
        let now = self.clock.datetime();
        let fmt = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).expect("RFC 3339");
        let organization = self.store.lock().unwrap().sessions.iter().find(|s| s["session_id"] == session_id).and_then(|s| s["organization_id"].as_str().map(str::to_owned));
        let (_, idle) = self.session_policy(organization.as_deref());
        let mut store = self.store.lock().unwrap();
        let Some(session) = store.sessions.iter_mut().find(|s| s["session_id"] == session_id && s["status"] == "ACTIVE") else { return false };
        let past = |field: &str| session[field].as_str().and_then(crate::state::parse_rfc3339).is_some_and(|at| at <= now);
        if past("absolute_expires_at") || past("idle_expires_at") {
            session["status"] = json!("EXPIRED");
            session["expired_at"] = json!(fmt(now));
            session["updated_at"] = json!(fmt(now));
            return false;
        }
        session["last_active_at"] = json!(fmt(now));
        session["updated_at"] = json!(fmt(now));
        if let Some(idle) = idle {
            session["idle_expires_at"] = json!(fmt(now + idle));
        }
        true
    }

    pub fn session_active(&self, session_id: &str) -> bool {
        self.store.lock().unwrap().sessions.iter().any(|s| s["session_id"] == session_id && s["status"] == "ACTIVE")
    }

    /// Whether the user has an active session: what `prompt=none` needs to sign them in silently.
    pub fn user_signed_in(&self, user_id: &str) -> bool {
        self.store.lock().unwrap().sessions.iter().any(|s| s["user_id"] == user_id && s["status"] == "ACTIVE")
    }

    /// Logs a session out (its refresh tokens stop working) and emits `user.logout`.
    pub fn end_session(self: &Arc<Self>, session_id: &str) {
        let now = self.clock.rfc3339();
        let ended = {
            let mut store = self.store.lock().unwrap();
            store.sessions.iter_mut().find(|s| s["session_id"] == session_id && s["status"] == "ACTIVE").map(|session| {
                revoke(session, &now);
                session.clone()
            })
        };
        if let Some(session) = ended {
            self.emit_logout(&session);
        }
    }

    fn emit_logout(self: &Arc<Self>, session: &Value) {
        self.emit("user.logout", "User", session["organization_id"].as_str(), json!({ "id": session["user_id"], "session_id": session["session_id"] }));
    }
}

pub async fn get(State(state): State<Arc<AppState>>, Path(session_id): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let session = store.sessions.iter().find(|s| s["session_id"] == *session_id).ok_or_else(|| ApiError::not_found(format!("session {session_id} not found")))?;
    Ok(Json(session.clone()))
}

pub async fn list_for_user(State(state): State<Arc<AppState>>, Path(user_id): Path<String>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let status = query.get("filter.status").filter(|s| !s.is_empty());
    let store = state.store.lock().unwrap();
    if !store.users.iter().any(|u| u["id"] == *user_id) {
        return Err(ApiError::not_found(format!("user {user_id} not found")));
    }
    let sessions: Vec<&Value> = store.sessions.iter().filter(|s| s["user_id"] == *user_id && status.is_none_or(|st| s["status"] == **st)).collect();
    page_response("sessions", &sessions, &query, Bounds { min: 1, max: 100, default: 10 }, Total::Size)
}

pub async fn revoke_one(State(state): State<Arc<AppState>>, Path(session_id): Path<String>) -> ApiResult<Json<Value>> {
    let now = state.clock.rfc3339();
    let (view, was_active) = {
        let mut store = state.store.lock().unwrap();
        let session = store.sessions.iter_mut().find(|s| s["session_id"] == *session_id).ok_or_else(|| ApiError::not_found(format!("session {session_id} not found")))?;
        let was_active = session["status"] == "ACTIVE";
        revoke(session, &now);
        (revoked_view(session), was_active.then(|| session.clone()))
    };
    if let Some(session) = was_active {
        state.emit_logout(&session);
    }
    Ok(Json(json!({ "revoked_session": view })))
}

pub async fn revoke_all(State(state): State<Arc<AppState>>, Path(user_id): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    if !store.users.iter().any(|u| u["id"] == *user_id) {
        return Err(ApiError::not_found(format!("user {user_id} not found")));
    }
    let now = state.clock.rfc3339();
    let mut revoked = Vec::new();
    let mut ended = Vec::new();
    for session in store.sessions.iter_mut().filter(|s| s["user_id"] == *user_id && s["status"] == "ACTIVE") {
        revoke(session, &now);
        revoked.push(revoked_view(session));
        ended.push(session.clone());
    }
    drop(store);
    for session in &ended {
        state.emit_logout(session);
    }
    Ok(Json(json!({ "total_revoked": revoked.len(), "revoked_sessions": revoked })))
}
