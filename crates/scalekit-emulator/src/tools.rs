//! The tool registry of Agent Auth: tools are seeded by tests (`register_tool`),
//! listed (all, scoped to an identifier's connected accounts, or available to it)
//! and executed on behalf of an `ACTIVE` connected account, with the result the
//! seed prescribes: fixed data, an echo of the call, or an upstream failure.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::connected_accounts::Selector;
use crate::error::{ApiError, ApiResult};
use crate::pagination::{page_response, paginate, Bounds, Total};
use crate::parse_body;
use crate::query::Params;
use crate::state::{now_rfc3339, without_nulls, AppState, Store};

const BOUNDS: Bounds = Bounds { min: 1, max: 100, default: 10 };

/// What executing a tool answers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolResult {
    /// `data` of the answer (a JSON object).
    Data(Value),
    /// `data` = `{"params": <the params sent>, "identifier": …, "connected_account_id": …}`.
    #[default]
    Echo,
    /// The tool fails upstream: an error answer with this HTTP status, `error_code`
    /// `TOOL_ERROR` and `tool_error_info` {`execution_id`, `tool_error_code`: `code`, `tool_error_message`: `message`}.
    Error { status: u16, code: String, message: String },
}

/// A tool to register. As JSON (`POST /_emulator/tools`): snake_case, `result` one of
/// `"echo"`, `{"data": {...}}` or `{"error": {"status", "code", "message"}}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolSeed {
    /// Unique tool name, e.g. `gmail_send_email`.
    pub name: String,
    /// The provider whose connected accounts run it, e.g. `GMAIL` (matched case-insensitively).
    pub provider: String,
    #[serde(default)]
    pub description: Option<String>,
    /// JSON schema of the params.
    #[serde(default)]
    pub input_schema: Option<Value>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub result: ToolResult,
}

#[derive(Debug, Clone)]
pub struct ToolRecord {
    /// `toolsTool` REST JSON.
    pub record: Value,
    pub result: ToolResult,
}

impl ToolRecord {
    fn name(&self) -> &str {
        self.record["definition"]["name"].as_str().unwrap_or_default()
    }

    fn provider(&self) -> &str {
        self.record["provider"].as_str().unwrap_or_default()
    }

    fn description(&self) -> &str {
        self.record["definition"]["description"].as_str().unwrap_or_default()
    }
}

/// Registers a tool; returns it as `toolsTool` REST JSON.
pub fn register_tool(state: &AppState, tool: ToolSeed) -> Result<Value, String> {
    let name = tool.name.trim().to_owned();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return Err("a tool name must be non-empty, without spaces".into());
    }
    let provider = tool.provider.trim().to_owned();
    if provider.is_empty() {
        return Err("a tool needs a provider (e.g. GMAIL)".into());
    }
    if tool.input_schema.as_ref().is_some_and(|s| !s.is_object()) {
        return Err("input_schema must be a JSON object".into());
    }
    match &tool.result {
        ToolResult::Data(data) if !data.is_object() => return Err("the data a tool returns must be a JSON object".into()),
        ToolResult::Error { status, .. } if !(400..=599).contains(status) => return Err(format!("a tool error status must be from 400 to 599, got {status}")),
        ToolResult::Error { code, .. } if code.is_empty() => return Err("a tool error needs a code".into()),
        _ => {}
    }
    let mut store = state.store.lock().unwrap();
    if store.tools.iter().any(|t| t.name() == name) {
        return Err(format!("a tool named {name} is already registered"));
    }
    let record = without_nulls(json!({
        "id": state.new_id("tool"), "provider": provider,
        "definition": { "name": name, "description": tool.description, "input_schema": tool.input_schema },
        "metadata": {}, "tags": tool.tags, "is_default": false, "updated_at": now_rfc3339(),
    }));
    store.tools.push(ToolRecord { record: record.clone(), result: tool.result });
    Ok(record)
}

/// Every `execute_tool` call so far, oldest first: `execution_id`, `tool_name`, `tool_id`,
/// `provider`, `connected_account_id`, `identifier`, `connector`, `params`, `agent_run_id`,
/// `status` (`SUCCESS` or `FAILED`), `error` and `executed_at`.
pub fn tool_executions(state: &AppState) -> Vec<Value> {
    state.store.lock().unwrap().tool_executions.clone()
}

