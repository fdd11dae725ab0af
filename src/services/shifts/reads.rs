//! Loading shifts: one, a filtered list, or every live one in a period, each with its breaks, work
//! periods and hours.

use super::ShiftFilter;
use crate::access::{Action, Denied};
use crate::hours::{shift_hours, BreakSpan};
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::services::Caller;
use crate::store::{DomainError, DomainResult};
use crate::views::positions::PositionTag;
use crate::views::{BreakView, ShiftView};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub async fn get(pool: &PgPool, caller: &Caller, id: EventId) -> DomainResult<ShiftView> {
    let mut conn = pool.acquire().await?;
    let shift = load(&mut conn, caller, id).await?;
    drop(conn);
    if caller.access.role.allows(Action::ReadOrganisation) || !caller.access.is_worker(shift.worker_id) {
        caller.require(Action::ReadOrganisation)?;
        return Ok(shift);
    }
    // A worker's own shift, if it is one they may know of.
    let known = known_to_worker(pool, caller, vec![shift]).await?.pop();
    known.ok_or_else(|| {
        DomainError::Forbidden(Denied { role: caller.access.role, action: Action::ReadOrganisation, location: None })
    })
}

pub async fn list(pool: &PgPool, caller: &Caller, filter: &ShiftFilter) -> DomainResult<Vec<ShiftView>> {
    crate::date_range::require_optional_instant("from", filter.from)?;
    crate::date_range::require_optional_instant("to", filter.to)?;
    // A worker may list their own shifts, and sees only the published ones.
    if caller.access.role.allows(Action::ReadOrganisation) || !filter.worker_id.is_some_and(|w| caller.access.is_worker(w)) {
        caller.require(Action::ReadOrganisation)?;
        return list_unchecked(pool, caller, filter).await;
    }
    let own = list_unchecked(pool, caller, filter).await?;
    known_to_worker(pool, caller, own).await
}

pub(crate) async fn list_unchecked(pool: &PgPool, caller: &Caller, filter: &ShiftFilter) -> DomainResult<Vec<ShiftView>> {
    let mut conn = pool.acquire().await?;
    let (location, from, to) = match filter.schedule_id {
        Some(schedule) => {
            let row = sqlx::query_as::<_, (EntityId, DateTime<Utc>, Option<DateTime<Utc>>)>(
                "SELECT p.entity_id, e.start_time, e.end_time FROM events e
                   JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id AND p.participation_type = 'location'
                  WHERE e.org_id = $1 AND e.id = $2 AND e.event_type = 'schedule'",
            )
            .bind(caller.org)
            .bind(schedule)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| DomainError::not_found("schedule", schedule))?;
            (Some(row.0), Some(row.1), row.2)
        }
        None => (filter.location_id, filter.from, filter.to),
    };
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT e.id FROM events e
           JOIN participations w ON w.org_id = e.org_id AND w.event_id = e.id AND w.participation_type = 'worker'
           JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location'
          WHERE e.org_id = $1 AND e.event_type = 'shift'
            AND ($2::uuid IS NULL OR w.entity_id = $2)
            AND ($3::uuid IS NULL OR l.entity_id = $3)
            AND ($4::text IS NULL OR e.status = $4)
            AND ($5::timestamptz IS NULL OR e.end_time > $5)
            AND ($6::timestamptz IS NULL OR e.start_time < $6)
          ORDER BY e.start_time, e.id
          LIMIT 5000",
    )
    .bind(caller.org)
    .bind(filter.worker_id)
    .bind(location)
    .bind(filter.status.map(|s| s.as_str()))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    load_many(&mut conn, caller, &ids).await
}

/// The shift columns every load reads; the `WHERE` differs by how many are wanted.
macro_rules! shift_select {
    ($which:literal) => {
        concat!(
            "SELECT e.id, e.parent_id AS employment_id, e.start_time, e.end_time, e.status, e.version,
                    e.properties ->> 'role' AS role, e.properties ->> 'notes' AS notes,
                    w.entity_id AS worker_id, we.name AS worker_name, l.entity_id AS location_id,
                    pe.id AS position_id, pe.name AS position_name, pe.properties ->> 'colour' AS position_colour
               FROM events e
               JOIN participations w ON w.org_id = e.org_id AND w.event_id = e.id AND w.participation_type = 'worker'
               JOIN entities we ON we.org_id = e.org_id AND we.id = w.entity_id
               JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location'
               LEFT JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id AND p.participation_type = 'position'
               LEFT JOIN entities pe ON pe.org_id = p.org_id AND pe.id = p.entity_id
              WHERE e.org_id = $1 AND e.event_type = 'shift' AND ",
            $which
        )
    };
}

