//! Timekeeping: workers clock in and out; supervisors add, replace or void punches with a reason. A punch
//! is a `clock_event` (a point in time) and is never edited — a correction is a new `clock_event` naming
//! the punch it replaces or voids. In the same transaction the worker's punches around the change are
//! paired again (`timekeeping::pair`), the `clock_period` events brought in step, and what needs a
//! supervisor's eye (lone clock-outs, missing clock-outs, clock-ins far from any shift) kept as attention
//! items.

use super::{attention, organisations, workers, Caller};
use crate::access::Action;
use crate::change_kind::{ChangeKind, StreamType};
use crate::ids::{EntityId, EventId, OrgId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::rules::ConflictKind;
use crate::store::changes;
use crate::store::core::{self, NewEvent};
use crate::store::{DomainError, DomainResult};
pub use crate::timekeeping::CorrectionAction;
use crate::timekeeping::{findings, match_period, pair, ClockDirection, PlannedShift, Punch, PunchedPeriod};
use crate::views::time::{ClockPeriodView, ClockView, PunchStanding, PunchView};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use std::collections::{HashMap, HashSet};

/// A clock-out this soon after the clock-in is a second tap on the same button, not the end of work.
const SECOND_TAP_OUT_SECONDS: i64 = 2;
/// A clock-in this soon after an open one is taken for a second tap, not a new period.
const SECOND_TAP_HOURS: i64 = 12;
/// Longest note or reason kept.
const TEXT_MAX: usize = 500;
/// A replacement stays this close to the punch it corrects; further is a void and a new punch.
const REPLACE_REACH_HOURS: i64 = 24;
/// Around a changed instant, the periods re-paired (`INNER`) and the punches read to pair them (`OUTER`):
/// a shift lasts at most a day, so a period starting inside `INNER` ends inside `OUTER`.
const INNER_HOURS: i64 = 24;
const OUTER_HOURS: i64 = 48;

/// The worker's own punch.
#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPunch {
    pub direction: ClockDirection,
    pub note: Option<String>,
    /// Where the worker is clocking in or out.
    pub location_id: Option<EntityId>,
}

/// A supervisor's correction of a worker's punches.
#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PunchCorrection {
    pub worker_id: EntityId,
    pub action: CorrectionAction,
    /// Why; kept with the punch and in the change log.
    pub reason: String,
    pub punch_id: Option<EventId>,
    pub at: Option<DateTime<Utc>>,
    pub direction: Option<ClockDirection>,
    pub location_id: Option<EntityId>,
}

