//! Reading a CSV file as spreadsheets really write it, for every import: UTF-8 with or without a
//! byte-order mark, comma, semicolon or tab separated, quoted fields with newlines in them, a header
//! row whose names vary ("E-mail", "Hire date"), dates as ISO, `dd.mm.yyyy`, or with slashes in the
//! order the organisation reads them. Pure: what the rows mean is each import's.

use crate::views::import::{ImportProblem, SlashDates};
use chrono::{NaiveDate, NaiveTime};

/// The file's recognised columns and its rows, or why it could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet<C> {
    /// What the file calls each column it has, so a problem names it as the person wrote it.
    pub headers: Vec<(C, String)>,
    /// Columns the file has that the import does not read.
    pub ignored_columns: Vec<String>,
    /// About the file as a whole (row 0) or its header (row 1).
    pub problems: Vec<ImportProblem>,
    pub records: Vec<Record<C>>,
}

/// One row that is not empty: the line it starts on, and its recognised cells that are not empty,
/// trimmed.
#[derive(Clone, Debug, PartialEq)]
pub struct Record<C> {
    pub line: usize,
    cells: Vec<(C, String)>,
}

impl<C: Copy + PartialEq> Record<C> {
    /// The cell as written, without the apostrophe [`defused`] puts before a formula's first sign.
    pub fn cell(&self, column: C) -> Option<&str> {
        let value = self.cells.iter().find(|(c, _)| *c == column).map(|(_, v)| v.as_str())?;
        Some(value.strip_prefix('\'').filter(|rest| rest.starts_with(FORMULA_SIGNS)).unwrap_or(value))
    }
}

/// What a spreadsheet takes a cell starting with for a formula.
const FORMULA_SIGNS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Free text as a file Mosaic writes holds it: a cell a spreadsheet would run as a formula (a name
/// such as `=HYPERLINK(…)` typed by anyone) is led by an apostrophe, so it is read as text; the imports
/// take the apostrophe off again.
pub fn defused(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_SIGNS) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The file's own name for a column, or `fallback` (the template's) where the file has none.
pub fn header_of<C: Copy + PartialEq>(headers: &[(C, String)], column: C, fallback: &str) -> String {
    headers.iter().find(|(c, _)| *c == column).map(|(_, name)| name.clone()).unwrap_or_else(|| fallback.into())
}

/// Reads `bytes` as a sheet whose columns are `known` (each with the names spreadsheets give it,
/// compared lower case with `_` and `-` as spaces); `required` must be there. At most `max_rows` rows.
pub fn read<C: Copy + PartialEq>(bytes: &[u8], known: &[(C, &[&str])], required: C, max_rows: usize) -> Sheet<C> {
    let mut sheet = Sheet { headers: vec![], ignored_columns: vec![], problems: vec![], records: vec![] };
    let whole = |message: &str| ImportProblem { row: 0, column: String::new(), message: message.to_string() };
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(text) => text,
        Err(_) => {
            sheet.problems.push(whole("The file is not UTF-8 text. Save it from the spreadsheet as \"CSV UTF-8\"."));
            return sheet;
        }
    };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(separator(text)).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => {
            sheet.problems.push(whole("The first line of the file cannot be read as column names."));
            return sheet;
        }
    };
    let mut columns: Vec<Option<C>> = Vec::new();
    for name in &header {
        let plain = name.to_lowercase().replace(['_', '-'], " ");
        let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        let column = known.iter().find(|(_, names)| names.contains(&plain.as_str())).map(|(c, _)| *c);
        match column {
            Some(c) if columns.contains(&Some(c)) => {
                sheet.problems.push(ImportProblem {
                    row: 1,
                    column: name.clone(),
                    message: "appears twice in the header".into(),
                });
            }
            Some(c) => sheet.headers.push((c, name.clone())),
            None if !plain.is_empty() => sheet.ignored_columns.push(name.clone()),
            None => {}
        }
        columns.push(column);
    }
    if !columns.contains(&Some(required)) {
        let name = known.iter().find(|(c, _)| *c == required).map(|(_, names)| names[0]).unwrap_or_default();
        sheet.problems.push(ImportProblem {
            row: 1,
            column: name.into(),
            message: format!("the file needs a column called {name}; download the template to see them all"),
        });
        return sheet;
    }
    // The line a record starts on, counted from its byte offset: the reader's own line count differs
    // between files ending lines with \n and with \r\n.
    let (mut counted_to, mut lines_before) = (0usize, 0usize);
    let mut line_at = |byte: u64| {
        let mut byte = (byte as usize).min(text.len());
        // After a \r\n the reader's offset can still point at the \n.
        while text.as_bytes().get(byte).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            byte += 1;
        }
        if byte >= counted_to {
            lines_before += text.as_bytes()[counted_to..byte].iter().filter(|b| **b == b'\n').count();
            counted_to = byte;
        }
        lines_before + 1
    };
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let row = e.position().map(|p| line_at(p.byte())).unwrap_or(0);
                sheet.problems.push(ImportProblem { row, column: String::new(), message: "this line cannot be read".into() });
                continue;
            }
        };
        let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if sheet.records.len() >= max_rows {
            sheet.problems.push(whole(&format!("The file has more than {max_rows} rows; import it in parts.")));
            break;
        }
        let cells = columns
            .iter()
            .zip(record.iter())
            .filter_map(|(column, value)| Some((((*column)?), value.trim().to_string())))
            .filter(|(_, value)| !value.is_empty())
            .collect();
        sheet.records.push(Record { line, cells });
    }
    if sheet.records.is_empty() && sheet.problems.is_empty() {
        sheet.problems.push(whole("The file has column names but no rows."));
    }
    sheet
}

