//! The manager's conflict board: the open attention items with the workers and shifts involved, counts
//! per kind, who could take a conflicting shift over, and acknowledging a warning with a reason that is
//! kept on the item and in the change log. Resolving by reassigning, moving, shortening or cancelling
//! goes through the shift services like any other change; items close themselves when the conflict
//! they describe is gone (`attention::refresh_worker`).

use super::attention::{self, ItemRow, ITEM_COLUMNS};
use super::{locations, organisations, shifts, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::rules::{ConflictKind, Severity};
use crate::store::changes;
use crate::store::{DomainError, DomainResult};
use crate::views::{AttentionItemView, BoardItemView, ChangeView, ConflictBoardView, CoverView, KindCountView, WorkerView};
use serde_json::json;
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

/// What the board shows: every filter is optional.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BoardFilter {
    /// Only items about shifts at this location.
    pub location_id: Option<EntityId>,
    pub kind: Option<ConflictKind>,
    pub severity: Option<Severity>,
}

/// The most items the board lists at once: the hard ones first, then by when they happen.
const BOARD_LIMIT: i64 = 500;
/// How many workers are weighed as cover for one shift, and how many are offered.
const COVER_WEIGHED: i64 = 25;
const COVER_OFFERED: usize = 5;
/// The longest acknowledgement reason kept.
const REASON_MAX: usize = 1000;

/// Open items, hard conflicts first, then by when they happen (the soonest first), with the people and
/// shifts involved.
pub async fn board(pool: &PgPool, caller: &Caller, filter: &BoardFilter) -> DomainResult<ConflictBoardView> {
    caller.require(Action::ReadOrganisation)?;
    let cursor = changes::head(pool, Some(caller.org)).await?;
    let rows: Vec<ItemRow> = sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS} FROM attention_items a
          WHERE a.org_id = $1 AND a.status = 'open'
            AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR a.severity = $3)
            AND ($4::uuid IS NULL OR EXISTS (
                 SELECT 1 FROM participations p
                  WHERE p.org_id = a.org_id AND p.event_id = ANY (a.shift_ids)
                    AND p.participation_type = 'location' AND p.entity_id = $4))
          ORDER BY a.severity = 'hard' DESC, lower(a.span), a.detected_at DESC, a.id
          LIMIT $5"
    ))
    .bind(caller.org)
    .bind(filter.kind.map(ConflictKind::as_str))
    .bind(filter.severity.map(Severity::as_str))
    .bind(filter.location_id)
    .bind(BOARD_LIMIT)
    .fetch_all(pool)
    .await?;
    let items: Vec<AttentionItemView> = rows.into_iter().filter_map(ItemRow::into_view).collect();

    let counts: Vec<(ConflictKind, i64)> = sqlx::query_as(
        "SELECT a.kind, count(*) FROM attention_items a
          WHERE a.org_id = $1 AND a.status = 'open'
            AND ($2::uuid IS NULL OR EXISTS (
                 SELECT 1 FROM participations p
                  WHERE p.org_id = a.org_id AND p.event_id = ANY (a.shift_ids)
                    AND p.participation_type = 'location' AND p.entity_id = $2))
          GROUP BY a.kind",
    )
    .bind(caller.org)
    .bind(filter.location_id)
    .fetch_all(pool)
    .await?;
    let mut counts: Vec<KindCountView> =
        counts.into_iter().map(|(kind, open)| KindCountView { kind, severity: kind.severity(), open: open as u32 }).collect();
    counts.sort_by_key(|c| (c.severity != Severity::Hard, c.kind.as_str()));

    let shift_ids: Vec<Uuid> = items.iter().flat_map(|i| i.shift_ids.iter().map(|s| s.0)).collect();
    let mut conn = pool.acquire().await?;
    let loaded: HashMap<EventId, crate::views::ShiftView> =
        shifts::load_many(&mut conn, caller, &shift_ids).await?.into_iter().map(|s| (s.id, s)).collect();
    drop(conn);
    let workers: Vec<Uuid> = items.iter().map(|i| i.worker_id.0).collect();
    let names: HashMap<EntityId, String> =
        sqlx::query_as::<_, (EntityId, String)>("SELECT id, name FROM entities WHERE org_id = $1 AND id = ANY ($2)")
            .bind(caller.org)
            .bind(&workers)
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    let items = items
        .into_iter()
        .map(|item| {
            let mut involved: Vec<_> = item.shift_ids.iter().filter_map(|id| loaded.get(id).cloned()).collect();
            involved.sort_by_key(|s| (s.during.start, s.id));
            BoardItemView { worker_name: names.get(&item.worker_id).cloned().unwrap_or_default(), shifts: involved, item }
        })
        .collect();
    let locations = locations::list(pool, caller).await?;
    Ok(ConflictBoardView { items, counts, locations, cursor: cursor.to_string(), read_at: chrono::Utc::now() })
}

