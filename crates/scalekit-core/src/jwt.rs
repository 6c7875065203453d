//! Validating Scalekit's JWTs (access, id and IdP-initiated login tokens) against the
//! environment's JWKS: fetched from `/keys` on first use, kept for `JWKS_TTL`, and
//! fetched again when a token names a key it does not hold (key rotation), at most once
//! per `REFETCH_COOLDOWN`, so that forged `kid`s cannot hammer the server.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

use crate::error::{transport_error, Error, Result, ServerError, TransportKind};

pub const JWKS_TTL: Duration = Duration::from_secs(600);
pub const REFETCH_COOLDOWN: Duration = Duration::from_secs(30);
/// Only asymmetric algorithms Scalekit signs with; `none` and HMAC are refused.
const ALLOWED: &[Algorithm] = &[Algorithm::RS256, Algorithm::ES256];

/// What a token must satisfy besides a valid signature and time window.
#[derive(Debug, Clone, Default)]
pub struct TokenChecks {
    pub issuer: Option<String>,
    /// Any one of these must be in `aud`.
    pub audience: Vec<String>,
    pub required_scopes: Vec<String>,
    /// Leeway for `exp` and `nbf`.
    pub clock_tolerance: Duration,
}

/// Why a token did not validate: the `reason` of `ScalekitValidateTokenFailureException`.
pub fn invalid(reason: &'static str, message: impl Into<String>) -> Error {
    Error::TokenInvalid { reason, message: message.into() }
}

/// A JWKS key, parsed once into the form that verifies.
#[derive(Clone)]
struct Key {
    jwk: Jwk,
    decoding: std::sync::Arc<DecodingKey>,
}

struct KeyCache {
    keys: HashMap<String, Key>,
    fetched_at: Option<Instant>,
    /// The last fetch an unknown `kid` caused.
    refetched_for_unknown_at: Option<Instant>,
    fetches: u32,
}

pub struct TokenValidator {
    http: reqwest::Client,
    jwks_url: String,
    timeout: Duration,
    /// Shared with the validators `with_timeout` derives.
    cache: Arc<tokio::sync::Mutex<KeyCache>>,
}

impl std::fmt::Debug for TokenValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenValidator").field("jwks_url", &self.jwks_url).finish_non_exhaustive()
    }
}

impl TokenValidator {
    pub fn new(http: reqwest::Client, env_url: &str, timeout: Duration) -> Self {
        let cache = KeyCache { keys: HashMap::new(), fetched_at: None, refetched_for_unknown_at: None, fetches: 0 };
        TokenValidator { http, jwks_url: format!("{env_url}/keys"), timeout, cache: Arc::new(tokio::sync::Mutex::new(cache)) }
    }

