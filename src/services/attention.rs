//! The attention projection: every conflict the rules find is an open item on the manager's board, kept
//! in step inside the transaction that changed the shifts, and resolved when the conflict goes away.

use super::{organisations, Caller};
use crate::access::Action;
use crate::hours::BreakSpan;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::rules::{self, week_start, Conflict, ConflictKind, RuleShift, Severity, Thresholds, WorkerFacts};
use crate::store::{DomainError, DomainResult};
use crate::views::{AttentionItemView, AttentionStatus};
use chrono::{DateTime, Duration, Utc};
use sqlx::postgres::types::PgRange;
use sqlx::{PgConnection, PgPool};
use std::collections::BTreeMap;
use std::ops::Bound;
use uuid::Uuid;

/// Conflicts reach at most a week plus the rest period, so re-judging whole weeks from eight days before to
/// eight days after a change finds every conflict the change could make or clear.
const REACH: Duration = Duration::days(8);

/// The end of every command that changed workers' shifts or employments: takes those workers' locks
/// (`workers::lock`), after every row the command writes and never before, then re-judges each worker's
/// shifts around what the command touched and brings their attention items in step. Only this and the
/// commit run under the locks, so commands on one worker queue for that much and no more.
pub async fn refresh_workers(conn: &mut PgConnection, caller: &Caller, touched: &[(EntityId, Interval)]) -> DomainResult<()> {
    if touched.is_empty() {
        return Ok(());
    }
    let thresholds = organisations::thresholds(conn, caller.org).await?;
    let mut by_worker: BTreeMap<EntityId, Vec<Interval>> = BTreeMap::new();
    for (worker, during) in touched {
        by_worker.entry(*worker).or_default().push(*during);
    }
    super::workers::lock(conn, caller.org, &by_worker.keys().copied().collect::<Vec<_>>()).await?;
    for (worker, spans) in &by_worker {
        refresh_worker(conn, caller, *worker, spans, &thresholds).await?;
    }
    Ok(())
}

/// After the organisation's rules changed: every worker with a live shift ending after `from`, re-judged
/// from there to their last shift. Items of what ended before `from` stay as they were judged.
pub async fn refresh_all_after(conn: &mut PgConnection, caller: &Caller, from: DateTime<Utc>) -> DomainResult<()> {
    let rows: Vec<(EntityId, DateTime<Utc>, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT entity_id, greatest(min(lower(during)), $2), max(upper(during)) FROM participations
          WHERE org_id = $1 AND event_type = 'shift' AND participation_type = 'worker'
            AND event_status <> 'cancelled' AND upper(during) > $2
          GROUP BY entity_id",
    )
    .bind(caller.org)
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    let touched: Vec<(EntityId, Interval)> =
        rows.into_iter().map(|(worker, start, end)| (worker, Interval { start, end })).collect();
    refresh_workers(conn, caller, &touched).await
}

/// After the positions workers hold changed: their shifts that ask for a position and may still
/// change — every draft, and what is published from `now` on — re-judged.
pub async fn refresh_asking_for_positions(
    conn: &mut PgConnection,
    caller: &Caller,
    workers: &[EntityId],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if workers.is_empty() {
        return Ok(());
    }
    let touched: Vec<(EntityId, DateTime<Utc>, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT w.entity_id, lower(w.during), upper(w.during)
           FROM unnest($2::uuid[]) AS asked (worker_id)
           JOIN participations w ON w.org_id = $1 AND w.entity_id = asked.worker_id AND w.event_type = 'shift'
                                AND w.participation_type = 'worker'
           JOIN participations p ON p.org_id = w.org_id AND p.event_id = w.event_id AND p.participation_type = 'position'
          WHERE w.event_status = 'draft' OR (w.event_status = 'active' AND upper(w.during) > $3)",
    )
    .bind(caller.org)
    .bind(workers.iter().map(|w| w.0).collect::<Vec<_>>())
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let touched: Vec<(EntityId, Interval)> =
        touched.into_iter().map(|(worker, start, end)| (worker, Interval { start, end })).collect();
    refresh_workers(conn, caller, &touched).await
}

