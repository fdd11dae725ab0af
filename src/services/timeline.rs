//! A worker's own view of their work: the published shifts they are in (and those cancelled after they
//! were published, so the worker learns of it), with where, with whom and how many hours. The `/me`
//! page and the calendar feed both read it from here.

use super::shifts::{self, ShiftFilter};
use super::Caller;
use crate::access::Action;
use crate::hours::ShiftHours;
use crate::ids::{EntityId, EventId};
use crate::kinds::EventStatus;
use crate::local_time::{local_week, WeekStart};
use crate::store::{DomainError, DomainResult};
use crate::views::{ShiftView, TimelineShiftView, TimelineView, WeekHoursView};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Weeks of totals shown before this one, and weeks of shifts shown after it.
pub const WEEKS_BACK: i64 = 4;
pub const WEEKS_AHEAD: i64 = 4;

/// The signed-in worker's timeline, with `now` deciding which day is today. With `mark_seen`, this look
/// is remembered, and the next look marks only what changed after it.
pub async fn for_caller(pool: &PgPool, caller: &Caller, now: DateTime<Utc>, mark_seen: bool) -> DomainResult<TimelineView> {
    caller.require(Action::ReadOwnTimeline)?;
    let worker = own_worker(caller)?;
    let cursor = crate::store::changes::head(pool, Some(caller.org)).await?;
    let (worker_name, zone, starts): (String, String, WeekStart) = sqlx::query_as(
        "SELECT w.name, o.time_zone, o.week_starts_on FROM entities w JOIN organisations o ON o.id = w.org_id
          WHERE w.org_id = $1 AND w.id = $2",
    )
    .bind(caller.org)
    .bind(worker)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| DomainError::not_found("worker", worker))?;
    let tz: Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    let today = now.with_timezone(&tz).date_naive();
    let this_week_first_day = starts.first_day_of(today);
    let first_week = local_week(this_week_first_day - Duration::weeks(WEEKS_BACK), tz);
    let this_week = local_week(this_week_first_day, tz);
    let last_week = local_week(this_week_first_day + Duration::weeks(WEEKS_AHEAD), tz);
    let start_of_today = local_week(today, tz).start;

    // The last look, and the database clock now, which becomes the last look if this one is remembered
    // (so a change committed while this read runs is still marked next time).
    let (seen, looked_at): (Option<DateTime<Utc>>, DateTime<Utc>) = match caller.actor.id {
        Some(user) => {
            sqlx::query_as("SELECT timeline_seen_at, clock_timestamp() FROM memberships WHERE org_id = $1 AND user_id = $2")
                .bind(caller.org)
                .bind(user)
                .fetch_optional(pool)
                .await?
                .unwrap_or((None, now))
        }
        None => (None, now),
    };
    let shifts = published_shifts(pool, caller, worker, first_week.start, last_week.end.unwrap_or(now)).await?;
    let details = details(pool, caller, &shifts).await?;

    let live = |s: &&ShiftView| s.status != EventStatus::Cancelled;
    let past_weeks = (1..=WEEKS_BACK)
        .map(|back| {
            let first_day = this_week_first_day - Duration::weeks(back);
            let week = local_week(first_day, tz);
            let in_week: Vec<&ShiftView> = shifts.iter().filter(live).filter(|s| week.contains_instant(s.during.start)).collect();
            WeekHoursView { week_start: first_day, shifts: in_week.len() as u32, hours: total(in_week) }
        })
        .collect();
    let this_week_hours = total(shifts.iter().filter(live).filter(|s| this_week.contains_instant(s.during.start)).collect());
    let upcoming = shifts
        .into_iter()
        .filter(|s| s.during.end.is_none_or(|end| end > start_of_today))
        .map(|shift| {
            let (location_name, time_zone) = details.locations.get(&shift.location_id).cloned().unwrap_or_default();
            let changed = match (seen, details.last_changed.get(&shift.id)) {
                (Some(seen), Some(changed)) => *changed > seen,
                _ => false,
            };
            let colleagues = details.colleagues.get(&shift.id).cloned().unwrap_or_default();
            TimelineShiftView { shift, location_name, time_zone, colleagues, changed }
        })
        .collect();

    if let (true, Some(user)) = (mark_seen, caller.actor.id) {
        sqlx::query("UPDATE memberships SET timeline_seen_at = $3 WHERE org_id = $1 AND user_id = $2")
            .bind(caller.org)
            .bind(user)
            .bind(looked_at)
            .execute(pool)
            .await?;
    }
    Ok(TimelineView {
        worker_name,
        today,
        time_zone: zone,
        this_week: this_week_hours,
        past_weeks,
        shifts: upcoming,
        last_looked: seen,
        cursor: cursor.to_string(),
    })
}

