//! Time travel: the organisation's shifts as they stood right after any change in its log, and what
//! changed between two moments and who changed it.
//!
//! Read from `shift_history` (migrations/0005_shift_history.sql), where each version of a shift carries
//! the stretch of log positions it was current for, so a past week is one index scan. A moment is a log
//! position; a time names the last change recorded by then.

use super::{locations, Caller};
use crate::access::Action;
use crate::ids::EntityId;
use crate::interval::Interval;
use crate::local_time::local_instant;
use crate::local_time::local_week;
use crate::planning::differences;
use crate::store::{DomainError, DomainResult};
use crate::views::{ChangedShift, HistoricRow, HistoricWeekView, LogSpan, MomentView, ShiftView};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use sqlx::types::Json;
use sqlx::PgPool;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A moment as a reader names it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Moment {
    /// After the latest change.
    Latest,
    /// After the change at this log position, or the organisation's last change before it.
    Position(i64),
    /// After the last change recorded at or before this instant.
    Instant(DateTime<Utc>),
    /// The same, in wall-clock time at the location shown.
    LocalTime(NaiveDateTime),
}

impl Moment {
    /// Reads a moment from a query's `<field>` (a log position) or `<field>_time` (an RFC 3339 instant, or
    /// a local date and time like `2026-03-02T09:30`); the position wins. Neither: `None`.
    pub fn parse(field: &str, position: Option<&str>, time: Option<&str>) -> DomainResult<Option<Moment>> {
        if let Some(position) = position.map(str::trim).filter(|s| !s.is_empty()) {
            return match position.parse::<i64>() {
                Ok(p) if p >= 0 => Ok(Some(Moment::Position(p))),
                _ => Err(DomainError::invalid(field, "must be a position in the change log (a whole number, 0 or more)")),
            };
        }
        let Some(time) = time.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
        if let Ok(instant) = DateTime::parse_from_rfc3339(time) {
            return Ok(Some(Moment::Instant(instant.with_timezone(&Utc))));
        }
        ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(time, format).ok())
            .map(|local| Some(Moment::LocalTime(local)))
            .ok_or_else(|| {
                DomainError::invalid(
                    &format!("{field}_time"),
                    "must be a date and time like 2026-03-02T09:30 or 2026-03-02T08:30:00Z",
                )
            })
    }
}

/// The organisation's live shifts overlapping `period` as they stood right after log position `at`, at one
/// location or all. What the organisation's week as of a moment costs is this statement.
pub async fn shifts_as_of(
    pool: &PgPool,
    caller: &Caller,
    period: Interval,
    at: i64,
    location: Option<EntityId>,
) -> DomainResult<Vec<ShiftView>> {
    caller.require(Action::ReadOrganisation)?;
    let states: Vec<Json<ShiftView>> = sqlx::query_scalar(
        "SELECT state FROM shift_history
          WHERE org_id = $1 AND during && tstzrange($2, $3, '[)') AND known @> $4::bigint
            AND status <> 'cancelled' AND ($5::uuid IS NULL OR location_id = $5)",
    )
    .bind(caller.org)
    .bind(period.start)
    .bind(period.end)
    .bind(at)
    .bind(location)
    .fetch_all(pool)
    .await?;
    let mut shifts: Vec<ShiftView> = states.into_iter().map(|s| s.0).collect();
    shifts.sort_by_key(|s| (s.during.start, s.id));
    Ok(shifts)
}

/// The organisation's first and last change, if it has any.
pub async fn log_span(pool: &PgPool, caller: &Caller) -> DomainResult<Option<LogSpan>> {
    caller.require(Action::ReadOrganisation)?;
    let (first, last): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT min(position), max(position) FROM changes WHERE org_id = $1")
            .bind(caller.org)
            .fetch_one(pool)
            .await?;
    Ok(first.zip(last).map(|(first, last)| LogSpan { first, last }))
}

/// The change a moment names, with its neighbours in the organisation's log; `None` before the first.
/// A local time is read in `tz`.
pub async fn moment(pool: &PgPool, caller: &Caller, moment: Moment, tz: Tz) -> DomainResult<Option<MomentView>> {
    caller.require(Action::ReadOrganisation)?;
    let (condition, order, bound): (&str, &str, Option<Bound>) = match moment {
        Moment::Latest => ("true", "position DESC", None),
        Moment::Position(p) => ("position <= $2", "position DESC", Some(Bound::Position(p))),
        Moment::Instant(t) => ("recorded_at <= $2", "recorded_at DESC, position DESC", Some(Bound::Time(t))),
        Moment::LocalTime(local) => {
            ("recorded_at <= $2", "recorded_at DESC, position DESC", Some(Bound::Time(local_instant(tz, local))))
        }
    };
    let statement = format!(
        "WITH chosen AS (
            SELECT position, recorded_at, actor, kind FROM changes WHERE org_id = $1 AND {condition} ORDER BY {order} LIMIT 1
         )
         SELECT c.position, c.recorded_at, c.actor, c.kind,
                (SELECT max(position) FROM changes WHERE org_id = $1 AND position < c.position) AS earlier,
                (SELECT min(position) FROM changes WHERE org_id = $1 AND position > c.position) AS later
           FROM chosen c"
    );
    let query = sqlx::query_as::<_, MomentRow>(&statement).bind(caller.org);
    let query = match bound {
        None => query,
        Some(Bound::Position(p)) => query.bind(p),
        Some(Bound::Time(t)) => query.bind(t),
    };
    Ok(query.fetch_optional(pool).await?.map(Into::into))
}

