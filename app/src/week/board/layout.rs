//! Where each block of a row is drawn: how far it reaches on screen (its time, or its label where that
//! is longer) and in which lane, so no block covers another and none runs off the track; and where each
//! row begins, for drawing only the rows in view.

use super::scale::{label_px, row_height, HEADING_HEIGHT};
use super::state::Board;
use crate::format::clock;
use leptos::prelude::*;
use mosaic::ids::EventId;
use mosaic::kinds::EventStatus;
use mosaic::planning::roster::Line;
use mosaic::planning::{lanes, Extent, RowStack};
use mosaic::views::{ShiftView, WeekRow};
use std::collections::HashMap;

/// One block as drawn: on screen from `from` to `to` (axis minutes) in lane `lane`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub from: i64,
    pub to: i64,
    pub lane: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowLayout {
    pub blocks: HashMap<EventId, Placed>,
    pub lanes: usize,
}

/// What a block says: its local times, and the position or role it asks for.
pub fn block_text(board: &Board, shift: &ShiftView) -> (String, String) {
    let tz = board.axis.tz;
    let times = format!("{}–{}", clock(shift.during.start, tz), shift.during.end.map(|e| clock(e, tz)).unwrap_or_default());
    (times, shift.label().unwrap_or_default())
}

/// A shift's own span on the axis, in minutes (an open end counts as an hour).
pub fn span_of(board: &Board, shift: &ShiftView) -> (i64, i64) {
    let from = board.axis.minute_of(shift.during.start);
    (from, shift.during.end.map(|e| board.axis.minute_of(e)).unwrap_or(from + 60))
}

/// The row's blocks in lanes, on a track `track_px` wide.
pub fn row_layout(board: &Board, row: &WeekRow, track_px: f64) -> RowLayout {
    let scale = board.scale;
    let end = scale.from + scale.minutes;
    let (ids, extents): (Vec<EventId>, Vec<Extent>) = board.marks.with(|marks| {
        row.shifts
            .iter()
            .filter(|s| s.status != EventStatus::Cancelled)
            .filter_map(|shift| {
                let (from, to) = span_of(board, shift);
                if !scale.shows(from, to) {
                    return None;
                }
                let role = shift.label().unwrap_or_default();
                let label = scale.minutes_covering(label_px(&role, marks.contains_key(&shift.id)), track_px);
                let drawn = Extent::labelled(from, to, label);
                // A label that would run past the track's end grows to the left instead.
                let overrun = (drawn.to - end).max(0);
                Some((shift.id, Extent { from: drawn.from - overrun, to: drawn.to - overrun }))
            })
            .unzip()
    });
    let (lane_of, count) = lanes(&extents);
    let blocks = ids
        .into_iter()
        .zip(extents)
        .zip(lane_of)
        .map(|((id, extent), lane)| (id, Placed { from: extent.from, to: extent.to, lane }))
        .collect();
    RowLayout { blocks, lanes: count }
}

/// Every line's height in the order shown: headings, and each worker's row as tall as its lanes.
pub fn stack(board: &Board, track_px: f64) -> RowStack {
    board.order.with(|order| {
        RowStack::new(order.iter().map(|line| {
            match line {
                Line::Heading(_) => HEADING_HEIGHT,
                Line::Worker(index) => board
                    .row(*index)
                    .map(|row| row.with(|r| row_height(row_layout(board, r, track_px).lanes)))
                    .unwrap_or(HEADING_HEIGHT),
            }
        }))
    })
}