pub(crate) fn own_worker(caller: &Caller) -> DomainResult<EntityId> {
    caller.access.worker.ok_or_else(|| DomainError::Conflict {
        code: "no_worker",
        message: "Your account is not linked to a worker, so it has no shifts of its own.".into(),
    })
}

/// The worker's shifts a worker may know of in [from, to).
pub(crate) async fn published_shifts(
    pool: &PgPool,
    caller: &Caller,
    worker: EntityId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<ShiftView>> {
    let filter = ShiftFilter { worker_id: Some(worker), from: Some(from), to: Some(to), ..Default::default() };
    let shifts = shifts::list_unchecked(pool, caller, &filter).await?;
    shifts::known_to_worker(pool, caller, shifts).await
}

/// What the timeline shows around its shifts, read in three statements for all of them.
pub(crate) struct Details {
    /// Name and zone of each location.
    pub locations: HashMap<EntityId, (String, String)>,
    /// When each shift last changed.
    pub last_changed: HashMap<EventId, DateTime<Utc>>,
    /// Who else works at the same location at the same time, by name.
    pub colleagues: HashMap<EventId, Vec<String>>,
}

pub(crate) async fn details(pool: &PgPool, caller: &Caller, shifts: &[ShiftView]) -> DomainResult<Details> {
    let shift_ids: Vec<Uuid> = shifts.iter().map(|s| s.id.0).collect();
    let location_ids: Vec<Uuid> = shifts.iter().map(|s| s.location_id.0).collect::<HashSet<_>>().into_iter().collect();
    let locations = sqlx::query_as::<_, (EntityId, String, String)>(
        "SELECT id, name, coalesce(properties ->> 'time_zone', 'UTC') FROM entities WHERE org_id = $1 AND id = ANY ($2)",
    )
    .bind(caller.org)
    .bind(&location_ids)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, name, zone)| (id, (name, zone)))
    .collect();
    let last_changed = sqlx::query_as::<_, (EventId, DateTime<Utc>)>(
        "SELECT stream_id, max(recorded_at) FROM changes WHERE org_id = $1 AND stream_id = ANY ($2) GROUP BY stream_id",
    )
    .bind(caller.org)
    .bind(&shift_ids)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let mut colleagues: HashMap<EventId, Vec<String>> = HashMap::new();
    let rows = sqlx::query_as::<_, (EventId, String)>(
        "SELECT mine.event_id, w.name
           FROM participations mine
           JOIN participations other ON other.org_id = mine.org_id AND other.entity_id = mine.entity_id
                AND other.participation_type = 'location' AND other.event_type = 'shift'
                AND other.event_status IN ('active', 'completed') AND other.during && mine.during
                AND other.event_id <> mine.event_id
           JOIN participations them ON them.org_id = other.org_id AND them.event_id = other.event_id
                AND them.participation_type = 'worker'
           JOIN entities w ON w.org_id = them.org_id AND w.id = them.entity_id
          WHERE mine.org_id = $1 AND mine.event_id = ANY ($2) AND mine.participation_type = 'location'
          ORDER BY mine.event_id, w.name",
    )
    .bind(caller.org)
    .bind(&shift_ids)
    .fetch_all(pool)
    .await?;
    for (shift, name) in rows {
        colleagues.entry(shift).or_default().push(name);
    }
    Ok(Details { locations, last_changed, colleagues })
}

fn total(shifts: Vec<&ShiftView>) -> ShiftHours {
    shifts.into_iter().fold(ShiftHours { worked: 0.0, breaks: 0.0, net: 0.0 }, |t, s| ShiftHours {
        worked: t.worked + s.hours.worked,
        breaks: t.breaks + s.hours.breaks,
        net: t.net + s.hours.net,
    })
}
