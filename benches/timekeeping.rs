//! The timekeeping benchmark: `./scripts/bench-timekeeping.sh [--workers N] [--samples N]`.
//!
//! A mid-sized organisation (300 workers by default, one location in Berlin) with four weeks of
//! published shifts, every one of them clocked through the service as the workers would (in and out,
//! a few minutes off the plan) and the first three weeks approved. It prints:
//! - a punch through the service (pairing, matching and the attention items in the same transaction);
//! - approving a worker's week (pricing its periods into payroll pieces and locking it);
//! - reading a worker's timesheet, approved and not;
//! - the payroll of the three approved weeks, through the service and as one bare aggregate (pgbench).

mod support;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use mosaic::access::{Access, Role};
use mosaic::ids::EntityId;
use mosaic::services::compensation::{self, NewRate};
use mosaic::services::employments::{self, NewEmployment};
use mosaic::services::locations::{self, NewLocation};
use mosaic::services::shifts::{self, NewShift};
use mosaic::services::timekeeping::{self, NewPunch};
use mosaic::services::{organisations, payroll_export, schedules, timesheets, workers, Caller};
use mosaic::store::{self, Actor};
use mosaic::timekeeping::ClockDirection;
use sqlx::PgPool;
use std::time::Instant;
use support::{pgbench_latencies, summary};

const WEEKS: i64 = 4;
const APPROVED_WEEKS: i64 = 3;

fn first_monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
}

fn args() -> (usize, usize) {
    let (mut workers, mut samples) = (300, 200);
    let raw: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    for pair in raw.chunks(2) {
        match (pair[0].as_str(), pair.get(1).and_then(|v| v.parse().ok())) {
            ("--workers", Some(v)) => workers = v,
            ("--samples", Some(v)) => samples = v,
            (other, _) => {
                eprintln!("unknown or incomplete argument {other}; use --workers N --samples N");
                std::process::exit(2);
            }
        }
    }
    (workers, samples)
}

fn at(day: NaiveDate, hour: u32, minute: i64) -> DateTime<Utc> {
    let local = day.and_hms_opt(hour, 0, 0).unwrap();
    Berlin.from_local_datetime(&local).earliest().unwrap().with_timezone(&Utc) + Duration::minutes(minute)
}

/// The organisation, its workers, and the punch and approval latencies measured while generating them
/// (empty when it was already there).
struct Generated {
    org: mosaic::OrgId,
    workers: Vec<EntityId>,
    punch_ms: Vec<f64>,
    approve_ms: Vec<f64>,
}