    /// The same validator, over the same cached keys, whose JWKS fetches have another time limit (`withOptions`).
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        TokenValidator { http: self.http.clone(), jwks_url: self.jwks_url.clone(), timeout, cache: self.cache.clone() }
    }

    /// How many times the JWKS has been fetched (for tests and the bench).
    pub async fn jwks_fetches(&self) -> u32 {
        self.cache.lock().await.fetches
    }

    /// The token's claims, once its signature, algorithm, time window and `checks` hold.
    pub async fn validate(&self, token: &str, checks: &TokenChecks) -> Result<Map<String, Value>> {
        let header = header(token)?;
        let key = self.key(header.kid.as_deref(), header.alg).await?;
        verify(token, header.alg, &key, checks, true).map(Option::unwrap_or_default)
    }

    /// Whether [`validate`](Self::validate) would succeed, without keeping the claims.
    pub async fn is_valid(&self, token: &str, checks: &TokenChecks) -> bool {
        let Ok(header) = header(token) else { return false };
        let Ok(key) = self.key(header.kid.as_deref(), header.alg).await else { return false };
        verify(token, header.alg, &key, checks, false).is_ok()
    }

    /// As [`validate`](Self::validate), without waiting: `None` when that would need the JWKS fetched
    /// (not cached yet, stale, a `kid` it does not hold) or while a fetch is under way. The common case,
    /// a known key, is pure CPU: the bindings run it on the JS thread instead of a round trip to the worker.
    pub fn validate_cached(&self, token: &str, checks: &TokenChecks) -> Option<Result<Map<String, Value>>> {
        self.cached(token, checks, true).map(|r| r.map(Option::unwrap_or_default))
    }

    /// As [`is_valid`](Self::is_valid), without waiting, as [`validate_cached`](Self::validate_cached).
    pub fn is_valid_cached(&self, token: &str, checks: &TokenChecks) -> Option<bool> {
        self.cached(token, checks, false).map(|r| r.is_ok())
    }

    fn cached(&self, token: &str, checks: &TokenChecks, keep_claims: bool) -> Option<Result<Option<Map<String, Value>>>> {
        let header = match header(token) {
            Ok(header) => header,
            Err(error) => return Some(Err(error)),
        };
        let key = {
            let cache = self.cache.try_lock().ok()?;
            if cache.fetched_at.is_none_or(|at| at.elapsed() > JWKS_TTL) {
                return None;
            }
            find_key(&cache, header.kid.as_deref(), header.alg)?
        };
        Some(verify(token, header.alg, &key, checks, keep_claims))
    }

    /// The key `kid` names, fetching the JWKS when it is not cached, stale, or (at most once
    /// per cooldown) does not hold `kid`. Without a `kid`, the first key of the token's algorithm.
    async fn key(&self, kid: Option<&str>, alg: Algorithm) -> Result<Key> {
        let mut cache = self.cache.lock().await;
        let stale = cache.fetched_at.is_none_or(|at| at.elapsed() > JWKS_TTL);
        if stale {
            self.fetch(&mut cache).await?;
        }
        let find = |cache: &KeyCache| find_key(cache, kid, alg);
        if let Some(key) = find(&cache) {
            return Ok(key);
        }
        // A rotated key is picked up at once; a flood of unknown kids costs one fetch per cooldown.
        let cooled = cache.refetched_for_unknown_at.is_none_or(|at| at.elapsed() > REFETCH_COOLDOWN);
        if !stale && cooled {
            cache.refetched_for_unknown_at = Some(Instant::now());
            self.fetch(&mut cache).await?;
            if let Some(key) = find(&cache) {
                return Ok(key);
            }
        }
        Err(invalid("unknown_key", format!("the environment's JWKS has no key {}", kid.unwrap_or("for the token's algorithm"))))
    }

    async fn fetch(&self, cache: &mut KeyCache) -> Result<()> {
        let response = self.http.get(&self.jwks_url).timeout(self.timeout).send().await.map_err(|e| transport_error(&e))?;
        let status = response.status().as_u16();
        let request_id = crate::http::request_id(response.headers());
        let body = response.bytes().await.map_err(|e| transport_error(&e))?;
        if !(200..300).contains(&status) {
            return Err(ServerError::from_response(status, &body, request_id).into());
        }
        let set: JwkSet = serde_json::from_slice(&body).map_err(|e| Error::transport(TransportKind::Decode, format!("GET /keys: not a JWKS: {e}")))?;
        // Keys that cannot verify (unknown types) are skipped, as a JOSE library would.
        cache.keys = set
            .keys
            .into_iter()
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                let decoding = DecodingKey::from_jwk(&jwk).ok()?;
                Some((kid, Key { jwk, decoding: std::sync::Arc::new(decoding) }))
            })
            .collect();
        cache.fetched_at = Some(Instant::now());
        cache.fetches += 1;
        Ok(())
    }
}

/// The key `kid` names, or without a `kid` the first key of the token's algorithm.
fn find_key(cache: &KeyCache, kid: Option<&str>, alg: Algorithm) -> Option<Key> {
    match kid {
        Some(kid) => cache.keys.get(kid).cloned(),
        None => cache.keys.values().find(|k| k.jwk.common.key_algorithm.is_none_or(|a| format!("{a:?}") == format!("{alg:?}"))).cloned(),
    }
}

/// The token's header, with an algorithm Scalekit signs with.
fn header(token: &str) -> Result<jsonwebtoken::Header> {
    let header = jsonwebtoken::decode_header(token.trim()).map_err(|e| match raw_alg(token) {
        // jsonwebtoken does not even parse `none`: it is a refused algorithm, not noise.
        Some(alg) => invalid("algorithm", format!("tokens signed with {alg:?} are not accepted (only RS256 and ES256)")),
        None => invalid("malformed", format!("the token is not a JWT: {e}")),
    })?;
    if !ALLOWED.contains(&header.alg) {
        return Err(invalid("algorithm", format!("tokens signed with {:?} are not accepted (only RS256 and ES256)", header.alg)));
    }
    Ok(header)
}

