//! A shifts file's rows as shifts (the file itself is read by [`crate::services::spreadsheet`]): who
//! (an email, an external id, or a name only one worker has), where, the day, from and to on the
//! location's clock, the position, breaks, role and notes. Pure: it checks each row on its own; who
//! and where the names are is the import's.

use crate::services::spreadsheet;
use crate::templates::TemplateBreak;
use crate::views::import::{ImportProblem, SlashDates};
use chrono::{NaiveDate, NaiveTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Worker,
    Location,
    Date,
    Start,
    End,
    Position,
    Breaks,
    Role,
    Notes,
}

const HEADERS: &[(Column, &[&str])] = &[
    (Column::Worker, &["worker", "email", "e mail", "employee id", "external id", "staff id"]),
    (Column::Location, &["location", "site", "store", "branch"]),
    (Column::Date, &["date", "day", "shift date"]),
    (Column::Start, &["start", "start time", "from", "begins"]),
    (Column::End, &["end", "end time", "to", "ends", "until"]),
    (Column::Position, &["position", "job", "job title"]),
    (Column::Breaks, &["breaks", "break", "unpaid breaks"]),
    (Column::Role, &["role", "label", "task"]),
    (Column::Notes, &["notes", "note", "comment", "comments"]),
];

impl Column {
    /// The name Mosaic's template (and its export) gives the column.
    pub fn name(self) -> &'static str {
        HEADERS.iter().find(|(c, _)| *c == self).map(|(_, names)| names[0]).unwrap_or_default()
    }
}

/// The template's header, in the order the week's export writes its columns.
pub const HEADER: [Column; 9] = [
    Column::Date,
    Column::Start,
    Column::End,
    Column::Worker,
    Column::Location,
    Column::Position,
    Column::Breaks,
    Column::Role,
    Column::Notes,
];

pub const TEMPLATE: &str = "date,start,end,worker,location,position,breaks,role,notes\n\
2026-12-07,07:00,15:00,ada@example.com,Riverside,Barista,11:00-11:30,,Opens\n\
2026-12-07,22:00,06:00,E-002,Riverside,,,night,\n";

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

/// A shift as one row of the file describes it, on the location's wall clock.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftRow {
    pub row: usize,
    /// An email, an external id, or a name: whichever the file has.
    pub worker: String,
    pub location: String,
    pub day: NaiveDate,
    pub start: NaiveTime,
    /// At or before the start: the next day.
    pub end: NaiveTime,
    pub position: Option<String>,
    pub breaks: Vec<TemplateBreak>,
    pub role: Option<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParsedShifts {
    pub rows: Vec<ShiftRow>,
    pub problems: Vec<ImportProblem>,
    pub ignored_columns: Vec<String>,
    pub headers: Vec<(Column, String)>,
}

pub fn header_of(headers: &[(Column, String)], column: Column) -> String {
    spreadsheet::header_of(headers, column, column.name())
}

