//! The scale benchmark: `./scripts/bench.sh [--workers N] [--weeks N] [--samples N]`.
//!
//! On generated data (by default 2,000 workers × 52 weeks ≈ 520,000 shifts) it prints:
//! - move-shift latency through the domain service, and the same statements replayed bare by `pgbench`
//!   (the ratio is what the service adds: Rust, sqlx, JSON payloads, the rules);
//! - one worker's overlap check (the rule engine's input queries plus the rules);
//! - the organisation's week query (every shift with its breaks and work periods);
//! - the same week as it stood at a past moment (time travel), through the service and bare, and the
//!   history page's read of one location's week compared between two moments;
//! - the server's resident memory while serving that week over HTTP;
//! - 1, 4 and 16 people moving one worker's shifts at once: latency, failures and deadlocks.

mod support;
// Only this benchmark storms; the module sits with the shared support, outside the bench targets.
#[path = "support/storm.rs"]
mod storm;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use mosaic::access::Role;
use mosaic::ids::{EntityId, EventId};
use mosaic::interval::Interval;
use mosaic::rules::{week_start, Thresholds};
use mosaic::seed::scale::{ensure_scale, ScaleSpec};
use mosaic::services::accounts::{self, tokens};
use mosaic::services::members::{self, NewMember};
use mosaic::services::time_travel::{self, Moment};
use mosaic::services::{attention, calendar, organisations, shifts, Caller};
use mosaic::store;
use sqlx::PgPool;
use std::process::{Command, Stdio};
use std::time::{Duration as StdDuration, Instant};
use support::{pgbench_latencies, summary};

struct Args {
    workers: usize,
    weeks: usize,
    samples: usize,
}

