//! Time off: a worker asks, a manager approves or declines with a note, the worker withdraws before it
//! starts. Each request is a `time_off` event the worker takes part in, and every step a change in its
//! stream, which the worker's and the managers' screens follow. Approved time off is a fact the rules
//! judge drafts against (`attention`), and the database keeps published shifts off it.

use super::{attention, workers, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::store::changes::{self, Recorded};
use crate::store::core::{self, NewEvent};
use crate::store::{DomainError, DomainResult};
use crate::time_off::{self, Asked, TimeOffKind, TimeOffStatus};
use crate::views::time_off::{MyTimeOffView, RequestsView, TimeOffView};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

/// The longest note a worker or a manager may write, as the event type's schema holds it.
const NOTE_MAX_CHARS: usize = 500;
/// The most requests one list answers with.
const LIST_LIMIT: i64 = 500;

/// A request as a worker (or a manager, for them) sends it: whole days, some hours of one day, or
/// hours between two instants.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTimeOff {
    /// Whose time off; the caller's own when left out. Only a manager may ask for someone else.
    pub worker_id: Option<EntityId>,
    pub kind: Option<TimeOffKind>,
    /// Whole days, in the organisation's time zone: the first and last day away.
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// Or some hours of `first_day`, in the organisation's zone: "09:00" to "13:00".
    pub from_time: Option<NaiveTime>,
    pub to_time: Option<NaiveTime>,
    /// Or hours between two instants: from `start` to `end`.
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// A manager's answer, or a withdrawal, at the version the person saw.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub expected_version: i32,
    /// Why, in a few words; shown to the worker.
    pub note: Option<String>,
}

/// Which requests to list.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct TimeOffFilter {
    /// Only this worker's (a worker sees only their own whatever is asked).
    pub worker_id: Option<EntityId>,
    /// Only requests in this standing: requested, approved, declined or cancelled.
    pub status: Option<String>,
    /// Only requests overlapping [from, to).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Asks for time off. A worker asks for themself; a manager may ask for anyone (a sick call taken