/// Acknowledges a warning: it leaves the open board with the manager's reason, kept on the item and in
/// the change log. A hard conflict cannot be waved through; it is resolved by changing its shifts.
pub async fn acknowledge(pool: &PgPool, caller: &Caller, id: Uuid, reason: &str) -> DomainResult<AttentionItemView> {
    caller.require(Action::ResolveConflicts)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DomainError::invalid("reason", "say why this warning is acceptable"));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(DomainError::invalid("reason", format!("must be at most {REASON_MAX} characters")));
    }
    let mut tx = crate::store::begin(pool).await?;
    let row: Option<ItemRow> =
        sqlx::query_as(&format!("SELECT {ITEM_COLUMNS} FROM attention_items WHERE org_id = $1 AND id = $2 FOR UPDATE"))
            .bind(caller.org)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let before = row.and_then(ItemRow::into_view).ok_or_else(|| DomainError::not_found("attention item", id))?;
    if before.severity == Severity::Hard {
        return Err(DomainError::Conflict {
            code: "hard_conflict",
            message: "A hard conflict cannot be acknowledged: reassign, move or cancel one of its shifts.".into(),
        });
    }
    if before.status != crate::views::AttentionStatus::Open {
        return Err(DomainError::Conflict { code: "not_open", message: "This item is no longer open.".into() });
    }
    sqlx::query("UPDATE attention_items SET status = 'acknowledged', reason = $3 WHERE org_id = $1 AND id = $2")
        .bind(caller.org)
        .bind(id)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    let after =
        AttentionItemView { status: crate::views::AttentionStatus::Acknowledged, reason: Some(reason.into()), ..before.clone() };
    changes::record_next(
        &mut tx,
        caller.org,
        &caller.actor,
        ChangeKind::AttentionAcknowledged,
        id,
        json!({ "before": before, "after": after, "reason": reason }),
    )
    .await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// What happened around an item, oldest first: every change to the shifts it is about, and its
/// acknowledgement.
pub async fn history(pool: &PgPool, caller: &Caller, id: Uuid) -> DomainResult<Vec<ChangeView>> {
    let item = attention::get(pool, caller, id).await?;
    let mut streams: Vec<Uuid> = item.shift_ids.iter().map(|s| s.0).collect();
    streams.push(id);
    changes::of_streams(pool, caller.org, &streams).await
}

/// Workers who could take over the item's latest shift: employed at its location for the whole shift,
/// with no other live shift at the time, and for whom the rules find no hard conflict in taking it.
/// Fewest warnings first, then by name.
pub async fn cover(pool: &PgPool, caller: &Caller, id: Uuid) -> DomainResult<Vec<CoverView>> {
    let item = attention::get(pool, caller, id).await?;
    let Some(shift_id) = item.shift_ids.last().copied() else { return Ok(vec![]) };
    let shift = shifts::get(pool, caller, shift_id).await?;
    let Some(end) = shift.during.end else { return Ok(vec![]) };
    let candidates: Vec<(EntityId, String, Option<String>, Option<String>, i32)> = sqlx::query_as(
        "SELECT DISTINCT ON (w.name, w.id) w.id, w.name, w.properties ->> 'email', w.properties ->> 'phone', w.version
           FROM participations l
           JOIN participations emp ON emp.org_id = l.org_id AND emp.event_id = l.event_id AND emp.participation_type = 'employee'
           JOIN entities w ON w.org_id = emp.org_id AND w.id = emp.entity_id
          WHERE l.org_id = $1 AND l.entity_id = $2 AND l.event_type = 'employment' AND l.participation_type = 'location'
            AND l.event_status IN ('active', 'completed') AND emp.during @> tstzrange($3, $4, '[)') AND emp.entity_id <> $5
            AND NOT EXISTS (
                SELECT 1 FROM participations s
                 WHERE s.org_id = $1 AND s.entity_id = emp.entity_id AND s.event_type = 'shift'
                   AND s.participation_type = 'worker' AND s.event_status <> 'cancelled' AND s.during && tstzrange($3, $4, '[)'))
          ORDER BY w.name, w.id
          LIMIT $6",
    )
    .bind(caller.org)
    .bind(shift.location_id)
    .bind(shift.during.start)
    .bind(end)
    .bind(shift.worker_id)
    .bind(COVER_WEIGHED)
    .fetch_all(pool)
    .await?;

    let mut conn = pool.acquire().await?;
    let thresholds = organisations::thresholds(&mut conn, caller.org).await?;
    let mut offered = vec![];
    for (worker_id, name, email, phone, version) in candidates {
        let brought = attention::brought_by(&mut conn, caller, worker_id, shift.rule_shift(), &[], &thresholds).await?;
        if brought.iter().any(|c| c.severity == Severity::Hard) {
            continue;
        }
        // Candidates are employed at the shift's time, so none of them was removed before it.
        let worker = WorkerView { id: worker_id, name, email, phone, removed_from: None, version };
        offered.push(CoverView { shift_id: shift.id, worker, warnings: brought.iter().map(|c| c.message.clone()).collect() });
        // Candidates come in name order: once enough bring no warning at all, none later can rank higher.
        if offered.iter().filter(|c| c.warnings.is_empty()).count() == COVER_OFFERED {
            break;
        }
    }
    offered.sort_by(|a, b| a.warnings.len().cmp(&b.warnings.len()).then(a.worker.name.cmp(&b.worker.name)));
    offered.truncate(COVER_OFFERED);
    Ok(offered)
}
