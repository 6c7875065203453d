//! `SessionSealer`: the sealed cookies of `scalekit-native/session` (see `scalekit_core::seal`). All its crypto is
//! here; the session kit (lib/session/) is JS over it.

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use scalekit_core::seal::{constant_time_eq, Sealer};

use crate::errors::IntoNapi;

/// What `unseal` found: the value, or why it did not open.
#[napi(object, object_from_js = false)]
pub struct Unsealed {
    pub value: Option<String>,
    /// `malformed`, `unknown_key` (sealed with a password not in the list), `forged` (tampered with, or sealed for
    /// another purpose) or `expired`.
    #[napi(ts_type = "'malformed' | 'unknown_key' | 'forged' | 'expired'")]
    pub reason: Option<String>,
}

/// AES-256-GCM sealing with a per-seal key (HKDF-SHA256 of a password and a random salt, with a purpose label), a
/// versioned format with a key id, and an expiry inside the ciphertext. The first password seals; all open.
#[napi]
pub struct SessionSealer {
    inner: Sealer,
}

#[scalekit_derive::js_parameters]
#[napi]
impl SessionSealer {
    /// Each password at least 32 characters; a list gives rotation (the first seals, all open).
    #[napi(constructor, strict)]
    pub fn new(passwords: Either<String, Vec<String>>) -> napi::Result<Self> {
        let passwords = match passwords {
            Either::A(one) => vec![one],
            Either::B(many) => many,
        };
        Ok(SessionSealer { inner: Sealer::new(&passwords).into_napi()? })
    }

    /// The id of the key that seals (the first password's).
    #[napi(getter)]
    pub fn key_id(&self) -> String {
        self.inner.key_id().to_owned()
    }

    /// `value` sealed for `purpose`, to open until `expiresAt` (unix seconds).
    #[napi(strict)]
    pub fn seal(&self, purpose: String, value: String, expires_at: f64) -> String {
        self.inner.seal(&purpose, value.as_bytes(), expires_at.max(0.0) as u64)
    }

    /// Opens a value sealed for `purpose`, at `now` (unix seconds; default the system clock).
    #[napi(strict)]
    pub fn unseal(&self, purpose: String, sealed: String, now: Option<f64>) -> Unsealed {
        let now = now.map_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0), |n| n.max(0.0) as u64);
        match self.inner.unseal(&purpose, &sealed, now) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(value) => Unsealed { value: Some(value), reason: None },
                Err(_) => Unsealed { value: None, reason: Some("malformed".into()) },
            },
            Err(error) => Unsealed { value: None, reason: Some(error.reason().into()) },
        }
    }

    /// A keyed fingerprint of `value` (HMAC-SHA256 under a key derived from the sealing password), base64url: what a
    /// shared store (a coordinator across instances) is keyed by instead of a refresh token itself.
    #[napi(strict)]
    pub fn fingerprint(&self, value: String) -> String {
        self.inner.fingerprint(&value)
    }

    /// `bytes` (default 32) random bytes from the operating system, base64url: states, nonces, session ids.
    #[napi(strict)]
    pub fn random(&self, bytes: Option<u32>) -> String {
        self.inner.random(bytes.unwrap_or(32).clamp(16, 64) as usize)
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    #[napi(strict)]
    pub fn constant_time_equal(&self, a: String, b: String) -> bool {
        constant_time_eq(&a, &b)
    }
}
