//! What timekeeping and pay show: punches, worked periods, a worker's week planned against actual, pay
//! rates and the payroll summary.

use super::{AttentionItemView, WorkerView};
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::payroll::RateType;
use crate::timekeeping::ClockDirection;
use crate::timesheet::DayTotals;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

/// Whether a punch still counts, or a correction took its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub enum PunchStanding {
    Counts,
    Replaced,
    Voided,
}

/// A clock punch as it was recorded, or a supervisor's correction of one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct PunchView {
    pub id: EventId,
    pub worker_id: EntityId,
    pub at: DateTime<Utc>,
    /// `None` for a correction that voids a punch.
    pub direction: Option<ClockDirection>,
    pub location_id: Option<EntityId>,
    pub note: Option<String>,
    /// The reason a supervisor gave; `None` for the worker's own punch.
    pub reason: Option<String>,
    /// The punch this one replaces.
    pub replaces: Option<EventId>,
    /// The punch this correction voids.
    pub voids: Option<EventId>,
    pub standing: PunchStanding,
    /// Who recorded it, as the change log names them.
    pub recorded_by: String,
}

/// Punches paired: a stretch actually worked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ClockPeriodView {
    pub id: EventId,
    pub worker_id: EntityId,
    /// Open-ended while the worker is clocked in (or the clock-out is missing).
    pub during: Interval,
    pub clock_in: EventId,
    pub clock_out: Option<EventId>,
    /// The planned shift it was matched to, by time.
    pub shift_id: Option<EventId>,
    pub location_id: Option<EntityId>,
    /// Approved periods are locked.
    pub approved: bool,
    pub version: i32,
}

/// The signed-in worker's clock: whether they are in, since when, and where they may clock in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ClockView {
    pub worker_id: EntityId,
    /// The open period, when clocked in.
    pub open: Option<ClockPeriodView>,
    /// Today's punches, most recent first.
    pub today: Vec<PunchView>,
    /// Where the worker may say they are (their locations first).
    pub locations: Vec<super::LocationView>,
}

/// A planned shift on the timesheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct SheetShiftView {
    pub id: EventId,
    pub during: Interval,
    pub location_name: String,
    pub role: Option<String>,
    pub break_hours: f64,
}

/// One local day of a timesheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct TimesheetDayView {
    pub date: NaiveDate,
    pub totals: DayTotals,
    pub shifts: Vec<SheetShiftView>,
    pub periods: Vec<ClockPeriodView>,
    pub punches: Vec<PunchView>,
}

/// A manager's approval of a worker's week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ApprovalView {
    pub id: EventId,
    pub approved_at: DateTime<Utc>,
    pub approved_by: String,
    pub clocked_hours: f64,
    pub cost_cents: i64,
    pub currency: Option<String>,
}

/// An approved stretch at one rate type, priced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct PayrollPieceView {
    pub id: EventId,
    pub clock_period_id: EventId,
    pub worker_id: EntityId,
    pub rate_type: RateType,
    pub during: Interval,
    pub hours: f64,
    pub hourly_rate_cents: i64,
    pub multiplier: f64,
    pub cost_cents: i64,
    pub currency: String,
    pub cost_centre: String,
    pub job_code: String,
}

/// A worker's week, planned against actual, with its approval and pay once approved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct TimesheetView {
    pub worker: WorkerView,
    pub week_start: NaiveDate,
    pub time_zone: String,
    pub days: Vec<TimesheetDayView>,
    pub totals: DayTotals,
    /// Open timekeeping items (missing clock-outs, lone clock-outs, stray clock-ins) in the week.
    pub issues: Vec<AttentionItemView>,
    pub approval: Option<ApprovalView>,
    pub pieces: Vec<PayrollPieceView>,
    /// Why the week cannot be approved yet; empty when it can (or already is).
    pub blocking: Vec<String>,
}

/// Where a worker's week stands for approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub enum SheetStanding {
    /// Days of it are still to come.
    NotOver,
    /// Over, with nothing in the way: it can be approved.
    Ready,
    /// Over, but a clock-out is missing or a lone clock-out is unexplained (`blocking` says which).
    Blocked,
    Approved,
}

/// One worker's line in the team's week: their totals, and whether it can be approved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct TeamSheetLine {
    pub worker: WorkerView,
    pub totals: DayTotals,
    pub standing: SheetStanding,
    pub blocking: Vec<String>,
    pub approval: Option<ApprovalView>,
}

/// Every worker with something planned or clocked in a local week, for approving several at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct TeamWeekView {
    pub week_start: NaiveDate,
    pub time_zone: String,
    pub lines: Vec<TeamSheetLine>,
}

/// What approving one of several weeks came to: approved, or refused with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ApprovalOutcome {
    pub worker_id: EntityId,
    pub worker_name: String,
    pub approved: bool,
    /// Why it was refused.
    pub refused: Option<String>,
}

/// A worker's hourly rate from one date on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct RateView {
    pub id: EventId,
    pub worker_id: EntityId,
    /// Local midnight of the first day it applies, to the start of the next rate (open: still in force).
    pub during: Interval,
    pub hourly_rate_cents: i64,
    pub currency: String,
    pub version: i32,
}

/// One payroll row: a worker's hours and cost at one rate type (or, with `rate_type` `None`, the worker's
/// total).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct PayrollRowView {
    pub worker_id: EntityId,
    pub worker_name: String,
    pub email: Option<String>,
    pub rate_type: Option<RateType>,
    pub hours: f64,
    pub cost_cents: i64,
    pub currency: String,
}

/// Approved pay in a pay period, worker by worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct PayrollView {
    /// First and last local day of the pay period.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<PayrollRowView>,
    pub total_hours: f64,
    /// Per currency, when workers are paid in more than one.
    pub totals: Vec<CurrencyTotal>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct CurrencyTotal {
    pub currency: String,
    pub cost_cents: i64,
}
