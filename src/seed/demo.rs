//! The demo organisation the run command loads once: three locations in two time zones, about sixty
//! workers with employments, four weeks of schedules (last week, this week and next published; the week after in draft) and a handful of
//! deliberate conflicts for the manager's board. Written through the domain services, like any client.

use crate::access::Role;
use crate::ids::{EntityId, OrgId};
use crate::local_time::{local_week, WeekStart};
use crate::services::employments::{self, NewEmployment};
use crate::services::locations::{self, NewLocation};
use crate::services::members::{self, NewMember};
use crate::services::positions::{self, NewPosition};
use crate::services::shifts::{self, NewBreak, NewShift};
use crate::services::users;
use crate::services::{organisations, schedules, workers, Caller};
use crate::store::DomainResult;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;

pub const DEMO_SLUG: &str = "demo";

/// One person per role, so each screen can be tried as the person it is for. The passwords are public
/// (the run command prints them): this is demo data on a developer's machine.
pub struct DemoAccount {
    pub email: &'static str,
    pub password: &'static str,
    pub name: &'static str,
    pub role: Role,
}

pub const DEMO_ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount { email: "admin@demo.mosaic.test", password: "demo-admin-2026", name: "Alex Admin", role: Role::Admin },
    DemoAccount { email: "manager@demo.mosaic.test", password: "demo-manager-2026", name: "Maria Manager", role: Role::Manager },
    DemoAccount {
        email: "scheduler@demo.mosaic.test",
        password: "demo-scheduler-2026",
        name: "Sam Scheduler",
        role: Role::Scheduler,
    },
    DemoAccount { email: "worker@demo.mosaic.test", password: "demo-worker-2026", name: "Ada Albers", role: Role::Worker },
];
/// The scheduler plans this location; the worker account is this worker, who works there.
pub const DEMO_SCHEDULER_LOCATION: &str = "Berlin Mitte";
pub const DEMO_WORKER: &str = "Ada Albers";
const LOADING_SLUG: &str = "demo-loading";

const FIRST_NAMES: [&str; 20] = [
    "Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jonas", "Kemal", "Lena", "Mira", "Nils",
    "Olga", "Pia", "Quentin", "Rosa", "Samir", "Tilda",
];
const LAST_NAMES: [&str; 9] = ["Albers", "Brandt", "Costa", "Demir", "Engel", "Fischer", "Garcia", "Huber", "Ito"];
const ROLES: [&str; 4] = ["cashier", "barista", "stock", "supervisor"];

