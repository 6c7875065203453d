//! Agent Auth endpoints over real HTTP: connected accounts, magic links and user
//! verification, tools and their execution, the proxy, custom providers, MCP
//! configs, the auth-request log and login user details.

use std::sync::Arc;

use scalekit_emulator::{AppState, Emulator, EmulatorConfig, ToolResult, ToolSeed};
use serde_json::{json, Value};

struct Api {
    emulator: Emulator,
    base: String,
    token: String,
    http: reqwest::Client,
}

fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Api {
    async fn start() -> Api {
        install_crypto();
        let emulator = Emulator::start("127.0.0.1", 0, EmulatorConfig::default()).expect("emulator starts");
        let base = emulator.url();
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let config = emulator.state().config();
        let form = format!("grant_type=client_credentials&client_id={}&client_secret={}", config.client_id, config.client_secret);
        let response = http.post(format!("{base}/oauth/token")).header("content-type", "application/x-www-form-urlencoded").body(form).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        let token = body["access_token"].as_str().unwrap().to_owned();
        Api { emulator, base, token, http }
    }

    fn state(&self) -> &Arc<AppState> {
        self.emulator.state()
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.base) };
        let mut request = self.http.request(method.parse().unwrap(), url).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())) };
        (status, value)
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("POST", path, Some(body)).await
    }

    async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("PUT", path, Some(body)).await
    }

    async fn events(&self, event_type: &str) -> Vec<Value> {
        let (status, body) = self.post("/api/v1/events/paginated?page_size=100", json!({ "event_types": [event_type] })).await;
        assert_eq!(status, 200, "{body}");
        body["events"].as_array().cloned().unwrap_or_default()
    }

    /// Creates an account with an OAuth access token (so `ACTIVE`).
    async fn active_account(&self, connector: &str, identifier: &str) -> Value {
        let body = json!({ "connector": connector, "identifier": identifier,
            "connected_account": { "authorization_details": { "oauth_token": { "access_token": format!("at-{connector}-{identifier}"), "scopes": ["mail"] } } } });
        let (status, created) = self.post("/api/v1/connected_accounts", body).await;
        assert_eq!(status, 201, "{created}");
        created["connected_account"].clone()
    }
}

/// The field violations of an error answer, as (field, constraint).
fn violations(error: &Value) -> Vec<(String, String)> {
    error["details"][0]["validation_error_info"]["field_violations"]
        .as_array()
        .map(|vs| vs.iter().map(|v| (v["field"].as_str().unwrap_or_default().to_owned(), v["constraint"].as_str().unwrap_or_default().to_owned())).collect())
        .unwrap_or_default()
}

