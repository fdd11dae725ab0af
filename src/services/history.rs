//! The organisation's change log as its readers may see it.

use super::Caller;
use crate::access::Action;
use crate::store::changes::{read_after, Cursor};
use crate::store::DomainResult;
use crate::views::ChangeView;
use sqlx::PgPool;

/// Changes after `after`, in commit-safe order. The log holds everything, drafts included, so it is for
/// those who may see the whole organisation.
pub async fn changes_after(pool: &PgPool, caller: &Caller, after: Cursor, limit: i64) -> DomainResult<Vec<ChangeView>> {
    caller.require(Action::ReadOrganisation)?;
    read_after(pool, caller.org, after, limit).await
}
