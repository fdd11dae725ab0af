//! What the calendar reads: one location's week, an organisation's week, a worker's timeline.

use super::{attention, locations, organisations, positions, schedules, shift_templates, shifts, Caller};
use crate::access::Action;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::local_time::local_week;
use crate::planning::{Placement, WeekFrame};
use crate::store::DomainResult;
use crate::time_off::TimeOffKind;
use crate::views::{ShiftView, TimeOffBand, WeekRow, WeekView, WorkerView};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;
use std::collections::BTreeMap;

/// One location's week: every worker employed there or scheduled there, with their shifts and the open
/// conflicts about them. Without a location, the first one; without a date, this week.
pub async fn location_week(
    pool: &PgPool,
    caller: &Caller,
    location: Option<EntityId>,
    day: Option<NaiveDate>,
) -> DomainResult<WeekView> {
    caller.require(Action::ReadOrganisation)?;
    if let Some(day) = day {
        crate::date_range::require_day("week", day)?;
    }
    // Taken before the week is read: a change that lands in between is in the week and is replayed by the
    // change stream too, which the calendar recognises by its version.
    let cursor = crate::store::changes::head(pool, Some(caller.org)).await?;
    let all = locations::list(pool, caller).await?;
    let current = locations::choose(&all, location)?;
    let tz: Tz = current.zone();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let starts = super::organisations::week_starts_on(&mut *pool.acquire().await?, caller.org).await?;
    let week_start = starts.first_day_of(day.unwrap_or(today));
    let week = local_week(week_start, tz);

    // The week in one statement: the location's staff (employed there that week, or with a shift there),
    // each with their employments and their live shifts a day either side of the week at every location
    // — the rules weigh those too — with breaks and work periods.
    let frame = WeekFrame { location: current.id, week };
    let around = frame.around();
    let lines: Vec<WeekLine> = sqlx::query_as(WEEK_STATEMENT)
        .bind(caller.org)
        .bind(current.id)
        .bind(week.start)
        .bind(week.end)
        .bind(around.start)
        .bind(around.end)
        .fetch_all(pool)
        .await?;
    let mut conn = pool.acquire().await?;
    let thresholds = organisations::thresholds(&mut conn, caller.org).await?;
    drop(conn);
    let schedules =
        schedules::list(pool, caller, Some(current.id)).await?.into_iter().filter(|s| s.period.overlaps(&week)).collect();

    let mut staff: BTreeMap<EntityId, (WeekRow, Vec<shifts::ShiftRow>, Vec<shifts::ChildRow>)> = BTreeMap::new();
    for line in lines {
        let (_, loaded, children) = staff.entry(line.worker_id).or_insert_with(|| {
            let worker = WorkerView {
                id: line.worker_id,
                name: line.worker_name.clone(),
                email: line.email.clone(),
                phone: line.phone.clone(),
                removed_from: line.removed_from,
                version: line.worker_version,
            };
            let employments = line.employments.0.iter().map(|(start, end)| Interval { start: *start, end: *end }).collect();
            let positions = line.positions_held.iter().copied().map(EntityId).collect();
            let contract_hours = line.contract_hours;
            let time_off = line
                .time_off
                .0
                .iter()
                .filter_map(|(start, end, kind)| {
                    Some(TimeOffBand { during: Interval { start: *start, end: Some(*end) }, kind: TimeOffKind::parse(kind)? })
                })
                .collect();
            let availability = Default::default();
            let row = WeekRow {
                worker,
                shifts: vec![],
                elsewhere: vec![],
                employments,
                positions,
                contract_hours,
                time_off,
                availability,
            };
            (row, vec![], vec![])
        });
        let (Some(id), Some(start_time), Some(status), Some(version), Some(location_id)) =
            (line.id, line.start_time, line.status, line.version, line.location_id)
        else {
            continue;
        };
        let event = shifts::ShiftEventRow {
            id,
            employment_id: line.employment_id,
            start_time,
            end_time: line.end_time,
            status,
            version,
            role: line.role,
            notes: line.notes,
        };
        children.extend(line.children.0);
        let position = shifts::PositionColumns {
            position_id: line.position_id,
            position_name: line.position_name,
            position_colour: line.position_colour,
        };
        loaded.push(shifts::ShiftRow { event, worker_id: line.worker_id, worker_name: line.worker_name, location_id, position });
    }
    let mut rows: BTreeMap<EntityId, WeekRow> = BTreeMap::new();
    for (id, (mut row, loaded, children)) in staff {
        for view in shifts::assemble(loaded, children) {
            match frame.place(&view) {
                Placement::Shown => row.shifts.push(view),
                Placement::Elsewhere => row.elsewhere.push(view.rule_shift()),
                Placement::Outside => {}
            }
        }
        rows.insert(id, row);
    }

    // Availability around the week, as the rules judge a drag: a day either side, like the shifts.
    let staff_ids: Vec<EntityId> = rows.keys().copied().collect();
    let mut availability =
        super::availability::stored::spans_of(&mut *pool.acquire().await?, caller, &staff_ids, around, thresholds.week_time_zone)
            .await?;
    for (id, row) in rows.iter_mut() {
        row.availability = availability.remove(id).unwrap_or_default();
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
    let positions = positions::list(pool, caller).await?;
    let workers: Vec<EntityId> = rows.iter().map(|r| r.worker.id).collect();
    let pay = super::labor::week_pay(&mut *pool.acquire().await?, caller, current.id, week, week_start, tz, &workers).await?;
    Ok(WeekView {
        location: current,
        locations: all,
        week_start,
        week,
        thresholds,
        rows,
        positions,
        open_conflicts,
        templates,
        cursor: cursor.to_string(),
        schedules,
        may_publish: caller.access.require(Action::Publish).is_ok(),
        access: caller.access.clone(),
        pay,
    })
}

/// Every live shift of the organisation overlapping the week that starts at `start` (UTC).
pub async fn organisation_week(pool: &PgPool, caller: &Caller, start: DateTime<Utc>) -> DomainResult<Vec<ShiftView>> {
    caller.require(Action::ReadOrganisation)?;
    crate::date_range::require_instant("start", start)?;
    let mut conn = pool.acquire().await?;
    shifts::live_in_period(&mut conn, caller, start, start + Duration::days(7)).await
}

/// One line of [`WEEK_STATEMENT`]: a person, and one of their shifts if they have any.
#[derive(sqlx::FromRow)]
struct WeekLine {
    worker_id: EntityId,
    worker_name: String,
    email: Option<String>,
    phone: Option<String>,
    removed_from: Option<DateTime<Utc>>,
    worker_version: i32,
    employments: sqlx::types::Json<Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>>,
    contract_hours: Option<f64>,
    positions_held: Vec<uuid::Uuid>,
    /// Approved time off: start, end and kind.
    time_off: sqlx::types::Json<Vec<(DateTime<Utc>, DateTime<Utc>, String)>>,
    // The shift, absent for someone with none around the week.
    id: Option<EventId>,
    employment_id: Option<EventId>,
    start_time: Option<DateTime<Utc>>,
    end_time: Option<DateTime<Utc>>,
    status: Option<crate::kinds::EventStatus>,
    version: Option<i32>,
    role: Option<String>,
    notes: Option<String>,
    location_id: Option<EntityId>,
    children: sqlx::types::Json<Vec<shifts::ChildRow>>,
    position_id: Option<EntityId>,
    position_name: Option<String>,
    position_colour: Option<String>,
}

/// $1 organisation, $2 location, [$3, $4) the week, [$5, $6) the week and a day either side. Shifts last
/// at most a day, so every table is read by time through one index (as `shifts::live_in_period` does)
/// and joined in memory.
const WEEK_STATEMENT: &str = "
WITH staff AS (
    SELECT emp.entity_id AS worker_id
      FROM participations l
      JOIN participations emp ON emp.org_id = l.org_id AND emp.event_id = l.event_id AND emp.participation_type = 'employee'
     WHERE l.org_id = $1 AND l.entity_id = $2 AND l.event_type = 'employment' AND l.participation_type = 'location'
       AND l.event_status IN ('active', 'completed') AND l.during && tstzrange($3, $4, '[)')
    UNION
    SELECT w.entity_id
      FROM participations loc
      JOIN participations w ON w.org_id = loc.org_id AND w.event_id = loc.event_id AND w.participation_type = 'worker'
     WHERE loc.org_id = $1 AND loc.entity_id = $2 AND loc.event_type = 'shift' AND loc.participation_type = 'location'
       AND loc.event_status <> 'cancelled' AND loc.during && tstzrange($3, $4, '[)')
),
taking_part AS (
    SELECT p.event_id, p.entity_id, p.participation_type
      FROM participations p
     WHERE p.org_id = $1 AND p.event_type = 'shift' AND p.participation_type IN ('worker', 'location', 'position')
       AND lower(p.during) >= $5::timestamptz - interval '24 hours' AND lower(p.during) < $6
),
live AS (
    SELECT e.id, e.parent_id, e.start_time, e.end_time, e.status, e.version, e.properties
      FROM events e
     WHERE e.org_id = $1 AND e.event_type = 'shift' AND e.status <> 'cancelled'
       AND e.start_time >= $5::timestamptz - interval '24 hours' AND e.start_time < $6 AND e.end_time > $5
),
children AS (
    SELECT c.parent_id, json_agg(json_build_array(c.parent_id, c.id, c.event_type, c.start_time, c.end_time,
                                                  coalesce((c.properties ->> 'paid')::boolean, false))
                                 ORDER BY c.start_time) AS list
      FROM events c
     WHERE c.org_id = $1 AND c.event_type IN ('break', 'work_period') AND c.status <> 'cancelled'
       AND c.start_time >= $5::timestamptz - interval '24 hours' AND c.start_time < $6
     GROUP BY c.parent_id
),
employed AS (
    SELECT emp.entity_id AS worker_id, json_agg(json_build_array(lower(emp.during), upper(emp.during))) AS spans,
           (array_agg((ev.properties ->> 'contract_hours')::float8 ORDER BY lower(emp.during) DESC))[1] AS contract_hours
      FROM participations emp
      JOIN events ev ON ev.org_id = emp.org_id AND ev.id = emp.event_id
     WHERE emp.org_id = $1 AND emp.event_type = 'employment' AND emp.participation_type = 'employee'
       AND emp.event_status IN ('active', 'completed') AND emp.during && tstzrange($5, $6, '[)')
       AND emp.entity_id IN (SELECT worker_id FROM staff)
     GROUP BY emp.entity_id
),
away AS (
    SELECT t.entity_id AS worker_id,
           json_agg(json_build_array(lower(t.during), upper(t.during), ev.properties ->> 'kind') ORDER BY lower(t.during)) AS spans
      FROM participations t
      JOIN events ev ON ev.org_id = t.org_id AND ev.id = t.event_id
     WHERE t.org_id = $1 AND t.event_type = 'time_off' AND t.participation_type = 'worker'
       AND t.event_status = 'active' AND t.during && tstzrange($5, $6, '[)')
       AND t.entity_id IN (SELECT worker_id FROM staff)
     GROUP BY t.entity_id
),
held AS (
    SELECT h.worker_id, array_agg(h.position_id) AS positions
      FROM positions_held h
     WHERE h.org_id = $1 AND h.worker_id IN (SELECT worker_id FROM staff)
     GROUP BY h.worker_id
)
SELECT we.id AS worker_id, we.name AS worker_name, we.properties ->> 'email' AS email,
       we.properties ->> 'phone' AS phone, we.inactive_from AS removed_from, we.version AS worker_version,
       coalesce(employed.spans, '[]') AS employments, employed.contract_hours, coalesce(held.positions, '{}') AS positions_held,
       coalesce(away.spans, '[]') AS time_off,
       s.id, s.parent_id AS employment_id, s.start_time, s.end_time, s.status, s.version,
       s.properties ->> 'role' AS role, s.properties ->> 'notes' AS notes, l.entity_id AS location_id,
       coalesce(children.list, '[]') AS children,
       pe.id AS position_id, pe.name AS position_name, pe.properties ->> 'colour' AS position_colour
  FROM staff
  JOIN entities we ON we.org_id = $1 AND we.id = staff.worker_id
  LEFT JOIN employed ON employed.worker_id = staff.worker_id
  LEFT JOIN held ON held.worker_id = staff.worker_id
  LEFT JOIN away ON away.worker_id = staff.worker_id
  LEFT JOIN taking_part w ON w.entity_id = staff.worker_id AND w.participation_type = 'worker'
  LEFT JOIN live s ON s.id = w.event_id
  LEFT JOIN taking_part l ON l.event_id = s.id AND l.participation_type = 'location'
  LEFT JOIN children ON children.parent_id = s.id
  LEFT JOIN taking_part p ON p.event_id = s.id AND p.participation_type = 'position'
  LEFT JOIN entities pe ON pe.org_id = $1 AND pe.id = p.entity_id
";
