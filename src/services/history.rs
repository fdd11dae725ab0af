//! The organisation's change log as its readers may see it.

use super::Caller;
use crate::access::Action;
use crate::store::changes::{latest_of, read_after, Cursor};
use crate::store::DomainResult;
use crate::views::ChangeView;
use sqlx::PgPool;

/// Changes after `after`, in commit-safe order. The log holds everything, drafts included, so it is for
/// those who may see the whole organisation.
pub async fn changes_after(pool: &PgPool, caller: &Caller, after: Cursor, limit: i64) -> DomainResult<Vec<ChangeView>> {
    caller.require(Action::ReadOrganisation)?;
    read_after(pool, caller.org, after, limit).await
}

/// Who last changed a shift (or any stream) and how; what the calendar says when a drop finds the shift
/// changed under it. Read like the shift itself: anyone who may read the organisation.
pub async fn latest_change(pool: &PgPool, caller: &Caller, stream: uuid::Uuid) -> DomainResult<Option<ChangeView>> {
    caller.require(Action::ReadOrganisation)?;
    latest_of(pool, caller.org, stream).await
}