fn error_code(error: &Value) -> &str {
    error["details"][0]["error_code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn connected_account_lifecycle() {
    let api = Api::start().await;
    let body = json!({ "connector": "gmail", "identifier": "ada@example.com", "organization_id": "org_1",
        "connected_account": { "authorization_details": { "oauth_token": { "access_token": "ya29", "refresh_token": "rt", "scopes": ["a", "b"] } },
            "api_config": { "base_url": "https://x.test", "nothing": null } } });
    let (status, created) = api.post("/api/v1/connected_accounts", body.clone()).await;
    assert_eq!(status, 201, "{created}");
    let account = &created["connected_account"];
    assert!(account["id"].as_str().unwrap().starts_with("ca_"));
    assert_eq!(account["connector"], "gmail");
    assert_eq!(account["provider"], "GMAIL");
    assert!(account["connection_id"].as_str().unwrap().starts_with("conn_"));
    assert_eq!(account["authorization_type"], "OAUTH");
    assert_eq!(account["status"], "ACTIVE");
    assert_eq!(account["authorization_details"]["oauth_token"]["scopes"], json!(["a", "b"]));
    assert_eq!(account["api_config"], json!({ "base_url": "https://x.test", "nothing": null }), "api_config is kept as given");
    assert!(account.get("organization_id").is_none(), "not a field of connected_accountsConnectedAccount");
    let id = account["id"].as_str().unwrap().to_owned();

    // Same connector + identifier + organization: conflict.
    let (status, error) = api.post("/api/v1/connected_accounts", body).await;
    assert_eq!((status, error_code(&error)), (409, "ALREADY_EXISTS"));
    // Required fields and the oneof.
    let (status, error) = api.post("/api/v1/connected_accounts", json!({ "identifier": "x" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("connector".to_owned(), "required".to_owned())]));
    let (status, error) = api.post("/api/v1/connected_accounts", json!({ "connector": "gmail" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("identifier".to_owned(), "required".to_owned())]));
    let two = json!({ "connector": "notion", "identifier": "x", "connected_account": { "authorization_details": {
        "oauth_token": { "access_token": "a" }, "static_auth": { "details": { "api_key": "k" } } } } });
    let (status, error) = api.post("/api/v1/connected_accounts", two).await;
    assert_eq!((status, violations(&error)), (400, vec![("connected_account.authorization_details".to_owned(), "oneof".to_owned())]));
    let (status, _) = api.post("/api/v1/connected_accounts", json!({ "connector": "gmail", "identifier": "x", "extra": 1 })).await;
    assert_eq!(status, 400, "unknown fields are rejected");

    // A static account is API_KEY; with no credential it is PENDING_AUTH.
    let (_, notion) = api.post("/api/v1/connected_accounts", json!({ "connector": "notion", "identifier": "ada@example.com",
        "connected_account": { "authorization_details": { "static_auth": { "details": { "api_key": "secret", "region": null } } } } })).await;
    assert_eq!(notion["connected_account"]["authorization_type"], "API_KEY");
    assert_eq!(notion["connected_account"]["status"], "ACTIVE");
    assert_eq!(notion["connected_account"]["authorization_details"]["static_auth"]["details"], json!({ "api_key": "secret", "region": null }));
    let (_, pending) = api.post("/api/v1/connected_accounts", json!({ "connector": "slack", "identifier": "ada@example.com" })).await;
    assert_eq!(pending["connected_account"]["status"], "PENDING_AUTH");

    // Reads: with and without credentials.
    let (status, auth) = api.get(&format!("/api/v1/connected_accounts/auth?id={id}")).await;
    assert_eq!(status, 200);
    assert_eq!(auth["connected_account"]["authorization_details"]["oauth_token"]["access_token"], "ya29");
    let (status, details) = api.get("/api/v1/connected_accounts/details?connector=gmail&identifier=ada@example.com").await;
    assert_eq!(status, 200);
    assert_eq!(details["connected_account"]["id"], id);
    assert!(details["connected_account"].get("authorization_details").is_none());
    assert!(details["connected_account"].get("api_config").is_some());
    let (status, _) = api.get("/api/v1/connected_accounts/details?connector=gmail&identifier=nobody@example.com").await;
    assert_eq!(status, 404);
    let (status, _) = api.get("/api/v1/connected_accounts/details?connector=gmail").await;
    assert_eq!(status, 400);

    // Update: new credentials recompute the status; events for both changes.
    let (status, updated) = api.put("/api/v1/connected_accounts", json!({ "id": id,
        "connected_account": { "authorization_details": { "oauth_token": { "access_token": "" } } } })).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["connected_account"]["status"], "PENDING_AUTH");
    assert_eq!(updated["connected_account"]["api_config"]["base_url"], "https://x.test", "api_config unchanged when not given");
    let (status, updated) = api.put("/api/v1/connected_accounts", json!({ "connector": "gmail", "identifier": "ada@example.com",
        "connected_account": { "api_config": { "timeout": 30 }, "authorization_details": { "oauth_token": { "access_token": "new" } } } })).await;
    assert_eq!(status, 200);
    assert_eq!(updated["connected_account"]["status"], "ACTIVE");
    assert_eq!(updated["connected_account"]["api_config"], json!({ "timeout": 30 }));
    let (status, _) = api.put("/api/v1/connected_accounts", json!({ "id": "ca_nope", "connected_account": {} })).await;
    assert_eq!(status, 404);
    let (status, error) = api.put("/api/v1/connected_accounts", json!({ "id": id })).await;
    assert_eq!((status, violations(&error)), (400, vec![("connected_account".to_owned(), "required".to_owned())]));
    let status_events = api.events("connected_account.status_updated").await;
    assert_eq!(status_events.len(), 2);
    assert_eq!(status_events[1]["data"]["old_status"], "PENDING_AUTH");
    assert_eq!(status_events[1]["data"]["status"], "ACTIVE");
    assert_eq!(status_events[1]["data"]["connection_name"], "gmail");
    assert_eq!(status_events[1]["organization_id"], "org_1");
    assert_eq!(api.events("connected_account.created").await.len(), 3);
    assert_eq!(api.events("connected_account.updated").await.len(), 2);

    // List: filters and pages.
    for i in 0..3 {
        api.active_account("github", &format!("user{i}@example.com")).await;
    }
    let (status, page1) = api.get("/api/v1/connected_accounts?page_size=2").await;
    assert_eq!(status, 200);
    assert_eq!(page1["total_size"], 6);
    assert_eq!(page1["connected_accounts"].as_array().unwrap().len(), 2);
    assert!(page1["connected_accounts"][0].get("authorization_details").is_none());
    assert!(page1["connected_accounts"][0].get("api_config").is_none());
    let next = page1["next_page_token"].as_str().unwrap();
    assert!(!next.is_empty());
    let (_, page2) = api.get(&format!("/api/v1/connected_accounts?page_size=2&page_token={next}")).await;
    assert_eq!(page2["connected_accounts"][0]["connector"], "slack");
    assert!(!page2["prev_page_token"].as_str().unwrap().is_empty());
    let (_, filtered) = api.get("/api/v1/connected_accounts?connection_names=gmail&connection_names=notion").await;
    assert_eq!(filtered["total_size"], 2);
    let (_, filtered) = api.get("/api/v1/connected_accounts?organization_id=org_1").await;
    assert_eq!(filtered["total_size"], 1);
    let (_, filtered) = api.get("/api/v1/connected_accounts?provider=github&query=user1").await;
    assert_eq!(filtered["total_size"], 1);
    let (status, _) = api.get("/api/v1/connected_accounts?page_size=1000").await;
    assert_eq!(status, 400);
    let (status, _) = api.get("/api/v1/connected_accounts?page_token=garbage").await;
    assert_eq!(status, 400);

    // Search.
    let (status, error) = api.get("/api/v1/connected_accounts:search?query=ab").await;
    assert_eq!((status, violations(&error)), (400, vec![("query".to_owned(), "string.min_len".to_owned())]));
    let (status, error) = api.get("/api/v1/connected_accounts:search").await;
    assert_eq!((status, violations(&error)), (400, vec![("query".to_owned(), "required".to_owned())]));
    let (status, found) = api.get("/api/v1/connected_accounts:search?query=EXAMPLE.com&page_size=4").await;
    assert_eq!(status, 200);
    assert_eq!(found["total_size"], 6);
    assert_eq!(found["connected_accounts"].as_array().unwrap().len(), 4);
    let (_, found) = api.get(&format!("/api/v1/connected_accounts:search?query={id}")).await;
    assert_eq!(found["total_size"], 1);
    let connection_id = account["connection_id"].as_str().unwrap();
    let (_, found) = api.get(&format!("/api/v1/connected_accounts:search?query=ada@&connection_id={connection_id}")).await;
    assert_eq!(found["total_size"], 1);

    // Delete.
    let (status, deleted) = api.post("/api/v1/connected_accounts:delete", json!({ "id": id })).await;
    assert_eq!((status, deleted), (200, json!({})));
    let (status, _) = api.post("/api/v1/connected_accounts:delete", json!({ "id": id })).await;
    assert_eq!(status, 404);
    let (status, _) = api.post("/api/v1/connected_accounts:delete", json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(api.events("connected_account.deleted").await[0]["data"]["id"], id);
    assert_eq!(scalekit_emulator::connected_accounts(api.state()).len(), 5);

    // Without a bearer token: 401.
    let response = api.http.get(format!("{}/api/v1/connected_accounts", api.base)).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn connector_of_a_stored_connection_gives_provider_and_connection_id() {
    let api = Api::start().await;
    let organization = scalekit_emulator::create_organization(api.state(), json!({ "display_name": "Acme" })).unwrap();
    let organization_id = organization["id"].as_str().unwrap();
    let (status, connection) =
        api.post(&format!("/api/v1/organizations/{organization_id}/connections"), json!({ "provider": "CUSTOM", "type": "OAUTH", "provider_key": "salesforce", "key_id": "salesforce-ab12" })).await;
    assert_eq!(status, 201, "{connection}");
    let account = api.active_account("salesforce-ab12", "ada").await;
    assert_eq!(account["connection_id"], connection["connection"]["id"]);
    assert_eq!(account["provider"], "SALESFORCE");
    // Made-up connections are stable per connector name.
    let a = api.active_account("jira", "a").await;
    let b = api.active_account("jira", "b").await;
    assert_eq!(a["connection_id"], b["connection_id"]);
}

#[tokio::test]
async fn magic_link_connect_and_user_verification() {
    let api = Api::start().await;
    // A link for a new connector + identifier creates a PENDING_AUTH account.
    let (status, link) = api.post("/api/v1/connected_accounts/magic_link", json!({ "connector": "gmail", "identifier": "ada@example.com" })).await;
    assert_eq!(status, 200, "{link}");
    let url = link["link"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/connect/", api.base)));
    assert!(link["expiry"].as_str().unwrap().ends_with('Z'));
    let (_, details) = api.get("/api/v1/connected_accounts/details?connector=gmail&identifier=ada@example.com").await;
    assert_eq!(details["connected_account"]["status"], "PENDING_AUTH");
    assert_eq!(api.events("connected_account.magic_link_generated").await.len(), 1);

    // The user follows it (no bearer token): tokens are issued, the account is ACTIVE.
    let response = api.http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("connected"));
    let (_, auth) = api.get("/api/v1/connected_accounts/auth?connector=gmail&identifier=ada@example.com").await;
    let account = &auth["connected_account"];
    assert_eq!(account["status"], "ACTIVE");
    assert!(!account["authorization_details"]["oauth_token"]["access_token"].as_str().unwrap().is_empty());
    assert!(!account["authorization_details"]["oauth_token"]["refresh_token"].as_str().unwrap().is_empty());
    assert!(account["token_expires_at"].is_string());
    assert_eq!(api.http.get(&url).send().await.unwrap().status(), 404, "a link works once");
    assert_eq!(api.http.get(format!("{}/connect/unknown", api.base)).send().await.unwrap().status(), 404);

    // With user verification: redirect to the app, PENDING_VERIFICATION until verified.
    let (status, link) = api
        .post("/api/v1/connected_accounts/magic_link", json!({ "connector": "slack", "identifier": "bob@example.com", "state": "s-1", "user_verify_url": "https://app.test/verify?x=1" }))
        .await;
    assert_eq!(status, 200);
    let response = api.http.get(link["link"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(response.status(), 302);
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!((location.host_str(), location.path()), (Some("app.test"), "/verify"));
    let query: std::collections::HashMap<String, String> = location.query_pairs().into_owned().collect();
    assert_eq!(query["x"], "1");
    assert_eq!(query["state"], "s-1");
    let auth_request_id = query["auth_request_id"].clone();
    assert!(auth_request_id.starts_with("ar_"));
    let (_, details) = api.get("/api/v1/connected_accounts/details?connector=slack&identifier=bob@example.com").await;
    assert_eq!(details["connected_account"]["status"], "PENDING_VERIFICATION");

    let (status, error) = api.post("/api/v1/connected_accounts/user/verify", json!({ "auth_request_id": auth_request_id })).await;
    assert_eq!((status, violations(&error)), (400, vec![("identifier".to_owned(), "required".to_owned())]));
    let (status, error) = api.post("/api/v1/connected_accounts/user/verify", json!({ "auth_request_id": auth_request_id, "identifier": "eve@example.com" })).await;
    assert_eq!((status, error_code(&error)), (403, "PERMISSION_DENIED"));
    let (status, _) = api.post("/api/v1/connected_accounts/user/verify", json!({ "auth_request_id": "ar_unknown", "identifier": "bob@example.com" })).await;
    assert_eq!(status, 404);
    let (status, verified) = api.post("/api/v1/connected_accounts/user/verify", json!({ "auth_request_id": auth_request_id, "identifier": "bob@example.com" })).await;
    assert_eq!(status, 200, "{verified}");
    let redirect = verified["post_user_verify_redirect_url"].as_str().unwrap();
    assert_eq!(redirect, format!("{}/connect/done?auth_request_id={auth_request_id}", api.base));
    assert_eq!(api.http.get(redirect).send().await.unwrap().status(), 200);
    let (_, details) = api.get("/api/v1/connected_accounts/details?connector=slack&identifier=bob@example.com").await;
    assert_eq!(details["connected_account"]["status"], "ACTIVE");
    let (status, _) = api.post("/api/v1/connected_accounts/user/verify", json!({ "auth_request_id": auth_request_id, "identifier": "bob@example.com" })).await;
    assert_eq!(status, 404, "verified once");
    let statuses: Vec<(Value, Value)> = api.events("connected_account.status_updated").await.iter().map(|e| (e["data"]["old_status"].clone(), e["data"]["status"].clone())).collect();
    assert_eq!(
        statuses,
        vec![(json!("PENDING_AUTH"), json!("ACTIVE")), (json!("PENDING_AUTH"), json!("PENDING_VERIFICATION")), (json!("PENDING_VERIFICATION"), json!("ACTIVE"))]
    );

    // A link for an unknown id is a 404; an invalid verify URL a field violation.
    let (status, _) = api.post("/api/v1/connected_accounts/magic_link", json!({ "id": "ca_nope" })).await;
    assert_eq!(status, 404);
    let (status, error) = api.post("/api/v1/connected_accounts/magic_link", json!({ "connector": "gmail", "identifier": "x", "user_verify_url": "not a url" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("user_verify_url".to_owned(), "string.uri".to_owned())]));
}

fn seed(name: &str, provider: &str, result: ToolResult) -> ToolSeed {
    ToolSeed {
        name: name.into(),
        provider: provider.into(),
        description: Some(format!("{name} does things")),
        input_schema: Some(json!({ "type": "object", "properties": { "to": { "type": "string" } }, "required": ["to"] })),
        tags: vec!["test".into()],
        result,
    }
}

#[tokio::test]
async fn tools_are_listed_and_executed() {
    let api = Api::start().await;
    let state = api.state();
    let send = scalekit_emulator::register_tool(state, seed("gmail_send_email", "GMAIL", ToolResult::Echo)).unwrap();
    assert!(send["id"].as_str().unwrap().starts_with("tool_"));
    assert_eq!(send["definition"]["name"], "gmail_send_email");
    assert_eq!(send["definition"]["input_schema"]["required"], json!(["to"]));
    assert_eq!((send["is_default"].clone(), send["metadata"].clone()), (json!(false), json!({})));
    scalekit_emulator::register_tool(state, seed("gmail_list_emails", "GMAIL", ToolResult::Data(json!({ "emails": [{ "id": "m1" }] })))).unwrap();
    scalekit_emulator::register_tool(state, seed("gmail_fail", "GMAIL", ToolResult::Error { status: 429, code: "RATE_LIMITED".into(), message: "quota exceeded".into() })).unwrap();
    assert!(scalekit_emulator::register_tool(state, seed("gmail_fail", "GMAIL", ToolResult::Echo)).is_err(), "names are unique");
    // Over the admin route too.
    let response = api
        .http
        .post(format!("{}/_emulator/tools", api.base))
        .body(json!({ "name": "slack_post", "provider": "SLACK", "description": "Post a message", "result": { "data": { "ok": true } } }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let (status, all) = api.get("/api/v1/tools").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["total_size"], 4);
    assert_eq!(all["tool_names"], json!(["gmail_send_email", "gmail_list_emails", "gmail_fail", "slack_post"]));
    let (_, page) = api.get("/api/v1/tools?page_size=3").await;
    assert_eq!(page["tools"].as_array().unwrap().len(), 3);
    let (_, rest) = api.get(&format!("/api/v1/tools?page_size=3&page_token={}", page["next_page_token"].as_str().unwrap())).await;
    assert_eq!(rest["tool_names"], json!(["slack_post"]));
    let (_, by_provider) = api.get("/api/v1/tools?filter.provider=slack").await;
    assert_eq!(by_provider["tool_names"], json!(["slack_post"]));
    let (_, by_name) = api.get("/api/v1/tools?filter.tool_name=gmail_fail&filter.tool_name=slack_post").await;
    assert_eq!(by_name["total_size"], 2);
    let (_, by_text) = api.get("/api/v1/tools?filter.query=MESSAGE").await;
    assert_eq!(by_text["tool_names"], json!(["slack_post"]));
    let (_, summary) = api.get("/api/v1/tools?filter.summary=true").await;
    assert_eq!((summary["tools"].as_array().unwrap().len(), summary["tool_names"].as_array().unwrap().len()), (0, 4));
    let (status, _) = api.get("/api/v1/tools?filter.summary=maybe").await;
    assert_eq!(status, 400);

    // Only ACTIVE accounts scope tools to an identifier.
    let gmail = api.active_account("gmail", "ada@example.com").await;
    api.post("/api/v1/connected_accounts", json!({ "connector": "slack", "identifier": "ada@example.com" })).await;
    let (_, scoped) = api.get("/api/v1/tools?filter.identifier=ada@example.com").await;
    assert_eq!(scoped["total_size"], 3);
    let (_, scoped) = api.get("/api/v1/tools?filter.identifier=nobody").await;
    assert_eq!(scoped["total_size"], 0);
    let (_, available) = api.get("/api/v1/tools/available?identifier=ada@example.com").await;
    assert_eq!(available["total_size"], 3);
    let (status, error) = api.get("/api/v1/tools/available").await;
    assert_eq!((status, violations(&error)), (400, vec![("identifier".to_owned(), "required".to_owned())]));
    let (status, scoped) = api.get("/api/v1/tools/scoped?identifier=ada@example.com&filter.tool_names=gmail_fail&filter.tool_names=gmail_send_email").await;
    assert_eq!(status, 200, "{scoped}");
    assert_eq!(scoped["total_size"], 2);
    assert_eq!(scoped["tools"][0]["connected_account_id"], gmail["id"]);
    assert_eq!(scoped["tools"][0]["identifier"], "ada@example.com");
    assert_eq!(scoped["tools"][0]["tool"]["definition"]["name"], "gmail_send_email");
    let (_, scoped) = api.get("/api/v1/tools/scoped?identifier=ada@example.com&filter.connection_names=slack").await;
    assert_eq!(scoped["total_size"], 0, "the slack account is not ACTIVE");
    let (status, _) = api.get("/api/v1/tools/scoped").await;
    assert_eq!(status, 400);

    // Execution.
    let (status, error) = api.post("/api/v1/execute_tool", json!({ "identifier": "ada@example.com" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("tool_name".to_owned(), "required".to_owned())]));
    let (status, _) = api.post("/api/v1/execute_tool", json!({ "tool_name": "nope", "identifier": "ada@example.com" })).await;
    assert_eq!(status, 404);
    let (status, _) = api.post("/api/v1/execute_tool", json!({ "tool_name": "gmail_send_email", "identifier": "nobody@example.com" })).await;
    assert_eq!(status, 404);
    let (status, error) = api.post("/api/v1/execute_tool", json!({ "tool_name": "slack_post", "identifier": "ada@example.com" })).await;
    assert_eq!((status, error_code(&error)), (400, "FAILED_PRECONDITION"));
    assert!(error["message"].as_str().unwrap().contains("PENDING_AUTH"));

    let params = json!({ "to": "bob@example.com", "subject": "Hi", "cc": null });
    let (status, echoed) = api.post("/api/v1/execute_tool", json!({ "tool_name": "gmail_send_email", "identifier": "ada@example.com", "params": params, "agent_run_id": "run_1" })).await;
    assert_eq!(status, 200, "{echoed}");
    assert_eq!(echoed["data"], json!({ "params": params, "identifier": "ada@example.com", "connected_account_id": gmail["id"] }));
    assert!(echoed["execution_id"].as_str().unwrap().starts_with("exec_"));
    let (status, data) = api.post("/api/v1/execute_tool", json!({ "tool_name": "gmail_list_emails", "connected_account_id": gmail["id"] })).await;
    assert_eq!((status, data["data"].clone()), (200, json!({ "emails": [{ "id": "m1" }] })));
    let (status, data) = api.post("/api/v1/execute_tool", json!({ "tool_name": "gmail_list_emails", "connector": "gmail", "identifier": "ada@example.com" })).await;
    assert_eq!(status, 200, "{data}");

    let (status, error) = api.post("/api/v1/execute_tool", json!({ "tool_name": "gmail_fail", "identifier": "ada@example.com", "params": {} })).await;
    assert_eq!(status, 429, "{error}");
    assert_eq!(error["message"], "quota exceeded");
    let info = &error["details"][0];
    assert_eq!(info["@type"], "type.googleapis.com/scalekit.v1.errdetails.ErrorInfo");
    assert_eq!(info["error_code"], "TOOL_ERROR");
    assert_eq!(info["tool_error_info"]["tool_error_code"], "RATE_LIMITED");
    assert_eq!(info["tool_error_info"]["tool_error_message"], "quota exceeded");
    let failed_execution = info["tool_error_info"]["execution_id"].as_str().unwrap().to_owned();

    let executions = scalekit_emulator::tool_executions(state);
    assert_eq!(executions.len(), 4);
    assert_eq!(executions[0]["tool_name"], "gmail_send_email");
    assert_eq!(executions[0]["params"], params, "params kept as sent, nulls included");
    assert_eq!(executions[0]["agent_run_id"], "run_1");
    assert_eq!(executions[0]["connected_account_id"], gmail["id"]);
    assert_eq!(executions[0]["execution_id"], echoed["execution_id"]);
    assert_eq!((executions[3]["status"].clone(), executions[3]["execution_id"].clone()), (json!("FAILED"), json!(failed_execution)));
    let (_, details) = api.get(&format!("/api/v1/connected_accounts/details?id={}", gmail["id"].as_str().unwrap())).await;
    assert!(details["connected_account"]["last_used_at"].is_string());

    // Reset forgets tools and accounts.
    api.state().reset();
    assert!(scalekit_emulator::tool_executions(state).is_empty());
    assert!(scalekit_emulator::connected_accounts(state).is_empty());
}

#[tokio::test]
async fn proxy_forwards_with_the_account_credentials() {
    use axum::extract::Request;
    use axum::response::IntoResponse;

    let api = Api::start().await;
    // A tiny upstream that echoes what it got.
    let upstream = axum::Router::new().fallback(|request: Request| async move {
        let (parts, body) = request.into_parts();
        let headers: serde_json::Map<String, Value> =
            parts.headers.iter().map(|(k, v)| (k.as_str().to_owned(), json!(v.to_str().unwrap_or_default()))).collect();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let echo = json!({ "method": parts.method.as_str(), "path": parts.uri.path(), "query": parts.uri.query(), "headers": headers, "body": String::from_utf8_lossy(&bytes) });
        (axum::http::StatusCode::CREATED, [("x-upstream", "yes")], echo.to_string()).into_response()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, upstream).await.unwrap() });

    api.active_account("gmail", "ada@example.com").await;
    api.post("/api/v1/connected_accounts", json!({ "connector": "slack", "identifier": "ada@example.com" })).await;
    let proxied = |path: &str, connection: Option<&str>, identifier: Option<&str>| {
        let mut request = api.http.post(format!("{}{path}", api.base)).bearer_auth(&api.token).header("x-custom", "kept").body("payload");
        if let Some(c) = connection {
            request = request.header("connection_name", c);
        }
        if let Some(i) = identifier {
            request = request.header("identifier", i);
        }
        request
    };

    // No upstream yet: 502.
    let response = proxied("/proxy/gmail/v1/users/me/messages?q=is%3Aunread", Some("gmail"), Some("ada@example.com")).send().await.unwrap();
    assert_eq!(response.status(), 502);
    let response = api.http.post(format!("{}/_emulator/proxy-target", api.base)).body(json!({ "url": upstream_url }).to_string()).send().await.unwrap();
    assert_eq!(response.status(), 204);

    let response = proxied("/proxy/gmail/v1/users/me/messages?q=is%3Aunread&n=2", Some("gmail"), Some("ada@example.com")).send().await.unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["x-upstream"], "yes");
    let echo: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["path"], "/gmail/v1/users/me/messages");
    assert_eq!(echo["query"], "q=is%3Aunread&n=2");
    assert_eq!(echo["body"], "payload");
    assert_eq!(echo["headers"]["authorization"], "Bearer at-gmail-ada@example.com");
    assert_eq!(echo["headers"]["x-custom"], "kept");
    assert!(echo["headers"].get("connection_name").is_none() && echo["headers"].get("identifier").is_none());
    assert_ne!(echo["headers"]["host"], api.base.trim_start_matches("http://"));

    // The same under /api/v1, with any method.
    let response = api
        .http
        .delete(format!("{}/api/v1/proxy/things/1", api.base))
        .bearer_auth(&api.token)
        .header("connection_name", "gmail")
        .header("identifier", "ada@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let echo: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!((echo["method"].clone(), echo["path"].clone()), (json!("DELETE"), json!("/things/1")));
    let (_, details) = api.get("/api/v1/connected_accounts/details?connector=gmail&identifier=ada@example.com").await;
    assert!(details["connected_account"]["last_used_at"].is_string());

    // The account's static API key.
    api.post("/api/v1/connected_accounts", json!({ "connector": "notion", "identifier": "ada@example.com",
        "connected_account": { "authorization_details": { "static_auth": { "details": { "api_key": "sk_1" } } } } })).await;
    let response = proxied("/proxy/v1/pages", Some("notion"), Some("ada@example.com")).send().await.unwrap();
    let echo: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(echo["headers"]["authorization"], "Bearer sk_1");

    // Errors: missing headers, no account, account not ACTIVE.
    assert_eq!(proxied("/proxy/x", None, Some("ada@example.com")).send().await.unwrap().status(), 400);
    assert_eq!(proxied("/proxy/x", Some("gmail"), None).send().await.unwrap().status(), 400);
    assert_eq!(proxied("/proxy/x", Some("gmail"), Some("nobody")).send().await.unwrap().status(), 404);
    assert_eq!(proxied("/proxy/x", Some("slack"), Some("ada@example.com")).send().await.unwrap().status(), 400);
    // Without a token, or with a revoked one: 401.
    let response = api.http.get(format!("{}/proxy/x", api.base)).header("connection_name", "gmail").header("identifier", "ada@example.com").send().await.unwrap();
    assert_eq!(response.status(), 401);
    api.state().revoke_tokens();
    assert_eq!(proxied("/proxy/x", Some("gmail"), Some("ada@example.com")).send().await.unwrap().status(), 401);
    assert!(scalekit_emulator::set_proxy_target(api.state(), Some("ftp://x".into())).is_err());
}

#[tokio::test]
async fn custom_providers() {
    let api = Api::start().await;
    let body = json!({ "display_name": "My CRM v2", "description": "Our CRM", "proxy_url": "https://crm.example.com/api", "proxy_enabled": true,
        "metadata": { "region": "eu-west-1" }, "auth_patterns": [{ "type": "OAUTH", "extra": null }] });
    let (status, created) = api.post("/api/v1/custom-providers", body.clone()).await;
    assert_eq!(status, 201, "{created}");
    let provider = &created["provider"];
    assert!(provider["id"].as_str().unwrap().starts_with("prov_"));
    assert_eq!(provider["identifier"], "my-crm-v2");
    assert_eq!((provider["is_custom"].clone(), provider["is_custom_mcp"].clone()), (json!(true), json!(false)));
    assert_eq!(provider["metadata"], json!({ "region": "eu-west-1" }));
    assert_eq!(provider["auth_patterns"], json!([{ "type": "OAUTH", "extra": null }]));
    let (status, _) = api.post("/api/v1/custom-providers", body).await;
    assert_eq!(status, 409);
    let (status, error) = api.post("/api/v1/custom-providers", json!({ "description": "no name" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("display_name".to_owned(), "required".to_owned())]));
    let (status, error) = api.post("/api/v1/custom-providers", json!({ "display_name": "X", "proxy_url": "http://insecure.test" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("proxy_url".to_owned(), "string.prefix".to_owned())]));
    let (status, error) = api.post("/api/v1/custom-providers", json!({ "display_name": "Y", "metadata": { "k": "v" } })).await;
    assert_eq!((status, violations(&error)), (400, vec![("metadata".to_owned(), "map.keys".to_owned())]));

    let (status, updated) = api.put("/api/v1/custom-providers/my-crm-v2", json!({ "description": "Updated", "display_name": "My CRM" })).await;
    assert_eq!(status, 200);
    assert_eq!((updated["provider"]["description"].clone(), updated["provider"]["identifier"].clone()), (json!("Updated"), json!("my-crm-v2")));
    assert_eq!(updated["provider"]["proxy_url"], "https://crm.example.com/api");
    let (status, _) = api.put("/api/v1/custom-providers/nope", json!({ "description": "x" })).await;
    assert_eq!(status, 404);
    let (status, deleted) = api.call("DELETE", "/api/v1/custom-providers/my-crm-v2", None).await;
    assert_eq!((status, deleted), (200, json!({})));
    let (status, _) = api.call("DELETE", "/api/v1/custom-providers/my-crm-v2", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn mcp_configs() {
    let api = Api::start().await;
    let body = json!({ "name": "daily-summarizer", "description": "Summarizes email",
        "connection_tool_mappings": [{ "connection_name": "gmail", "tools": ["gmail_list_emails"] }, { "connection_name": "slack", "tools": [] }] });
    let (status, created) = api.post("/api/v1/mcp/configs", body.clone()).await;
    assert_eq!(status, 201, "{created}");
    let config = created["config"].clone();
    let id = config["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("mcp_"));
    assert_eq!(config["mcp_server_url"], format!("{}/mcp/{id}", api.base));
    assert_eq!(config["connection_tool_mappings"][0]["provider"], "GMAIL");
    assert!(config["connection_tool_mappings"][0]["connection_id"].as_str().unwrap().starts_with("conn_"));
    let (status, _) = api.post("/api/v1/mcp/configs", body).await;
    assert_eq!(status, 409);
    let (status, error) = api.post("/api/v1/mcp/configs", json!({ "name": "Bad Name" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("name".to_owned(), "string.pattern".to_owned())]));
    let (status, error) = api.post("/api/v1/mcp/configs", json!({ "name": "x", "connection_tool_mappings": [{ "tools": [] }] })).await;
    assert_eq!((status, violations(&error)), (400, vec![("connection_tool_mappings[0].connection_name".to_owned(), "required".to_owned())]));
    let (status, error) = api.post("/api/v1/mcp/configs", json!({})).await;
    assert_eq!((status, violations(&error)), (400, vec![("name".to_owned(), "required".to_owned())]));
    for i in 0..3 {
        api.post("/api/v1/mcp/configs", json!({ "name": format!("other-{i}"), "connection_tool_mappings": [{ "connection_name": "notion" }] })).await;
    }

    let (status, got) = api.get(&format!("/api/v1/mcp/configs/{id}")).await;
    assert_eq!((status, got["config"].clone()), (200, config.clone()));
    let (status, _) = api.get("/api/v1/mcp/configs/mcp_nope").await;
    assert_eq!(status, 404);
    let (_, listed) = api.get("/api/v1/mcp/configs?page_size=3").await;
    assert_eq!((listed["total_size"].clone(), listed["configs"].as_array().unwrap().len()), (json!(4), 3));
    assert!(!listed["next_page_token"].as_str().unwrap().is_empty());
    let (_, listed) = api.get("/api/v1/mcp/configs?filter.provider=gmail").await;
    assert_eq!(listed["total_size"], 1);
    let (_, listed) = api.get("/api/v1/mcp/configs?search=SUMMAR").await;
    assert_eq!(listed["total_size"], 1);
    let (_, listed) = api.get("/api/v1/mcp/configs?filter.name=other-1").await;
    assert_eq!(listed["total_size"], 1);
    let (status, _) = api.get("/api/v1/mcp/configs?page_size=31").await;
    assert_eq!(status, 400);

    let (status, updated) = api.put(&format!("/api/v1/mcp/configs/{id}"), json!({ "description": "New" })).await;
    assert_eq!(status, 200);
    assert_eq!(updated["config"]["description"], "New");
    assert_eq!(updated["config"]["connection_tool_mappings"], config["connection_tool_mappings"]);
    let (status, _) = api.put("/api/v1/mcp/configs/mcp_nope", json!({ "description": "New" })).await;
    assert_eq!(status, 404);

    // Connection state of an identifier: gmail ACTIVE, slack none (a link creates it when asked).
    let gmail = api.active_account("gmail", "ada@example.com").await;
    let (status, states) = api.post(&format!("/api/v1/mcp/configs/{id}/connected_accounts"), json!({ "identifier": "ada@example.com" })).await;
    assert_eq!(status, 200, "{states}");
    let states = states["connected_accounts"].as_array().unwrap().clone();
    assert_eq!(states[0]["connected_account_id"], gmail["id"]);
    assert_eq!(states[0]["connected_account_status"], "ACTIVE");
    assert_eq!(states[0]["connection_name"], "gmail");
    assert!(states[1].get("connected_account_id").is_none() && states[1].get("authentication_link").is_none());
    let (_, states) = api.post(&format!("/api/v1/mcp/configs/{id}/connected_accounts"), json!({ "identifier": "ada@example.com", "include_auth_link": true })).await;
    assert!(states["connected_accounts"][0].get("authentication_link").is_none(), "ACTIVE: no link");
    let link = states["connected_accounts"][1]["authentication_link"].as_str().unwrap();
    assert!(link.starts_with(&format!("{}/connect/", api.base)));
    assert_eq!(states["connected_accounts"][1]["connected_account_status"], "PENDING_AUTH");
    assert_eq!(api.http.get(link).send().await.unwrap().status(), 200);
    let (_, states) = api.post(&format!("/api/v1/mcp/configs/{id}/connected_accounts"), json!({ "identifier": "ada@example.com" })).await;
    assert_eq!(states["connected_accounts"][1]["connected_account_status"], "ACTIVE");
    let (status, _) = api.post(&format!("/api/v1/mcp/configs/{id}/connected_accounts"), json!({})).await;
    assert_eq!(status, 400);
    let (status, _) = api.post("/api/v1/mcp/configs/mcp_nope/connected_accounts", json!({ "identifier": "a" })).await;
    assert_eq!(status, 404);

    // Session tokens.
    let (status, token) = api.post(&format!("/api/v1/mcp/configs/{id}/tokens"), json!({ "identifier": "ada@example.com" })).await;
    assert_eq!(status, 200, "{token}");
    let expires_at = time::OffsetDateTime::parse(token["expires_at"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();
    let lifetime = expires_at - time::OffsetDateTime::now_utc();
    assert!(lifetime > time::Duration::minutes(59) && lifetime <= time::Duration::hours(1));
    let session = scalekit_emulator::mcp_session_token(api.state(), token["token"].as_str().unwrap()).unwrap();
    assert_eq!((session["mcp_config_id"].clone(), session["identifier"].clone()), (json!(id), json!("ada@example.com")));
    let (status, short) = api.post(&format!("/api/v1/mcp/configs/{id}/tokens"), json!({ "identifier": "ada@example.com", "expiry": "120s" })).await;
    assert_eq!(status, 200);
    assert_ne!(short["token"], token["token"]);
    let (status, error) = api.post(&format!("/api/v1/mcp/configs/{id}/tokens"), json!({ "identifier": "ada@example.com", "expiry": "10s" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("expiry".to_owned(), "duration.gte_lte".to_owned())]));
    let (status, error) = api.post(&format!("/api/v1/mcp/configs/{id}/tokens"), json!({ "identifier": "ada@example.com", "expiry": "1h" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("expiry".to_owned(), "duration".to_owned())]));
    let (status, error) = api.post(&format!("/api/v1/mcp/configs/{id}/tokens"), json!({})).await;
    assert_eq!((status, violations(&error)), (400, vec![("identifier".to_owned(), "required".to_owned())]));
    let (status, _) = api.post("/api/v1/mcp/configs/mcp_nope/tokens", json!({ "identifier": "a" })).await;
    assert_eq!(status, 404);

    let (status, deleted) = api.call("DELETE", &format!("/api/v1/mcp/configs/{id}"), None).await;
    assert_eq!((status, deleted), (200, json!({})));
    let (status, _) = api.call("DELETE", &format!("/api/v1/mcp/configs/{id}"), None).await;
    assert_eq!(status, 404);
    assert!(scalekit_emulator::mcp_session_token(api.state(), token["token"].as_str().unwrap()).is_none());
}

#[tokio::test]
async fn auth_request_log_follows_the_sign_in_flows() {
    let api = Api::start().await;
    let state = api.state();
    let (organization, _) = scalekit_emulator::seed_organization(state, json!({ "display_name": "Acme" }), vec![json!({ "email": "ada@acme.test" })]).unwrap();
    let organization_id = organization["id"].as_str().unwrap().to_owned();
    let client_id = state.config().client_id;
    let client_secret = state.config().client_secret;

    // Authorization code: INITIATED at /oauth/authorize, SUCCESS once the code is exchanged.
    let redirect_uri = "http://localhost:3000/callback";
    let authorize = format!("{}/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={redirect_uri}&login_hint=ada@acme.test&state=s", api.base);
    let response = api.http.get(authorize).send().await.unwrap();
    assert_eq!(response.status(), 302);
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    let code = location.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let (_, log) = api.get("/api/v1/logs/authentication/requests").await;
    assert_eq!(log["total_size"], 1, "{log}");
    let entry = &log["authRequests"][0];
    assert_eq!((entry["status"].clone(), entry["workflow"].clone()), (json!("INITIATED"), json!("LOGIN")));
    assert_eq!((entry["email"].clone(), entry["organization_id"].clone()), (json!("ada@acme.test"), json!(organization_id)));
    assert_eq!(entry["client_id"], client_id);
    assert!(entry["auth_request_id"].as_str().unwrap().starts_with("ar_"));
    let form = format!("grant_type=authorization_code&code={code}&redirect_uri={redirect_uri}&client_id={client_id}&client_secret={client_secret}");
    let response = api.http.post(format!("{}/oauth/token", api.base)).header("content-type", "application/x-www-form-urlencoded").body(form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let (_, log) = api.get("/api/v1/logs/authentication/requests").await;
    assert_eq!(log["authRequests"][0]["status"], "SUCCESS");

    // Passwordless: PENDING at send, SUCCESS at verify.
    let (status, sent) = api.post("/api/v1/passwordless/email/send", json!({ "email": "bob@acme.test" })).await;
    assert_eq!(status, 200);
    let auth_request_id = sent["auth_request_id"].as_str().unwrap().to_owned();
    let (_, log) = api.get("/api/v1/logs/authentication/requests").await;
    assert_eq!(log["total_size"], 2);
    let newest = &log["authRequests"][0];
    assert_eq!((newest["auth_request_id"].clone(), newest["status"].clone(), newest["workflow"].clone()), (json!(auth_request_id), json!("PENDING"), json!("PASSWORDLESS")));
    let code = state.store.lock().unwrap().passwordless.iter().find(|r| r.email.auth_request_id == auth_request_id).unwrap().email.code.clone();
    let (status, _) = api.post("/api/v1/passwordless/email/verify", json!({ "auth_request_id": auth_request_id, "code": code })).await;
    assert_eq!(status, 200);
    let (_, log) = api.get("/api/v1/logs/authentication/requests?status=success").await;
    assert_eq!(log["total_size"], 2);

    // Filters, a test entry and pages.
    let added = scalekit_emulator::add_auth_log(state, json!({ "email": "old@acme.test", "status": "FAILED", "timestamp": "2020-01-01T00:00:00Z", "workflow": "LOGIN" })).unwrap();
    assert!(added["auth_request_id"].is_string());
    assert!(scalekit_emulator::add_auth_log(state, json!({ "status": "DONE" })).is_err());
    let (_, log) = api.get("/api/v1/logs/authentication/requests?email=BOB@acme.test").await;
    assert_eq!(log["total_size"], 1);
    let (_, log) = api.get("/api/v1/logs/authentication/requests?status=FAILED&status=PENDING").await;
    assert_eq!(log["authRequests"][0]["email"], "old@acme.test");
    let (_, log) = api.get("/api/v1/logs/authentication/requests?end_time=2021-01-01T00:00:00%2B01:00").await;
    assert_eq!(log["total_size"], 1);
    let (_, log) = api.get("/api/v1/logs/authentication/requests?start_time=2021-01-01T00:00:00Z").await;
    assert_eq!(log["total_size"], 2);
    let (_, log) = api.get(&format!("/api/v1/logs/authentication/requests?client_id={client_id}")).await;
    assert_eq!(log["total_size"], 2);
    let (_, page) = api.get("/api/v1/logs/authentication/requests?page_size=2").await;
    assert_eq!(page["authRequests"].as_array().unwrap().len(), 2);
    let (_, last) = api.get(&format!("/api/v1/logs/authentication/requests?page_size=2&page_token={}", page["next_page_token"].as_str().unwrap())).await;
    assert_eq!(last["authRequests"][0]["email"], "old@acme.test", "newest first: the 2020 entry comes last");
    let (status, error) = api.get("/api/v1/logs/authentication/requests?start_time=yesterday").await;
    assert_eq!((status, violations(&error)), (400, vec![("start_time".to_owned(), "timestamp".to_owned())]));
    let (status, error) = api.get("/api/v1/logs/authentication/requests?status=DONE").await;
    assert_eq!((status, violations(&error)), (400, vec![("status".to_owned(), "enum.defined_only".to_owned())]));
}

/// A login request the emulator issues: an authorization through a bring-your-own-auth connection sends the
/// browser to its login page with the request's id.
async fn issue_login_request(api: &Api, connection_id: &str) -> String {
    let client_id = api.state().config().client_id;
    let url = format!("{}/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri=http://localhost:3000/callback&scope=openid&connection_id={connection_id}", api.base);
    let response = api.http.get(url).send().await.unwrap();
    assert_eq!(response.status(), 302);
    let location = reqwest::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(location.host_str(), Some("login.example.com"));
    location.query_pairs().find(|(k, _)| k == "login_request_id").map(|(_, v)| v.into_owned()).expect("a login_request_id")
}

#[tokio::test]
async fn login_user_details_for_a_login_request() {
    let api = Api::start().await;
    let connection_id = scalekit_emulator::add_custom_auth_connection(api.state(), "https://login.example.com/login", false).unwrap();
    let login_request = issue_login_request(&api, &connection_id).await;
    let path = format!("/api/v1/connections/{connection_id}/auth-requests/{login_request}/user");
    let user = json!({ "sub": "u-1", "email": "ada@acme.test", "email_verified": true, "given_name": "Ada", "groups": ["eng"],
        "custom_attributes": { "team": "core", "manager": null }, "roles": ["admin"], "organization_external_id": "ext-1" });
    let (status, answer) = api.post(&path, user.clone()).await;
    assert_eq!((status, answer), (200, json!({ "auth_request_id": login_request })));
    assert_eq!(scalekit_emulator::login_user_details(api.state(), &login_request), Some(user));
    let (status, error) = api.post(&path, json!({ "given_name": "Ada" })).await;
    assert_eq!((status, violations(&error)), (400, vec![("email".to_owned(), "required".to_owned())]));
    let (status, _) = api.post(&path, json!({ "email": "ada@acme.test", "favourite_colour": "blue" })).await;
    assert_eq!(status, 400);
    let (status, _) = api.post(&format!("/api/v1/connections/conn_nope/auth-requests/{login_request}/user"), json!({ "email": "ada@acme.test" })).await;
    assert_eq!(status, 404);
    // Only a login request the emulator issued, for that connection: as Scalekit answers.
    let (status, _) = api.post(&format!("/api/v1/connections/{connection_id}/auth-requests/lr_123/user"), json!({ "email": "ada@acme.test" })).await;
    assert_eq!(status, 404);
    let failed = issue_login_request(&api, &connection_id).await;
    let (status, _) = api.post(&format!("/api/v1/connections/{connection_id}/auth-requests/{failed}/user"), json!({ "login_failed": true })).await;
    assert_eq!(status, 200);
    assert_eq!(scalekit_emulator::login_user_details(api.state(), &failed), Some(json!({ "login_failed": true })));
}
