use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum ConflictKind {
    Overlap,
    OutsideEmployment,
    /// The shift asks for a position its worker does not hold.
    PositionNotHeld,
    /// The shift falls on the worker's approved time off.
    OnTimeOff,
    ShortRest,
    WeeklyHours,
    MissingBreak,
    /// The shift is in hours the worker said they cannot work.
    Unavailable,
    /// A clock-out with no clock-in before it.
    UnmatchedClockOut,
    /// A clock-in never clocked out of.
    MissingClockOut,
    /// A clock-in far from every planned shift.
    StrayClockIn,
}

impl ConflictKind {
    pub const ALL: [ConflictKind; 11] = [
        ConflictKind::Overlap,
        ConflictKind::OutsideEmployment,
        ConflictKind::PositionNotHeld,
        ConflictKind::OnTimeOff,
        ConflictKind::ShortRest,
        ConflictKind::WeeklyHours,
        ConflictKind::MissingBreak,
        ConflictKind::Unavailable,
        ConflictKind::UnmatchedClockOut,
        ConflictKind::MissingClockOut,
        ConflictKind::StrayClockIn,
    ];

    /// The kinds the plan's rules find, as opposed to what the clock shows.
    pub const PLANNING: [ConflictKind; 8] = [
        ConflictKind::Overlap,
        ConflictKind::OutsideEmployment,
        ConflictKind::PositionNotHeld,
        ConflictKind::OnTimeOff,
        ConflictKind::ShortRest,
        ConflictKind::WeeklyHours,
        ConflictKind::MissingBreak,
        ConflictKind::Unavailable,
    ];

    /// The kinds timekeeping finds among a worker's punches.
    pub const TIMEKEEPING: [ConflictKind; 3] =
        [ConflictKind::UnmatchedClockOut, ConflictKind::MissingClockOut, ConflictKind::StrayClockIn];

    pub fn parse(s: &str) -> Option<ConflictKind> {
        ConflictKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Overlap => "overlap",
            ConflictKind::OutsideEmployment => "outside_employment",
            ConflictKind::PositionNotHeld => "position_not_held",
            ConflictKind::OnTimeOff => "on_time_off",
            ConflictKind::ShortRest => "short_rest",
            ConflictKind::WeeklyHours => "weekly_hours",
            ConflictKind::MissingBreak => "missing_break",
            ConflictKind::Unavailable => "unavailable",
            ConflictKind::UnmatchedClockOut => "unmatched_clock_out",
            ConflictKind::MissingClockOut => "missing_clock_out",
            ConflictKind::StrayClockIn => "stray_clock_in",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            ConflictKind::Overlap | ConflictKind::OutsideEmployment | ConflictKind::PositionNotHeld | ConflictKind::OnTimeOff => {
                Severity::Hard
            }
            _ => Severity::Warning,
        }
    }

    pub fn suggested_action(self) -> &'static str {
        match self {
            ConflictKind::Overlap => "Move, shorten or reassign one of the shifts, or cancel one.",
            ConflictKind::OutsideEmployment => "Reassign the shift to an employed worker, or extend the employment.",
            ConflictKind::PositionNotHeld => {
                "Reassign the shift to someone who holds its position, or give the worker the position on /people."
            }
            ConflictKind::OnTimeOff => "Reassign the shift to someone who is not away, or cancel it.",
            ConflictKind::ShortRest => "Move one shift so the worker rests long enough, or reassign it.",
            ConflictKind::WeeklyHours => "Reassign or shorten a shift this week, or acknowledge with a reason.",
            ConflictKind::MissingBreak => "Add a break to the shift.",
            ConflictKind::Unavailable => {
                "Reassign the shift to someone available, or ask the worker and acknowledge with a reason."
            }
            ConflictKind::UnmatchedClockOut => "Add the missing clock-in on the timesheet, or void the clock-out.",
            ConflictKind::MissingClockOut => "Add the clock-out on the timesheet.",
            ConflictKind::StrayClockIn => "Check the punches with the worker; correct or void them on the timesheet.",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum Severity {
    /// Refused for active shifts; blocks publishing.
    Hard,
    /// Advice; may be acknowledged with a reason.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hard => "hard",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Conflict {
    pub kind: ConflictKind,
    pub severity: Severity,
    pub worker: EntityId,
    /// The shifts involved, in time order.
    pub shifts: Vec<EventId>,
    /// The stretch of time the conflict is about.
    pub span: Interval,
    pub message: String,
}

impl Conflict {
    pub fn new(kind: ConflictKind, worker: EntityId, shifts: Vec<EventId>, span: Interval, message: String) -> Self {
        Conflict { kind, severity: kind.severity(), worker, shifts, span, message }
    }

    /// Names the same conflict the same way every time it is found, so an attention item is kept open
    /// while the conflict lasts and closed when it goes away.
    pub fn fingerprint(&self) -> String {
        let mut ids: Vec<String> = self.shifts.iter().map(|id| id.to_string()).collect();
        ids.sort();
        match self.kind {
            // A week's total is about the week, whichever shifts make it up.
            ConflictKind::WeeklyHours => format!("{}:{}:{}", self.kind.as_str(), self.worker, self.span.start.timestamp()),
            _ => format!("{}:{}:{}", self.kind.as_str(), self.worker, ids.join(",")),
        }
    }
}
