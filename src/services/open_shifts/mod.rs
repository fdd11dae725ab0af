//! Open shifts: work at a location with no worker yet, offered as one or more identical places, which
//! eligible workers claim and a manager (or the open shift itself, set to approve automatically) gives.
//!
//! - `mod.rs`: offering an open shift (drawn, or made from an assigned shift), withdrawing its places,
//!   and the reads: a location's open shifts with their claims, and what a worker may take;
//! - `claims`: claiming, approving, declining, withdrawing a claim, and a manager giving a place;
//! - `stored`: the rows as stored (a leaf, which publishing a schedule also uses).
//!
//! A worker may take a place when they are employed at the location for its whole time and taking it
//! would bring no hard conflict under the rules the calendar and publishing use (`attention::brought_by`).
//! The database never gives more places than there are and never books a worker twice.

mod claims;
pub(crate) mod stored;

pub use claims::{approve, assign, claim, decline, withdraw_claim, Assignment, NewClaim};

use super::{attention, organisations, positions, schedules, shifts, time_off::checked_note, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::open_shifts::{checked_places, Approval};
use crate::rules::{self, Severity, Thresholds};
use crate::store::changes::{self, Recorded};
use crate::store::core::{self, NewEvent};
use crate::store::{DomainError, DomainResult};
use crate::views::open_shifts::{MyOpenShiftsView, OfferedShift, OpenShiftView, OpenShiftWithClaims};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

/// How far ahead a worker is shown open shifts, and how many at most.
const OFFERED_AHEAD_DAYS: i64 = 56;
const OFFERED_LIMIT: usize = 100;

/// An open shift as a manager offers it.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOpenShift {
    pub location_id: Option<EntityId>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// How many identical places: "3 baristas 07:00–15:00" is one open shift with 3. One when left out.
    pub places: Option<i32>,
    /// The position a worker must hold to take a place.
    pub position_id: Option<EntityId>,
    pub role: Option<String>,
    pub notes: Option<String>,
    /// Who says yes to a claim: a manager (the default), or nobody (the first eligible claim wins).
    pub approval: Option<Approval>,
}

/// An assigned shift made open, at the version the manager saw.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MakeOpen {
    pub expected_version: i32,
    pub approval: Option<Approval>,
}

/// Which open shifts to list.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OpenShiftFilter {
    pub location_id: Option<EntityId>,
    /// Open shifts overlapping [from, to); from now for eight weeks when left out.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Withdrawn ones too.
    #[serde(default)]
    pub include_withdrawn: bool,
}

/// Offers an open shift. Its week's schedule decides its standing: a draft with a draft week (opened
/// when the week has none yet), open to claims at once in a published week (a manager's to offer).
pub async fn offer(pool: &PgPool, caller: &Caller, new: NewOpenShift) -> DomainResult<OpenShiftView> {
    let location = new.location_id.ok_or_else(|| DomainError::invalid("location_id", "is required"))?;
    caller.require_at(Action::EditDrafts, location)?;
    let start = new.start.ok_or_else(|| DomainError::invalid("start", "is required"))?;
    let end = new.end.ok_or_else(|| DomainError::invalid("end", "is required"))?;
    let during = rules::shift_interval(start, end).map_err(|(field, message)| DomainError::invalid(field, message))?;
    let places = checked_places(new.places.unwrap_or(1)).map_err(|message| DomainError::invalid("places", message))?;
    let role = checked_note("role", new.role)?;
    let notes = checked_note("notes", new.notes)?;
    let approval = new.approval.unwrap_or_default();
    let place = super::locations::get(pool, caller, location).await?;
    if place.closed_from.is_some_and(|closed| closed < end) {
        return Err(DomainError::not_planned_any_more());
    }
    let starts = organisations::week_starts_on(&mut *pool.acquire().await?, caller.org).await?;
    let tz = place.zone();
    let week = crate::local_time::local_week(starts.first_day_of(start.with_timezone(&tz).date_naive()), tz);
    crate::store::retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        schedules::open_draft_unless_planned(&mut tx, caller, location, week).await?;
        let status = status_in_schedule(&mut tx, caller, location, during).await?;
        let offer = Offer {
            location,
            during,
            status,
            places,
            position: new.position_id,
            role: role.clone(),
            notes: notes.clone(),
            approval,
        };
        let view = insert(&mut tx, caller, offer).await?;
        crate::store::commit(tx, pool).await?;
        Ok(view)
    })
    .await
}

