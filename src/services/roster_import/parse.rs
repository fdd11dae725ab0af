//! A roster file's rows as workers (the file itself is read by [`crate::services::spreadsheet`]). Pure:
//! it checks each row on its own and against the rows before it; what the database knows (locations,
//! positions, existing workers) is the import's.

use crate::services::spreadsheet;
pub use crate::views::import::{ImportProblem, SlashDates};
use chrono::NaiveDate;

/// A worker as one row of the file describes them, each value checked on its own.
#[derive(Clone, Debug, PartialEq)]
pub struct RosterRow {
    pub row: usize,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub external_id: Option<String>,
    pub location: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub hours: Option<f64>,
    pub rate_cents: Option<i64>,
    /// The positions the row gives the worker, as written (each once, any case).
    pub positions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParsedRoster {
    pub rows: Vec<RosterRow>,
    pub problems: Vec<ImportProblem>,
    /// Columns the file has that Mosaic does not read.
    pub ignored_columns: Vec<String>,
    /// What the file calls each column it has, so a problem names it as the person wrote it.
    pub headers: Vec<(Column, String)>,
}

/// The file's own name for a column, or Mosaic's where the file has none.
pub fn header_of(headers: &[(Column, String)], column: Column) -> String {
    spreadsheet::header_of(headers, column, column.name())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name,
    Email,
    Phone,
    ExternalId,
    Location,
    Start,
    End,
    Hours,
    Rate,
    Positions,
}

/// Every header Mosaic reads, with the names spreadsheets give it (compared lower-case, with `_` and
/// `-` as spaces).
const HEADERS: &[(Column, &[&str])] = &[
    (Column::Name, &["name", "full name", "worker", "employee", "employee name"]),
    (Column::Email, &["email", "e mail", "email address", "mail"]),
    (Column::Phone, &["phone", "phone number", "mobile", "telephone", "tel"]),
    (Column::ExternalId, &["external id", "employee id", "employee number", "staff id", "personnel number", "id"]),
    (Column::Location, &["location", "site", "store", "branch", "works at"]),
    (Column::Start, &["start", "start date", "employment start", "employed from", "hire date", "hired"]),
    (Column::End, &["end", "end date", "employment end", "employed until", "leaving date"]),
    (Column::Hours, &["weekly hours", "hours", "contract hours", "contracted hours", "hours per week", "hours a week"]),
    (Column::Rate, &["rate", "hourly rate", "pay rate", "wage", "hourly wage"]),
    (Column::Positions, &["positions", "position", "positions held", "roles", "role", "job", "job title"]),
];

impl Column {
    /// The name Mosaic's template gives the column.
    pub fn name(self) -> &'static str {
        HEADERS.iter().find(|(c, _)| *c == self).map(|(_, names)| names[0]).unwrap_or_default()
    }
}

/// The header row of the template a person downloads, and one example row.
pub const TEMPLATE: &str = "name,email,phone,external id,location,start,end,weekly hours,hourly rate,positions\n\
Ada Albers,ada@example.com,+351 21 000 0001,E-001,Riverside,2026-01-05,,38,12.50,Barista|Cashier\n";

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

pub const MAX_RATE_CENTS: i64 = 100_000_000;

