//! `ScalekitEmulator`, exported from `scalekit-native/testing`.

use std::sync::Mutex;
use std::time::Duration;

use napi_derive::napi;
use scalekit_core::models::Organization;
use scalekit_emulator::{Emulator, EmulatorConfig, EmulatorStats, FaultSpec};

use crate::json::Json;

/// Options of `ScalekitEmulator.start`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct EmulatorOptions {
    /// 0 (the default) picks a free port.
    pub port: Option<u32>,
    /// Default `127.0.0.1`.
    pub host: Option<String>,
    /// Default `skc_emulator`.
    pub client_id: Option<String>,
    /// Default `emulator_secret`.
    pub client_secret: Option<String>,
    /// `expires_in` of the access tokens it issues. Default 3600.
    pub token_ttl_seconds: Option<f64>,
    /// Largest `page_size` list calls accept. Default 100, as Scalekit.
    pub max_page_size: Option<u32>,
    /// Seeds every random choice (fault probability and jitter). Default 0.
    pub seed: Option<u32>,
    /// Keep request and response bodies in `requests()`, e.g. to check them against the OpenAPI spec.
    pub record_bodies: Option<bool>,
}

/// Fields of a seeded organization.
#[napi(object, object_to_js = false)]
pub struct EmulatorOrganization {
    pub display_name: String,
    pub external_id: Option<String>,
    pub region_code: Option<String>,
    pub metadata: Option<std::collections::HashMap<String, String>>,
}

/// A Scalekit-compatible server on a loopback port, with in-memory state.
#[napi]
pub struct ScalekitEmulator {
    inner: Mutex<Option<Emulator>>,
    url: String,
    client_id: String,
    client_secret: String,
}

fn invalid(message: impl Into<String>) -> napi::Error {
    crate::errors::to_napi(scalekit_core::Error::InvalidInput { field: "options".into(), message: message.into() })
}

impl ScalekitEmulator {
    fn with<T>(&self, f: impl FnOnce(&Emulator) -> T) -> napi::Result<T> {
        let guard = self.inner.lock().unwrap();
        let emulator = guard.as_ref().ok_or_else(|| invalid("the emulator is stopped"))?;
        Ok(f(emulator))
    }
}

#[napi]
impl ScalekitEmulator {
    /// Starts an emulator; resolves once it accepts connections.
    #[napi]
    pub async fn start(options: Option<EmulatorOptions>) -> napi::Result<ScalekitEmulator> {
        let options = options.unwrap_or_default();
        let mut config = EmulatorConfig::default();
        if let Some(id) = options.client_id {
            config.client_id = id;
        }
        if let Some(secret) = options.client_secret {
            config.client_secret = secret;
        }
        if let Some(ttl) = options.token_ttl_seconds {
            if !ttl.is_finite() || ttl <= 0.0 {
                return Err(invalid("tokenTtlSeconds must be a number of seconds above 0"));
            }
            config.token_ttl = Duration::from_secs_f64(ttl);
        }
        config.seed = options.seed.unwrap_or(0).into();
        config.record_bodies = options.record_bodies.unwrap_or(false);
        if let Some(max) = options.max_page_size {
            config.max_page_size = max.max(10);
        }
        let port = u16::try_from(options.port.unwrap_or(0)).map_err(|_| invalid("port must be from 0 to 65535"))?;
        let host = options.host.unwrap_or_else(|| "127.0.0.1".into());
        let (client_id, client_secret) = (config.client_id.clone(), config.client_secret.clone());
        let emulator = Emulator::start(&host, port, config)
            .map_err(|e| napi::Error::from_reason(format!("cannot start the emulator on {host}:{port}: {e}")))?;
        Ok(ScalekitEmulator { url: emulator.url(), inner: Mutex::new(Some(emulator)), client_id, client_secret })
    }

    /// Environment URL to pass to `new ScalekitClient(...)`.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    #[napi(getter)]
    pub fn client_id(&self) -> String {
        self.client_id.clone()
    }

    /// The emulator's own test credential (not a real secret).
    #[napi(getter)]
    pub fn client_secret(&self) -> String {
        self.client_secret.clone()
    }

    /// Counts of requests (token requests among them), organizations and users.
    #[napi]
    pub fn stats(&self) -> napi::Result<EmulatorStats> {
        self.with(|e| e.state().stats())
    }

    /// Requests received so far, oldest first (admin calls excluded; the last 10 000 are kept).
    #[napi(ts_return_type = "Array<RequestRecord>")]
    pub fn requests(&self) -> napi::Result<Json> {
        self.with(|e| Json::encode(&e.state().requests()))?
    }

    /// Forgets all organizations, users, tokens and logged requests.
    #[napi]
    pub fn reset(&self) -> napi::Result<()> {
        self.with(|e| e.state().reset())
    }

    /// Invalidates every token issued so far: the next API call is answered 401.
    #[napi]
    pub fn revoke_tokens(&self) -> napi::Result<()> {
        self.with(|e| e.state().revoke_tokens())
    }

    /// Makes every token issued so far expired: the next API call is answered 401 ("token expired").
    #[napi]
    pub fn expire_tokens(&self) -> napi::Result<()> {
        self.with(|e| e.state().expire_tokens())
    }

    /// Injects a fault: latency, an error status (with `Retry-After`) or a dropped
    /// connection, for the next `times` matching requests (default 1; 0 = until cleared).
    #[napi]
    pub fn inject_fault(&self, fault: FaultSpec) -> napi::Result<()> {
        self.with(|e| e.state().faults.add(fault))?.map_err(invalid)
    }

    /// Removes every injected fault.
    #[napi]
    pub fn clear_faults(&self) -> napi::Result<()> {
        self.with(|e| e.state().faults.clear())
    }

    /// Creates `count` organizations named "Organization 1" … ; returns their ids.
    #[napi]
    pub fn seed_organizations(&self, count: u32) -> napi::Result<Vec<String>> {
        self.with(|e| scalekit_emulator::seed_organizations(e.state(), count as usize))?
            .map_err(|e| invalid(format!("{e:?}")))
    }

    /// Creates one organization directly in the emulator's state.
    #[napi(ts_return_type = "Organization")]
    pub fn create_organization(&self, organization: EmulatorOrganization) -> napi::Result<Json> {
        let body = serde_json::json!({
            "display_name": organization.display_name,
            "external_id": organization.external_id,
            "region_code": organization.region_code,
            "metadata": organization.metadata,
        });
        let created = self.with(|e| scalekit_emulator::create_organization(e.state(), body))?.map_err(|e| invalid(format!("{e:?}")))?;
        let organization: Organization = serde_json::from_value(created).map_err(|e| napi::Error::from_reason(e.to_string()))?;
        Json::encode(&organization)
    }

    /// Stops the server. Safe to call twice.
    #[napi]
    pub async fn stop(&self) -> napi::Result<()> {
        let emulator = self.inner.lock().unwrap().take();
        if let Some(mut emulator) = emulator {
            tokio::task::spawn_blocking(move || emulator.stop()).await.map_err(|e| napi::Error::from_reason(e.to_string()))?;
        }
        Ok(())
    }
}
