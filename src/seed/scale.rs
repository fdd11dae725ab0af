//! Scale data for benchmarks: thousands of workers and a year of published shifts, loaded with COPY.
//!
//! The rows are valid by construction (every shift inside its worker's employment and a schedule, no two
//! active shifts of a worker overlapping), so the load runs with row triggers off
//! (`session_replication_role = replica`) — the commit-time checks would otherwise queue millions of
//! trigger events. The exclusion constraints and unique indexes still judge every row. It all happens in
//! one transaction: an interrupted load leaves nothing behind.

use crate::ids::OrgId;
use crate::services::organisations;
use crate::store::DomainResult;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use sqlx::PgPool;
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
        format!("scale-{}x{}", self.workers, self.weeks)
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
    let mut tx = pool.begin().await?;
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
        writeln!(events, "{org}\t{employment}\temployment\t\\N\t{}\t\\N\tactive\t{{}}", ts(employed_from)).ok();
        participation(&mut parts, org, *employment, *worker, "employee", "employment", "active", employed_from, None);
        let home = locations[i % locations.len()];
        participation(&mut parts, org, *employment, home, "location", "employment", "active", employed_from, None);
    }
    for location in &locations {
        for week in 0..spec.weeks {
            let (start, end) = (origin + Duration::weeks(week as i64), origin + Duration::weeks(week as i64 + 1));
            let id = Uuid::new_v4();
            writeln!(events, "{org}\t{id}\tschedule\t\\N\t{}\t{}\tactive\t{{}}", ts(start), ts(end)).ok();
            participation(&mut parts, org, id, *location, "location", "schedule", "active", start, Some(end));
        }
    }
    copy(&mut tx, EVENTS_COPY, std::mem::take(&mut events)).await?;
    copy(&mut tx, PARTICIPATIONS_COPY, std::mem::take(&mut parts)).await?;
    progress(&format!("{} employments and {} weekly schedules", spec.workers, spec.locations * spec.weeks));

    // Shifts, each with an unpaid half-hour break: worker i works the five days from weekday i, early
    // (06:00) or late (14:00) by parity, for 8 hours give or take a quarter.
    let total = spec.shifts();
    let mut done = 0;
    for week in 0..spec.weeks {
        for (i, (worker, employment)) in workers.iter().zip(&employments).enumerate() {
            let location = locations[i % locations.len()];
            for day in 0..5 {
                let weekday = ((i + day) % 7) as i64;
                let hour = if i % 2 == 0 { 6 } else { 14 };
                let start = origin
                    + Duration::weeks(week as i64)
                    + Duration::days(weekday)
                    + Duration::hours(hour)
                    + Duration::minutes(15 * (i % 3) as i64);
                let end = start + Duration::minutes(8 * 60 - 15 + 15 * (day % 3) as i64);
                let shift = Uuid::new_v4();
                let role = ["cashier", "barista", "stock", "supervisor"][i % 4];
                writeln!(
                    events,
                    "{org}\t{shift}\tshift\t{employment}\t{}\t{}\tactive\t{{\"role\": \"{role}\"}}",
                    ts(start),
                    ts(end)
                )
                .ok();
                let lunch = start + Duration::hours(4);
                writeln!(
                    events,
                    "{org}\t{}\tbreak\t{shift}\t{}\t{}\tactive\t{{\"paid\": false}}",
                    Uuid::new_v4(),
                    ts(lunch),
                    ts(lunch + Duration::minutes(30))
                )
                .ok();
                participation(&mut parts, org, shift, *worker, "worker", "shift", "active", start, Some(end));
                participation(&mut parts, org, shift, location, "location", "shift", "active", start, Some(end));
                done += 1;
                if done % BATCH == 0 || done == total {
                    copy(&mut tx, EVENTS_COPY, std::mem::take(&mut events)).await?;
                    copy(&mut tx, PARTICIPATIONS_COPY, std::mem::take(&mut parts)).await?;
                    progress(&format!("shifts: {done} of {total} ({}%)", done * 100 / total));
                }
            }
        }
    }
    progress("committing");
    tx.commit().await?;
    // What autovacuum would soon do on a live database: statistics, and visibility maps for index-only scans.
    sqlx::query("VACUUM ANALYZE entities, events, participations").execute(pool).await?;
    progress("vacuumed and analysed");
    Ok(org)
}

const EVENTS_COPY: &str = "COPY events (org_id, id, event_type, parent_id, start_time, end_time, status, properties) FROM STDIN";
const PARTICIPATIONS_COPY: &str =
    "COPY participations (org_id, id, event_id, entity_id, participation_type, event_type, event_status, during) FROM STDIN";

#[allow(clippy::too_many_arguments)]
fn participation(
    out: &mut String,
    org: OrgId,
    event: Uuid,
    entity: Uuid,
    participation_type: &str,
    event_type: &str,
    status: &str,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
) {
    // An ongoing range has no upper bound at all (an empty quoted bound would be a value).
    let upper = end.map(|e| format!("\"{}\"", ts(e))).unwrap_or_default();
    writeln!(
        out,
        "{org}\t{}\t{event}\t{entity}\t{participation_type}\t{event_type}\t{status}\t[\"{}\",{upper})",
        Uuid::new_v4(),
        ts(start)
    )
    .ok();
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
