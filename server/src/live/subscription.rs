//! One browser's stream of changes: first what it missed since its cursor, read from the database, then
//! what the instance's follower reads as it happens — each change once, in log order, and only what its
//! user may see.

use super::Feed;
use mosaic::services::{history, Caller};
use mosaic::store::changes::{Cursor, FeedChange};
use mosaic::store::DomainResult;
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;

/// A browser further behind than this many changes is told to reload its view instead: reading the
/// view afresh is quicker than replaying the log into it.
pub const MAX_REPLAY: usize = 1000;

/// What a subscriber is sent.
#[derive(Debug)]
pub enum Message {
    /// Caught up: everything before `cursor` has been sent; what follows is live.
    Ready { cursor: Cursor },
    /// Shared with every other subscriber it is sent to.
    Change(Arc<FeedChange>),
    /// Too far behind to replay: read the view afresh; the stream goes on after `cursor`.
    Reload { cursor: Cursor },
    /// Committed changes are waiting behind a long transaction that writes to the log: the screen is
    /// not up to date until [`Message::Live`].
    Delayed,
    /// Changes flow again after [`Message::Delayed`].
    Live,
}

pub struct Subscription {
    feed: Feed,
    caller: Caller,
    live: broadcast::Receiver<Arc<FeedChange>>,
    delayed: watch::Receiver<bool>,
    /// What this subscriber was last told about delay.
    told_delayed: bool,
    /// The last change taken from the log, sent or not.
    last: Cursor,
    pending: VecDeque<Arc<FeedChange>>,
    behind: bool,
    ready_sent: bool,
}

impl Subscription {
    /// Starts following after `after`. The follower is subscribed to before the database is read, so
    /// nothing committed in between falls through: what the read missed the follower has yet to send.
    pub fn start(feed: &Feed, caller: Caller, after: Cursor) -> Subscription {
        let live = feed.subscribe();
        Subscription {
            feed: feed.clone(),
            caller,
            live,
            delayed: feed.delayed(),
            told_delayed: false,
            last: after,
            pending: VecDeque::new(),
            behind: true,
            ready_sent: false,
        }
    }

    /// The next message; an error ends the stream (the database is unreachable), and the browser
    /// reconnects with its last cursor.
    pub async fn next(&mut self) -> DomainResult<Message> {
        loop {
            if let Some(change) = self.pending.pop_front() {
                return Ok(Message::Change(change));
            }
            if self.behind {
                if let Some(reload) = self.catch_up().await? {
                    return Ok(reload);
                }
                continue;
            }
            if !self.ready_sent {
                self.ready_sent = true;
                return Ok(Message::Ready { cursor: self.last });
            }
            let delayed = *self.delayed.borrow_and_update();
            if delayed != self.told_delayed {
                self.told_delayed = delayed;
                return Ok(if delayed { Message::Delayed } else { Message::Live });
            }
            let received = tokio::select! {
                received = self.live.recv() => received,
                // The follower is gone only when the server stops; the broadcast says so next.
                _ = self.delayed.changed() => continue,
            };
            match received {
                Ok(change) => {
                    if change.org != self.caller.org || change.cursor <= self.last {
                        continue;
                    }
                    self.last = change.cursor;
                    if self.caller.access.may_see_change(&change.change) {
                        return Ok(Message::Change(change));
                    }
                }
                // This subscriber was too slow for the follower's buffer: read what it dropped from the log.
                Err(RecvError::Lagged(_)) => self.behind = true,
                // The feed lives as long as this subscription holds it; closed means the server is stopping.
                Err(RecvError::Closed) => return Err(mosaic::store::DomainError::Database(sqlx::Error::PoolClosed)),
            }
        }
    }

    /// Reads what this subscriber has not had from the database; `Some(reload)` when that is too much.
    async fn catch_up(&mut self) -> DomainResult<Option<Message>> {
        let pool = self.feed.pool();
        let step = history::catch_up(pool, &self.caller, self.last, MAX_REPLAY as i64 + 1).await?;
        if step.read > MAX_REPLAY {
            self.last = history::now(pool, &self.caller).await?;
            self.behind = false;
            return Ok(Some(Message::Reload { cursor: self.last }));
        }
        if let Some(last) = step.last {
            self.last = last;
        }
        self.pending.extend(step.visible.into_iter().map(Arc::new));
        self.behind = false;
        Ok(None)
    }
}
