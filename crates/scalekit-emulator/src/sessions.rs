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
use crate::state::{now_rfc3339, AppState};

const REVOKED_FIELDS: [&str; 10] =
    ["session_id", "user_id", "status", "created_at", "updated_at", "last_active_at", "absolute_expires_at", "idle_expires_at", "expired_at", "logout_at"];

fn revoked_view(session: &Value) -> Value {
    Value::Object(REVOKED_FIELDS.iter().filter_map(|f| session.get(*f).filter(|v| !v.is_null()).map(|v| ((*f).to_owned(), v.clone()))).collect())
}

fn revoke(session: &mut Value) {
    if session["status"] == "ACTIVE" {
        let now = now_rfc3339();
        session["status"] = json!("REVOKED");
        session["logout_at"] = json!(now);
        session["updated_at"] = json!(now);
    }
}

impl AppState {
    /// Records the session a sign-in opened.
    pub fn record_login(&self, login: &crate::oauth::LoginSession) {
        let now = time::OffsetDateTime::now_utc();
        let fmt = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).expect("RFC 3339");
        let client_id = self.config().client_id;
        let session = json!({
            "session_id": login.session_id,
            "user_id": login.user_id,
            "organization_id": login.organization_id,
            "authenticated_organizations": login.organization_id.iter().collect::<Vec<_>>(),
            "authenticated_clients": [{ "client_id": client_id, "organization_id": login.organization_id }],
            "status": "ACTIVE",
            "created_at": fmt(now),
            "updated_at": fmt(now),
            "last_active_at": fmt(now),
            "absolute_expires_at": fmt(now + time::Duration::days(7)),
            "idle_expires_at": fmt(now + time::Duration::days(1)),
            "device": { "user_agent": "scalekit-emulator", "ip": "127.0.0.1", "browser": "Emulator", "os": "Emulator", "device_type": "desktop" },
        });
        self.store.lock().unwrap().sessions.push(session);
    }

    pub fn session_active(&self, session_id: &str) -> bool {
        self.store.lock().unwrap().sessions.iter().any(|s| s["session_id"] == session_id && s["status"] == "ACTIVE")
    }

    /// Logs a session out; its refresh tokens stop working.
    pub fn end_session(&self, session_id: &str) {
        let mut store = self.store.lock().unwrap();
        if let Some(session) = store.sessions.iter_mut().find(|s| s["session_id"] == session_id) {
            revoke(session);
        }
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
    let mut store = state.store.lock().unwrap();
    let session = store.sessions.iter_mut().find(|s| s["session_id"] == *session_id).ok_or_else(|| ApiError::not_found(format!("session {session_id} not found")))?;
    revoke(session);
    Ok(Json(json!({ "revoked_session": revoked_view(session) })))
}

pub async fn revoke_all(State(state): State<Arc<AppState>>, Path(user_id): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    if !store.users.iter().any(|u| u["id"] == *user_id) {
        return Err(ApiError::not_found(format!("user {user_id} not found")));
    }
    let mut revoked = Vec::new();
    for session in store.sessions.iter_mut().filter(|s| s["user_id"] == *user_id && s["status"] == "ACTIVE") {
        revoke(session);
        revoked.push(revoked_view(session));
    }
    Ok(Json(json!({ "total_revoked": revoked.len(), "revoked_sessions": revoked })))
}
