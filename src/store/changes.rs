//! The change log: appended in the writing transaction, read in commit-safe order.
//!
//! Readers order by `(txid, position)` and read only below the oldest running transaction that may still
//! append to the log (`changes_readable_below()`, migrations/0010_feed_waits_only_for_writers.sql and
//! 0011_feed_judges_ended_transactions.sql), so a change that commits after a later-numbered one is never
//! skipped — a plain `position > last` cursor loses rows under concurrent writers — while transactions
//! that cannot write this log (in other databases, undeclared in this one, or ended without a change)
//! hold no reader back.

use super::{Actor, DomainError, DomainResult};
use crate::change_kind::ChangeKind;
use crate::ids::OrgId;
use crate::views::ChangeView;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Appends one change to its aggregate's stream (`kind.stream()`), in the command's transaction: the
/// one way a command writes the log.
pub async fn record(
    conn: &mut PgConnection,
    org: OrgId,
    actor: &Actor,
    kind: ChangeKind,
    stream_id: Uuid,
    stream_version: i32,
    payload: Value,
) -> DomainResult<()> {
    sqlx::query(
        "INSERT INTO changes (org_id, stream_id, stream_type, stream_version, actor_id, actor, kind, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(org)
    .bind(stream_id)
    .bind(kind.stream().as_str())
    .bind(stream_version)
    .bind(actor.id)
    .bind(&actor.name)
    .bind(kind.as_str())
    .bind(payload)
    .execute(conn)
    .await?;
    Ok(())
}

/// One change of several that a command writes at once: see [`record_all`].
pub struct Recorded {
    pub kind: ChangeKind,
    pub stream_id: Uuid,
    pub stream_version: i32,
    pub payload: Value,
}

impl Recorded {
    /// A change whose payload is the aggregate as it is after it, `{ "after": … }`, as most are.
    pub fn after(kind: ChangeKind, stream_id: Uuid, stream_version: i32, after: &impl serde::Serialize) -> Recorded {
        Recorded { kind, stream_id, stream_version, payload: serde_json::json!({ "after": after }) }
    }
}

/// Appends many changes in one statement, in the order given, in the command's transaction: a command
/// over thousands of aggregates (an import) costs one round trip instead of one per change.
pub async fn record_all(conn: &mut PgConnection, org: OrgId, actor: &Actor, changes: Vec<Recorded>) -> DomainResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut streams = Vec::with_capacity(changes.len());
    let mut stream_types = Vec::with_capacity(changes.len());
    let mut versions = Vec::with_capacity(changes.len());
    let mut kinds = Vec::with_capacity(changes.len());
    let mut payloads = Vec::with_capacity(changes.len());
    for change in changes {
        streams.push(change.stream_id);
        stream_types.push(change.kind.stream().as_str());
        versions.push(change.stream_version);
        kinds.push(change.kind.as_str());
        payloads.push(change.payload);
    }
    // The identity column numbers rows in the order they are produced, hence the ORDER BY.
    sqlx::query(
        "INSERT INTO changes (org_id, stream_id, stream_type, stream_version, actor_id, actor, kind, payload)
         SELECT $1, c.stream_id, c.stream_type, c.stream_version, $2, $3, c.kind, c.payload
           FROM unnest($4::uuid[], $5::text[], $6::int4[], $7::text[], $8::jsonb[])
                WITH ORDINALITY AS c (stream_id, stream_type, stream_version, kind, payload, n)
          ORDER BY c.n",
    )
    .bind(org)
    .bind(actor.id)
    .bind(&actor.name)
    .bind(streams)
    .bind(stream_types)
    .bind(versions)
    .bind(kinds)
    .bind(payloads)
    .execute(conn)
    .await?;
    Ok(())
}

/// The channel a command's commit is announced on. The payload is empty: it only says "read on", and a
/// lost notification costs no more than the followers' poll interval.
pub const CHANNEL: &str = "mosaic_changes";

/// Wakes every follower of the log. Best effort by design: the change is committed either way, and
/// followers poll as well, so a failure here only delays them.
/// Appends a change as the next version of its stream, for aggregates whose version is their log's
/// length (memberships, invitations) rather than a column of their own. Two commands racing for one
/// version are refused by `changes_stream_version_unique`, and the loser runs again.
pub async fn record_next(
    conn: &mut PgConnection,
    org: OrgId,
    actor: &Actor,
    kind: ChangeKind,
    stream_id: Uuid,
    payload: Value,
) -> DomainResult<()> {
    let version: i32 =
        sqlx::query_scalar("SELECT coalesce(max(stream_version), 0) + 1 FROM changes WHERE org_id = $1 AND stream_id = $2")
            .bind(org)
            .bind(stream_id)
            .fetch_one(&mut *conn)
            .await?;
    record(conn, org, actor, kind, stream_id, version, payload).await
}

pub async fn wake(pool: &PgPool) {
    let _ = sqlx::query("SELECT pg_notify($1, '')").bind(CHANNEL).execute(pool).await;
}

/// The most changes one read returns.
pub const MAX_READ: i64 = 5000;

/// Where a reader has got to: the last change it saw, as `"<txid>-<position>"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cursor {
    pub txid: i64,
    pub position: i64,
}