/// Clocks the signed-in worker in or out at `now` (the server's clock; a parameter so tests can say when).
pub async fn clock(pool: &PgPool, caller: &Caller, new: NewPunch, now: DateTime<Utc>) -> DomainResult<PunchView> {
    caller.require(Action::ClockOwnTime)?;
    let worker = caller
        .access
        .worker
        .ok_or_else(|| DomainError::invalid("worker", "this account is not linked to a worker, so it has no clock"))?;
    let note = optional_text("note", new.note)?;
    let mut tx = crate::store::begin(pool).await?;
    lock_worker(&mut tx, caller.org, worker).await?;
    if let Some(location) = new.location_id {
        require_location(&mut tx, caller.org, location).await?;
    }
    let recent = punches(&mut tx, caller.org, worker, now - Duration::hours(OUTER_HOURS), now).await?;
    let open = pair(&counting(&recent)).periods.last().filter(|p| p.end.is_none()).cloned();
    if new.direction == ClockDirection::Out {
        // A double tap on "Clock in" reaches the button that took its place: the out it would record
        // is no work done, so the second tap is refused rather than kept as a zero-minute period.
        if let Some(open) = open.as_ref().filter(|open| now - open.start < Duration::seconds(SECOND_TAP_OUT_SECONDS)) {
            let (_, tz) = organisations::pay_rules(&mut tx, caller.org).await?;
            let since = open.start.with_timezone(&tz).format("%H:%M");
            return Err(DomainError::Conflict {
                code: "just_clocked_in",
                message: format!("You clocked in at {since}, a moment ago; clock out when you finish."),
            });
        }
    }
    if new.direction == ClockDirection::In {
        if let Some(open) = open {
            if now - open.start < Duration::hours(SECOND_TAP_HOURS) {
                // Said on the organisation's wall clock: a worker does not read UTC.
                let (_, tz) = organisations::pay_rules(&mut tx, caller.org).await?;
                let since = open.start.with_timezone(&tz).format("%a %d %b %H:%M");
                return Err(DomainError::Conflict {
                    code: "already_clocked_in",
                    message: format!("You are clocked in since {since}; clock out first."),
                });
            }
        }
    }
    let mut properties = json!({ "direction": new.direction, "source": "worker" });
    if let Some(note) = &note {
        properties["note"] = json!(note);
    }
    let kind = if new.direction == ClockDirection::In { ChangeKind::ClockIn } else { ChangeKind::ClockOut };
    let punch = PunchRecord { worker, at: now, properties, location: new.location_id, kind, said: json!({}) };
    let view = insert_punch(&mut tx, caller, punch).await?;
    refresh(&mut tx, caller, worker, &[now], now).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Adds, replaces or voids a worker's punch, with a reason; `now` is when the supervisor does it.
pub async fn correct(pool: &PgPool, caller: &Caller, correction: PunchCorrection, now: DateTime<Utc>) -> DomainResult<PunchView> {
    caller.require(Action::KeepTime)?;
    let reason = optional_text("reason", Some(correction.reason))?
        .ok_or_else(|| DomainError::invalid("reason", "must say why the punches are corrected"))?;
    let worker = workers::get(pool, caller, correction.worker_id).await?.id;
    crate::date_range::require_optional_instant("at", correction.at)?;
    if correction.at.is_some_and(|at| at > now + Duration::minutes(1)) {
        return Err(DomainError::invalid("at", "is in the future; punches record what happened"));
    }
    let mut tx = crate::store::begin(pool).await?;
    lock_worker(&mut tx, caller.org, worker).await?;
    if let Some(location) = correction.location_id {
        require_location(&mut tx, caller.org, location).await?;
    }
    let target = correction.punch_id.ok_or_else(|| DomainError::invalid("punch_id", "names the punch to correct"));
    let (at, properties, location, corrected_at) = match correction.action {
        CorrectionAction::Add => {
            let at = correction.at.ok_or_else(|| DomainError::invalid("at", "is needed to add a punch"))?;
            let direction =
                correction.direction.ok_or_else(|| DomainError::invalid("direction", "is needed to add a punch: in or out"))?;
            (at, json!({ "direction": direction, "source": "correction", "reason": reason }), correction.location_id, None)
        }
        CorrectionAction::Replace => {
            let original = live_punch(&mut tx, caller.org, worker, target?).await?;
            if correction.at.is_none() && correction.direction.is_none() {
                return Err(DomainError::invalid("at", "a replacement needs a new time or a new direction"));
            }
            let at = correction.at.unwrap_or(original.at);
            if (at - original.at).abs() > Duration::hours(REPLACE_REACH_HOURS) {
                return Err(DomainError::invalid(
                    "at",
                    format!("a replacement stays within {REPLACE_REACH_HOURS} hours of the punch; void it and add a new one"),
                ));
            }
            let direction = correction.direction.or(original.direction).unwrap_or(ClockDirection::In);
            let properties = json!({ "direction": direction, "source": "correction", "reason": reason, "replaces": original.id });
            (at, properties, correction.location_id.or(original.location_id), Some(original.at))
        }
        CorrectionAction::Void => {
            let original = live_punch(&mut tx, caller.org, worker, target?).await?;
            let properties = json!({ "source": "correction", "reason": reason, "voids": original.id });
            (original.at, properties, original.location_id, Some(original.at))
        }
    };
    let said = json!({ "action": correction.action, "reason": reason });
    let punch = PunchRecord { worker, at, properties, location, kind: ChangeKind::ClockCorrected, said };
    let view = insert_punch(&mut tx, caller, punch).await?;
    let mut touched = vec![at];
    touched.extend(corrected_at);
    refresh(&mut tx, caller, worker, &touched, now).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// The signed-in worker's clock: the open period if clocked in, today's punches and the locations.
pub async fn my_clock(pool: &PgPool, caller: &Caller, now: DateTime<Utc>) -> DomainResult<ClockView> {
    caller.require(Action::ClockOwnTime)?;
    let worker = caller
        .access
        .worker
        .ok_or_else(|| DomainError::invalid("worker", "this account is not linked to a worker, so it has no clock"))?;
    let mut conn = pool.acquire().await?;
    let open = periods(&mut conn, caller.org, worker, now - Duration::hours(SECOND_TAP_HOURS), now + Duration::minutes(1))
        .await?
        .into_iter()
        .rfind(|p| p.during.end.is_none());
    let (_, tz) = organisations::pay_rules(&mut conn, caller.org).await?;
    let midnight = crate::timesheet::local_day_start(now, tz);
    let mut today = punches(&mut conn, caller.org, worker, midnight, now + Duration::minutes(1)).await?;
    today.reverse();
    let locations: Vec<crate::views::LocationView> = super::locations::list_all(&mut conn, caller.org).await?;
    Ok(ClockView { worker_id: worker, open, today, locations })
}

/// Raises the missing clock-outs that time alone has made: periods still open well past their shift
/// (or, with none, long after they began) that no attention item names yet. Run now and then by the
/// server; returns how many workers it looked at again.
pub async fn sweep(pool: &PgPool, now: DateTime<Utc>) -> DomainResult<usize> {
    let overdue: Vec<(OrgId, EntityId, DateTime<Utc>)> = sqlx::query_as(
        "SELECT p.org_id, p.entity_id, min(lower(p.during))
           FROM participations p JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
          WHERE p.event_type = 'clock_period' AND p.participation_type = 'worker' AND p.event_status = 'active'
            AND e.end_time IS NULL
            -- Overdue as `timekeeping::findings` judges it: three hours past its shift's end, or twelve
            -- after it began without one.
            AND coalesce((SELECT s.end_time FROM events s
                           WHERE s.org_id = e.org_id AND s.id = (e.properties ->> 'shift_id')::uuid),
                         e.start_time + make_interval(hours => $2 - $3)) <= $1
            AND NOT EXISTS (SELECT 1 FROM attention_items a
                             WHERE a.org_id = p.org_id AND a.status <> 'resolved'
                               AND a.fingerprint = 'missing_clock_out:' || p.entity_id || ':' || (e.properties ->> 'clock_in'))
          GROUP BY p.org_id, p.entity_id",
    )
    .bind(now - Duration::hours(crate::timekeeping::OPEN_PAST_SHIFT_HOURS))
    .bind(crate::timekeeping::OPEN_WITHOUT_SHIFT_HOURS as i32)
    .bind(crate::timekeeping::OPEN_PAST_SHIFT_HOURS as i32)
    .fetch_all(pool)
    .await?;
    for (org, worker, since) in &overdue {
        let caller = Caller::system(*org, "timekeeping");
        let mut tx = crate::store::begin(pool).await?;
        lock_worker(&mut tx, *org, *worker).await?;
        refresh(&mut tx, &caller, *worker, &[*since], now).await?;
        crate::store::commit(tx, pool).await?;
    }
    Ok(overdue.len())
}

/// Every punch and correction of the worker recorded in [from, to), in time order, each with whether
/// it still counts.
pub async fn punches(
    conn: &mut PgConnection,
    org: OrgId,
    worker: EntityId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<PunchView>> {
    // Corrections stay within a day of what they correct, so a day either side finds every one.
    let reach = Duration::hours(REPLACE_REACH_HOURS);
    let rows: Vec<PunchRow> = sqlx::query_as(
        "SELECT e.id, e.start_time, e.properties, loc.entity_id AS location_id,
                coalesce((SELECT c.actor FROM changes c WHERE c.org_id = e.org_id AND c.stream_id = e.id
                           ORDER BY c.stream_version LIMIT 1), '') AS recorded_by
           FROM participations p
           JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
           LEFT JOIN participations loc ON loc.org_id = e.org_id AND loc.event_id = e.id AND loc.participation_type = 'location'
          WHERE p.org_id = $1 AND p.entity_id = $2 AND p.event_type = 'clock_event' AND p.participation_type = 'worker'
            AND lower(p.during) >= $3 AND lower(p.during) < $4 AND e.status <> 'cancelled'
          ORDER BY e.start_time, e.created_at, e.id",
    )
    .bind(org)
    .bind(worker)
    .bind(from - reach)
    .bind(to + reach)
    .fetch_all(&mut *conn)
    .await?;
    let replaced: HashSet<EventId> = rows.iter().filter_map(|r| r.id_in("replaces")).collect();
    let voided: HashSet<EventId> = rows.iter().filter_map(|r| r.id_in("voids")).collect();
    Ok(rows
        .into_iter()
        .filter(|r| r.start_time >= from && r.start_time < to)
        .map(|r| {
            let standing = if voided.contains(&r.id) {
                PunchStanding::Voided
            } else if replaced.contains(&r.id) {
                PunchStanding::Replaced
            } else {
                PunchStanding::Counts
            };
            r.into_view(worker, standing)
        })
        .collect())
}

/// The punches that still count, as pairing sees them.
fn counting(punches: &[PunchView]) -> Vec<Punch> {
    punches
        .iter()
        .filter(|p| p.standing == PunchStanding::Counts)
        .filter_map(|p| p.direction.map(|direction| Punch { id: p.id, at: p.at, direction }))
        .collect()
}

/// The worker's periods (not withdrawn) that start in [from, to), in time order.
pub async fn periods(
    conn: &mut PgConnection,
    org: OrgId,
    worker: EntityId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<ClockPeriodView>> {
    let rows: Vec<PeriodRow> = sqlx::query_as(
        "SELECT e.id, e.start_time, e.end_time, e.status, e.properties, e.version, loc.entity_id AS location_id
           FROM participations p
           JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
           LEFT JOIN participations loc ON loc.org_id = e.org_id AND loc.event_id = e.id AND loc.participation_type = 'location'
          WHERE p.org_id = $1 AND p.entity_id = $2 AND p.event_type = 'clock_period' AND p.participation_type = 'worker'
            AND lower(p.during) >= $3 AND lower(p.during) < $4 AND e.status <> 'cancelled'
          ORDER BY e.start_time, e.id",
    )
    .bind(org)
    .bind(worker)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.into_view(worker)).collect())
}

/// Pairs the worker's punches around `touched` again: brings the `clock_period` events and the
/// timekeeping attention items in step. Runs inside the command's transaction.
async fn refresh(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    touched: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let (Some(first), Some(last)) = (touched.iter().min(), touched.iter().max()) else { return Ok(()) };
    // The period open before the change, however long ago it began: a clock-in now may be what shows
    // that its clock-out is missing.
    let before: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT max(lower(during)) FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'clock_period' AND participation_type = 'worker'
            AND event_status <> 'cancelled' AND lower(during) < $3",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(*first)
    .fetch_one(&mut *conn)
    .await?;
    let first = before.map_or(*first, |b| b.min(*first));
    let inner = Interval { start: first - Duration::hours(INNER_HOURS), end: Some(*last + Duration::hours(INNER_HOURS)) };
    let outer_start = first - Duration::hours(OUTER_HOURS);
    let outer_end = *last + Duration::hours(OUTER_HOURS);
    // One read of the punches: what counts is paired, and every punch's location is at hand.
    let recorded = punches(conn, caller.org, worker, outer_start, outer_end).await?;
    let punched = counting(&recorded);
    let pairing = pair(&punched);
    let shifts = planned_shifts(conn, caller.org, worker, outer_start, outer_end).await?;
    let planned: Vec<PlannedShift> = shifts.iter().map(|s| s.planned).collect();

    let existing = periods(conn, caller.org, worker, inner.start, inner.end.unwrap_or(outer_end)).await?;
    let mut by_clock_in: HashMap<EventId, ClockPeriodView> = existing.into_iter().map(|p| (p.clock_in, p)).collect();
    let punch_location: HashMap<EventId, Option<EntityId>> = recorded.iter().map(|p| (p.id, p.location_id)).collect();
    for period in pairing.periods.iter().filter(|p| inner.contains_instant(p.start)) {
        let shift = match_period(period, &planned);
        let location = punch_location
            .get(&period.clock_in)
            .copied()
            .flatten()
            .or_else(|| shift.and_then(|id| shifts.iter().find(|s| s.planned.id == id)).map(|s| s.location));
        match by_clock_in.remove(&period.clock_in) {
            // Approved periods are locked; pairing cannot change them (their week takes no punches).
            Some(kept) if kept.approved => {}
            Some(kept) if kept.during == period.during() && kept.clock_out == period.clock_out && kept.shift_id == shift => {}
            Some(kept) => {
                let properties = period_properties(period, shift);
                let version =
                    core::update_event(conn, caller.org, kept.id, None, period.during(), EventStatus::Active, &properties)
                        .await?;
                let after =
                    ClockPeriodView { during: period.during(), clock_out: period.clock_out, shift_id: shift, version, ..kept };
                log_period(conn, caller, &after, ChangeKind::ClockPeriodChanged).await?;
            }
            None => {
                let properties = period_properties(period, shift);
                let id = core::insert_event(
                    conn,
                    caller.org,
                    NewEvent {
                        kind: EventKind::ClockPeriod,
                        parent: None,
                        during: period.during(),
                        status: EventStatus::Active,
                        properties,
                    },
                )
                .await?;
                core::add_participation(conn, caller.org, id, worker, "worker", None).await?;
                if let Some(location) = location {
                    core::add_participation(conn, caller.org, id, location, "location", None).await?;
                }
                let view = ClockPeriodView {
                    id,
                    worker_id: worker,
                    during: period.during(),
                    clock_in: period.clock_in,
                    clock_out: period.clock_out,
                    shift_id: shift,
                    location_id: location,
                    approved: false,
                    version: 1,
                };
                log_period(conn, caller, &view, ChangeKind::ClockPeriodRecorded).await?;
            }
        }
    }
    // What no longer pairs is withdrawn (the log keeps it).
    for gone in by_clock_in.into_values().filter(|p| !p.approved) {
        let properties = json!({ "clock_in": gone.clock_in, "clock_out": gone.clock_out, "shift_id": gone.shift_id });
        let version =
            core::update_event(conn, caller.org, gone.id, None, gone.during, EventStatus::Cancelled, &properties).await?;
        log_period(conn, caller, &ClockPeriodView { version, ..gone }, ChangeKind::ClockPeriodWithdrawn).await?;
    }

    let (_, tz) = organisations::pay_rules(conn, caller.org).await?;
    let found: Vec<_> =
        findings(&punched, &pairing, &planned, now, tz).into_iter().filter(|f| inner.contains_instant(f.span.start)).collect();
    let shifts: Vec<Vec<EventId>> = found.iter().map(|f| f.shift.into_iter().collect()).collect();
    let items: Vec<attention::Finding> = found
        .iter()
        .zip(&shifts)
        .map(|(f, shifts)| attention::Finding {
            kind: f.kind,
            shifts,
            span: f.span,
            fingerprint: fingerprint(f.kind, worker, f.punch),
            message: &f.message,
        })
        .collect();
    attention::bring_in_step(conn, caller, worker, &ConflictKind::TIMEKEEPING, attention::Judged::StartingWithin(inner), &items)
        .await
}

fn fingerprint(kind: ConflictKind, worker: EntityId, punch: EventId) -> String {
    format!("{}:{}:{}", kind.as_str(), worker, punch)
}

fn period_properties(period: &PunchedPeriod, shift: Option<EventId>) -> Value {
    json!({ "clock_in": period.clock_in, "clock_out": period.clock_out, "shift_id": shift })
}

async fn log_period(conn: &mut PgConnection, caller: &Caller, period: &ClockPeriodView, kind: ChangeKind) -> DomainResult<()> {
    debug_assert_eq!(kind.stream(), StreamType::ClockPeriod, "{kind:?}");
    changes::record(conn, caller.org, &caller.actor, kind, period.id.0, period.version, json!({ "after": period })).await
}

/// A published shift of the worker, as matching sees it, with where it is.
struct WorkerShift {
    planned: PlannedShift,
    location: EntityId,
}

/// The worker's published shifts overlapping [from, to): what punches are matched against.
async fn planned_shifts(
    conn: &mut PgConnection,
    org: OrgId,
    worker: EntityId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<WorkerShift>> {
    let rows: Vec<(EventId, DateTime<Utc>, Option<DateTime<Utc>>, EntityId)> = sqlx::query_as(
        "SELECT w.event_id, lower(w.during), upper(w.during), l.entity_id
           FROM participations w
           JOIN participations l ON l.org_id = w.org_id AND l.event_id = w.event_id AND l.participation_type = 'location'
          WHERE w.org_id = $1 AND w.entity_id = $2 AND w.event_type = 'shift' AND w.participation_type = 'worker'
            AND w.event_status IN ('active', 'completed') AND w.during && tstzrange($3, $4, '[)')",
    )
    .bind(org)
    .bind(worker)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, start, end, location)| WorkerShift { planned: PlannedShift { id, during: Interval { start, end } }, location })
        .collect())
}

