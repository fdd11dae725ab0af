//! Positions as the screens and the API show them.

use crate::ids::EntityId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "server")]
use utoipa::ToSchema;

/// One of the organisation's named positions (cashier, barista, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct PositionView {
    pub id: EntityId,
    pub name: String,
    /// `#rrggbb`, lower case: what the calendar draws its shifts in.
    pub colour: String,
    /// Set once the position is retired: no new shift asks for it; shifts that did keep it.
    pub retired_from: Option<DateTime<Utc>>,
    /// How many workers hold it.
    pub holders: i64,
    pub version: i32,
}

/// The position a shift asks for, as the shift carries it (and the log records it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct PositionTag {
    pub id: EntityId,
    pub name: String,
    pub colour: String,
}
