//! Which workers the calendar lists, in what order, under which headings: find by name, sort by name or
//! week hours, group by the position they mostly work that week (a shift asking for none counts by its
//! role's name).

use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::views::WeekRow;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Name,
    HoursDescending,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Nothing,
    Position,
}

/// One line of the calendar: a heading, or a worker's row (by index into the rows).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Line {
    Heading(String),
    Worker(usize),
}

/// What the order is decided on.
pub struct Choice<'a> {
    pub find: &'a str,
    pub sort: SortBy,
    pub group: GroupBy,
}

/// What ordering needs of one worker's row.
pub struct Summary {
    pub index: usize,
    pub name: String,
    pub hours: f64,
    pub role: String,
}

impl Summary {
    /// Week hours only when sorting by them: they cost a walk over the worker's shifts.
    pub fn of(index: usize, row: &WeekRow, sort: SortBy, week: &Interval) -> Summary {
        let hours = match sort {
            SortBy::HoursDescending => super::week_hours(&row.rules(), week, None),
            SortBy::Name => 0.0,
        };
        Summary { index, name: row.worker.name.to_lowercase(), hours, role: main_role(row) }
    }
}

/// The position (or else role) a worker works most this week; ties go to the name that sorts first.
fn main_role(row: &WeekRow) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for shift in row.shifts.iter().filter(|s| s.status != EventStatus::Cancelled) {
        let named = shift.position.as_ref().map(|p| p.name.as_str()).or(shift.role.as_deref());
        *counts.entry(named.unwrap_or("No position")).or_default() += 1;
    }
    let most = counts.values().copied().max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == most)
        .map(|(role, _)| role.to_string())
        .unwrap_or_else(|| "No shifts here this week".into())
}

pub fn lines(mut shown: Vec<Summary>, choice: &Choice) -> Vec<Line> {
    let needle = choice.find.trim().to_lowercase();
    shown.retain(|s| needle.is_empty() || s.name.contains(&needle));
    match choice.sort {
        SortBy::HoursDescending => shown.sort_by(|a, b| b.hours.total_cmp(&a.hours).then_with(|| a.name.cmp(&b.name))),
        SortBy::Name => shown.sort_by(|a, b| a.name.cmp(&b.name).then(a.index.cmp(&b.index))),
    }
    if choice.group == GroupBy::Nothing {
        return shown.into_iter().map(|s| Line::Worker(s.index)).collect();
    }
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for s in shown {
        groups.entry(s.role).or_default().push(s.index);
    }
    groups
        .into_iter()
        .flat_map(|(role, members)| {
            std::iter::once(Line::Heading(format!("{role} ({})", members.len()))).chain(members.into_iter().map(Line::Worker))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{EntityId, EventId};
    use crate::views::{ShiftView, WorkerView};
    use chrono::{TimeZone, Utc};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn row(name: &str, roles: &[&str]) -> WeekRow {
        let worker =
            WorkerView { id: EntityId::new(), name: name.into(), email: None, phone: None, removed_from: None, version: 1 };
        let shifts = roles
            .iter()
            .enumerate()
            .map(|(day, role)| {
                let start = Utc.with_ymd_and_hms(2026, 3, 2 + day as u32, 9, 0, 0).unwrap();
                let during = Interval::new(start, start + chrono::Duration::hours(4)).unwrap();
                ShiftView {
                    id: EventId::new(),
                    worker_id: worker.id,
                    worker_name: name.into(),
                    location_id: EntityId::new(),
                    employment_id: None,
                    during,
                    status: EventStatus::Draft,
                    role: Some(role.to_string()),
                    position: None,
                    notes: None,
                    version: 1,
                    breaks: vec![],
                    work_periods: vec![during],
                    hours: crate::hours::shift_hours(&during, &[]),
                }
            })
            .collect();
        WeekRow {
            worker,
            shifts,
            elsewhere: vec![],
            employments: vec![],
            positions: vec![],
            contract_hours: None,
            time_off: vec![],
            availability: Default::default(),
        }
    }

    fn week() -> Interval {
        Interval::new(Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2026, 3, 9, 0, 0, 0).unwrap())
            .unwrap()
    }

    fn order(rows: &[WeekRow], find: &str, sort: SortBy, group: GroupBy) -> Vec<Line> {
        let summaries = rows.iter().enumerate().map(|(i, r)| Summary::of(i, r, sort, &week())).collect();
        lines(summaries, &Choice { find, sort, group })
    }

    #[test]
    fn workers_are_found_by_part_of_their_name_and_sorted_by_name_or_hours() {
        let rows = [row("Bo Berg", &["cook"]), row("ada Albers", &["cook", "cook", "cashier"]), row("Cy Cole", &[])];
        assert_eq!(order(&rows, "", SortBy::Name, GroupBy::Nothing), vec![Line::Worker(1), Line::Worker(0), Line::Worker(2)]);
        assert_eq!(order(&rows, "BER", SortBy::Name, GroupBy::Nothing), vec![Line::Worker(1), Line::Worker(0)]);
        assert_eq!(
            order(&rows, "", SortBy::HoursDescending, GroupBy::Nothing),
            vec![Line::Worker(1), Line::Worker(0), Line::Worker(2)]
        );
    }

    #[test]
    fn grouping_by_position_puts_each_worker_under_the_one_they_work_most() {
        let rows = [row("Bo Berg", &["cook"]), row("Ada Albers", &["cook", "cashier", "cashier"]), row("Cy Cole", &[])];
        assert_eq!(
            order(&rows, "", SortBy::Name, GroupBy::Position),
            vec![
                Line::Heading("No shifts here this week (1)".into()),
                Line::Worker(2),
                Line::Heading("cashier (1)".into()),
                Line::Worker(1),
                Line::Heading("cook (1)".into()),
                Line::Worker(0),
            ]
        );
    }
}
