//! The calendar's state in the browser: the rows, the gesture under way, and what the server last said.

use super::gesture::Gesture;
use super::scale::Scale;
use crate::live::LiveStatus;
use leptos::prelude::*;
use mosaic::ids::{EntityId, EventId};
use mosaic::interval::Interval;
use mosaic::kinds::EventStatus;
use mosaic::planning::roster::{lines, Choice, GroupBy, Line, SortBy, Summary};
use mosaic::planning::{Axis, RowStack, WeekFrame, DEFAULT_SNAP_MINUTES};
use mosaic::rules::{ConflictKind, Severity, Thresholds};
use mosaic::views::positions::PositionView;
use mosaic::views::{AttentionItemView, ScheduleView, ShiftTemplateView, ShiftView, WeekRow, WeekView};
use std::collections::HashMap;

/// What the calendar tells the scheduler after the server answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    Saved(String),
    /// Saved, and the shift is now in conflict (a draft may be): said, with the conflicts by kind.
    SavedWithConflicts(String),
    /// The shift snapped back: someone else changed it first.
    Stale(String),
    /// The shift snapped back: a rule or the database refused the change.
    Refused(String),
}

/// Everything the calendar's parts share; `Copy`, so every handler can hold it.
#[derive(Clone, Copy)]
pub struct Board {
    pub axis: Axis,
    pub scale: Scale,
    /// How many times wider than the window the track is drawn (1: it fits).
    pub zoom: RwSignal<f64>,
    /// The track's width in pixels, as the browser last measured it.
    pub track_px: RwSignal<f64>,
    /// Where each line shown begins: rows grow with their lanes.
    pub stack: Memo<RowStack>,
    /// Where the pointer is during a drag, in window pixels: the preview stands beside it.
    pub pointer_at: RwSignal<Option<(f64, f64)>>,
    /// Pay rates and rules, for those who may see pay: what a change would cost.
    pub pay: StoredValue<Option<mosaic::labor_cost::WeekPay>>,
    pub week: Interval,
    pub thresholds: Thresholds,
    pub location: EntityId,
    /// Which shifts this week draws and which only count for the rules.
    pub frame: WeekFrame,
    /// One signal per worker, so a change redraws only the rows it touches.
    pub rows: StoredValue<Vec<RwSignal<WeekRow>>>,
    pub filter: RwSignal<String>,
    pub sort: RwSignal<SortBy>,
    pub group: RwSignal<GroupBy>,
    /// The lines shown, in order: headings and workers' rows, after finding by name.
    pub order: Memo<Vec<Line>>,
    pub snap: RwSignal<i64>,
    /// How far the roster is scrolled, in pixels.
    pub scroll_top: RwSignal<f64>,
    pub gesture: RwSignal<Option<Gesture>>,
    pub templates: StoredValue<Vec<ShiftTemplateView>>,
    /// The organisation's positions, for the edit panel and the filter.
    pub positions: StoredValue<Vec<PositionView>>,
    /// Only shifts asking for this position stand out; the others fade.
    pub position_filter: RwSignal<Option<EntityId>>,
    /// The template a press on an empty stretch plans; `None` draws a free span.
    pub template: RwSignal<Option<uuid::Uuid>>,
    /// The shift open in the edit panel.
    pub selected: RwSignal<Option<EventId>>,
    pub notice: RwSignal<Option<Notice>>,
    /// What a screen reader hears while a shift is moved with the keyboard.
    pub announcement: RwSignal<String>,
    pub conflicts: RwSignal<Vec<AttentionItemView>>,
    /// The worst open conflict on each shift, with the kind and message of each.
    pub marks: Memo<HashMap<EventId, Mark>>,
    /// Shifts this scheduler changed here, newest last, with the version each change made: what Undo reverses.
    pub undoable: RwSignal<Vec<(EventId, i32)>>,
    /// Whether the calendar is following others' changes.
    pub live: RwSignal<LiveStatus>,
    /// The latest change someone else made that reached this week, in words.
    pub activity: RwSignal<Option<String>>,
    /// Where on screen (left, top) a shift someone else just changed was drawn before: its new block
    /// glides from there.
    pub glides: StoredValue<HashMap<EventId, (f64, f64)>>,
    /// The location's schedules overlapping the week, kept current by the change stream.
    pub schedules: RwSignal<Vec<ScheduleView>>,
    /// What the reader may do: which shifts they may grab at all.
    pub access: StoredValue<mosaic::access::Access>,
}

impl Board {
    pub fn new(week: &WeekView, scale: Scale) -> Board {
        let tz = crate::format::zone(&week.location.time_zone);
        let rows: Vec<RwSignal<WeekRow>> = week.rows.iter().cloned().map(RwSignal::new).collect();
        let rows = StoredValue::new(rows);
        let filter = RwSignal::new(String::new());
        let sort = RwSignal::new(SortBy::Name);
        let group = RwSignal::new(GroupBy::Nothing);
        let week_span = week.week;
        let order = Memo::new(move |_| {
            let (find, sort, group) = (filter.get(), sort.get(), group.get());
            let summaries: Vec<Summary> = rows.with_value(|rows| {
                rows.iter().enumerate().map(|(i, r)| r.with(|r| Summary::of(i, r, sort, &week_span))).collect()
            });
            lines(summaries, &Choice { find: &find, sort, group })
        });
        let conflicts = RwSignal::new(week.open_conflicts.clone());
        let marks = Memo::new(move |_| conflicts.with(|items| marks_of(items)));
        let mut board = Board {
            axis: Axis::new(week.week_start, 7, tz),
            scale,
            zoom: RwSignal::new(1.0),
            track_px: RwSignal::new(super::scale::ASSUMED_TRACK_PX),
            stack: Memo::new(|_| RowStack::default()),
            pointer_at: RwSignal::new(None),
            pay: StoredValue::new(week.pay.clone()),
            week: week.week,
            thresholds: week.thresholds,
            location: week.location.id,
            access: StoredValue::new(week.access.clone()),
            frame: WeekFrame { location: week.location.id, week: week.week },
            rows,
            filter,
            sort,
            group,
            order,
            snap: RwSignal::new(DEFAULT_SNAP_MINUTES),
            scroll_top: RwSignal::new(0.0),
            gesture: RwSignal::new(None),
            selected: RwSignal::new(None),
            templates: StoredValue::new(week.templates.clone()),
            positions: StoredValue::new(week.positions.clone()),
            position_filter: RwSignal::new(None),
            template: RwSignal::new(None),
            notice: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            conflicts,
            marks,
            undoable: RwSignal::new(vec![]),
            live: RwSignal::new(LiveStatus::Connecting),
            activity: RwSignal::new(None),
            glides: StoredValue::new(HashMap::new()),
            schedules: RwSignal::new(week.schedules.clone()),
        };
        board.stack = Memo::new(move |_| super::layout::stack(&board, board.track_px.get()));
        board
    }