async fn refresh_worker(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    touched: &[Interval],
    thresholds: &Thresholds,
) -> DomainResult<()> {
    let Some(window) = judged_window(touched, thresholds) else {
        return Ok(());
    };
    let conflicts = evaluate_in(conn, caller, worker, window, thresholds).await?;
    let found: Vec<Finding> = conflicts
        .iter()
        .filter(|c| window.contains(&c.span))
        .map(|c| Finding { kind: c.kind, shifts: &c.shifts, span: c.span, fingerprint: c.fingerprint(), message: &c.message })
        .collect();
    bring_in_step(conn, caller, worker, &ConflictKind::PLANNING, Judged::Within(window), &found).await
}

/// A conflict as the item about it is kept.
pub(crate) struct Finding<'a> {
    pub kind: ConflictKind,
    pub shifts: &'a [EventId],
    pub span: Interval,
    pub fingerprint: String,
    pub message: &'a str,
}

/// Which of a worker's items a judgement covers: those it did not find again are resolved.
pub(crate) enum Judged {
    /// Items lying wholly inside the stretch.
    Within(Interval),
    /// Items starting inside the stretch.
    StartingWithin(Interval),
}

/// Brings the worker's open items of `kinds` in step with what was just `found` over the stretch judged:
/// opens the new ones, brings the open ones up to date (their shifts, span, message) and resolves those
/// no longer found. Two statements whatever the number of items, inside the worker's lock, which every
/// caller holds (`workers::lock`): the items are written by one command at a time, in no particular order.
pub(crate) async fn bring_in_step(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    kinds: &[ConflictKind],
    judged: Judged,
    found: &[Finding<'_>],
) -> DomainResult<()> {
    raise(conn, caller, worker, found).await?;
    let still_there: Vec<&str> = found.iter().map(|f| f.fingerprint.as_str()).collect();
    // Two statements rather than one with a switch, so each keeps its plan on the worker's span index.
    let (sql, stretch) = match judged {
        Judged::Within(stretch) => (
            "UPDATE attention_items SET status = 'resolved', resolved_at = now()
              WHERE org_id = $1 AND worker_id = $2 AND status <> 'resolved' AND kind = ANY ($3)
                AND span <@ tstzrange($4, $5, '[)') AND NOT (fingerprint = ANY ($6))",
            stretch,
        ),
        Judged::StartingWithin(stretch) => (
            "UPDATE attention_items SET status = 'resolved', resolved_at = now()
              WHERE org_id = $1 AND worker_id = $2 AND status <> 'resolved' AND kind = ANY ($3)
                AND lower(span) >= $4 AND lower(span) < $5 AND NOT (fingerprint = ANY ($6))",
            stretch,
        ),
    };
    sqlx::query(sql)
        .bind(caller.org)
        .bind(worker)
        .bind(kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>())
        .bind(stretch.start)
        .bind(stretch.end)
        .bind(&still_there)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Opens the items their fingerprints name, or brings the open ones up to date, in one statement; an
/// item already as found is left as it is rather than written again. A conflict at one instant (no rest
/// at all between back-to-back shifts) is kept as that instant, not as an empty range, which no board or
/// filter would ever overlap. Should one fingerprint be found twice, the last finding stands, as it
/// would had each been written in turn.
async fn raise(conn: &mut PgConnection, caller: &Caller, worker: EntityId, found: &[Finding<'_>]) -> DomainResult<()> {
    let mut last_of_each: Vec<&Finding> = Vec::with_capacity(found.len());
    for finding in found.iter().rev() {
        if !last_of_each.iter().any(|f| f.fingerprint == finding.fingerprint) {
            last_of_each.push(finding);
        }
    }
    if last_of_each.is_empty() {
        return Ok(());
    }
    let column = |f: fn(&Finding) -> String| last_of_each.iter().map(|x| f(x)).collect::<Vec<String>>();
    sqlx::query(
        "INSERT INTO attention_items (org_id, id, kind, severity, worker_id, shift_ids, span, fingerprint, message, suggested_action)
         SELECT $1, gen_random_uuid(), f.kind, f.severity, $2, string_to_array(f.shifts, ',')::uuid[],
                tstzrange(f.span_start, f.span_end, CASE WHEN f.span_start = f.span_end THEN '[]' ELSE '[)' END),
                f.fingerprint, f.message, f.suggested_action
           FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[], $10::text[])
                AS f (kind, severity, shifts, span_start, span_end, fingerprint, message, suggested_action)
         ON CONFLICT (org_id, fingerprint) WHERE status <> 'resolved'
         DO UPDATE SET shift_ids = EXCLUDED.shift_ids, span = EXCLUDED.span, message = EXCLUDED.message
          WHERE (attention_items.shift_ids, attention_items.span, attention_items.message)
                IS DISTINCT FROM (EXCLUDED.shift_ids, EXCLUDED.span, EXCLUDED.message)",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(column(|f| f.kind.as_str().to_string()))
    .bind(column(|f| f.kind.severity().as_str().to_string()))
    .bind(column(|f| f.shifts.iter().map(|s| s.0.to_string()).collect::<Vec<_>>().join(",")))
    .bind(last_of_each.iter().map(|f| f.span.start).collect::<Vec<_>>())
    .bind(last_of_each.iter().map(|f| f.span.end).collect::<Vec<_>>())
    .bind(column(|f| f.fingerprint.clone()))
    .bind(column(|f| f.message.to_string()))
    .bind(column(|f| f.kind.suggested_action().to_string()))
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
    evaluate_with(conn, caller, worker, &shifts, window, thresholds).await
}

/// The conflicts a shift the worker does not have would bring if it were theirs (`instead_of` the shifts
/// they would give up for it, in a swap): what "Find cover", an open shift's claim and an offered shift
/// ask before offering or giving it.
pub async fn brought_by(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    shift: RuleShift,
    instead_of: &[EventId],
    thresholds: &Thresholds,
) -> DomainResult<Vec<Conflict>> {
    let end = shift.during.end.unwrap_or(shift.during.start);
    let reach = Interval { start: shift.during.start - REACH, end: Some(end + REACH) };
    let mut shifts = rule_shifts(conn, caller, worker, reach).await?;
    let id = shift.id;
    shifts.retain(|s| s.id != id && !instead_of.contains(&s.id));
    shifts.push(shift);
    let found = evaluate_with(conn, caller, worker, &shifts, reach, thresholds).await?;
    Ok(found.into_iter().filter(|c| c.shifts.contains(&id)).collect())
}

/// What the rules find among these shifts of the worker, with the facts about them over `window`.
async fn evaluate_with(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    shifts: &[RuleShift],
    window: Interval,
    thresholds: &Thresholds,
) -> DomainResult<Vec<Conflict>> {
    let employments = employment_spans(conn, caller, worker, window).await?;
    let held = super::positions::held_by(conn, caller, worker).await?;
    let time_off = time_off_spans(conn, caller, worker, window).await?;
    let unavailable = unavailable_spans(conn, caller, worker, window, thresholds.week_time_zone).await?;
    let facts = WorkerFacts { employments: &employments, positions_held: &held, time_off: &time_off, unavailable: &unavailable };
    Ok(rules::evaluate_worker(worker, shifts, facts, thresholds))
}

/// The worker's live shifts overlapping `window`, with their breaks, as the rules see them.
pub async fn rule_shifts(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    window: Interval,
) -> DomainResult<Vec<RuleShift>> {
    // With their breaks in the same statement: this runs inside the worker's lock on every command.
    type Row = (
        EventId,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        EventStatus,
        Vec<DateTime<Utc>>,
        Vec<DateTime<Utc>>,
        Vec<bool>,
        Option<EntityId>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.event_id, lower(p.during), upper(p.during), p.event_status,
                coalesce(array_agg(b.start_time ORDER BY b.start_time, b.id) FILTER (WHERE b.id IS NOT NULL), '{}'),
                coalesce(array_agg(b.end_time ORDER BY b.start_time, b.id) FILTER (WHERE b.id IS NOT NULL), '{}'),
                coalesce(array_agg(coalesce((b.properties ->> 'paid')::boolean, false) ORDER BY b.start_time, b.id)
                         FILTER (WHERE b.id IS NOT NULL), '{}'),
                (SELECT a.entity_id FROM participations a
                  WHERE a.org_id = p.org_id AND a.event_id = p.event_id AND a.participation_type = 'position')
           FROM participations p
           LEFT JOIN events b ON b.org_id = p.org_id AND b.parent_id = p.event_id AND b.event_type = 'break' AND b.status <> 'cancelled'
          WHERE p.org_id = $1 AND p.entity_id = $2 AND p.event_type = 'shift' AND p.participation_type = 'worker'
            AND p.event_status <> 'cancelled' AND p.during && tstzrange($3, $4, '[)')
          GROUP BY p.org_id, p.id",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(window.start)
    .bind(window.end)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, start, end, status, break_starts, break_ends, paid, position)| RuleShift {
            id,
            position,
            during: Interval { start, end },
            status,
            breaks: break_starts
                .into_iter()
                .zip(break_ends)
                .zip(paid)
                .map(|((start, end), paid)| BreakSpan { during: Interval { start, end: Some(end) }, paid })
                .collect(),
        })
        .collect())
}

/// The worker's live employments overlapping `window`, for the rules.
pub(crate) async fn employment_spans(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    window: Interval,
) -> DomainResult<Vec<Interval>> {
    participation_spans(conn, caller, worker, window, ("employment", "employee"), &[EventStatus::Active, EventStatus::Completed])
        .await
}

/// When the worker takes part in events of a kind, in these states, overlapping `window`, by start.
pub(crate) async fn participation_spans(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    window: Interval,
    (event_type, participation_type): (&str, &str),
    statuses: &[EventStatus],
) -> DomainResult<Vec<Interval>> {
    let rows: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT lower(during), upper(during) FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = $5 AND participation_type = $6
            AND event_status = ANY ($7) AND during && tstzrange($3, $4, '[)')
          ORDER BY lower(during)",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(window.start)
    .bind(window.end)
    .bind(event_type)
    .bind(participation_type)
    .bind(statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(start, end)| Interval { start, end }).collect())
}

