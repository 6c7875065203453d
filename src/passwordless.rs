use scalekit_core::models::*;

/// `client.passwordless`: sign-in by emailed code or magic link.
#[scalekit_derive::sub_client(core = scalekit_core::PasswordlessClient)]
impl PasswordlessClient {
    /// `POST /api/v1/passwordless/email/send`: emails a code or a magic link (as the environment is set up).
    fn send_passwordless_email(email: String, options: Option<SendPasswordlessOptions>) -> SendPasswordlessResponse;
    /// `POST /api/v1/passwordless/email/verify`: checks the code (with `authRequestId`) or the magic link's token.
    fn verify_passwordless_email(credential: PasswordlessCredential, auth_request_id: Option<String>) -> VerifyPasswordlessResponse;
    /// `POST /api/v1/passwordless/email/resend`: a new code or link for the same request.
    fn resend_passwordless_email(auth_request_id: String) -> SendPasswordlessResponse;
}
