//! Planner statistics for a command that writes thousands of rows in one transaction (an import).

use super::DomainResult;
use sqlx::PgConnection;

/// Lets PostgreSQL see what the transaction has written so far before it plans the rest: without
/// statistics, look-ups by id were planned as scans of the organisation's rows of one kind, and an
/// import's time grew with the square of its rows (migrations/0018_statistics_for_bulk_writes.sql).
pub async fn refresh_for_bulk_write(conn: &mut PgConnection) -> DomainResult<()> {
    sqlx::query("SELECT mosaic_analyze_for_bulk_write()").execute(conn).await?;
    Ok(())
}