/// Upper-cased providers of the `ACTIVE` accounts `keep` accepts.
fn active_providers(store: &Store, keep: impl Fn(&Value) -> bool) -> Vec<String> {
    store.connected_accounts.iter().filter(|a| a["status"] == "ACTIVE" && keep(a)).filter_map(|a| a["provider"].as_str()).map(str::to_uppercase).collect()
}

fn eq_ignore_case(value: &Value, wanted: &str) -> bool {
    value.as_str().is_some_and(|v| v.eq_ignore_ascii_case(wanted))
}

/// `GET /tools`.
pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<Vec<(String, String)>>) -> ApiResult<Response> {
    let params = Params(query);
    let summary = params.bool("filter.summary")?.unwrap_or(false);
    let provider = params.get("filter.provider");
    let names = params.all("filter.tool_name");
    let needle = params.get("filter.query").map(str::to_lowercase);
    let (identifier, connector, account_id, organization_id, user_id) = (
        params.get("filter.identifier"),
        params.get("filter.connector"),
        params.get("filter.connected_account_id"),
        params.get("filter.organization_id"),
        params.get("filter.user_id"),
    );
    let store = state.store.lock().unwrap();
    let scoped = [identifier, connector, account_id, organization_id, user_id].iter().any(Option::is_some);
    let providers = active_providers(&store, |a| {
        identifier.is_none_or(|i| a["identifier"] == i)
            && connector.is_none_or(|c| eq_ignore_case(&a["connector"], c))
            && account_id.is_none_or(|id| a["id"] == id)
            && organization_id.is_none_or(|o| a["organization_id"] == o)
            && user_id.is_none_or(|u| a["user_id"] == u)
    });
    let tools: Vec<&Value> = store
        .tools
        .iter()
        .filter(|t| provider.is_none_or(|p| t.provider().eq_ignore_ascii_case(p)))
        .filter(|t| names.is_empty() || names.contains(&t.name()))
        .filter(|t| needle.as_deref().is_none_or(|n| t.name().to_lowercase().contains(n) || t.description().to_lowercase().contains(n)))
        .filter(|t| !scoped || providers.contains(&t.provider().to_uppercase()))
        .map(|t| &t.record)
        .collect();
    let map = params.map();
    let page_size = crate::query_u32(&map, "page_size")?;
    let page = paginate(tools.len(), page_size, map.get("page_token").map(String::as_str).unwrap_or(""), BOUNDS.min, BOUNDS.max, BOUNDS.default)?;
    let items = &tools[page.start..page.end];
    let tool_names: Vec<&Value> = items.iter().map(|t| &t["definition"]["name"]).collect();
    let body = json!({
        "tools": if summary { &[][..] } else { items }, "tool_names": tool_names,
        "next_page_token": page.next_page_token, "prev_page_token": page.prev_page_token, "total_size": tools.len(),
    });
    Ok(axum::response::IntoResponse::into_response(Json(body)))
}

fn required_identifier(params: &Params) -> ApiResult<String> {
    params.get("identifier").map(str::to_owned).ok_or_else(|| ApiError::field("identifier", "value is required", "required"))
}

/// `GET /tools/scoped`: per `ACTIVE` connected account of the identifier, its provider's tools.
pub async fn scoped(State(state): State<Arc<AppState>>, Query(query): Query<Vec<(String, String)>>) -> ApiResult<Response> {
    let params = Params(query);
    let identifier = required_identifier(&params)?;
    let providers = params.all("filter.providers");
    let names = params.all("filter.tool_names");
    let connections = params.all("filter.connection_names");
    let store = state.store.lock().unwrap();
    let mut items = Vec::new();
    for account in store.connected_accounts.iter().filter(|a| a["status"] == "ACTIVE" && a["identifier"] == *identifier) {
        if !connections.is_empty() && !connections.iter().any(|c| eq_ignore_case(&account["connector"], c)) {
            continue;
        }
        let account_provider = account["provider"].as_str().unwrap_or_default();
        for tool in store.tools.iter().filter(|t| t.provider().eq_ignore_ascii_case(account_provider)) {
            if !providers.is_empty() && !providers.iter().any(|p| tool.provider().eq_ignore_ascii_case(p)) {
                continue;
            }
            if !names.is_empty() && !names.contains(&tool.name()) {
                continue;
            }
            items.push(json!({ "connected_account_id": account["id"], "identifier": identifier, "tool": tool.record }));
        }
    }
    page_response("tools", &items, &params.map(), BOUNDS, Total::Size)
}

