//! A change being made on the calendar, by pointer or keyboard, before the server has it: what it
//! proposes, and what the rules say about that.

use super::scale::DRAG_THRESHOLD_PX;
use super::state::Board;
use chrono::Duration;
use leptos::prelude::*;
use mosaic::hours::BreakSpan;
use mosaic::ids::EventId;
use mosaic::interval::Interval;
use mosaic::kinds::EventStatus;
use mosaic::planning::{self, drawn, moved, resized_end, resized_start, Preview};
use mosaic::rules::RuleShift;
use mosaic::templates::place;
use mosaic::views::{ShiftTemplateView, ShiftView};

/// Which part of a shift the pointer took hold of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handle {
    Body,
    Start,
    End,
}

/// Where a pointer gesture began, so every move is measured from there and never drifts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointerOrigin {
    pub pointer_id: i32,
    pub x: f64,
    pub y: f64,
    pub handle: Handle,
    /// For drawing: the axis minute the pointer went down on.
    pub anchor: i64,
    /// Past the drag threshold: a drag, not a click.
    pub travelled: bool,
    /// The roster's scroll position then: rows scrolled past since count as rows moved.
    pub scroll_top: f64,
    /// Where the press was from the roster's top, in pixels: where the pointer is now gives the row.
    pub body_y: f64,
    /// How wide the track was then, in pixels: how many minutes a pixel of travel is.
    pub track_px: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Gesture {
    /// The shift being changed; `None` while a new one is drawn.
    pub source: Option<ShiftView>,
    pub from_row: usize,
    pub to_row: usize,
    pub proposed: Interval,
    /// Leave the shift where it is and make a draft copy at the new place.
    pub copy: bool,
    /// `None` when the keyboard drives it.
    pub pointer: Option<PointerOrigin>,
    /// Sent to the server; waiting for its answer.
    pub saving: bool,
    /// Planning from this template: the pointer picks the worker and the day, the template the times.
    pub template: Option<ShiftTemplateView>,
    /// The template's breaks where it is placed now.
    pub template_breaks: Vec<BreakSpan>,
}

impl Gesture {
    /// A gesture on `row` proposing `proposed`, changing nothing yet.
    fn starting(row: usize, proposed: Interval, pointer: Option<PointerOrigin>) -> Gesture {
        Gesture {
            source: None,
            from_row: row,
            to_row: row,
            proposed,
            copy: false,
            pointer,
            saving: false,
            template: None,
            template_breaks: vec![],
        }
    }

    pub fn on_shift(shift: ShiftView, row: usize, pointer: Option<PointerOrigin>) -> Gesture {
        Gesture { source: Some(shift.clone()), ..Gesture::starting(row, shift.during, pointer) }
    }

    pub fn drawing(board: &Board, row: usize, pointer: PointerOrigin) -> Gesture {
        let proposed = drawn(&board.axis, pointer.anchor, pointer.anchor, board.snap.get_untracked());
        Gesture::starting(row, proposed, Some(pointer))
    }

    /// A template placed on the day under the pointer; a click plans it there.
    pub fn from_template(board: &Board, row: usize, pointer: PointerOrigin, template: ShiftTemplateView) -> Gesture {
        let pointer = PointerOrigin { travelled: true, ..pointer };
        let (proposed, template_breaks) = placed(board, &template, pointer.anchor);
        Gesture { template: Some(template), template_breaks, ..Gesture::starting(row, proposed, Some(pointer)) }
    }

    pub fn shift_id(&self) -> Option<EventId> {
        self.source.as_ref().map(|s| s.id)
    }

    /// Whether dropping it now would change anything.
    pub fn changes_something(&self) -> bool {
        match &self.source {
            None => self.pointer.is_none_or(|p| p.travelled),
            Some(s) => self.proposed != s.during || self.to_row != self.from_row,
        }
    }

