//! Validating Scalekit's JWTs (access, id and IdP-initiated login tokens) against the
//! environment's JWKS: fetched from `/keys` on first use, kept for `JWKS_TTL`, and
//! fetched again when a token names a key it does not hold (key rotation), at most once
//! per `REFETCH_COOLDOWN`, so that forged `kid`s cannot hammer the server.
//!
//! jsonwebtoken checks the signature only; the claims are checked here, failing closed as
//! jose does: a check the caller asked for rejects a token whose claim is missing or of the
//! wrong type, `exp` is required and must be a number, `nbf` and `iat` must be numbers when
//! present. The claims are always decoded (as a JSON object, with serde_json's nesting limit),
//! so `validate` and `is_valid` give one verdict under one set of rules.
//!
//! The environment's issuer is learned, not assumed: behind a custom domain or a gateway the
//! URL an app is given is another origin than the `iss` its tokens name, so the issuer its
//! OpenID discovery document declares (`{env}/.well-known/openid-configuration`, fetched over
//! the same client as `/keys` and cached with them) is accepted as well as the URL itself.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use crate::error::{transport_error, Error, Result, ServerError, TransportKind};

pub const JWKS_TTL: Duration = Duration::from_secs(600);
pub const REFETCH_COOLDOWN: Duration = Duration::from_secs(30);

/// What a token must satisfy besides a valid signature and time window.
#[derive(Debug, Clone, Default)]
pub struct TokenChecks {
    pub issuer: IssuerCheck,
    /// Any one of these must be in `aud` (compared as [`same_identifier`] does).
    pub audience: Vec<String>,
    /// Every one of these must be in `aud` as well (an MCP server's own URL, beside its resource id).
    pub audience_all: Vec<String>,
    pub required_scopes: Vec<String>,
    /// Leeway for `exp` and `nbf`.
    pub clock_tolerance: Duration,
    /// The time to check `exp` and `nbf` at (unix seconds), instead of the system clock (jose's `currentDate`).
    pub now: Option<f64>,
}

/// Which `iss` a token may name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IssuerCheck {
    /// Not checked (`validateToken` without `issuer`, as the official SDK).
    #[default]
    Unchecked,
    /// One of these, compared as [`same_identifier`] does.
    OneOf(Vec<String>),
    /// The environment's own: the issuer its discovery document declares, or its URL. With a
    /// resource id, also `{that}/resources/{id}`, where Scalekit is moving MCP resource tokens.
    Environment { resource: Option<String> },
}

/// Why a token did not validate: the `reason` of `ScalekitValidateTokenFailureException`.
pub fn invalid(reason: &'static str, message: impl Into<String>) -> Error {
    Error::TokenInvalid { reason, message: message.into() }
}

/// A JWKS key, parsed once into the form that verifies.
#[derive(Clone)]
struct Key {
    jwk: Jwk,
    decoding: Arc<DecodingKey>,
}

/// A parsed JWKS: its usable keys by `kid`. Keys that cannot verify (unknown types, no `kid`) or are not for
/// verifying (`"use"` other than `"sig"`, `key_ops` without `"verify"`) are skipped, as jose's local JWKS does.
#[derive(Clone, Default)]
pub struct KeySet {
    keys: HashMap<String, Key>,
}

impl KeySet {
    /// Reads a JWKS document (`{"keys": [...]}`).
    pub fn parse(jwks: &[u8]) -> std::result::Result<KeySet, String> {
        let set: JwkSet = serde_json::from_slice(jwks).map_err(|e| format!("not a JWKS: {e}"))?;
        let keys = set
            .keys
            .into_iter()
            .filter(verifies_signatures)
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                let decoding = DecodingKey::from_jwk(&jwk).ok()?;
                Some((kid, Key { jwk, decoding: Arc::new(decoding) }))
            })
            .collect();
        Ok(KeySet { keys })
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key `kid` names, or without a `kid` the first key that can verify `alg`.
    fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<&Key> {
        match kid {
            Some(kid) => self.keys.get(kid),
            None => self.keys.values().find(|k| key_fits(&k.jwk, alg)),
        }
    }
}

/// Whether a JWK may verify signatures: no `use` or `use: "sig"`, and no `key_ops` or ones that include `verify`.
fn verifies_signatures(jwk: &Jwk) -> bool {
    use jsonwebtoken::jwk::{KeyOperations, PublicKeyUse};
    let by_use = jwk.common.public_key_use.as_ref().is_none_or(|u| matches!(u, PublicKeyUse::Signature));
    let by_ops = jwk.common.key_operations.as_ref().is_none_or(|ops| ops.iter().any(|op| matches!(op, KeyOperations::Verify)));
    by_use && by_ops
}

/// Whether a JWK can verify `alg`: its key type is the algorithm's family, and its own `alg`, when it
/// names one, is `alg`.
fn key_fits(jwk: &Jwk, alg: Algorithm) -> bool {
    use jsonwebtoken::jwk::AlgorithmParameters as Params;
    let family = match (&jwk.algorithm, alg) {
        (Params::RSA(_), Algorithm::RS256) => true,
        (Params::EllipticCurve(ec), Algorithm::ES256) => ec.curve == jsonwebtoken::jwk::EllipticCurve::P256,
        _ => false,
    };
    family && jwk.common.key_algorithm.is_none_or(|a| format!("{a:?}") == format!("{alg:?}"))
}

