//! The attention projection: every conflict the rules find is an open item on the manager's board, kept
//! in step inside the transaction that changed the shifts, and resolved when the conflict goes away.

use super::{employments, organisations, Caller};
use crate::access::Action;
use crate::hours::BreakSpan;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::rules::{self, week_start, Conflict, ConflictKind, RuleShift, Severity, Thresholds};
use crate::store::{DomainError, DomainResult};
use crate::views::{AttentionItemView, AttentionStatus};
use chrono::{DateTime, Duration, Utc};
use sqlx::postgres::types::PgRange;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use std::ops::Bound;
use uuid::Uuid;

/// Conflicts reach at most a week plus the rest period, so re-judging whole weeks from eight days before to
/// eight days after a change finds every conflict the change could make or clear.
const REACH: Duration = Duration::days(8);

/// Re-evaluates `worker`'s shifts around `touched` and brings the worker's attention items in step.
pub async fn refresh_worker(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    touched: &[Interval],
) -> DomainResult<()> {
    let thresholds = organisations::thresholds(conn, caller.org).await?;
    let Some(window) = judged_window(touched, &thresholds) else {
        return Ok(());
    };
    let conflicts = evaluate_in(conn, caller, worker, window, &thresholds).await?;
    let judged: Vec<&Conflict> = conflicts.iter().filter(|c| window.contains(&c.span)).collect();

    for conflict in &judged {
        raise(conn, caller, worker, conflict.kind, &conflict.shifts, conflict.span, &conflict.fingerprint(), &conflict.message)
            .await?;
    }
    let still_there: Vec<String> = judged.iter().map(|c| c.fingerprint()).collect();
    sqlx::query(
        "UPDATE attention_items SET status = 'resolved', resolved_at = now()
          WHERE org_id = $1 AND worker_id = $2 AND status <> 'resolved'
            AND span <@ tstzrange($3, $4, '[)') AND NOT (fingerprint = ANY ($5)) AND kind = ANY ($6)",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(window.start)
    .bind(window.end)
    .bind(&still_there)
    .bind(ConflictKind::PLANNING.map(ConflictKind::as_str).to_vec())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Opens the item its fingerprint names, or brings the open one up to date (its shifts, span, message).
/// A conflict at one instant (no rest at all between back-to-back shifts) is kept as that instant, not
/// as an empty range, which no board or filter would ever overlap.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn raise(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    kind: ConflictKind,
    shifts: &[EventId],
    span: Interval,
    fingerprint: &str,
    message: &str,
) -> DomainResult<()> {
    sqlx::query(
        "INSERT INTO attention_items (org_id, id, kind, severity, worker_id, shift_ids, span, fingerprint, message, suggested_action)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, tstzrange($6, $7, CASE WHEN $6 = $7 THEN '[]' ELSE '[)' END), $8, $9, $10)
         ON CONFLICT (org_id, fingerprint) WHERE status <> 'resolved'
         DO UPDATE SET shift_ids = EXCLUDED.shift_ids, span = EXCLUDED.span, message = EXCLUDED.message",
    )
    .bind(caller.org)
    .bind(kind.as_str())
    .bind(kind.severity().as_str())
    .bind(worker)
    .bind(shifts.iter().map(|s| s.0).collect::<Vec<Uuid>>())
    .bind(span.start)
    .bind(span.end)
    .bind(fingerprint)
    .bind(message)
    .bind(kind.suggested_action())
    .execute(conn)
    .await?;
    Ok(())
}

/// Whole weeks (in the organisation's zone) reaching `REACH` either side of everything touched.
fn judged_window(touched: &[Interval], thresholds: &Thresholds) -> Option<Interval> {
    let first = touched.iter().map(|t| t.start).min()?;
    let last = touched.iter().map(|t| t.end.unwrap_or(t.start)).max().unwrap_or(first);
    let start = week_start(first - REACH, thresholds);
    let end = week_start(last + REACH + Duration::days(7), thresholds);
    Some(Interval { start, end: Some(end) })
}

/// Every conflict among the worker's shifts that overlap `window`.
pub async fn evaluate_in(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    window: Interval,
    thresholds: &Thresholds,
) -> DomainResult<Vec<Conflict>> {
    let shifts = rule_shifts(conn, caller, worker, window).await?;
    let employments = employments::spans(conn, caller, worker, window).await?;
    Ok(rules::evaluate_worker(worker, &shifts, &employments, thresholds))
}

/// The worker's live shifts overlapping `window`, with their breaks, as the rules see them.
pub async fn rule_shifts(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    window: Interval,
) -> DomainResult<Vec<RuleShift>> {
    let rows: Vec<(EventId, DateTime<Utc>, Option<DateTime<Utc>>, String)> = sqlx::query_as(
        "SELECT p.event_id, lower(p.during), upper(p.during), p.event_status FROM participations p
          WHERE p.org_id = $1 AND p.entity_id = $2 AND p.event_type = 'shift' AND p.participation_type = 'worker'
            AND p.event_status <> 'cancelled' AND p.during && tstzrange($3, $4, '[)')",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(window.start)
    .bind(window.end)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0 .0).collect();
    let mut breaks = breaks_of(conn, caller, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(id, start, end, status)| RuleShift {
            id,
            during: Interval { start, end },
            status: EventStatus::parse(&status).unwrap_or(EventStatus::Draft),
            breaks: breaks.remove(&id).unwrap_or_default(),
        })
        .collect())
}

