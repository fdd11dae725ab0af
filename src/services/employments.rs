//! Employments: the periods a worker works for the organisation. A worker's active employments never
//! overlap (the database refuses it), and every shift lies inside one of them.

use super::{attention, workers, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::store::changes;
use crate::store::core::{self, NewEvent, NewParticipation};
use crate::store::{DomainError, DomainResult};
use crate::views::EmploymentView;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewEmployment {
    pub worker_id: EntityId,
    /// The location the worker is usually scheduled at; the calendar lists them there.
    pub location_id: Option<EntityId>,
    pub start: DateTime<Utc>,
    /// Leave out for an open-ended employment.
    pub end: Option<DateTime<Utc>>,
    pub title: Option<String>,
    /// Contracted hours a week (0–80).
    #[serde(default)]
    pub contract_hours: Option<f64>,
}

/// Which employments an organisation-wide list holds.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct EmploymentFilter {
    /// Only this worker's.
    pub worker_id: Option<EntityId>,
    /// Only those at this location.
    pub location_id: Option<EntityId>,
    /// Only those running at this instant (neither begun after it nor ended before it).
    pub active_at: Option<DateTime<Utc>>,
    /// Cancelled ones too (left out unless asked).
    #[serde(default)]
    pub include_cancelled: bool,
    /// At most this many, in start order (default 500, at most 5000).
    pub limit: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EmploymentRow {
    id: EventId,
    worker_id: EntityId,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    status: EventStatus,
    title: Option<String>,
    contract_hours: Option<f64>,
    location_id: Option<EntityId>,
    version: i32,
}

impl From<EmploymentRow> for EmploymentView {
    fn from(r: EmploymentRow) -> Self {
        EmploymentView {
            id: r.id,
            worker_id: r.worker_id,
            during: Interval { start: r.start_time, end: r.end_time },
            status: r.status,
            title: r.title,
            contract_hours: r.contract_hours,
            location_id: r.location_id,
            version: r.version,
        }
    }
}

const SELECT_EMPLOYMENT: &str = "SELECT e.id, p.entity_id AS worker_id, e.start_time, e.end_time, e.status,
        e.properties ->> 'title' AS title, (e.properties ->> 'contract_hours')::float8 AS contract_hours,
        l.entity_id AS location_id, e.version
   FROM events e JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id AND p.participation_type = 'employee'
   LEFT JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location'
  WHERE e.org_id = $1 AND e.event_type = 'employment'";

pub async fn create(pool: &PgPool, caller: &Caller, new: NewEmployment) -> DomainResult<EmploymentView> {
    caller.require(Action::ManagePeople)?;
    workers::get(pool, caller, new.worker_id).await?;
    let mut tx = crate::store::begin(pool).await?;
    let view = insert(&mut tx, caller, new).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Checks and writes an employment, with its change, in the caller's transaction (a command that
/// employs someone along with something else: hiring on the roster).
pub(crate) async fn insert(conn: &mut PgConnection, caller: &Caller, new: NewEmployment) -> DomainResult<EmploymentView> {
    let mut written = insert_all(conn, caller, vec![new]).await?;
    Ok(written.remove(0))
}

/// As [`insert`] for many employments, a statement each for the events, their participants and their
/// changes (an import); answered in the order given. The first that fails a check refuses them all.
pub(crate) async fn insert_all(
    conn: &mut PgConnection,
    caller: &Caller,
    new: Vec<NewEmployment>,
) -> DomainResult<Vec<EmploymentView>> {
    caller.require(Action::ManagePeople)?;
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let schema = core::properties_schema(&mut *conn, caller.org, EventKind::Employment).await?;
    let mut events = Vec::with_capacity(new.len());
    let mut views = Vec::with_capacity(new.len());
    for employment in new {
        crate::date_range::require_instant("start", employment.start)?;
        crate::date_range::require_optional_instant("end", employment.end)?;
        let during =
            Interval::open_ended(employment.start, employment.end).map_err(|e| DomainError::invalid("end", e.to_string()))?;
        if employment.contract_hours.is_some_and(|h| !(0.0..=80.0).contains(&h)) {
            return Err(DomainError::invalid("contract_hours", "must be between 0 and 80 hours a week"));
        }
        let mut properties = serde_json::Map::new();
        if let Some(title) = &employment.title {
            properties.insert("title".into(), json!(title));
        }
        if let Some(hours) = employment.contract_hours {
            properties.insert("contract_hours".into(), json!(hours));
        }
        let properties = serde_json::Value::Object(properties);
        core::check_against(&schema, &properties)?;
        events.push(NewEvent { kind: EventKind::Employment, parent: None, during, status: EventStatus::Active, properties });
        views.push(EmploymentView {
            id: EventId(uuid::Uuid::nil()),
            worker_id: employment.worker_id,
            location_id: employment.location_id,
            during,
            status: EventStatus::Active,
            title: employment.title,
            contract_hours: employment.contract_hours,
            version: 1,
        });
    }
    let ids = core::insert_events(&mut *conn, caller.org, events).await?;
    let mut participants = Vec::with_capacity(views.len() * 2);
    for (view, id) in views.iter_mut().zip(ids) {
        view.id = id;
        participants.push(NewParticipation { event: id, entity: view.worker_id, participation_type: "employee", role: None });
        if let Some(location) = view.location_id {
            participants.push(NewParticipation { event: id, entity: location, participation_type: "location", role: None });
        }
    }
    core::add_participations(&mut *conn, caller.org, &participants).await?;
    let started = views.iter().map(|view| changes::Recorded::after(ChangeKind::EmploymentStarted, view.id.0, 1, view)).collect();
    changes::record_all(&mut *conn, caller.org, &caller.actor, started).await?;
    Ok(views)
}

pub async fn get(pool: &PgPool, caller: &Caller, id: EventId) -> DomainResult<EmploymentView> {
    caller.require(Action::ReadOrganisation)?;
    let row: Option<EmploymentRow> =
        sqlx::query_as(&format!("{SELECT_EMPLOYMENT} AND e.id = $2")).bind(caller.org).bind(id).fetch_optional(pool).await?;
    row.map(Into::into).ok_or_else(|| DomainError::not_found("employment", id))
}

/// The organisation's employments, filtered, in start order.
pub async fn list(pool: &PgPool, caller: &Caller, filter: &EmploymentFilter) -> DomainResult<Vec<EmploymentView>> {
    caller.require(Action::ReadOrganisation)?;
    crate::date_range::require_optional_instant("active_at", filter.active_at)?;
    let rows: Vec<EmploymentRow> = sqlx::query_as(&format!(
        "{SELECT_EMPLOYMENT}
            AND ($2::uuid IS NULL OR p.entity_id = $2) AND ($3::uuid IS NULL OR l.entity_id = $3)
            AND ($4::timestamptz IS NULL OR (e.start_time <= $4 AND (e.end_time IS NULL OR e.end_time > $4)))
            AND ($5 OR e.status <> 'cancelled')
          ORDER BY e.start_time, e.id LIMIT $6"
    ))
    .bind(caller.org)
    .bind(filter.worker_id)
    .bind(filter.location_id)
    .bind(filter.active_at)
    .bind(filter.include_cancelled)
    .bind(filter.limit.unwrap_or(500).clamp(1, 5000))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Every live employment's span, by worker (for an import to match against).
pub(crate) async fn spans_in_org(
    conn: &mut PgConnection,
    org: crate::ids::OrgId,
) -> DomainResult<std::collections::HashMap<EntityId, Vec<(EventId, Interval)>>> {
    let rows: Vec<(EntityId, EventId, DateTime<Utc>, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT entity_id, event_id, lower(during), upper(during) FROM participations
          WHERE org_id = $1 AND event_type = 'employment' AND participation_type = 'employee'
            AND event_status IN ('active', 'completed')",
    )
    .bind(org)
    .fetch_all(conn)
    .await?;
    let mut spans: std::collections::HashMap<EntityId, Vec<_>> = std::collections::HashMap::new();
    for (worker, id, start, end) in rows {
        spans.entry(worker).or_default().push((id, Interval { start, end }));
    }
    Ok(spans)
}

/// The live employments' spans of these workers only (a drawn shift, a batch of drafts): what
/// [`spans_in_org`] reads for the whole organisation.
pub(crate) async fn spans_of(
    conn: &mut PgConnection,
    org: crate::ids::OrgId,
    workers: &[uuid::Uuid],
) -> DomainResult<std::collections::HashMap<EntityId, Vec<(EventId, Interval)>>> {
    let rows: Vec<(EntityId, EventId, DateTime<Utc>, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT p.entity_id, p.event_id, lower(p.during), upper(p.during)
           FROM unnest($2::uuid[]) AS w (id)
           JOIN participations p ON p.org_id = $1 AND p.entity_id = w.id AND p.event_type = 'employment'
                                AND p.participation_type = 'employee' AND p.event_status IN ('active', 'completed')",
    )
    .bind(org)
    .bind(workers)
    .fetch_all(conn)
    .await?;
    let mut spans: std::collections::HashMap<EntityId, Vec<_>> = std::collections::HashMap::new();
    for (worker, id, start, end) in rows {
        spans.entry(worker).or_default().push((id, Interval { start, end }));
    }
    Ok(spans)
}

/// Every employment (not cancelled) of these workers, in start order.
pub(crate) async fn of_workers(pool: &PgPool, caller: &Caller, workers: &[EntityId]) -> DomainResult<Vec<EmploymentView>> {
    caller.require(Action::ReadOrganisation)?;
    let rows: Vec<EmploymentRow> = sqlx::query_as(&format!(
        "{SELECT_EMPLOYMENT} AND p.entity_id = ANY ($2) AND e.status <> 'cancelled' ORDER BY e.start_time, e.id"
    ))
    .bind(caller.org)
    .bind(workers.iter().map(|w| w.0).collect::<Vec<_>>())
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn list_for_worker(pool: &PgPool, caller: &Caller, worker: EntityId) -> DomainResult<Vec<EmploymentView>> {
    caller.require(Action::ReadOrganisation)?;
    workers::get(pool, caller, worker).await?;
    let rows: Vec<EmploymentRow> = sqlx::query_as(&format!("{SELECT_EMPLOYMENT} AND p.entity_id = $2 ORDER BY e.start_time"))
        .bind(caller.org)
        .bind(worker)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Changes when the employment ends: earlier (ending it) or later, or `None` to make it open-ended.
/// Refused while live shifts would fall outside it.
pub async fn set_end(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    end: Option<DateTime<Utc>>,
    expected_version: i32,
) -> DomainResult<EmploymentView> {
    caller.require(Action::ManagePeople)?;
    crate::date_range::require_optional_instant("end", end)?;
    let mut tx = crate::store::begin(pool).await?;
    let row = core::lock_event(&mut tx, caller.org, EventKind::Employment, id, Some(expected_version)).await?;
    let during = Interval::open_ended(row.start_time, end)
        .map_err(|_| DomainError::invalid("end", "must be after the employment starts"))?;
    let stranded: Vec<EventId> = sqlx::query_scalar(
        "SELECT id FROM events WHERE org_id = $1 AND parent_id = $2 AND status <> 'cancelled'
            AND $3::timestamptz IS NOT NULL AND end_time > $3 ORDER BY start_time",
    )
    .bind(caller.org)
    .bind(id)
    .bind(end)
    .fetch_all(&mut *tx)
    .await?;
    if !stranded.is_empty() {
        return Err(DomainError::invalid(
            "end",
            format!("{} shift(s) are scheduled after that; cancel or reassign them first: {:?}", stranded.len(), stranded),
        ));
    }
    let version = core::update_event(&mut tx, caller.org, id, None, during, row.status, &row.properties).await?;
    let kind = if end.is_some_and(|e| row.end_time.is_none_or(|old| e < old)) {
        ChangeKind::EmploymentEnded
    } else {
        ChangeKind::EmploymentExtended
    };
    changes::record(&mut tx, caller.org, &caller.actor, kind, id.0, version, json!({ "before": row.during(), "after": during }))
        .await?;
    let worker: EntityId = sqlx::query_scalar(
        "SELECT entity_id FROM participations WHERE org_id = $1 AND event_id = $2 AND participation_type = 'employee'",
    )
    .bind(caller.org)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    // The worker's lock even when no attention item can change: a shift moved at the same time commits
    // after this or before it, so one of the two sees the other in its check of the employment's bounds
    // (`events_within_parent`, at commit).
    match changed_stretch(&mut tx, caller, worker, row.end_time, end).await? {
        Some(changed) => attention::refresh_workers(&mut tx, caller, &[(worker, changed)]).await?,
        None => super::workers::lock(&mut tx, caller.org, &[worker]).await?,
    }
    crate::store::commit(tx, pool).await?;
    get(pool, caller, id).await
}

/// Ends every employment of the worker that reaches past `from` at `from`, and cancels those that begin
/// only after it, in the caller's transaction (a worker being removed). The caller has made sure no live
/// shift reaches past `from`, and refreshes the worker's attention items.
pub(crate) async fn end_all_from(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    from: DateTime<Utc>,
) -> DomainResult<()> {
    let reaching: Vec<EventId> = sqlx::query_scalar(
        "SELECT event_id FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'employment' AND participation_type = 'employee'
            AND event_status = 'active' AND (upper(during) IS NULL OR upper(during) > $3)
          ORDER BY lower(during)",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    for id in reaching {
        let row = core::lock_event(&mut *conn, caller.org, EventKind::Employment, id, None).await?;
        let before = row.during();
        let (during, status) = match Interval::open_ended(row.start_time, Some(from)) {
            Ok(ended) => (ended, EventStatus::Active),
            Err(_) => (before, EventStatus::Cancelled),
        };
        let version = core::update_event(&mut *conn, caller.org, id, None, during, status, &row.properties).await?;
        let after = (status == EventStatus::Active).then_some(during);
        let payload = json!({ "before": before, "after": after });
        changes::record(&mut *conn, caller.org, &caller.actor, ChangeKind::EmploymentEnded, id.0, version, payload).await?;
    }
    Ok(())
}

/// The time whose employment status changed when an end moved from `old` to `new`: from the earlier of
/// the two to the later, where "never ends" reaches as far as the worker's last planned shift.
async fn changed_stretch(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    old: Option<DateTime<Utc>>,
    new: Option<DateTime<Utc>>,
) -> DomainResult<Option<Interval>> {
    let Some(from) = [old, new].into_iter().flatten().min() else {
        return Ok(None);
    };
    let to = match (old, new) {
        (Some(a), Some(b)) => a.max(b),
        _ => {
            let last: Option<DateTime<Utc>> = sqlx::query_scalar(
                "SELECT max(upper(during)) FROM participations
                  WHERE org_id = $1 AND entity_id = $2 AND event_type = 'shift' AND participation_type = 'worker'
                    AND event_status <> 'cancelled'",
            )
            .bind(caller.org)
            .bind(worker)
            .fetch_one(&mut *conn)
            .await?;
            last.unwrap_or(from).max(from)
        }
    };
    Ok(Some(Interval { start: from, end: Some(to) }))
}

/// The worker's live employment that wholly contains `during`, if any.
pub(crate) async fn containing(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    during: Interval,
) -> DomainResult<Option<EventId>> {
    Ok(sqlx::query_scalar(
        "SELECT event_id FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'employment' AND participation_type = 'employee'
            AND event_status IN ('active', 'completed') AND during @> tstzrange($3, $4, '[)')
          LIMIT 1",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(during.start)
    .bind(during.end)
    .fetch_optional(conn)
    .await?)
}
