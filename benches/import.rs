//! The roster import benchmark: `DATABASE_URL=… cargo bench -p mosaic --features server --bench import -- [--rows N]`.
//!
//! Generates roster files of N/16, N/4 and N workers (by default 10,000) across four locations, each
//! with email, phone, external id, employment start, weekly hours and rate, and for each size prints the
//! check, the import (one transaction), importing the same file again (which must change nothing), and
//! beside them PostgreSQL's own `COPY` of the same file into a bare table: the floor for getting those
//! bytes into the database at all. Then, for each size, a shifts file with one shift per imported
//! worker (their location, the same week, a break, every other one asking for a position they hold)
//! checked, imported as drafts, and imported again, beside its own `COPY`.

use mosaic::services::locations::{self, NewLocation};
use mosaic::services::positions::{self, NewPosition};
use mosaic::services::roster_import::{self, ImportOptions};
use mosaic::services::{organisations, shift_import, Caller};
use mosaic::store;
use mosaic::views::import::SlashDates;
use std::time::Instant;

fn rows_arg() -> usize {
    let raw: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    match raw.as_slice() {
        [] => 10_000,
        [flag, n] if flag == "--rows" => n.parse().unwrap_or_else(|_| usage()),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("use --rows N");
    std::process::exit(2)
}

const PLACES: [&str; 4] = ["Harbour", "Market", "Station", "Airport"];
const POSITIONS: [&str; 3] = ["Cashier", "Barista", "Stock"];

fn roster_file(rows: usize) -> String {
    let mut file = String::from("name;email;phone;external id;location;start;weekly hours;hourly rate;positions\n");
    for i in 0..rows {
        file.push_str(&format!(
            "Worker {i:05};worker{i}@bench.test;+351 21 {:03} {:04};E-{i:06};{};{:02}.{:02}.2026;{};{},{:02};{}\n",
            i % 1000,
            i % 10_000,
            PLACES[i % PLACES.len()],
            1 + i % 28,
            1 + i % 12,
            [20, 30, 38, 40][i % 4],
            11 + i % 9,
            (i * 7) % 100,
            POSITIONS[i % POSITIONS.len()],
        ));
    }
    file
}

/// One shift per worker of [`roster_file`], in the week of 4 January 2027 (when all of them are
/// employed), spread over its seven days and three start times so that no worker works twice.
fn shifts_file(rows: usize) -> String {
    let mut file = String::from("date,start,end,worker,location,position,breaks,notes\n");
    for i in 0..rows {
        let (start, end, lunch) =
            [("06:00", "14:00", "10:00-10:30"), ("10:00", "18:00", "13:00-13:30"), ("14:00", "22:00", "18:00-18:30")][i % 3];
        let position = if i % 2 == 0 { POSITIONS[i % POSITIONS.len()] } else { "" };
        file.push_str(&format!(
            "2027-01-{:02},{start},{end},worker{i}@bench.test,{},{position},{lunch},Generated\n",
            4 + i % 7,
            PLACES[i % PLACES.len()],
        ));
    }
    file
}

#[tokio::main]
async fn main() {
    let full = rows_arg();
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL names the benchmark database");
    let pool = store::connect(&url, 4).await.expect("connect");
    store::MIGRATOR.run(&pool).await.expect("migrate");
    println!("== roster import: {} rows at 1×, 4× and 16× (milliseconds)", full);
    println!(
        "{:>7}  {:>8}  {:>8}  {:>10}  {:>9}  {:>8}  {:>11}",
        "rows", "check", "import", "rows/s", "again", "COPY", "import/COPY"
    );
    let mut shift_lines = Vec::new();
    for size in [full / 16, full / 4, full] {
        let size = size.max(1);
        let slug = format!("import-bench-{}", uuid::Uuid::new_v4().simple());
        let org = organisations::create(&pool, &slug, "Import bench", "Europe/Lisbon").await.expect("organisation");
        let caller = Caller::system(org, "bench");
        for place in PLACES {
            let new = NewLocation { name: place.into(), address: None, time_zone: "Europe/Lisbon".into(), capacity: None };
            locations::create(&pool, &caller, new).await.expect("location");
        }
        for name in POSITIONS {
            positions::create(&pool, &caller, NewPosition { name: name.into(), colour: None }).await.expect("position");
        }
        let file = roster_file(size);
        let options = ImportOptions::default();

        let started = Instant::now();
        let checked = roster_import::check(&pool, &caller, file.as_bytes(), options).await.expect("check");
        let check_ms = started.elapsed().as_secs_f64() * 1000.0;
        assert!(checked.problems.is_empty(), "{:?}", &checked.problems[..checked.problems.len().min(3)]);

        let started = Instant::now();
        let progress = |done: usize, total: usize| {
            if done % 2500 == 0 || done == total {
                eprintln!("   {done}/{total} rows written");
            }
        };
        let imported = roster_import::import(&pool, &caller, file.as_bytes(), options, &progress).await.expect("import");
        let import_ms = started.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(imported.new_workers, size);

        let started = Instant::now();
        let again = roster_import::import(&pool, &caller, file.as_bytes(), options, &|_, _| {}).await.expect("again");
        let again_ms = started.elapsed().as_secs_f64() * 1000.0;
        assert_eq!((again.new_workers, again.updated_workers, again.new_employments, again.new_rates), (0, 0, 0, 0));

        let copy_ms = copy_floor(&pool, &file, ROSTER_COPY).await;
        println!(
            "{size:>7}  {check_ms:>8.0}  {import_ms:>8.0}  {:>10.0}  {again_ms:>9.0}  {copy_ms:>8.1}  {:>10.0}×",
            size as f64 / (import_ms / 1000.0),
            import_ms / copy_ms
        );

        let shifts = shifts_file(size);
        let started = Instant::now();
        let checked = shift_import::check(&pool, &caller, shifts.as_bytes(), SlashDates::DayFirst).await.expect("check shifts");
        let check_ms = started.elapsed().as_secs_f64() * 1000.0;
        assert!(checked.problems.is_empty(), "{:?}", &checked.problems[..checked.problems.len().min(3)]);
        let started = Instant::now();
        let imported =
            shift_import::import(&pool, &caller, shifts.as_bytes(), SlashDates::DayFirst).await.expect("import shifts");
        let import_ms = started.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(imported.new_shifts, size);
        let started = Instant::now();
        let again = shift_import::import(&pool, &caller, shifts.as_bytes(), SlashDates::DayFirst).await.expect("shifts again");
        let again_ms = started.elapsed().as_secs_f64() * 1000.0;
        assert_eq!((again.new_shifts, again.unchanged_shifts), (0, size));
        let copy_ms = copy_floor(&pool, &shifts, SHIFTS_COPY).await;
        shift_lines.push(format!(
            "{size:>7}  {check_ms:>8.0}  {import_ms:>8.0}  {:>10.0}  {again_ms:>9.0}  {copy_ms:>8.1}  {:>10.0}×",
            size as f64 / (import_ms / 1000.0),
            import_ms / copy_ms
        ));
    }
    println!("== shifts import: one shift per worker, as drafts (milliseconds)");
    println!(
        "{:>7}  {:>8}  {:>8}  {:>10}  {:>9}  {:>8}  {:>11}",
        "rows", "check", "import", "rows/s", "again", "COPY", "import/COPY"
    );
    for line in shift_lines {
        println!("{line}");
    }
}

/// A bare table with a file's columns, and how `COPY` reads the file into it.
struct CopyInto {
    table: &'static str,
    columns: &'static str,
    options: &'static str,
}

const ROSTER_COPY: CopyInto = CopyInto {
    table: "roster_copy",
    columns:
        "name text, email text, phone text, external_id text, location text, start text, hours text, rate text, positions text",
    options: "FORMAT csv, HEADER true, DELIMITER ';'",
};

const SHIFTS_COPY: CopyInto = CopyInto {
    table: "shifts_copy",
    columns: "day text, start_time text, end_time text, worker text, location text, position text, breaks text, notes text",
    options: "FORMAT csv, HEADER true",
};

/// The same file through `COPY` into a bare table with its columns: no checks, no log, no events.
async fn copy_floor(pool: &sqlx::PgPool, file: &str, into: CopyInto) -> f64 {
    let mut conn = pool.acquire().await.expect("connection");
    let CopyInto { table, columns, options } = into;
    sqlx::query(&format!("CREATE TEMP TABLE IF NOT EXISTS {table} ({columns})")).execute(&mut *conn).await.expect("table");
    sqlx::query(&format!("TRUNCATE {table}")).execute(&mut *conn).await.expect("truncate");
    let started = Instant::now();
    let mut copy = conn.copy_in_raw(&format!("COPY {table} FROM STDIN ({options})")).await.expect("copy");
    copy.send(file.as_bytes()).await.expect("send");
    copy.finish().await.expect("finish");
    started.elapsed().as_secs_f64() * 1000.0
}
