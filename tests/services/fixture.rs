use chrono::{DateTime, Duration, TimeZone, Utc};
use mosaic::ids::{EntityId, EventId};
use mosaic::services::employments::{self, NewEmployment};
use mosaic::services::locations::{self, NewLocation};
use mosaic::services::shifts::{self, NewBreak, NewShift};
use mosaic::services::{organisations, schedules, workers, Caller};
use mosaic::views::{ScheduleView, ShiftView};
use sqlx::PgPool;

/// An instant in March 2026; 2026-03-02 is a Monday.
pub fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

/// An organisation with one UTC location, a draft schedule for the first two weeks of March 2026, and
/// workers employed from 1 February.
pub struct World {
    /// Connected as the application role, as the server is: it owns nothing.
    pub pool: PgPool,
    /// The schema's owner, for what only the owner may try (and the database still refuses).
    pub owner: PgPool,
    pub caller: Caller,
    pub location: EntityId,
    pub schedule: ScheduleView,
}

impl World {
    pub async fn new(pool: PgPool) -> World {
        Self::named(pool, "acme").await
    }

    pub async fn named(owner: PgPool, slug: &str) -> World {
        let pool = application_pool(&owner).await;
        let org = organisations::create(&pool, slug, "Acme", "UTC").await.unwrap();
        let caller = Caller::system(org, "test");
        let location = locations::create(
            &pool,
            &caller,
            NewLocation { name: "Main street".into(), address: None, time_zone: "UTC".into(), capacity: None },
        )
        .await
        .unwrap()
        .id;
        let schedule =
            schedules::create(&pool, &caller, schedules::NewSchedule { location_id: location, start: at(2, 0), end: at(16, 0) })
                .await
                .unwrap();
        World { pool, owner, caller, location, schedule }
    }

    pub async fn employed_worker(&self, name: &str) -> EntityId {
        let worker = workers::create(
            &self.pool,
            &self.caller,
            workers::NewWorker { name: name.into(), email: None, phone: None, external_id: None },
        )
        .await
        .unwrap();
        employments::create(
            &self.pool,
            &self.caller,
            NewEmployment {
                worker_id: worker.id,
                location_id: Some(self.location),
                start: at(1, 0) - Duration::days(28),
                end: None,
                title: None,
                contract_hours: None,
            },
        )
        .await
        .unwrap();
        worker.id
    }

    pub fn new_shift(&self, worker: EntityId, start: DateTime<Utc>, hours: i64) -> NewShift {
        let end = start + Duration::hours(hours);
        let breaks = if hours > 6 {
            let lunch = start + Duration::hours(hours / 2);
            vec![NewBreak { start: lunch, end: lunch + Duration::minutes(30), paid: false }]
        } else {
            vec![]
        };
        NewShift {
            worker_id: worker,
            location_id: self.location,
            start,
            end,
            role: Some("barista".into()),
            position_id: None,
            notes: None,
            breaks,
        }
    }

    pub async fn shift(&self, worker: EntityId, start: DateTime<Utc>, hours: i64) -> ShiftView {
        shifts::create(&self.pool, &self.caller, self.new_shift(worker, start, hours)).await.unwrap()
    }

    pub async fn open_items(&self) -> Vec<mosaic::views::AttentionItemView> {
        mosaic::services::attention::list_open(&self.pool, &self.caller, &Default::default()).await.unwrap()
    }

    pub async fn publish(&self) -> ScheduleView {
        let current = schedules::get(&self.pool, &self.caller, self.schedule.id).await.unwrap();
        schedules::publish(&self.pool, &self.caller, self.schedule.id, current.version).await.unwrap()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }
}

pub fn ids(shifts: &[&ShiftView]) -> Vec<EventId> {
    let mut ids: Vec<EventId> = shifts.iter().map(|s| s.id).collect();
    ids.sort();
    ids
}

/// The role the scripts make for the server (scripts/database.sh), with the password they give it.
pub async fn application_pool(owner: &PgPool) -> PgPool {
    let password = std::env::var("MOSAIC_APP_PASSWORD").ok();
    mosaic::store::roles::application_pool(owner, "mosaic_app", password.as_deref()).await.expect("the application role")
}

pub const PASSWORD: &str = "a long test password";

impl World {
    /// Another location of the organisation, in its own zone (no schedule yet).
    pub async fn location_in(&self, name: &str, time_zone: &str) -> EntityId {
        let new = NewLocation { name: name.into(), address: None, time_zone: time_zone.into(), capacity: None };
        locations::create(&self.pool, &self.caller, new).await.unwrap().id
    }

    /// A person who can sign in, a member of this organisation with `role`, as the services see them.
    pub async fn member(&self, email: &str, role: mosaic::access::Role, worker: Option<EntityId>) -> Caller {
        let member = mosaic::services::members::add(
            &self.pool,
            &self.caller,
            mosaic::services::members::NewMember {
                email: email.into(),
                name: Some(email.split('@').next().unwrap().into()),
                password: Some(PASSWORD.into()),
                role,
                worker_id: worker,
                location_ids: vec![],
            },
        )
        .await
        .unwrap();
        let mut conn = self.pool.acquire().await.unwrap();
        mosaic::services::accounts::caller_for(&mut conn, self.caller.org, member.user_id).await.unwrap().unwrap()
    }

    /// A worker employed at the location who signs in as themself (`name@example.com`, a worker's role).
    pub async fn signed_in_worker(&self, name: &str) -> (EntityId, Caller) {
        let worker = self.employed_worker(name).await;
        let caller =
            self.member(&format!("{}@example.com", name.to_lowercase()), mosaic::access::Role::Worker, Some(worker)).await;
        (worker, caller)
    }
}
