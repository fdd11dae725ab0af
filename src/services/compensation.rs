//! Pay rates: `compensation` events give a worker's hourly rate from a date on. A raise is a new event;
//! the rate it follows is ended where the new one starts, and keeps its own span, so the rate in force
//! on any past date is still there to read. One rate at a time per worker is the database's rule.

use super::{workers, Caller};
use crate::access::Action;
use crate::change_kind::{ChangeKind, StreamType};
use crate::ids::{EntityId, EventId, OrgId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::local_time::local_instant;
use crate::payroll::RateSpan;
use crate::store::changes;
use crate::store::core::{self, NewEvent, NewParticipation};
use crate::store::{DomainError, DomainResult};
use crate::views::time::RateView;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

/// The most an hourly rate may be, in cents (a million a hour is a typing mistake).
const RATE_MAX_CENTS: i64 = 100_000_000;

#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRate {
    /// In whole cents: 1850 is 18.50 an hour.
    pub hourly_rate_cents: i64,
    /// ISO 4217, e.g. EUR.
    pub currency: String,
    /// The first day it applies, in the organisation's time zone.
    pub effective_from: NaiveDate,
}

/// Sets the worker's rate from a date on. A rate already starting that day is replaced (withdrawn, kept
/// in the log); one in force then ends the day before.
pub async fn set_rate(pool: &PgPool, caller: &Caller, worker: EntityId, new: NewRate) -> DomainResult<RateView> {
    caller.require(Action::ManagePay)?;
    crate::date_range::require_day("effective_from", new.effective_from)?;
    if !(0..=RATE_MAX_CENTS).contains(&new.hourly_rate_cents) {
        return Err(DomainError::invalid("hourly_rate_cents", format!("must be between 0 and {RATE_MAX_CENTS}")));
    }
    workers::get(pool, caller, worker).await?;
    let mut tx = crate::store::begin(pool).await?;
    let view = set_in(&mut tx, caller, worker, new).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// As [`set_rate`], in the caller's transaction.
pub(crate) async fn set_in(tx: &mut PgConnection, caller: &Caller, worker: EntityId, new: NewRate) -> DomainResult<RateView> {
    let mut set = set_all(tx, caller, vec![(worker, new)]).await?;
    Ok(set.remove(0))
}

/// As [`set_rate`] for many workers, one rate each, in the caller's transaction (an import): the new
/// rates, their participants and their changes are a statement each; only a rate a new one replaces
/// or ends is written on its own. Answered in the order given.
pub(crate) async fn set_all(
    tx: &mut PgConnection,
    caller: &Caller,
    new: Vec<(EntityId, NewRate)>,
) -> DomainResult<Vec<RateView>> {
    caller.require(Action::ManagePay)?;
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let tz = super::organisations::thresholds(&mut *tx, caller.org).await?.week_time_zone;
    let mut workers: Vec<uuid::Uuid> = new.iter().map(|(worker, _)| worker.0).collect();
    workers.sort();
    workers.dedup();
    if workers.len() != new.len() {
        return Err(DomainError::invalid("worker_id", "names a worker twice; give each worker one rate at a time"));
    }
    // In one order for every command, so two setting rates for overlapping workers queue, not deadlock.
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended('compensation:' || $1::text || ':' || w::text, 0))
           FROM unnest($2::uuid[]) AS w",
    )
    .bind(caller.org)
    .bind(&workers)
    .execute(&mut *tx)
    .await?;
    let mut existing = rows_of_all(&mut *tx, caller.org, &workers).await?;
    let mut views = Vec::with_capacity(new.len());
    for (worker, rate) in new {
        crate::date_range::require_day("effective_from", rate.effective_from)?;
        if !(0..=RATE_MAX_CENTS).contains(&rate.hourly_rate_cents) {
            return Err(DomainError::invalid("hourly_rate_cents", format!("must be between 0 and {RATE_MAX_CENTS}")));
        }
        let currency = crate::organisation_setup::checked_currency(&rate.currency)?;
        let start = local_instant(tz, rate.effective_from.and_time(NaiveTime::MIN));
        let theirs = existing.remove(&worker).unwrap_or_default();
        let mut end = theirs.iter().map(|r| r.during.start).filter(|s| *s > start).min();
        if let Some(covering) = theirs.iter().find(|r| r.during.contains_instant(start)) {
            end = covering.during.end;
            let (status, during, kind) = if covering.during.start == start {
                (EventStatus::Cancelled, covering.during, ChangeKind::CompensationWithdrawn)
            } else {
                (EventStatus::Active, Interval { start: covering.during.start, end: Some(start) }, ChangeKind::CompensationEnded)
            };
            let version =
                core::update_event(&mut *tx, caller.org, covering.id, None, during, status, &properties(covering)).await?;
            let after = RateView { during, version, ..covering.clone() };
            log(&mut *tx, caller, &after, kind).await?;
        }
        views.push(RateView {
            id: EventId(uuid::Uuid::nil()),
            worker_id: worker,
            during: Interval { start, end },
            hourly_rate_cents: rate.hourly_rate_cents,
            currency,
            version: 1,
        });
    }
    let events = views
        .iter()
        .map(|view| NewEvent {
            kind: EventKind::Compensation,
            parent: None,
            during: view.during,
            status: EventStatus::Active,
            properties: properties(view),
        })
        .collect();
    let ids = core::insert_events(&mut *tx, caller.org, events).await?;
    for (view, id) in views.iter_mut().zip(ids) {
        view.id = id;
    }
    let participants: Vec<NewParticipation> = views
        .iter()
        .map(|view| NewParticipation { event: view.id, entity: view.worker_id, participation_type: "worker", role: None })
        .collect();
    core::add_participations(&mut *tx, caller.org, &participants).await?;
    let set =
        views.iter().map(|view| changes::Recorded::after(ChangeKind::CompensationSet, view.id.0, view.version, view)).collect();
    changes::record_all(&mut *tx, caller.org, &caller.actor, set).await?;
    Ok(views)
}