struct KeyCache {
    keys: KeySet,
    fetched_at: Option<Instant>,
    /// The last fetch an unknown `kid` caused.
    refetched_for_unknown_at: Option<Instant>,
    fetches: u32,
    /// The `issuer` of the environment's discovery document, when it has one.
    discovered_issuer: Option<String>,
    discovered_at: Option<Instant>,
}

pub struct TokenValidator {
    http: reqwest::Client,
    /// The environment URL as configured (no trailing slash).
    env_url: String,
    timeout: Duration,
    /// Shared with the validators `with_timeout` derives.
    cache: Arc<tokio::sync::Mutex<KeyCache>>,
}

impl std::fmt::Debug for TokenValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenValidator").field("env_url", &self.env_url).finish_non_exhaustive()
    }
}

impl TokenValidator {
    pub fn new(http: reqwest::Client, env_url: &str, timeout: Duration) -> Self {
        let cache = KeyCache { keys: KeySet::default(), fetched_at: None, refetched_for_unknown_at: None, fetches: 0, discovered_issuer: None, discovered_at: None };
        TokenValidator { http, env_url: env_url.trim_end_matches('/').to_owned(), timeout, cache: Arc::new(tokio::sync::Mutex::new(cache)) }
    }

    /// A validator whose cache already holds `keys`, fetched just now, and the environment's issuer as
    /// learned just now (`None`: its discovery document declares none). Not API: for the fuzzer, which
    /// holds the cached paths (`validate_cached`, `is_valid_cached`) to `validate_with_keys` offline.
    #[doc(hidden)]
    pub fn with_keys(env_url: &str, keys: KeySet, discovered_issuer: Option<String>) -> Self {
        // One client for all of them: it is never used (the cache is fresh), and building one per call is slow.
        static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
        let http = HTTP.get_or_init(|| {
            crate::install_crypto_provider();
            reqwest::Client::new()
        });
        let validator = TokenValidator::new(http.clone(), env_url, Duration::from_secs(10));
        let mut cache = validator.cache.try_lock().expect("a new cache is free");
        cache.keys = keys;
        cache.fetched_at = Some(Instant::now());
        cache.discovered_issuer = discovered_issuer;
        cache.discovered_at = Some(Instant::now());
        drop(cache);
        validator
    }

