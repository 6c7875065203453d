//! Events for mutations, kept for listing and optionally delivered to a URL,
//! signed with the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature: v1,<base64 HMAC-SHA256>`), with retries on failure.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Serialize;
use serde_json::{json, Value};

use crate::state::{now_rfc3339, AppState};

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub url: String,
    /// `whsec_<base64 key>`.
    pub secret: String,
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry; doubles after each.
    pub retry_delay: Duration,
}

/// One delivery attempt, for tests to inspect.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    pub event_id: String,
    pub event_type: String,
    pub attempt: u32,
    /// The receiver's HTTP status; absent when it could not be reached.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub delivered: bool,
}

#[derive(Default)]
pub struct Webhooks {
    pub config: Mutex<Option<WebhookConfig>>,
    pub deliveries: Mutex<Vec<WebhookDelivery>>,
    /// Bumped by a reset: deliveries of events from before it stop, retries included.
    pub generation: std::sync::atomic::AtomicU64,
    client: std::sync::OnceLock<reqwest::Client>,
}

/// `base64(HMAC-SHA256(key, "{id}.{timestamp}.{payload}"))`, key = base64-decoded part after `whsec_`.
pub fn sign(secret: &str, id: &str, timestamp: u64, payload: &str) -> String {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    let key_bytes = STANDARD.decode(encoded).unwrap_or_else(|_| encoded.as_bytes().to_vec());
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key_bytes);
    let tag = ring::hmac::sign(&key, format!("{id}.{timestamp}.{payload}").as_bytes());
    STANDARD.encode(tag.as_ref())
}

/// A fresh `whsec_` secret from the seeded generator.
pub fn new_secret(rng: &mut impl rand::RngCore) -> String {
    let mut key = [0u8; 24];
    rng.fill_bytes(&mut key);
    format!("whsec_{}", STANDARD.encode(key))
}

impl AppState {
    /// Records an event and, when a webhook URL is set, delivers it in the background.
    pub fn emit(self: &Arc<Self>, event_type: &str, object: &str, organization_id: Option<&str>, data: Value) {
        let display_name = event_type
            .rsplit('.')
            .next()
            .unwrap_or(event_type)
            .split('_')
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ");
        let mut event = json!({
            "spec_version": "1",
            "id": self.new_id("evt"),
            "type": event_type,
            "object": object,
            "occurred_at": now_rfc3339(),
            "environment_id": crate::state::ENVIRONMENT_ID,
            "data": data,
            "display_name": display_name,
        });
        if let Some(org) = organization_id {
            event["organization_id"] = json!(org);
        }
        self.store.lock().unwrap().events.push(event.clone());
        let Some(config) = self.webhooks.config.lock().unwrap().clone() else { return };
        let Some(runtime) = self.runtime.get() else { return };
        let state = self.clone();
        runtime.spawn(async move { state.deliver(config, event).await });
    }

    async fn deliver(&self, config: WebhookConfig, event: Value) {
        let client = self.webhooks.client.get_or_init(|| {
            install_crypto_provider();
            reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("webhook HTTP client")
        });
        let payload = event.to_string();
        let id = event["id"].as_str().unwrap_or_default().to_owned();
        let event_type = event["type"].as_str().unwrap_or_default().to_owned();
        let mut delay = config.retry_delay;
        let generation = self.webhooks.generation.load(std::sync::atomic::Ordering::SeqCst);
        let current = || self.webhooks.generation.load(std::sync::atomic::Ordering::SeqCst) == generation;
        for attempt in 1..=config.max_attempts.max(1) {
            if !current() {
                return;
            }
            let timestamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            let signature = format!("v1,{}", sign(&config.secret, &id, timestamp, &payload));
            let result = client
                .post(&config.url)
                .header("content-type", "application/json")
                .header("webhook-id", &id)
                .header("webhook-timestamp", timestamp.to_string())
                .header("webhook-signature", signature)
                .body(payload.clone())
                .send()
                .await;
            let (status, error) = match &result {
                Ok(response) => (Some(response.status().as_u16()), None),
                Err(e) => (None, Some(e.to_string())),
            };
            let delivered = status.is_some_and(|s| (200..300).contains(&s));
            if !current() {
                return;
            }
            self.webhooks.deliveries.lock().unwrap().push(WebhookDelivery {
                event_id: id.clone(),
                event_type: event_type.clone(),
                attempt,
                status,
                error,
                delivered,
            });
            if delivered {
                return;
            }
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
    }
}

fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}


/// `POST /api/v1/events/paginated`: the event log, filtered by the body.
pub async fn list_events(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    body: axum::body::Bytes,
) -> crate::error::ApiResult<axum::response::Response> {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Filter {
        event_types: Vec<String>,
        organization_id: Option<String>,
        start_time: Option<String>,
        end_time: Option<String>,
    }
    let filter: Filter = if body.is_empty() { Filter::default() } else { crate::parse_body(&body)? };
    let store = state.store.lock().unwrap();
    let events: Vec<&Value> = store
        .events
        .iter()
        .filter(|e| filter.event_types.is_empty() || filter.event_types.iter().any(|t| e["type"] == *t))
        .filter(|e| filter.organization_id.as_ref().is_none_or(|o| e["organization_id"] == *o))
        .filter(|e| filter.start_time.as_deref().is_none_or(|s| e["occurred_at"].as_str().is_some_and(|t| t >= s)))
        .filter(|e| filter.end_time.as_deref().is_none_or(|s| e["occurred_at"].as_str().is_some_and(|t| t <= s)))
        .collect();
    let bounds = crate::pagination::Bounds { min: 1, max: 100, default: 10 };
    crate::pagination::page_response("events", &events, &query, bounds, crate::pagination::Total::Omitted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_the_standard_webhooks_reference() {
        // Test vector from the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let payload = r#"{"test": 2432232314}"#;
        assert_eq!(sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, payload), "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