/// Serialises every write to one worker's punches and timesheet — the same lock the database's
/// approved-week guard, approving and every shift command take.
pub(crate) async fn lock_worker(conn: &mut PgConnection, org: OrgId, worker: EntityId) -> DomainResult<()> {
    super::workers::lock(conn, org, &[worker]).await
}

async fn require_location(conn: &mut PgConnection, org: OrgId, location: EntityId) -> DomainResult<()> {
    let found: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM entities WHERE org_id = $1 AND id = $2 AND entity_type = 'location'")
            .bind(org)
            .bind(location)
            .fetch_optional(conn)
            .await?;
    found.map(|_| ()).ok_or_else(|| DomainError::invalid("location_id", "is not a location of this organisation"))
}

/// The punch a correction names: the worker's own, counting, and not itself a void.
async fn live_punch(conn: &mut PgConnection, org: OrgId, worker: EntityId, id: EventId) -> DomainResult<PunchView> {
    let at: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT e.start_time FROM events e
           JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id AND p.participation_type = 'worker'
          WHERE e.org_id = $1 AND e.id = $2 AND e.event_type = 'clock_event' AND p.entity_id = $3",
    )
    .bind(org)
    .bind(id)
    .bind(worker)
    .fetch_optional(&mut *conn)
    .await?;
    let at = at.ok_or_else(|| DomainError::not_found("punch", id))?;
    let around = punches(conn, org, worker, at, at + Duration::microseconds(1)).await?;
    let punch = around.into_iter().find(|p| p.id == id).ok_or_else(|| DomainError::not_found("punch", id))?;
    if punch.direction.is_none() {
        return Err(DomainError::invalid("punch_id", "names a void; correct the punch itself"));
    }
    if punch.standing != PunchStanding::Counts {
        return Err(DomainError::Conflict {
            code: "already_corrected",
            message: "That punch was already replaced or voided; correct what took its place.".into(),
        });
    }
    Ok(punch)
}