pub fn parse(bytes: &[u8], slash_dates: SlashDates) -> ParsedShifts {
    let sheet = spreadsheet::read(bytes, HEADERS, Column::Worker, MAX_ROWS);
    let mut parsed =
        ParsedShifts { rows: vec![], problems: sheet.problems, ignored_columns: sheet.ignored_columns, headers: sheet.headers };
    for record in sheet.records {
        let row = record.line;
        let problems_before = parsed.problems.len();
        let (headers, problems) = (&parsed.headers, &mut parsed.problems);
        let mut problem = |column: Column, message: String| {
            problems.push(ImportProblem { row, column: header_of(headers, column), message });
        };
        let mut required = |column: Column, what: &str| {
            let value = record.cell(column).map(str::to_string);
            if value.is_none() {
                problem(column, format!("needs {what}"));
            }
            value
        };
        let worker = required(Column::Worker, "the worker's email, external id or name");
        let location = required(Column::Location, "the location's name");
        // A start may carry its own day ("2026-12-07 07:00"); a date column gives it otherwise.
        let (start_day, start) = moment(record.cell(Column::Start), slash_dates);
        let (end_day, end) = moment(record.cell(Column::End), slash_dates);
        let day = match (record.cell(Column::Date), start_day) {
            (Some(text), _) => spreadsheet::read_date(text, slash_dates).or_else(|| {
                problem(Column::Date, format!("'{text}' is not a date such as {}", spreadsheet::date_examples(slash_dates)));
                None
            }),
            (None, Some(day)) => Some(day),
            (None, None) => {
                problem(Column::Date, "needs the day the shift starts".into());
                None
            }
        };
        let mut time = |column: Column, read: Option<NaiveTime>| {
            if read.is_none() {
                let written = record.cell(column).unwrap_or_default();
                let message = if written.is_empty() {
                    "needs a time such as 07:00".to_string()
                } else {
                    format!("'{written}' is not a time such as 07:00")
                };
                problem(column, message);
            }
            read
        };
        let start = time(Column::Start, start);
        let end = time(Column::End, end);
        let within_a_day = match (day, end_day, start, end) {
            (Some(day), Some(end_day), Some(start), Some(end)) => {
                end_day == day && end > start || day.succ_opt() == Some(end_day) && end <= start
            }
            _ => true,
        };
        if !within_a_day {
            problem(Column::End, format!("{} is not within a day after the start", record.cell(Column::End).unwrap_or_default()));
        } else if start.is_some() && start == end {
            problem(Column::End, "is the same time as the start".into());
        }
        let mut breaks = Vec::new();
        for written in spreadsheet::list(record.cell(Column::Breaks)) {
            let span = written
                .split_once(['-', '–'])
                .and_then(|(from, to)| Some((spreadsheet::read_time(from)?, spreadsheet::read_time(to)?)));
            match span {
                Some((from, to)) if from != to => breaks.push(TemplateBreak { start: from, end: to, paid: false }),
                _ => problem(Column::Breaks, format!("'{written}' is not a break such as 11:00-11:30")),
            }
        }
        let text = |column: Column, limit: usize| {
            let value = record.cell(column).map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))?;
            Some((value.chars().count() <= limit).then_some(value).ok_or(column))
        };
        let (mut position, mut role, mut notes) = (None, None, None);
        for (column, limit, slot) in
            [(Column::Position, 80, &mut position), (Column::Role, 80, &mut role), (Column::Notes, 2000, &mut notes)]
        {
            match text(column, limit) {
                Some(Ok(value)) => *slot = Some(value),
                Some(Err(column)) => problem(column, format!("is longer than {limit} characters")),
                None => {}
            }
        }
        let sound = parsed.problems.len() == problems_before;
        if let (true, Some(worker), Some(location), Some(day), Some(start), Some(end)) =
            (sound, worker, location, day, start, end)
        {
            parsed.rows.push(ShiftRow { row, worker, location, day, start, end, position, breaks, role, notes });
        }
    }
    parsed
}

/// A cell as a time of day, and the day too when it is written ("2026-12-07 07:00", "07.12.2026 7:00",
/// "2026-12-07T07:00").
fn moment(cell: Option<&str>, slash_dates: SlashDates) -> (Option<NaiveDate>, Option<NaiveTime>) {
    let Some(text) = cell else { return (None, None) };
    match text.split_once([' ', 'T']) {
        Some((day, time)) => match (spreadsheet::read_date(day, slash_dates), spreadsheet::read_time(time)) {
            (Some(day), Some(time)) => (Some(day), Some(time)),
            _ => (None, None),
        },
        None => (None, spreadsheet::read_time(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn the_template_reads_as_two_shifts_one_of_them_overnight() {
        let parsed = parse(TEMPLATE.as_bytes(), SlashDates::DayFirst);
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.rows.len(), 2);
        let first = &parsed.rows[0];
        assert_eq!((first.worker.as_str(), first.start, first.end), ("ada@example.com", at(7, 0), at(15, 0)));
        assert_eq!(first.breaks, vec![TemplateBreak { start: at(11, 0), end: at(11, 30), paid: false }]);
        assert_eq!(
            (parsed.rows[1].start, parsed.rows[1].end, parsed.rows[1].role.as_deref()),
            (at(22, 0), at(6, 0), Some("night"))
        );
    }

    #[test]
    fn a_start_and_end_may_carry_their_own_days() {
        let text = "Employee ID;Site;Start;End\nE-1;Main;07.12.2026 22:00;08.12.2026 06:00\nE-1;Main;2026-12-07T07:00;2026-12-09 07:00\n";
        let parsed = parse(text.as_bytes(), SlashDates::DayFirst);
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].day, NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(parsed.problems.iter().map(|p| (p.row, p.column.as_str())).collect::<Vec<_>>(), [(3, "End")]);
    }

    #[test]
    fn every_problem_is_named_by_row_and_column() {
        let text = "worker,location,date,start,end,breaks,position\n\
            ,Main,2026-12-07,07:00,15:00,,\n\
            ada@x.test,Main,31.02.2026,7am,15:00,11:00 to 11:30,\n\
            ada@x.test,,2026-12-07,07:00,07:00,,\n";
        let found: Vec<(usize, String)> =
            parse(text.as_bytes(), SlashDates::DayFirst).problems.into_iter().map(|p| (p.row, p.column)).collect();
        let expected = [(2, "worker"), (3, "date"), (3, "start"), (3, "breaks"), (4, "location"), (4, "end")];
        assert_eq!(found, expected.map(|(r, c)| (r, c.to_string())));
    }
}
