//! Shifts: events of type `shift` that a worker takes part in at a location, nested in the worker's
//! employment, with breaks and work periods nested in them.
//!
//! Every command on an existing shift has one shape (`edit::edit`): lock the shift at the version the
//! caller saw, check the caller may change it and that it is still editable, do the command's own step,
//! append one change, re-judge the workers it touched and commit, run again after a lost race. Drafts may
//! conflict (each conflict becomes an attention item); the database refuses an active double booking
//! whatever happens here.
//!
//! - `commands`: planning, changing and cancelling a shift;
//! - `drafts`: planning drafts, one or a file's worth at once;
//! - `children`: its breaks and work periods;
//! - `undo`: reversing its latest change with a new one;
//! - `reads`: loading shifts, one or a week's worth, for every screen.

mod children;
mod commands;
mod drafts;
mod edit;
mod reads;
mod undo;

pub use children::{add_break, add_work_period, set_breaks};
pub use commands::{cancel, create, create_opening_week, explain_double_booking, update};
pub(crate) use commands::{cancel_draft_in, cancel_in, insert_draft, publish_in, reassign_in};
pub(crate) use drafts::insert_drafts;
pub(crate) use reads::{assemble, known_to_worker, list_unchecked, ChildRow, PositionColumns, ShiftEventRow, ShiftRow};
pub use reads::{get, list, live_in_period, load_many};
pub use undo::undo;

use crate::ids::{EntityId, EventId};
use crate::kinds::EventStatus;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewShift {
    pub worker_id: EntityId,
    pub location_id: EntityId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub role: Option<String>,
    /// The position the shift asks for: one of the organisation's, not retired.
    #[serde(default)]
    pub position_id: Option<EntityId>,
    pub notes: Option<String>,
    #[serde(default)]
    pub breaks: Vec<NewBreak>,
}

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBreak {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(default)]
    pub paid: bool,
}

/// Move (new start and end, same length), resize (new start or end) and reassign (new worker), with the
/// version the caller last saw.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShiftPatch {
    pub expected_version: i32,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub worker_id: Option<EntityId>,
    pub role: Option<String>,
    /// A position the shift asks for from now on, or `null` for none; left out, it stays as it is.
    #[serde(default, deserialize_with = "set_or_cleared")]
    #[cfg_attr(feature = "server", schema(value_type = Option<EntityId>, nullable))]
    pub position_id: Option<Option<EntityId>>,
    pub notes: Option<String>,
}

/// A field a patch may set, clear with `null`, or leave out (`None`, by `#[serde(default)]`).
fn set_or_cleared<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ShiftFilter {
    pub worker_id: Option<EntityId>,
    pub location_id: Option<EntityId>,
    /// Shifts whose start lies in this schedule's period at its location.
    pub schedule_id: Option<EventId>,
    pub status: Option<EventStatus>,
    /// Shifts overlapping [from, to).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}