    /// The same validator, over the same cached keys, whose JWKS fetches have another time limit (`withOptions`).
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        TokenValidator { http: self.http.clone(), env_url: self.env_url.clone(), timeout, cache: self.cache.clone() }
    }

    /// How many times the JWKS has been fetched (for tests and the bench).
    pub async fn fetch_count(&self) -> u32 {
        self.cache.lock().await.fetches
    }

    /// The environment URL the validator serves.
    pub fn env_url(&self) -> &str {
        &self.env_url
    }

    /// The token's claims, once its signature, algorithm, time window and `checks` hold.
    pub async fn validate(&self, token: &str, checks: &TokenChecks) -> Result<Map<String, Value>> {
        let token = Token::split(token)?;
        let key = self.key(token.header.kid.as_deref(), token.header.alg).await?;
        let claims = token.verify(&key)?;
        check_claims(&claims, checks, checks.now.unwrap_or_else(now_seconds))?;
        if let IssuerCheck::Environment { resource } = &checks.issuer {
            let iss = claims.get("iss").and_then(Value::as_str);
            let accepted = |discovered: Option<&str>| iss.is_some_and(|iss| environment_issuer(&self.env_url, discovered, resource.as_deref(), iss));
            if !accepted(None) {
                // Learn the environment's issuer (at most once per cooldown when it still does not match).
                let discovered = self.discovered_issuer().await?;
                if !accepted(discovered.as_deref()) {
                    return Err(issuer_error(iss));
                }
            }
        }
        require_scopes(&claims, &checks.required_scopes)?;
        Ok(claims)
    }

    /// Whether [`validate`](Self::validate) would succeed: the same rules, the same verdict.
    pub async fn is_valid(&self, token: &str, checks: &TokenChecks) -> bool {
        self.validate(token, checks).await.is_ok()
    }

    /// As [`validate`](Self::validate), without waiting: `None` when that would need the JWKS or the
    /// discovery document fetched (not cached yet, stale, a `kid` it does not hold, an issuer not yet
    /// learned) or while a fetch is under way. The common case, a known key, is pure CPU: the bindings run
    /// it on the JS thread instead of a round trip to the worker.
    pub fn validate_cached(&self, token: &str, checks: &TokenChecks) -> Option<Result<Map<String, Value>>> {
        let token = match Token::split(token) {
            Ok(token) => token,
            Err(error) => return Some(Err(error)),
        };
        let (key, discovered) = {
            let cache = self.cache.try_lock().ok()?;
            if cache.fetched_at.is_none_or(|at| at.elapsed() > JWKS_TTL) {
                return None;
            }
            let discovered = cache.discovered_at.filter(|at| at.elapsed() <= JWKS_TTL).map(|_| cache.discovered_issuer.clone());
            (cache.keys.find(token.header.kid.as_deref(), token.header.alg)?.clone(), discovered)
        };
        let result = (|| {
            let claims = token.verify(&key)?;
            check_claims(&claims, checks, checks.now.unwrap_or_else(now_seconds))?;
            Ok(claims)
        })();
        let claims = match result {
            Ok(claims) => claims,
            Err(error) => return Some(Err(error)),
        };
        if let IssuerCheck::Environment { resource } = &checks.issuer {
            let iss = claims.get("iss").and_then(Value::as_str);
            let accepted = |discovered: Option<&str>| iss.is_some_and(|iss| environment_issuer(&self.env_url, discovered, resource.as_deref(), iss));
            if !accepted(None) {
                match discovered {
                    Some(discovered) if accepted(discovered.as_deref()) => {}
                    // Not learned yet, or learned and still no match: the async path fetches (or refetches) it.
                    _ => return None,
                }
            }
        }
        Some(require_scopes(&claims, &checks.required_scopes).map(|()| claims))
    }

    /// As [`is_valid`](Self::is_valid), without waiting, as [`validate_cached`](Self::validate_cached).
    pub fn is_valid_cached(&self, token: &str, checks: &TokenChecks) -> Option<bool> {
        self.validate_cached(token, checks).map(|r| r.is_ok())
    }

    /// The issuer the environment's discovery document declares: fetched on first need, kept for
    /// `JWKS_TTL`, and fetched again at most once per `REFETCH_COOLDOWN` when asked again (a token that
    /// still does not match). `None` when the environment serves no such document.
    async fn discovered_issuer(&self) -> Result<Option<String>> {
        let mut cache = self.cache.lock().await;
        let fresh = cache.discovered_at.is_some_and(|at| at.elapsed() <= REFETCH_COOLDOWN);
        if !fresh {
            let url = format!("{}/.well-known/openid-configuration", self.env_url);
            let response = self.http.get(&url).timeout(self.timeout).send().await.map_err(|e| transport_error(&e))?;
            let ok = response.status().is_success();
            let body = response.bytes().await.map_err(|e| transport_error(&e))?;
            cache.discovered_issuer = ok
                .then(|| serde_json::from_slice::<Map<String, Value>>(&body).ok())
                .flatten()
                .and_then(|doc| doc.get("issuer").and_then(Value::as_str).map(str::to_owned))
                .filter(|issuer| !issuer.is_empty());
            cache.discovered_at = Some(Instant::now());
        }
        Ok(cache.discovered_issuer.clone())
    }

    /// The key `kid` names, fetching the JWKS when it is not cached, stale, or (at most once
    /// per cooldown) does not hold `kid`. Without a `kid`, the first key of the token's algorithm.
    async fn key(&self, kid: Option<&str>, alg: Algorithm) -> Result<Key> {
        let mut cache = self.cache.lock().await;
        let stale = cache.fetched_at.is_none_or(|at| at.elapsed() > JWKS_TTL);
        if stale {
            self.fetch(&mut cache).await?;
        }
        if let Some(key) = cache.keys.find(kid, alg) {
            return Ok(key.clone());
        }
        // A rotated key is picked up at once; a flood of unknown kids costs one fetch per cooldown.
        let cooled = cache.refetched_for_unknown_at.is_none_or(|at| at.elapsed() > REFETCH_COOLDOWN);
        if !stale && cooled {
            cache.refetched_for_unknown_at = Some(Instant::now());
            self.fetch(&mut cache).await?;
            if let Some(key) = cache.keys.find(kid, alg) {
                return Ok(key.clone());
            }
        }
        Err(invalid("unknown_key", format!("the environment's JWKS has no key {}", kid.unwrap_or("for the token's algorithm"))))
    }

    async fn fetch(&self, cache: &mut KeyCache) -> Result<()> {
        let response = self.http.get(format!("{}/keys", self.env_url)).timeout(self.timeout).send().await.map_err(|e| transport_error(&e))?;
        let status = response.status().as_u16();
        let request_id = crate::http::request_id(response.headers());
        let body = response.bytes().await.map_err(|e| transport_error(&e))?;
        if !(200..300).contains(&status) {
            return Err(ServerError::from_response(status, &body, request_id).into());
        }
        cache.keys = KeySet::parse(&body).map_err(|e| Error::transport(TransportKind::Decode, format!("GET /keys: {e}")))?;
        cache.fetched_at = Some(Instant::now());
        cache.fetches += 1;
        Ok(())
    }
}

/// Validates a token against a JWKS held in memory, at `now` (unix seconds): what [`TokenValidator`]
/// does once it has the keys, for callers that have them already (and for the fuzzer). An
/// [`IssuerCheck::Environment`] check accepts `env_url` and, when given, `discovered_issuer`.
pub fn validate_with_keys(token: &str, keys: &KeySet, checks: &TokenChecks, env_url: &str, discovered_issuer: Option<&str>, now: i64) -> Result<Map<String, Value>> {
    let token = Token::split(token)?;
    let key = keys
        .find(token.header.kid.as_deref(), token.header.alg)
        .ok_or_else(|| invalid("unknown_key", format!("the JWKS has no key {}", token.header.kid.as_deref().unwrap_or("for the token's algorithm"))))?;
    let claims = token.verify(key)?;
    check_claims(&claims, checks, now as f64)?;
    if let IssuerCheck::Environment { resource } = &checks.issuer {
        let iss = claims.get("iss").and_then(Value::as_str);
        if !iss.is_some_and(|iss| environment_issuer(env_url.trim_end_matches('/'), discovered_issuer, resource.as_deref(), iss)) {
            return Err(issuer_error(iss));
        }
    }
    require_scopes(&claims, &checks.required_scopes)?;
    Ok(claims)
}

fn now_seconds() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) as f64
}