/// Makes an assigned shift open: the shift is cancelled and one place at its time, location and
/// position is offered in its stead, published if it was.
pub async fn make_open(pool: &PgPool, caller: &Caller, shift: EventId, asked: MakeOpen) -> DomainResult<OpenShiftView> {
    crate::store::retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let before = shifts::cancel_in(&mut tx, caller, shift, asked.expected_version).await?;
        let offer = Offer {
            location: before.location_id,
            during: before.during,
            status: before.status,
            places: 1,
            position: before.position.as_ref().map(|p| p.id),
            role: before.role.clone(),
            notes: before.notes.clone(),
            approval: asked.approval.unwrap_or_default(),
        };
        let view = insert(&mut tx, caller, offer).await?;
        attention::refresh_workers(&mut tx, caller, &[(before.worker_id, before.during)]).await?;
        crate::store::commit(tx, pool).await?;
        Ok(view)
    })
    .await
}

/// Withdraws the places not yet taken: an open shift nobody took is cancelled; one with places taken
/// keeps those and offers no more. Waiting claims are closed.
pub async fn withdraw(pool: &PgPool, caller: &Caller, id: EventId, expected_version: i32) -> DomainResult<OpenShiftView> {
    crate::store::retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let row = core::lock_event(&mut tx, caller.org, EventKind::OpenShift, id, Some(expected_version)).await?;
        let before = stored::open_shift(&mut tx, caller, id).await?;
        caller.access.require_shift_change(before.status, before.location_id)?;
        if before.status == EventStatus::Cancelled {
            return Err(DomainError::invalid("status", "this open shift was already withdrawn"));
        }
        claims::close_waiting(&mut tx, caller, id, crate::open_shifts::CLOSED).await?;
        let (status, properties) = if before.taken == 0 {
            (EventStatus::Cancelled, row.properties.clone())
        } else {
            (before.status, with_places(&row.properties, before.taken))
        };
        core::update_event(&mut tx, caller.org, id, None, before.during, status, &properties).await?;
        let after = record(&mut tx, caller, ChangeKind::OpenShiftWithdrawn, id).await?;
        crate::store::commit(tx, pool).await?;
        Ok(after)
    })
    .await
}

/// Withdraws a location's draft open shifts starting in `period`, with the places given in them (whose
/// draft shifts the caller cancels), as withdrawing their draft week does (`schedule_withdrawal`).
pub(crate) async fn withdraw_drafts_in(
    tx: &mut PgConnection,
    caller: &Caller,
    location: EntityId,
    period: Interval,
) -> DomainResult<Vec<EventId>> {
    let drafts = stored::open_shifts_in(&mut *tx, caller, Some(location), period, &[EventStatus::Draft]).await?;
    let mut withdrawn = Vec::new();
    for open in drafts.into_iter().filter(|o| period.contains_instant(o.during.start)) {
        let row = core::lock_event(&mut *tx, caller.org, EventKind::OpenShift, open.id, None).await?;
        claims::close_claims(&mut *tx, caller, open.id, crate::open_shifts::CLOSED, &[EventStatus::Draft, EventStatus::Active])
            .await?;
        core::update_event(&mut *tx, caller.org, open.id, None, open.during, EventStatus::Cancelled, &row.properties).await?;
        record(&mut *tx, caller, ChangeKind::OpenShiftWithdrawn, open.id).await?;
        withdrawn.push(open.id);
    }
    Ok(withdrawn)
}