/// Loads the demo organisation unless it is already there; returns its id either way.
/// `owner`: a connection as the schema's owner, who alone may refresh the tables' statistics afterwards.
pub async fn ensure_demo(pool: &PgPool, owner: &PgPool, today: NaiveDate, progress: &mut dyn FnMut(&str)) -> DomainResult<OrgId> {
    if let Some(org) = organisations::find_by_slug(pool, DEMO_SLUG).await? {
        progress("demo data already loaded");
        ensure_demo_accounts(pool, org, progress).await?;
        return Ok(org);
    }
    // Loaded under a working name and renamed when complete, so an interrupted load is never taken for
    // the demo; its remains are set aside (the change log keeps them) and the load starts over.
    if let Some(abandoned) = organisations::find_by_slug(pool, LOADING_SLUG).await? {
        let aside = format!("demo-abandoned-{}", Utc::now().timestamp());
        organisations::rename(pool, abandoned, &aside).await?;
        progress(&format!("an interrupted demo load was set aside as {aside}"));
    }
    let org = organisations::create(pool, LOADING_SLUG, "Mosaic Demo Cafés", "Europe/Berlin").await?;
    let caller = Caller::system(org, "seed:demo");

    let sites = [
        ("Berlin Mitte", "Torstraße 1, Berlin", "Europe/Berlin"),
        ("Hamburg Hafen", "Hafenstraße 7, Hamburg", "Europe/Berlin"),
        ("New York SoHo", "120 Prince St, New York", "America/New_York"),
    ];
    let year_ago = Utc.from_utc_datetime(&(today - Duration::days(365)).and_time(NaiveTime::MIN));
    let first_monday = WeekStart::Monday.first_day_of(today) - Duration::days(7);
    // The demo's positions, one per role, in the palette's first colours.
    let mut position_of_role: Vec<EntityId> = Vec::new();
    for role in ROLES {
        let mut name = role.to_string();
        name[..1].make_ascii_uppercase();
        position_of_role.push(positions::create(pool, &caller, NewPosition { name, colour: None }).await?.id);
    }
    let mut staff_by_site: Vec<(EntityId, Tz, Vec<EntityId>)> = Vec::new();
    let mut names_by_site: Vec<Vec<String>> = Vec::new();
    let mut last_week_at_first_site: Vec<super::demo_time::Worked> = Vec::new();
    for (site_index, (name, address, zone)) in sites.iter().enumerate() {
        let location = locations::create(
            pool,
            &caller,
            NewLocation {
                name: name.to_string(),
                address: Some(address.to_string()),
                time_zone: zone.to_string(),
                capacity: Some(25),
            },
        )
        .await?;
        let tz: Tz = zone.parse().unwrap_or(chrono_tz::UTC);
        let mut staff = Vec::new();
        let mut names = Vec::new();
        for i in 0..20 {
            let n = site_index * 20 + i;
            let first = FIRST_NAMES[n % FIRST_NAMES.len()];
            let last = LAST_NAMES[(n / FIRST_NAMES.len() + n) % LAST_NAMES.len()];
            let worker = workers::create(
                pool,
                &caller,
                workers::NewWorker {
                    name: format!("{first} {last}"),
                    email: Some(format!("{}.{}{}@demo.mosaic.test", first, last, n).to_lowercase()),
                    phone: Some(format!("+49 30 5550 {:03}", 100 + n)),
                    external_id: Some(format!("D-{n:04}")),
                },
            )
            .await?;
            employments::create(
                pool,
                &caller,
                NewEmployment {
                    worker_id: worker.id,
                    location_id: Some(location.id),
                    start: year_ago,
                    end: None,
                    title: Some(ROLES[n % ROLES.len()].to_string()),
                    contract_hours: Some(if n % 4 == 3 { 20.0 } else { 38.0 }),
                },
            )
            .await?;
            // Each holds the position of their role, and every third one can also serve at the till.
            let mut held = vec![position_of_role[n % ROLES.len()]];
            if n % 3 == 0 {
                held.push(position_of_role[0]);
            }
            let held = crate::services::roster::HeldPositions { expected_version: worker.version, position_ids: held };
            crate::services::roster::set_positions(pool, &caller, worker.id, held, Utc::now()).await?;
            staff.push(worker.id);
            names.push(worker.name);
        }
        let currency = if *zone == "America/New_York" { "USD" } else { "EUR" };
        super::demo_time::give_rates(pool, &caller, &staff, currency, today - Duration::days(365)).await?;
        progress(&format!("{name}: 20 workers with employments and pay rates"));
        staff_by_site.push((location.id, tz, staff));
        names_by_site.push(names);
    }

    for (site, (location, tz, staff)) in staff_by_site.iter().enumerate() {
        for week in 0..4 {
            let monday = first_monday + Duration::weeks(week);
            let period = local_week(monday, *tz);
            let schedule = schedules::create(
                pool,
                &caller,
                schedules::NewSchedule { location_id: *location, start: period.start, end: period.end.unwrap_or(period.start) },
            )
            .await?;
            for (i, worker) in staff.iter().enumerate() {
                for day in 0..5 {
                    // Two rotas, early (07–15) for even-numbered workers and late (14–22) for the others;
                    // worker i works the five days from weekday i.
                    let weekday = (i + day) % 7;
                    let late = i % 2 == 1;
                    let start = local_at(*tz, monday + Duration::days(weekday as i64), if late { 14 } else { 7 });
                    let role = (ROLES[i % ROLES.len()], position_of_role[i % ROLES.len()]);
                    plan_shift(pool, &caller, *worker, *location, start, 8, Some(role.0), Some(role.1)).await?;
                    if site == 0 && week == 0 {
                        last_week_at_first_site.push(super::demo_time::Worked {
                            worker: *worker,
                            name: names_by_site[0][i].clone(),
                            start,
                            lunch: start + Duration::hours(4),
                            end: start + Duration::hours(8),
                        });
                    }
                }
            }
            if week < 3 {
                schedules::publish(pool, &caller, schedule.id, schedule.version).await?;
            }
            progress(&format!(
                "week of {monday}: {} shifts planned{}",
                staff.len() * 5,
                if week < 3 { ", published" } else { ", draft" }
            ));
        }
    }

    // Deliberate conflicts in the draft week after next, for the manager's board.
    let (location, tz, staff) = &staff_by_site[0];
    let monday = first_monday + Duration::weeks(3);
    let day = |n: i64| monday + Duration::days(n);
    // A cover shift on top of worker 0's Wednesday early: a double booking.
    plan_shift(pool, &caller, staff[0], *location, local_at(*tz, day(2), 10), 4, Some("cover"), None).await?;
    // A Tuesday closing shift for worker 2, who opens on Wednesday: too little rest.
    plan_shift(pool, &caller, staff[2], *location, local_at(*tz, day(1), 15), 8, Some("closing"), None).await?;
    // Seven hours on worker 4's free Wednesday with no break.
    shifts::create(
        pool,
        &caller,
        NewShift {
            worker_id: staff[4],
            location_id: *location,
            start: local_at(*tz, day(2), 8),
            end: local_at(*tz, day(2), 15),
            role: Some("inventory".into()),
            position_id: None,
            notes: Some("No break planned yet".into()),
            breaks: vec![],
        },
    )
    .await?;
    // Two extra ten-hour days for worker 6: a week over the limit.
    for extra in [4, 5] {
        plan_shift(pool, &caller, staff[6], *location, local_at(*tz, day(extra), 8), 10, Some("event"), None).await?;
    }
    progress("added deliberate conflicts (a double booking, a short rest, a missing break, a long week)");
    // A request waiting on the manager: worker 8 asks for the Thursday and Friday she is planned on in
    // that week. Approving it makes those drafts hard conflicts.
    let asked = crate::services::time_off::NewTimeOff {
        worker_id: Some(staff[8]),
        kind: Some(crate::time_off::TimeOffKind::Vacation),
        first_day: Some(day(3)),
        last_day: Some(day(4)),
        note: Some("My sister's wedding".into()),
        ..Default::default()
    };
    crate::services::time_off::request(pool, &caller, asked).await?;
    progress("a request for time off waits on the manager");
    // Two open places on that Saturday, offered to whoever holds the first position once the week is
    // published.
    let open = crate::services::open_shifts::NewOpenShift {
        location_id: Some(*location),
        start: Some(local_at(*tz, day(5), 10)),
        end: Some(local_at(*tz, day(5), 18)),
        places: Some(2),
        position_id: Some(position_of_role[0]),
        role: Some("weekend market".into()),
        ..Default::default()
    };
    crate::services::open_shifts::offer(pool, &caller, open).await?;
    progress("two open places wait for the week to be published");
    last_week_at_first_site.sort_by_key(|w| w.start);
    super::demo_time::clock_shifts(pool, org, *location, &last_week_at_first_site, staff[3], progress).await?;
    ensure_demo_accounts(pool, org, progress).await?;
    // Fresh tables have no statistics until autovacuum comes round, and the first screens would be
    // planned blind (a 100-shift read was seen taking over a second that way).
    sqlx::query("ANALYZE entities, events, participations, attention_items, changes").execute(owner).await?;
    organisations::rename(pool, org, DEMO_SLUG).await?;
    Ok(org)
}