/// on the phone). Refused, naming the request it meets, while another live request of theirs covers
/// part of the time.
pub async fn request(pool: &PgPool, caller: &Caller, new: NewTimeOff) -> DomainResult<TimeOffView> {
    let worker = match (new.worker_id, caller.access.worker) {
        (Some(asked), own) if own != Some(asked) => {
            caller.require(Action::DecideRequests)?;
            asked
        }
        (_, Some(own)) => {
            caller.require(Action::RequestTimeOff)?;
            own
        }
        (_, None) => return Err(DomainError::invalid("worker_id", "is required: this account is not a worker")),
    };
    let kind = new.kind.ok_or_else(|| DomainError::invalid("kind", "is required: vacation, sick, unpaid or other"))?;
    let asked = asked(&new)?;
    let note = checked_note("note", new.note)?;
    let named = workers::get(pool, caller, worker).await?;
    if named.removed_from.is_some_and(|from| from <= Utc::now()) {
        return Err(DomainError::invalid("worker_id", "that worker was removed"));
    }
    let mut tx = crate::store::begin(pool).await?;
    let tz = zone(&mut tx, caller).await?;
    let during = asked.span(tz).map_err(|(field, message)| DomainError::invalid(field, message))?;
    if let Some(met) = live_overlapping(&mut tx, caller, worker, during).await? {
        return Err(already_asked(&met, tz));
    }
    let properties = properties(kind, matches!(asked, Asked::Days { .. }), note.as_deref(), None, None);
    let id = core::insert_event(
        &mut tx,
        caller.org,
        NewEvent { kind: EventKind::TimeOff, parent: None, during, status: EventStatus::Draft, properties },
    )
    .await?;
    core::add_participation(&mut tx, caller.org, id, worker, "worker", None).await?;
    let view = read(&mut tx, caller, id, tz).await?;
    record(&mut tx, caller, ChangeKind::TimeOffRequested, &view).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Approves a request. Refused, naming them, while published shifts of the worker fall in it: those
/// are reassigned or cancelled first. Drafts in it become hard conflicts, which publishing refuses.
pub async fn approve(pool: &PgPool, caller: &Caller, id: EventId, decision: Decision) -> DomainResult<TimeOffView> {
    caller.require(Action::DecideRequests)?;
    let note = checked_note("note", decision.note)?;
    crate::store::retrying(|| apply_approve(pool, caller, id, decision.expected_version, note.clone())).await
}

async fn apply_approve(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    note: Option<String>,
) -> DomainResult<TimeOffView> {
    let mut tx = crate::store::begin(pool).await?;
    let tz = zone(&mut tx, caller).await?;
    let (row, before) = lock(&mut tx, caller, id, expected_version, tz).await?;
    if before.status != TimeOffStatus::Requested {
        return Err(not_waiting(&before));
    }
    let published = published_shifts_in(&mut tx, caller, before.worker_id, before.during).await?;
    if !published.is_empty() {
        return Err(DomainError::Conflict {
            code: "published_shifts_in_time_off",
            message: format!(
                "{} is on published shifts then ({}): reassign or cancel them first, then approve.",
                before.worker_name,
                published.iter().map(|s| local_span(s, tz)).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    let properties = with_decision(&row.properties, note.as_deref(), None);
    core::update_event(&mut tx, caller.org, id, None, before.during, EventStatus::Active, &properties).await?;
    let after = read(&mut tx, caller, id, tz).await?;
    record(&mut tx, caller, ChangeKind::TimeOffApproved, &after).await?;
    attention::refresh_workers(&mut tx, caller, &[(after.worker_id, after.during)]).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Declines a request, with the manager's note for the worker.
pub async fn decline(pool: &PgPool, caller: &Caller, id: EventId, decision: Decision) -> DomainResult<TimeOffView> {
    caller.require(Action::DecideRequests)?;
    let note = checked_note("note", decision.note)?;
    let mut tx = crate::store::begin(pool).await?;
    let tz = zone(&mut tx, caller).await?;
    let (row, before) = lock(&mut tx, caller, id, decision.expected_version, tz).await?;
    if before.status != TimeOffStatus::Requested {
        return Err(not_waiting(&before));
    }
    let properties = with_decision(&row.properties, note.as_deref(), Some(time_off::DECLINED));
    core::update_event(&mut tx, caller.org, id, None, before.during, EventStatus::Cancelled, &properties).await?;
    let after = read(&mut tx, caller, id, tz).await?;
    record(&mut tx, caller, ChangeKind::TimeOffDeclined, &after).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Withdraws a request: the worker's own until it starts; a manager's (an approval taken back) until it
/// ends. Drafts that were hard conflicts because of it are judged again.
pub async fn cancel(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    decision: Decision,
    now: DateTime<Utc>,
) -> DomainResult<TimeOffView> {
    let note = checked_note("note", decision.note)?;
    crate::store::retrying(|| apply_cancel(pool, caller, id, decision.expected_version, note.clone(), now)).await
}

async fn apply_cancel(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    note: Option<String>,
    now: DateTime<Utc>,
) -> DomainResult<TimeOffView> {
    let mut tx = crate::store::begin(pool).await?;
    let tz = zone(&mut tx, caller).await?;
    let (row, before) = lock(&mut tx, caller, id, expected_version, tz).await?;
    let allowed = if caller.access.is_worker(before.worker_id) && !caller.access.role.allows(Action::DecideRequests) {
        caller.require(Action::RequestTimeOff)?;
        time_off::worker_may_cancel(before.status, &before.during, now)
    } else {
        caller.require(Action::DecideRequests)?;
        time_off::manager_may_cancel(before.status, &before.during, now)
    };
    allowed.map_err(|message| DomainError::Conflict { code: "time_off_not_cancellable", message })?;
    let properties = with_decision(&row.properties, note.as_deref(), Some(time_off::CANCELLED));
    core::update_event(&mut tx, caller.org, id, None, before.during, EventStatus::Cancelled, &properties).await?;
    let after = read(&mut tx, caller, id, tz).await?;
    record(&mut tx, caller, ChangeKind::TimeOffCancelled, &after).await?;
    if before.status == TimeOffStatus::Approved {
        attention::refresh_workers(&mut tx, caller, &[(after.worker_id, after.during)]).await?;
    }
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// One request. A worker may read only their own.
pub async fn get(pool: &PgPool, caller: &Caller, id: EventId) -> DomainResult<TimeOffView> {
    let mut conn = pool.acquire().await?;
    let tz = zone(&mut conn, caller).await?;
    let view = read(&mut conn, caller, id, tz).await?;
    require_may_read(caller, view.worker_id)?;
    Ok(view)
}

/// The caller's own requests, latest first, for `/me`.
pub async fn mine(pool: &PgPool, caller: &Caller, now: DateTime<Utc>) -> DomainResult<MyTimeOffView> {
    caller.require(Action::RequestTimeOff)?;
    let Some(own) = caller.access.worker else {
        return Err(DomainError::invalid("worker_id", "this account is not a worker"));
    };
    let mut requests = list(pool, caller, &TimeOffFilter { worker_id: Some(own), ..Default::default() }).await?;
    requests.reverse();
    let time_zone = zone(&mut *pool.acquire().await?, caller).await?.name().to_string();
    Ok(MyTimeOffView { requests, time_zone, now })
}

/// What managers decide, for `/requests`: the waiting requests, the approved ones still to come, and
/// what was settled otherwise in the last month.
pub async fn board(pool: &PgPool, caller: &Caller, now: DateTime<Utc>) -> DomainResult<RequestsView> {
    caller.require(Action::DecideRequests)?;
    let cursor = crate::store::changes::head(pool, Some(caller.org)).await?.to_string();
    let all = |status: &str, from: Option<DateTime<Utc>>| TimeOffFilter {
        status: Some(status.to_string()),
        from,
        ..Default::default()
    };
    let waiting = list(pool, caller, &all("requested", None)).await?;
    let approved = list(pool, caller, &all("approved", Some(now))).await?;
    let month_ago = Some(now - Duration::days(30));
    let mut settled = list(pool, caller, &all("declined", month_ago)).await?;
    settled.extend(list(pool, caller, &all("cancelled", month_ago)).await?);
    settled.sort_by(|a, b| b.during.start.cmp(&a.during.start));
    let time_zone = zone(&mut *pool.acquire().await?, caller).await?.name().to_string();
    Ok(RequestsView { waiting, approved, settled, time_zone, cursor, now })
}

/// Requests by start. A worker sees only their own.
pub async fn list(pool: &PgPool, caller: &Caller, filter: &TimeOffFilter) -> DomainResult<Vec<TimeOffView>> {
    let worker = match caller.access.worker {
        Some(own) if !caller.access.role.allows(Action::ReadOrganisation) => {
            if filter.worker_id.is_some_and(|asked| asked != own) {
                caller.require(Action::ReadOrganisation)?;
            }
            Some(own)
        }
        _ => {
            caller.require(Action::ReadOrganisation)?;
            filter.worker_id
        }
    };
    let status = filter
        .status
        .as_deref()
        .map(|s| {
            TimeOffStatus::parse(s)
                .ok_or_else(|| DomainError::invalid("status", "must be requested, approved, declined or cancelled"))
        })
        .transpose()?;
    crate::date_range::require_optional_instant("from", filter.from)?;
    crate::date_range::require_optional_instant("to", filter.to)?;
    let mut conn = pool.acquire().await?;
    let tz = zone(&mut conn, caller).await?;
    let (event_status, outcome) = match status {
        None => (None, None),
        Some(TimeOffStatus::Requested) => (Some(EventStatus::Draft), None),
        Some(TimeOffStatus::Approved) => (Some(EventStatus::Active), None),
        Some(TimeOffStatus::Declined) => (Some(EventStatus::Cancelled), Some(time_off::DECLINED)),
        Some(TimeOffStatus::Cancelled) => (Some(EventStatus::Cancelled), Some(time_off::CANCELLED)),
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT_TIME_OFF}
            AND ($2::uuid IS NULL OR p.entity_id = $2)
            AND ($3::text IS NULL OR e.status = $3)
            AND ($4::text IS NULL OR e.properties ->> 'outcome' = $4)
            AND tstzrange(e.start_time, e.end_time, '[)') && tstzrange($5, $6, '[)')
          ORDER BY e.start_time, e.id
          LIMIT {LIST_LIMIT}"
    ))
    .bind(caller.org)
    .bind(worker)
    .bind(event_status.map(EventStatus::as_str))
    .bind(outcome)
    .bind(filter.from)
    .bind(filter.to)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|row| row.into_view(tz)).collect()
}

fn require_may_read(caller: &Caller, worker: EntityId) -> DomainResult<()> {
    if caller.access.is_worker(worker) {
        return Ok(());
    }
    caller.require(Action::ReadOrganisation)
}

fn asked(new: &NewTimeOff) -> DomainResult<Asked> {
    let invalid = |field: &str, message: &str| Err(DomainError::invalid(field, message));
    match (new.first_day, new.start, new.end) {
        (Some(first), None, None) => match (new.from_time, new.to_time) {
            (None, None) => Ok(Asked::Days { first, last: new.last_day.unwrap_or(first) }),
            (Some(from), Some(to)) if new.last_day.is_none_or(|last| last == first) => Ok(Asked::HoursOfDay { day: first, from, to }),
            (Some(_), Some(_)) => invalid("last_day", "hours are asked for one day: leave last_day out, or make it first_day"),
            (Some(_), None) => invalid("to_time", "is required with from_time"),
            (None, Some(_)) => invalid("from_time", "is required with to_time"),
        },
        (None, Some(start), Some(end)) if new.last_day.is_none() && new.from_time.is_none() && new.to_time.is_none() => {
            Ok(Asked::Hours { start, end })
        }
        (None, Some(_), None) => invalid("end", "is required with start"),
        (None, None, Some(_)) => invalid("start", "is required with end"),
        (None, None, None) => invalid("first_day", "is required: give first_day (and last_day, or from_time and to_time), or start and end"),
        _ => invalid("start", "give either days (first_day, last_day), hours of a day (first_day, from_time, to_time) or start and end, not several"),
    }
}

pub(crate) fn checked_note(field: &str, note: Option<String>) -> DomainResult<Option<String>> {
    let Some(note) = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(DomainError::invalid(field, format!("is at most {NOTE_MAX_CHARS} characters")));
    }
    if note.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(DomainError::invalid(field, "contains a control character"));
    }
    Ok(Some(note))
}

fn properties(
    kind: TimeOffKind,
    whole_days: bool,
    note: Option<&str>,
    decision_note: Option<&str>,
    outcome: Option<&str>,
) -> Value {
    let mut properties = json!({ "kind": kind.as_str(), "whole_days": whole_days });
    for (key, value) in [("note", note), ("decision_note", decision_note), ("outcome", outcome)] {
        if let Some(value) = value {
            properties[key] = json!(value);
        }
    }
    properties
}

/// The stored properties with a decision's note and, for a request that ends, its outcome: a request
/// for time off, a claim on an open shift, an offer of a shift.
pub(crate) fn with_decision(stored: &Value, note: Option<&str>, outcome: Option<&str>) -> Value {
    let mut properties = stored.clone();
    if let Some(note) = note {
        properties["decision_note"] = json!(note);
    }
    if let Some(outcome) = outcome {
        properties["outcome"] = json!(outcome);
    }
    properties
}

async fn zone(conn: &mut PgConnection, caller: &Caller) -> DomainResult<Tz> {
    Ok(super::organisations::thresholds(conn, caller.org).await?.week_time_zone)
}

async fn lock(
    conn: &mut PgConnection,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    tz: Tz,
) -> DomainResult<(core::EventRow, TimeOffView)> {
    let row = core::lock_event(conn, caller.org, EventKind::TimeOff, id, Some(expected_version)).await?;
    let view = read(conn, caller, id, tz).await?;
    require_may_read(caller, view.worker_id)?;
    Ok((row, view))
}

async fn record(conn: &mut PgConnection, caller: &Caller, kind: ChangeKind, view: &TimeOffView) -> DomainResult<()> {
    let change = Recorded::after(kind, view.id.0, view.version, view);
    changes::record(conn, caller.org, &caller.actor, kind, change.stream_id, change.stream_version, change.payload).await
}

fn not_waiting(view: &TimeOffView) -> DomainError {
    DomainError::Conflict {
        code: "time_off_decided",
        message: format!("The request is already {}; only a waiting request is approved or declined.", view.status.as_str()),
    }
}

fn already_asked(met: &TimeOffView, tz: Tz) -> DomainError {
    DomainError::Conflict {
        code: "time_off_overlap",
        message: format!(
            "{} already has time off {} from {}: change or withdraw that request first.",
            met.worker_name,
            if met.status == TimeOffStatus::Approved { "approved" } else { "asked for" },
            local_span(&met.during, tz)
        ),
    }
}

fn local_span(during: &Interval, tz: Tz) -> String {
    let start = during.start.with_timezone(&tz);
    let end = during.end.unwrap_or(during.start).with_timezone(&tz);
    if start.date_naive() == end.date_naive() {
        format!("{}–{}", start.format("%a %-d %b %H:%M"), end.format("%H:%M"))
    } else {
        format!("{} to {}", start.format("%a %-d %b %H:%M"), end.format("%a %-d %b %H:%M"))
    }
}

async fn live_overlapping(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    during: Interval,
) -> DomainResult<Option<TimeOffView>> {
    let id: Option<EventId> = sqlx::query_scalar(
        "SELECT event_id FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'time_off' AND participation_type = 'worker'
            AND event_status IN ('draft', 'active') AND during && tstzrange($3, $4, '[)')
          ORDER BY lower(during) LIMIT 1",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(during.start)
    .bind(during.end)
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => {
            let tz = zone(conn, caller).await?;
            Ok(Some(read(conn, caller, id, tz).await?))
        }
        None => Ok(None),
    }
}

async fn published_shifts_in(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    during: Interval,
) -> DomainResult<Vec<Interval>> {
    attention::participation_spans(conn, caller, worker, during, ("shift", "worker"), &crate::access::PUBLISHED).await
}

const SELECT_TIME_OFF: &str = "SELECT e.id, p.entity_id AS worker_id, w.name AS worker_name, e.start_time, e.end_time,
                                      e.status, e.properties, e.version, e.created_at
                                 FROM events e
                                 JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id AND p.participation_type = 'worker'
                                 JOIN entities w ON w.org_id = p.org_id AND w.id = p.entity_id
                                WHERE e.org_id = $1 AND e.event_type = 'time_off'";

#[derive(sqlx::FromRow)]
struct Row {
    id: EventId,
    worker_id: EntityId,
    worker_name: String,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    status: EventStatus,
    properties: Value,
    version: i32,
    created_at: DateTime<Utc>,
}

impl Row {
    fn into_view(self, tz: Tz) -> DomainResult<TimeOffView> {
        let text = |key: &str| self.properties.get(key).and_then(Value::as_str).map(str::to_string);
        let kind = text("kind").as_deref().and_then(TimeOffKind::parse);
        let status = TimeOffStatus::of(self.status, text("outcome").as_deref());
        let whole_days = self.properties.get("whole_days").and_then(Value::as_bool);
        let (Some(kind), Some(status), Some(whole_days), Some(end)) = (kind, status, whole_days, self.end_time) else {
            let unknown = format!("time off request {} is stored in a shape this build does not know", self.id);
            return Err(DomainError::Database(sqlx::Error::Decode(unknown.into())));
        };
        let first_day = self.start_time.with_timezone(&tz).date_naive();
        // The day the last moment away falls on: a whole-day request ends at the next midnight.
        let last_day = (end - Duration::nanoseconds(1)).with_timezone(&tz).date_naive();
        Ok(TimeOffView {
            id: self.id,
            worker_id: self.worker_id,
            worker_name: self.worker_name,
            kind,
            status,
            during: Interval { start: self.start_time, end: Some(end) },
            whole_days,
            first_day,
            last_day,
            note: text("note"),
            decision_note: text("decision_note"),
            version: self.version,
            requested_at: self.created_at,
        })
    }
}

async fn read(conn: &mut PgConnection, caller: &Caller, id: EventId, tz: Tz) -> DomainResult<TimeOffView> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT_TIME_OFF} AND e.id = $2")).bind(caller.org).bind(id).fetch_optional(conn).await?;
    row.ok_or_else(|| DomainError::not_found("time off request", id))?.into_view(tz)
}
