//! `client.session`.

use reqwest::Method;

use crate::error::Result;
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{RevokeAllUserSessionsResponse, RevokeSessionResponse, SessionDetails, UserSessionDetails, UserSessionsOptions};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct SessionClient {
    api: Api,
}

impl SessionClient {
    pub(crate) fn new(api: Api) -> Self {
        SessionClient { api }
    }

    /// `GET /api/v1/sessions/{session_id}`.
    pub async fn get_session<R: FromWire<SessionDetails>>(&self, session_id: String, request_options: &RequestOptions) -> Result<R> {
        let id = validate::required_id("sessionId", &session_id)?;
        self.api.send::<SessionDetails, R>(ApiRequest::new(Method::GET, format!("/api/v1/sessions/{}", segment(id))), request_options).await
    }

    /// `GET /api/v1/users/{user_id}/sessions`, with the filter as dotted query parameters.
    pub async fn get_user_sessions<R: FromWire<UserSessionDetails>>(
        &self,
        user_id: String,
        options: Option<UserSessionsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("userId", &user_id)?;
        let options = options.unwrap_or_default();
        let page_size = validate::page_size("options.pageSize", options.page_size)?;
        let filter = options.filter.unwrap_or_default();
        let start = filter.start_time.map(|t| t.rfc3339("options.filter.startTime")).transpose()?;
        let end = filter.end_time.map(|t| t.rfc3339("options.filter.endTime")).transpose()?;
        let request = ApiRequest::new(Method::GET, format!("/api/v1/users/{}/sessions", segment(id)))
            .query([("page_size", page_size.map(|n| n.to_string())), ("page_token", options.page_token.filter(|t| !t.is_empty()))])
            .query(filter.status.into_iter().flatten().map(|s| ("filter.status", Some(s))))
            .query([("filter.start_time", start), ("filter.end_time", end)]);
        self.api.send::<UserSessionDetails, R>(request, request_options).await
    }

    /// `POST /api/v1/sessions/{session_id}/revoke`.
    pub async fn revoke_session<R: FromWire<RevokeSessionResponse>>(&self, session_id: String, request_options: &RequestOptions) -> Result<R> {
        let id = validate::required_id("sessionId", &session_id)?;
        self.api.send::<RevokeSessionResponse, R>(ApiRequest::new(Method::POST, format!("/api/v1/sessions/{}/revoke", segment(id))), request_options).await
    }

    /// `POST /api/v1/users/{user_id}/sessions/revoke`.
    pub async fn revoke_all_user_sessions<R: FromWire<RevokeAllUserSessionsResponse>>(&self, user_id: String, request_options: &RequestOptions) -> Result<R> {
        let id = validate::required_id("userId", &user_id)?;
        let request = ApiRequest::new(Method::POST, format!("/api/v1/users/{}/sessions/revoke", segment(id)));
        self.api.send::<RevokeAllUserSessionsResponse, R>(request, request_options).await
    }
}