/// What a token's protected header says that verification needs. Other members are ignored, as
/// jose ignores them (neither library honours `crit`); reading only these keeps jsonwebtoken's
/// full `Header` (with its embedded-JWK parser) out of the binary.
struct JoseHeader {
    alg: Algorithm,
    kid: Option<String>,
}

impl JoseHeader {
    /// A JSON object (not an array read by position, as a derived struct would allow) with a string
    /// `alg` Scalekit signs with (RS256 or ES256: `none` and HMAC are refused) and a string or null `kid`.
    fn parse(encoded: &str) -> Result<JoseHeader> {
        let malformed = |why: &str| invalid("malformed", format!("the token is not a JWT: its header {why}"));
        let bytes = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| malformed("is not base64url"))?;
        let header: Map<String, Value> = serde_json::from_slice(&bytes).map_err(|e| malformed(&format!("is not a JSON object ({e})")))?;
        let alg = match header.get("alg") {
            Some(Value::String(alg)) if alg == "RS256" => Algorithm::RS256,
            Some(Value::String(alg)) if alg == "ES256" => Algorithm::ES256,
            Some(Value::String(alg)) => return Err(refused_algorithm(alg)),
            _ => return Err(malformed("names no algorithm (alg)")),
        };
        let kid = match header.get("kid") {
            None | Some(Value::Null) => None,
            Some(Value::String(kid)) => Some(kid.clone()),
            Some(_) => return Err(malformed("has a kid that is not a string")),
        };
        Ok(JoseHeader { alg, kid })
    }
}

/// A compact JWS cut into its parts, with a header that names an algorithm Scalekit signs with.
struct Token<'a> {
    header: JoseHeader,
    /// `header.payload`, what the signature covers.
    signed: &'a str,
    payload: &'a str,
    signature: &'a str,
}

impl<'a> Token<'a> {
    fn split(token: &'a str) -> Result<Token<'a>> {
        let token = token.trim();
        let mut parts = token.splitn(4, '.');
        let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(match raw_alg(token) {
                Some(alg) if !matches!(alg.as_str(), "RS256" | "ES256") => refused_algorithm(&alg),
                _ => invalid("malformed", "the token is not a JWT (three base64url parts joined by dots)"),
            });
        };
        let header_value = JoseHeader::parse(header)?;
        Ok(Token { header: header_value, signed: &token[..header.len() + 1 + payload.len()], payload, signature })
    }

    /// The claims, once the signature verifies against `key`: a JSON object (serde_json's limits apply).
    fn verify(&self, key: &Key) -> Result<Map<String, Value>> {
        if !key_fits(&key.jwk, self.header.alg) {
            return Err(invalid("algorithm", "the token's algorithm does not match its key"));
        }
        let verified = jsonwebtoken::crypto::verify(self.signature, self.signed.as_bytes(), &key.decoding, self.header.alg).unwrap_or(false);
        if !verified {
            return Err(invalid("bad_signature", "the token's signature does not verify"));
        }
        let bytes = URL_SAFE_NO_PAD.decode(self.payload).map_err(|_| invalid("malformed", "the token's payload is not base64url"))?;
        serde_json::from_slice(&bytes).map_err(|e| invalid("malformed", format!("the token's payload is not a JSON object: {e}")))
    }
}

fn refused_algorithm(alg: &str) -> Error {
    invalid("algorithm", format!("tokens signed with {alg} are not accepted (only RS256 and ES256)"))
}

fn issuer_error(iss: Option<&str>) -> Error {
    match iss {
        Some(_) => invalid("issuer", "the token's issuer is not the expected one"),
        None => invalid("issuer", "the token has no issuer (iss) to check"),
    }
}

/// The checks on verified claims that need nothing fetched: types, time window, audience, and an
/// explicit issuer list. Fails closed: a claim a check needs that is missing or of the wrong type
/// rejects the token.
fn check_claims(claims: &Map<String, Value>, checks: &TokenChecks, now: f64) -> Result<()> {
    // Every comparison with NaN is false: a time that is not a number would let an expired token through.
    if !now.is_finite() {
        return Err(Error::invalid("currentDate", "the time to validate at must be a finite number"));
    }
    let leeway = checks.clock_tolerance.as_secs_f64();
    let number = |name: &str| -> Result<Option<f64>> {
        match claims.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(_) => Err(invalid("malformed", format!("the token's {name} claim is not a number"))),
        }
    };
    let exp = number("exp")?.ok_or_else(|| invalid("malformed", "the token has no expiry (exp)"))?;
    let nbf = number("nbf")?;
    number("iat")?;
    if let IssuerCheck::OneOf(accepted) = &checks.issuer {
        let iss = claims.get("iss").and_then(Value::as_str);
        if !iss.is_some_and(|iss| accepted.iter().any(|a| same_identifier(a, iss))) {
            return Err(issuer_error(iss));
        }
    }
    if !checks.audience.is_empty() || !checks.audience_all.is_empty() {
        let audiences: Vec<&str> = match claims.get("aud") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let holds = |wanted: &String| audiences.iter().any(|aud| same_identifier(wanted, aud));
        let any = checks.audience.is_empty() || checks.audience.iter().any(holds);
        if audiences.is_empty() || !any || !checks.audience_all.iter().all(holds) {
            return Err(invalid("audience", "the token is not for this audience"));
        }
    }
    // As jose: expired once `exp` is no longer after now (less the leeway).
    if exp <= now - leeway {
        return Err(invalid("expired", "the token has expired"));
    }
    if nbf.is_some_and(|nbf| nbf > now + leeway) {
        return Err(invalid("not_yet_valid", "the token is not valid yet (nbf)"));
    }
    Ok(())
}

