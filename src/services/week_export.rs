//! A location's week as a CSV file: one row per live shift, in the very columns a shifts file is
//! imported from (`shift_import::parse::HEADER`), so a week exported and imported again changes nothing.

use super::shift_import::parse::{Column, HEADER};
use super::shifts::{self, ShiftFilter};
use super::spreadsheet::defused;
use super::{locations, organisations, workers, Caller};
use crate::access::Action;
use crate::ids::EntityId;
use crate::kinds::EventStatus;
use crate::store::{DomainError, DomainResult};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The file: its name and its text. The week is the one containing `day`, at `location`.
pub async fn week_csv(
    pool: &sqlx::PgPool,
    caller: &Caller,
    location: EntityId,
    day: NaiveDate,
) -> DomainResult<(String, String)> {
    caller.require(Action::ReadOrganisation)?;
    crate::date_range::require_day("week", day)?;
    let place = locations::get(pool, caller, location).await?;
    let tz = place.zone();
    let mut conn = pool.acquire().await?;
    let first = organisations::week_starts_on(&mut conn, caller.org).await?.first_day_of(day);
    let week = crate::local_time::local_week(first, tz);
    let keys: HashMap<EntityId, workers::WorkerKey> =
        workers::keys(&mut conn, caller.org).await?.into_iter().map(|k| (k.id, k)).collect();
    drop(conn);
    let filter = ShiftFilter { location_id: Some(location), from: Some(week.start), to: week.end, ..ShiftFilter::default() };
    let shifts = shifts::list(pool, caller, &filter).await?;

    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |_| DomainError::invalid("week", "the week could not be written as CSV");
    out.write_record(HEADER.iter().map(|c| c.name())).map_err(failed)?;
    for shift in shifts.iter().filter(|s| s.status != EventStatus::Cancelled) {
        let clock = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
        let end = shift.during.end.unwrap_or(shift.during.start);
        // The email says who most surely; else the external id; else the name.
        let key = keys.get(&shift.worker_id);
        let worker =
            key.and_then(|k| k.email.clone().or_else(|| k.external_id.clone())).unwrap_or_else(|| shift.worker_name.clone());
        let breaks = shift
            .breaks
            .iter()
            .filter(|b| !b.paid)
            .filter_map(|b| Some(format!("{}-{}", clock(b.during.start), clock(b.during.end?))))
            .collect::<Vec<_>>()
            .join("|");
        let cell = |column: Column| match column {
            Column::Date => shift.during.start.with_timezone(&tz).date_naive().to_string(),
            Column::Start => clock(shift.during.start),
            Column::End => clock(end),
            Column::Worker => defused(&worker).into_owned(),
            Column::Location => defused(&place.name).into_owned(),
            Column::Position => shift.position.as_ref().map(|p| defused(&p.name).into_owned()).unwrap_or_default(),
            Column::Breaks => breaks.clone(),
            Column::Role => shift.role.as_deref().map(|r| defused(r).into_owned()).unwrap_or_default(),
            Column::Notes => shift.notes.as_deref().map(|n| defused(n).into_owned()).unwrap_or_default(),
        };
        out.write_record(HEADER.iter().map(|c| cell(*c))).map_err(failed)?;
    }
    let bytes = out.into_inner().map_err(|_| DomainError::invalid("week", "the week could not be written as CSV"))?;
    let text = String::from_utf8(bytes).map_err(|_| DomainError::invalid("week", "the week could not be written as CSV"))?;
    let slug: String = place.name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    Ok((format!("shifts-{slug}-{first}.csv"), text))
}
