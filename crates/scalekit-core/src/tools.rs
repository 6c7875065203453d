//! `client.tools`: the tools agents can call, and calling them. Tool calls reach third-party
//! APIs, so each attempt is bounded by `toolTimeoutMs` (default 60 s), not `timeoutMs`.

use std::time::Duration;

use reqwest::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Result;
use crate::http::{Api, ApiRequest, RequestOptions};
use crate::models::{
    ExecuteToolParams, ExecuteToolResponse, ListAvailableToolsResponse, ListScopedToolsOptions, ListScopedToolsResponse, ListToolsOptions, ListToolsResponse,
    PageOptions,
};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct ToolsClient {
    api: Api,
    tool_timeout: Duration,
}

/// `name=value` pairs, repeated for lists, blank values left out.
fn pairs<'a>(list: impl IntoIterator<Item = (&'a str, Option<String>)>) -> Vec<(&'a str, Option<String>)> {
    list.into_iter().map(|(k, v)| (k, v.filter(|v| !v.trim().is_empty()))).collect()
}

fn repeated(key: &str, values: Option<Vec<String>>) -> impl Iterator<Item = (&str, Option<String>)> {
    values.unwrap_or_default().into_iter().map(move |v| (key, Some(v)))
}

fn paging(page_size: Option<f64>, page_token: Option<String>) -> Result<[(&'static str, Option<String>); 2]> {
    let page_size = validate::page_size("options.pageSize", page_size)?;
    Ok([("page_size", page_size.map(|n| n.to_string())), ("page_token", page_token.filter(|t| !t.is_empty()))])
}

/// The body of `POST /api/v1/execute_tool`.
#[derive(Serialize)]
struct WireExecuteTool<'a> {
    pub tool_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<&'a Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected_account_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_run_id: Option<&'a str>,
}

impl ToolsClient {
    pub(crate) fn new(api: Api, tool_timeout: Duration) -> Self {
        ToolsClient { api, tool_timeout }
    }

    /// The call's options, with `toolTimeoutMs` unless the call sets its own timeout.
    pub(crate) fn tool_options(&self, request_options: &RequestOptions) -> RequestOptions {
        RequestOptions { timeout: request_options.timeout.or(Some(self.tool_timeout)), ..request_options.clone() }
    }

    /// `GET /api/v1/tools`: the catalogue, filtered.
    pub async fn list_tools<R: FromWire<ListToolsResponse>>(&self, options: Option<ListToolsOptions>, request_options: &RequestOptions) -> Result<R> {
        let options = options.unwrap_or_default();
        let f = options.filter.unwrap_or_default();
        let mut query = pairs([
            ("filter.summary", f.summary.map(|s| s.to_string())),
            ("filter.provider", f.provider),
            ("filter.identifier", f.identifier),
            ("filter.query", f.query),
            ("filter.connector", f.connector),
            ("filter.organization_id", f.organization_id),
            ("filter.user_id", f.user_id),
            ("filter.connected_account_id", f.connected_account_id),
        ]);
        query.extend(repeated("filter.tool_name", f.tool_name));
        query.extend(paging(options.page_size, options.page_token)?);
        let request = ApiRequest::new(Method::GET, "/api/v1/tools".into()).query(query);
        self.api.send::<ListToolsResponse, R>(request, &self.tool_options(request_options)).await
    }

    /// `GET /api/v1/tools/scoped`: the tools `identifier` can use through its connected accounts.
    pub async fn list_scoped_tools<R: FromWire<ListScopedToolsResponse>>(
        &self,
        identifier: String,
        options: Option<ListScopedToolsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let identifier = validate::required_id("identifier", &identifier)?;
        let options = options.unwrap_or_default();
        let f = options.filter.unwrap_or_default();
        let mut query = vec![("identifier", Some(identifier.to_owned()))];
        query.extend(repeated("filter.providers", f.providers));
        query.extend(repeated("filter.tool_names", f.tool_names));
        query.extend(repeated("filter.connection_names", f.connection_names));
        query.extend(paging(options.page_size, options.page_token)?);
        let request = ApiRequest::new(Method::GET, "/api/v1/tools/scoped".into()).query(query);
        self.api.send::<ListScopedToolsResponse, R>(request, &self.tool_options(request_options)).await
    }

    /// `GET /api/v1/tools/available`: the tools of the providers `identifier` has connected.
    pub async fn list_available_tools<R: FromWire<ListAvailableToolsResponse>>(
        &self,
        identifier: String,
        options: Option<PageOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let identifier = validate::required_id("identifier", &identifier)?;
        let options = options.unwrap_or_default();
        let mut query = vec![("identifier", Some(identifier.to_owned()))];
        query.extend(paging(options.page_size, options.page_token)?);
        let request = ApiRequest::new(Method::GET, "/api/v1/tools/available".into()).query(query);
        self.api.send::<ListAvailableToolsResponse, R>(request, &self.tool_options(request_options)).await
    }

    /// `POST /api/v1/execute_tool`. A failure of the provider rejects with a `ScalekitTool*Exception`.
    pub async fn execute_tool<R: FromWire<ExecuteToolResponse>>(&self, params: ExecuteToolParams, request_options: &RequestOptions) -> Result<R> {
        fn text(value: &Option<String>) -> Option<&str> {
            value.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        let body = WireExecuteTool {
            tool_name: validate::required_id("params.toolName", &params.tool_name)?,
            identifier: text(&params.identifier),
            params: params.params.as_ref(),
            connected_account_id: text(&params.connected_account_id),
            connector: text(&params.connector),
            organization_id: text(&params.organization_id),
            user_id: text(&params.user_id),
            agent_run_id: text(&params.agent_run_id),
        };
        let request = ApiRequest::new(Method::POST, "/api/v1/execute_tool".into()).json(&body)?;
        self.api.send::<ExecuteToolResponse, R>(request, &self.tool_options(request_options)).await
    }
}
