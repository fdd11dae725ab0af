//! Where a shift belongs on one location's week: drawn in its worker's row, weighed by the rules only
//! (another location, or a day either side), or not part of the week at all. The server reads the week
//! by it, and the calendar takes in each change from the log by it, so the two cannot drift apart.

use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::views::{ShiftView, WeekRow};
use chrono::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// At this location, overlapping the week: a block in the worker's row.
    Shown,
    /// Live and within a day of the week, elsewhere or outside the week: counts towards rest and hours.
    Elsewhere,
    /// Cancelled, or too far away to matter to the week.
    Outside,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeekFrame {
    pub location: EntityId,
    pub week: Interval,
}

impl WeekFrame {
    /// The stretch whose shifts the rules weigh: the week and a day either side of it.
    pub fn around(&self) -> Interval {
        Interval { start: self.week.start - Duration::days(1), end: self.week.end.map(|e| e + Duration::days(1)) }
    }

    pub fn place(&self, shift: &ShiftView) -> Placement {
        if shift.status == EventStatus::Cancelled {
            Placement::Outside
        } else if shift.location_id == self.location && shift.during.overlaps(&self.week) {
            Placement::Shown
        } else if shift.during.overlaps(&self.around()) {
            Placement::Elsewhere
        } else {
            Placement::Outside
        }
    }
}

impl WeekRow {
    /// The version of a shift drawn in this row, if it is.
    pub fn version_of(&self, id: EventId) -> Option<i32> {
        self.shifts.iter().find(|s| s.id == id).map(|s| s.version)
    }

    /// Whether a new version of `shift` can change this row: it is the shift's worker's row, or the row
    /// holds the shift now (it may be moving away).
    pub fn concerns(&self, shift: &ShiftView) -> bool {
        self.worker.id == shift.worker_id
            || self.shifts.iter().any(|s| s.id == shift.id)
            || self.elsewhere.iter().any(|s| s.id == shift.id)
    }

    /// Takes in a shift's newer version: out of wherever the row held it, then in where it now belongs.
    /// The caller has checked the version is newer than any the week holds.
    pub fn take_in(&mut self, shift: &ShiftView, frame: &WeekFrame) {
        self.shifts.retain(|s| s.id != shift.id);
        self.elsewhere.retain(|s| s.id != shift.id);
        if shift.worker_id != self.worker.id {
            return;
        }
        match frame.place(shift) {
            Placement::Shown => {
                self.shifts.push(shift.clone());
                self.shifts.sort_by_key(|s| (s.during.start, s.id));
            }
            Placement::Elsewhere => self.elsewhere.push(shift.rule_shift()),
            Placement::Outside => {}
        }
    }
}
