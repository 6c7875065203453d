//! The sign-in helpers that need no network: the authorization and logout URLs
//! (as the official SDK builds them), PKCE, and Standard Webhooks verification
//! for webhooks and interceptors.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// RFC 3986 unreserved characters stay; everything else is escaped (spaces as `%20`), as `qs.stringify` does.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn query(pairs: &[(&str, Option<&str>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| format!("{k}={}", utf8_percent_encode(v, QUERY_VALUE))))
        .collect::<Vec<_>>()
        .join("&")
}

/// What `getAuthorizationUrl` puts in the URL; blank values are left out.
#[derive(Debug, Clone, Default)]
pub struct AuthorizationUrlParams<'a> {
    pub scopes: Option<&'a [String]>,
    pub state: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub login_hint: Option<&'a str>,
    pub domain_hint: Option<&'a str>,
    pub connection_id: Option<&'a str>,
    pub organization_id: Option<&'a str>,
    pub code_challenge: Option<&'a str>,
    pub code_challenge_method: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub prompt: Option<&'a str>,
}

/// `{env}/oauth/authorize?…`, with the official SDK's parameters in its order. Scopes default to `openid profile email`.
pub fn authorization_url(env_url: &str, client_id: &str, redirect_uri: &str, params: &AuthorizationUrlParams) -> Result<String> {
    if redirect_uri.trim().is_empty() {
        return Err(Error::invalid("redirectUri", "redirectUri is required"));
    }
    if let Some(method) = params.code_challenge_method.filter(|m| !m.is_empty()) {
        if method != "S256" {
            return Err(Error::invalid("options.codeChallengeMethod", "options.codeChallengeMethod must be S256 (plain is not supported)"));
        }
    }
    let default_scopes = ["openid".to_owned(), "profile".to_owned(), "email".to_owned()];
    let scope = params.scopes.unwrap_or(&default_scopes).join(" ");
    // As the official SDK: the first four always, even an empty `scope` (`scopes: []`); the rest only when set.
    let always = format!(
        "response_type=code&client_id={}&redirect_uri={}&scope={}",
        utf8_percent_encode(client_id, QUERY_VALUE),
        utf8_percent_encode(redirect_uri, QUERY_VALUE),
        utf8_percent_encode(&scope, QUERY_VALUE)
    );
    let optional = [
        ("state", params.state),
        ("nonce", params.nonce),
        ("login_hint", params.login_hint),
        ("domain_hint", params.domain_hint),
        ("domain", params.domain_hint),
        ("connection_id", params.connection_id),
        ("organization_id", params.organization_id),
        ("code_challenge", params.code_challenge),
        ("code_challenge_method", params.code_challenge_method),
        ("provider", params.provider),
        ("prompt", params.prompt),
    ];
    let optional = query(&optional);
    let separator = if optional.is_empty() { "" } else { "&" };
    Ok(format!("{env_url}/oauth/authorize?{always}{separator}{optional}"))
}

/// `{env}/oidc/logout`, with `?id_token_hint=…&post_logout_redirect_uri=…&state=…` for the options given, in that order.
pub fn logout_url(env_url: &str, id_token_hint: Option<&str>, post_logout_redirect_uri: Option<&str>, state: Option<&str>) -> String {
    let query = query(&[("id_token_hint", id_token_hint), ("post_logout_redirect_uri", post_logout_redirect_uri), ("state", state)]);
    if query.is_empty() {
        format!("{env_url}/oidc/logout")
    } else {
        format!("{env_url}/oidc/logout?{query}")
    }
}

/// A PKCE pair: a 43-character random verifier and its S256 challenge (RFC 7636).
pub fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// Why a webhook or interceptor payload did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFailure {
    MissingHeader,
    InvalidSecret,
    InvalidTimestamp,
    TooOld,
    TooNew,
    BadSignature,
}