fn args() -> Args {
    let mut args = Args { workers: 2000, weeks: 52, samples: 300 };
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < raw.len() {
        let value = raw.get(i + 1).and_then(|v| v.parse().ok());
        match (raw[i].as_str(), value) {
            ("--workers", Some(v)) => args.workers = v,
            ("--weeks", Some(v)) => args.weeks = v,
            ("--samples", Some(v)) => args.samples = v,
            ("--bench", _) => {
                i += 1;
                continue;
            }
            (other, _) => {
                eprintln!("unknown or incomplete argument {other}; use --workers N --weeks N --samples N");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    args
}

#[tokio::main]
async fn main() {
    let args = args();
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL names the benchmark database");
    let pool = store::connect(&url, 4).await.expect("connect");
    store::MIGRATOR.run(&pool).await.expect("migrate");

    let first_monday = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let spec = ScaleSpec { workers: args.workers, weeks: args.weeks, locations: (args.workers / 200).max(1), first_monday };
    println!("== scale data: {} workers × {} weeks ≈ {} shifts", spec.workers, spec.weeks, spec.shifts());
    let started = Instant::now();
    let org = ensure_scale(&pool, spec, &mut |step| println!("   {step}")).await.expect("load scale data");
    println!("   ready in {:.1} s", started.elapsed().as_secs_f64());
    let caller = Caller::system(org, "bench");
    let week = Utc.from_utc_datetime_naive(first_monday) + Duration::weeks((args.weeks / 2) as i64);

    let (service_p50, service_p95) = move_shift_through_service(&pool, &caller, week, args.samples).await;
    let bare = move_shift_bare(&pool, &caller, week, args.samples).await;
    let round_trip = round_trip_floor(&pool).await;
    let (overlap_p50, overlap_p95) = overlap_check(&pool, &caller, week, args.samples).await;
    let (week_p50, week_p95, week_rows) = organisation_week(&pool, &caller, week).await;
    let history = week_as_of(&pool, &caller, week, args.samples).await;
    let token = bench_token(&pool, &caller).await;
    let rss = server_memory(&url, &token, week).await;
    let storms = one_worker_storms(&url, &caller, week).await;

    println!();
    println!("== results ({} samples each; milliseconds)", args.samples);
    println!("move shift, domain service   p50 {service_p50:7.2}   p95 {service_p95:7.2}   (target p95 < 5)");
    match bare {
        Some((p50, p95)) => println!(
            "move shift, bare SQL pgbench p50 {p50:7.2}   p95 {p95:7.2}   ratio p50 {:.2}×, p95 {:.2}× (target ≤ 1.3×)",
            service_p50 / p50,
            service_p95 / p95
        ),
        None => println!("move shift, bare SQL pgbench  (pgbench not found: set PGBENCH)"),
    }
    if let Some((driver, bare)) = round_trip {
        println!("one round trip (SELECT 1)    sqlx {driver:7.3}   pgbench {bare:7.3}   (the floor under every statement above)");
    }
    println!("one worker's overlap check   p50 {overlap_p50:7.2}   p95 {overlap_p95:7.2}   (target < 2)");
    println!("organisation week ({week_rows} shifts) p50 {week_p50:7.2}   p95 {week_p95:7.2}   (target < 50)");
    println!(
        "time travel: {} changes in the log, {} shift versions ({}) in shift_history",
        history.changes, history.versions, history.history_size
    );
    let (p50, p95) = history.organisation;
    println!(
        "organisation week as it stood at change {} ({} shifts) p50 {p50:7.2}   p95 {p95:7.2}   (target < 100)",
        history.position, history.organisation_rows
    );
    if let Some((bare50, bare95)) = history.organisation_bare {
        println!(
            "   the same statement, bare SQL pgbench p50 {bare50:7.2}   p95 {bare95:7.2}   ratio p50 {:.2}×, p95 {:.2}×",
            p50 / bare50,
            p95 / bare95
        );
    }
    let (p50, p95) = history.location;
    println!("one location's week as it stood then ({} shifts) p50 {p50:7.2}   p95 {p95:7.2}", history.location_rows);
    let (p50, p95) = history.page;
    println!(
        "history page: that week against 17 days earlier ({} differences) p50 {p50:7.2}   p95 {p95:7.2}",
        history.differences
    );
    match rss {
        Ok((rss, peak)) => println!("server memory serving that week: resident {rss} MB, peak {peak} MB (target < 150)"),
        Err(why) => println!("server memory: not measured: {why}"),
    }
    let alone = storms.first().map(|s| s.p50).unwrap_or(f64::NAN);
    for s in &storms {
        println!(
            "{:2} writers on one worker ({} moves in {:.1} s)  p50 {:7.2}   p95 {:7.2}   max {:7.2}   p50 {:.1}× one writer's   failures {}   deadlocks {}{}",
            s.writers,
            storm::MOVES,
            s.seconds,
            s.p50,
            s.p95,
            s.max,
            s.p50 / alone,
            s.failures,
            s.deadlocks,
            if s.writers == 16 { "   (target: p95 < 100, no failures, no deadlocks)" } else { "" }
        );
        if let Some(why) = &s.first_failure {
            println!("   first failure: {why}");
        }
    }
}

/// The storm at 1, 4 and 16 writers, each with a connection of its own, as that many browsers against
/// a server would have. A server's pool is long-lived, so the connections are opened and have prepared
/// their statements before anything is timed: one untimed storm at 16 writers first. Without it the
/// first timed run at 16 also measures twelve new connections (their p95 about doubles).
async fn one_worker_storms(url: &str, caller: &Caller, week: DateTime<Utc>) -> Vec<storm::Storm> {
    println!("== {} moves of one worker's shifts by 1, 4 and 16 people at once", storm::MOVES);
    let pool = store::connect(url, 16).await.expect("connect the writers");
    let shifts = storm::busiest_worker(&pool, caller, week).await;
    if shifts.len() < storm::SHIFTS {
        println!("   not measured: no worker has {} shifts from that week on", storm::SHIFTS);
        return vec![];
    }
    let warm_up = storm::run(&pool, caller, &shifts, 16).await;
    println!("   connections warmed: 16 writers untimed ({} failures)", warm_up.failures);
    let mut storms = Vec::new();
    for writers in [1, 4, 16] {
        storms.push(storm::run(&pool, caller, &shifts, writers).await);
    }
    storms
}

trait FromNaive {
    fn from_utc_datetime_naive(&self, d: NaiveDate) -> DateTime<Utc>;
}

impl FromNaive for Utc {
    fn from_utc_datetime_naive(&self, d: NaiveDate) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN))
    }
}