impl Cursor {
    pub fn parse(s: &str) -> DomainResult<Cursor> {
        let bad = || DomainError::invalid("after", "must be a cursor returned by this API, like \"0-0\"");
        let (txid, position) = s.split_once('-').ok_or_else(bad)?;
        let txid: i64 = txid.parse().map_err(|_| bad())?;
        let position: i64 = position.parse().map_err(|_| bad())?;
        if txid < 0 || position < 0 {
            return Err(bad());
        }
        Ok(Cursor { txid, position })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.txid, self.position)
    }
}

/// The columns a [`ChangeRow`] is read from.
const CHANGE_COLUMNS: &str = "org_id, txid::text::bigint AS txid, position, stream_id, stream_type, stream_version, actor_id,
     actor, kind, occurred_at, recorded_at, payload";

#[derive(sqlx::FromRow)]
struct ChangeRow {
    org_id: OrgId,
    txid: i64,
    position: i64,
    stream_id: Uuid,
    stream_type: String,
    stream_version: i32,
    actor_id: Option<Uuid>,
    actor: String,
    kind: String,
    occurred_at: DateTime<Utc>,
    recorded_at: DateTime<Utc>,
    payload: Value,
}

/// The organisation's changes after `after`, oldest first, that no running transaction can still precede.
pub async fn read_after(pool: &PgPool, org: OrgId, after: Cursor, limit: i64) -> DomainResult<Vec<FeedChange>> {
    let rows: Vec<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM changes
          WHERE org_id = $1
            AND (txid, position) > ($2::text::xid8, $3)
            AND txid < (SELECT changes_readable_below())
          ORDER BY txid, position
          LIMIT $4"
    ))
    .bind(org)
    .bind(after.txid.to_string())
    .bind(after.position)
    .bind(limit.clamp(1, MAX_READ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(ChangeRow::into_feed).collect())
}

/// One change as a follower of the whole log sees it: with its organisation and its cursor.
#[derive(Clone, Debug)]
pub struct FeedChange {
    pub org: OrgId,
    pub cursor: Cursor,
    pub change: ChangeView,
    /// The change as JSON, written once however many browsers it is sent to.
    json: std::sync::OnceLock<String>,
}

impl FeedChange {
    pub fn json(&self) -> &str {
        self.json.get_or_init(|| serde_json::to_string(&self.change).unwrap_or_else(|_| "{}".into()))
    }
}

/// Every organisation's changes after `after`, in the same commit-safe order: what one server instance
/// follows to fan changes out to the browsers connected to it.
pub async fn read_feed_after(pool: &PgPool, after: Cursor, limit: i64) -> DomainResult<Vec<FeedChange>> {
    let rows: Vec<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM changes
          WHERE (txid, position) > ($1::text::xid8, $2)
            AND txid < (SELECT changes_readable_below())
          ORDER BY txid, position
          LIMIT $3"
    ))
    .bind(after.txid.to_string())
    .bind(after.position)
    .bind(limit.clamp(1, MAX_READ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(ChangeRow::into_feed).collect())
}

/// Whether committed changes wait behind a transaction still running: readers are delayed.
pub async fn held_back(pool: &PgPool) -> DomainResult<bool> {
    Ok(sqlx::query_scalar("SELECT changes_held_back()").fetch_one(pool).await?)
}

/// The last change every reader can already see: where a reader that wants only what comes next starts.
/// `org` narrows it to one organisation; `None` is the whole log.
pub async fn head(pool: &PgPool, org: Option<OrgId>) -> DomainResult<Cursor> {
    let found: Option<(i64, i64)> = sqlx::query_as(
        "SELECT txid::text::bigint, position
           FROM changes
          WHERE ($1::uuid IS NULL OR org_id = $1)
            AND txid < (SELECT changes_readable_below())
          ORDER BY txid DESC, position DESC
          LIMIT 1",
    )
    .bind(org)
    .fetch_optional(pool)
    .await?;
    Ok(found.map(|(txid, position)| Cursor { txid, position }).unwrap_or_default())
}

/// Every change to these streams (a shift and what is said about it), in reading order.
pub async fn of_streams(pool: &PgPool, org: OrgId, streams: &[Uuid]) -> DomainResult<Vec<ChangeView>> {
    let rows: Vec<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM changes
          WHERE org_id = $1 AND stream_id = ANY ($2)
          ORDER BY txid, position
          LIMIT 1000"
    ))
    .bind(org)
    .bind(streams)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(ChangeRow::into_view).collect())
}

/// The latest change to one stream (a shift, say): who last touched it and how.
pub async fn latest_of(pool: &PgPool, org: OrgId, stream: Uuid) -> DomainResult<Option<ChangeView>> {
    let row: Option<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM changes
          WHERE org_id = $1 AND stream_id = $2
          ORDER BY stream_version DESC
          LIMIT 1"
    ))
    .bind(org)
    .bind(stream)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(ChangeRow::into_view))
}

impl ChangeRow {
    fn cursor(&self) -> Cursor {
        Cursor { txid: self.txid, position: self.position }
    }

    fn into_feed(self) -> FeedChange {
        FeedChange { org: self.org_id, cursor: self.cursor(), change: self.into_view(), json: Default::default() }
    }

    fn into_view(self) -> ChangeView {
        ChangeView {
            cursor: self.cursor().to_string(),
            stream_id: self.stream_id,
            stream_type: self.stream_type,
            stream_version: self.stream_version,
            actor_id: self.actor_id,
            actor: self.actor,
            kind: self.kind,
            occurred_at: self.occurred_at,
            recorded_at: self.recorded_at,
            payload: self.payload,
        }
    }
}
