use napi::bindgen_prelude::{JavaScriptClassExt, Reference};
use napi::Env;
use napi_derive::napi;
use scalekit_core::{ClientOptions, Config};

use crate::errors::IntoNapi;
use crate::organization::OrganizationClient;
use crate::user::UserClient;

/// Options of `new ScalekitClient(...)`.
#[napi(object, object_to_js = false)]
pub struct ScalekitOptions {
    /// Per attempt, for API and token requests. Default 20000.
    pub timeout_ms: Option<f64>,
}

/// The Scalekit client. Construction checks its arguments and makes no network I/O;
/// the first call fetches a token.
#[napi]
pub struct ScalekitClient {
    organization: Reference<OrganizationClient>,
    user: Reference<UserClient>,
}

fn required(field: &str, value: Option<String>, hint: &str) -> napi::Result<String> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(scalekit_core::Error::InvalidInput {
            field: field.into(),
            message: format!("{field} is required: pass {hint} (for example from {})", env_name(field)),
        })
        .into_napi(),
    }
}

fn env_name(field: &str) -> &'static str {
    match field {
        "envUrl" => "SCALEKIT_ENVIRONMENT_URL",
        "clientId" => "SCALEKIT_CLIENT_ID",
        _ => "SCALEKIT_CLIENT_SECRET",
    }
}

#[scalekit_derive::js_parameters]
#[napi]
impl ScalekitClient {
    #[napi(
        strict,
        constructor,
        ts_args_type = "envUrl: string, clientId: string, clientSecret: string, options?: ScalekitOptions | undefined | null"
    )]
    pub fn new(
        env: Env,
        env_url: Option<String>,
        client_id: Option<String>,
        client_secret: Option<String>,
        options: Option<ScalekitOptions>,
    ) -> napi::Result<Self> {
        let env_url = required("envUrl", env_url, "the environment URL")?;
        let client_id = required("clientId", client_id, "the client id")?;
        let client_secret = required("clientSecret", client_secret, "the client secret")?;
        let options = ClientOptions::default().with_timeout_ms(options.and_then(|o| o.timeout_ms)).into_napi()?;
        let config = Config::new(&env_url, &client_id, &client_secret, options).into_napi()?;
        let core = scalekit_core::ScalekitClient::new(config).into_napi()?;
        Ok(ScalekitClient {
            organization: OrganizationClient::new(core.organization).into_reference(env)?,
            user: UserClient::new(core.user).into_reference(env)?,
        })
    }

    /// Organizations.
    #[napi(getter)]
    pub fn organization(&self, env: Env) -> napi::Result<Reference<OrganizationClient>> {
        self.organization.clone(env)
    }

    /// Users and memberships.
    #[napi(getter)]
    pub fn user(&self, env: Env) -> napi::Result<Reference<UserClient>> {
        self.user.clone(env)
    }
}

