//! What a drag, a stretch or a key press proposes, as new bounds for a shift.
//!
//! Positions are axis minutes (see [`Axis`]); results snap to the step in local wall-clock time. A gesture
//! that ends where it began proposes nothing new, so a click never moves a shift that sits off the grid.

use super::axis::{snap, Axis};
use crate::interval::Interval;
use crate::rules::MAX_SHIFT_HOURS;
use chrono::{DateTime, Duration, Utc};

/// No gesture makes a shift shorter than this, nor shorter than one snap step.
pub const MIN_SHIFT_MINUTES: i64 = 15;

fn shortest(step: i64) -> Duration {
    Duration::minutes(step.max(MIN_SHIFT_MINUTES))
}

fn longest() -> Duration {
    Duration::hours(MAX_SHIFT_HOURS)
}

/// The whole shift moved by `delta` axis minutes, its start on the grid. It keeps its length in real time,
/// so the server sees a move (breaks travel with it), also across a DST change.
pub fn moved(axis: &Axis, during: Interval, delta: i64, step: i64) -> Interval {
    if delta == 0 {
        return during;
    }
    let start = axis.instant_at(snap(axis.minute_of(during.start) + delta, step));
    let length = during.duration().unwrap_or_else(|| shortest(step));
    Interval { start, end: Some(start + length) }
}

/// The end stretched by `delta` axis minutes, kept between one step and 24 hours after the start.
pub fn resized_end(axis: &Axis, during: Interval, delta: i64, step: i64) -> Interval {
    let Some(end) = during.end.filter(|_| delta != 0) else {
        return during;
    };
    let wanted = axis.instant_at(snap(axis.minute_of(end) + delta, step));
    Interval { start: during.start, end: Some(clamp(wanted, during.start + shortest(step), during.start + longest())) }
}

/// The start stretched by `delta` axis minutes, kept between 24 hours and one step before the end.
pub fn resized_start(axis: &Axis, during: Interval, delta: i64, step: i64) -> Interval {
    let Some(end) = during.end.filter(|_| delta != 0) else {
        return during;
    };
    let wanted = axis.instant_at(snap(axis.minute_of(during.start) + delta, step));
    Interval { start: clamp(wanted, end - longest(), end - shortest(step)), end: Some(end) }
}

/// A new shift drawn from one axis position to another, in either direction: at least one step long, at
/// most 24 hours from where the drawing began.
pub fn drawn(axis: &Axis, from: i64, to: i64, step: i64) -> Interval {
    let anchor = axis.instant_at(snap(from, step));
    let reached = axis.instant_at(snap(to, step));
    if to >= from {
        let end = clamp(reached, anchor + shortest(step), anchor + longest());
        Interval { start: anchor, end: Some(end) }
    } else {
        let start = clamp(reached, anchor - longest(), anchor - shortest(step));
        Interval { start, end: Some(anchor) }
    }
}

fn clamp(t: DateTime<Utc>, low: DateTime<Utc>, high: DateTime<Utc>) -> DateTime<Utc> {
    t.max(low).min(high)
}
