use scalekit_core::models::*;

/// `client.events`: the environment's event log.
#[scalekit_derive::sub_client(core = scalekit_core::EventsClient)]
impl EventsClient {
    /// `POST /api/v1/events/paginated`: a page of events matching `filter` (each event's `data` keeps its keys as sent).
    fn list_events_paginated(page_size: Option<f64>, page_token: Option<String>, filter: Option<EventFilter>) -> ListEventsResponse;
}
