//! Token validation (`jwt::validate_with_keys`, and the validator's cached paths that
//! `validateToken`/`validateAccessToken` take) on real RS256 and ES256 tokens signed here, then
//! damaged: byte mutations, algorithm swaps (`none` in any spelling, HS256 keyed with the public key,
//! RS256 ↔ ES256), any header, any claim of any type, any JWKS document and any checks.
//!
//! Invariants:
//! - never panics, and every refusal is a `TokenInvalid` with a known reason;
//! - an accepted token's signature verifies under a key of the JWKS document, checked here with
//!   `ring` directly (RSASSA-PKCS1-v1_5 SHA-256 over `n`/`e`, ECDSA P-256 over `x`/`y`), with the
//!   header's `kid` when it names one, and its header names RS256 or ES256;
//! - an accepted token's claims are its payload, and they pass every requested check as this target
//!   re-checks it: `exp` a number after now (less the leeway, in exact arithmetic), `nbf`/`iat`
//!   numbers when present, the issuer, the audiences (any and all), the scopes;
//! - the verifying key is one jose would use too (`use` is `sig` and `key_ops` include `verify` when
//!   given);
//! - the validator's cached path (`validate_cached`, `is_valid_cached`, on a cache primed with
//!   `TokenValidator::with_keys`) gives the same verdict, at `TokenChecks::now` (jose's `currentDate`,
//!   fractional seconds included) or on the system clock.
//! - identifiers that are not plain ASCII URLs (`https://Aé.example`, a host with `%` escapes) compare as
//!   text, never through the IDNA-less URL parser (whose debug assertion they used to trip).

#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use ring::signature::{self, KeyPair};
use scalekit_core::jwt::{same_identifier, validate_with_keys, IssuerCheck, KeySet, TokenChecks, TokenValidator};
use scalekit_core::Error;
use scalekit_fuzz::Source;
use serde_json::{Map, Value};

const RSA_PEM: &str = include_str!("../../crates/scalekit-emulator/keys/signing-key-1.pem");
const EC_PEM: &str = include_str!("../../crates/scalekit-core/testdata/es256-test-key.pem");
const JWKS: &str = include_str!("../../crates/scalekit-core/testdata/jwks.json");

const ENVS: &[&str] = &[
    "https://acme.scalekit.dev",
    "https://acme.scalekit.dev/",
    "https://ACME.scalekit.dev:443",
    "https://auth.acme.ai",
    "http://acme.scalekit.dev",
    "https://acme.scalekit.dev:8443",
    "acme",
    "",
];
const ISSUERS: &[&str] = &[
    "https://acme.scalekit.dev",
    "https://acme.scalekit.dev/",
    "https://Acme.Scalekit.dev:443/",
    "https://auth.acme.ai",
    "https://acme.scalekit.dev/resources/res_1",
    "https://auth.acme.ai/resources/res_1",
    "https://acme.scalekit.dev/resources/res_2",
    "https://acme.scalekit.dev/resources/",
    "https://evil.example",
    "",
];
const AUDIENCES: &[&str] = &["skc_client", "res_1", "https://mcp.example.com/mcp", "https://MCP.example.com:443/mcp/", "res_1/", "RES_1", ""];
const SCOPES: &[&str] = &["read", "write", "admin", " read", "read ", "", "a b"];
const RESOURCES: &[&str] = &["res_1", "res_2", "", "/"];
const ALGS: &[&str] = &["RS256", "ES256", "none", "None", "NONE", "nOnE", "HS256", "HS384", "RS384", "RS512", "PS256", "ES384", "EdDSA", "", "RS256 ", "rs256"];
const KIDS: &[&str] = &["snk_emulator_1", "test_es256", "snk_emulator_2", "", "SNK_EMULATOR_1"];

/// Seconds; times in generated claims are relative to it (the clock when the process started).
fn base() -> i64 {
    static BASE: OnceLock<i64> = OnceLock::new();
    *BASE.get_or_init(|| SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64)
}

fn der(pem: &str) -> Vec<u8> {
    STANDARD.decode(pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>()).unwrap()
}