/// The worker's rates, earliest first. Workers may read their own.
pub async fn rates(pool: &PgPool, caller: &Caller, worker: EntityId) -> DomainResult<Vec<RateView>> {
    if !caller.access.is_worker(worker) {
        caller.require(Action::ManagePay)?;
    }
    // Another organisation's worker is not found, as every other foreign id is (not an empty list).
    super::workers::get(pool, caller, worker).await?;
    rows(&mut *pool.acquire().await?, caller.org, worker).await
}

/// The rate in force on a local date (at its first instant), if any.
pub async fn rate_on(pool: &PgPool, caller: &Caller, worker: EntityId, date: NaiveDate) -> DomainResult<Option<RateView>> {
    crate::date_range::require_day("date", date)?;
    if !caller.access.is_worker(worker) {
        caller.require(Action::ManagePay)?;
    }
    super::workers::get(pool, caller, worker).await?;
    let mut conn = pool.acquire().await?;
    let tz = super::organisations::thresholds(&mut conn, caller.org).await?.week_time_zone;
    let at = local_instant(tz, date.and_time(NaiveTime::MIN));
    let row: Option<RateRow> = sqlx::query_as(&format!("{SELECT_RATE} AND p.during @> $3::timestamptz"))
        .bind(caller.org)
        .bind(worker)
        .bind(at)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.into_view(worker)))
}

/// When each worker's rates begin and what they pay (for an import to match against).
pub(crate) async fn starts_in_org(
    conn: &mut PgConnection,
    org: OrgId,
) -> DomainResult<std::collections::HashMap<EntityId, Vec<(DateTime<Utc>, i64)>>> {
    let rows: Vec<(EntityId, DateTime<Utc>, Value)> = sqlx::query_as(
        "SELECT p.entity_id, e.start_time, e.properties
           FROM participations p JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
          WHERE p.org_id = $1 AND p.event_type = 'compensation' AND p.participation_type = 'worker' AND p.event_status <> 'cancelled'",
    )
    .bind(org)
    .fetch_all(conn)
    .await?;
    let mut starts: std::collections::HashMap<EntityId, Vec<_>> = std::collections::HashMap::new();
    for (worker, start, properties) in rows {
        starts.entry(worker).or_default().push((start, rate_of(&properties).0));
    }
    Ok(starts)
}

