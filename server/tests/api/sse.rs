//! A Server-Sent Events reader for tests: opens `/api/v1/changes/stream` through the router (or over a
//! real TCP connection) and reads its events one at a time.

use crate::client::Api;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

impl SseEvent {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data).unwrap_or_else(|e| panic!("{e}: {}", self.data))
    }
}

pub struct EventReader<B> {
    body: B,
    buffer: String,
}

impl<B> EventReader<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: std::fmt::Debug,
{
    pub fn new(body: B) -> Self {
        EventReader { body, buffer: String::new() }
    }

    /// The next event (comments, such as heartbeats, are skipped), or `None` when the stream ended or
    /// nothing came within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(event) = parse(&block) {
                    return Some(event);
                }
                continue;
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame()).await.ok()??.ok()?;
            if let Ok(data) = frame.into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }

    /// The next event; fails the test if none comes within 20 s.
    pub async fn next(&mut self) -> SseEvent {
        self.next_within(Duration::from_secs(20)).await.expect("an event within 20 s")
    }

    /// The next event of this kind, skipping any other (the `ready` mark, say).
    pub async fn next_of(&mut self, kind: &str) -> SseEvent {
        loop {
            let event = self.next().await;
            if event.event == kind {
                return event;
            }
        }
    }
}

impl<B> EventReader<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: std::fmt::Debug,
{
    /// The next change of this kind. A stream opened "from now" starts from the last change every reader
    /// can see, which a transaction still running elsewhere in the cluster can hold back behind a test's
    /// own setup; those earlier changes are passed over.
    pub async fn next_change(&mut self, kind: &str) -> SseEvent {
        loop {
            let event = self.next_of("change").await;
            if event.json()["kind"] == kind {
                return event;
            }
        }
    }
}

fn parse(block: &str) -> Option<SseEvent> {
    let mut event = SseEvent { event: "message".into(), id: None, data: String::new() };
    let mut any = false;
    for line in block.lines() {
        let (field, value) = line.split_once(':').map(|(f, v)| (f, v.strip_prefix(' ').unwrap_or(v))).unwrap_or((line, ""));
        match field {
            "" => continue,
            "event" => event.event = value.into(),
            "id" => event.id = Some(value.into()),
            "data" => {
                if any && !event.data.is_empty() {
                    event.data.push('\n');
                }
                event.data.push_str(value);
            }
            _ => {}
        }
        any = true;
    }
    any.then_some(event)
}

/// Opens the change stream as `api`'s user, through the router; `last_event_id` as a reconnecting browser.
pub async fn open(api: &Api, query: &str, last_event_id: Option<&str>) -> (StatusCode, EventReader<Body>) {
    let mut request = Request::get(format!("/api/v1/changes/stream{query}")).header(header::ACCEPT, "text/event-stream");
    if let Some(token) = &api.token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = api.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    (response.status(), EventReader::new(response.into_body()))
}

/// Opens the stream and waits until it has caught up.
pub async fn open_ready(api: &Api, query: &str, last_event_id: Option<&str>) -> EventReader<Body> {
    let (status, mut events) = open(api, query, last_event_id).await;
    assert_eq!(status, StatusCode::OK);
    events.next_of("ready").await;
    events
}