/// Open shifts with their claims, for the calendar and the managers' requests.
pub async fn list(
    pool: &PgPool,
    caller: &Caller,
    filter: &OpenShiftFilter,
    now: DateTime<Utc>,
) -> DomainResult<Vec<OpenShiftWithClaims>> {
    caller.require(Action::ReadOrganisation)?;
    crate::date_range::require_optional_instant("from", filter.from)?;
    crate::date_range::require_optional_instant("to", filter.to)?;
    let from = filter.from.unwrap_or(now);
    let window = Interval { start: from, end: Some(filter.to.unwrap_or(from + Duration::days(OFFERED_AHEAD_DAYS))) };
    if window.end.is_some_and(|end| end <= window.start) {
        return Err(DomainError::invalid("to", "must be after from"));
    }
    let mut statuses = vec![EventStatus::Draft, EventStatus::Active];
    if filter.include_withdrawn {
        statuses.push(EventStatus::Cancelled);
    }
    let mut conn = pool.acquire().await?;
    let open = stored::open_shifts_in(&mut conn, caller, filter.location_id, window, &statuses).await?;
    with_claims(&mut conn, caller, open).await
}

/// One open shift with its claims. A worker may read one that is published.
pub async fn get(pool: &PgPool, caller: &Caller, id: EventId) -> DomainResult<OpenShiftWithClaims> {
    let mut conn = pool.acquire().await?;
    let open = stored::open_shift(&mut conn, caller, id).await?;
    if !caller.access.role.allows(Action::ReadOrganisation) {
        caller.require(Action::TakeOpenShifts)?;
        if open.status == EventStatus::Draft {
            return Err(DomainError::not_found("open shift", id));
        }
        let own = caller.access.worker;
        let claims =
            stored::claims_on(&mut conn, caller, &[id]).await?.into_iter().filter(|c| Some(c.worker_id) == own).collect();
        return Ok(OpenShiftWithClaims { open_shift: open, claims });
    }
    Ok(with_claims(&mut conn, caller, vec![open]).await?.remove(0))
}

/// The published open shifts still to come that the caller, as a worker, may take — with their claim on
/// each and what the rules would warn about — and their claims of the last month.
pub async fn mine(pool: &PgPool, caller: &Caller, now: DateTime<Utc>) -> DomainResult<MyOpenShiftsView> {
    caller.require(Action::TakeOpenShifts)?;
    let Some(worker) = caller.access.worker else {
        return Err(DomainError::invalid("worker_id", "this account is not a worker"));
    };
    let mut conn = pool.acquire().await?;
    let thresholds = organisations::thresholds(&mut conn, caller.org).await?;
    let window = Interval { start: now, end: Some(now + Duration::days(OFFERED_AHEAD_DAYS)) };
    let claims = stored::claims_of(&mut conn, caller, worker, now - Duration::days(30)).await?;
    let mut offered = Vec::new();
    for open in stored::open_shifts_in(&mut conn, caller, None, window, &[EventStatus::Active]).await? {
        if open.during.start <= now || open.taken >= open.places {
            continue;
        }
        let my_claim = claims.iter().find(|c| c.open_shift_id == open.id).cloned();
        let holds_it = my_claim.as_ref().is_some_and(|c| c.status == crate::open_shifts::ClaimStatus::Approved);
        if holds_it {
            continue;
        }
        if let Ok(warnings) = judge(&mut conn, caller, worker, &open, &thresholds).await? {
            offered.push(OfferedShift { open_shift: open, my_claim, warnings });
            if offered.len() == OFFERED_LIMIT {
                break;
            }
        }
    }
    Ok(MyOpenShiftsView { offered, claims, time_zone: thresholds.week_time_zone.name().to_string(), now })
}

/// Whether the worker may take a place: employed at its location for its whole time, and bringing no
/// hard conflict. `Ok` holds the warnings taking it would bring; `Err` the reasons it may not be theirs.
pub(crate) async fn judge(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    open: &OpenShiftView,
    thresholds: &Thresholds,
) -> DomainResult<Result<Vec<String>, Vec<rules::Conflict>>> {
    if !employed_at(conn, caller, worker, open.location_id, open.during).await? {
        let message = format!("Not employed at {} for the whole shift.", open.location_name);
        return Ok(Err(vec![rules::Conflict::new(rules::ConflictKind::OutsideEmployment, worker, vec![], open.during, message)]));
    }
    let hypothetical = rules::RuleShift {
        id: open.id,
        during: open.during,
        status: open.status,
        breaks: vec![],
        position: open.position.as_ref().map(|p| p.id),
    };
    let brought = attention::brought_by(conn, caller, worker, hypothetical, &[], thresholds).await?;
    let (hard, soft): (Vec<_>, Vec<_>) = brought.into_iter().partition(|c| c.severity == Severity::Hard);
    Ok(if hard.is_empty() { Ok(soft.into_iter().map(|c| c.message).collect()) } else { Err(hard) })
}

