//! What the screens and the API show of time off: a request as it stands.

use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::time_off::{TimeOffKind, TimeOffStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

/// A request for time off and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct TimeOffView {
    pub id: EventId,
    pub worker_id: EntityId,
    pub worker_name: String,
    pub kind: TimeOffKind,
    pub status: TimeOffStatus,
    /// The stretch of time it covers.
    pub during: Interval,
    /// Asked as whole days: `first_day` to `last_day` in the organisation's zone. Otherwise as hours,
    /// and the days are those `during` starts and ends on.
    pub whole_days: bool,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// The worker's words with the request.
    pub note: Option<String>,
    /// The manager's words with the decision.
    pub decision_note: Option<String>,
    pub version: i32,
    pub requested_at: DateTime<Utc>,
}

/// A worker's own requests, for `/me`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyTimeOffView {
    /// Latest first.
    pub requests: Vec<TimeOffView>,
    /// The organisation's zone, which days and hours are asked in.
    pub time_zone: String,
    /// When it was read: a request may be withdrawn until it starts.
    pub now: DateTime<Utc>,
}

/// What managers decide, for `/requests`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestsView {
    /// Waiting for a decision, soonest first.
    pub waiting: Vec<TimeOffView>,
    /// Approved and not yet over, soonest first.
    pub approved: Vec<TimeOffView>,
    /// Declined or withdrawn in the last 30 days of requests, latest first.
    pub settled: Vec<TimeOffView>,
    pub time_zone: String,
    /// The log's position when it was read, for following it live.
    pub cursor: String,
    pub now: DateTime<Utc>,
}

/// A weekly pattern of availability as it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct AvailabilityPatternView {
    pub id: EventId,
    /// In force from this day, in the organisation's zone…
    pub first_day: NaiveDate,
    /// …until the day before this one, where a later pattern took over.
    pub until: Option<NaiveDate>,
    pub windows: Vec<crate::availability::WeeklyWindow>,
    pub version: i32,
}

/// A one-off exception to a worker's pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct AvailabilityExceptionView {
    pub id: EventId,
    pub during: Interval,
    /// Available after all (clears the pattern's unavailability), or unavailable.
    pub available: bool,
    pub note: Option<String>,
    pub version: i32,
}

/// A worker's availability: their patterns, earliest first, and exceptions from the day asked on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct AvailabilityView {
    pub worker_id: EntityId,
    pub patterns: Vec<AvailabilityPatternView>,
    pub exceptions: Vec<AvailabilityExceptionView>,
    /// The zone the patterns' hours are in.
    pub time_zone: String,
}