    /// Follows the pointer to client position (`x`, `y`); `copy` while the copy modifier is held.
    pub fn follow(&mut self, board: &Board, x: f64, y: f64, copy: bool) {
        let Some(origin) = self.pointer.as_mut() else { return };
        let (dx, dy) = (x - origin.x, y - origin.y + board.scroll_top.get_untracked() - origin.scroll_top);
        if !origin.travelled && dx.abs().max(dy.abs()) < DRAG_THRESHOLD_PX {
            return;
        }
        origin.travelled = true;
        let origin = *origin;
        let snap = board.snap.get_untracked();
        let delta = board.scale.minutes_in(dx, origin.track_px);
        let row_under_pointer = board.row_at(origin.body_y + dy).unwrap_or(self.from_row);
        match (&self.source, origin.handle) {
            (None, _) if self.template.is_some() => {
                if let Some(template) = &self.template {
                    (self.proposed, self.template_breaks) = placed(board, template, origin.anchor + delta);
                }
                self.to_row = row_under_pointer;
            }
            (None, _) => self.proposed = drawn(&board.axis, origin.anchor, origin.anchor + delta, snap),
            (Some(s), Handle::Start) => self.proposed = resized_start(&board.axis, s.during, delta, snap),
            (Some(s), Handle::End) => self.proposed = resized_end(&board.axis, s.during, delta, snap),
            (Some(s), Handle::Body) => {
                self.proposed = moved(&board.axis, s.during, delta, snap);
                self.to_row = row_under_pointer;
                self.copy = copy;
            }
        }
    }

    /// One key press: arrows move by the snap step (with Shift the end, with Alt the start), up and down
    /// go to the worker above or below, Page Up and Page Down a day. False for keys it does not use.
    pub fn key(&mut self, board: &Board, key: &str, shift: bool, alt: bool) -> bool {
        if self.source.is_none() {
            return false;
        }
        let snap = board.snap.get_untracked();
        let step = match key {
            "ArrowLeft" => -snap,
            "ArrowRight" => snap,
            "PageUp" => -24 * 60,
            "PageDown" => 24 * 60,
            "ArrowUp" | "ArrowDown" => {
                self.to_row = board.row_beside(self.to_row, if key == "ArrowUp" { -1 } else { 1 });
                return true;
            }
            _ => return false,
        };
        let axis = &board.axis;
        self.proposed = if shift && step.abs() < 24 * 60 {
            resized_end(axis, self.proposed, step, snap)
        } else if alt && step.abs() < 24 * 60 {
            resized_start(axis, self.proposed, step, snap)
        } else {
            moved(axis, self.proposed, step, snap)
        };
        true
    }

    /// The proposal as the rules see it: a copy or a new shift is a draft with a new id; a move takes
    /// its breaks along, a stretch leaves them where they are.
    pub fn as_rule_shift(&self) -> RuleShift {
        let Some(source) = &self.source else {
            let breaks = self.template_breaks.clone();
            return RuleShift {
                id: EventId(uuid::Uuid::nil()),
                during: self.proposed,
                status: EventStatus::Draft,
                breaks,
                position: None,
            };
        };
        let mut shift = source.rule_shift();
        if source.during.duration() == self.proposed.duration() {
            let offset: Duration = self.proposed.start - source.during.start;
            for b in &mut shift.breaks {
                b.during = b.during.shifted(offset);
            }
        }
        shift.during = self.proposed;
        if self.copy {
            shift.id = EventId(uuid::Uuid::nil());
            shift.status = EventStatus::Draft;
        }
        shift
    }
}

/// The rules' verdict on a gesture, and the week hours of the rows it touches.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    pub to_row: usize,
    pub preview: Preview,
    /// The row the shift leaves, and its hours without it (a reassignment that is not a copy).
    pub left: Option<(usize, f64)>,
}

pub fn judge(board: &Board, gesture: &Gesture) -> Option<Judgement> {
    let target = board.row(gesture.to_row)?.with_untracked(|r| r.rules());
    let proposed = gesture.as_rule_shift();
    let replaces = gesture.shift_id().filter(|_| !gesture.copy);
    let preview = planning::preview(&target, &proposed, replaces, &board.week, &board.thresholds);
    let left = match (replaces, gesture.to_row != gesture.from_row) {
        (Some(id), true) => {
            let from = board.row(gesture.from_row)?.with_untracked(|r| r.rules());
            Some((gesture.from_row, planning::week_hours(&from, &board.week, Some(id))))
        }
        _ => None,
    };
    Some(Judgement { to_row: gesture.to_row, preview, left })
}

/// The template placed on the local day at axis minute `minute`, with its breaks.
fn placed(board: &Board, template: &ShiftTemplateView, minute: i64) -> (Interval, Vec<BreakSpan>) {
    let day = board.axis.day_at(minute);
    let at = place(day, board.axis.tz, template.start, template.end, &template.breaks);
    let breaks =
        at.breaks.into_iter().map(|(start, end, paid)| BreakSpan { during: Interval { start, end: Some(end) }, paid }).collect();
    (Interval { start: at.start, end: Some(at.end) }, breaks)
}
