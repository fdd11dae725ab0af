//! Schedules: a location's plan for a period, `draft → published → archived`. Publishing activates the
//! period's draft shifts in one transaction, and is refused while hard conflicts remain.

use super::{attention, employments, locations, organisations, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus, ScheduleStatus};
use crate::rules::Severity;
use crate::store::changes;
use crate::store::core::{self, NewEvent};
use crate::store::{DomainError, DomainResult};
use crate::views::ScheduleView;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use std::collections::BTreeSet;

#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSchedule {
    pub location_id: EntityId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ScheduleRow {
    id: EventId,
    location_id: EntityId,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    status: EventStatus,
    version: i32,
}

impl From<ScheduleRow> for ScheduleView {
    fn from(r: ScheduleRow) -> Self {
        ScheduleView {
            id: r.id,
            location_id: r.location_id,
            period: Interval { start: r.start_time, end: r.end_time },
            status: ScheduleStatus::from_event_status(r.status),
            version: r.version,
        }
    }
}

const SELECT_SCHEDULE: &str = "SELECT e.id, p.entity_id AS location_id, e.start_time, e.end_time, e.status, e.version
   FROM events e JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id AND p.participation_type = 'location'
  WHERE e.org_id = $1 AND e.event_type = 'schedule'";

pub async fn create(pool: &PgPool, caller: &Caller, new: NewSchedule) -> DomainResult<ScheduleView> {
    caller.require_at(Action::EditDrafts, new.location_id)?;
    crate::date_range::require_instant("start", new.start)?;
    crate::date_range::require_instant("end", new.end)?;
    let period = Interval::new(new.start, new.end).map_err(|e| DomainError::invalid("end", e.to_string()))?;
    locations::get(pool, caller, new.location_id).await?;
    let mut tx = crate::store::begin(pool).await?;
    let view = insert_draft(&mut tx, caller, new.location_id, period).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Opens a draft schedule for `period` at the location unless a schedule already overlaps it, so planning
/// into an empty week just works. Concurrent openers of the same location wait for each other (an
/// advisory lock for the transaction), so the second sees the first's schedule instead of colliding.
pub(crate) async fn open_draft_unless_planned(
    tx: &mut PgConnection,
    caller: &Caller,
    location: EntityId,
    period: Interval,
) -> DomainResult<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('schedule:' || $1::text, 0))")
        .bind(location)
        .execute(&mut *tx)
        .await?;
    let planned: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'schedule' AND participation_type = 'location'
            AND event_status <> 'cancelled' AND during && tstzrange($3, $4, '[)'))",
    )
    .bind(caller.org)
    .bind(location)
    .bind(period.start)
    .bind(period.end)
    .fetch_one(&mut *tx)
    .await?;
    if !planned {
        insert_draft(tx, caller, location, period).await?;
    }
    Ok(())
}

/// Opens a draft schedule inside the caller's transaction.
pub(crate) async fn insert_draft(
    tx: &mut PgConnection,
    caller: &Caller,
    location: EntityId,
    period: Interval,
) -> DomainResult<ScheduleView> {
    let id = core::insert_event(
        &mut *tx,
        caller.org,
        NewEvent { kind: EventKind::Schedule, parent: None, during: period, status: EventStatus::Draft, properties: json!({}) },
    )
    .await?;
    core::add_participation(&mut *tx, caller.org, id, location, "location", None).await?;
    let view = ScheduleView { id, location_id: location, period, status: ScheduleStatus::Draft, version: 1 };
    changes::record(&mut *tx, caller.org, &caller.actor, ChangeKind::ScheduleCreated, id.0, 1, json!({ "after": view })).await?;
    Ok(view)
}

