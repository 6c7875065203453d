//! The grants a signed-in app makes at `/oauth/token`: exchanging an authorization code
//! (with the id token verified before its claims are trusted), refreshing, and minting
//! client-credentials tokens.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::config::{Config, Secret};
use crate::error::{Error, Result};
use crate::jwt::{invalid, IssuerCheck, TokenChecks, TokenValidator};
use crate::token::grant;

/// Claims that describe the token, not the user: left out of `user`.
const ENVELOPE_CLAIMS: &[&str] = &["iss", "aud", "exp", "iat", "nbf", "jti", "azp", "nonce", "at_hash", "c_hash", "auth_time"];

#[derive(Debug, Clone)]
pub struct SignIn {
    http: reqwest::Client,
    token_url: String,
    client_id: String,
    client_secret: Secret,
    timeout: Duration,
    validator: Arc<TokenValidator>,
    /// The `iss` id tokens must name: the configured one, else the environment's own.
    issuer: IssuerCheck,
}

impl SignIn {
    pub(crate) fn new(http: reqwest::Client, config: &Config, validator: Arc<TokenValidator>) -> Self {
        SignIn {
            http,
            token_url: format!("{}/oauth/token", config.env_url),
            client_id: config.client_id.clone(),
            client_secret: config.client_secret.clone(),
            timeout: config.options.timeout,
            validator,
            issuer: match &config.options.issuer {
                Some(issuer) => IssuerCheck::OneOf(vec![issuer.clone()]),
                None => IssuerCheck::Environment { resource: None },
            },
        }
    }

    /// The same grants with another per-request time limit, verifying with `validator` (`withOptions`).
    pub(crate) fn with_timeout(&self, timeout: Duration, validator: Arc<TokenValidator>) -> Self {
        SignIn { timeout, validator, ..self.clone() }
    }

    fn form(&self, pairs: &[(&str, &str)]) -> String {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            form.append_pair(k, v);
        }
        form.append_pair("client_id", &self.client_id).append_pair("client_secret", self.client_secret.expose()).finish()
    }

    /// `POST /oauth/token` with `grant_type=authorization_code`. The id token is verified (signature against
    /// the JWKS, `iss` = the environment's issuer (learned from its discovery document, so a custom domain or
    /// a gateway in front of it works) or the configured `issuer`, `aud` = the client id, `exp`, and `nonce`
    /// when one is given) before
    /// its claims become `user`. The result is the official `{ user, idToken, accessToken, expiresIn, refreshToken }`
    /// in camelCase, plus `idTokenClaims`, every claim as sent.
    pub async fn authenticate_with_code(&self, code: &str, redirect_uri: &str, code_verifier: Option<&str>, nonce: Option<&str>) -> Result<Value> {
        if code.trim().is_empty() {
            return Err(Error::invalid("code", "code is required"));
        }
        if redirect_uri.trim().is_empty() {
            return Err(Error::invalid("redirectUri", "redirectUri is required"));
        }
        let mut pairs = vec![("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect_uri)];
        if let Some(verifier) = code_verifier.filter(|v| !v.is_empty()) {
            pairs.push(("code_verifier", verifier));
        }
        let answer = grant(&self.http, &self.token_url, &self.form(&pairs), self.timeout).await?;
        let id_token = answer.id_token.filter(|t| !t.is_empty()).ok_or_else(|| invalid("malformed", "the token endpoint returned no id_token"))?;
        let checks = TokenChecks { issuer: self.issuer.clone(), audience: vec![self.client_id.clone()], ..Default::default() };
        let claims = self.validator.validate(&id_token, &checks).await?;
        if let Some(expected) = nonce.filter(|n| !n.is_empty()) {
            if claims.get("nonce").and_then(Value::as_str) != Some(expected) {
                return Err(invalid("nonce", "the id token's nonce is not the one this sign-in sent"));
            }
        }
        Ok(json!({
            "user": user_of(&claims),
            "idToken": id_token,
            "accessToken": answer.access_token,
            "expiresIn": answer.expires_in.unwrap_or(0.0),
            "refreshToken": answer.refresh_token.unwrap_or_default(),
            "idTokenClaims": claims,
        }))
    }

    /// `POST /oauth/token` with `grant_type=refresh_token`: `{ accessToken, refreshToken }`, as the official SDK
    /// returns, plus `idToken` and `expiresIn` when the answer has them.
    pub async fn refresh_access_token(&self, refresh_token: &str) -> Result<Value> {
        if refresh_token.trim().is_empty() {
            return Err(Error::invalid("refreshToken", "Refresh token is required"));
        }
        let answer = grant(&self.http, &self.token_url, &self.form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token)]), self.timeout).await?;
        let mut result = json!({ "accessToken": answer.access_token, "refreshToken": answer.refresh_token.unwrap_or_default() });
        if let Some(id_token) = answer.id_token {
            result["idToken"] = json!(id_token);
        }
        if let Some(expires_in) = answer.expires_in {
            result["expiresIn"] = json!(expires_in);
        }
        Ok(result)
    }

    /// A new client-credentials access token for `client_id`/`client_secret` (the official SDK's
    /// `generateClientToken`; it never touches the client's own cached token).
    pub async fn client_token(&self, client_id: &str, client_secret: &str) -> Result<String> {
        if client_id.trim().is_empty() {
            return Err(Error::invalid("clientId", "clientId is required"));
        }
        if client_secret.is_empty() {
            return Err(Error::invalid("clientSecret", "clientSecret is required"));
        }
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", client_id.trim())
            .append_pair("client_secret", client_secret)
            .finish();
        Ok(grant(&self.http, &self.token_url, &form, self.timeout).await?.access_token)
    }

    /// A new client-credentials access token for this client's own credentials.
    pub async fn own_client_token(&self) -> Result<String> {
        let secret = self.client_secret.clone();
        self.client_token(&self.client_id.clone(), secret.expose()).await
    }
}

/// The official SDK's `User` from id-token claims, camelCase all the way down (identities too);
/// other claims about the user are kept as they are.
fn user_of(claims: &Map<String, Value>) -> Value {
    let mut user = Map::new();
    for (key, value) in claims {
        if ENVELOPE_CLAIMS.contains(&key.as_str()) {
            continue;
        }
        let name = match key.as_str() {
            "sub" => "id",
            "preferred_username" => "username",
            "given_name" => "givenName",
            "family_name" => "familyName",
            "email_verified" => "emailVerified",
            "phone_number" => "phoneNumber",
            "phone_number_verified" => "phoneNumberVerified",
            "birthdate" => "birthDate",
            "zoneinfo" => "zoneInfo",
            "updated_at" => "updatedAt",
            other => other,
        };
        let value = if key == "identities" { camel_keys(value) } else { value.clone() };
        user.insert(name.to_owned(), value);
    }
    Value::Object(user)
}

fn camel_keys(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(camel_keys).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (camel(k), camel_keys(v))).collect()),
        other => other.clone(),
    }
}

fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for ch in key.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_from_claims() {
        let claims: Map<String, Value> = serde_json::from_str(
            r#"{"sub":"usr_1","iss":"x","aud":["c"],"exp":1,"given_name":"Jane","email_verified":true,"oid":"org_1","custom_claim":{"a_b":1},
               "identities":[{"connection_id":"conn_1","provider_name":"OKTA"}]}"#,
        )
        .unwrap();
        assert_eq!(
            user_of(&claims),
            json!({"id":"usr_1","givenName":"Jane","emailVerified":true,"oid":"org_1","custom_claim":{"a_b":1},"identities":[{"connectionId":"conn_1","providerName":"OKTA"}]})
        );
    }
}