struct Keys {
    rsa: signature::RsaKeyPair,
    ec: signature::EcdsaKeyPair,
    ec_asn1: signature::EcdsaKeyPair,
    rng: ring::rand::SystemRandom,
    /// Public key material an attacker could use as an HMAC secret.
    public: Vec<Vec<u8>>,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let rng = ring::rand::SystemRandom::new();
        let rsa = signature::RsaKeyPair::from_pkcs8(&der(RSA_PEM)).unwrap();
        let ec = signature::EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &der(EC_PEM), &rng).unwrap();
        let ec_asn1 = signature::EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, &der(EC_PEM), &rng).unwrap();
        let jwks: Value = serde_json::from_str(JWKS).unwrap();
        let mut public = vec![rsa.public().as_ref().to_vec(), ec.public_key().as_ref().to_vec(), JWKS.as_bytes().to_vec()];
        for key in jwks["keys"].as_array().unwrap() {
            public.push(key.to_string().into_bytes());
            for field in ["n", "x"] {
                if let Some(text) = key[field].as_str() {
                    public.push(text.as_bytes().to_vec());
                    public.push(URL_SAFE_NO_PAD.decode(text).unwrap());
                }
            }
        }
        Keys { rsa, ec, ec_asn1, rng, public }
    })
}

/// base64url of any form: padded or not, and trailing bits allowed.
fn lenient_b64(text: &str) -> Option<Vec<u8>> {
    const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true).with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(text).ok()
}