impl WebhookFailure {
    pub fn reason(self) -> &'static str {
        match self {
            WebhookFailure::MissingHeader => "missing_header",
            WebhookFailure::InvalidSecret => "invalid_secret",
            WebhookFailure::InvalidTimestamp => "invalid_timestamp",
            WebhookFailure::TooOld => "too_old",
            WebhookFailure::TooNew => "too_new",
            WebhookFailure::BadSignature => "bad_signature",
        }
    }

    /// The official SDK's message for it.
    pub fn message(self) -> &'static str {
        match self {
            WebhookFailure::MissingHeader => "Missing required headers",
            WebhookFailure::InvalidSecret => "Invalid secret",
            WebhookFailure::InvalidTimestamp => "Invalid Signature Headers",
            WebhookFailure::TooOld => "Message timestamp too old",
            WebhookFailure::TooNew => "Message timestamp too new",
            WebhookFailure::BadSignature => "Invalid Signature",
        }
    }
}

/// How far a webhook's timestamp may be from now, either way.
pub const WEBHOOK_TOLERANCE: Duration = Duration::from_secs(300);

/// Verifies a Standard Webhooks signature: HMAC-SHA256 over `id.timestamp.payload`, keyed
/// with the base64 part of each `whsec_…` secret (several are tried, for rotation), against
/// each `v1,<base64>` entry of the space-separated `signatures`, in constant time.
pub fn verify_signature(secrets: &[&str], id: &str, timestamp: &str, signatures: &str, payload: &[u8], now: SystemTime) -> Result<(), WebhookFailure> {
    if id.is_empty() || timestamp.is_empty() || signatures.is_empty() {
        return Err(WebhookFailure::MissingHeader);
    }
    let keys = secrets
        .iter()
        .map(|secret| {
            // As the official SDK: the key is the base64 after the first `_` (`whsec_<base64>`).
            let encoded = secret.split('_').nth(1).ok_or(WebhookFailure::InvalidSecret)?;
            Ok(node_base64(encoded))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if keys.is_empty() {
        return Err(WebhookFailure::InvalidSecret);
    }
    let seconds: i64 = timestamp.trim().parse().map_err(|_| WebhookFailure::InvalidTimestamp)?;
    // In i128, where no timestamp an i64 holds can overflow the difference (i64::MIN used to wrap
    // past the "too old" check in a release build).
    let now = i128::from(now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs());
    let tolerance = i128::from(WEBHOOK_TOLERANCE.as_secs());
    if now - i128::from(seconds) > tolerance {
        return Err(WebhookFailure::TooOld);
    }
    if i128::from(seconds) > now + tolerance {
        return Err(WebhookFailure::TooNew);
    }
    let received: Vec<Vec<u8>> = signatures
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .map(node_base64)
        .collect();
    for key in &keys {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| WebhookFailure::InvalidSecret)?;
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(seconds.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload);
        // `verify_slice` compares in constant time; a length mismatch is no match.
        if received.iter().any(|sig| mac.clone().verify_slice(sig).is_ok()) {
            return Ok(());
        }
    }
    Err(WebhookFailure::BadSignature)
}

/// Decodes base64 as Node's `Buffer.from(text, 'base64')` does, which is what the official SDK
/// decodes secrets and signatures with: both alphabets, padding optional, characters outside the
/// alphabet skipped, decoding stopped at the first `=`, and a dangling last character dropped.
/// JS strings are UTF-16 and Node reads each unit's low byte, so that is what is matched here.
fn node_base64(text: &str) -> Vec<u8> {
    let mut sextets: Vec<u8> = text
        .encode_utf16()
        .map(|unit| unit as u8)
        .take_while(|&byte| byte != b'=')
        .filter_map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => Some(byte),
            b'-' => Some(b'+'),
            b'_' => Some(b'/'),
            _ => None,
        })
        .collect();
    if sextets.len() % 4 == 1 {
        sextets.pop();
    }
    const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true).with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
    );
    LENIENT.decode(&sextets).expect("only alphabet characters, in whole groups")
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    #[test]
    fn base64_is_decoded_as_node_decodes_it() {
        // Expected bytes from `Buffer.from(text, 'base64').toString('hex')` on Node 20.
        for (text, hex) in [
            ("test-secret", "b5eb2dfac79cadeb"),
            ("dGVzdA", "74657374"),
            ("dGVzdA==", "74657374"),
            ("dG Vz\ndA", "74657374"),
            ("dGVzdA=x", "74657374"),
            ("a", ""),
            ("ab", "69"),
            ("abc", "69b7"),
            ("a=bc", ""),
            ("QQ==QQ==", "41"),
            ("--__", "fbefff"),
            ("!!!", ""),
            ("dGVz*dA", "74657374"),
            ("QUJD\u{e9}REVG", "414243444546"),
            ("QUJ\u{144}", "414243"),
            ("QUJ\u{1F600}D", "4142"),
        ] {
            let bytes: String = node_base64(text).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(bytes, hex, "{text:?}");
        }
    }

    #[test]
    fn authorization_url_is_the_official_one() {
        let url = authorization_url("https://acme.scalekit.dev", "skc_1", "https://app.example/cb?x=1", &AuthorizationUrlParams::default()).unwrap();
        assert_eq!(url, "https://acme.scalekit.dev/oauth/authorize?response_type=code&client_id=skc_1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&scope=openid%20profile%20email");
        let scopes = vec!["openid".to_owned(), "offline_access".to_owned()];
        let params = AuthorizationUrlParams { scopes: Some(&scopes), state: Some("s 1"), domain_hint: Some("acme.com"), prompt: Some("login"), nonce: Some(""), ..Default::default() };
        let url = authorization_url("https://a.b", "c", "r", &params).unwrap();
        assert_eq!(url, "https://a.b/oauth/authorize?response_type=code&client_id=c&redirect_uri=r&scope=openid%20offline_access&state=s%201&domain_hint=acme.com&domain=acme.com&prompt=login");
        assert!(authorization_url("https://a.b", "c", " ", &AuthorizationUrlParams::default()).is_err());
        let url = authorization_url("https://a.b", "c", "r", &AuthorizationUrlParams { scopes: Some(&[]), ..Default::default() }).unwrap();
        assert_eq!(url, "https://a.b/oauth/authorize?response_type=code&client_id=c&redirect_uri=r&scope=", "an empty scope is kept, as the official SDK keeps it");
    }

    #[test]
    fn logout_url_has_only_what_is_given() {
        assert_eq!(logout_url("https://a.b", None, None, None), "https://a.b/oidc/logout");
        assert_eq!(logout_url("https://a.b", Some("t"), None, Some("x y")), "https://a.b/oidc/logout?id_token_hint=t&state=x%20y");
    }

    #[test]
    fn pkce_challenge_is_s256_of_the_verifier() {
        let (verifier, challenge) = pkce();
        assert_eq!(verifier.len(), 43);
        assert_eq!(challenge, URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())));
        assert_ne!(pkce().0, verifier);
    }

    fn sign(key: &[u8], id: &str, ts: i64, payload: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
        mac.update(format!("{id}.{ts}.").as_bytes());
        mac.update(payload);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }

    #[test]
    fn webhook_signatures() {
        let key = b"0123456789abcdef0123456789abcdef";
        let secret = format!("whsec_{}", STANDARD.encode(key));
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let ts = 1_700_000_000;
        let sig = sign(key, "msg_1", ts, b"{\"a\":1}");
        let verify = |secrets: &[&str], sigs: &str, payload: &[u8], ts: i64| verify_signature(secrets, "msg_1", &ts.to_string(), sigs, payload, now);
        assert_eq!(verify(&[&secret], &sig, b"{\"a\":1}", ts), Ok(()));
        assert_eq!(verify(&[&secret], &format!("v1,AAAA {sig}"), b"{\"a\":1}", ts), Ok(()), "any of several");
        assert_eq!(verify(&["whsec_b2xk", &secret], &sig, b"{\"a\":1}", ts), Ok(()), "rotated secrets");
        assert_eq!(verify(&[&secret], &sig, b"{\"a\":2}", ts), Err(WebhookFailure::BadSignature));
        assert_eq!(verify(&["whsec_b3RoZXI="], &sig, b"{\"a\":1}", ts), Err(WebhookFailure::BadSignature));
        assert_eq!(verify(&[&secret], &sig.replace("v1,", "v2,"), b"{\"a\":1}", ts), Err(WebhookFailure::BadSignature));
        assert_eq!(verify(&[&secret], &sig, b"{\"a\":1}", ts - 301), Err(WebhookFailure::TooOld));
        assert_eq!(verify(&[&secret], &sig, b"{\"a\":1}", ts + 301), Err(WebhookFailure::TooNew));
        assert_eq!(verify(&["nounderscore"], &sig, b"", ts), Err(WebhookFailure::InvalidSecret));
        // Secrets that are not strict base64 are keys all the same, as in the official SDK.
        let loose = node_base64("test-secret");
        assert_eq!(verify(&["whsec_test-secret"], &sign(&loose, "msg_1", ts, b"{}"), b"{}", ts), Ok(()));
        assert_eq!(verify(&["whsec_test-secret"], &sig, b"{}", ts), Err(WebhookFailure::BadSignature));
        let unpadded = STANDARD.encode(key).trim_end_matches('=').to_owned();
        assert_eq!(verify(&[&format!("whsec_{unpadded}")], &sig, b"{\"a\":1}", ts), Ok(()));
        assert_eq!(verify(&[&secret], &sig.trim_end_matches('=').replace('+', "-"), b"{\"a\":1}", ts), Ok(()), "signatures decode the same way");
        assert_eq!(verify_signature(&[&secret], "", "1", &sig, b"", now), Err(WebhookFailure::MissingHeader));
        assert_eq!(verify_signature(&[&secret], "m", "soon", &sig, b"", now), Err(WebhookFailure::InvalidTimestamp));
    }

    #[test]
    fn timestamps_at_the_ends_of_i64_are_out_of_the_window_not_an_overflow() {
        // Found by fuzzing: `now - i64::MIN` overflowed (a panic with overflow checks, a wrap past the
        // "too old" check without).
        let secret = format!("whsec_{}", STANDARD.encode(b"key"));
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for (ts, failure) in [(i64::MIN, WebhookFailure::TooOld), (i64::MIN + 1, WebhookFailure::TooOld), (-1, WebhookFailure::TooOld), (i64::MAX, WebhookFailure::TooNew)] {
            let sig = sign(b"key", "m", ts, b"{}");
            assert_eq!(verify_signature(&[&secret], "m", &ts.to_string(), &sig, b"{}", now), Err(failure), "{ts}");
        }
        // A clock before 1970 reads as 0, and the window still holds.
        assert_eq!(verify_signature(&[&secret], "m", "0", &sign(b"key", "m", 0, b"{}"), b"{}", SystemTime::UNIX_EPOCH - Duration::from_secs(5)), Ok(()));
    }
}