/// Whether `iss` is the environment's: its URL, the issuer its discovery document declares, or
/// (with a resource) either of those followed by `/resources/{resource}`.
fn environment_issuer(env_url: &str, discovered: Option<&str>, resource: Option<&str>, iss: &str) -> bool {
    let bases = std::iter::once(env_url).chain(discovered);
    bases.into_iter().any(|base| {
        same_identifier(base, iss) || resource.is_some_and(|r| same_identifier(&format!("{}/resources/{r}", base.trim_end_matches('/')), iss))
    })
}

/// Two issuer or audience identifiers name the same thing: URLs compare after normalising scheme and host
/// case, a default port and a trailing slash; other strings compare as they are, less a trailing slash.
pub fn same_identifier(a: &str, b: &str) -> bool {
    a == b || normalized_identifier(a) == normalized_identifier(b)
}

/// The form [`same_identifier`] compares.
pub fn normalized_identifier(value: &str) -> String {
    let value = value.trim();
    // Host names are ASCII here (no IDNA tables: a Unicode host is given in its xn-- form), so a non-ASCII value is
    // compared as it is, never parsed (the IDNA-less adapter asserts on a capital before a non-ASCII character).
    if !value.is_ascii() || url_host_text(value).contains('%') {
        return value.trim_end_matches('/').to_owned();
    }
    match url::Url::parse(value) {
        Ok(url) if url.has_host() && !url.cannot_be_a_base() => {
            let mut out = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
            if let Some(port) = url.port() {
                out.push_str(&format!(":{port}"));
            }
            out.push_str(url.path().trim_end_matches('/'));
            if let Some(query) = url.query() {
                out.push('?');
                out.push_str(query);
            }
            out
        }
        _ => value.trim_end_matches('/').to_owned(),
    }
}

/// The host as the URL parser will read it, before percent-decoding: it drops tabs and line breaks
/// anywhere, takes `https:host` as `https://host`, and ends the authority at `/`, `?`, `#` or `\\`.
/// Escapes there are decoded before IDNA (`https:X%acme` has a non-ASCII host), so such a value is
/// never parsed.
fn url_host_text(value: &str) -> String {
    let cleaned: String = value.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let Some((_, rest)) = cleaned.split_once(':') else { return String::new() };
    let authority = rest.trim_start_matches(['/', '\\']).split(['/', '?', '#', '\\']).next().unwrap_or_default();
    authority.rsplit('@').next().unwrap_or_default().to_owned()
}

/// The `alg` of a JWT header that jsonwebtoken cannot parse (such as `none`).
fn raw_alg(token: &str) -> Option<String> {
    let header = token.trim().split('.').next()?;
    let bytes = URL_SAFE_NO_PAD.decode(header.trim_end_matches('=')).ok()?;
    let header: Map<String, Value> = serde_json::from_slice(&bytes).ok()?;
    header.get("alg")?.as_str().map(str::to_owned)
}

/// The scopes of a token: the union of its `scopes` array, its space-separated `scope`, and `scp`
/// (an array or a space-separated string, as some authorization servers write it).
pub fn scopes(claims: &Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |scope: &str| {
        if !scope.is_empty() && !out.iter().any(|s| s == scope) {
            out.push(scope.to_owned());
        }
    };
    for name in ["scopes", "scope", "scp"] {
        match claims.get(name) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::trim).for_each(&mut add),
            Some(Value::String(text)) => text.split_whitespace().for_each(&mut add),
            _ => {}
        }
    }
    out
}

