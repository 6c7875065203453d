//! `client.events`: the environment's event log.

use reqwest::Method;
use serde::Serialize;

use crate::error::Result;
use crate::http::{Api, ApiRequest, RequestOptions};
use crate::models::{enum_names, EventFilter, ListEventsResponse};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct EventsClient {
    api: Api,
}

impl EventsClient {
    pub(crate) fn new(api: Api) -> Self {
        EventsClient { api }
    }

    /// `POST /api/v1/events/paginated`: a page of events; the body is the filter. The official order:
    /// page size, page token, filter.
    pub async fn list_events_paginated<R: FromWire<ListEventsResponse>>(
        &self,
        page_size: Option<f64>,
        page_token: Option<String>,
        filter: Option<EventFilter>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            event_types: &'a [String],
            #[serde(skip_serializing_if = "Option::is_none")]
            start_time: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            end_time: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            organization_id: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            source: Option<&'static str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            auth_request_id: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            interceptor_id: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            interceptor_status: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            interceptor_decision: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            connection_id: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            connected_account_id: Option<&'a str>,
        }
        let page_size = validate::page_size("pageSize", page_size)?;
        let f = filter.unwrap_or_default();
        fn opt(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|v| !v.is_empty())
        }
        let body = Body {
            event_types: f.event_types.as_deref().unwrap_or_default(),
            start_time: f.start_time.as_ref().map(|t| t.rfc3339("filter.startTime")).transpose()?,
            end_time: f.end_time.as_ref().map(|t| t.rfc3339("filter.endTime")).transpose()?,
            organization_id: opt(&f.organization_id),
            source: f.source.as_ref().map(|s| s.resolve("filter.source", enum_names::SOURCE)).transpose()?,
            auth_request_id: opt(&f.auth_request_id),
            interceptor_id: opt(&f.interceptor_id),
            interceptor_status: opt(&f.interceptor_status),
            interceptor_decision: opt(&f.interceptor_decision),
            connection_id: opt(&f.connection_id),
            connected_account_id: opt(&f.connected_account_id),
        };
        let request = ApiRequest::new(Method::POST, "/api/v1/events/paginated".into())
            .query([("page_size", page_size.map(|n| n.to_string())), ("page_token", page_token.filter(|t| !t.is_empty()))])
            .json(&body)?;
        self.api.send::<ListEventsResponse, R>(request, request_options).await
    }
}
