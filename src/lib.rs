//! Mosaic's domain core.
//!
//! The pure part (time intervals, event kinds and statuses, property schemas, the rule engine and the
//! views the screens show) compiles for the server and for `wasm32-unknown-unknown`, so the calendar can
//! preview exactly the rules the server enforces. The PostgreSQL store and the domain services — the only
//! door to the core tables — sit behind the `server` feature.

pub mod access;
pub mod availability;
pub mod change_kind;
pub mod date_range;
pub mod hours;
pub mod ids;
pub mod interval;
pub mod kinds;
pub mod labor_cost;
pub mod local_time;
pub mod open_shifts;
pub mod organisation_settings;
pub mod organisation_setup;
pub mod payroll;
pub mod planning;
pub mod position_colour;
pub mod properties;
pub mod rules;
pub mod swaps;
pub mod templates;
pub mod time_off;
pub mod timekeeping;
pub mod timesheet;
pub mod views;

#[cfg(feature = "server")]
pub mod seed;
#[cfg(feature = "server")]
pub mod services;
#[cfg(feature = "server")]
pub mod store;

pub use ids::{EntityId, EventId, OrgId};
pub use interval::Interval;
