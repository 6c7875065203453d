//! `client.actions`: the agent-auth facade. It names connections `connectionName` and delegates
//! to `tools` and `connectedAccounts`; `request` calls a provider's API through Scalekit's proxy.

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use serde_json::Value;

use crate::connected_accounts::{AccountKey, ConnectedAccountsClient};
use crate::connection::ConnectionClient;
use crate::error::{Error, Result};
use crate::http::{Api, ApiRequest, RequestOptions};
use crate::models::{
    ActionAccountParams, ActionExecuteToolParams, AppConnection, ConnectedAccountResponse, Empty, ExecuteToolParams, ExecuteToolResponse, ListAppConnectionsOptions,
    ListAppConnectionsResponse, ListAppConnectionsResult, ListConnectedAccountsOptions, ListConnectedAccountsResponse, MagicLinkResponse, ProxyRequestParams,
    ProxyResponse, VerifyConnectedAccountUserParams, VerifyConnectedAccountUserResponse,
};
use crate::tools::ToolsClient;
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct ActionsClient {
    api: Api,
    tools: ToolsClient,
    accounts: ConnectedAccountsClient,
    connections: ConnectionClient,
}

const CONNECTION_NAME: &str = "params.connectionName";
/// Headers `request` owns (besides those every call owns).
const PROXY_HEADERS: &[&str] = &["connection_name", "identifier"];

fn key(params: &ActionAccountParams) -> Result<AccountKey<'_>> {
    AccountKey::new(
        CONNECTION_NAME,
        params.connection_name.as_deref(),
        params.identifier.as_deref(),
        params.connected_account_id.as_deref(),
        params.organization_id.as_deref(),
        params.user_id.as_deref(),
    )
}

fn create_key(params: &ActionAccountParams) -> Result<AccountKey<'_>> {
    AccountKey::for_create(CONNECTION_NAME, params.connection_name.as_deref(), params.identifier.as_deref(), params.organization_id.as_deref(), params.user_id.as_deref())
}

/// A query value as text: strings as they are, other scalars as JSON; `null` left out.
fn query_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// `/proxy` + the provider path, which must not climb out of it.
fn proxy_path(path: &str) -> Result<String> {
    let path = validate::required_text("params.path", path)?;
    let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
    let route = path.split(['?', '#']).next().unwrap_or_default();
    let climbs = route.split('/').any(|segment| matches!(segment.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | ".."));
    if climbs || path.chars().any(|c| c.is_control() || c == ' ' || c == '\\') {
        return Err(Error::invalid("params.path", "params.path must be a plain path: no `.` or `..` segments, spaces, backslashes or control characters"));
    }
    Ok(format!("/proxy{path}"))
}

impl ActionsClient {
    pub(crate) fn new(api: Api, tool_timeout: Duration) -> Self {
        ActionsClient {
            tools: ToolsClient::new(api.clone(), tool_timeout),
            accounts: ConnectedAccountsClient::new(api.clone()),
            connections: ConnectionClient::new(api.clone()),
            api,
        }
    }

    /// `tools.executeTool` with the facade's names (`toolInput`).
    pub async fn execute_tool<R: FromWire<ExecuteToolResponse>>(&self, params: ActionExecuteToolParams, request_options: &RequestOptions) -> Result<R> {
        let ActionExecuteToolParams { tool_name, tool_input, identifier, connected_account_id, connector, organization_id, user_id, agent_run_id } = params;
        let params = ExecuteToolParams { tool_name, params: tool_input, identifier, connected_account_id, connector, organization_id, user_id, agent_run_id };
        self.tools.execute_tool(params, request_options).await
    }

    /// `connectedAccounts.getMagicLinkForConnectedAccount`.
    pub async fn get_authorization_link<R: FromWire<MagicLinkResponse>>(&self, params: ActionAccountParams, request_options: &RequestOptions) -> Result<R> {
        self.accounts.magic_link(&key(&params)?, params.state.as_deref(), params.user_verify_url.as_deref(), request_options).await
    }

    /// `connectedAccounts.verifyConnectedAccountUser`.
    pub async fn verify_connected_account_user<R: FromWire<VerifyConnectedAccountUserResponse>>(
        &self,
        params: VerifyConnectedAccountUserParams,
        request_options: &RequestOptions,
    ) -> Result<R> {
        self.accounts.verify_connected_account_user(params, request_options).await
    }

    /// `connectedAccounts.listConnectedAccounts` (`connectionName` filters by connection).
    pub async fn list_connected_accounts<R: FromWire<ListConnectedAccountsResponse>>(
        &self,
        params: Option<ListConnectedAccountsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        self.accounts.list_connected_accounts(params, request_options).await
    }