pub fn require_scopes(claims: &Map<String, Value>, required: &[String]) -> Result<()> {
    if required.iter().all(|r| r.trim().is_empty()) {
        return Ok(());
    }
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
    let payload = token.trim().split('.').nth(1).ok_or_else(|| invalid("malformed", "the token is not a JWT"))?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|_| invalid("malformed", "the token's payload is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| invalid("malformed", "the token's payload is not a JSON object"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RSA_PEM: &str = include_str!("../../scalekit-emulator/keys/signing-key-1.pem");
    const EC_PEM: &str = include_str!("../testdata/es256-test-key.pem");
    const JWKS: &str = include_str!("../testdata/jwks.json");
    const ENV: &str = "https://acme.scalekit.dev";
    const NOW: i64 = 1_800_000_000;

    fn keys() -> KeySet {
        KeySet::parse(JWKS.as_bytes()).unwrap()
    }

    fn sign(claims: Value) -> String {
        let mut header = jsonwebtoken::Header::new(Algorithm::RS256);
        header.kid = Some("snk_emulator_1".into());
        jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap()).unwrap()
    }

    fn sign_es256(claims: Value) -> String {
        let mut header = jsonwebtoken::Header::new(Algorithm::ES256);
        header.kid = Some("test_es256".into());
        jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_ec_pem(EC_PEM.as_bytes()).unwrap()).unwrap()
    }

    /// A token's claims with `overrides` applied (a `null` override removes the claim).
    fn claims(overrides: Value) -> Value {
        let mut claims = json!({ "iss": ENV, "aud": ["client"], "sub": "usr_1", "iat": NOW - 10, "nbf": NOW - 10, "exp": NOW + 3600 });
        for (k, v) in overrides.as_object().unwrap() {
            if v.is_null() {
                claims.as_object_mut().unwrap().remove(k);
            } else {
                claims[k] = v.clone();
            }
        }
        claims
    }

    fn check(token: &str, checks: &TokenChecks) -> std::result::Result<(), &'static str> {
        validate_with_keys(token, &keys(), checks, ENV, None, NOW).map(drop).map_err(|e| match e {
            Error::TokenInvalid { reason, .. } => reason,
            other => panic!("not a token error: {other:?}"),
        })
    }

    fn audience(aud: &str) -> TokenChecks {
        TokenChecks { audience: vec![aud.into()], ..Default::default() }
    }

    fn issuer(iss: &str) -> TokenChecks {
        TokenChecks { issuer: IssuerCheck::OneOf(vec![iss.into()]), ..Default::default() }
    }

    #[test]
    fn keys_not_for_verifying_signatures_are_skipped() {
        let mut set: Value = serde_json::from_str(JWKS).unwrap();
        let token = sign(claims(json!({})));
        for (field, value, usable) in [("use", json!("enc"), false), ("key_ops", json!(["encrypt"]), false), ("use", json!("sig"), true), ("key_ops", json!(["verify"]), true)] {
            for key in set["keys"].as_array_mut().unwrap() {
                key.as_object_mut().unwrap().remove("use");
                key.as_object_mut().unwrap().remove("key_ops");
                key[field] = value.clone();
            }
            let keys = KeySet::parse(set.to_string().as_bytes()).unwrap();
            let verdict = validate_with_keys(&token, &keys, &TokenChecks::default(), ENV, None, NOW).is_ok();
            assert_eq!(verdict, usable, "{field}: {value}");
        }
    }

    #[test]
    fn a_time_that_is_not_a_number_is_refused() {
        let expired = sign(claims(json!({ "exp": NOW - 100 })));
        for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let checks = TokenChecks { now: Some(now), ..Default::default() };
            let validator = TokenValidator::with_keys(ENV, keys(), None);
            assert!(matches!(validator.validate_cached(&expired, &checks), Some(Err(Error::InvalidInput { .. }))), "now {now}");
            assert_eq!(validator.is_valid_cached(&expired, &checks), Some(false), "now {now}");
        }
    }

    #[test]
    fn non_ascii_identifiers_compare_as_text() {
        // The IDNA-less URL parser asserts (in debug builds) on a capital before a non-ASCII character: never parsed.
        assert!(!same_identifier("https://Aé.example", "https://aé.example"));
        assert!(same_identifier("https://Aé.example/", "https://Aé.example"));
        assert!(!same_identifier("https://A%C3%A9.example", "https://a%C3%A9.example"));
        assert!(same_identifier("https://ACME.example:443/", "https://acme.example"));
        // Found by the token fuzz target in CI: the parser reads `https:X%acme` as `https://X%acme`, and tabs and
        // line breaks vanish, so escapes in those hosts are seen too.
        for odd in ["https:X%acme.scaes", "https:\\X%ac.example", "https:/\tX%ac.example", "https://u@X%ac.example/p"] {
            assert!(!same_identifier(odd, &odd.to_lowercase()), "{odd:?}");
            assert!(same_identifier(&format!("{odd}/"), odd), "{odd:?}");
        }
        assert!(same_identifier("https://ACME.example/a%20b/", "https://acme.example/a%20b"), "escapes in a path are fine");
    }

    #[test]
    fn valid_tokens_of_both_algorithms_verify() {
        assert_eq!(check(&sign(claims(json!({}))), &TokenChecks::default()), Ok(()));
        assert_eq!(check(&sign_es256(claims(json!({}))), &audience("client")), Ok(()));
    }

    #[test]
    fn a_requested_audience_fails_closed() {
        for aud in [json!(null), json!(5), json!({ "client": true }), json!([]), json!([5]), json!("other"), json!(["other"])] {
            assert_eq!(check(&sign(claims(json!({ "aud": aud.clone() }))), &audience("client")), Err("audience"), "aud {aud}");
        }
        // `null` as a value, not a missing claim.
        let mut with_null = claims(json!({}));
        with_null["aud"] = Value::Null;
        assert_eq!(check(&sign(with_null), &audience("client")), Err("audience"));
        assert_eq!(check(&sign(claims(json!({ "aud": "client" }))), &audience("client")), Ok(()));
        assert_eq!(check(&sign(claims(json!({ "aud": [5, "client"] }))), &audience("client")), Ok(()));
        // Not asked for: not checked, as the official SDK.
        assert_eq!(check(&sign(claims(json!({ "aud": null }))), &TokenChecks::default()), Ok(()));
    }

    #[test]
    fn every_required_audience_must_be_there() {
        let checks = TokenChecks { audience: vec!["res_1".into()], audience_all: vec!["https://MCP.example.com:443/mcp/".into()], ..Default::default() };
        assert_eq!(check(&sign(claims(json!({ "aud": ["res_1", "https://mcp.example.com/mcp"] }))), &checks), Ok(()));
        assert_eq!(check(&sign(claims(json!({ "aud": ["res_1"] }))), &checks), Err("audience"));
        assert_eq!(check(&sign(claims(json!({ "aud": ["https://mcp.example.com/mcp"] }))), &checks), Err("audience"));
    }

    #[test]
    fn a_requested_issuer_fails_closed() {
        let mut null_iss = claims(json!({}));
        null_iss["iss"] = Value::Null;
        for token in [sign(claims(json!({ "iss": null }))), sign(null_iss), sign(claims(json!({ "iss": 7 }))), sign(claims(json!({ "iss": "https://evil.example" })))] {
            assert_eq!(check(&token, &issuer(ENV)), Err("issuer"));
        }
        // Compared as URLs: host case, default port, trailing slash.
        assert_eq!(check(&sign(claims(json!({ "iss": "https://ACME.scalekit.dev:443/" }))), &issuer(ENV)), Ok(()));
        assert_eq!(check(&sign(claims(json!({ "iss": "https://acme.scalekit.dev:8443" }))), &issuer(ENV)), Err("issuer"));
    }

    #[test]
    fn the_environment_issuer_is_its_url_its_declared_issuer_or_a_resource_of_either() {
        let env = TokenChecks { issuer: IssuerCheck::Environment { resource: None }, ..Default::default() };
        let resource = TokenChecks { issuer: IssuerCheck::Environment { resource: Some("res_1".into()) }, ..Default::default() };
        let validate = |iss: &str, checks: &TokenChecks, discovered: Option<&str>| validate_with_keys(&sign(claims(json!({ "iss": iss }))), &keys(), checks, ENV, discovered, NOW).is_ok();
        assert!(validate(ENV, &env, None));
        assert!(validate("https://acme.scalekit.dev/", &env, None));
        assert!(!validate("https://auth.acme.ai", &env, None));
        assert!(validate("https://auth.acme.ai", &env, Some("https://auth.acme.ai")));
        assert!(!validate("https://acme.scalekit.dev/resources/res_1", &env, None), "a resource issuer only when the caller names the resource");
        assert!(validate("https://acme.scalekit.dev/resources/res_1", &resource, None));
        assert!(validate("https://auth.acme.ai/resources/res_1", &resource, Some("https://auth.acme.ai")));
        assert!(!validate("https://acme.scalekit.dev/resources/res_2", &resource, None));
        assert!(validate(ENV, &resource, None));
    }

    #[test]
    fn exp_is_required_and_must_be_a_number() {
        for exp in [json!(null), json!("9999999999"), json!([NOW + 10]), json!({}), json!(true)] {
            assert_eq!(check(&sign(claims(json!({ "exp": exp.clone() }))), &TokenChecks::default()), Err("malformed"), "exp {exp}");
        }
        let mut null_exp = claims(json!({}));
        null_exp["exp"] = Value::Null;
        assert_eq!(check(&sign(null_exp), &TokenChecks::default()), Err("malformed"));
        // Out of any range: negative, huge, fractional.
        assert_eq!(check(&sign(claims(json!({ "exp": -8_995_377_305_719_144_059i64 }))), &TokenChecks::default()), Err("expired"));
        assert_eq!(check(&sign(claims(json!({ "exp": i64::MIN }))), &TokenChecks::default()), Err("expired"));
        assert_eq!(check(&sign(claims(json!({ "exp": u64::MAX }))), &TokenChecks::default()), Ok(()));
        assert_eq!(check(&sign(claims(json!({ "exp": NOW as f64 + 0.5 }))), &TokenChecks::default()), Ok(()));
        // As jose: expired at `exp` itself, and the leeway extends it.
        assert_eq!(check(&sign(claims(json!({ "exp": NOW }))), &TokenChecks::default()), Err("expired"));
        let lenient = TokenChecks { clock_tolerance: Duration::from_secs(5), ..Default::default() };
        assert_eq!(check(&sign(claims(json!({ "exp": NOW - 4 }))), &lenient), Ok(()));
        assert_eq!(check(&sign(claims(json!({ "exp": NOW - 5 }))), &lenient), Err("expired"));
    }

    #[test]
    fn nbf_and_iat_must_be_numbers_when_present() {
        for claim in ["nbf", "iat"] {
            for value in [json!("0"), json!([]), json!({}), json!(false)] {
                assert_eq!(check(&sign(claims(json!({ claim: value.clone() }))), &TokenChecks::default()), Err("malformed"), "{claim} {value}");
            }
            assert_eq!(check(&sign(claims(json!({ claim: null }))), &TokenChecks::default()), Ok(()), "{claim} may be left out");
        }
        assert_eq!(check(&sign(claims(json!({ "nbf": NOW + 60 }))), &TokenChecks::default()), Err("not_yet_valid"));
        assert_eq!(check(&sign(claims(json!({ "nbf": -8_995_377_305_719_144_059i64 }))), &TokenChecks::default()), Ok(()));
        let lenient = TokenChecks { clock_tolerance: Duration::from_secs(60), ..Default::default() };
        assert_eq!(check(&sign(claims(json!({ "nbf": NOW + 60 }))), &lenient), Ok(()));
    }

    #[test]
    fn deep_or_out_of_range_payloads_are_malformed_on_every_path() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let payload = format!(r#"{{"exp":{},"deep":{deep}}}"#, NOW + 3600);
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"snk_emulator_1"}"#);
        let body = URL_SAFE_NO_PAD.encode(payload.as_bytes());
        let signed = format!("{header}.{body}");
        let signature = jsonwebtoken::crypto::sign(signed.as_bytes(), &jsonwebtoken::EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap(), Algorithm::RS256).unwrap();
        let token = format!("{signed}.{signature}");
        assert_eq!(check(&token, &TokenChecks::default()), Err("malformed"));
        let huge = format!(r#"{{"exp":{},"n":1e400}}"#, NOW + 3600);
        let signed = format!("{header}.{}", URL_SAFE_NO_PAD.encode(huge.as_bytes()));
        let signature = jsonwebtoken::crypto::sign(signed.as_bytes(), &jsonwebtoken::EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap(), Algorithm::RS256).unwrap();
        assert_eq!(check(&format!("{signed}.{signature}"), &TokenChecks::default()), Err("malformed"));
    }

    #[test]
    fn a_header_must_be_an_object_with_a_string_alg_and_kid() {
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{}}}"#, NOW + 3600));
        let signed_with = |header: &str| {
            let signed = format!("{}.{payload}", URL_SAFE_NO_PAD.encode(header));
            let key = jsonwebtoken::EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap();
            format!("{signed}.{}", jsonwebtoken::crypto::sign(signed.as_bytes(), &key, Algorithm::RS256).unwrap())
        };
        assert_eq!(check(&signed_with(r#"{"alg":"RS256","kid":"snk_emulator_1","jwk":"ignored"}"#), &TokenChecks::default()), Ok(()));
        assert_eq!(check(&signed_with(r#"{"alg":"RS256","kid":null}"#), &TokenChecks::default()), Ok(()), "no kid: any key of the algorithm");
        // A derived struct (this header's first version) would read ["RS256"] by position; the token fuzz
        // target's oracle reads a header as a JSON object, as jose does.
        for header in [r#"["RS256"]"#, r#"["RS256","snk_emulator_1"]"#, r#""RS256""#, r#"{"alg":"RS256","kid":1}"#, r#"{"alg":["RS256"]}"#, r#"{"kid":"snk_emulator_1"}"#] {
            assert_eq!(check(&signed_with(header), &TokenChecks::default()), Err("malformed"), "{header}");
        }
        assert_eq!(check(&signed_with(r#"{"alg":"PS256","kid":"snk_emulator_1"}"#), &TokenChecks::default()), Err("algorithm"));
    }

    #[test]
    fn forged_and_swapped_tokens_are_refused() {
        let token = sign(claims(json!({})));
        let (signed, signature) = token.rsplit_once('.').unwrap();
        // Another payload under the same signature.
        let (header, _) = signed.split_once('.').unwrap();
        let forged = format!("{header}.{}.{signature}", URL_SAFE_NO_PAD.encode(claims(json!({ "sub": "usr_admin" })).to_string()));
        assert_eq!(check(&forged, &TokenChecks::default()), Err("bad_signature"));
        // alg none, in any spelling jsonwebtoken cannot even parse, and HS256.
        for alg in ["none", "None", "NONE", "HS256"] {
            let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","kid":"snk_emulator_1"}}"#));
            let (_, rest) = token.split_once('.').unwrap();
            assert_eq!(check(&format!("{header}.{rest}"), &TokenChecks::default()), Err("algorithm"), "{alg}");
            let (payload, _) = rest.split_once('.').unwrap();
            assert_eq!(check(&format!("{header}.{payload}."), &TokenChecks::default()), Err("algorithm"), "{alg} unsigned");
        }
        // An RSA key named by an ES256 header, and the other way round.
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"ES256","kid":"snk_emulator_1"}"#);
        let (_, rest) = token.split_once('.').unwrap();
        assert_eq!(check(&format!("{header}.{rest}"), &TokenChecks::default()), Err("algorithm"));
        // Two or four parts.
        assert_eq!(check(signed, &TokenChecks::default()), Err("malformed"));
        assert_eq!(check(&format!("{token}.x"), &TokenChecks::default()), Err("malformed"));
    }

    #[test]
    fn identifiers_compare_as_urls() {
        assert!(same_identifier("https://Example.COM:443/mcp/", "https://example.com/mcp"));
        assert!(same_identifier("http://localhost:80", "http://LOCALHOST/"));
        assert!(!same_identifier("https://example.com/mcp", "https://example.com/mcp2"));
        assert!(!same_identifier("https://example.com", "http://example.com"));
        assert!(same_identifier("res_1", "res_1/"));
        assert!(!same_identifier("res_1", "RES_1"));
    }

    #[test]
    fn scopes_from_every_claim() {
        let claims: Map<String, Value> = serde_json::from_str(r#"{"scopes":["a"," ","b"],"scope":"c d","scp":["e"]}"#).unwrap();
        assert_eq!(scopes(&claims), ["a", "b", "c", "d", "e"]);
        let claims: Map<String, Value> = serde_json::from_str(r#"{"scp":"x y","scope":"x"}"#).unwrap();
        assert_eq!(scopes(&claims), ["x", "y"]);
        assert!(require_scopes(&claims, &["x".into(), "y".into()]).is_ok());
        let err = require_scopes(&claims, &["x".into(), "q".into(), "r".into()]).unwrap_err();
        assert!(matches!(&err, Error::TokenInvalid { reason: "scope", message } if message == "Token missing required scopes: q, r"), "{err:?}");
    }

    #[test]
    fn unverified_claims_read_the_payload() {
        let token = "e30.eyJzY29wZXMiOlsicmVhZCJdfQ.sig";
        assert_eq!(unverified_claims(token).unwrap()["scopes"][0], "read");
        assert!(matches!(unverified_claims("nope"), Err(Error::TokenInvalid { reason: "malformed", .. })));
    }
}