/// A punch to append: when, whose, where, and how its change is named and what it says besides.
struct PunchRecord {
    worker: EntityId,
    at: DateTime<Utc>,
    properties: Value,
    location: Option<EntityId>,
    kind: ChangeKind,
    /// Merged into the change's payload beside `after` (a correction's action and reason).
    said: Value,
}

/// Records a punch and its change in the log (`kind`, with `said` added to the change's payload).
async fn insert_punch(conn: &mut PgConnection, caller: &Caller, punch: PunchRecord) -> DomainResult<PunchView> {
    let PunchRecord { worker, at, properties, location, kind, said } = punch;
    debug_assert_eq!(kind.stream(), StreamType::ClockEvent, "{kind:?}");
    core::check_properties(conn, caller.org, EventKind::ClockEvent, &properties).await?;
    let id = core::insert_event(
        conn,
        caller.org,
        NewEvent {
            kind: EventKind::ClockEvent,
            parent: None,
            during: Interval { start: at, end: None },
            status: EventStatus::Active,
            properties: properties.clone(),
        },
    )
    .await?;
    core::add_participation(conn, caller.org, id, worker, "worker", None).await?;
    if let Some(location) = location {
        core::add_participation(conn, caller.org, id, location, "location", None).await?;
    }
    let row = PunchRow { id, start_time: at, properties, location_id: location, recorded_by: caller.actor.name.clone() };
    let view = row.into_view(worker, PunchStanding::Counts);
    let mut payload = json!({ "after": view });
    if let (Some(payload), Some(said)) = (payload.as_object_mut(), said.as_object()) {
        payload.extend(said.clone());
    }
    changes::record(conn, caller.org, &caller.actor, kind, id.0, 1, payload).await?;
    Ok(view)
}