macro_rules! children_select {
    ($which:literal) => {
        concat!(
            "SELECT parent_id, id, event_type, start_time, end_time, coalesce((properties ->> 'paid')::boolean, false)
               FROM events WHERE org_id = $1 AND event_type IN ('break', 'work_period') AND status <> 'cancelled' AND ",
            $which,
            " ORDER BY start_time"
        )
    };
}

/// The shift event's own columns.
#[derive(sqlx::FromRow)]
pub(crate) struct ShiftEventRow {
    pub id: EventId,
    pub employment_id: Option<EventId>,
    pub start_time: DateTime<Utc>,
    pub end_time: Option<DateTime<Utc>>,
    pub status: EventStatus,
    pub version: i32,
    pub role: Option<String>,
    pub notes: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ShiftRow {
    #[sqlx(flatten)]
    pub event: ShiftEventRow,
    pub worker_id: EntityId,
    pub worker_name: String,
    pub location_id: EntityId,
    #[sqlx(flatten)]
    pub position: PositionColumns,
}

/// The position a shift asks for, as three nullable columns of its row.
#[derive(sqlx::FromRow, Default)]
pub(crate) struct PositionColumns {
    pub position_id: Option<EntityId>,
    pub position_name: Option<String>,
    pub position_colour: Option<String>,
}

impl PositionColumns {
    pub fn tag(self) -> Option<PositionTag> {
        Some(PositionTag { id: self.position_id?, name: self.position_name?, colour: self.position_colour? })
    }
}

/// A break or work period: (shift, id, kind, start, end, paid).
pub(crate) type ChildRow = (EventId, EventId, String, DateTime<Utc>, DateTime<Utc>, bool);

/// Loads shifts with their breaks, work periods and hours, in two queries whatever their number, in the
/// order asked for.
pub async fn load_many(conn: &mut PgConnection, caller: &Caller, ids: &[Uuid]) -> DomainResult<Vec<ShiftView>> {
    let mut rows: Vec<ShiftRow> =
        sqlx::query_as(shift_select!("e.id = ANY ($2)")).bind(caller.org).bind(ids).fetch_all(&mut *conn).await?;
    let children: Vec<ChildRow> =
        sqlx::query_as(children_select!("parent_id = ANY ($2)")).bind(caller.org).bind(ids).fetch_all(&mut *conn).await?;
    let position: HashMap<Uuid, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| position.get(&r.event.id.0).copied().unwrap_or(usize::MAX));
    Ok(assemble(rows, children))
}

/// Every live shift of the organisation overlapping [from, to). Range scans and joins in memory rather
/// than a lookup per shift: shifts last at most a day (a checked invariant) and everything nested in or
/// taking part in one lies inside it, so events, participations and children are each read by time
/// through one index.
pub async fn live_in_period(
    conn: &mut PgConnection,
    caller: &Caller,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<ShiftView>> {
    let events: Vec<ShiftEventRow> = sqlx::query_as(
        "SELECT id, parent_id AS employment_id, start_time, end_time, status, version,
                properties ->> 'role' AS role, properties ->> 'notes' AS notes
           FROM events
          WHERE org_id = $1 AND event_type = 'shift' AND status <> 'cancelled'
            AND start_time >= $2::timestamptz - interval '24 hours' AND start_time < $3 AND end_time > $2
          ORDER BY start_time, id",
    )
    .bind(caller.org)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let taking_part: Vec<(EventId, String, EntityId)> = sqlx::query_as(
        "SELECT event_id, participation_type, entity_id FROM participations
          WHERE org_id = $1 AND event_type = 'shift' AND participation_type IN ('worker', 'location', 'position')
            AND lower(during) >= $2::timestamptz - interval '24 hours' AND lower(during) < $3::timestamptz + interval '24 hours'",
    )
    .bind(caller.org)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut workers: HashMap<EventId, EntityId> = HashMap::with_capacity(events.len());
    let mut locations: HashMap<EventId, EntityId> = HashMap::with_capacity(events.len());
    let mut positions: HashMap<EventId, EntityId> = HashMap::new();
    for (event, participation_type, entity) in taking_part {
        match participation_type.as_str() {
            "worker" => workers.insert(event, entity),
            "location" => locations.insert(event, entity),
            _ => positions.insert(event, entity),
        };
    }
    let mut entity_ids: Vec<Uuid> = workers.values().chain(positions.values()).map(|w| w.0).collect();
    entity_ids.sort_unstable();
    entity_ids.dedup();
    let named: HashMap<EntityId, (String, Option<String>)> = sqlx::query_as::<_, (EntityId, String, Option<String>)>(
        "SELECT id, name, properties ->> 'colour' FROM entities WHERE org_id = $1 AND id = ANY ($2)",
    )
    .bind(caller.org)
    .bind(&entity_ids)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, name, colour)| (id, (name, colour)))
    .collect();
    let children: Vec<ChildRow> =
        sqlx::query_as(children_select!("start_time >= $2::timestamptz - interval '24 hours' AND start_time < $3"))
            .bind(caller.org)
            .bind(from)
            .bind(to)
            .fetch_all(&mut *conn)
            .await?;
    let rows = events
        .into_iter()
        .filter_map(|e| {
            let worker_id = *workers.get(&e.id)?;
            let position = positions.get(&e.id).and_then(|id| {
                let (name, colour) = named.get(id)?;
                Some(PositionColumns {
                    position_id: Some(*id),
                    position_name: Some(name.clone()),
                    position_colour: colour.clone(),
                })
            });
            Some(ShiftRow {
                worker_name: named.get(&worker_id).map(|(name, _)| name.clone()).unwrap_or_default(),
                location_id: *locations.get(&e.id)?,
                worker_id,
                position: position.unwrap_or_default(),
                event: e,
            })
        })
        .collect();
    Ok(assemble(rows, children))
}

