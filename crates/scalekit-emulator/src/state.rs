//! In-memory state of one emulator instance.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub client_id: String,
    pub client_secret: String,
    /// `expires_in` of client-credentials tokens.
    pub token_ttl: Duration,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            client_id: "skc_emulator".into(),
            client_secret: "emulator_secret".into(),
            token_ttl: Duration::from_secs(3600),
        }
    }
}

/// One request as the emulator saw it, for tests to inspect.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub request_id: String,
    /// Whether an `Authorization` header came with it (its value is never kept).
    pub authorization: bool,
}

#[derive(Debug, Default)]
pub struct Store {
    /// Organizations in creation order; each a REST JSON object (snake_case).
    pub organizations: Vec<Value>,
    pub users: Vec<Value>,
    pub tokens: HashMap<String, Instant>,
    pub requests: Vec<RequestRecord>,
}

impl Store {
    pub fn organization(&self, id: &str) -> Option<&Value> {
        self.organizations.iter().find(|o| o["id"] == id)
    }
}

pub struct AppState {
    pub config: Mutex<EmulatorConfig>,
    pub store: Mutex<Store>,
    next_id: AtomicU64,
    next_request: AtomicU64,
}

impl AppState {
    pub fn new(config: EmulatorConfig) -> Self {
        AppState { config: Mutex::new(config), store: Mutex::new(Store::default()), next_id: AtomicU64::new(1), next_request: AtomicU64::new(1) }
    }

    /// A Scalekit-style id: prefix and a decimal snowflake-like number.
    pub fn new_id(&self, prefix: &str) -> String {
        format!("{prefix}_{}", 59_615_193_906_282_000u64 + self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    pub fn new_request_id(&self) -> String {
        format!("req_{}", self.next_request.fetch_add(1, Ordering::Relaxed))
    }

    pub fn config(&self) -> EmulatorConfig {
        self.config.lock().unwrap().clone()
    }

    /// Forgets every resource, token and logged request.
    pub fn reset(&self) {
        *self.store.lock().unwrap() = Store::default();
    }

    /// Makes every token issued so far invalid: the next API call gets 401.
    pub fn revoke_tokens(&self) {
        self.store.lock().unwrap().tokens.clear();
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        self.store.lock().unwrap().requests.clone()
    }
}

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("RFC 3339 formatting of the current time")
}