/// The rates of several workers over a window, for pricing.
pub async fn spans(
    conn: &mut PgConnection,
    org: OrgId,
    workers: &[EntityId],
    window: Interval,
) -> DomainResult<Vec<(EntityId, RateSpan)>> {
    let rows: Vec<(EntityId, DateTime<Utc>, Option<DateTime<Utc>>, Value)> = sqlx::query_as(
        "SELECT p.entity_id, e.start_time, e.end_time, e.properties
           FROM participations p JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
          WHERE p.org_id = $1 AND p.entity_id = ANY ($2) AND p.event_type = 'compensation' AND p.participation_type = 'worker'
            AND p.event_status <> 'cancelled' AND p.during && tstzrange($3, $4, '[)')
          ORDER BY p.entity_id, e.start_time",
    )
    .bind(org)
    .bind(workers.iter().map(|w| w.0).collect::<Vec<_>>())
    .bind(window.start)
    .bind(window.end)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(worker, start, end, properties)| {
            let (hourly_rate_cents, currency) = rate_of(&properties);
            (worker, RateSpan { during: Interval { start, end }, hourly_rate_cents, currency })
        })
        .collect())
}

const SELECT_RATE: &str = "SELECT e.id, e.start_time, e.end_time, e.properties, e.version
   FROM participations p JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
  WHERE p.org_id = $1 AND p.entity_id = $2 AND p.event_type = 'compensation' AND p.participation_type = 'worker'
    AND p.event_status <> 'cancelled'";

/// The rates of each of `workers`, earliest first; a worker without any is not in the map.
async fn rows_of_all(
    conn: &mut PgConnection,
    org: OrgId,
    workers: &[uuid::Uuid],
) -> DomainResult<std::collections::HashMap<EntityId, Vec<RateView>>> {
    let rows: Vec<(EntityId, EventId, DateTime<Utc>, Option<DateTime<Utc>>, Value, i32)> = sqlx::query_as(
        "SELECT p.entity_id, e.id, e.start_time, e.end_time, e.properties, e.version
           FROM unnest($2::uuid[]) AS w (id)
           JOIN participations p ON p.org_id = $1 AND p.entity_id = w.id AND p.event_type = 'compensation'
                                AND p.participation_type = 'worker' AND p.event_status <> 'cancelled'
           JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
          ORDER BY p.entity_id, e.start_time",
    )
    .bind(org)
    .bind(workers)
    .fetch_all(conn)
    .await?;
    let mut by_worker: std::collections::HashMap<EntityId, Vec<RateView>> = std::collections::HashMap::new();
    for (worker, id, start_time, end_time, properties, version) in rows {
        let row = RateRow { id, start_time, end_time, properties, version };
        by_worker.entry(worker).or_default().push(row.into_view(worker));
    }
    Ok(by_worker)
}

async fn rows(conn: &mut PgConnection, org: OrgId, worker: EntityId) -> DomainResult<Vec<RateView>> {
    let rows: Vec<RateRow> =
        sqlx::query_as(&format!("{SELECT_RATE} ORDER BY e.start_time")).bind(org).bind(worker).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| r.into_view(worker)).collect())
}

fn properties(rate: &RateView) -> Value {
    json!({ "hourly_rate_cents": rate.hourly_rate_cents, "currency": rate.currency })
}

fn rate_of(properties: &Value) -> (i64, String) {
    (
        properties.get("hourly_rate_cents").and_then(Value::as_i64).unwrap_or(0),
        properties.get("currency").and_then(Value::as_str).unwrap_or("EUR").to_string(),
    )
}

async fn log(conn: &mut PgConnection, caller: &Caller, rate: &RateView, kind: ChangeKind) -> DomainResult<()> {
    debug_assert_eq!(kind.stream(), StreamType::Compensation, "{kind:?}");
    changes::record(conn, caller.org, &caller.actor, kind, rate.id.0, rate.version, json!({ "after": rate })).await
}

#[derive(sqlx::FromRow)]
struct RateRow {
    id: EventId,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    properties: Value,
    version: i32,
}

impl RateRow {
    fn into_view(self, worker: EntityId) -> RateView {
        let (hourly_rate_cents, currency) = rate_of(&self.properties);
        RateView {
            id: self.id,
            worker_id: worker,
            during: Interval { start: self.start_time, end: self.end_time },
            hourly_rate_cents,
            currency,
            version: self.version,
        }
    }
}
