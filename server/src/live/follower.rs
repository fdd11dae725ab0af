//! One reader of the change log per server instance.
//!
//! It reads in commit-safe order (`store::changes::read_feed_after`: by transaction id and position,
//! only below the oldest running transaction that may still append to the log), is woken by the `NOTIFY` every command sends after its
//! commit, and polls as well, so a lost notification, a dropped listener connection or a transaction
//! held back by an older one still running costs at most one poll interval. It never waits for
//! transactions that cannot write this log (in other databases, or undeclared in this one); while committed changes wait behind a
//! transaction for longer than [`DELAYED_AFTER`], it says the feed is delayed, and live again once they
//! flow. It starts with the first browser that connects, and stops when the pool closes.

use mosaic::store::changes::{self, Cursor, FeedChange};
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::sync::{Arc, Once};
use std::time::Duration;
use std::time::Instant;
use tokio::sync::{broadcast, watch};

/// How often the follower reads the log without being woken.
const POLL: Duration = Duration::from_millis(500);
/// Changes read per statement while catching up.
const PAGE: i64 = 500;
/// Changes held for subscribers that have not taken them yet; one that falls further behind catches up
/// from the database instead.
const BUFFER: usize = 4096;
/// Committed changes held back this long make the feed "delayed"; ordinary concurrent writers hold one
/// another back for milliseconds.
pub const DELAYED_AFTER: Duration = Duration::from_secs(1);
/// The longest wait between attempts while the database is unreachable.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The instance's follower of the log; cheap to clone, started on first use.
#[derive(Clone, Debug)]
pub struct Feed {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pool: PgPool,
    sender: broadcast::Sender<Arc<FeedChange>>,
    /// True while committed changes wait behind a writer still running.
    delayed: watch::Sender<bool>,
    started: Once,
}

impl Feed {
    pub fn new(pool: PgPool) -> Feed {
        let (sender, _) = broadcast::channel(BUFFER);
        let (delayed, _) = watch::channel(false);
        Feed { inner: Arc::new(Inner { pool, sender, delayed, started: Once::new() }) }
    }

    pub fn pool(&self) -> &PgPool {
        &self.inner.pool
    }

    /// Every change the follower reads from now on, in log order.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<FeedChange>> {
        let receiver = self.inner.sender.subscribe();
        self.inner.started.call_once(|| {
            tokio::spawn(follow(self.inner.pool.clone(), self.inner.sender.clone(), self.inner.delayed.clone()));
        });
        receiver
    }

    /// Whether the feed is delayed, now and as it changes.
    pub fn delayed(&self) -> watch::Receiver<bool> {
        self.inner.delayed.subscribe()
    }
}

async fn follow(pool: PgPool, sender: broadcast::Sender<Arc<FeedChange>>, delayed: watch::Sender<bool>) {
    let mut backoff = Backoff::default();
    // Where the follower starts makes no difference to anyone: each subscriber catches up from its own
    // cursor in the database, and takes from here only what comes after it.
    let mut cursor = loop {
        match changes::head(&pool, None).await {
            Ok(cursor) => break cursor,
            Err(e) => {
                if !backoff.wait(&pool, "reading the head of the change log", &e).await {
                    return;
                }
            }
        }
    };
    let mut listener: Option<PgListener> = None;
    let mut held_back_since: Option<Instant> = None;
    loop {
        if pool.is_closed() {
            return;
        }
        if listener.is_none() {
            match listen(&pool).await {
                Ok(l) => listener = Some(l),
                Err(e) => tracing::warn!("change feed: listening for commits failed, polling only: {e}"),
            }
        }
        match catch_up(&pool, &sender, &mut cursor).await {
            Ok(()) => {
                backoff.reset();
                judge_delay(&pool, &delayed, &mut held_back_since).await;
            }
            Err(e) => {
                if !backoff.wait(&pool, "reading the change log", &e).await {
                    return;
                }
                continue;
            }
        }
        tokio::select! {
            _ = pool.close_event() => return,
            woken = wait_for_commit(&mut listener) => {
                if let Err(e) = woken {
                    tracing::warn!("change feed: the commit listener failed, reconnecting: {e}");
                    listener = None;
                }
            }
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Marks the feed delayed once changes have been held back for [`DELAYED_AFTER`], live when they are not.
async fn judge_delay(pool: &PgPool, delayed: &watch::Sender<bool>, since: &mut Option<Instant>) {
    let held_back = match changes::held_back(pool).await {
        Ok(held_back) => held_back,
        // The next read will fail too and back off; the badge keeps what it said.
        Err(_) => return,
    };
    let is_delayed = if held_back {
        since.get_or_insert_with(Instant::now).elapsed() >= DELAYED_AFTER
    } else {
        *since = None;
        false
    };
    delayed.send_if_modified(|was| std::mem::replace(was, is_delayed) != is_delayed);
}

async fn listen(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(changes::CHANNEL).await?;
    Ok(listener)
}

/// Waits for the next commit announcement. A reconnected listener (`None`: notifications may have been
/// missed meanwhile) wakes the follower too, which then reads on from its cursor.
async fn wait_for_commit(listener: &mut Option<PgListener>) -> Result<(), sqlx::Error> {
    match listener {
        Some(listener) => listener.try_recv().await.map(|_| ()),
        None => std::future::pending().await,
    }
}

async fn catch_up(
    pool: &PgPool,
    sender: &broadcast::Sender<Arc<FeedChange>>,
    cursor: &mut Cursor,
) -> Result<(), mosaic::store::DomainError> {
    loop {
        let batch = changes::read_feed_after(pool, *cursor, PAGE).await?;
        let full = batch.len() as i64 == PAGE;
        for change in batch {
            *cursor = change.cursor;
            // No subscriber is not a failure: the next one catches up from its own cursor.
            let _ = sender.send(Arc::new(change));
        }
        if !full {
            return Ok(());
        }
    }
}

/// Doubling waits between attempts while the database is away, reset by the first success.
#[derive(Default)]
struct Backoff {
    next: Option<Duration>,
}

impl Backoff {
    /// Waits before the next attempt; false when the pool closed meanwhile (the server is stopping).
    async fn wait(&mut self, pool: &PgPool, doing: &str, error: &(dyn std::fmt::Display + Sync)) -> bool {
        if pool.is_closed() {
            return false;
        }
        let wait = self.next.unwrap_or(Duration::from_millis(100));
        tracing::warn!("change feed: {doing} failed, trying again in {wait:?}: {error}");
        self.next = Some((wait * 2).min(MAX_BACKOFF));
        tokio::select! {
            _ = pool.close_event() => false,
            _ = tokio::time::sleep(wait) => true,
        }
    }

    fn reset(&mut self) {
        self.next = None;
    }
}