/// The stretches of `window` the worker said they cannot work, for the rules.
pub(crate) async fn unavailable_spans(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    window: Interval,
    tz: chrono_tz::Tz,
) -> DomainResult<Vec<Interval>> {
    let window = Interval { end: Some(window.end.unwrap_or(window.start + Duration::days(400))), ..window };
    let mut found = super::availability::stored::spans_of(conn, caller, &[worker], window, tz).await?;
    Ok(found.remove(&worker).map(|s| s.unavailable).unwrap_or_default())
}

/// After a worker's availability changed from `from` on: their shifts from there to their last one,
/// judged again.
pub(crate) async fn refresh_worker_from(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    from: DateTime<Utc>,
) -> DomainResult<()> {
    let last: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT max(upper(during)) FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'shift' AND participation_type = 'worker'
            AND event_status <> 'cancelled' AND upper(during) > $3",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(from)
    .fetch_one(&mut *conn)
    .await?;
    match last {
        Some(last) => refresh_workers(conn, caller, &[(worker, Interval { start: from, end: Some(last) })]).await,
        None => Ok(()),
    }
}

/// The worker's approved time off overlapping `window`, for the rules.
pub(crate) async fn time_off_spans(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    window: Interval,
) -> DomainResult<Vec<Interval>> {
    participation_spans(conn, caller, worker, window, ("time_off", "worker"), &[EventStatus::Active]).await
}

