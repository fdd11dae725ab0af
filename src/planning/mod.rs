//! Planning on the calendar: where a time sits on the screen's axis, what a drag or a key press proposes,
//! what the rules say about that proposal before anything is saved, and how the roster is listed.
//!
//! Pure and compiled into the browser bundle, so the preview while dragging is the server's own judgement
//! of the shifts on screen; the server still decides on drop.

mod axis;
mod gesture;
mod lanes;
mod preview;
pub mod roster;
mod row_stack;
mod week_diff;
mod week_frame;

pub use axis::{business_hours, Axis, DEFAULT_SNAP_MINUTES};
pub use gesture::{drawn, moved, resized_end, resized_start, MIN_SHIFT_MINUTES};
pub use lanes::{collide, lanes, Extent};
pub use preview::{preview, week_hours, Preview, RowRules};
pub use row_stack::RowStack;
pub use week_diff::{differences, DifferenceKind, ShiftDifference};
pub use week_frame::{Placement, WeekFrame};

#[cfg(test)]
mod tests;
