//! Copying a week: a location's next plan starts as an earlier week's, in drafts, at the same local
//! wall-clock times (09:00 stays 09:00 across a DST change). One transaction: all the copies or none.
//!
//! A shift is left out, with the reason, when its copy is already there (so copying twice adds nothing),
//! when no schedule covers its new time, or when the worker is not employed then. Copies may conflict
//! like any draft; each conflict becomes an attention item.

use super::shifts::{self, NewBreak, NewShift, ShiftFilter};
use super::{attention, locations, schedules, Caller};
use crate::access::Action;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::local_time::local_week;
use crate::local_time::same_time_days_later;
use crate::store::{retrying, DomainError, DomainResult};
use crate::views::ShiftView;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use std::collections::HashSet;

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CopyWeek {
    pub location_id: EntityId,
    /// The first day (local date) of the week to copy: a Monday, or a Sunday where weeks start then.
    pub from_week: NaiveDate,
    /// The first day of the week to copy it into.
    pub to_week: NaiveDate,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WeekCopy {
    pub created: Vec<ShiftView>,
    pub skipped: Vec<SkippedShift>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SkippedShift {
    /// The shift in the week copied from.
    pub shift_id: EventId,
    pub worker_id: EntityId,
    pub reason: String,
}

pub async fn copy_week(pool: &PgPool, caller: &Caller, request: CopyWeek) -> DomainResult<WeekCopy> {
    caller.require_at(Action::EditDrafts, request.location_id)?;
    let starts = super::organisations::week_starts_on(&mut *pool.acquire().await?, caller.org).await?;
    for (field, day) in [("from_week", request.from_week), ("to_week", request.to_week)] {
        crate::date_range::require_day(field, day)?;
        if day.weekday() != starts.weekday() {
            let first = starts.weekday();
            return Err(DomainError::invalid(
                field,
                format!("{day} is a {}; give the {first} the week starts on", day.weekday()),
            ));
        }
    }
    if request.from_week == request.to_week {
        return Err(DomainError::invalid("to_week", "is the week being copied; choose another week"));
    }
    let location = locations::get(pool, caller, request.location_id).await?;
    let tz: Tz = location.zone();
    let source = local_week(request.from_week, tz);
    let filter = ShiftFilter { location_id: Some(location.id), from: Some(source.start), to: source.end, ..Default::default() };
    let originals: Vec<ShiftView> = shifts::list_unchecked(pool, caller, &filter)
        .await?
        .into_iter()
        .filter(|s| s.status != EventStatus::Cancelled && source.contains_instant(s.during.start))
        .collect();
    let days = (request.to_week - request.from_week).num_days();
    retrying(|| apply(pool, caller, location.id, local_week(request.to_week, tz), tz, days, &originals)).await
}

async fn apply(
    pool: &PgPool,
    caller: &Caller,
    location: EntityId,
    target: Interval,
    tz: Tz,
    days: i64,
    originals: &[ShiftView],
) -> DomainResult<WeekCopy> {
    let moved = |t: DateTime<Utc>| same_time_days_later(t, tz, days);
    let mut tx = crate::store::begin(pool).await?;
    schedules::open_draft_unless_planned(&mut tx, caller, location, target).await?;
    let mut already = existing_shifts(&mut tx, caller, location, target).await?;
    let mut copy = WeekCopy { created: Vec::new(), skipped: Vec::new() };
    for original in originals {
        let start = moved(original.during.start);
        let end = moved(original.during.end.unwrap_or(original.during.start));
        let skip = |reason: &str| SkippedShift { shift_id: original.id, worker_id: original.worker_id, reason: reason.into() };
        if !already.insert((original.worker_id, start, end)) {
            copy.skipped.push(skip("already in that week"));
            continue;
        }
        match schedules::open_schedule_at(&mut tx, caller, location, start).await {
            Ok(_) => {}
            Err(DomainError::Invalid { .. }) => {
                copy.skipped.push(skip("no open schedule covers its new time"));
                continue;
            }
            Err(e) => return Err(e),
        }
        let during = Interval { start, end: Some(end) };
        if super::employments::containing(&mut tx, caller, original.worker_id, during).await?.is_none() {
            copy.skipped.push(skip("the worker is not employed then"));
            continue;
        }
        // A position retired since is not asked for again; the copy is otherwise the same.
        let position_id = match &original.position {
            Some(position) => super::positions::askable(&mut tx, caller, position.id, "position_id").await.ok().map(|p| p.id),
            None => None,
        };
        let new = NewShift {
            worker_id: original.worker_id,
            location_id: location,
            start,
            end,
            role: original.role.clone(),
            position_id,
            notes: original.notes.clone(),
            breaks: original
                .breaks
                .iter()
                .map(|b| NewBreak {
                    start: moved(b.during.start),
                    end: moved(b.during.end.unwrap_or(b.during.start)),
                    paid: b.paid,
                })
                .collect(),
        };
        copy.created.push(shifts::insert_draft(&mut tx, caller, &new).await?);
    }
    // Every copy written first, then every worker's attention at once: see `attention::refresh_workers`.
    let touched: Vec<_> = copy.created.iter().map(|s| (s.worker_id, s.during)).collect();
    attention::refresh_workers(&mut tx, caller, &touched).await?;
    crate::store::commit(tx, pool).await?;
    Ok(copy)
}

/// The live shifts already planned at the location in the week, as (worker, start, end).
async fn existing_shifts(
    conn: &mut PgConnection,
    caller: &Caller,
    location: EntityId,
    week: Interval,
) -> DomainResult<HashSet<(EntityId, DateTime<Utc>, DateTime<Utc>)>> {
    let rows: Vec<(EntityId, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT w.entity_id, e.start_time, e.end_time
           FROM participations l
           JOIN events e ON e.org_id = l.org_id AND e.id = l.event_id
           JOIN participations w ON w.org_id = l.org_id AND w.event_id = l.event_id AND w.participation_type = 'worker'
          WHERE l.org_id = $1 AND l.entity_id = $2 AND l.event_type = 'shift' AND l.participation_type = 'location'
            AND l.event_status <> 'cancelled' AND l.during && tstzrange($3, $4, '[)')",
    )
    .bind(caller.org)
    .bind(location)
    .bind(week.start)
    .bind(week.end)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}
