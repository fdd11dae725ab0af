//! Bringing shifts in from a file, as drafts: each row a shift for a worker (by email, external id or
//! a name only one worker has) at a location, on its wall clock, with a position, breaks, role and
//! notes. Checking and importing run the very same writes — the drafts checked row by row as the
//! calendar checks one, and those that pass written a thousand at a time (`shifts::insert_drafts`) — so
//! the check finds what the import would (a worker not employed then, a retired position, a week with no
//! schedule to plan in); the check then rolls everything back, and the import commits only when no row
//! has a problem. A row whose shift is already planned, same worker, place and times, is left as it is,
//! so importing the same file again (or a week's export) changes nothing.

pub mod parse;

use super::shifts::{self, NewBreak, NewShift};
use super::{attention, positions, schedules, workers, Caller};
use crate::access::Action;
use crate::ids::EntityId;
use crate::interval::Interval;
use crate::store::{DomainError, DomainResult};
use crate::views::import::{ImportProblem, ImportReport, SlashDates};
use chrono::{DateTime, Utc};
use parse::Column;
use sqlx::{PgConnection, PgPool};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Reads the file and says what importing it would do, with every problem; writes nothing.
pub async fn check(pool: &PgPool, caller: &Caller, file: &[u8], slash_dates: SlashDates) -> DomainResult<ImportReport> {
    caller.require(Action::EditDrafts)?;
    let mut tx = crate::store::begin(pool).await?;
    let report = run(&mut tx, caller, file, slash_dates).await?;
    tx.rollback().await?;
    Ok(report)
}

/// Imports the file as drafts in one transaction, or refuses it whole (with every problem).
pub async fn import(pool: &PgPool, caller: &Caller, file: &[u8], slash_dates: SlashDates) -> DomainResult<ImportReport> {
    caller.require(Action::EditDrafts)?;
    let mut tx = crate::store::begin(pool).await?;
    let mut report = run(&mut tx, caller, file, slash_dates).await?;
    if !report.problems.is_empty() {
        return Err(DomainError::ImportRefused { problems: report.problems });
    }
    crate::store::commit(tx, pool).await?;
    report.imported = true;
    Ok(report)
}

/// How many drafts are written together; PostgreSQL is shown what the first batch wrote before the rest.
const BATCH_ROWS: usize = 1000;

/// A row ready to plan: its line, the location's week it falls in, and the draft.
struct Pending {
    row: usize,
    week: (EntityId, DateTime<Utc>),
    new: NewShift,
}

async fn run(tx: &mut PgConnection, caller: &Caller, file: &[u8], slash_dates: SlashDates) -> DomainResult<ImportReport> {
    let parse::ParsedShifts { rows, problems, ignored_columns, headers } = parse::parse(file, slash_dates);
    let mut report = ImportReport { rows: rows.len(), problems, ignored_columns, ..ImportReport::default() };
    // Two imports of one file at once would both find its shifts missing.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('shift_import:' || $1::text, 0))")
        .bind(caller.org)
        .execute(&mut *tx)
        .await?;
    let places = super::locations::list_all(&mut *tx, caller.org).await?;
    let known = workers::keys(&mut *tx, caller.org).await?;
    let named_positions = positions::by_name(&mut *tx, caller.org).await?;
    let starts = super::organisations::week_starts_on(&mut *tx, caller.org).await?;
    let worker_of = WorkerFinder::new(&known);
    let mut already = planned_between(&mut *tx, caller, &rows).await?;
    let mut pending: Vec<Pending> = Vec::new();
    let mut weeks: BTreeMap<(EntityId, DateTime<Utc>), Interval> = BTreeMap::new();

    for row in rows {
        let mut problems: Vec<ImportProblem> = Vec::new();
        let mut problem = |column: Column, message: String| {
            problems.push(ImportProblem { row: row.row, column: parse::header_of(&headers, column), message })
        };
        let worker = match worker_of.find(&row.worker) {
            Ok(worker) => Some(worker),
            Err(message) => {
                problem(Column::Worker, message);
                None
            }
        };
        let place = super::locations::find_by_name(&places, &row.location);
        match place {
            None => {
                let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
                problem(
                    Column::Location,
                    format!("there is no location called '{}' (there are: {})", row.location, names.join(", ")),
                );
            }
            Some(place) if caller.require_at(Action::EditDrafts, place.id).is_err() => {
                problem(Column::Location, format!("you do not plan shifts at {}", place.name));
            }
            Some(_) => {}
        }
        let position = match &row.position {
            None => None,
            Some(name) => match named_positions.get(&name.to_lowercase()) {
                Some((id, _, false)) => Some(*id),
                Some((_, name, true)) => {
                    problem(Column::Position, format!("the position {name} is retired"));
                    None
                }
                None => {
                    problem(Column::Position, format!("there is no position called '{name}'"));
                    None
                }
            },
        };
        let (Some(worker), Some(place), true) = (worker, place, problems.is_empty()) else {
            report.problems.extend(problems);
            continue;
        };
        let placed = crate::templates::place(row.day, place.zone(), row.start, row.end, &row.breaks);
        let new = NewShift {
            worker_id: worker,
            location_id: place.id,
            start: placed.start,
            end: placed.end,
            role: row.role.clone(),
            position_id: position,
            notes: row.notes.clone(),
            breaks: placed.breaks.iter().map(|(start, end, paid)| NewBreak { start: *start, end: *end, paid: *paid }).collect(),
        };
        let key = (new.worker_id, new.location_id, new.start, new.end);
        if !already.insert(key) {
            report.unchanged_shifts += 1;
            continue;
        }
        let week = crate::local_time::local_week(starts.first_day_of(row.day), place.zone());
        pending.push(Pending { row: row.row, week: (place.id, week.start), new });
        weeks.entry((place.id, week.start)).or_insert(week);
    }

    // Each week the file plans in opens its draft schedule once, where none is planned.
    let mut unopened: HashMap<(EntityId, DateTime<Utc>), DomainError> = HashMap::new();
    for (key @ (location, _), week) in weeks {
        match schedules::open_draft_unless_planned(&mut *tx, caller, location, week).await {
            Ok(()) => {}
            Err(err @ DomainError::Database(_)) => return Err(err),
            Err(err) => {
                unopened.insert(key, err);
            }
        }
    }
    let mut touched: Vec<(EntityId, Interval)> = Vec::new();
    let refused = |report: &mut ImportReport, row: usize, err: &DomainError| {
        let column = match err {
            DomainError::Invalid { field, .. } if field.starts_with("break") => Column::Breaks,
            DomainError::Invalid { field, .. } if field == "position_id" => Column::Position,
            DomainError::Invalid { field, .. } if field == "start" || field == "end" => Column::End,
            _ => Column::Worker,
        };
        report.problems.push(ImportProblem { row, column: parse::header_of(&headers, column), message: row_message(err) });
    };
    let (blocked, pending): (Vec<Pending>, Vec<Pending>) = pending.into_iter().partition(|p| unopened.contains_key(&p.week));
    for p in &blocked {
        refused(&mut report, p.row, &unopened[&p.week]);
    }
    // A thousand drafts at a time: a few statements each, whatever a row's fate.
    for (batch, rows) in pending.chunks(BATCH_ROWS).enumerate() {
        let news: Vec<NewShift> = rows.iter().map(|p| p.new.clone()).collect();
        let planned = shifts::insert_drafts(&mut *tx, caller, &news).await?;
        for (p, outcome) in rows.iter().zip(planned) {
            match outcome {
                Ok(shift) => {
                    touched.push((shift.worker_id, shift.during));
                    report.new_shifts += 1;
                }
                Err(err) => refused(&mut report, p.row, &err),
            }
        }
        if batch == 0 {
            crate::store::statistics::refresh_for_bulk_write(&mut *tx).await?;
        }
    }
    attention::refresh_workers(&mut *tx, caller, &touched).await?;
    report.problems.sort_by_key(|p| p.row);
    Ok(report)
}

