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