/// Gives each demo account its membership, creating the account if it does not exist yet (a demo loaded
/// by an earlier version, or set aside half-loaded, may have left some behind).
async fn ensure_demo_accounts(pool: &PgPool, org: OrgId, progress: &mut dyn FnMut(&str)) -> DomainResult<()> {
    let caller = Caller::system(org, "seed:demo");
    let existing: Vec<String> = members::list(pool, &caller).await?.into_iter().map(|m| m.email).collect();
    let location = locations::list(pool, &caller).await?.into_iter().find(|l| l.name == DEMO_SCHEDULER_LOCATION).map(|l| l.id);
    let worker = workers::search(pool, &caller, DEMO_WORKER, 1).await?.into_iter().next().map(|w| w.id);
    let mut added = 0;
    for account in &DEMO_ACCOUNTS {
        if existing.iter().any(|e| e == account.email) {
            continue;
        }
        let mut conn = pool.acquire().await?;
        let has_account = users::find_user(&mut conn, account.email).await?.is_some();
        drop(conn);
        members::add(
            pool,
            &caller,
            NewMember {
                email: account.email.to_string(),
                name: Some(account.name.to_string()),
                password: (!has_account).then(|| account.password.to_string()),
                role: account.role,
                worker_id: if account.role == Role::Worker { worker } else { None },
                location_ids: if account.role == Role::Scheduler { location.into_iter().collect() } else { Vec::new() },
            },
        )
        .await?;
        added += 1;
    }
    if added > 0 {
        progress(&format!("{added} demo accounts ready (one per role)"));
    }
    Ok(())
}

async fn plan_shift(
    pool: &PgPool,
    caller: &Caller,
    worker: EntityId,
    location: EntityId,
    start: DateTime<Utc>,
    hours: i64,
    role: Option<&str>,
    position_id: Option<EntityId>,
) -> DomainResult<()> {
    let end = start + Duration::hours(hours);
    let lunch = start + Duration::hours(hours / 2);
    let breaks =
        if hours > 6 { vec![NewBreak { start: lunch, end: lunch + Duration::minutes(30), paid: false }] } else { vec![] };
    shifts::create(
        pool,
        caller,
        NewShift {
            worker_id: worker,
            location_id: location,
            start,
            end,
            role: role.map(String::from),
            position_id,
            notes: None,
            breaks,
        },
    )
    .await?;
    Ok(())
}

fn local_at(tz: Tz, day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN));
    crate::local_time::local_instant(tz, local)
}