/// What a refused row says, without the field name an API client would need.
fn row_message(err: &DomainError) -> String {
    match err {
        DomainError::Invalid { message, .. } => message.clone(),
        DomainError::RuleViolation { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// A live shift's worker, place and times.
type PlannedKey = (EntityId, EntityId, DateTime<Utc>, DateTime<Utc>);

/// Every live shift around the file's days, read once: a row whose worker, place and times are among
/// them is already planned. Two days either side cover any zone's wall clock and a shift past midnight.
async fn planned_between(
    conn: &mut PgConnection,
    caller: &Caller,
    rows: &[parse::ShiftRow],
) -> DomainResult<HashSet<PlannedKey>> {
    let (Some(first), Some(last)) = (rows.iter().map(|r| r.day).min(), rows.iter().map(|r| r.day).max()) else {
        return Ok(HashSet::new());
    };
    let around = |day: chrono::NaiveDate, days: i64| {
        day.checked_add_signed(chrono::Duration::days(days)).unwrap_or(day).and_time(chrono::NaiveTime::MIN).and_utc()
    };
    let keys: Vec<PlannedKey> = sqlx::query_as(
        "SELECT w.entity_id, l.entity_id, lower(w.during), upper(w.during) FROM participations w
           JOIN participations l ON l.org_id = w.org_id AND l.event_id = w.event_id AND l.participation_type = 'location'
          WHERE w.org_id = $1 AND w.participation_type = 'worker' AND w.event_type = 'shift'
            AND w.event_status <> 'cancelled' AND lower(w.during) >= $2 AND lower(w.during) < $3",
    )
    .bind(caller.org)
    .bind(around(first, -2))
    .bind(around(last, 3))
    .fetch_all(conn)
    .await?;
    Ok(keys.into_iter().collect())
}

/// Finds the worker a row names: by email, by external id, or by a name only one worker has.
struct WorkerFinder<'a> {
    by_email: HashMap<String, &'a workers::WorkerKey>,
    by_external: HashMap<&'a str, &'a workers::WorkerKey>,
    by_name: HashMap<String, Vec<&'a workers::WorkerKey>>,
}

impl<'a> WorkerFinder<'a> {
    fn new(known: &'a [workers::WorkerKey]) -> Self {
        let mut finder = WorkerFinder { by_email: HashMap::new(), by_external: HashMap::new(), by_name: HashMap::new() };
        for worker in known {
            if let Some(email) = &worker.email {
                finder.by_email.insert(email.to_lowercase(), worker);
            }
            if let Some(id) = &worker.external_id {
                finder.by_external.insert(id.as_str(), worker);
            }
            finder.by_name.entry(worker.name.to_lowercase()).or_default().push(worker);
        }
        finder
    }

    fn find(&self, written: &str) -> Result<EntityId, String> {
        let found = self
            .by_email
            .get(&written.to_lowercase())
            .or_else(|| self.by_external.get(written))
            .copied()
            .map(Ok)
            .unwrap_or_else(|| match self.by_name.get(&written.to_lowercase()).map(Vec::as_slice) {
                Some([only]) => Ok(*only),
                Some(several @ [_, _, ..]) => {
                    Err(format!("{} workers are called {written}; write their email or external id", several.len()))
                }
                _ => Err(format!("no worker has the email, external id or name '{written}'")),
            })?;
        if found.removed {
            return Err(format!("{} was removed; restore them on /people first", found.name));
        }
        Ok(found.id)
    }
}