/// Active shifts starting in the week, in random order, with what a move needs.
async fn sample_shifts(
    pool: &PgPool,
    caller: &Caller,
    week: DateTime<Utc>,
    n: usize,
) -> Vec<(EventId, EntityId, DateTime<Utc>, DateTime<Utc>, EventId)> {
    sqlx::query_as(
        "SELECT e.id, w.entity_id, e.start_time, e.end_time, e.parent_id FROM events e
           JOIN participations w ON w.org_id = e.org_id AND w.event_id = e.id AND w.participation_type = 'worker'
          WHERE e.org_id = $1 AND e.event_type = 'shift' AND e.status = 'active'
            AND e.start_time >= $2 AND e.start_time < $3 AND extract(isodow FROM e.start_time) < 7
          ORDER BY random() LIMIT $4",
    )
    .bind(caller.org)
    .bind(week)
    .bind(week + Duration::days(7))
    .bind(n as i64 * 2)
    .fetch_all(pool)
    .await
    .expect("sample shifts")
}

async fn move_shift_through_service(pool: &PgPool, caller: &Caller, week: DateTime<Utc>, n: usize) -> (f64, f64) {
    println!("== move shift through the domain service ({n} moves of a quarter hour)");
    let sample = sample_shifts(pool, caller, week, n).await;
    let mut ms = Vec::new();
    for (i, (id, _, start, end, _)) in sample.iter().take(n + 20).enumerate() {
        let version = shifts::get(pool, caller, *id).await.expect("get").version;
        let patch = shifts::ShiftPatch {
            expected_version: version,
            start: Some(*start + Duration::minutes(15)),
            end: Some(*end + Duration::minutes(15)),
            ..Default::default()
        };
        let t = Instant::now();
        shifts::update(pool, caller, *id, patch).await.expect("move");
        if i >= 20 {
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    summary(ms)
}

/// The statements `shifts::update` runs for a move, in the same order, replayed by pgbench — the
/// wake-up for the change feed after the commit included (`store::commit`).
const PGBENCH_SCRIPT: &str = r#"
\set n random(1, :targets)
SELECT shift_id, worker_id, employment_id, new_start, new_end, win_start, win_end FROM bench_targets WHERE n = :n \gset
BEGIN;
SELECT changes_begin_writing();
SELECT entity_id FROM participations WHERE org_id = :org AND event_id = :shift_id AND participation_type = 'worker' LIMIT 1;
SELECT pg_advisory_xact_lock(timesheet_lock_key(:org, :worker_id));
SELECT id, event_type, parent_id, start_time, end_time, status, properties, version FROM events WHERE org_id = :org AND id = :shift_id AND event_type = 'shift' FOR UPDATE;
SELECT e.id, e.parent_id AS employment_id, e.start_time, e.end_time, e.status, e.version, e.properties ->> 'role' AS role, e.properties ->> 'notes' AS notes, w.entity_id AS worker_id, we.name AS worker_name, l.entity_id AS location_id FROM events e JOIN participations w ON w.org_id = e.org_id AND w.event_id = e.id AND w.participation_type = 'worker' JOIN entities we ON we.org_id = e.org_id AND we.id = w.entity_id JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location' WHERE e.org_id = :org AND e.event_type = 'shift' AND e.id = :shift_id;
SELECT parent_id, id, event_type, start_time, end_time, coalesce((properties ->> 'paid')::boolean, false) FROM events WHERE org_id = :org AND event_type IN ('break', 'work_period') AND status <> 'cancelled' AND parent_id = :shift_id ORDER BY start_time;
SELECT properties_schema FROM event_types WHERE org_id = :org AND name = 'shift';
SELECT event_id, event_status FROM participations WHERE org_id = :org AND entity_id = (SELECT entity_id FROM participations WHERE org_id = :org AND event_id = :shift_id AND participation_type = 'location') AND event_type = 'schedule' AND participation_type = 'location' AND event_status <> 'cancelled' AND during @> :new_start::timestamptz;
SELECT event_id FROM participations WHERE org_id = :org AND entity_id = :worker_id AND event_type = 'employment' AND participation_type = 'employee' AND event_status IN ('active', 'completed') AND during @> tstzrange(:new_start, :new_end, '[)') LIMIT 1;
UPDATE events SET parent_id = :employment_id, start_time = :new_start, end_time = :new_end, status = 'active', properties = properties, version = version + 1 WHERE org_id = :org AND id = :shift_id RETURNING version;
UPDATE events SET start_time = start_time + make_interval(secs => 900), end_time = end_time + make_interval(secs => 900) WHERE org_id = :org AND parent_id = :shift_id;
SELECT e.id, e.parent_id AS employment_id, e.start_time, e.end_time, e.status, e.version, e.properties ->> 'role' AS role, e.properties ->> 'notes' AS notes, w.entity_id AS worker_id, we.name AS worker_name, l.entity_id AS location_id FROM events e JOIN participations w ON w.org_id = e.org_id AND w.event_id = e.id AND w.participation_type = 'worker' JOIN entities we ON we.org_id = e.org_id AND we.id = w.entity_id JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location' WHERE e.org_id = :org AND e.event_type = 'shift' AND e.id = :shift_id;
SELECT parent_id, id, event_type, start_time, end_time, coalesce((properties ->> 'paid')::boolean, false) FROM events WHERE org_id = :org AND event_type IN ('break', 'work_period') AND status <> 'cancelled' AND parent_id = :shift_id ORDER BY start_time;
INSERT INTO changes (org_id, stream_id, stream_type, stream_version, actor_id, actor, kind, payload) VALUES (:org, :shift_id, 'shift', (SELECT version FROM events WHERE org_id = :org AND id = :shift_id), NULL, 'pgbench', 'shift.moved', (SELECT payload FROM bench_payload));
SELECT t.rules, o.time_zone FROM event_types t JOIN organisations o ON o.id = t.org_id WHERE t.org_id = :org AND t.name = 'shift';
SELECT p.event_id, lower(p.during), upper(p.during), p.event_status FROM participations p WHERE p.org_id = :org AND p.entity_id = :worker_id AND p.event_type = 'shift' AND p.participation_type = 'worker' AND p.event_status <> 'cancelled' AND p.during && tstzrange(:win_start, :win_end, '[)');
SELECT parent_id, start_time, end_time, coalesce((properties ->> 'paid')::boolean, false) FROM events WHERE org_id = :org AND parent_id IN (SELECT event_id FROM participations WHERE org_id = :org AND entity_id = :worker_id AND event_type = 'shift' AND participation_type = 'worker' AND during && tstzrange(:win_start, :win_end, '[)')) AND event_type = 'break' AND status <> 'cancelled';
SELECT lower(during), upper(during) FROM participations WHERE org_id = :org AND entity_id = :worker_id AND event_type = 'employment' AND participation_type = 'employee' AND event_status IN ('active', 'completed') AND during && tstzrange(:win_start, :win_end, '[)');
UPDATE attention_items SET status = 'resolved', resolved_at = now() WHERE org_id = :org AND worker_id = :worker_id AND status <> 'resolved' AND span <@ tstzrange(:win_start, :win_end, '[)') AND NOT (fingerprint = ANY ('{}'::text[]));
COMMIT;
SELECT pg_notify('mosaic_changes', '');
"#;

async fn move_shift_bare(pool: &PgPool, caller: &Caller, week: DateTime<Utc>, n: usize) -> Option<(f64, f64)> {
    let pgbench = std::env::var("PGBENCH").unwrap_or_else(|_| "pgbench".into());
    if Command::new(&pgbench).arg("--version").output().is_err() {
        return None;
    }
    println!("== the same statements, bare, through pgbench ({n} transactions)");
    let sample = sample_shifts(pool, caller, week + Duration::days(7), n).await;
    let thresholds = Thresholds::default();
    sqlx::query("DROP TABLE IF EXISTS bench_targets, bench_payload").execute(pool).await.ok()?;
    sqlx::query(
        "CREATE TABLE bench_targets (n int PRIMARY KEY, shift_id uuid, worker_id uuid, employment_id uuid,
            new_start timestamptz, new_end timestamptz, win_start timestamptz, win_end timestamptz)",
    )
    .execute(pool)
    .await
    .ok()?;
    // A payload the size of the service's before/after snapshot of a shift.
    let view = shifts::get(pool, caller, sample[0].0).await.ok()?;
    sqlx::query("CREATE TABLE bench_payload AS SELECT $1::jsonb AS payload")
        .bind(serde_json::json!({ "before": view, "after": view }))
        .execute(pool)
        .await
        .ok()?;
    for (i, (id, worker, start, end, employment)) in sample.iter().enumerate() {
        let (new_start, new_end) = (*start + Duration::minutes(15), *end + Duration::minutes(15));
        let win_start = week_start(*start - Duration::days(8), &thresholds);
        let win_end = week_start(new_end + Duration::days(15), &thresholds);
        sqlx::query("INSERT INTO bench_targets VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(i as i32 + 1)
            .bind(id)
            .bind(worker)
            .bind(employment)
            .bind(new_start)
            .bind(new_end)
            .bind(win_start)
            .bind(win_end)
            .execute(pool)
            .await
            .ok()?;
    }
    let ms = pgbench_latencies(
        "move",
        PGBENCH_SCRIPT,
        &[("org", caller.org.to_string()), ("targets", sample.len().to_string())],
        n,
        20,
    )?;
    sqlx::query("DROP TABLE IF EXISTS bench_targets, bench_payload").execute(pool).await.ok()?;
    Some(summary(ms))
}

/// Runs `script` through pgbench `warmup + n` times on one connection with prepared statements and
/// returns the latency of each of the last `n`, in milliseconds. `None` without pgbench.
/// What one statement costs with nothing in it, through sqlx and through pgbench: the part of the
/// move-shift ratio that is the client library's rather than the service's.
async fn round_trip_floor(pool: &PgPool) -> Option<(f64, f64)> {
    let mut conn = pool.acquire().await.ok()?;
    let n = 2000;
    let t = Instant::now();
    for _ in 0..n {
        sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&mut *conn).await.ok()?;
    }
    let driver = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let pgbench = std::env::var("PGBENCH").unwrap_or_else(|_| "pgbench".into());
    let dir = std::env::temp_dir().join(format!("mosaic-rt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let script = dir.join("select1.sql");
    std::fs::write(&script, "SELECT 1;\n").ok()?;
    let output = Command::new(&pgbench)
        .args(["-n", "-M", "prepared", "-c", "1", "-t", &n.to_string(), "-f"])
        .arg(&script)
        .arg(std::env::var("DATABASE_URL").ok()?)
        .output()
        .ok()?;
    std::fs::remove_dir_all(&dir).ok();
    let text = String::from_utf8_lossy(&output.stdout);
    let bare = text.lines().find(|l| l.starts_with("latency average"))?.split_whitespace().nth(3)?.parse().ok()?;
    Some((driver, bare))
}

async fn overlap_check(pool: &PgPool, caller: &Caller, week: DateTime<Utc>, n: usize) -> (f64, f64) {
    println!("== one worker's overlap check ({n} workers, one week each)");
    let thresholds = {
        let mut conn = pool.acquire().await.expect("connection");
        organisations::thresholds(&mut conn, caller.org).await.expect("thresholds")
    };
    let workers: Vec<EntityId> =
        sqlx::query_scalar("SELECT id FROM entities WHERE org_id = $1 AND entity_type = 'worker' ORDER BY random() LIMIT $2")
            .bind(caller.org)
            .bind(n as i64)
            .fetch_all(pool)
            .await
            .expect("workers");
    let window = Interval { start: week, end: Some(week + Duration::days(7)) };
    let mut conn = pool.acquire().await.expect("connection");
    let mut ms = Vec::new();
    for worker in workers {
        let t = Instant::now();
        attention::evaluate_in(&mut conn, caller, worker, window, &thresholds).await.expect("evaluate");
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    summary(ms)
}

async fn organisation_week(pool: &PgPool, caller: &Caller, week: DateTime<Utc>) -> (f64, f64, usize) {
    println!("== the organisation's week");
    let mut ms = Vec::new();
    let mut rows = 0;
    for _ in 0..20 {
        let t = Instant::now();
        rows = calendar::organisation_week(pool, caller, week).await.expect("week").len();
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, p95) = summary(ms);
    (p50, p95, rows)
}

struct AsOf {
    changes: i64,
    versions: i64,
    history_size: String,
    position: i64,
    organisation: (f64, f64),
    organisation_rows: usize,
    organisation_bare: Option<(f64, f64)>,
    location: (f64, f64),
    location_rows: usize,
    page: (f64, f64),
    differences: usize,
}

/// The week as it stood when it began — every shift of it published by then, and the log running on
/// for half a year after — read through the service and bare, for the organisation, for one location,
/// and as the history page reads it (compared with 17 days earlier, when it was still being drafted).
async fn week_as_of(pool: &PgPool, caller: &Caller, week: DateTime<Utc>, n: usize) -> AsOf {
    println!("== the week as it stood at a past moment");
    let (changes, versions, history_size): (i64, i64, String) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM changes WHERE org_id = $1), (SELECT count(*) FROM shift_history WHERE org_id = $1),
                pg_size_pretty(pg_total_relation_size('shift_history'))",
    )
    .bind(caller.org)
    .fetch_one(pool)
    .await
    .expect("history size");
    let moment = |m: Moment| async move {
        time_travel::moment(pool, caller, m, chrono_tz::UTC).await.expect("moment").expect("the log reaches back that far")
    };
    let then = moment(Moment::Instant(week)).await;
    let drafting = moment(Moment::Instant(week - Duration::days(17))).await;
    let period = Interval { start: week, end: Some(week + Duration::days(7)) };
    let location: EntityId =
        sqlx::query_scalar("SELECT id FROM entities WHERE org_id = $1 AND entity_type = 'location' ORDER BY name LIMIT 1")
            .bind(caller.org)
            .fetch_one(pool)
            .await
            .expect("a location");

    let runs = n.clamp(10, 50);
    let mut timed = Vec::new();
    let mut organisation_rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        organisation_rows = time_travel::shifts_as_of(pool, caller, period, then.position, None).await.expect("as of").len();
        timed.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let organisation = summary(timed);
    let script = "SELECT state FROM shift_history WHERE org_id = :org AND during && tstzrange(:start::timestamptz, :end::timestamptz, '[)') \
                  AND known @> :at::bigint AND status <> 'cancelled' AND (NULL::uuid IS NULL OR location_id = NULL::uuid);\n";
    let vars = [
        ("org", caller.org.to_string()),
        ("start", period.start.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        ("end", (week + Duration::days(7)).format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        ("at", then.position.to_string()),
    ];
    let organisation_bare = pgbench_latencies("asof", script, &vars, runs, 5).map(summary);

    let mut timed = Vec::new();
    let mut location_rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        location_rows =
            time_travel::shifts_as_of(pool, caller, period, then.position, Some(location)).await.expect("as of").len();
        timed.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let location_week = summary(timed);

    let mut timed = Vec::new();
    let mut differences = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let page = time_travel::week(
            pool,
            caller,
            Some(location),
            Some(week.date_naive()),
            Moment::Position(then.position),
            Some(Moment::Position(drafting.position)),
        )
        .await
        .expect("history page");
        differences = page.differences.len();
        timed.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    AsOf {
        changes,
        versions,
        history_size,
        position: then.position,
        organisation,
        organisation_rows,
        organisation_bare,
        location: location_week,
        location_rows,
        page: summary(timed),
        differences,
    }
}

/// An API token of an administrator of the scale organisation (added on the first run), for reading the
/// week over HTTP as a client would.
async fn bench_token(pool: &PgPool, caller: &Caller) -> String {
    const EMAIL: &str = "bench@scale.mosaic.test";
    let existing = members::list(pool, caller).await.expect("members").into_iter().find(|m| m.email == EMAIL);
    let user_id = match existing {
        Some(member) => member.user_id,
        None => {
            let new = NewMember {
                email: EMAIL.into(),
                name: Some("Benchmark".into()),
                // Never signed in with: the benchmark uses the token below.
                password: Some(uuid::Uuid::new_v4().to_string()),
                role: Role::Admin,
                worker_id: None,
                location_ids: vec![],
            };
            members::add(pool, caller, new).await.expect("add the benchmark's member").user_id
        }
    };
    let mut conn = pool.acquire().await.expect("connection");
    let member = accounts::caller_for(&mut conn, caller.org, user_id).await.expect("caller").expect("a member");
    tokens::create(pool, &member, "benchmark").await.expect("token").token
}

/// Starts the release server on the benchmark database and reads its memory after it has served the
/// organisation's week twenty times (each answered 200, or the measurement says so).
async fn server_memory(url: &str, token: &str, week: DateTime<Utc>) -> Result<(u64, u64), String> {
    let binary = std::path::Path::new("target/release/server");
    if !binary.exists() {
        return Err("target/release/server is not built (cargo leptos build --release)".into());
    }
    println!("== server memory while serving the week");
    let address = "127.0.0.1:3197";
    let mut child = Command::new(binary)
        .env("DATABASE_URL", url)
        .env("MOSAIC_DEMO", "0")
        .env("MOSAIC_ADDR", address)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting the server: {e}"))?;
    let health = format!("http://{address}/api/v1/health");
    let mut up = false;
    for _ in 0..100 {
        if Command::new("curl").args(["-sf", &health]).stdout(Stdio::null()).status().map(|s| s.success()).unwrap_or(false) {
            up = true;
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(200)).await;
    }
    let mut result = Err("the server did not become healthy (is it built from this checkout?)".to_string());
    if up {
        let uri = format!("http://{address}/api/v1/organisation-week?start={}", week.format("%Y-%m-%dT%H:%M:%SZ"));
        let bearer = format!("Authorization: Bearer {token}");
        let mut answered = 0;
        for _ in 0..20 {
            let status = Command::new("curl").args(["-sf", "-o", "/dev/null", "-H", &bearer, &uri]).status();
            answered += usize::from(status.is_ok_and(|s| s.success()));
        }
        if answered < 20 {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("only {answered} of 20 requests for the week were answered 200"));
        }
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
        let kb = |key: &str| {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        };
        result = match (kb("VmRSS:"), kb("VmHWM:")) {
            (Some(rss), Some(peak)) => Ok((rss / 1024, peak / 1024)),
            _ => Err("could not read the server's memory from /proc".into()),
        };
    }
    let _ = child.kill();
    let _ = child.wait();
    result
}
