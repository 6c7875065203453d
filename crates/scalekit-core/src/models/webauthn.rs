//! WebAuthn credentials (passkeys) of users.

use scalekit_derive::model;

/// `webauthnWebAuthnCredential`: a passkey.
#[model]
pub struct WebAuthnCredential {
    pub id: String,
    /// The authenticator's credential id.
    pub credential_id: Option<String>,
    pub user_id: Option<String>,
    pub display_name: Option<String>,
    pub attestation_type: Option<String>,
    pub transports: Vec<String>,
    pub authenticator: Option<WebAuthnAuthenticator>,
    pub authenticator_flags: Option<WebAuthnAuthenticatorFlags>,
    pub client_info: Option<WebAuthnClientInfo>,
    pub user_agent: Option<WebAuthnUserAgent>,
    /// RFC 3339.
    pub created_at: Option<String>,
    /// RFC 3339.
    pub updated_at: Option<String>,
}

/// `WebAuthnCredentialAuthenticator`.
#[model]
pub struct WebAuthnAuthenticator {
    pub aaguid: Option<String>,
    pub name: Option<String>,
    pub attachment: Option<String>,
    pub icon_light: Option<String>,
    pub icon_dark: Option<String>,
}

/// `WebAuthnCredentialAuthenticatorFlags`.
#[model]
pub struct WebAuthnAuthenticatorFlags {
    pub user_present: bool,
    pub user_verified: bool,
    pub backup_eligible: bool,
    pub backup_state: bool,
}

/// `WebAuthnCredentialClientInfo`: where it was registered from.
#[model]
pub struct WebAuthnClientInfo {
    pub ip: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub region_subdivision: Option<String>,
}

/// `WebAuthnCredentialUserAgent`.
#[model]
pub struct WebAuthnUserAgent {
    pub raw: Option<String>,
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub device_type: Option<String>,
    pub device_model: Option<String>,
    pub url: Option<String>,
}

/// `ListCredentialsResponse`.
#[model]
pub struct ListCredentialsResponse {
    pub credentials: Vec<WebAuthnCredential>,
    /// For the WebAuthn Signal API (`signalAllAcceptedCredentials`).
    pub all_accepted_credentials_options: Option<AllAcceptedCredentialsOptions>,
}

/// `webauthnAllAcceptedCredentialsOptions`.
#[model]
pub struct AllAcceptedCredentialsOptions {
    pub rp_id: Option<String>,
    pub user_id: Option<String>,
    pub all_accepted_credential_ids: Vec<String>,
}

/// `UpdateCredentialResponse`.
#[model]
pub struct UpdateCredentialResponse {
    pub credential: WebAuthnCredential,
}

/// `DeleteCredentialResponse`.
#[model]
pub struct DeleteCredentialResponse {
    pub success: bool,
    /// For the WebAuthn Signal API (`signalUnknownCredential`).
    pub unknown_credential_options: Option<UnknownCredentialOptions>,
}

/// `webauthnUnknownCredentialOptions`.
#[model]
pub struct UnknownCredentialOptions {
    pub credential_id: Option<String>,
    pub rp_id: Option<String>,
}