fn json_str(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// The JWKS document: the test keys, the test keys tampered with, or any bytes.
fn jwks(src: &mut Source) -> Vec<u8> {
    match src.below(8) {
        0..=3 => JWKS.as_bytes().to_vec(),
        4 => src.text().to_vec(),
        _ => {
            let mut doc: Value = serde_json::from_str(JWKS).unwrap();
            let list = doc["keys"].as_array_mut().unwrap();
            for _ in 0..=src.below(3) {
                let at = src.below(list.len().max(1));
                match src.below(12) {
                    0 if !list.is_empty() => drop(list.remove(at)),
                    1 if !list.is_empty() => drop(list[at].as_object_mut().unwrap().remove("alg")),
                    2 if !list.is_empty() => list[at]["alg"] = Value::from(*src.pick(ALGS)),
                    3 if list.len() == 2 => {
                        // The kids swapped: each key under the other's name.
                        let kid0 = list[0]["kid"].clone();
                        list[0]["kid"] = list[1]["kid"].clone();
                        list[1]["kid"] = kid0;
                    }
                    4 => {
                        // A symmetric key under a known kid, keyed with public key bytes.
                        let k = URL_SAFE_NO_PAD.encode(src.pick(&keys().public));
                        list.push(serde_json::json!({ "kty": "oct", "k": k, "kid": *src.pick(KIDS), "alg": "HS256" }));
                    }
                    5 if !list.is_empty() => drop(list[at].as_object_mut().unwrap().remove("kid")),
                    6 if !list.is_empty() => list[at]["crv"] = Value::from(*src.pick(&["P-384", "P-521", "secp256k1", "Ed25519"])),
                    7 if !list.is_empty() => {
                        if src.bool() {
                            list[at]["use"] = Value::from(*src.pick(&["enc", "sig", ""]));
                        } else {
                            list[at]["key_ops"] = serde_json::json!(*src.pick(&[&["encrypt"][..], &["verify"], &[], &["sign", "verify"]]));
                        }
                    }
                    8 if !list.is_empty() => {
                        // The same kid twice, the second one another key.
                        let mut twin = list[at].clone();
                        twin["kid"] = Value::from(*src.pick(KIDS));
                        if let Some(n) = twin.get("n").and_then(Value::as_str) {
                            twin["n"] = Value::from(n.replacen('v', "w", 1));
                        }
                        list.push(twin);
                    }
                    9 if !list.is_empty() => list[at]["kty"] = Value::from(*src.pick(&["EC", "RSA", "oct", "OKP", ""])),
                    10 if !list.is_empty() => list[at]["e"] = Value::from(*src.pick(&["AQAB", "Aw", "", "AAEAAQ"])),
                    _ => list.push(serde_json::json!({ "kty": "RSA", "kid": *src.pick(KIDS), "n": src.string(), "e": "AQAB" })),
                }
            }
            doc.to_string().into_bytes()
        }
    }
}

/// A JSON number or other value for a time claim, as raw text.
fn time_value(src: &mut Source) -> String {
    let now = base();
    match src.below(10) {
        0..=3 => (now + src.delta(4000)).to_string(),
        4 => format!("{}.5", now + src.delta(100)),
        5 => format!("{}e0", now + src.delta(100)),
        6 => src
            .pick(&["0", "-0", "-1", "1e400", "1e308", "-1e308", "18446744073709551615", "18446744073709551616", "-9223372036854775808", "9223372036854775807", "-8995377305719144059", "1.8e9", "0.0", "-0.0"])
            .to_string(),
        7 => src.pick(&["\"1800000000\"", "null", "[1800000000]", "{}", "true", "\"\"", "[]"]).to_string(),
        8 => json_str(&(now + src.delta(4000)).to_string()),
        _ => src.string(),
    }
}

fn string_or_junk(src: &mut Source, pool: &[&str]) -> String {
    match src.below(8) {
        0..=4 => json_str(src.pick(pool)),
        5 => json_str(&src.string()),
        6 => src.pick(&["null", "5", "{}", "true", "[]", "1e400"]).to_string(),
        _ => src.string(),
    }
}

fn list_or_junk(src: &mut Source, pool: &[&str]) -> String {
    match src.below(4) {
        0 | 1 => {
            let items: Vec<String> = (0..src.below(4)).map(|_| if src.one_in(5) { "7".into() } else { string_or_junk(src, pool) }).collect();
            format!("[{}]", items.join(","))
        }
        2 => json_str(&(0..src.below(4)).map(|_| *src.pick(pool)).collect::<Vec<_>>().join(" ")),
        _ => string_or_junk(src, pool),
    }
}

/// The claims: a JSON object of standard claims of any type (duplicates and deep nesting included), or any bytes.
fn claims(src: &mut Source) -> Vec<u8> {
    if src.one_in(8) {
        return src.text().to_vec();
    }
    let mut members: Vec<(String, String)> = vec![
        ("iss".into(), json_str(ISSUERS[0])),
        ("aud".into(), format!("[{}]", json_str(AUDIENCES[0]))),
        ("sub".into(), json_str("usr_1")),
        ("iat".into(), (base() - 10).to_string()),
        ("nbf".into(), (base() - 10).to_string()),
        ("exp".into(), (base() + 3600).to_string()),
    ];
    for _ in 0..src.below(6) {
        let name = src.pick(&["iss", "aud", "sub", "iat", "nbf", "exp", "scope", "scopes", "scp", "jti", "sid", "deep", "other"]).to_string();
        let value = match name.as_str() {
            "iat" | "nbf" | "exp" => time_value(src),
            "iss" => string_or_junk(src, ISSUERS),
            "aud" => list_or_junk(src, AUDIENCES),
            "scope" | "scopes" | "scp" => list_or_junk(src, SCOPES),
            "deep" => {
                let depth = *src.pick(&[1usize, 100, 125, 126, 127, 128, 200, 5000]);
                format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
            }
            _ => string_or_junk(src, &["x"]),
        };
        match src.below(4) {
            // Remove it, replace it, or add it again (a duplicate key).
            0 => members.retain(|(n, _)| *n != name),
            1 | 2 => {
                members.retain(|(n, _)| *n != name);
                members.push((name, value));
            }
            _ => members.push((name, value)),
        }
    }
    for i in (1..members.len()).rev() {
        members.swap(i, src.below(i + 1));
    }
    let body: Vec<String> = members.iter().map(|(n, v)| format!("{}:{v}", json_str(n))).collect();
    format!("{{{}}}", body.join(",")).into_bytes()
}

#[derive(Clone, Copy)]
enum Signer {
    Rsa,
    Ec,
    /// HMAC-SHA256 keyed with public key material.
    HmacPublic,
    Empty,
    Junk,
    /// ES256 in DER (ASN.1) rather than JWS's fixed `r || s`.
    EcAsn1,
}

fn header(src: &mut Source, signer: Signer) -> Vec<u8> {
    if src.one_in(10) {
        return src.text().to_vec();
    }
    let alg = match (src.below(4), signer) {
        (0..=2, Signer::Rsa) => json_str("RS256"),
        (0..=2, Signer::Ec | Signer::EcAsn1) => json_str("ES256"),
        (0..=2, Signer::HmacPublic) => json_str("HS256"),
        (0..=2, _) => json_str(src.pick(&["none", "None", "NONE", "nOnE"])),
        _ => string_or_junk(src, ALGS),
    };
    let mut members = vec![("alg", alg)];
    let kid = match (src.below(4), signer) {
        (0..=1, Signer::Rsa | Signer::HmacPublic) => Some(json_str("snk_emulator_1")),
        (0..=1, Signer::Ec | Signer::EcAsn1) => Some(json_str("test_es256")),
        (2, _) => None,
        _ => Some(string_or_junk(src, KIDS)),
    };
    if let Some(kid) = kid {
        members.push(("kid", kid));
    }
    for _ in 0..src.below(3) {
        let name = *src.pick(&["typ", "cty", "jku", "x5u", "jwk", "crit", "b64", "alg", "kid", "x5c"]);
        let value = match name {
            "jwk" => serde_json::json!({ "kty": "oct", "k": "AAAA" }).to_string(),
            "crit" => "[\"exp\"]".into(),
            "b64" => "false".into(),
            "alg" => string_or_junk(src, ALGS),
            "kid" => string_or_junk(src, KIDS),
            _ => string_or_junk(src, &["JWT", "at+jwt", "https://evil.example/keys"]),
        };
        members.push((name, value));
    }
    let body: Vec<String> = members.iter().map(|(n, v)| format!("{}:{v}", json_str(n))).collect();
    format!("{{{}}}", body.join(",")).into_bytes()
}

fn sign(src: &mut Source, signer: Signer, message: &[u8]) -> Vec<u8> {
    let keys = keys();
    match signer {
        Signer::Rsa => {
            let mut sig = vec![0; keys.rsa.public().modulus_len()];
            keys.rsa.sign(&signature::RSA_PKCS1_SHA256, &keys.rng, message, &mut sig).unwrap();
            sig
        }
        Signer::Ec => keys.ec.sign(&keys.rng, message).unwrap().as_ref().to_vec(),
        Signer::EcAsn1 => keys.ec_asn1.sign(&keys.rng, message).unwrap().as_ref().to_vec(),
        Signer::HmacPublic => {
            let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, src.pick(&keys.public));
            ring::hmac::sign(&key, message).as_ref().to_vec()
        }
        Signer::Empty => Vec::new(),
        Signer::Junk => src.text().to_vec(),
    }
}

