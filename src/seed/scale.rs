//! Scale data for benchmarks: thousands of workers and a year of published shifts with the change log
//! that planned them (≈ 2.4 changes a shift), loaded with COPY.
//!
//! The rows are valid by construction (every shift inside its worker's employment and a schedule, no two
//! active shifts of a worker overlapping), so the load runs with row triggers off
//! (`session_replication_role = replica`) — the commit-time checks would otherwise queue millions of
//! trigger events. The exclusion constraints and unique indexes still judge every row. It all happens in
//! one transaction: an interrupted load leaves nothing behind.

use crate::change_kind::ChangeKind;
use crate::hours::{shift_hours, BreakSpan};
use crate::ids::{EntityId, EventId, OrgId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::services::organisations;
use crate::store::DomainResult;
use crate::views::{BreakView, ShiftView};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::json;
use sqlx::PgPool;
use std::collections::HashMap;
use std::fmt::Write as _;
use uuid::Uuid;

#[derive(Clone, Copy, Debug)]
pub struct ScaleSpec {
    pub workers: usize,
    pub weeks: usize,
    pub locations: usize,
    /// The Monday the first week starts on.
    pub first_monday: NaiveDate,
}

impl ScaleSpec {
    /// One organisation per size, so a quick run and the full run can share a database.
    pub fn slug(&self) -> String {
        format!("scale-{}x{}-with-history", self.workers, self.weeks)
    }

    pub fn shifts(&self) -> usize {
        self.workers * self.weeks * 5
    }
}

/// Rows are sent to COPY in batches of this many.
const BATCH: usize = 20_000;

/// Loads the scale organisation unless it exists; returns its id.
pub async fn ensure_scale(pool: &PgPool, spec: ScaleSpec, progress: &mut dyn FnMut(&str)) -> DomainResult<OrgId> {
    if let Some(org) = organisations::find_by_slug(pool, &spec.slug()).await? {
        progress("scale data already loaded");
        return Ok(org);
    }
    let mut tx = crate::store::begin(pool).await?;
    let org = OrgId::new();
    sqlx::query("INSERT INTO organisations (id, slug, name, time_zone) VALUES ($1, $2, 'Scale test', 'UTC')")
        .bind(org)
        .bind(spec.slug())
        .execute(&mut *tx)
        .await?;
    sqlx::query("SET LOCAL session_replication_role = replica").execute(&mut *tx).await?;

    let locations: Vec<Uuid> = (0..spec.locations).map(|_| Uuid::new_v4()).collect();
    let workers: Vec<Uuid> = (0..spec.workers).map(|_| Uuid::new_v4()).collect();
    let employments: Vec<Uuid> = (0..spec.workers).map(|_| Uuid::new_v4()).collect();
    let origin = Utc.from_utc_datetime(&spec.first_monday.and_time(NaiveTime::MIN));
    let employed_from = origin - Duration::days(30);

    // Entities.
    let mut rows = String::new();
    for (i, id) in locations.iter().enumerate() {
        writeln!(rows, "{org}\t{id}\tlocation\tSite {i}\t{{\"time_zone\": \"UTC\", \"capacity\": 300}}").ok();
    }
    for (i, id) in workers.iter().enumerate() {
        writeln!(rows, "{org}\t{id}\tworker\tWorker {i:05}\t{{\"email\": \"worker{i}@scale.test\"}}").ok();
    }
    copy(&mut tx, "COPY entities (org_id, id, entity_type, name, properties) FROM STDIN", rows).await?;
    progress(&format!("{} locations and {} workers", spec.locations, spec.workers));

    // Employments and schedules, with their participations.
    let mut events = String::new();
    let mut parts = String::new();
    for (i, (worker, employment)) in workers.iter().zip(&employments).enumerate() {
        writeln!(events, "{org}\t{employment}\temployment\t\\N\t{}\t\\N\tactive\t{{}}\t1", ts(employed_from)).ok();
        let employed = Copied { id: *employment, event_type: "employment", start: employed_from, end: None };
        participation(&mut parts, org, &employed, *worker, "employee");
        participation(&mut parts, org, &employed, locations[i % locations.len()], "location");
    }
    let mut schedules = HashMap::new();
    for location in &locations {
        for week in 0..spec.weeks {
            let (start, end) = (origin + Duration::weeks(week as i64), origin + Duration::weeks(week as i64 + 1));
            let id = Uuid::new_v4();
            schedules.insert((*location, week), id);
            writeln!(events, "{org}\t{id}\tschedule\t\\N\t{}\t{}\tactive\t{{}}\t1", ts(start), ts(end)).ok();
            participation(&mut parts, org, &Copied { id, event_type: "schedule", start, end: Some(end) }, *location, "location");
        }
    }
    copy(&mut tx, EVENTS_COPY, std::mem::take(&mut events)).await?;
    copy(&mut tx, PARTICIPATIONS_COPY, std::mem::take(&mut parts)).await?;
    progress(&format!("{} employments and {} weekly schedules", spec.workers, spec.locations * spec.weeks));

    // Shifts, each with an unpaid half-hour break: worker i works the five days from weekday i, early
    // (06:00) or late (14:00) by parity, for 8 hours give or take a quarter. Each has the history a real
    // one has in the log: drafted three weeks ahead, two in five moved by an hour a day later, and
    // published with the week's schedule a few days after that (about 2.4 changes per shift).
    let total = spec.shifts();
    let mut done = 0;
    let mut log = String::new();
    for week in 0..spec.weeks {
        let week_start = origin + Duration::weeks(week as i64);
        let mut drafted = String::new();
        let mut moved = String::new();
        let mut published = String::new();
        let mut k = 0;
        for (i, (worker, employment)) in workers.iter().zip(&employments).enumerate() {
            let location = locations[i % locations.len()];
            for day in 0..5 {
                let weekday = ((i + day) % 7) as i64;
                let hour = if i % 2 == 0 { 6 } else { 14 };
                let start = week_start + Duration::days(weekday) + Duration::hours(hour) + Duration::minutes(15 * (i % 3) as i64);
                let end = start + Duration::minutes(8 * 60 - 15 + 15 * (day % 3) as i64);
                let shift = Uuid::new_v4();
                let lunch = (Uuid::new_v4(), start + Duration::hours(4));
                let role = ["cashier", "barista", "stock", "supervisor"][i % 4];
                let was_moved = (i + week + day) % 5 < 2;
                let version = if was_moved { 3 } else { 2 };
                writeln!(
                    events,
                    "{org}\t{shift}\tshift\t{employment}\t{}\t{}\tactive\t{{\"role\": \"{role}\"}}\t{version}",
                    ts(start),
                    ts(end)
                )
                .ok();
                writeln!(
                    events,
                    "{org}\t{}\tbreak\t{shift}\t{}\t{}\tactive\t{{\"paid\": false}}\t1",
                    lunch.0,
                    ts(lunch.1),
                    ts(lunch.1 + Duration::minutes(30))
                )
                .ok();
                let copied = Copied { id: shift, event_type: "shift", start, end: Some(end) };
                participation(&mut parts, org, &copied, *worker, "worker");
                participation(&mut parts, org, &copied, location, "location");

                let view = |version: i32, earlier: i64| {
                    let shifted = |t: DateTime<Utc>| t - Duration::hours(earlier);
                    let during = Interval { start: shifted(start), end: Some(shifted(end)) };
                    let lunch_during = Interval { start: shifted(lunch.1), end: Some(shifted(lunch.1) + Duration::minutes(30)) };
                    ShiftView {
                        id: EventId(shift),
                        worker_id: EntityId(*worker),
                        worker_name: format!("Worker {i:05}"),
                        location_id: EntityId(location),
                        employment_id: Some(EventId(*employment)),
                        during,
                        status: EventStatus::Draft,
                        role: Some(role.into()),
                        position: None,
                        notes: None,
                        version,
                        breaks: vec![BreakView { id: EventId(lunch.0), during: lunch_during, paid: false }],
                        work_periods: vec![],
                        hours: shift_hours(&during, &[BreakSpan { during: lunch_during, paid: false }]),
                    }
                };
                let at = |days: i64| week_start - Duration::days(days) + Duration::milliseconds(k);
                let first = view(1, if was_moved { 1 } else { 0 });
                change(&mut drafted, org, shift, 1, ChangeKind::ShiftCreated, at(21), &json!({ "after": first }));
                if was_moved {
                    let payload = json!({ "before": first, "after": view(2, 0) });
                    change(&mut moved, org, shift, 2, ChangeKind::ShiftMoved, at(20), &payload);
                }
                let payload = json!({ "schedule_id": schedules[&(location, week)], "worker_id": worker });
                change(&mut published, org, shift, version, ChangeKind::ShiftPublished, at(15), &payload);
                k += 1;
                done += 1;
                if done % BATCH == 0 || done == total {
                    copy(&mut tx, EVENTS_COPY, std::mem::take(&mut events)).await?;
                    copy(&mut tx, PARTICIPATIONS_COPY, std::mem::take(&mut parts)).await?;
                    progress(&format!("shifts: {done} of {total} ({}%)", done * 100 / total));
                }
            }
        }
        // In the order they happened, so log positions follow the clock as they do in use.
        log.push_str(&drafted);
        log.push_str(&moved);
        log.push_str(&published);
        if log.len() > 64 << 20 || week + 1 == spec.weeks {
            copy(&mut tx, CHANGES_COPY, std::mem::take(&mut log)).await?;
            progress(&format!("change log: weeks 1 to {} written", week + 1));
        }
    }
    // Row triggers were off for the load, so the time-travel history is built from the log here, by the
    // same function the trigger calls.
    let (first, last): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT min(position), max(position) FROM changes WHERE org_id = $1")
            .bind(org)
            .fetch_one(&mut *tx)
            .await?;
    if let (Some(first), Some(last)) = (first, last) {
        let step = 100_000;
        let mut from = first - 1;
        while from < last {
            let to = (from + step).min(last);
            sqlx::query("SELECT shift_history_replay($1, $2, $3)").bind(org).bind(from).bind(to).execute(&mut *tx).await?;
            progress(&format!("history: {} of {} changes replayed", to - first + 1, last - first + 1));
            from = to;
        }
    }
    progress("committing");
    tx.commit().await?;
    // What autovacuum would soon do on a live database: statistics, and visibility maps for index-only scans.
    sqlx::query("VACUUM ANALYZE entities, events, participations, changes, shift_history").execute(pool).await?;
    progress("vacuumed and analysed");
    Ok(org)
}

const EVENTS_COPY: &str =
    "COPY events (org_id, id, event_type, parent_id, start_time, end_time, status, properties, version) FROM STDIN";
const CHANGES_COPY: &str =
    "COPY changes (org_id, stream_id, stream_type, stream_version, actor, kind, occurred_at, recorded_at, payload)
     FROM STDIN";
const PARTICIPATIONS_COPY: &str =
    "COPY participations (org_id, id, event_id, entity_id, participation_type, event_type, event_status, during) FROM STDIN";

/// An event written to the COPY stream (always active), as its participations repeat it.
struct Copied {
    id: Uuid,
    event_type: &'static str,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
}

fn participation(out: &mut String, org: OrgId, event: &Copied, entity: Uuid, participation_type: &str) {
    // An ongoing range has no upper bound at all (an empty quoted bound would be a value).
    let upper = event.end.map(|e| format!("\"{}\"", ts(e))).unwrap_or_default();
    writeln!(
        out,
        "{org}\t{}\t{}\t{entity}\t{participation_type}\t{}\tactive\t[\"{}\",{upper})",
        Uuid::new_v4(),
        event.id,
        event.event_type,
        ts(event.start)
    )
    .ok();
}

/// One shift change, by the scheduler (drafts and moves) or the manager (publishing).
fn change(
    out: &mut String,
    org: OrgId,
    shift: Uuid,
    version: i32,
    kind: ChangeKind,
    at: DateTime<Utc>,
    payload: &serde_json::Value,
) {
    let actor = if kind == ChangeKind::ShiftPublished { "Scale Manager" } else { "Scale Scheduler" };
    // COPY's text format takes a backslash as an escape; JSON's own escapes must pass through whole.
    let payload = payload.to_string().replace('\\', "\\\\");
    let (stream, kind) = (kind.stream().as_str(), kind.as_str());
    writeln!(out, "{org}\t{shift}\t{stream}\t{version}\t{actor}\t{kind}\t{}\t{}\t{payload}", ts_ms(at), ts_ms(at)).ok();
}

fn ts_ms(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.3f+00").to_string()
}

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S+00").to_string()
}

async fn copy(conn: &mut sqlx::PgConnection, statement: &str, rows: String) -> DomainResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sink = conn.copy_in_raw(statement).await?;
    sink.send(rows.into_bytes()).await?;
    sink.finish().await?;
    Ok(())
}
