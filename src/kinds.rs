//! Event kinds and the status life cycle every event follows.
//!
//! The database holds the same registry (`event_types`) and refuses the same transitions in a trigger;
//! these definitions let previews and error messages say the same thing before a request is sent.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum EventKind {
    Employment,
    Schedule,
    Shift,
    WorkPeriod,
    Break,
    Task,
    ClockEvent,
    ClockPeriod,
    PayrollPiece,
    Compensation,
    LocationMembership,
    TimeOff,
    TimesheetApproval,
    Availability,
    AvailabilityException,
    OpenShift,
    ShiftClaim,
    ShiftOffer,
}

impl EventKind {
    pub const ALL: [EventKind; 18] = [
        EventKind::Employment,
        EventKind::Schedule,
        EventKind::Shift,
        EventKind::WorkPeriod,
        EventKind::Break,
        EventKind::Task,
        EventKind::ClockEvent,
        EventKind::ClockPeriod,
        EventKind::PayrollPiece,
        EventKind::Compensation,
        EventKind::LocationMembership,
        EventKind::TimeOff,
        EventKind::TimesheetApproval,
        EventKind::Availability,
        EventKind::AvailabilityException,
        EventKind::OpenShift,
        EventKind::ShiftClaim,
        EventKind::ShiftOffer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Employment => "employment",
            EventKind::Schedule => "schedule",
            EventKind::Shift => "shift",
            EventKind::WorkPeriod => "work_period",
            EventKind::Break => "break",
            EventKind::Task => "task",
            EventKind::ClockEvent => "clock_event",
            EventKind::ClockPeriod => "clock_period",
            EventKind::PayrollPiece => "payroll_piece",
            EventKind::Compensation => "compensation",
            EventKind::LocationMembership => "location_membership",
            EventKind::TimeOff => "time_off",
            EventKind::TimesheetApproval => "timesheet_approval",
            EventKind::Availability => "availability",
            EventKind::AvailabilityException => "availability_exception",
            EventKind::OpenShift => "open_shift",
            EventKind::ShiftClaim => "shift_claim",
            EventKind::ShiftOffer => "shift_offer",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum EventStatus {
    Draft,
    Active,
    Completed,
    Cancelled,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Active => "active",
            EventStatus::Completed => "completed",
            EventStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<EventStatus> {
        [EventStatus::Draft, EventStatus::Active, EventStatus::Completed, EventStatus::Cancelled]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// `draft → active → completed`, and `draft | active → cancelled`. Staying put is allowed.
    pub fn can_become(self, next: EventStatus) -> bool {
        use EventStatus::*;
        self == next || matches!((self, next), (Draft, Active) | (Active, Completed) | (Draft, Cancelled) | (Active, Cancelled))
    }
}

/// A schedule's life cycle as schedulers name it, stored as the schedule event's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum ScheduleStatus {
    Draft,
    Published,
    Archived,
    /// A draft given up before it was published: it and its drafts are cancelled.
    Withdrawn,
}

impl ScheduleStatus {
    pub fn from_event_status(status: EventStatus) -> ScheduleStatus {
        match status {
            EventStatus::Draft => ScheduleStatus::Draft,
            EventStatus::Active => ScheduleStatus::Published,
            EventStatus::Completed => ScheduleStatus::Archived,
            EventStatus::Cancelled => ScheduleStatus::Withdrawn,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_kind_round_trips_through_its_name() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn a_cancelled_or_completed_event_never_comes_back() {
        use EventStatus::*;
        for next in [Draft, Active] {
            assert!(!Cancelled.can_become(next));
            assert!(!Completed.can_become(next));
        }
        assert!(!Active.can_become(Draft));
        assert!(!Draft.can_become(Completed));
        assert!(Draft.can_become(Active) && Active.can_become(Completed) && Draft.can_become(Cancelled));
    }
}
