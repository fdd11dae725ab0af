//! What the screens and the API show of swaps and drops: an offer of a shift and where it stands.

use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::swaps::OfferStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

/// A worker's offer of a published shift: to a named colleague (a swap, perhaps for one of theirs) or to
/// anyone who could take it (a drop, `to_worker_id` empty until someone accepts).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ShiftOfferView {
    pub id: EventId,
    pub shift_id: EventId,
    /// The shift's hours, and its location with the zone they are shown in.
    pub during: Interval,
    pub location_name: String,
    pub location_time_zone: String,
    pub from_worker_id: EntityId,
    pub from_worker_name: String,
    pub to_worker_id: Option<EntityId>,
    pub to_worker_name: Option<String>,
    /// The colleague's shift the offering worker takes in return, for a swap of two shifts.
    pub in_return_shift_id: Option<EventId>,
    pub in_return_during: Option<Interval>,
    pub status: OfferStatus,
    pub note: Option<String>,
    pub decision_note: Option<String>,
    pub version: i32,
    pub offered_at: DateTime<Utc>,
}

/// A worker's offers, for `/me`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct MyOffersView {
    /// The offers the worker made, live ones first, then the last month's.
    pub made: Vec<ShiftOfferView>,
    /// Offers made to the worker by name, and drops they could take, still live.
    pub to_me: Vec<ShiftOfferView>,
    /// The workers employed where the worker is, whom a shift may be offered to by name.
    pub colleagues: Vec<Colleague>,
    pub now: DateTime<Utc>,
}

/// A colleague a shift may be offered to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Colleague {
    pub id: EntityId,
    pub name: String,
}
