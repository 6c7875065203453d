//! `client.connectedAccounts`: end users' credentials at third-party providers.

use reqwest::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::http::{Api, ApiRequest, RequestOptions};
use crate::models::{
    AuthorizationDetailsInput, ConnectedAccountParams, ConnectedAccountResponse, Empty, ListConnectedAccountsOptions, ListConnectedAccountsResponse,
    MagicLinkResponse, OAuthTokenInput, SearchConnectedAccountsOptions, VerifyConnectedAccountUserParams, VerifyConnectedAccountUserResponse,
};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct ConnectedAccountsClient {
    api: Api,
}

fn text(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Which connected account: its id, or its connector and identifier (and org/user scope).
/// `connector_field` names the connector in errors (`params.connector` or `params.connectionName`).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct AccountKey<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<&'a str>,
}

impl<'a> AccountKey<'a> {
    pub(crate) fn new(
        connector_field: &str,
        connector: Option<&'a str>,
        identifier: Option<&'a str>,
        id: Option<&'a str>,
        organization_id: Option<&'a str>,
        user_id: Option<&'a str>,
    ) -> Result<Self> {
        let key = AccountKey { connector: text(connector), identifier: text(identifier), id: text(id), organization_id: text(organization_id), user_id: text(user_id) };
        if key.id.is_none() && (key.connector.is_none() || key.identifier.is_none()) {
            return Err(Error::invalid(
                if key.connector.is_none() { connector_field } else { "params.identifier" },
                format!("params needs connectedAccountId, or {} and identifier", connector_field.trim_start_matches("params.")),
            ));
        }
        Ok(key)
    }

    /// The same account named for a create: connector and identifier both required.
    pub(crate) fn for_create(connector_field: &str, connector: Option<&'a str>, identifier: Option<&'a str>, organization_id: Option<&'a str>, user_id: Option<&'a str>) -> Result<Self> {
        let connector = text(connector).ok_or_else(|| Error::invalid(connector_field, format!("{connector_field} is required")))?;
        let identifier = text(identifier).ok_or_else(|| Error::invalid("params.identifier", "params.identifier is required"))?;
        Ok(AccountKey { connector: Some(connector), identifier: Some(identifier), id: None, organization_id: text(organization_id), user_id: text(user_id) })
    }

    fn query(&self) -> [(&'static str, Option<String>); 5] {
        let own = |v: Option<&str>| v.map(str::to_owned);
        [
            ("organization_id", own(self.organization_id)),
            ("user_id", own(self.user_id)),
            ("connector", own(self.connector)),
            ("identifier", own(self.identifier)),
            ("id", own(self.id)),
        ]
    }
}

/// `connected_account`: `{ authorization_details?, api_config? }`.
#[derive(Debug, Serialize)]
pub(crate) struct WireAccount<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_details: Option<&'a AuthorizationDetailsInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_config: Option<&'a Map<String, Value>>,
}

/// The credentials as sent: the official SDK's protobuf form (`{ details: { case, value } }`) read
/// into its member, and at most one member set (a oneof on the wire).
fn check_details(field: &str, details: Option<&AuthorizationDetailsInput>) -> Result<Option<AuthorizationDetailsInput>> {
    let Some(details) = details else { return Ok(None) };
    let mut details = details.clone();
    if let Some(case) = details.details.take().filter(|c| c.case.is_some()) {
        let name = case.case.as_deref().unwrap_or_default();
        let value = Value::Object(case.value.unwrap_or_default());
        // serde's message would quote the value, which may be a credential.
        let invalid = |_| Error::invalid(field, format!("{field}.details.value is not a valid {name}"));
        match name {
            "oauthToken" => details.oauth_token = Some(serde_json::from_value(value).map_err(invalid)?),
            "staticAuth" => details.static_auth = Some(serde_json::from_value(value).map_err(invalid)?),
            "googleDwd" => details.google_dwd = Some(serde_json::from_value(value).map_err(invalid)?),
            "trustedIdp" => details.trusted_idp = Some(serde_json::from_value(value).map_err(invalid)?),
            _ => return Err(Error::invalid(field, format!("{field}.details.case must be one of oauthToken, staticAuth, googleDwd and trustedIdp"))),
        }
    }
    let set = [details.oauth_token.is_some(), details.static_auth.is_some(), details.google_dwd.is_some(), details.trusted_idp.is_some()].iter().filter(|s| **s).count();
    if set > 1 {
        return Err(Error::invalid(field, format!("{field} takes one of oauthToken, staticAuth, googleDwd and trustedIdp")));
    }
    Ok(Some(details))
}

#[derive(Serialize)]
struct WithAccount<'a> {
    #[serde(flatten)]
    key: &'a AccountKey<'a>,
    connected_account: WireAccount<'a>,
}