pub fn parse(bytes: &[u8], slash_dates: SlashDates) -> ParsedRoster {
    let sheet = spreadsheet::read(bytes, HEADERS, Column::Name, MAX_ROWS);
    let mut parsed =
        ParsedRoster { rows: vec![], problems: sheet.problems, ignored_columns: sheet.ignored_columns, headers: sheet.headers };
    let mut emails: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut ids: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for record in sheet.records {
        let row = record.line;
        let headers = &parsed.headers;
        let problems = &mut parsed.problems;
        let mut problem = |column: Column, message: String| {
            problems.push(ImportProblem { row, column: header_of(headers, column), message });
        };
        let cell = |column: Column| record.cell(column);
        // A line break typed inside a spreadsheet cell is a space in a name.
        let name = cell(Column::Name).unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            problem(Column::Name, "needs a name of 1 to 200 characters".into());
        }
        let email = cell(Column::Email).map(str::to_lowercase);
        if let Some(email) = &email {
            if !looks_like_email(email) {
                problem(Column::Email, format!("'{email}' is not an email address"));
            } else if let Some(first) = emails.insert(email.clone(), row) {
                problem(Column::Email, format!("{email} is also on line {first}"));
            }
        }
        let phone = cell(Column::Phone).map(str::to_string);
        if phone.as_deref().is_some_and(|p| !looks_like_phone(p)) {
            problem(Column::Phone, format!("'{}' is not a phone number", phone.as_deref().unwrap_or_default()));
        }
        let external_id = cell(Column::ExternalId).map(str::to_string);
        if let Some(id) = &external_id {
            if id.chars().count() > 100 {
                problem(Column::ExternalId, "is longer than 100 characters".into());
            } else if let Some(first) = ids.insert(id.clone(), row) {
                problem(Column::ExternalId, format!("{id} is also on line {first}"));
            }
        }
        let mut day = |column: Column| match cell(column) {
            None => None,
            Some(text) => match spreadsheet::read_date(text, slash_dates) {
                Some(day) => Some(day),
                None => {
                    problem(column, format!("'{text}' is not a date such as {}", spreadsheet::date_examples(slash_dates)));
                    None
                }
            },
        };
        let start = day(Column::Start);
        let end = day(Column::End);
        if let (Some(start), Some(end)) = (start, end) {
            if end <= start {
                problem(Column::End, format!("{end} is not after the start, {start}"));
            }
        }
        // Only a start left empty is missing: one written wrong is a problem already.
        let no_start = cell(Column::Start).is_none();
        if end.is_some() && no_start {
            problem(Column::Start, "an end needs a start".into());
        }
        let location = cell(Column::Location).map(str::to_string);
        if start.is_some() && location.is_none() {
            problem(Column::Location, "an employment needs the location they work at".into());
        }
        if location.is_some() && no_start {
            problem(Column::Start, "an employment needs the day it starts".into());
        }
        let hours = cell(Column::Hours).and_then(|text| match spreadsheet::read_number(text) {
            Some(h) if (0.0..=80.0).contains(&h) => Some(h),
            _ => {
                problem(Column::Hours, format!("'{text}' is not a number of hours from 0 to 80"));
                None
            }
        });
        let rate_cents = cell(Column::Rate).and_then(|text| match spreadsheet::read_number(text) {
            Some(r) if r >= 0.0 && (r * 100.0).round() as i64 <= MAX_RATE_CENTS => Some((r * 100.0).round() as i64),
            _ => {
                problem(Column::Rate, format!("'{text}' is not an hourly rate such as 12.50"));
                None
            }
        });
        if hours.is_some() && no_start {
            problem(Column::Hours, "weekly hours belong to an employment, which needs a start".into());
        }
        if rate_cents.is_some() && no_start {
            problem(Column::Rate, "a rate needs a start, the day it is paid from".into());
        }
        let mut positions: Vec<String> = Vec::new();
        for position in spreadsheet::list(cell(Column::Positions)) {
            if positions.iter().any(|p| p.eq_ignore_ascii_case(position)) {
                continue;
            }
            if position.chars().count() > 80 || position.chars().any(char::is_control) {
                problem(Column::Positions, "a position's name is 1 to 80 characters".into());
            } else {
                positions.push(position.to_string());
            }
        }
        parsed.rows.push(RosterRow { row, name, email, phone, external_id, location, start, end, hours, rate_cents, positions });
    }
    parsed
}