async fn breaks_of(conn: &mut PgConnection, caller: &Caller, shifts: &[Uuid]) -> DomainResult<HashMap<EventId, Vec<BreakSpan>>> {
    let rows: Vec<(EventId, DateTime<Utc>, DateTime<Utc>, bool)> = sqlx::query_as(
        "SELECT parent_id, start_time, end_time, coalesce((properties ->> 'paid')::boolean, false)
           FROM events WHERE org_id = $1 AND parent_id = ANY ($2) AND event_type = 'break' AND status <> 'cancelled'",
    )
    .bind(caller.org)
    .bind(shifts)
    .fetch_all(conn)
    .await?;
    let mut by_shift: HashMap<EventId, Vec<BreakSpan>> = HashMap::new();
    for (shift, start, end, paid) in rows {
        by_shift.entry(shift).or_default().push(BreakSpan { during: Interval { start, end: Some(end) }, paid });
    }
    Ok(by_shift)
}

#[derive(sqlx::FromRow)]
pub(crate) struct ItemRow {
    id: Uuid,
    kind: String,
    severity: String,
    worker_id: EntityId,
    shift_ids: Vec<Uuid>,
    span: PgRange<DateTime<Utc>>,
    message: String,
    suggested_action: String,
    status: String,
    detected_at: DateTime<Utc>,
    reason: Option<String>,
}

/// The columns an [`ItemRow`] is read from.
pub(crate) const ITEM_COLUMNS: &str =
    "id, kind, severity, worker_id, shift_ids, span, message, suggested_action, status, detected_at, reason";

impl ItemRow {
    pub(crate) fn into_view(self) -> Option<AttentionItemView> {
        let kind = ConflictKind::parse(&self.kind)?;
        let bound = |b: Bound<DateTime<Utc>>| match b {
            Bound::Included(t) | Bound::Excluded(t) => Some(t),
            Bound::Unbounded => None,
        };
        Some(AttentionItemView {
            id: self.id,
            kind,
            severity: if self.severity == "hard" { Severity::Hard } else { Severity::Warning },
            worker_id: self.worker_id,
            shift_ids: self.shift_ids.into_iter().map(EventId).collect(),
            span: Interval { start: bound(self.span.start)?, end: bound(self.span.end) },
            message: self.message,
            suggested_action: self.suggested_action,
            status: match self.status.as_str() {
                "open" => AttentionStatus::Open,
                "acknowledged" => AttentionStatus::Acknowledged,
                _ => AttentionStatus::Resolved,
            },
            detected_at: self.detected_at,
            reason: self.reason,
        })
    }
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct AttentionFilter {
    /// Only items about this worker.
    pub worker_id: Option<EntityId>,
    /// Only items whose span overlaps [from, to).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Open items, newest first.
pub async fn list_open(pool: &PgPool, caller: &Caller, filter: &AttentionFilter) -> DomainResult<Vec<AttentionItemView>> {
    caller.require(Action::ReadOrganisation)?;
    crate::date_range::require_optional_instant("from", filter.from)?;
    crate::date_range::require_optional_instant("to", filter.to)?;
    let rows: Vec<ItemRow> = sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS}
           FROM attention_items
          WHERE org_id = $1 AND status = 'open'
            AND ($2::uuid IS NULL OR worker_id = $2)
            AND span && tstzrange($3, $4, '[)')
          ORDER BY detected_at DESC, id
          LIMIT 1000"
    ))
    .bind(caller.org)
    .bind(filter.worker_id)
    .bind(filter.from)
    .bind(filter.to)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(ItemRow::into_view).collect())
}

/// One item by id, whatever its status.
pub async fn get(pool: &PgPool, caller: &Caller, id: uuid::Uuid) -> DomainResult<AttentionItemView> {
    caller.require(Action::ReadOrganisation)?;
    let row: Option<ItemRow> =
        sqlx::query_as(&format!("SELECT {ITEM_COLUMNS} FROM attention_items WHERE org_id = $1 AND id = $2"))
            .bind(caller.org)
            .bind(id)
            .fetch_optional(pool)
            .await?;
    row.and_then(ItemRow::into_view).ok_or_else(|| DomainError::not_found("attention item", id))
}
