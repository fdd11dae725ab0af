//! The organisation's change log as its readers may see it.

use super::Caller;
use crate::access::Action;
use crate::store::changes::{head, latest_of, read_after, Cursor, FeedChange};
use crate::store::DomainResult;
use crate::views::ChangeView;
use sqlx::PgPool;

/// Changes after `after`, in commit-safe order. The log holds everything, drafts included, so it is for
/// those who may see the whole organisation.
pub async fn changes_after(pool: &PgPool, caller: &Caller, after: Cursor, limit: i64) -> DomainResult<Vec<ChangeView>> {
    caller.require(Action::ReadOrganisation)?;
    Ok(read_after(pool, caller.org, after, limit.clamp(1, 1000)).await?.into_iter().map(|c| c.change).collect())
}

/// Who last changed a shift (or any stream) and how; what the calendar says when a drop finds the shift
/// changed under it. Read like the shift itself: anyone who may read the organisation.
pub async fn latest_change(pool: &PgPool, caller: &Caller, stream: uuid::Uuid) -> DomainResult<Option<ChangeView>> {
    caller.require(Action::ReadOrganisation)?;
    latest_of(pool, caller.org, stream).await
}

/// Every member may follow the log live; what each is sent is filtered by `Access::may_see_change`
/// (workers: only the changes to their own published shifts).
pub fn may_follow(caller: &Caller) -> DomainResult<()> {
    caller.require(Action::ReadOwnTimeline)
}

/// The organisation's latest change every reader can already see: where a follower starts that wants
/// only what happens from now on.
pub async fn now(pool: &PgPool, caller: &Caller) -> DomainResult<Cursor> {
    may_follow(caller)?;
    head(pool, Some(caller.org)).await
}

/// One step of catching up: the organisation's next changes after `after` (at most `limit`), and which of
/// them the caller may see.
pub struct CatchUp {
    /// How many changes were read, seen or not; fewer than `limit` means the reader is up to date.
    pub read: usize,
    /// The last change read, seen or not.
    pub last: Option<Cursor>,
    pub visible: Vec<FeedChange>,
}

pub async fn catch_up(pool: &PgPool, caller: &Caller, after: Cursor, limit: i64) -> DomainResult<CatchUp> {
    may_follow(caller)?;
    let changes = read_after(pool, caller.org, after, limit).await?;
    let read = changes.len();
    let last = changes.last().map(|c| c.cursor);
    let visible = changes.into_iter().filter(|c| caller.access.may_see_change(&c.change)).collect();
    Ok(CatchUp { read, last, visible })
}