    pub fn row(&self, index: usize) -> Option<RwSignal<WeekRow>> {
        self.rows.with_value(|rows| rows.get(index).copied())
    }

    pub fn worker_name(&self, index: usize) -> String {
        self.row(index).map(|r| r.with_untracked(|r| r.worker.name.clone())).unwrap_or_default()
    }

    /// The worker's row `steps` rows from `index` in the order shown (headings skipped), stopping at
    /// either end.
    pub fn row_beside(&self, index: usize, steps: i64) -> usize {
        self.order.with_untracked(|order| {
            let workers: Vec<usize> =
                order.iter().filter_map(|l| if let Line::Worker(i) = l { Some(*i) } else { None }).collect();
            let Some(at) = workers.iter().position(|i| *i == index) else {
                return index;
            };
            let to = (at as i64 + steps).clamp(0, workers.len() as i64 - 1) as usize;
            workers.get(to).copied().unwrap_or(index)
        })
    }

    /// The shift with this id, tracked: whoever asks is told when it changes.
    pub fn shift(&self, id: EventId) -> Option<ShiftView> {
        self.rows.with_value(|rows| rows.iter().find_map(|row| row.with(|r| r.shifts.iter().find(|s| s.id == id).cloned())))
    }

    /// Every worker shown, as (id, name), in row order.
    pub fn workers(&self) -> Vec<(EntityId, String)> {
        self.rows.with_value(|rows| rows.iter().map(|r| r.with_untracked(|r| (r.worker.id, r.worker.name.clone()))).collect())
    }

    /// The worker's row at height `y` of the roster (a heading gives the row below it, or above it at
    /// the end).
    pub fn row_at(&self, y: f64) -> Option<usize> {
        let at = self.stack.with_untracked(|stack| stack.at(y))?;
        self.order.with_untracked(|order| {
            let worker = |line: &Line| if let Line::Worker(i) = line { Some(*i) } else { None };
            order[at..].iter().find_map(worker).or_else(|| order[..at].iter().rev().find_map(worker))
        })
    }

    /// Where a row sits in the order shown.
    pub fn position_of(&self, index: usize) -> Option<usize> {
        self.order.with_untracked(|order| order.iter().position(|l| *l == Line::Worker(index)))
    }

    /// Puts the server's version of a shift where it belongs — drawn in its worker's row, counted for the
    /// rules only, or gone — unless the week already holds that version or a newer one (a change this
    /// calendar saved comes back on the change stream too). True when anything moved.
    pub fn place(&self, shift: ShiftView) -> bool {
        self.rows.with_value(|rows| {
            let held = rows.iter().filter_map(|r| r.with_untracked(|r| r.version_of(shift.id))).max();
            if held.is_some_and(|v| v >= shift.version) {
                return false;
            }
            for row in rows {
                if row.with_untracked(|r| r.concerns(&shift)) {
                    row.update(|r| r.take_in(&shift, &self.frame));
                }
            }
            true
        })
    }

    /// A shift published by a manager: active from this version on. True when the week held it as older.
    pub fn activate(&self, id: EventId, version: i32) -> bool {
        self.rows.with_value(|rows| {
            let Some(row) = rows.iter().find(|r| r.with_untracked(|r| r.version_of(id).is_some_and(|v| v < version))) else {
                return false;
            };
            row.update(|r| {
                if let Some(shift) = r.shifts.iter_mut().find(|s| s.id == id) {
                    shift.status = EventStatus::Active;
                    shift.version = version;
                }
            });
            true
        })
    }
}

/// What a shift's conflict mark says: the worst severity, and each open conflict's kind and message.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub severity: Severity,
    pub conflicts: Vec<(ConflictKind, String)>,
}

impl Mark {
    /// "Double booking: …", one conflict per sentence.
    pub fn said(&self) -> Vec<String> {
        self.conflicts.iter().map(|(kind, message)| format!("{}: {message}", crate::conflicts::kind_label(*kind))).collect()
    }
}

fn marks_of(items: &[AttentionItemView]) -> HashMap<EventId, Mark> {
    let mut marks: HashMap<EventId, Mark> = HashMap::new();
    for item in items {
        for shift in &item.shift_ids {
            let entry = marks.entry(*shift).or_insert(Mark { severity: item.severity, conflicts: vec![] });
            if item.severity == Severity::Hard {
                entry.severity = Severity::Hard;
            }
            entry.conflicts.push((item.kind, item.message.clone()));
        }
    }
    marks
}