fn optional_text(field: &str, text: Option<String>) -> DomainResult<Option<String>> {
    let Some(text) = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > TEXT_MAX {
        return Err(DomainError::invalid(field, format!("must be at most {TEXT_MAX} characters")));
    }
    Ok(Some(text))
}

#[derive(sqlx::FromRow)]
struct PunchRow {
    id: EventId,
    start_time: DateTime<Utc>,
    properties: Value,
    location_id: Option<EntityId>,
    recorded_by: String,
}

impl PunchRow {
    fn id_in(&self, key: &str) -> Option<EventId> {
        self.properties.get(key).and_then(|v| serde_json::from_value(v.clone()).ok())
    }

    fn into_view(self, worker: EntityId, standing: PunchStanding) -> PunchView {
        let text = |key: &str| self.properties.get(key).and_then(Value::as_str).map(str::to_string);
        PunchView {
            id: self.id,
            worker_id: worker,
            at: self.start_time,
            direction: self.properties.get("direction").and_then(|v| serde_json::from_value(v.clone()).ok()),
            location_id: self.location_id,
            note: text("note"),
            reason: text("reason"),
            replaces: self.id_in("replaces"),
            voids: self.id_in("voids"),
            standing,
            recorded_by: self.recorded_by,
        }
    }
}

#[derive(sqlx::FromRow)]
struct PeriodRow {
    id: EventId,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    status: String,
    properties: Value,
    version: i32,
    location_id: Option<EntityId>,
}

impl PeriodRow {
    fn into_view(self, worker: EntityId) -> ClockPeriodView {
        let id = |key: &str| self.properties.get(key).and_then(|v| serde_json::from_value::<EventId>(v.clone()).ok());
        ClockPeriodView {
            id: self.id,
            worker_id: worker,
            during: Interval { start: self.start_time, end: self.end_time },
            clock_in: id("clock_in").unwrap_or(self.id),
            clock_out: id("clock_out"),
            shift_id: id("shift_id"),
            location_id: self.location_id,
            approved: self.status == "completed",
            version: self.version,
        }
    }
}