/// Of a worker's shifts, those the worker may know of: published ones, and those cancelled after they
/// had been published (so the worker learns of it). A draft, or a draft cancelled before publishing,
/// never shows.
pub(crate) async fn known_to_worker(pool: &PgPool, caller: &Caller, shifts: Vec<ShiftView>) -> DomainResult<Vec<ShiftView>> {
    let cancelled: Vec<Uuid> = shifts.iter().filter(|s| s.status == EventStatus::Cancelled).map(|s| s.id.0).collect();
    let once_published: HashSet<Uuid> = if cancelled.is_empty() {
        HashSet::new()
    } else {
        sqlx::query_scalar(
            "SELECT DISTINCT stream_id FROM changes
              WHERE org_id = $1 AND stream_id = ANY ($2)
                AND (kind = $3 OR payload -> 'after' ->> 'status' = ANY ($4))",
        )
        .bind(caller.org)
        .bind(&cancelled)
        .bind(crate::change_kind::ChangeKind::ShiftPublished.as_str())
        .bind(crate::access::PUBLISHED.map(EventStatus::as_str).to_vec())
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect()
    };
    Ok(shifts.into_iter().filter(|s| crate::access::known_to_its_worker(s.status) || once_published.contains(&s.id.0)).collect())
}

/// One shift. Its own statements, not `load_many` with one id: PostgreSQL re-plans an `= ANY ($2)`
/// statement on every run when it cannot tell the array's size, which tripled the cost of a move.
pub(super) async fn load(conn: &mut PgConnection, caller: &Caller, id: EventId) -> DomainResult<ShiftView> {
    let row: Option<ShiftRow> =
        sqlx::query_as(shift_select!("e.id = $2")).bind(caller.org).bind(id).fetch_optional(&mut *conn).await?;
    let row = row.ok_or_else(|| DomainError::not_found("shift", id))?;
    let children: Vec<ChildRow> =
        sqlx::query_as(children_select!("parent_id = $2")).bind(caller.org).bind(id).fetch_all(&mut *conn).await?;
    Ok(assemble(vec![row], children).remove(0))
}

/// Shift views from their rows and their children's, wherever those were read.
pub(crate) fn assemble(rows: Vec<ShiftRow>, children: Vec<ChildRow>) -> Vec<ShiftView> {
    let mut breaks: HashMap<EventId, Vec<BreakView>> = HashMap::new();
    let mut periods: HashMap<EventId, Vec<Interval>> = HashMap::new();
    for (shift, id, kind, start, end, paid) in children {
        let during = Interval { start, end: Some(end) };
        if kind == "break" {
            breaks.entry(shift).or_default().push(BreakView { id, during, paid });
        } else {
            periods.entry(shift).or_default().push(during);
        }
    }
    rows.into_iter()
        .map(|ShiftRow { event: e, worker_id, worker_name, location_id, position }| {
            let during = Interval { start: e.start_time, end: e.end_time };
            let breaks = breaks.remove(&e.id).unwrap_or_default();
            let spans: Vec<BreakSpan> = breaks.iter().map(|b| BreakSpan { during: b.during, paid: b.paid }).collect();
            ShiftView {
                id: e.id,
                worker_id,
                worker_name,
                location_id,
                employment_id: e.employment_id,
                during,
                status: e.status,
                role: e.role,
                position: position.tag(),
                notes: e.notes,
                version: e.version,
                hours: shift_hours(&during, &spans),
                breaks,
                work_periods: periods.remove(&e.id).unwrap_or_default(),
            }
        })
        .collect()
}