pub async fn get(pool: &PgPool, caller: &Caller, id: EventId) -> DomainResult<ScheduleView> {
    caller.require(Action::ReadOrganisation)?;
    let row: Option<ScheduleRow> =
        sqlx::query_as(&format!("{SELECT_SCHEDULE} AND e.id = $2")).bind(caller.org).bind(id).fetch_optional(pool).await?;
    row.map(Into::into).ok_or_else(|| DomainError::not_found("schedule", id))
}

pub async fn list(pool: &PgPool, caller: &Caller, location: Option<EntityId>) -> DomainResult<Vec<ScheduleView>> {
    caller.require(Action::ReadOrganisation)?;
    let rows: Vec<ScheduleRow> =
        sqlx::query_as(&format!("{SELECT_SCHEDULE} AND ($2::uuid IS NULL OR p.entity_id = $2) ORDER BY e.start_time, e.id"))
            .bind(caller.org)
            .bind(location)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Activates the schedule's draft shifts and marks it published. Refused, with the blocking conflicts,
/// while any draft shift in it has a hard conflict; the exclusion constraint backs this under races.
pub async fn publish(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<ScheduleView> {
    caller.require(Action::Publish)?;
    crate::store::retrying(|| apply_publish(pool, caller, id, expected_version)).await
}

async fn apply_publish(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<ScheduleView> {
    let mut tx = crate::store::begin(pool).await?;
    let row = core::lock_event(&mut tx, caller.org, EventKind::Schedule, id, Some(expected_version)).await?;
    if matches!(row.status, EventStatus::Completed | EventStatus::Cancelled) {
        return Err(DomainError::invalid("status", "an archived schedule cannot be published"));
    }
    let location: EntityId = schedule_location(&mut tx, caller, id).await?;
    let drafts = draft_shifts(&mut tx, caller, location, row.during()).await?;
    adopt_orphans(&mut tx, caller, &drafts).await?;

    let thresholds = organisations::thresholds(&mut tx, caller.org).await?;
    let draft_ids: BTreeSet<EventId> = drafts.iter().map(|d| d.id).collect();
    let workers: BTreeSet<EntityId> = drafts.iter().map(|d| d.worker).collect();
    let mut blocking = Vec::new();
    for worker in workers {
        let conflicts = attention::evaluate_in(&mut tx, caller, worker, row.during(), &thresholds).await?;
        blocking.extend(
            conflicts.into_iter().filter(|c| c.severity == Severity::Hard && c.shifts.iter().any(|s| draft_ids.contains(s))),
        );
    }
    if !blocking.is_empty() {
        return Err(DomainError::RuleViolation {
            message: format!("{} hard conflict(s) must be resolved before publishing.", blocking.len()),
            conflicts: blocking,
        });
    }

    let ids: Vec<uuid::Uuid> = draft_ids.iter().map(|s| s.0).collect();
    let (shift_ids, shift_workers): (Vec<uuid::Uuid>, Vec<uuid::Uuid>) = drafts.iter().map(|d| (d.id.0, d.worker.0)).unzip();
    // One change per activated shift, written by the same statement that activates them; it names the
    // worker, whose timeline shows that their schedule was published.
    sqlx::query(
        "WITH activated AS (
            UPDATE events SET status = 'active', version = version + 1
             WHERE org_id = $1 AND id = ANY ($2) AND status = 'draft'
         RETURNING id, version)
         INSERT INTO changes (org_id, stream_id, stream_type, stream_version, actor_id, actor, kind, payload)
         SELECT $1, a.id, $7, a.version, $3, $4, $8,
                jsonb_build_object('schedule_id', $5::uuid, 'worker_id', d.worker_id)
           FROM activated a JOIN unnest($2::uuid[], $6::uuid[]) AS d (id, worker_id) ON d.id = a.id",
    )
    .bind(caller.org)
    .bind(&shift_ids)
    .bind(caller.actor.id)
    .bind(&caller.actor.name)
    .bind(id)
    .bind(&shift_workers)
    .bind(ChangeKind::ShiftPublished.stream().as_str())
    .bind(ChangeKind::ShiftPublished.as_str())
    .execute(&mut *tx)
    .await?;
    super::open_shifts::stored::publish_drafts_in(&mut tx, caller, location, row.during()).await?;
    let version = core::update_event(&mut tx, caller.org, id, None, row.during(), EventStatus::Active, &row.properties).await?;
    changes::record(
        &mut tx,
        caller.org,
        &caller.actor,
        ChangeKind::SchedulePublished,
        id.0,
        version,
        json!({ "activated_shifts": ids }),
    )
    .await?;
    crate::store::commit(tx, pool).await?;
    get(pool, caller, id).await
}

/// Archives a published schedule: its period is history, closed to changes.
/// A draft dragged outside every employment has no parent; if an employment covers it by now (one was
/// extended), it is nested there before publishing, as an active shift must be.
async fn adopt_orphans(conn: &mut PgConnection, caller: &Caller, drafts: &[Draft]) -> DomainResult<()> {
    for draft in drafts.iter().filter(|d| d.employment.is_none()) {
        let during = Interval { start: draft.start_time, end: Some(draft.end_time) };
        if let Some(employment) = employments::containing(conn, caller, draft.worker, during).await? {
            sqlx::query("UPDATE events SET parent_id = $3 WHERE org_id = $1 AND id = $2")
                .bind(caller.org)
                .bind(draft.id)
                .bind(employment)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Moves a draft schedule's period. Refused for a published schedule, and while a draft shift of it
/// would fall outside the new period (those are moved or cancelled first).
pub async fn set_period(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> DomainResult<ScheduleView> {
    crate::date_range::require_instant("start", start)?;
    crate::date_range::require_instant("end", end)?;
    let period = Interval::new(start, end).map_err(|e| DomainError::invalid("end", e.to_string()))?;
    let mut tx = crate::store::begin(pool).await?;
    let row = core::lock_event(&mut tx, caller.org, EventKind::Schedule, id, Some(expected_version)).await?;
    let location = schedule_location(&mut tx, caller, id).await?;
    caller.require_at(Action::EditDrafts, location)?;
    if row.status != EventStatus::Draft {
        return Err(DomainError::invalid("status", "only a draft schedule's period can change; a published one is archived"));
    }
    let before = row.during();
    let left_out = draft_shifts(&mut tx, caller, location, before)
        .await?
        .into_iter()
        .filter(|d| !period.contains_instant(d.start_time))
        .count();
    if left_out > 0 {
        return Err(DomainError::Conflict {
            code: "shifts_outside_period",
            message: format!("{left_out} draft shift(s) of this schedule start outside that period; move or cancel them first."),
        });
    }
    let version = core::update_event(&mut tx, caller.org, id, None, period, row.status, &row.properties).await?;
    let payload = json!({ "before": before, "after": period });
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::SchedulePeriodChanged, id.0, version, payload).await?;
    crate::store::commit(tx, pool).await?;
    get(pool, caller, id).await
}

pub async fn archive(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<ScheduleView> {
    caller.require(Action::Publish)?;
    let mut tx = crate::store::begin(pool).await?;
    let row = core::lock_event(&mut tx, caller.org, EventKind::Schedule, id, Some(expected_version)).await?;
    if row.status != EventStatus::Active {
        return Err(DomainError::invalid("status", "only a published schedule can be archived"));
    }
    let version =
        core::update_event(&mut tx, caller.org, id, None, row.during(), EventStatus::Completed, &row.properties).await?;
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::ScheduleArchived, id.0, version, json!({})).await?;
    crate::store::commit(tx, pool).await?;
    get(pool, caller, id).await
}

pub(crate) async fn schedule_location(conn: &mut PgConnection, caller: &Caller, id: EventId) -> DomainResult<EntityId> {
    Ok(sqlx::query_scalar(
        "SELECT entity_id FROM participations WHERE org_id = $1 AND event_id = $2 AND participation_type = 'location'",
    )
    .bind(caller.org)
    .bind(id)
    .fetch_one(conn)
    .await?)
}

#[derive(sqlx::FromRow)]
pub(crate) struct Draft {
    pub id: EventId,
    worker: EntityId,
    employment: Option<EventId>,
    start_time: DateTime<Utc>,
    end_time: DateTime<Utc>,
}

/// Draft shifts at the location starting in the period, with their workers and employments.
pub(crate) async fn draft_shifts(
    conn: &mut PgConnection,
    caller: &Caller,
    location: EntityId,
    period: Interval,
) -> DomainResult<Vec<Draft>> {
    Ok(sqlx::query_as(
        "SELECT e.id, w.entity_id AS worker, e.parent_id AS employment, e.start_time, e.end_time FROM participations l
           JOIN events e ON e.org_id = l.org_id AND e.id = l.event_id
           JOIN participations w ON w.org_id = e.org_id AND w.event_id = e.id AND w.participation_type = 'worker'
          WHERE l.org_id = $1 AND l.entity_id = $2 AND l.event_type = 'shift' AND l.participation_type = 'location'
            AND l.event_status = 'draft' AND e.start_time >= $3 AND e.start_time < $4",
    )
    .bind(caller.org)
    .bind(location)
    .bind(period.start)
    .bind(period.end)
    .fetch_all(conn)
    .await?)
}

/// The location has a schedule open for changes at `at`.
pub(crate) async fn open_schedule_at(
    conn: &mut PgConnection,
    caller: &Caller,
    location: EntityId,
    at: DateTime<Utc>,
) -> DomainResult<EventId> {
    let found: Option<(EventId, EventStatus)> = sqlx::query_as(
        "SELECT event_id, event_status FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'schedule' AND participation_type = 'location'
            AND event_status <> 'cancelled' AND during @> $3::timestamptz",
    )
    .bind(caller.org)
    .bind(location)
    .bind(at)
    .fetch_optional(conn)
    .await?;
    schedule_to_plan_in(found)
}

/// Whether a shift may be planned in the schedule found covering its start (none, archived, or this one).
pub(crate) fn schedule_to_plan_in(found: Option<(EventId, EventStatus)>) -> DomainResult<EventId> {
    match found {
        None => Err(DomainError::invalid("start", "no schedule at this location covers that time; create one first")),
        Some((_, EventStatus::Completed)) => Err(DomainError::invalid("start", "that schedule is archived")),
        Some((id, _)) => Ok(id),
    }
}

/// Every live schedule of these locations covering an instant from `first` to `last`, with its status
/// and span, by location: what [`open_schedule_at`] looks in, read once for many shifts.
pub(crate) async fn of_locations(
    conn: &mut PgConnection,
    caller: &Caller,
    locations: &[uuid::Uuid],
    first: DateTime<Utc>,
    last: DateTime<Utc>,
) -> DomainResult<std::collections::HashMap<EntityId, Vec<(EventId, EventStatus, Interval)>>> {
    let rows: Vec<(EntityId, EventId, EventStatus, DateTime<Utc>, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT p.entity_id, p.event_id, p.event_status, lower(p.during), upper(p.during)
           FROM unnest($2::uuid[]) AS l (id)
           JOIN participations p ON p.org_id = $1 AND p.entity_id = l.id AND p.event_type = 'schedule'
                                AND p.participation_type = 'location' AND p.event_status <> 'cancelled'
                                AND p.during && tstzrange($3, $4, '[]')",
    )
    .bind(caller.org)
    .bind(locations)
    .bind(first)
    .bind(last)
    .fetch_all(conn)
    .await?;
    let mut by_location: std::collections::HashMap<EntityId, Vec<_>> = std::collections::HashMap::new();
    for (location, id, status, start, end) in rows {
        by_location.entry(location).or_default().push((id, status, Interval { start, end }));
    }
    Ok(by_location)
}