/// The filters of `GET /api/v1/connected_accounts`; `connector` from either name.
pub(crate) fn list_request(options: ListConnectedAccountsOptions) -> Result<ApiRequest> {
    let page_size = validate::page_size("options.pageSize", options.page_size)?;
    let own = |v: Option<String>| v.filter(|v| !v.trim().is_empty()).map(|v| v.trim().to_owned());
    let connector = own(options.connector).or(own(options.connection_name));
    let mut request = ApiRequest::new(Method::GET, "/api/v1/connected_accounts".into()).query([
        ("organization_id", own(options.organization_id)),
        ("user_id", own(options.user_id)),
        ("connector", connector),
        ("identifier", own(options.identifier)),
        ("provider", own(options.provider)),
        ("page_size", page_size.map(|n| n.to_string())),
        ("page_token", options.page_token.filter(|t| !t.is_empty())),
        ("query", own(options.query)),
    ]);
    for name in options.connection_names.unwrap_or_default() {
        request = request.query([("connection_names", Some(name))]);
    }
    Ok(request)
}

impl ConnectedAccountsClient {
    pub(crate) fn new(api: Api) -> Self {
        ConnectedAccountsClient { api }
    }

    /// `GET /api/v1/connected_accounts`: a page of accounts (no credentials).
    pub async fn list_connected_accounts<R: FromWire<ListConnectedAccountsResponse>>(
        &self,
        options: Option<ListConnectedAccountsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        self.api.send::<ListConnectedAccountsResponse, R>(list_request(options.unwrap_or_default())?, request_options).await
    }

    /// `GET /api/v1/connected_accounts:search`: accounts whose identifier or connector match `query`.
    pub async fn search_connected_accounts<R: FromWire<ListConnectedAccountsResponse>>(
        &self,
        query: String,
        options: Option<SearchConnectedAccountsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let query = validate::required_text("query", &query)?;
        let options = options.unwrap_or_default();
        let page_size = validate::page_size("options.pageSize", options.page_size)?;
        let request = ApiRequest::new(Method::GET, "/api/v1/connected_accounts:search".into()).query([
            ("query", Some(query.to_owned())),
            ("page_size", page_size.map(|n| n.to_string())),
            ("page_token", options.page_token.filter(|t| !t.is_empty())),
            ("connection_id", options.connection_id.filter(|c| !c.trim().is_empty())),
        ]);
        self.api.send::<ListConnectedAccountsResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/connected_accounts`.
    pub async fn create_connected_account<R: FromWire<ConnectedAccountResponse>>(&self, params: ConnectedAccountParams, request_options: &RequestOptions) -> Result<R> {
        let key = AccountKey::for_create("params.connector", params.connector.as_deref(), params.identifier.as_deref(), params.organization_id.as_deref(), params.user_id.as_deref())?;
        let account = params.connected_account.as_ref();
        let details = account.and_then(|a| a.authorization_details.as_ref());
        self.create(&key, details, account.and_then(|a| a.api_config.as_ref()), "params.connectedAccount.authorizationDetails", request_options).await
    }

    pub(crate) async fn create<R: FromWire<ConnectedAccountResponse>>(
        &self,
        key: &AccountKey<'_>,
        details: Option<&AuthorizationDetailsInput>,
        api_config: Option<&Map<String, Value>>,
        details_field: &str,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let details = check_details(details_field, details)?.ok_or_else(|| Error::invalid(details_field, format!("{details_field} is required")))?;
        let body = WithAccount { key, connected_account: WireAccount { authorization_details: Some(&details), api_config } };
        let request = ApiRequest::new(Method::POST, "/api/v1/connected_accounts".into()).json(&body)?;
        self.api.send::<ConnectedAccountResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/connected_accounts/auth`: the account, with its credentials.
    pub async fn get_connected_account_by_identifier<R: FromWire<ConnectedAccountResponse>>(
        &self,
        params: ConnectedAccountParams,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let key = self.key(&params)?;
        self.get(&key, "/api/v1/connected_accounts/auth", request_options).await
    }

    /// `GET /api/v1/connected_accounts/details`: the account without its credentials (not in the official SDK).
    pub async fn get_connected_account_details<R: FromWire<ConnectedAccountResponse>>(
        &self,
        params: ConnectedAccountParams,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let key = self.key(&params)?;
        self.get(&key, "/api/v1/connected_accounts/details", request_options).await
    }

    pub(crate) async fn get<R: FromWire<ConnectedAccountResponse>>(&self, key: &AccountKey<'_>, path: &str, request_options: &RequestOptions) -> Result<R> {
        let request = ApiRequest::new(Method::GET, path.to_owned()).query(key.query());
        self.api.send::<ConnectedAccountResponse, R>(request, request_options).await
    }

    /// `PUT /api/v1/connected_accounts`: replaces the credentials or settings given.
    pub async fn update_connected_account<R: FromWire<ConnectedAccountResponse>>(&self, params: ConnectedAccountParams, request_options: &RequestOptions) -> Result<R> {
        let key = self.key(&params)?;
        let account = params.connected_account.as_ref();
        self.update(&key, account.and_then(|a| a.authorization_details.as_ref()), account.and_then(|a| a.api_config.as_ref()), "params.connectedAccount.authorizationDetails", request_options)
            .await
    }

    pub(crate) async fn update<R: FromWire<ConnectedAccountResponse>>(
        &self,
        key: &AccountKey<'_>,
        details: Option<&AuthorizationDetailsInput>,
        api_config: Option<&Map<String, Value>>,
        details_field: &str,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let details = check_details(details_field, details)?;
        let body = WithAccount { key, connected_account: WireAccount { authorization_details: details.as_ref(), api_config } };
        let request = ApiRequest::new(Method::PUT, "/api/v1/connected_accounts".into()).json(&body)?;
        self.api.send::<ConnectedAccountResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/connected_accounts:delete`.
    pub async fn delete_connected_account<R: FromWire<Empty>>(&self, params: ConnectedAccountParams, request_options: &RequestOptions) -> Result<R> {
        let key = self.key(&params)?;
        self.delete(&key, request_options).await
    }

    pub(crate) async fn delete<R: FromWire<Empty>>(&self, key: &AccountKey<'_>, request_options: &RequestOptions) -> Result<R> {
        let request = ApiRequest::new(Method::POST, "/api/v1/connected_accounts:delete".into()).json(key)?;
        self.api.send::<Empty, R>(request, request_options).await
    }

    /// `POST /api/v1/connected_accounts/magic_link`: a link for the end user to authorize the account.
    pub async fn get_magic_link_for_connected_account<R: FromWire<MagicLinkResponse>>(
        &self,
        params: ConnectedAccountParams,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let key = self.key(&params)?;
        self.magic_link(&key, params.state.as_deref(), params.user_verify_url.as_deref(), request_options).await
    }

    pub(crate) async fn magic_link<R: FromWire<MagicLinkResponse>>(
        &self,
        key: &AccountKey<'_>,
        state: Option<&str>,
        user_verify_url: Option<&str>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(flatten)]
            key: &'a AccountKey<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            state: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            user_verify_url: Option<&'a str>,
        }
        let body = Body { key, state: state.filter(|s| !s.is_empty()), user_verify_url: text(user_verify_url) };
        let request = ApiRequest::new(Method::POST, "/api/v1/connected_accounts/magic_link".into()).json(&body)?;
        self.api.send::<MagicLinkResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/connected_accounts/user/verify`: your page verified the user; finishes the authorization.
    pub async fn verify_connected_account_user<R: FromWire<VerifyConnectedAccountUserResponse>>(
        &self,
        params: VerifyConnectedAccountUserParams,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(Serialize)]
        struct Body<'a> {
            auth_request_id: &'a str,
            identifier: &'a str,
        }
        let auth_request_id = validate::required_id("params.authRequestId", &params.auth_request_id)?;
        let identifier = validate::required_id("params.identifier", &params.identifier)?;
        let request = ApiRequest::new(Method::POST, "/api/v1/connected_accounts/user/verify".into()).json(&Body { auth_request_id, identifier })?;
        self.api.send::<VerifyConnectedAccountUserResponse, R>(request, request_options).await
    }