    /// `connection.listAppConnections`, normalised: `provider` is the provider key, `connectionName` the key id.
    pub async fn list_connections<R: FromWire<ListAppConnectionsResult>>(&self, params: Option<ListAppConnectionsOptions>, request_options: &RequestOptions) -> Result<R> {
        let page: ListAppConnectionsResponse = self.connections.list_app_connections(params, request_options).await?;
        let connections = page
            .connections
            .into_iter()
            .map(|c| AppConnection { id: c.id, r#type: c.r#type, status: c.status, enabled: c.enabled, provider: c.provider_key, connection_name: c.key_id, created_at: None })
            .collect();
        Ok(R::from_model(ListAppConnectionsResult {
            connections,
            next_page_token: page.next_page_token,
            prev_page_token: page.prev_page_token,
            total_size: page.total_size,
        }))
    }

    /// `connectedAccounts.deleteConnectedAccount`.
    pub async fn delete_connected_account<R: FromWire<Empty>>(&self, params: ActionAccountParams, request_options: &RequestOptions) -> Result<R> {
        self.accounts.delete(&key(&params)?, request_options).await
    }

    /// `connectedAccounts.getConnectedAccountByIdentifier`: the account with its credentials.
    pub async fn get_connected_account<R: FromWire<ConnectedAccountResponse>>(&self, params: ActionAccountParams, request_options: &RequestOptions) -> Result<R> {
        self.accounts.get(&key(&params)?, "/api/v1/connected_accounts/auth", request_options).await
    }

    /// `connectedAccounts.createConnectedAccount`.
    pub async fn create_connected_account<R: FromWire<ConnectedAccountResponse>>(&self, params: ActionAccountParams, request_options: &RequestOptions) -> Result<R> {
        let key = create_key(&params)?;
        self.accounts.create(&key, params.authorization_details.as_ref(), params.api_config.as_ref(), "params.authorizationDetails", request_options).await
    }

    /// `connectedAccounts.getOrCreateConnectedAccount`.
    pub async fn get_or_create_connected_account<R: FromWire<ConnectedAccountResponse>>(
        &self,
        params: ActionAccountParams,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let key = create_key(&params)?;
        self.accounts.get_or_create(&key, params.authorization_details.as_ref(), params.api_config.as_ref(), "params.authorizationDetails", request_options).await
    }

    /// `connectedAccounts.updateConnectedAccount`.
    pub async fn update_connected_account<R: FromWire<ConnectedAccountResponse>>(&self, params: ActionAccountParams, request_options: &RequestOptions) -> Result<R> {
        let key = key(&params)?;
        self.accounts.update(&key, params.authorization_details.as_ref(), params.api_config.as_ref(), "params.authorizationDetails", request_options).await
    }

    /// `ANY /proxy{path}`: the request, sent to the provider with the connected account's
    /// credentials by Scalekit. It takes the normal path: a 401 gets one re-authentication and
    /// replay, retries follow the usual rules, and an error status rejects with the exception of
    /// that status. The result is the provider's status, headers and body.
    pub async fn request<R: FromWire<ProxyResponse>>(&self, params: ProxyRequestParams, request_options: &RequestOptions) -> Result<R> {
        let connection_name = validate::required_id(CONNECTION_NAME, &params.connection_name)?;
        let identifier = validate::required_id("params.identifier", &params.identifier)?;
        let method_name = params.method.as_deref().map(str::trim).filter(|m| !m.is_empty()).unwrap_or("GET").to_ascii_uppercase();
        let method = Method::from_bytes(method_name.as_bytes()).map_err(|_| Error::invalid("params.method", format!("params.method is not an HTTP method: {method_name:?}")))?;
        let mut request = ApiRequest::new(method, proxy_path(&params.path)?);
        for (key, value) in params.query_params.iter().flatten() {
            match value {
                Value::Array(items) => request = request.query(items.iter().map(|item| (key.as_str(), query_text(item)))),
                other => request = request.query([(key.as_str(), query_text(other))]),
            }
        }
        let mut content_type = None;
        for (name, value) in params.headers.iter().flatten() {
            let lower = name.to_ascii_lowercase();
            if PROXY_HEADERS.contains(&lower.as_str()) || matches!(lower.as_str(), "authorization" | "host" | "content-length" | "transfer-encoding" | "connection") {
                return Err(Error::invalid(format!("params.headers.{name}"), format!("params.headers: {name} is set by the client and cannot be overridden")));
            }
            if lower == "content-type" {
                content_type = Some(value.clone());
            } else {
                request = request.with_header(name, value)?;
            }
        }
        request = match (&params.body, &params.form_data) {
            (Some(Value::String(text)), _) => request.raw_body(Bytes::from(text.clone()), content_type.unwrap_or_else(|| "text/plain; charset=utf-8".into())),
            (Some(body), _) => request.raw_body(Bytes::from(serde_json::to_vec(body).expect("JSON values serialize")), content_type.unwrap_or_else(|| "application/json".into())),
            (None, Some(form)) => {
                let encoded = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(form.iter().filter_map(|(k, v)| query_text(v).map(|v| (k.clone(), v))))
                    .finish();
                request.raw_body(Bytes::from(encoded), content_type.unwrap_or_else(|| "application/x-www-form-urlencoded".into()))
            }
            (None, None) => request,
        };
        request = request.with_header("connection_name", connection_name)?.with_header("identifier", identifier)?;
        let mut options = self.tools.tool_options(request_options);
        if let Some(ms) = params.timeout_ms {
            options.timeout = Some(crate::config::millis("params.timeoutMs", ms)?);
        }
        let (meta, body) = self.api.send_bytes(request, &options).await?;
        let is_json = meta.headers.get("content-type").is_some_and(|t| t.contains("json"));
        let body = if body.is_empty() {
            None
        } else if is_json {
            Some(serde_json::from_slice(&body).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned())))
        } else {
            Some(Value::String(String::from_utf8_lossy(&body).into_owned()))
        };
        Ok(R::from_model(ProxyResponse { status: meta.status.into(), headers: meta.headers.into_iter().collect(), body, request_id: meta.request_id }))
    }
}