/// The signature, time window and `checks` of a token, against its key; its claims with `keep_claims`
/// (without, and with no scopes to check, they are not even decoded).
fn verify(token: &str, alg: Algorithm, key: &Key, checks: &TokenChecks, keep_claims: bool) -> Result<Option<Map<String, Value>>> {
    let mut validation = Validation::new(alg);
    validation.leeway = checks.clock_tolerance.as_secs();
    validation.validate_nbf = true;
    validation.required_spec_claims.clear();
    if let Some(issuer) = &checks.issuer {
        validation.set_issuer(&[issuer]);
    }
    if checks.audience.is_empty() {
        validation.validate_aud = false;
    } else {
        validation.set_audience(&checks.audience);
    }
    let reason = |e: jsonwebtoken::errors::Error| {
        use jsonwebtoken::errors::ErrorKind::*;
        match e.kind() {
            ExpiredSignature => invalid("expired", "the token has expired"),
            ImmatureSignature => invalid("not_yet_valid", "the token is not valid yet (nbf)"),
            InvalidSignature => invalid("bad_signature", "the token's signature does not verify"),
            InvalidAudience => invalid("audience", "the token is not for this audience"),
            InvalidIssuer => invalid("issuer", "the token's issuer is not the expected one"),
            InvalidAlgorithm | InvalidAlgorithmName => invalid("algorithm", "the token's algorithm does not match its key"),
            _ => invalid("malformed", format!("the token cannot be read: {e}")),
        }
    };
    if !keep_claims && checks.required_scopes.is_empty() {
        jsonwebtoken::decode::<serde::de::IgnoredAny>(token.trim(), &key.decoding, &validation).map_err(reason)?;
        return Ok(None);
    }
    let data = jsonwebtoken::decode::<Map<String, Value>>(token.trim(), &key.decoding, &validation).map_err(reason)?;
    require_scopes(&data.claims, &checks.required_scopes)?;
    Ok(keep_claims.then_some(data.claims))
}

/// The `alg` of a JWT header that jsonwebtoken cannot parse (such as `none`).
fn raw_alg(token: &str) -> Option<String> {
    use base64::Engine;
    let header = token.trim().split('.').next()?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header.trim_end_matches('=')).ok()?;
    let header: Map<String, Value> = serde_json::from_slice(&bytes).ok()?;
    header.get("alg")?.as_str().map(str::to_owned)
}

/// The scopes of a token: its `scopes` array, or its space-separated `scope`.
pub fn scopes(claims: &Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = claims.get("scopes").and_then(Value::as_array).into_iter().flatten().filter_map(|s| s.as_str()).filter(|s| !s.trim().is_empty()).map(str::to_owned).collect();
    if let Some(scope) = claims.get("scope").and_then(Value::as_str) {
        out.extend(scope.split_whitespace().map(str::to_owned));
    }
    out
}

pub fn require_scopes(claims: &Map<String, Value>, required: &[String]) -> Result<()> {
    let have = scopes(claims);
    let missing: Vec<&str> = required.iter().map(String::as_str).filter(|r| !r.trim().is_empty() && !have.iter().any(|h| h == r)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        // The official SDK's wording.
        Err(invalid("scope", format!("Token missing required scopes: {}", missing.join(", "))))
    }
}

/// The claims of a JWT, read without verifying it (as the official `verifyScopes` does).
pub fn unverified_claims(token: &str) -> Result<Map<String, Value>> {
    use base64::Engine;
    let payload = token.trim().split('.').nth(1).ok_or_else(|| invalid("malformed", "the token is not a JWT"))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|_| invalid("malformed", "the token's payload is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| invalid("malformed", "the token's payload is not a JSON object"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_from_either_claim() {
        let claims: Map<String, Value> = serde_json::from_str(r#"{"scopes":["a"," ","b"],"scope":"c d"}"#).unwrap();
        assert_eq!(scopes(&claims), ["a", "b", "c", "d"]);
        assert!(require_scopes(&claims, &["a".into(), "d".into()]).is_ok());
        let err = require_scopes(&claims, &["a".into(), "x".into(), "y".into()]).unwrap_err();
        assert!(matches!(&err, Error::TokenInvalid { reason: "scope", message } if message == "Token missing required scopes: x, y"), "{err:?}");
    }

    #[test]
    fn unverified_claims_read_the_payload() {
        let token = "e30.eyJzY29wZXMiOlsicmVhZCJdfQ.sig";
        assert_eq!(unverified_claims(token).unwrap()["scopes"][0], "read");
        assert!(matches!(unverified_claims("nope"), Err(Error::TokenInvalid { reason: "malformed", .. })));
    }
}
