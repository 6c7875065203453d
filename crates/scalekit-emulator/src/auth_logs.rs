//! The authentication-request log (`/logs/authentication/requests`), fed by the
//! sign-in flows: `/oauth/authorize` → `/oauth/token` and passwordless send → verify.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::pagination::{page_response, Bounds, Total};
use crate::query::Params;
use crate::state::{now_rfc3339, parse_rfc3339, without_nulls, AppState, Store};

const STATUSES: [&str; 4] = ["INITIATED", "PENDING", "SUCCESS", "FAILED"];

impl Store {
    /// Appends an entry (`auditlogsAuthLogRequest` REST JSON).
    pub(crate) fn log_auth(&mut self, entry: Value) {
        self.auth_logs.push(without_nulls(entry));
    }

    /// Moves the entry of `auth_request_id` to `status`.
    pub(crate) fn set_auth_status(&mut self, auth_request_id: &str, status: &str) {
        if let Some(entry) = self.auth_logs.iter_mut().rev().find(|e| e["auth_request_id"] == auth_request_id) {
            entry["status"] = json!(status);
        }
    }
}

/// Adds an entry to the log, for tests. Unset `auth_request_id`, `status` (`INITIATED`),
/// `timestamp` (now) and `environment_id` are filled in; returns the entry as stored.
pub fn add_auth_log(state: &AppState, entry: Value) -> Result<Value, String> {
    let Value::Object(mut entry) = entry else { return Err("an auth log entry must be an object".into()) };
    entry.retain(|_, v| !v.is_null());
    match entry.get("status").map(|s| s.as_str()) {
        None => {
            entry.insert("status".into(), json!("INITIATED"));
        }
        Some(Some(s)) if STATUSES.contains(&s) => {}
        Some(_) => return Err(format!("status must be one of {}", STATUSES.join(", "))),
    }
    match entry.get("timestamp").map(|t| t.as_str().and_then(parse_rfc3339)) {
        None => {
            entry.insert("timestamp".into(), json!(now_rfc3339()));
        }
        Some(Some(_)) => {}
        Some(None) => return Err("timestamp must be an RFC 3339 time".into()),
    }
    entry.entry("auth_request_id").or_insert_with(|| json!(state.new_id("ar")));
    entry.entry("environment_id").or_insert_with(|| json!(crate::state::ENVIRONMENT_ID));
    let entry = without_nulls(Value::Object(entry));
    state.store.lock().unwrap().auth_logs.push(entry.clone());
    Ok(entry)
}

fn time_filter(params: &Params, name: &str) -> ApiResult<Option<time::OffsetDateTime>> {
    match params.get(name) {
        None => Ok(None),
        Some(v) => parse_rfc3339(v).map(Some).ok_or_else(|| ApiError::field(name, "value must be a valid RFC 3339 timestamp", "timestamp")),
    }
}

/// Newest first.
pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<Vec<(String, String)>>) -> ApiResult<Response> {
    let params = Params(query);
    let mut statuses = Vec::new();
    for status in params.all("status") {
        let upper = status.to_ascii_uppercase();
        if !STATUSES.contains(&upper.as_str()) {
            return Err(ApiError::field("status", "value must be one of INITIATED, PENDING, SUCCESS, FAILED", "enum.defined_only"));
        }
        statuses.push(upper);
    }
    let (start, end) = (time_filter(&params, "start_time")?, time_filter(&params, "end_time")?);
    let email = params.get("email");
    let (resource_id, client_id) = (params.get("resource_id"), params.get("client_id"));
    let store = state.store.lock().unwrap();
    let at = |e: &Value| e["timestamp"].as_str().and_then(parse_rfc3339);
    let mut entries: Vec<&Value> = store
        .auth_logs
        .iter()
        .filter(|e| statuses.is_empty() || statuses.iter().any(|s| e["status"] == **s))
        .filter(|e| email.is_none_or(|m| e["email"].as_str().is_some_and(|x| x.eq_ignore_ascii_case(m))))
        .filter(|e| resource_id.is_none_or(|r| e["resource_id"] == r))
        .filter(|e| client_id.is_none_or(|c| e["client_id"] == c))
        .filter(|e| start.is_none_or(|s| at(e).is_some_and(|t| t >= s)))
        .filter(|e| end.is_none_or(|s| at(e).is_some_and(|t| t <= s)))
        .collect();
    // Oldest first as logged; a stable sort keeps the log order among equal times.
    entries.reverse();
    entries.sort_by_key(|e| std::cmp::Reverse(at(e)));
    page_response("authRequests", &entries, &params.map(), Bounds { min: 1, max: 100, default: 10 }, Total::Size)
}