/// `client.auth`: finishing a login your own page authenticated ("bring your own auth").
#[derive(Debug, Clone)]
pub struct AuthClient {
    api: crate::http::Api,
}

impl AuthClient {
    pub(crate) fn new(api: crate::http::Api) -> Self {
        AuthClient { api }
    }

    /// `POST /api/v1/connections/{connection_id}/auth-requests/{login_request_id}/user`: the user
    /// your login page authenticated, for Scalekit to finish the login with.
    pub async fn update_login_user_details<R: crate::wire::FromWire<crate::models::UpdateLoginUserDetailsResponse>>(
        &self,
        connection_id: String,
        login_request_id: String,
        user: crate::models::LoginUserDetails,
        request_options: &crate::http::RequestOptions,
    ) -> Result<R> {
        use crate::http::{segment, ApiRequest};
        let connection_id = crate::validate::required_id("connectionId", &connection_id)?;
        let login_request_id = crate::validate::required_id("loginRequestId", &login_request_id)?;
        if let Some(email) = user.email.as_deref() {
            crate::validate::email("user.email", email)?;
        } else if user.login_failed != Some(true) {
            return Err(Error::invalid("user.email", "user.email is required (unless user.loginFailed is true)"));
        }
        let path = format!("/api/v1/connections/{}/auth-requests/{}/user", segment(connection_id), segment(login_request_id));
        let request = ApiRequest::new(reqwest::Method::POST, path).json(&user)?;
        self.api.send::<crate::models::UpdateLoginUserDetailsResponse, R>(request, request_options).await
    }
}
