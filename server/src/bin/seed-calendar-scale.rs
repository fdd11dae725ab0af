//! Loads a large roster for measuring the calendar: one location with N workers (2,000 unless told) and
//! three weeks of published shifts from Monday 5 January 2026, plus a manager to sign in as. Used by
//! `scripts/measure-calendar.sh`; safe to run again (the scale data loads once per size).

use chrono::NaiveDate;
use mosaic::access::Role;
use mosaic::seed::scale::{ensure_scale, ScaleSpec};
use mosaic::services::members::{self, NewMember};
use mosaic::services::Caller;
use mosaic::store;

pub const MANAGER_EMAIL: &str = "manager@scale.mosaic.test";
pub const MANAGER_PASSWORD: &str = "scale-manager-2026";

#[tokio::main]
async fn main() {
    let workers = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(2000);
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL names the database to load");
    let pool = store::connect(&url, 4).await.expect("connect to PostgreSQL");
    store::MIGRATOR.run(&pool).await.expect("migrate");
    let first_monday = NaiveDate::from_ymd_opt(2026, 1, 5).expect("a real date");
    let spec = ScaleSpec { workers, weeks: 3, locations: 1, first_monday };
    println!("== {workers} workers at one location, 3 weeks from {first_monday} ({} shifts)", spec.shifts());
    let org = ensure_scale(&pool, spec, &mut |step| println!("   {step}")).await.expect("load the roster");
    let manager = NewMember {
        email: MANAGER_EMAIL.into(),
        name: Some("Scale Manager".into()),
        password: Some(MANAGER_PASSWORD.into()),
        role: Role::Manager,
        worker_id: None,
        location_ids: vec![],
    };
    let system = Caller::system(org, "measurement setup");
    let existing = members::list(&pool, &system).await.expect("list members");
    if existing.iter().any(|m| m.email.eq_ignore_ascii_case(MANAGER_EMAIL)) {
        println!("   manager {MANAGER_EMAIL} already there");
    } else {
        members::add(&pool, &system, manager).await.expect("add the manager");
        println!("   manager {MANAGER_EMAIL} / {MANAGER_PASSWORD} added");
    }
    println!("   week to open: /?week={first_monday}");
}
