/// `client.webauthn`: users' passkeys.
#[scalekit_derive::sub_client(core = scalekit_core::WebAuthnClient)]
impl WebAuthnClient {
    /// `GET /api/v1/webauthn/credentials`: the user's passkeys.
    fn list_credentials(user_id: String) -> ListCredentialsResponse;
    /// `PATCH /api/v1/webauthn/credentials/{credentialId}`: renames a passkey.
    fn update_credential(credential_id: String, display_name: String) -> UpdateCredentialResponse;
    /// `DELETE /api/v1/webauthn/credentials/{credentialId}`.
    fn delete_credential(credential_id: String) -> DeleteCredentialResponse;
}
