//! Passwordless email sign-in (OTP and magic links).

use std::collections::HashMap;

use scalekit_derive::model;

use super::EnumValue;

/// `SendPasswordlessResponse` (also the result of `resendPasswordlessEmail`).
#[model]
pub struct SendPasswordlessResponse {
    /// Pass it to `verifyPasswordlessEmail` and `resendPasswordlessEmail`.
    pub auth_request_id: String,
    /// Unix seconds (int64 on the wire, a number here).
    pub expires_at: i64,
    /// Seconds.
    pub expires_in: u32,
    #[cfg_attr(feature = "napi", napi(ts_type = "'OTP' | 'LINK' | 'LINK_OTP' | (string & {})"))]
    pub passwordless_type: Option<String>,
}

/// `VerifyPasswordLessResponse`: whose email the code or link proved.
#[model]
pub struct VerifyPasswordlessResponse {
    pub email: String,
    /// The `state` given to `sendPasswordlessEmail`.
    pub state: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'SIGNIN' | 'SIGNUP' | (string & {})"))]
    pub template: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'OTP' | 'LINK' | 'LINK_OTP' | (string & {})"))]
    pub passwordless_type: Option<String>,
}

/// Options of `passwordless.sendPasswordlessEmail`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct SendPasswordlessOptions {
    /// `SIGNIN` or `SIGNUP`, or the official `TemplateType` number (1, 2).
    #[cfg_attr(feature = "napi", napi(ts_type = "'SIGNIN' | 'SIGNUP' | 1 | 2"))]
    pub template: Option<EnumValue>,
    /// Returned by `verifyPasswordlessEmail`, e.g. to resume the user's journey.
    pub state: Option<String>,
    /// Your page that receives magic links (`link_token` in its query).
    pub magiclink_auth_uri: Option<String>,
    /// Seconds the code or link stays valid.
    pub expires_in: Option<f64>,
    /// Variables of your email template.
    pub template_variables: Option<HashMap<String, String>>,
}

/// What the user gave back: the emailed code, or the magic link's token.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct PasswordlessCredential {
    pub code: Option<String>,
    pub link_token: Option<String>,
}