async fn employed_at(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    location: EntityId,
    during: Interval,
) -> DomainResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (
            SELECT 1 FROM participations emp
              JOIN participations l ON l.org_id = emp.org_id AND l.event_id = emp.event_id AND l.participation_type = 'location'
             WHERE emp.org_id = $1 AND emp.entity_id = $2 AND emp.event_type = 'employment'
               AND emp.participation_type = 'employee' AND emp.event_status IN ('active', 'completed')
               AND l.entity_id = $3 AND emp.during @> tstzrange($4, $5, '[)'))",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(location)
    .bind(during.start)
    .bind(during.end)
    .fetch_one(conn)
    .await?)
}

async fn with_claims(
    conn: &mut PgConnection,
    caller: &Caller,
    open: Vec<OpenShiftView>,
) -> DomainResult<Vec<OpenShiftWithClaims>> {
    let ids: Vec<EventId> = open.iter().map(|o| o.id).collect();
    let mut claims = stored::claims_on(conn, caller, &ids).await?;
    Ok(open
        .into_iter()
        .map(|open_shift| {
            let (theirs, rest) = claims.drain(..).partition(|c| c.open_shift_id == open_shift.id);
            claims = rest;
            OpenShiftWithClaims { open_shift, claims: theirs }
        })
        .collect())
}

/// The standing an open shift takes from the schedule covering its start.
async fn status_in_schedule(
    conn: &mut PgConnection,
    caller: &Caller,
    location: EntityId,
    during: Interval,
) -> DomainResult<EventStatus> {
    let found = schedules::of_locations(conn, caller, &[location.0], during.start, during.start).await?;
    let covering = found
        .get(&location)
        .and_then(|all| all.iter().find(|(_, _, span)| span.contains_instant(during.start)))
        .map(|(id, status, _)| (*id, *status));
    schedules::schedule_to_plan_in(covering)?;
    let status = covering.map_or(EventStatus::Draft, |(_, status)| status);
    caller.access.require_shift_change(status, location)?;
    Ok(status)
}

struct Offer {
    location: EntityId,
    during: Interval,
    status: EventStatus,
    places: i32,
    position: Option<EntityId>,
    role: Option<String>,
    notes: Option<String>,
    approval: Approval,
}

async fn insert(tx: &mut PgConnection, caller: &Caller, offer: Offer) -> DomainResult<OpenShiftView> {
    let mut properties = json!({ "places": offer.places, "taken": 0, "approval": offer.approval.as_str() });
    for (key, value) in [("role", &offer.role), ("notes", &offer.notes)] {
        if let Some(value) = value {
            properties[key] = json!(value);
        }
    }
    let schema = core::properties_schema(&mut *tx, caller.org, EventKind::OpenShift).await?;
    core::check_against(&schema, &properties)?;
    let status = if offer.status == EventStatus::Draft { EventStatus::Draft } else { EventStatus::Active };
    let event = NewEvent { kind: EventKind::OpenShift, parent: None, during: offer.during, status, properties };
    let id = core::insert_event(&mut *tx, caller.org, event).await?;
    core::add_participation(&mut *tx, caller.org, id, offer.location, "location", None).await?;
    if let Some(position) = offer.position {
        positions::askable(&mut *tx, caller, position, "position_id").await?;
        core::add_participation(&mut *tx, caller.org, id, position, "position", None).await?;
    }
    record(tx, caller, ChangeKind::OpenShiftOffered, id).await
}

fn with_places(stored: &Value, places: i32) -> Value {
    let mut properties = stored.clone();
    properties["places"] = json!(places);
    properties
}

/// Reads the open shift as the command left it and appends its change.
async fn record(conn: &mut PgConnection, caller: &Caller, kind: ChangeKind, id: EventId) -> DomainResult<OpenShiftView> {
    let view = stored::open_shift(&mut *conn, caller, id).await?;
    let change = Recorded::after(kind, id.0, view.version, &view);
    changes::record(conn, caller.org, &caller.actor, kind, change.stream_id, change.stream_version, change.payload).await?;
    Ok(view)
}