async fn generate(pool: &PgPool, workers: usize) -> Generated {
    let slug = format!("timekeeping-{workers}");
    if let Some(org) = organisations::find_by_slug(pool, &slug).await.unwrap() {
        println!("   {slug} is already loaded");
        let ids: Vec<EntityId> =
            sqlx::query_scalar("SELECT id FROM entities WHERE org_id = $1 AND entity_type = 'worker' ORDER BY name, id")
                .bind(org)
                .fetch_all(pool)
                .await
                .unwrap();
        return Generated { org, workers: ids, punch_ms: vec![], approve_ms: vec![] };
    }
    let loading = format!("{slug}-loading");
    if let Some(stale) = organisations::find_by_slug(pool, &loading).await.unwrap() {
        organisations::rename(pool, stale, &format!("{slug}-abandoned-{}", Utc::now().timestamp())).await.unwrap();
    }
    let org = organisations::create(pool, &loading, "Timekeeping bench", "Europe/Berlin").await.unwrap();
    let caller = Caller::system(org, "bench");
    let location = locations::create(
        pool,
        &caller,
        NewLocation { name: "Bench café".into(), address: None, time_zone: "Europe/Berlin".into(), capacity: None },
    )
    .await
    .unwrap()
    .id;
    let start = at(first_monday(), 0, 0);
    let schedule = schedules::create(
        pool,
        &caller,
        schedules::NewSchedule { location_id: location, start, end: start + Duration::weeks(WEEKS) },
    )
    .await
    .unwrap();
    let mut ids = Vec::new();
    for i in 0..workers {
        let worker = workers::create(
            pool,
            &caller,
            workers::NewWorker { name: format!("Worker {i:04}"), email: None, phone: None, external_id: None },
        )
        .await
        .unwrap();
        employments::create(
            pool,
            &caller,
            NewEmployment {
                worker_id: worker.id,
                location_id: Some(location),
                start: start - Duration::weeks(4),
                end: None,
                title: None,
                contract_hours: None,
            },
        )
        .await
        .unwrap();
        let rate = NewRate {
            hourly_rate_cents: 1500 + (i as i64 % 10) * 50,
            currency: "EUR".into(),
            effective_from: first_monday() - Duration::weeks(4),
        };
        compensation::set_rate(pool, &caller, worker.id, rate).await.unwrap();
        ids.push(worker.id);
    }
    println!("   {workers} workers with employments and rates");
    // Five eight-hour shifts a week, early or late, from a weekday that differs by worker.
    let mut planned: Vec<(EntityId, DateTime<Utc>)> = Vec::new();
    for (i, worker) in ids.iter().enumerate() {
        for week in 0..WEEKS {
            for d in 0..5 {
                let day = first_monday() + Duration::weeks(week) + Duration::days(((i + d) % 7) as i64);
                let begins = at(day, if i % 2 == 0 { 7 } else { 14 }, 0);
                let new = NewShift {
                    worker_id: *worker,
                    location_id: location,
                    start: begins,
                    end: begins + Duration::hours(8),
                    role: Some("barista".into()),
                    position_id: None,
                    notes: None,
                    breaks: vec![],
                };
                shifts::create(pool, &caller, new).await.unwrap();
                planned.push((*worker, begins));
            }
        }
        if (i + 1) % 50 == 0 {
            println!("   shifts planned for {} of {workers} workers", i + 1);
        }
    }
    let current = schedules::get(pool, &caller, schedule.id).await.unwrap();
    schedules::publish(pool, &caller, schedule.id, current.version).await.unwrap();
    println!("   {} shifts published", planned.len());
    // A working database has statistics; without them every punch below would be planned blind.
    sqlx::query("ANALYZE entities, events, participations, attention_items, changes").execute(pool).await.unwrap();

    planned.sort_by_key(|(_, begins)| *begins);
    let mut punch_ms = Vec::new();
    for (n, (worker, begins)) in planned.iter().enumerate() {
        let me = Caller {
            org,
            actor: Actor::named("bench worker"),
            access: Access { role: Role::Worker, worker: Some(*worker), locations: vec![] },
        };
        let off = |k: usize| Duration::minutes(((n * 7 + k * 5) % 13) as i64 - 4);
        for (direction, when) in
            [(ClockDirection::In, *begins + off(1)), (ClockDirection::Out, *begins + Duration::hours(8) + off(2))]
        {
            let started = Instant::now();
            timekeeping::clock(pool, &me, NewPunch { direction, note: None, location_id: Some(location) }, when).await.unwrap();
            punch_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        if (n + 1) % 1000 == 0 {
            println!("   {} of {} shifts clocked", n + 1, planned.len());
        }
    }
    let mut approve_ms = Vec::new();
    for week in 0..APPROVED_WEEKS {
        for worker in &ids {
            let started = Instant::now();
            // Approved long after those weeks of January ended.
            timesheets::approve(pool, &caller, *worker, first_monday() + Duration::weeks(week), chrono::Utc::now())
                .await
                .unwrap();
            approve_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        println!("   week {} approved for everyone", week + 1);
    }
    // As the demo does after loading: fresh rows have no statistics until autovacuum comes round.
    sqlx::query("ANALYZE entities, events, participations, attention_items").execute(pool).await.unwrap();
    organisations::rename(pool, org, &slug).await.unwrap();
    Generated { org, workers: ids, punch_ms, approve_ms }
}

#[tokio::main]
async fn main() {
    let (workers, samples) = args();
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL names the benchmark database");
    let pool = store::connect(&url, 4).await.expect("connect");
    store::MIGRATOR.run(&pool).await.expect("migrate");
    println!("== timekeeping data: {workers} workers × {WEEKS} weeks, every shift clocked, {APPROVED_WEEKS} weeks approved");
    let started = Instant::now();
    let generated = generate(&pool, workers).await;
    println!("   ready in {:.1} s", started.elapsed().as_secs_f64());
    let caller = Caller::system(generated.org, "bench");

    let mut approved_read = Vec::new();
    let mut open_read = Vec::new();
    for n in 0..samples {
        let worker = generated.workers[n % generated.workers.len()];
        let t = Instant::now();
        timesheets::week(&pool, &caller, worker, Some(first_monday())).await.unwrap();
        approved_read.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        timesheets::week(&pool, &caller, worker, Some(first_monday() + Duration::weeks(APPROVED_WEEKS))).await.unwrap();
        open_read.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    let (from, to) = (first_monday(), first_monday() + Duration::weeks(APPROVED_WEEKS) - Duration::days(1));
    let rounds = (samples / 10).max(5);
    let mut payroll = Vec::new();
    let mut rows = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let view = payroll_export::summary(&pool, &caller, from, to).await.unwrap();
        payroll.push(t.elapsed().as_secs_f64() * 1000.0);
        rows = view.rows.len();
    }
    let pieces: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE org_id = $1 AND event_type = 'payroll_piece' AND status = 'active'",
    )
    .bind(generated.org)
    .fetch_one(&pool)
    .await
    .unwrap();
    let bare = pgbench_latencies(
        "payroll",
        "SELECT p.entity_id, e.properties ->> 'rate_type', sum((e.properties ->> 'hours')::float8),
                sum((e.properties ->> 'cost_cents')::bigint)
           FROM participations p JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
          WHERE p.org_id = :org AND p.event_type = 'payroll_piece' AND p.participation_type = 'worker'
            AND p.event_status = 'active' AND lower(p.during) >= :from AND lower(p.during) < :to
          GROUP BY 1, 2;\n",
        &[
            ("org", generated.org.to_string()),
            ("from", at(from, 0, 0).to_rfc3339()),
            ("to", at(to + Duration::days(1), 0, 0).to_rfc3339()),
        ],
        rounds,
        2,
    );

    println!();
    println!("== results (milliseconds)");
    if !generated.punch_ms.is_empty() {
        let (p50, p95) = summary(generated.punch_ms.clone());
        println!("clock in or out, domain service ({} punches)   p50 {p50:7.2}   p95 {p95:7.2}", generated.punch_ms.len());
        let (p50, p95) = summary(generated.approve_ms.clone());
        println!("approve a worker's week ({} weeks)              p50 {p50:7.2}   p95 {p95:7.2}", generated.approve_ms.len());
    } else {
        println!("clock in or out / approve: measured while generating; drop the organisation to measure again");
    }
    let (p50, p95) = summary(approved_read);
    println!("timesheet of an approved week ({samples} reads)     p50 {p50:7.2}   p95 {p95:7.2}");
    let (p50, p95) = summary(open_read);
    println!("timesheet of a week not approved ({samples} reads)  p50 {p50:7.2}   p95 {p95:7.2}");
    let (p50, p95) = summary(payroll);
    println!("payroll of {APPROVED_WEEKS} weeks ({pieces} pieces → {rows} rows), service p50 {p50:7.2}   p95 {p95:7.2}");
    match bare {
        Some(ms) => {
            let (b50, b95) = summary(ms);
            println!(
                "   the aggregate alone, bare SQL pgbench       p50 {b50:7.2}   p95 {b95:7.2}   ratio p50 {:.2}×, p95 {:.2}×",
                p50 / b50,
                p95 / b95
            );
        }
        None => println!("   bare SQL: pgbench not found (set PGBENCH)"),
    }
}