fn encode(src: &mut Source, bytes: &[u8]) -> String {
    match src.below(12) {
        9 => URL_SAFE.encode(bytes),
        10 => STANDARD.encode(bytes),
        11 => format!(" {}", URL_SAFE_NO_PAD.encode(bytes)),
        _ => URL_SAFE_NO_PAD.encode(bytes),
    }
}

/// Byte mutations of the finished token.
fn mutate(src: &mut Source, token: String) -> String {
    let mut bytes = token.into_bytes();
    for _ in 0..src.below(4).saturating_sub(1) {
        let at = src.below(bytes.len() + 1);
        match src.below(5) {
            0 if at < bytes.len() => bytes[at] ^= 1 << src.below(8),
            1 if at < bytes.len() => bytes[at] = *src.pick(b".=+/-_ A0a\n\t"),
            2 if at < bytes.len() => drop(bytes.remove(at)),
            3 => bytes.truncate(at),
            _ => bytes.insert(at, *src.pick(b".=+/-_ A0a\n\t\x00\xc3")),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn checks(src: &mut Source) -> TokenChecks {
    let pick_some = |src: &mut Source, pool: &[&str], most: usize| -> Vec<String> {
        (0..src.below(most + 1)).map(|_| if src.one_in(6) { src.string() } else { src.pick(pool).to_string() }).collect()
    };
    let issuer = match src.below(4) {
        0 => IssuerCheck::Unchecked,
        1 => IssuerCheck::OneOf(pick_some(src, ISSUERS, 2)),
        _ => IssuerCheck::Environment { resource: src.bool().then(|| src.pick(RESOURCES).to_string()) },
    };
    let audience = if src.bool() { pick_some(src, AUDIENCES, 2) } else { Vec::new() };
    let audience_all = if src.one_in(4) { pick_some(src, AUDIENCES, 2) } else { Vec::new() };
    let required_scopes = if src.one_in(3) { pick_some(src, SCOPES, 3) } else { Vec::new() };
    let clock_tolerance = Duration::from_secs(*src.pick(&[0, 0, 0, 1, 5, 60, 300, 86_400, 1 << 40, u64::MAX]));
    // jose's currentDate: the bindings pass finite values only.
    let now = match src.below(8) {
        0..=3 => None,
        4 => Some(base() as f64),
        5 => Some((base() + src.delta(4000)) as f64),
        6 => Some(base() as f64 + f64::from(src.byte()) / 256.0),
        _ => Some(*src.pick(&[0.0, -1.0, -0.5, 9_007_199_254_740_992.0, -9_007_199_254_740_992.0, 1e15, 1e300, -1e300])),
    };
    TokenChecks { issuer, audience, audience_all, required_scopes, clock_tolerance, now }
}

/// Whether the signature of an accepted token verifies, under a key of the JWKS document that its
/// header's `kid` names (any key without one), for the algorithm its header names; `Ok(false)` when
/// every such key is one jose would not verify with (`use` other than `sig`, `key_ops` without `verify`).
fn verifies_independently(token: &str, jwks: &[u8]) -> Result<bool, String> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [head, _, sig] = parts[..] else { return Err(format!("accepted a token of {} parts", parts.len())) };
    let header: Map<String, Value> = lenient_b64(head).and_then(|h| serde_json::from_slice(&h).ok()).ok_or("accepted a token whose header is not base64url JSON")?;
    let alg = header.get("alg").and_then(Value::as_str).ok_or("accepted a token without a string alg")?;
    if alg != "RS256" && alg != "ES256" {
        return Err(format!("accepted a token signed with {alg:?}"));
    }
    let kid = match header.get("kid") {
        None | Some(Value::Null) => None,
        Some(Value::String(kid)) => Some(kid.as_str()),
        Some(other) => return Err(format!("accepted a token whose kid is {other}")),
    };
    let sig = lenient_b64(sig).ok_or("accepted a token whose signature is not base64url")?;
    let message = &token.trim().as_bytes()[..head.len() + 1 + parts[1].len()];
    let document: Value = serde_json::from_slice(jwks).map_err(|_| "accepted a token with a JWKS that is not JSON")?;
    let keys = document.get("keys").and_then(Value::as_array).ok_or("accepted a token with a JWKS without keys")?;
    let field = |key: &Value, name: &str| key.get(name).and_then(Value::as_str).and_then(|t| lenient_b64(t.trim_end_matches('=')));
    let verifying: Vec<&Value> = keys.iter().filter(|key| kid.is_none_or(|kid| key.get("kid").and_then(Value::as_str) == Some(kid))).filter(|key| match alg {
        "RS256" => match (field(key, "n"), field(key, "e")) {
            (Some(n), Some(e)) => signature::RsaPublicKeyComponents { n, e }.verify(&signature::RSA_PKCS1_2048_8192_SHA256, message, &sig).is_ok(),
            _ => false,
        },
        _ => match (field(key, "x"), field(key, "y")) {
            (Some(x), Some(y)) if key.get("crv").and_then(Value::as_str) == Some("P-256") => {
                let point: Vec<u8> = [&[4u8][..], &x, &y].concat();
                signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point).verify(message, &sig).is_ok()
            }
            _ => false,
        },
    }).collect();
    if verifying.is_empty() {
        return Err(format!("accepted a {alg} token (kid {kid:?}) whose signature no key of the JWKS verifies"));
    }
    let jose_would = |key: &&Value| {
        key.get("use").and_then(Value::as_str).is_none_or(|u| u == "sig")
            && key.get("key_ops").and_then(Value::as_array).is_none_or(|ops| ops.iter().any(|op| op == "verify"))
    };
    Ok(verifying.iter().any(jose_would))
}

/// `value > bound` with `value` a JSON number and `bound` exact: integers compared exactly, floats
/// against the bound rounded once.
fn number_after(value: &serde_json::Number, bound: i128) -> bool {
    if let Some(i) = value.as_i64() {
        i128::from(i) > bound
    } else if let Some(u) = value.as_u64() {
        i128::from(u) > bound
    } else {
        value.as_f64().is_some_and(|f| f > bound as f64)
    }
}

/// The scopes as this target reads the three claims that carry them.
fn granted_scopes(claims: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for name in ["scopes", "scope", "scp"] {
        match claims.get(name) {
            Some(Value::Array(items)) => out.extend(items.iter().filter_map(Value::as_str).map(|s| s.trim().to_owned())),
            Some(Value::String(text)) => out.extend(text.split_whitespace().map(str::to_owned)),
            _ => {}
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Every requested check, re-done on the claims of an accepted token.
/// `exp_now` and `nbf_now` are the same second, except for a time between two seconds: a token accepted
/// then is still unexpired at the second before and already valid at the second after.
fn checks_hold(claims: &Map<String, Value>, checks: &TokenChecks, env_url: &str, discovered: Option<&str>, exp_now: i64, nbf_now: i64) -> Result<(), String> {
    let leeway = i128::from(checks.clock_tolerance.as_secs());
    match claims.get("exp") {
        Some(Value::Number(exp)) if number_after(exp, i128::from(exp_now) - leeway) => {}
        other => return Err(format!("accepted with exp {other:?} at {exp_now} (leeway {leeway})")),
    }
    match claims.get("nbf") {
        None => {}
        Some(Value::Number(nbf)) if !number_after(nbf, i128::from(nbf_now) + leeway) => {}
        other => return Err(format!("accepted with nbf {other:?} at {nbf_now} (leeway {leeway})")),
    }
    if claims.get("iat").is_some_and(|iat| !iat.is_number()) {
        return Err(format!("accepted with iat {:?}", claims["iat"]));
    }
    let iss = claims.get("iss");
    match &checks.issuer {
        IssuerCheck::Unchecked => {}
        IssuerCheck::OneOf(accepted) => match iss {
            Some(Value::String(iss)) if accepted.iter().any(|a| same_identifier(a, iss)) => {}
            other => return Err(format!("accepted issuer {other:?}, not one of {accepted:?}")),
        },
        IssuerCheck::Environment { resource } => {
            let bases: Vec<&str> = std::iter::once(env_url.trim_end_matches('/')).chain(discovered).collect();
            let fits = |iss: &str| {
                bases.iter().any(|base| same_identifier(base, iss) || resource.as_ref().is_some_and(|r| same_identifier(&format!("{}/resources/{r}", base.trim_end_matches('/')), iss)))
            };
            match iss {
                Some(Value::String(iss)) if fits(iss) => {}
                other => return Err(format!("accepted issuer {other:?} for environment {env_url:?} (discovered {discovered:?}, resource {resource:?})")),
            }
        }
    }
    if !checks.audience.is_empty() || !checks.audience_all.is_empty() {
        let auds: Vec<&str> = match claims.get("aud") {
            Some(Value::String(one)) => vec![one],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            other => return Err(format!("accepted aud {other:?} for audiences {:?} / {:?}", checks.audience, checks.audience_all)),
        };
        let present = |wanted: &String| auds.iter().any(|a| same_identifier(wanted, a));
        if auds.is_empty() || !(checks.audience.is_empty() || checks.audience.iter().any(present)) || !checks.audience_all.iter().all(present) {
            return Err(format!("accepted aud {auds:?} for audiences {:?} / {:?}", checks.audience, checks.audience_all));
        }
    }
    let granted = granted_scopes(claims);
    for wanted in checks.required_scopes.iter().filter(|s| !s.trim().is_empty()) {
        if !granted.contains(wanted) {
            return Err(format!("accepted without scope {wanted:?} (has {granted:?})"));
        }
    }
    Ok(())
}

fn verdict(result: &Result<Map<String, Value>, Error>) -> Result<&Map<String, Value>, &'static str> {
    result.as_ref().map_err(reason)
}

const REASONS: &[&str] = &["malformed", "algorithm", "unknown_key", "bad_signature", "expired", "not_yet_valid", "issuer", "audience", "scope"];

fn reason(error: &Error) -> &'static str {
    match error {
        Error::TokenInvalid { reason, .. } if REASONS.contains(reason) => reason,
        other => panic!("a token refused with another error than a known TokenInvalid: {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut src = Source::new(data);
    // The checks first: short inputs (libFuzzer starts with those) then vary them too.
    let checks = checks(&mut src);
    let env_url = if src.one_in(8) { src.string() } else { src.pick(ENVS).to_string() };
    let discovered = match src.below(3) {
        0 => None,
        1 => Some(src.pick(ISSUERS).to_string()),
        _ => Some(src.string()),
    };
    let jwks = jwks(&mut src);
    let signer = *src.pick(&[Signer::Ec, Signer::Ec, Signer::Ec, Signer::Rsa, Signer::HmacPublic, Signer::Empty, Signer::Junk, Signer::EcAsn1]);
    let header = header(&mut src, signer);
    let claims = claims(&mut src);
    let signed = format!("{}.{}", encode(&mut src, &header), encode(&mut src, &claims));
    let signature = sign(&mut src, signer, signed.as_bytes());
    let token = format!("{signed}.{}", encode(&mut src, &signature));
    let token = mutate(&mut src, token);

    let keys = KeySet::parse(&jwks).unwrap_or_default();
    let context = || format!("token {token:?}\nchecks {checks:?}\nenv {env_url:?}, discovered {discovered:?}\njwks {}", String::from_utf8_lossy(&jwks));
    // An accepted token: signed by a key of the document, its claims its payload, every check held.
    let must_hold = |accepted: &Map<String, Value>, exp_now: i64, nbf_now: i64| {
        match verifies_independently(&token, &jwks) {
            Err(problem) => panic!("{problem}\n{}", context()),
            Ok(false) => panic!("accepted under a key jose would not verify with (use, key_ops)\n{}", context()),
            Ok(true) => {}
        }
        let payload = token.trim().split('.').nth(1).and_then(lenient_b64).and_then(|p| serde_json::from_slice::<Value>(&p).ok());
        assert_eq!(payload.as_ref(), Some(&Value::Object(accepted.clone())), "the claims are not the token's payload\n{}", context());
        if let Err(problem) = checks_hold(accepted, &checks, &env_url, discovered.as_deref(), exp_now, nbf_now) {
            panic!("{problem}\n{}", context());
        }
    };
    let direct_at = |now: i64| validate_with_keys(&token, &keys, &checks, &env_url, discovered.as_deref(), now);
    match direct_at(base()) {
        Ok(accepted) => {
            scalekit_fuzz::tally("accepted");
            must_hold(&accepted, base(), base());
        }
        Err(error) => scalekit_fuzz::tally(reason(&error)),
    }

    // The cached path (validateToken's and validateAccessToken's once the keys are cached), at
    // `checks.now` or on the system clock: validate_with_keys's verdict at that time.
    let validator = TokenValidator::with_keys(&env_url, keys.clone(), discovered.clone());
    let clock = || SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let before = clock();
    let cached = validator.validate_cached(&token, &checks);
    let boolean = validator.is_valid_cached(&token, &checks);
    assert_eq!(boolean, cached.as_ref().map(Result::is_ok), "is_valid_cached and validate_cached disagree\n{}", context());
    let direct = match checks.now {
        None if clock() != before => return,
        None => direct_at(before),
        Some(t) if t.fract() == 0.0 && t.abs() < 9e18 => direct_at(t as i64),
        Some(t) if t.abs() < 9e18 => {
            // Between two seconds: an acceptance holds the checks with exp at the second before and nbf at
            // the second after; where those two seconds agree, that is the verdict.
            if let Some(Ok(accepted)) = &cached {
                must_hold(accepted, t.floor() as i64, t.ceil() as i64);
            }
            let (earlier, later) = (direct_at(t.floor() as i64), direct_at(t.ceil() as i64));
            if verdict(&earlier) != verdict(&later) {
                return;
            }
            earlier
        }
        Some(_) => return,
    };
    match (&cached, &direct) {
        (Some(Ok(a)), Ok(b)) => assert_eq!(a, b, "the two paths accept with other claims\n{}", context()),
        (Some(Err(a)), Err(b)) => assert_eq!(reason(a), reason(b), "the two paths refuse for other reasons\n{}", context()),
        // Not decidable from the cache alone: a kid it does not hold, or an issuer it would learn again.
        (None, Err(b)) if matches!(reason(b), "unknown_key" | "issuer") => {}
        _ => panic!("validate_cached gives {cached:?}, validate_with_keys {direct:?}\n{}", context()),
    }
});