fn looks_like_email(email: &str) -> bool {
    email.len() <= 254
        && !email.chars().any(|c| c.is_control() || c.is_whitespace())
        && email.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

fn looks_like_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    phone.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " -./()".contains(c) || (c == '+' && i == 0))
        && (3..=20).contains(&digits)
        && phone.chars().count() <= 32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(usize, String)> {
        parse(text.as_bytes(), SlashDates::DayFirst).problems.into_iter().map(|p| (p.row, p.column)).collect()
    }

    #[test]
    fn what_spreadsheets_write_is_read_the_same() {
        let comma = "name,email,location,start,weekly hours,hourly rate\nAda,ADA@x.test,Riverside,2026-01-05,38,12.50\n";
        let semicolon =
            "\u{feff}Name;E-mail;Site;Start date;Hours;Hourly rate\r\n\"Ada\";ada@x.test;Riverside;05.01.2026;38;12,50\r\n";
        let (a, b) = (parse(comma.as_bytes(), SlashDates::DayFirst), parse(semicolon.as_bytes(), SlashDates::DayFirst));
        assert_eq!(a.problems, vec![]);
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.rows[0].email.as_deref(), Some("ada@x.test"));
        assert_eq!(a.rows[0].rate_cents, Some(1250));
        assert_eq!(a.rows[0].start, NaiveDate::from_ymd_opt(2026, 1, 5));
        let us = parse("name,location,start\nBo,Main,01/05/2026\n".as_bytes(), SlashDates::MonthFirst);
        assert_eq!(us.rows[0].start, NaiveDate::from_ymd_opt(2026, 1, 5));
    }

    #[test]
    fn a_quoted_newline_is_a_space_in_a_name_and_rows_are_named_by_the_line_they_start_on() {
        let text = "name,email\n\"Ada\nAlbers\",ada@x.test\nBo,not-an-email\n";
        let parsed = parse(text.as_bytes(), SlashDates::DayFirst);
        assert_eq!(parsed.rows[0].name, "Ada Albers");
        assert_eq!(parsed.problems.iter().map(|p| (p.row, p.column.as_str())).collect::<Vec<_>>(), [(4, "email")]);
    }

    #[test]
    fn every_problem_is_named_by_row_and_column() {
        let text = "name,email,external id,location,start,end,hours,rate\n\
            Ada,ada@x.test,E1,Main,2026-02-30,,38,12\n\
            Bo,ada@x.test,E1,Main,2026-01-05,2026-01-01,90,twelve\n\
            ,,,,,,,\n\
            Cy,,,,,2026-01-01,,\n";
        assert_eq!(
            problems(text),
            [
                (2, "start".to_string()),
                (3, "email".to_string()),
                (3, "external id".to_string()),
                (3, "end".to_string()),
                (3, "hours".to_string()),
                (3, "rate".to_string()),
                (5, "start".to_string()),
            ]
        );
    }

    #[test]
    fn positions_are_listed_in_one_cell_each_once() {
        let text = "name,job title\nAda,\"Barista, cashier ; BARISTA|\"\nBo,\n";
        let parsed = parse(text.as_bytes(), SlashDates::DayFirst);
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.rows[0].positions, ["Barista", "cashier"]);
        assert!(parsed.rows[1].positions.is_empty());
        let template = parse(TEMPLATE.as_bytes(), SlashDates::DayFirst);
        assert_eq!(template.rows[0].positions, ["Barista", "Cashier"]);
    }

    #[test]
    fn a_file_that_is_not_a_roster_says_why() {
        assert_eq!(problems("email\nada@x.test\n"), [(1, "name".to_string())]);
        assert_eq!(parse(&[0xff, 0xfe, 0x00], SlashDates::DayFirst).problems[0].row, 0);
        assert_eq!(problems("name\n"), [(0, String::new())]);
        let template = parse(TEMPLATE.as_bytes(), SlashDates::DayFirst);
        assert_eq!((template.problems.len(), template.rows.len(), template.ignored_columns.len()), (0, 1, 0));
        let extra = parse("Name,Site,favourite colour\nAda,Main,green\n".as_bytes(), SlashDates::DayFirst);
        assert_eq!(extra.ignored_columns, ["favourite colour"]);
        assert_eq!(
            (header_of(&extra.headers, Column::Location), header_of(&extra.headers, Column::Start)),
            ("Site".into(), "start".into())
        );
    }
}
