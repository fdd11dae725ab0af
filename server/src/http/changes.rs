use super::error::ApiResult;
use super::extract::{Json, Query};
use super::{ApiState, Auth};
use crate::live::subscription::{Message, Subscription};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use futures::Stream;
use mosaic::services::history;
use mosaic::store::changes::Cursor;
use mosaic::store::DomainError;
use mosaic::views::ChangeView;
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;

/// An idle stream is sent a comment this often, so proxies and browsers keep it open.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How long a browser's own reconnect waits after the stream drops (Mosaic's client backs off further).
const RECONNECT: Duration = Duration::from_secs(1);

pub fn router() -> Router<ApiState> {
    Router::new().route("/changes", get(list)).route("/changes/stream", get(stream))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The `cursor` of the last change already read; from the beginning if left out.
    after: Option<String>,
    /// At most this many (1–1000, default 100).
    limit: Option<i64>,
}

/// The change log after a cursor, in commit-safe order: no change is ever skipped by following it.
#[utoipa::path(get, path = "/api/v1/changes", tag = "changes", params(ChangesQuery),
    responses((status = 200, body = [ChangeView]), (status = 422, body = super::error::ErrorBody)))]
pub async fn list(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(q): Query<ChangesQuery>,
) -> ApiResult<Json<Vec<ChangeView>>> {
    let after = match q.after.as_deref() {
        Some(cursor) => Cursor::parse(cursor)?,
        None => Cursor::default(),
    };
    Ok(Json(history::changes_after(&s.pool, &caller, after, q.limit.unwrap_or(100)).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Start after this cursor (a page passes the cursor its data was read at). A reconnecting browser's
    /// `Last-Event-ID` header takes precedence. Left out: from now on.
    after: Option<String>,
}

/// The change log live, as Server-Sent Events: every change after the cursor that the caller may see,
/// once each and in log order (`event: change`, the change as JSON, `id:` its cursor); `event: ready`
/// once caught up; `event: reload` when the caller is too far behind to replay (read the view afresh,
/// the stream goes on); `event: delayed` while committed changes wait behind a long transaction that
/// writes to the log, and `event: live` once they flow again. A comment every 15 s keeps an idle stream open. Managers, schedulers and admins
/// see every change; a worker sees the changes to their own published shifts.
#[utoipa::path(get, path = "/api/v1/changes/stream", tag = "changes", params(StreamQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "the id of the last event received")),
    responses((status = 200, content_type = "text/event-stream", body = String),
        (status = 401, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn stream(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    Query(q): Query<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    history::may_follow(&caller)?;
    let resumed = match headers.get("last-event-id") {
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| Cursor::parse(v).ok())
                .ok_or_else(|| DomainError::invalid("Last-Event-ID", "must be the id of an event this stream sent"))?,
        ),
        None => None,
    };
    let after = match (resumed, q.after.as_deref()) {
        (Some(cursor), _) => cursor,
        (None, Some(after)) => Cursor::parse(after)?,
        (None, None) => history::now(&s.pool, &caller).await?,
    };
    let subscription = Subscription::start(&s.feed, caller, after);
    let events = futures::stream::unfold(Some(subscription), |subscription| async move {
        let mut subscription = subscription?;
        match subscription.next().await {
            Ok(message) => Some((Ok(event(message)), Some(subscription))),
            Err(e) => {
                tracing::warn!("change stream ended: {e}");
                None
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat")))
}

fn event(message: Message) -> Event {
    match message {
        Message::Ready { cursor } => {
            Event::default().event("ready").id(cursor.to_string()).retry(RECONNECT).data(cursor.to_string())
        }
        Message::Change(change) => Event::default().event("change").id(change.cursor.to_string()).data(change.json()),
        Message::Reload { cursor } => Event::default().event("reload").id(cursor.to_string()).data(cursor.to_string()),
        Message::Delayed => Event::default().event("delayed").data("changes are waiting behind a long transaction"),
        Message::Live => Event::default().event("live").data("changes flow again"),
    }
}