/// `GET /tools/available`: tools whose provider has an `ACTIVE` connected account of the identifier.
pub async fn available(State(state): State<Arc<AppState>>, Query(query): Query<Vec<(String, String)>>) -> ApiResult<Response> {
    let params = Params(query);
    let identifier = required_identifier(&params)?;
    let store = state.store.lock().unwrap();
    let providers = active_providers(&store, |a| a["identifier"] == *identifier);
    let tools: Vec<&Value> = store.tools.iter().filter(|t| providers.contains(&t.provider().to_uppercase())).map(|t| &t.record).collect();
    page_response("tools", &tools, &params.map(), BOUNDS, Total::Size)
}

/// `POST /execute_tool`.
pub async fn execute(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        tool_name: Option<String>,
        identifier: Option<String>,
        params: Option<Value>,
        connected_account_id: Option<String>,
        connector: Option<String>,
        organization_id: Option<String>,
        user_id: Option<String>,
        agent_run_id: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    let Some(tool_name) = request.tool_name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned) else {
        return Err(ApiError::field("tool_name", "value is required", "required"));
    };
    let params = match request.params {
        None | Some(Value::Null) => json!({}),
        Some(p @ Value::Object(_)) => p,
        Some(_) => return Err(ApiError::field("params", "value must be an object", "object")),
    };
    let mut store = state.store.lock().unwrap();
    let tool = store.tools.iter().find(|t| t.name() == tool_name).cloned().ok_or_else(|| ApiError::not_found(format!("tool {tool_name} not found")))?;
    let selector = Selector::new(&request.connected_account_id, &request.connector, &request.identifier, &request.organization_id, &request.user_id);
    let index = if selector.id.is_some() || selector.connector.is_some() {
        selector.find(&store)?
    } else if let Some(identifier) = &selector.identifier {
        store
            .connected_accounts
            .iter()
            .position(|a| {
                a["identifier"] == **identifier
                    && eq_ignore_case(&a["provider"], tool.provider())
                    && selector.organization_id.as_ref().is_none_or(|o| a["organization_id"] == **o)
                    && selector.user_id.as_ref().is_none_or(|u| a["user_id"] == **u)
            })
            .ok_or_else(|| ApiError::not_found(format!("no connected account of {identifier} for provider {}", tool.provider())))?
    } else {
        return Err(ApiError::invalid("identifier, connector and identifier, or connected_account_id is required"));
    };
    let account = &mut store.connected_accounts[index];
    if account["status"] != "ACTIVE" {
        return Err(ApiError::failed_precondition(format!(
            "connected account {} is {}, not ACTIVE: the user must authorize it first",
            account["id"].as_str().unwrap_or_default(),
            account["status"].as_str().unwrap_or_default()
        )));
    }
    let now = now_rfc3339();
    account["last_used_at"] = json!(now);
    let account = account.clone();
    let execution_id = state.new_id("exec");
    let outcome = match &tool.result {
        ToolResult::Data(data) => Ok(data.clone()),
        ToolResult::Echo => Ok(json!({ "params": params, "identifier": account["identifier"], "connected_account_id": account["id"] })),
        ToolResult::Error { status, code, message } => Err((*status, code.clone(), message.clone())),
    };
    let mut execution = without_nulls(json!({
        "execution_id": execution_id, "tool_name": tool_name, "tool_id": tool.record["id"], "provider": tool.provider(),
        "connected_account_id": account["id"], "identifier": account["identifier"], "connector": account["connector"],
        "organization_id": account["organization_id"], "user_id": account["user_id"],
        "agent_run_id": request.agent_run_id.filter(|r| !r.is_empty()),
        "status": if outcome.is_ok() { "SUCCESS" } else { "FAILED" },
        "error": outcome.as_ref().err().map(|(status, code, message)| json!({ "status": status, "code": code, "message": message })),
        "executed_at": now,
    }));
    execution["params"] = params;
    store.tool_executions.push(execution);
    drop(store);
    match outcome {
        Ok(data) => Ok(Json(json!({ "data": data, "execution_id": execution_id }))),
        Err((status, code, message)) => Err(ApiError::tool_error(status, &execution_id, &code, &message)),
    }
}