#[derive(sqlx::FromRow)]
pub(crate) struct ItemRow {
    id: Uuid,
    kind: ConflictKind,
    severity: Severity,
    worker_id: EntityId,
    shift_ids: Vec<Uuid>,
    span: PgRange<DateTime<Utc>>,
    message: String,
    suggested_action: String,
    status: AttentionStatus,
    detected_at: DateTime<Utc>,
    reason: Option<String>,
}

/// The columns an [`ItemRow`] is read from.
pub(crate) const ITEM_COLUMNS: &str =
    "id, kind, severity, worker_id, shift_ids, span, message, suggested_action, status, detected_at, reason";

impl ItemRow {
    pub(crate) fn into_view(self) -> Option<AttentionItemView> {
        let bound = |b: Bound<DateTime<Utc>>| match b {
            Bound::Included(t) | Bound::Excluded(t) => Some(t),
            Bound::Unbounded => None,
        };
        Some(AttentionItemView {
            id: self.id,
            kind: self.kind,
            severity: self.severity,
            worker_id: self.worker_id,
            shift_ids: self.shift_ids.into_iter().map(EventId).collect(),
            span: Interval { start: bound(self.span.start)?, end: bound(self.span.end) },
            message: self.message,
            suggested_action: self.suggested_action,
            status: self.status,
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