/// The separator the header line uses most, outside quotes: `;` (spreadsheets where `,` is the decimal
/// mark), tab, or `,`.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let mut quoted = false;
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    for c in first.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (sep, n) in counts.iter_mut() {
                if c == *sep {
                    *n += 1;
                }
            }
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).filter(|(_, n)| *n > 0).map(|(sep, _)| *sep).unwrap_or(b',')
}

/// A day as ISO, `dd.mm.yyyy`, or with slashes in the order given, within the dates Mosaic takes.
pub fn read_date(text: &str, slash_dates: SlashDates) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%d.%m.%Y", slash_dates.pattern()]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
        .filter(|d| crate::date_range::require_day("date", *d).is_ok())
}

/// What a date looks like, in words, for a problem's message.
pub fn date_examples(slash_dates: SlashDates) -> &'static str {
    match slash_dates {
        SlashDates::DayFirst => "2026-12-31, 31.12.2026 or 31/12/2026",
        SlashDates::MonthFirst => "2026-12-31 or 12/31/2026",
    }
}

/// A wall-clock time: `7:00`, `07:00`, `19:30`, `07:00:00`.
pub fn read_time(text: &str) -> Option<NaiveTime> {
    ["%H:%M", "%H:%M:%S", "%H.%M"].iter().find_map(|f| NaiveTime::parse_from_str(text.trim(), f).ok())
}

/// `12.50`, `12,50`, `€ 12.50`, `1.234,50`.
pub fn read_number(text: &str) -> Option<f64> {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',' || *c == '-').collect();
    let normal = match (digits.rfind('.'), digits.rfind(',')) {
        (Some(dot), Some(comma)) if comma > dot => digits.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => digits.replace(',', ""),
        (None, Some(_)) => digits.replace(',', "."),
        _ => digits,
    };
    normal.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Several names in one cell: `Barista|Cashier`, `Barista; Cashier`, `Barista, Cashier`.
pub fn list(cell: Option<&str>) -> impl Iterator<Item = &str> {
    cell.unwrap_or_default().split(['|', ';', ',']).map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_is_written_as_text_and_read_back_as_it_was() {
        for text in ["=HYPERLINK(\"http://x\")", "+1", "-2", "@sum", "\tx"] {
            assert_eq!(defused(text), format!("'{text}"));
            let mut out = csv::Writer::from_writer(Vec::new());
            out.write_record(["name"]).unwrap();
            out.write_record([defused(text).as_ref()]).unwrap();
            let file = out.into_inner().unwrap();
            let sheet = read(&file, &[(Col::Name, &["name"])], Col::Name, 10);
            assert_eq!(sheet.records[0].cell(Col::Name), Some(text));
        }
        assert_eq!(defused("Ann O'Neil"), "Ann O'Neil");
        let sheet = read("name\n'quoted\n".as_bytes(), &[(Col::Name, &["name"])], Col::Name, 10);
        assert_eq!(sheet.records[0].cell(Col::Name), Some("'quoted"), "an apostrophe before plain text is the person's");
    }

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Col {
        Name,
        Day,
    }
    const KNOWN: &[(Col, &[&str])] = &[(Col::Name, &["name"]), (Col::Day, &["day", "date"])];

    #[test]
    fn a_semicolon_file_with_a_bom_and_crlf_reads_like_a_comma_file() {
        let comma = read(b"name,date\nAda,2026-01-05\n\nBo,\n", KNOWN, Col::Name, 10);
        let semicolon = read("\u{feff}Name;Date\r\nAda;2026-01-05\r\n\r\nBo;\r\n".as_bytes(), KNOWN, Col::Name, 10);
        assert_eq!(comma.records, semicolon.records);
        assert_eq!(comma.records.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
        assert_eq!((comma.records[1].cell(Col::Name), comma.records[1].cell(Col::Day)), (Some("Bo"), None));
        assert_eq!(header_of(&semicolon.headers, Col::Day, "day"), "Date");
    }

    #[test]
    fn times_and_dates_read_as_people_write_them() {
        assert_eq!(read_time("7:05"), NaiveTime::from_hms_opt(7, 5, 0));
        assert_eq!(read_time("19.30"), NaiveTime::from_hms_opt(19, 30, 0));
        assert_eq!(read_time("25:00"), None);
        assert_eq!(read_date("12/31/2026", SlashDates::MonthFirst), NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(read_date("31.12.2026", SlashDates::MonthFirst), NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(read_date("3000-01-01", SlashDates::DayFirst), None, "outside the dates Mosaic takes");
        assert_eq!(list(Some(" a | b;c, ")).collect::<Vec<_>>(), ["a", "b", "c"]);
    }
}
