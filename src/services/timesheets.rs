//! Timesheets: a worker's local week, planned against actual, and its approval. Approving is one
//! transaction: every closed period of the week is cut into `payroll_piece` events (rate types by the
//! organisation's rules, priced at the rate in force over each stretch), the periods are marked
//! completed, and a `timesheet_approval` event covers the week — from then on the database refuses any
//! punch or period change inside it.

use super::{attention::ItemRow, compensation, organisations, timekeeping, workers, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::hours::BreakSpan;
use crate::ids::{EntityId, EventId, OrgId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::local_time::local_week;
use crate::payroll::{price, RateSpan, RateType};
use crate::rules::ConflictKind;
use crate::store::changes;
use crate::store::core::{self, NewEvent};
use crate::store::{DomainError, DomainResult};
use crate::timekeeping::PunchedPeriod;
use crate::timesheet::{pieces_of, SheetPeriod, SheetShift};
use crate::views::time::{
    ApprovalOutcome, ApprovalView, ClockPeriodView, PayrollPieceView, SheetShiftView, SheetStanding, TeamSheetLine, TeamWeekView,
    TimesheetDayView, TimesheetView,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

/// A period that began this long before the week may still reach into it (and count toward overtime).
const REACH_BACK: Duration = Duration::days(2);

/// The worker's week that `day` falls in (today without one), in the organisation's zone.
/// Managers and admins see anyone's; a worker sees their own.
pub async fn week(pool: &PgPool, caller: &Caller, worker: EntityId, day: Option<NaiveDate>) -> DomainResult<TimesheetView> {
    if let Some(day) = day {
        crate::date_range::require_day("week", day)?;
    }
    if !caller.access.is_worker(worker) {
        caller.require(Action::KeepTime)?;
    }
    let worker_view = workers::get(pool, caller, worker).await?;
    let mut conn = pool.acquire().await?;
    let (rules, tz) = organisations::pay_rules(&mut conn, caller.org).await?;
    let first_day = rules.week_starts_on.first_day_of(day.unwrap_or_else(|| Utc::now().with_timezone(&tz).date_naive()));
    let sheet = Sheet::read(&mut conn, caller.org, worker, first_day, tz).await?;
    let totals = crate::timesheet::week(first_day, tz, &sheet.sheet_shifts(), &sheet.sheet_periods(), &rules, Utc::now());
    let approval = approval(&mut conn, caller.org, worker, sheet.week).await?;
    let in_week: Vec<EventId> =
        sheet.periods.iter().filter(|p| sheet.week.contains_instant(p.during.start)).map(|p| p.id).collect();
    let pieces = pieces_of_periods(&mut conn, caller.org, &in_week).await?;
    let issues = issues(&mut conn, caller.org, worker, sheet.week).await?;
    let blocking = if approval.is_some() { vec![] } else { sheet.blocking(&issues, tz) };

    let day_of = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let days = totals
        .days
        .iter()
        .map(|(date, day_totals)| TimesheetDayView {
            date: *date,
            totals: day_totals.clone(),
            shifts: sheet.shifts.iter().filter(|s| day_of(s.view.during.start) == *date).map(|s| s.view.clone()).collect(),
            periods: sheet.periods.iter().filter(|p| day_of(p.during.start) == *date).cloned().collect(),
            punches: sheet.punches.iter().filter(|p| day_of(p.at) == *date).cloned().collect(),
        })
        .collect();
    Ok(TimesheetView {
        worker: worker_view,
        week_start: first_day,
        time_zone: tz.name().to_string(),
        days,
        totals: totals.week,
        issues,
        approval,
        pieces,
        blocking,
    })
}

/// The most weeks one request may approve together.
pub const MAX_APPROVALS: usize = 500;

/// Every worker's local week that `day` falls in, as it stands at `now`: planned, clocked, overtime and
/// whether it can be approved. Workers with nothing planned or clocked that week are left out.
pub async fn team_week(pool: &PgPool, caller: &Caller, day: Option<NaiveDate>, now: DateTime<Utc>) -> DomainResult<TeamWeekView> {
    caller.require(Action::KeepTime)?;
    if let Some(day) = day {
        crate::date_range::require_day("week", day)?;
    }
    let staff = workers::search(pool, caller, "", i64::MAX).await?;
    let mut conn = pool.acquire().await?;
    let (rules, tz) = organisations::pay_rules(&mut conn, caller.org).await?;
    let first_day = rules.week_starts_on.first_day_of(day.unwrap_or_else(|| now.with_timezone(&tz).date_naive()));
    let mut lines = Vec::new();
    // One worker at a time through the same reads as their own sheet, so the two never disagree.
    for worker in staff {
        let sheet = Sheet::read(&mut conn, caller.org, worker.id, first_day, tz).await?;
        let totals = crate::timesheet::week(first_day, tz, &sheet.sheet_shifts(), &sheet.sheet_periods(), &rules, now).week;
        let approval = approval(&mut conn, caller.org, worker.id, sheet.week).await?;
        if approval.is_none() && totals.scheduled_hours == 0.0 && totals.clocked_hours == 0.0 && totals.open_periods == 0 {
            continue;
        }
        let issues = issues(&mut conn, caller.org, worker.id, sheet.week).await?;
        let blocking = if approval.is_some() { vec![] } else { sheet.blocking(&issues, tz) };
        let standing = match (&approval, sheet.week.end.is_none_or(|end| end > now), blocking.is_empty()) {
            (Some(_), _, _) => SheetStanding::Approved,
            (None, true, _) => SheetStanding::NotOver,
            (None, false, false) => SheetStanding::Blocked,
            (None, false, true) => SheetStanding::Ready,
        };
        lines.push(TeamSheetLine { worker, totals, standing, blocking, approval });
    }
    Ok(TeamWeekView { week_start: first_day, time_zone: tz.name().to_string(), lines })
}

/// Approves several workers' weeks, each on its own as [`approve`] does: one refused (not over, already
/// approved, a clock-out missing, no pay rate) is reported with its reason and leaves the others approved.
pub async fn approve_several(
    pool: &PgPool,
    caller: &Caller,
    workers: &[EntityId],
    day: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<Vec<ApprovalOutcome>> {
    caller.require(Action::KeepTime)?;
    crate::date_range::require_day("week", day)?;
    if workers.is_empty() {
        return Err(DomainError::invalid("worker_ids", "name at least one worker"));
    }
    if workers.len() > MAX_APPROVALS {
        return Err(DomainError::invalid("worker_ids", format!("at most {MAX_APPROVALS} weeks at once")));
    }
    let mut seen = std::collections::HashSet::new();
    let mut outcomes = Vec::new();
    for &worker in workers.iter().filter(|w| seen.insert(**w)) {
        let worker_name = workers::get(pool, caller, worker).await?.name;
        let outcome = match approve(pool, caller, worker, day, now).await {
            Ok(_) => ApprovalOutcome { worker_id: worker, worker_name, approved: true, refused: None },
            Err(refusal @ (DomainError::Conflict { .. } | DomainError::Invalid { .. })) => {
                ApprovalOutcome { worker_id: worker, worker_name, approved: false, refused: Some(refusal.to_string()) }
            }
            Err(other) => return Err(other),
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Approves the worker's week: prices its periods into payroll pieces and locks it. Refused before the
/// week has ended at `now` (locking it would refuse the punches of the days still to come), while a
/// period lacks its clock-out or a clock-out its clock-in, or while a worked hour has no pay rate.
pub async fn approve(
    pool: &PgPool,
    caller: &Caller,
    worker: EntityId,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<TimesheetView> {
    caller.require(Action::KeepTime)?;
    crate::date_range::require_day("week", day)?;
    let worker_name = workers::get(pool, caller, worker).await?.name;
    let mut tx = crate::store::begin(pool).await?;
    timekeeping::lock_worker(&mut tx, caller.org, worker).await?;
    let (rules, tz) = organisations::pay_rules(&mut tx, caller.org).await?;
    let first_day = rules.week_starts_on.first_day_of(day);
    let sheet = Sheet::read(&mut tx, caller.org, worker, first_day, tz).await?;
    if sheet.week.end.is_none_or(|end| end > now) {
        return Err(DomainError::Conflict {
            code: "week_not_over",
            message: format!("{worker_name}'s week is not over yet; approve it once it has ended."),
        });
    }
    if approval(&mut tx, caller.org, worker, sheet.week).await?.is_some() {
        return Err(DomainError::Conflict {
            code: "already_approved",
            message: "That week's timesheet is already approved.".into(),
        });
    }
    let issues = issues(&mut tx, caller.org, worker, sheet.week).await?;
    let blocking = sheet.blocking(&issues, tz);
    if !blocking.is_empty() {
        return Err(DomainError::Conflict {
            code: "timesheet_incomplete",
            message: format!("{worker_name}'s week cannot be approved yet: {}", blocking.join(" ")),
        });
    }

    let rates: Vec<RateSpan> =
        compensation::spans(&mut tx, caller.org, &[worker], sheet.reach()).await?.into_iter().map(|(_, rate)| rate).collect();
    let spans: Vec<Interval> = sheet.periods.iter().map(|p| p.during).collect();
    let split = pieces_of(&spans, &rules, tz);
    let mut written = Vec::new();
    for period in sheet.periods.iter().filter(|p| sheet.week.contains_instant(p.during.start)) {
        let Some((_, pieces)) = split.iter().find(|(span, _)| *span == period.during) else { continue };
        let priced = price(pieces, &rates, &rules.multipliers).map_err(|at| {
            DomainError::invalid(
                "compensation",
                format!("{worker_name} has no pay rate on {}; set one first", at.with_timezone(&tz).date_naive()),
            )
        })?;
        let shift = period.shift_id.and_then(|id| sheet.shifts.iter().find(|s| s.view.id == id));
        let cost_centre = shift.map(|s| s.view.location_name.clone()).unwrap_or_else(|| "unassigned".into());
        let job_code = shift.and_then(|s| s.view.role.clone()).unwrap_or_else(|| "unplanned".into());
        core::update_event(
            &mut tx,
            caller.org,
            period.id,
            None,
            period.during,
            EventStatus::Completed,
            &period_properties(period),
        )
        .await?;
        for piece in priced {
            let properties = json!({
                "rate_type": piece.rate,
                "hours": piece.hours(),
                "hourly_rate_cents": piece.hourly_rate_cents,
                "currency": piece.currency,
                "multiplier": piece.multiplier,
                "cost_cents": piece.cost_cents,
                "cost_centre": cost_centre,
                "job_code": job_code,
            });
            let id = core::insert_event(
                &mut tx,
                caller.org,
                NewEvent {
                    kind: EventKind::PayrollPiece,
                    parent: Some(period.id),
                    during: piece.during,
                    status: EventStatus::Active,
                    properties,
                },
            )
            .await?;
            core::add_participation(&mut tx, caller.org, id, worker, "worker", None).await?;
            written.push(PayrollPieceView {
                id,
                clock_period_id: period.id,
                worker_id: worker,
                rate_type: piece.rate,
                during: piece.during,
                hours: piece.hours(),
                hourly_rate_cents: piece.hourly_rate_cents,
                multiplier: piece.multiplier,
                cost_cents: piece.cost_cents,
                currency: piece.currency,
                cost_centre: cost_centre.clone(),
                job_code: job_code.clone(),
            });
        }
    }

    let clocked_hours: f64 = written.iter().map(|p| p.hours).sum();
    let cost_cents: i64 = written.iter().map(|p| p.cost_cents).sum();
    let currency = written.first().map(|p| p.currency.clone());
    let properties = json!({ "clocked_hours": clocked_hours, "cost_cents": cost_cents, "currency": currency });
    let id = core::insert_event(
        &mut tx,
        caller.org,
        NewEvent {
            kind: EventKind::TimesheetApproval,
            parent: None,
            during: sheet.week,
            status: EventStatus::Active,
            properties,
        },
    )
    .await?;
    core::add_participation(&mut tx, caller.org, id, worker, "worker", None).await?;
    let mut by_rate: HashMap<RateType, (f64, i64)> = HashMap::new();
    for piece in &written {
        let entry = by_rate.entry(piece.rate_type).or_default();
        entry.0 += piece.hours;
        entry.1 += piece.cost_cents;
    }
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::TimesheetApproved, id.0, 1, json!({
                "worker_id": worker,
                "week_start": first_day,
                "periods": sheet.periods.iter().filter(|p| sheet.week.contains_instant(p.during.start)).map(|p| p.id).collect::<Vec<_>>(),
                "hours_by_rate": by_rate.iter().map(|(rate, (hours, cost))| json!({ "rate_type": rate, "hours": hours, "cost_cents": cost })).collect::<Vec<_>>(),
                "clocked_hours": clocked_hours,
                "cost_cents": cost_cents,
                "currency": currency,
            }))
    .await?;
    crate::store::commit(tx, pool).await?;
    week(pool, caller, worker, Some(first_day)).await
}

/// The pieces approved periods were cut into (a period's last pieces may fall after its week).
async fn pieces_of_periods(conn: &mut PgConnection, org: OrgId, periods: &[EventId]) -> DomainResult<Vec<PayrollPieceView>> {
    let rows: Vec<PieceRow> = sqlx::query_as(&format!("{SELECT_PIECE} AND e.parent_id = ANY ($2) ORDER BY e.start_time, e.id"))
        .bind(org)
        .bind(periods.iter().map(|p| p.0).collect::<Vec<_>>())
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(PieceRow::into_view).collect())
}

const SELECT_PIECE: &str = "SELECT e.id, e.parent_id, p.entity_id, e.start_time, e.end_time, e.properties
   FROM participations p JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
  WHERE p.org_id = $1 AND p.event_type = 'payroll_piece' AND p.participation_type = 'worker' AND p.event_status = 'active'";

#[derive(sqlx::FromRow)]
struct PieceRow {
    id: EventId,
    parent_id: EventId,
    entity_id: EntityId,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    properties: Value,
}

impl PieceRow {
    fn into_view(self) -> PayrollPieceView {
        let properties = &self.properties;
        let text = |key: &str| properties.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        PayrollPieceView {
            id: self.id,
            clock_period_id: self.parent_id,
            worker_id: self.entity_id,
            rate_type: properties
                .get("rate_type")
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .unwrap_or(RateType::Regular),
            during: Interval { start: self.start_time, end: self.end_time },
            hours: properties.get("hours").and_then(Value::as_f64).unwrap_or(0.0),
            hourly_rate_cents: properties.get("hourly_rate_cents").and_then(Value::as_i64).unwrap_or(0),
            multiplier: properties.get("multiplier").and_then(Value::as_f64).unwrap_or(1.0),
            cost_cents: properties.get("cost_cents").and_then(Value::as_i64).unwrap_or(0),
            currency: text("currency"),
            cost_centre: text("cost_centre"),
            job_code: text("job_code"),
        }
    }
}

async fn approval(conn: &mut PgConnection, org: OrgId, worker: EntityId, week: Interval) -> DomainResult<Option<ApprovalView>> {
    let row: Option<(EventId, DateTime<Utc>, Value, Option<String>)> = sqlx::query_as(
        "SELECT e.id, e.created_at, e.properties,
                (SELECT c.actor FROM changes c WHERE c.org_id = e.org_id AND c.stream_id = e.id ORDER BY c.stream_version LIMIT 1)
           FROM participations p JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
          WHERE p.org_id = $1 AND p.entity_id = $2 AND p.event_type = 'timesheet_approval' AND p.participation_type = 'worker'
            AND p.event_status = 'active' AND p.during @> $3::timestamptz",
    )
    .bind(org)
    .bind(worker)
    .bind(week.start)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, approved_at, properties, actor)| ApprovalView {
        id,
        approved_at,
        approved_by: actor.unwrap_or_default(),
        clocked_hours: properties.get("clocked_hours").and_then(Value::as_f64).unwrap_or(0.0),
        cost_cents: properties.get("cost_cents").and_then(Value::as_i64).unwrap_or(0),
        currency: properties.get("currency").and_then(Value::as_str).map(str::to_string),
    }))
}

/// Open timekeeping items about the worker in the week.
async fn issues(
    conn: &mut PgConnection,
    org: OrgId,
    worker: EntityId,
    week: Interval,
) -> DomainResult<Vec<crate::views::AttentionItemView>> {
    let rows: Vec<ItemRow> = sqlx::query_as(&format!(
        "SELECT {} FROM attention_items
          WHERE org_id = $1 AND worker_id = $2 AND status = 'open' AND kind = ANY ($3)
            AND lower(span) >= $4 AND lower(span) < $5
          ORDER BY lower(span)",
        super::attention::ITEM_COLUMNS
    ))
    .bind(org)
    .bind(worker)
    .bind(ConflictKind::TIMEKEEPING.map(ConflictKind::as_str).to_vec())
    .bind(week.start)
    .bind(week.end)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(ItemRow::into_view).collect())
}

fn period_properties(period: &ClockPeriodView) -> Value {
    json!({ "clock_in": period.clock_in, "clock_out": period.clock_out, "shift_id": period.shift_id })
}

struct PlannedRow {
    view: SheetShiftView,
    breaks: Vec<BreakSpan>,
}

/// What one worker's week is read from.
struct Sheet {
    week: Interval,
    shifts: Vec<PlannedRow>,
    /// From `REACH_BACK` before the week: earlier periods count toward its overtime.
    periods: Vec<ClockPeriodView>,
    punches: Vec<crate::views::time::PunchView>,
}

impl Sheet {
    async fn read(conn: &mut PgConnection, org: OrgId, worker: EntityId, first_day: NaiveDate, tz: Tz) -> DomainResult<Sheet> {
        let week = local_week(first_day, tz);
        let end = week.end.unwrap_or(week.start);
        let rows: Vec<(EventId, DateTime<Utc>, Option<DateTime<Utc>>, String, Option<String>, Value)> = sqlx::query_as(
            "SELECT e.id, e.start_time, e.end_time, loc.name, e.properties ->> 'role',
                    coalesce((SELECT json_agg(json_build_array(b.start_time, b.end_time, coalesce((b.properties ->> 'paid')::boolean, false)))
                                FROM events b WHERE b.org_id = e.org_id AND b.parent_id = e.id AND b.event_type = 'break'
                                 AND b.status <> 'cancelled'), '[]'::json)::jsonb
               FROM participations w
               JOIN events e ON e.org_id = w.org_id AND e.id = w.event_id
               JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location'
               JOIN entities loc ON loc.org_id = l.org_id AND loc.id = l.entity_id
              WHERE w.org_id = $1 AND w.entity_id = $2 AND w.event_type = 'shift' AND w.participation_type = 'worker'
                AND w.event_status IN ('active', 'completed') AND lower(w.during) >= $3 AND lower(w.during) < $4
              ORDER BY e.start_time",
        )
        .bind(org)
        .bind(worker)
        // From before the week: a period of the week may belong to a shift begun the night before it.
        .bind(week.start - REACH_BACK)
        .bind(end)
        .fetch_all(&mut *conn)
        .await?;
        let shifts = rows
            .into_iter()
            .map(|(id, start, end, location_name, role, breaks)| {
                let breaks: Vec<BreakSpan> = serde_json::from_value::<Vec<(DateTime<Utc>, DateTime<Utc>, bool)>>(breaks)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(from, to, paid)| BreakSpan { during: Interval { start: from, end: Some(to) }, paid })
                    .collect();
                let during = Interval { start, end };
                let break_hours = crate::hours::shift_hours(&during, &breaks).breaks;
                PlannedRow { view: SheetShiftView { id, during, location_name, role, break_hours }, breaks }
            })
            .collect();
        let periods = timekeeping::periods(conn, org, worker, week.start - REACH_BACK, end).await?;
        let punches = timekeeping::punches(conn, org, worker, week.start, end).await?;
        Ok(Sheet { week, shifts, periods, punches })
    }

    /// Everything the week's periods may touch: from `REACH_BACK` before it to a day after it (a night
    /// begun on the week's last day is paid at the rates of the next morning too).
    fn reach(&self) -> Interval {
        Interval { start: self.week.start - REACH_BACK, end: self.week.end.map(|end| end + Duration::days(1)) }
    }

    fn sheet_shifts(&self) -> Vec<SheetShift> {
        self.shifts.iter().map(|s| SheetShift { id: s.view.id, during: s.view.during, breaks: s.breaks.clone() }).collect()
    }

    fn sheet_periods(&self) -> Vec<SheetPeriod> {
        self.periods
            .iter()
            .map(|p| SheetPeriod {
                period: PunchedPeriod { clock_in: p.clock_in, clock_out: p.clock_out, start: p.during.start, end: p.during.end },
                shift: p.shift_id,
            })
            .collect()
    }

    /// Why the week cannot be approved: periods of the week without a clock-out, and open timekeeping
    /// items (a lone clock-out, say).
    fn blocking(&self, issues: &[crate::views::AttentionItemView], tz: Tz) -> Vec<String> {
        let mut blocking: Vec<String> = self
            .periods
            .iter()
            .filter(|p| self.week.contains_instant(p.during.start) && p.during.end.is_none())
            .map(|p| format!("the clock-in at {} has no clock-out.", p.during.start.with_timezone(&tz).format("%a %d %b %H:%M")))
            .collect();
        blocking.extend(issues.iter().filter(|i| matches!(i.kind, ConflictKind::UnmatchedClockOut)).map(|i| i.message.clone()));
        blocking
    }
}