enum Bound {
    Position(i64),
    Time(DateTime<Utc>),
}

#[derive(sqlx::FromRow)]
struct MomentRow {
    position: i64,
    recorded_at: DateTime<Utc>,
    actor: String,
    kind: String,
    earlier: Option<i64>,
    later: Option<i64>,
}

impl From<MomentRow> for MomentView {
    fn from(r: MomentRow) -> Self {
        MomentView {
            position: r.position,
            recorded_at: r.recorded_at,
            actor: r.actor,
            kind: r.kind,
            earlier: r.earlier,
            later: r.later,
        }
    }
}

/// One location's week as it stood at `at`, and — given `since` — how it differs from the week at that
/// other moment (earlier or later) and who made the difference. Without a location, the first one;
/// without a date, this week.
pub async fn week(
    pool: &PgPool,
    caller: &Caller,
    location: Option<EntityId>,
    day: Option<NaiveDate>,
    at: Moment,
    since: Option<Moment>,
) -> DomainResult<HistoricWeekView> {
    caller.require(Action::ReadOrganisation)?;
    if let Some(day) = day {
        crate::date_range::require_day("week", day)?;
    }
    let all = locations::list(pool, caller).await?;
    let current = locations::choose(&all, location)?;
    let tz: Tz = current.zone();
    let starts = super::organisations::week_starts_on(&mut *pool.acquire().await?, caller.org).await?;
    let week_start = starts.first_day_of(day.unwrap_or_else(|| Utc::now().with_timezone(&tz).date_naive()));
    let week = local_week(week_start, tz);

    let log = log_span(pool, caller).await?;
    let at = self::moment(pool, caller, at, tz).await?;
    let shown = shifts_at(pool, caller, week, at.as_ref(), current.id).await?;
    let (since, compared) = match since {
        Some(since) => {
            let since = self::moment(pool, caller, since, tz).await?;
            let before = shifts_at(pool, caller, week, since.as_ref(), current.id).await?;
            (since, Some(before))
        }
        None => (None, None),
    };

    let mut rows: BTreeMap<EntityId, HistoricRow> = BTreeMap::new();
    for shift in compared.iter().flatten() {
        row_of(&mut rows, shift);
    }
    for shift in &shown {
        row_of(&mut rows, shift).shifts.push(shift.clone());
    }
    let mut rows: Vec<HistoricRow> = rows.into_values().collect();
    rows.sort_by(|a, b| a.worker_name.cmp(&b.worker_name).then(a.worker_id.cmp(&b.worker_id)));

    let differences = match &compared {
        Some(before) => {
            let found = differences(before, &shown);
            let positions = [at.as_ref().map_or(0, |m| m.position), since.as_ref().map_or(0, |m| m.position)];
            let (from, to) = (positions[0].min(positions[1]), positions[0].max(positions[1]));
            let ids: Vec<Uuid> = found.iter().map(|d| d.shift_id.0).collect();
            let mut authors = changes_between(pool, caller, &ids, from, to).await?;
            found
                .into_iter()
                .map(|difference| {
                    let (changed_by, changes) = authors.remove(&difference.shift_id.0).unwrap_or_default();
                    ChangedShift { difference, changed_by, changes }
                })
                .collect()
        }
        None => vec![],
    };

    Ok(HistoricWeekView { location: current, locations: all, week_start, week, log, at, since, rows, differences })
}

fn row_of<'a>(rows: &'a mut BTreeMap<EntityId, HistoricRow>, shift: &ShiftView) -> &'a mut HistoricRow {
    rows.entry(shift.worker_id).or_insert_with(|| HistoricRow {
        worker_id: shift.worker_id,
        worker_name: shift.worker_name.clone(),
        shifts: vec![],
    })
}

async fn shifts_at(
    pool: &PgPool,
    caller: &Caller,
    week: Interval,
    moment: Option<&MomentView>,
    location: EntityId,
) -> DomainResult<Vec<ShiftView>> {
    match moment {
        Some(m) => shifts_as_of(pool, caller, week, m.position, Some(location)).await,
        None => Ok(vec![]),
    }
}

/// Who changed each of `shifts` in log positions (from, to], and how, oldest first.
async fn changes_between(
    pool: &PgPool,
    caller: &Caller,
    shifts: &[Uuid],
    from: i64,
    to: i64,
) -> DomainResult<BTreeMap<Uuid, (Vec<String>, Vec<String>)>> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT stream_id, actor, kind FROM changes
          WHERE org_id = $1 AND stream_id = ANY ($2) AND position > $3 AND position <= $4
          ORDER BY position",
    )
    .bind(caller.org)
    .bind(shifts)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let mut by_shift: BTreeMap<Uuid, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for (shift, actor, kind) in rows {
        let (actors, kinds) = by_shift.entry(shift).or_default();
        if !actors.contains(&actor) {
            actors.push(actor);
        }
        kinds.push(kind);
    }
    Ok(by_shift)
}