    /// The account by connector and identifier, created when it does not exist (with `authorizationDetails`,
    /// default an empty `oauthToken`), or updated when details are given. Three calls at most, not atomic:
    /// a create that loses a race (409) reads the winner's account instead.
    pub async fn get_or_create_connected_account<R: FromWire<ConnectedAccountResponse>>(
        &self,
        params: ConnectedAccountParams,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let key = AccountKey::for_create("params.connector", params.connector.as_deref(), params.identifier.as_deref(), params.organization_id.as_deref(), params.user_id.as_deref())?;
        self.get_or_create(&key, params.authorization_details.as_ref(), params.api_config.as_ref(), "params.authorizationDetails", request_options).await
    }

    pub(crate) async fn get_or_create<R: FromWire<ConnectedAccountResponse>>(
        &self,
        key: &AccountKey<'_>,
        details: Option<&AuthorizationDetailsInput>,
        api_config: Option<&Map<String, Value>>,
        details_field: &str,
        request_options: &RequestOptions,
    ) -> Result<R> {
        check_details(details_field, details)?;
        let found = self.get::<ConnectedAccountResponse>(key, "/api/v1/connected_accounts/auth", request_options).await;
        match found {
            Ok(found) if details.is_none() => Ok(R::from_model(found)),
            Ok(_) => self.update(key, details, api_config, details_field, request_options).await,
            Err(Error::Server(e)) if e.http_status == 404 => {
                let empty = AuthorizationDetailsInput { oauth_token: Some(OAuthTokenInput::default()), ..Default::default() };
                match self.create(key, Some(details.unwrap_or(&empty)), api_config, details_field, request_options).await {
                    Err(Error::Server(e)) if e.http_status == 409 => self.get(key, "/api/v1/connected_accounts/auth", request_options).await,
                    result => result,
                }
            }
            Err(error) => Err(error),
        }
    }

    fn key<'a>(&self, params: &'a ConnectedAccountParams) -> Result<AccountKey<'a>> {
        AccountKey::new(
            "params.connector",
            params.connector.as_deref(),
            params.identifier.as_deref(),
            params.connected_account_id.as_deref(),
            params.organization_id.as_deref(),
            params.user_id.as_deref(),
        )
    }
}
