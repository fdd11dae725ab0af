//! What the screens and the API show of open shifts: the places offered, the claims on them, and what a
//! worker may take.

use super::positions::PositionTag;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::open_shifts::{Approval, ClaimStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

/// Work at a location with no worker yet: `places` identical places, `taken` of them given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OpenShiftView {
    pub id: EventId,
    pub location_id: EntityId,
    pub location_name: String,
    /// The location's zone, which its hours are shown in.
    pub location_time_zone: String,
    pub during: Interval,
    /// Draft with the week's plan, active once published (open to claims while a place is left),
    /// cancelled when withdrawn before anyone took a place.
    pub status: EventStatus,
    pub position: Option<PositionTag>,
    pub role: Option<String>,
    pub notes: Option<String>,
    pub places: i32,
    pub taken: i32,
    pub approval: Approval,
    pub version: i32,
}

/// A worker's claim on a place of an open shift.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ClaimView {
    pub id: EventId,
    pub open_shift_id: EventId,
    pub worker_id: EntityId,
    pub worker_name: String,
    pub status: ClaimStatus,
    /// The open shift's hours.
    pub during: Interval,
    /// The worker's words with the claim.
    pub note: Option<String>,
    /// The manager's words with the decision.
    pub decision_note: Option<String>,
    /// The shift the claim became, once approved.
    pub shift_id: Option<EventId>,
    pub version: i32,
    pub claimed_at: DateTime<Utc>,
}

/// An open shift with the claims on it, for managers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OpenShiftWithClaims {
    pub open_shift: OpenShiftView,
    /// Waiting ones first, then by when they were made.
    pub claims: Vec<ClaimView>,
}

/// An open shift a worker may take, with their claim on it if they made one and what the rules would
/// warn about if they took it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OfferedShift {
    pub open_shift: OpenShiftView,
    pub my_claim: Option<ClaimView>,
    pub warnings: Vec<String>,
}

/// What a worker sees of open shifts on `/me`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct MyOpenShiftsView {
    /// Open shifts still to come the worker may take, soonest first.
    pub offered: Vec<OfferedShift>,
    /// The worker's claims lately decided or still waiting, latest first.
    pub claims: Vec<ClaimView>,
    /// The organisation's zone, which hours are shown in.
    pub time_zone: String,
    pub now: DateTime<Utc>,
}
