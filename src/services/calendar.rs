//! What the calendar reads: one location's week, an organisation's week, a worker's timeline.

use super::{attention, employments, locations, organisations, shift_templates, shifts, Caller};
use crate::access::Action;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::store::{DomainError, DomainResult};
use crate::views::{ShiftView, WeekRow, WeekView, WorkerView};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The Monday of `day`'s week.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// The week starting on local Monday `monday` in `tz`, as UTC instants (168 hours, or 167/169 across DST).
pub fn local_week(monday: NaiveDate, tz: Tz) -> Interval {
    let at_midnight = |d: NaiveDate| {
        let midnight = d.and_time(NaiveTime::MIN);
        (0..3)
            .find_map(|h| tz.from_local_datetime(&(midnight + Duration::hours(h))).earliest())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
    };
    Interval { start: at_midnight(monday), end: Some(at_midnight(monday + Duration::days(7))) }
}

/// One location's week: every worker employed there or scheduled there, with their shifts and the open
/// conflicts about them. Without a location, the first one; without a date, this week.
pub async fn location_week(
    pool: &PgPool,
    caller: &Caller,
    location: Option<EntityId>,
    day: Option<NaiveDate>,
) -> DomainResult<WeekView> {
    caller.require(Action::ReadOrganisation)?;
    let all = locations::list(pool, caller).await?;
    let current = match location {
        Some(id) => all.iter().find(|l| l.id == id).cloned().ok_or_else(|| DomainError::not_found("location", id))?,
        None => all.first().cloned().ok_or_else(|| DomainError::not_found("location", "any"))?,
    };
    let tz: Tz = current.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let today = Utc::now().with_timezone(&tz).date_naive();
    let week_start = monday_of(day.unwrap_or(today));
    let week = local_week(week_start, tz);

    let mut conn = pool.acquire().await?;
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT event_id FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'shift' AND participation_type = 'location'
            AND event_status <> 'cancelled' AND during && tstzrange($3, $4, '[)')",
    )
    .bind(caller.org)
    .bind(current.id)
    .bind(week.start)
    .bind(week.end)
    .fetch_all(&mut *conn)
    .await?;
    let shifts = shifts::load_many(&mut conn, caller, &ids).await?;

    let staff: Vec<(EntityId, String, Option<String>, i32)> = sqlx::query_as(
        "SELECT DISTINCT w.id, w.name, w.properties ->> 'email', w.version
           FROM participations l
           JOIN participations emp ON emp.org_id = l.org_id AND emp.event_id = l.event_id AND emp.participation_type = 'employee'
           JOIN entities w ON w.org_id = emp.org_id AND w.id = emp.entity_id
          WHERE l.org_id = $1 AND l.entity_id = $2 AND l.event_type = 'employment' AND l.participation_type = 'location'
            AND l.event_status IN ('active', 'completed') AND l.during && tstzrange($3, $4, '[)')",
    )
    .bind(caller.org)
    .bind(current.id)
    .bind(week.start)
    .bind(week.end)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);

    let row = |worker: WorkerView| WeekRow { worker, shifts: vec![], elsewhere: vec![], employments: vec![] };
    let mut rows: BTreeMap<EntityId, WeekRow> = staff
        .into_iter()
        .map(|(id, name, email, version)| (id, row(WorkerView { id, name, email, version })))
        .collect();
    for shift in shifts {
        let worker = WorkerView { id: shift.worker_id, name: shift.worker_name.clone(), email: None, version: 0 };
        rows.entry(shift.worker_id).or_insert_with(|| row(worker)).shifts.push(shift);
    }

    // What the rules weigh besides the shifts shown: a day either side for rest, other locations for hours.
    let around = Interval { start: week.start - Duration::days(1), end: week.end.map(|e| e + Duration::days(1)) };
    let worker_ids: Vec<Uuid> = rows.keys().map(|id| id.0).collect();
    let mut conn = pool.acquire().await?;
    let mut context = attention::rule_shifts_of_workers(&mut conn, caller, &worker_ids, around).await?;
    let mut employed = employments::spans_of_workers(&mut conn, caller, &worker_ids, around).await?;
    let thresholds = organisations::thresholds(&mut conn, caller.org).await?;
    drop(conn);
    for row in rows.values_mut() {
        let shown: std::collections::HashSet<EventId> = row.shifts.iter().map(|s| s.id).collect();
        row.elsewhere = context.remove(&row.worker.id).unwrap_or_default().into_iter().filter(|s| !shown.contains(&s.id)).collect();
        row.employments = employed.remove(&row.worker.id).unwrap_or_default();
    }

    let mut rows: Vec<WeekRow> = rows.into_values().collect();
    rows.sort_by(|a, b| a.worker.name.cmp(&b.worker.name).then(a.worker.id.cmp(&b.worker.id)));
    for row in &mut rows {
        row.shifts.sort_by_key(|s| (s.during.start, s.id));
    }

    let shown: std::collections::HashSet<EventId> = rows.iter().flat_map(|r| r.shifts.iter().map(|s| s.id)).collect();
    let filter = attention::AttentionFilter { worker_id: None, from: Some(week.start), to: week.end };
    let open_conflicts = attention::list_open(pool, caller, &filter)
        .await?
        .into_iter()
        .filter(|item| item.shift_ids.iter().any(|id| shown.contains(id)))
        .collect();

    let templates = shift_templates::list(pool, caller).await?;
    Ok(WeekView { location: current, locations: all, week_start, week, thresholds, rows, open_conflicts, templates })
}

/// Every live shift of the organisation overlapping the week that starts at `start` (UTC).
pub async fn organisation_week(pool: &PgPool, caller: &Caller, start: DateTime<Utc>) -> DomainResult<Vec<ShiftView>> {
    caller.require(Action::ReadOrganisation)?;
    let mut conn = pool.acquire().await?;
    shifts::live_in_period(&mut conn, caller, start, start + Duration::days(7)).await
}
