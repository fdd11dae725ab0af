use crate::fixture::{at, World};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use mosaic::access::Role;
use mosaic::ids::EntityId;
use mosaic::payroll::RateType;
use mosaic::rules::ConflictKind;
use mosaic::services::compensation::{self, NewRate};
use mosaic::services::timekeeping::{self, CorrectionAction, NewPunch, PunchCorrection};
use mosaic::services::{payroll_export, timesheets, Caller};
use mosaic::store::DomainError;
use mosaic::timekeeping::ClockDirection::{self, In, Out};
use mosaic::views::time::{PunchStanding, SheetStanding};
use sqlx::PgPool;

fn minutes(t: DateTime<Utc>, m: i64) -> DateTime<Utc> {
    t + Duration::minutes(m)
}

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

fn punch(direction: ClockDirection) -> NewPunch {
    NewPunch { direction, note: None, location_id: None }
}

fn add(worker: EntityId, direction: ClockDirection, at: DateTime<Utc>) -> PunchCorrection {
    PunchCorrection {
        worker_id: worker,
        action: CorrectionAction::Add,
        reason: "forgot to clock".into(),
        punch_id: None,
        at: Some(at),
        direction: Some(direction),
        location_id: None,
    }
}

/// After everything in these tests happened.
fn later() -> DateTime<Utc> {
    at(31, 0)
}

async fn rate(w: &World, worker: EntityId, cents: i64, from: NaiveDate) {
    let new = NewRate { hourly_rate_cents: cents, currency: "EUR".into(), effective_from: from };
    compensation::set_rate(&w.pool, &w.caller, worker, new).await.unwrap();
}

async fn open_kinds(w: &World, worker: EntityId) -> Vec<ConflictKind> {
    let mut kinds: Vec<ConflictKind> =
        w.open_items().await.into_iter().filter(|i| i.worker_id == worker).map(|i| i.kind).collect();
    kinds.sort_by_key(|k| k.as_str());
    kinds
}

#[sqlx::test]
async fn a_worker_clocks_in_and_out_of_a_night_shift_and_the_period_matches_it_by_time(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    let day = w.shift(ada, at(3, 8), 8).await;
    let night = w.shift(ada, at(4, 22), 8).await;
    w.publish().await;
    let me = w.member("ada@acme.test", Role::Worker, Some(ada)).await;

    let clock_in = NewPunch { direction: In, note: Some("  bus was late  ".into()), location_id: Some(w.location) };
    let first = timekeeping::clock(&pool, &me, clock_in, minutes(at(4, 22), 7)).await.unwrap();
    assert_eq!((first.note.as_deref(), first.location_id), (Some("bus was late"), Some(w.location)));
    let again = timekeeping::clock(&pool, &me, punch(In), minutes(at(4, 22), 8)).await;
    assert!(matches!(again, Err(DomainError::Conflict { code: "already_clocked_in", .. })), "{again:?}");
    // A double tap reaching the "Clock out" that replaced "Clock in": no zero-minute period, no items.
    let tapped_twice = timekeeping::clock(&pool, &me, punch(Out), minutes(at(4, 22), 7) + Duration::seconds(1)).await;
    assert!(matches!(tapped_twice, Err(DomainError::Conflict { code: "just_clocked_in", .. })), "{tapped_twice:?}");
    let clock = timekeeping::my_clock(&pool, &me, at(5, 1)).await.unwrap();
    assert_eq!(clock.open.as_ref().map(|p| p.shift_id), Some(Some(night.id)));
    timekeeping::clock(&pool, &me, punch(Out), minutes(at(5, 6), 2)).await.unwrap();

    let sheet = timesheets::week(&pool, &me, ada, Some(date(4))).await.unwrap();
    let periods: Vec<_> = sheet.days.iter().flat_map(|d| d.periods.iter()).collect();
    assert_eq!(periods.len(), 1);
    assert_eq!(periods[0].shift_id, Some(night.id), "not the day shift {}", day.id);
    assert_eq!(periods[0].during.duration(), Some(Duration::minutes(8 * 60 - 5)));
    let wednesday = &sheet.days[2];
    assert_eq!(wednesday.date, date(4));
    assert_eq!((wednesday.totals.late_minutes, wednesday.totals.early_minutes), (7, 0));
    assert_eq!(sheet.days[1].totals.missed_shifts, 1, "Tuesday's day shift was not worked");
    assert!(open_kinds(&w, ada).await.is_empty());

    let nowhere = NewPunch { direction: In, note: None, location_id: Some(EntityId::new()) };
    let refused = timekeeping::clock(&pool, &me, nowhere, at(6, 8)).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "location_id"), "{refused:?}");
    let manager_without_worker = w.member("boss@acme.test", Role::Manager, None).await;
    let refused = timekeeping::clock(&pool, &manager_without_worker, punch(In), at(6, 8)).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "worker"), "{refused:?}");
}

#[sqlx::test]
async fn corrections_are_new_punches_with_reasons_and_the_items_follow_them(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    w.shift(ada, at(3, 8), 8).await;
    w.shift(ada, at(4, 8), 8).await;
    w.publish().await;
    let me = w.member("ada@acme.test", Role::Worker, Some(ada)).await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;

    // Tuesday she forgets to clock out; Wednesday she clocks in and out; at 03:00 on Thursday a stray
    // clock-in, and at 20:00 a lone clock-out.
    let tuesday_in = timekeeping::clock(&pool, &me, punch(In), minutes(at(3, 8), -3)).await.unwrap();
    timekeeping::clock(&pool, &me, punch(In), minutes(at(4, 8), 1)).await.unwrap();
    timekeeping::clock(&pool, &me, punch(Out), at(4, 16)).await.unwrap();
    let stray = timekeeping::clock(&pool, &me, punch(In), at(5, 3)).await.unwrap();
    timekeeping::clock(&pool, &me, punch(Out), at(5, 4)).await.unwrap();
    let lone = timekeeping::clock(&pool, &me, punch(Out), at(5, 20)).await.unwrap();
    assert_eq!(
        open_kinds(&w, ada).await,
        vec![ConflictKind::MissingClockOut, ConflictKind::StrayClockIn, ConflictKind::UnmatchedClockOut]
    );

    // Workers cannot correct; a correction needs a reason, and a time to add.
    let refused = timekeeping::correct(&pool, &me, add(ada, Out, at(3, 16)), later()).await;
    assert!(matches!(refused, Err(DomainError::Forbidden(_))), "{refused:?}");
    let no_reason = PunchCorrection { reason: "  ".into(), ..add(ada, Out, at(3, 16)) };
    let refused = timekeeping::correct(&pool, &manager, no_reason, later()).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "reason"), "{refused:?}");
    let future = timekeeping::correct(&pool, &manager, add(ada, Out, at(3, 16)), at(3, 12)).await;
    assert!(matches!(&future, Err(DomainError::Invalid { field, .. }) if field == "at"), "{future:?}");

    // The manager adds Tuesday's clock-out, moves the clock-in to the shift's start, voids the stray
    // punches.
    timekeeping::correct(&pool, &manager, add(ada, Out, at(3, 16)), later()).await.unwrap();
    let moved = PunchCorrection {
        action: CorrectionAction::Replace,
        punch_id: Some(tuesday_in.id),
        at: Some(at(3, 8)),
        direction: None,
        reason: "clocked in at the door, started at eight".into(),
        ..add(ada, In, at(3, 8))
    };
    let replacement = timekeeping::correct(&pool, &manager, moved.clone(), later()).await.unwrap();
    assert_eq!((replacement.replaces, replacement.direction), (Some(tuesday_in.id), Some(In)));
    let twice = timekeeping::correct(&pool, &manager, moved, later()).await;
    assert!(matches!(twice, Err(DomainError::Conflict { code: "already_corrected", .. })), "{twice:?}");
    for wrong in [stray.id, lone.id] {
        let void = PunchCorrection {
            action: CorrectionAction::Void,
            punch_id: Some(wrong),
            at: None,
            direction: None,
            ..add(ada, In, at(3, 8))
        };
        timekeeping::correct(&pool, &manager, void, later()).await.unwrap();
    }
    // The stray clock-in's clock-out is left alone, so it is now a lone clock-out.
    assert_eq!(open_kinds(&w, ada).await, vec![ConflictKind::UnmatchedClockOut]);

    let sheet = timesheets::week(&pool, &manager, ada, Some(date(2))).await.unwrap();
    let tuesday = &sheet.days[1];
    assert_eq!(tuesday.periods.len(), 1);
    assert_eq!(tuesday.periods[0].during, mosaic::Interval { start: at(3, 8), end: Some(at(3, 16)) });
    let standings: Vec<(PunchStanding, Option<String>)> =
        tuesday.punches.iter().map(|p| (p.standing, p.reason.clone())).collect();
    assert_eq!(
        standings,
        vec![
            (PunchStanding::Replaced, None),
            (PunchStanding::Counts, Some("clocked in at the door, started at eight".into())),
            (PunchStanding::Counts, Some("forgot to clock".into())),
        ]
    );
    assert_eq!(tuesday.punches[1].recorded_by, manager.actor.name);
    // Nothing was edited: every punch is at its first version, and the log holds one change per punch.
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'clock_event' AND version <> 1").await, 0);
    assert_eq!(
        w.count("SELECT count(*) FROM events WHERE event_type = 'clock_event'").await,
        w.count("SELECT count(*) FROM changes WHERE stream_type = 'clock_event'").await
    );
    assert!(w.count("SELECT count(*) FROM changes WHERE kind = 'clock_period.changed'").await >= 1);
}

#[sqlx::test]
async fn a_raise_is_a_new_rate_and_the_old_one_keeps_its_span(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    rate(&w, ada, 1500, date(1)).await;
    rate(&w, ada, 1800, date(4)).await;
    // Set before the first: it runs up to it.
    rate(&w, ada, 1400, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()).await;
    let on = |day| compensation::rate_on(&w.pool, &w.caller, ada, date(day));
    assert_eq!(on(3).await.unwrap().map(|r| r.hourly_rate_cents), Some(1500));
    assert_eq!(on(4).await.unwrap().map(|r| r.hourly_rate_cents), Some(1800));
    assert_eq!(on(31).await.unwrap().map(|r| r.hourly_rate_cents), Some(1800));
    let history = compensation::rates(&pool, &w.caller, ada).await.unwrap();
    let spans: Vec<(i64, DateTime<Utc>, Option<DateTime<Utc>>)> =
        history.iter().map(|r| (r.hourly_rate_cents, r.during.start, r.during.end)).collect();
    assert_eq!(
        spans,
        vec![(1400, at(1, 0) - Duration::days(1), Some(at(1, 0))), (1500, at(1, 0), Some(at(4, 0))), (1800, at(4, 0), None)]
    );
    // The same day again replaces that rate; the replaced one stays in the log.
    rate(&w, ada, 1850, date(4)).await;
    assert_eq!(on(5).await.unwrap().map(|r| r.hourly_rate_cents), Some(1850));
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'compensation' AND status = 'cancelled'").await, 1);

    let bad = NewRate { hourly_rate_cents: -1, currency: "EUR".into(), effective_from: date(9) };
    let refused = compensation::set_rate(&pool, &w.caller, ada, bad).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "hourly_rate_cents"), "{refused:?}");
    let bad = NewRate { hourly_rate_cents: 1900, currency: "euro".into(), effective_from: date(9) };
    let refused = compensation::set_rate(&pool, &w.caller, ada, bad).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "currency"), "{refused:?}");
    let scheduler = w.member("sam@acme.test", Role::Scheduler, None).await;
    assert!(matches!(compensation::rates(&pool, &scheduler, ada).await, Err(DomainError::Forbidden(_))));
    // The database holds one rate at a time, whatever the service does.
    let overlap = sqlx::query(
        "UPDATE events SET end_time = NULL WHERE event_type = 'compensation' AND status = 'active' AND end_time = $1",
    )
    .bind(at(4, 0))
    .execute(&pool)
    .await;
    assert!(overlap.unwrap_err().to_string().contains("compensations_one_rate_at_a_time"));
}

#[sqlx::test]
async fn approving_prices_each_stretch_at_the_rate_in_force_and_locks_the_week(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    w.shift(ada, at(3, 20), 6).await;
    w.publish().await;
    rate(&w, ada, 1500, date(1)).await;
    rate(&w, ada, 1800, date(4)).await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    // Tuesday 20:00 to Wednesday 02:00 (UTC), with a raise at midnight.
    timekeeping::correct(&pool, &manager, add(ada, In, at(3, 20)), later()).await.unwrap();
    timekeeping::correct(&pool, &manager, add(ada, Out, at(4, 2)), later()).await.unwrap();

    let sheet = timesheets::approve(&pool, &manager, ada, date(5), chrono::Utc::now()).await.unwrap();
    let pieces: Vec<(RateType, f64, i64, i64, &str, &str)> = sheet
        .pieces
        .iter()
        .map(|p| (p.rate_type, p.hours, p.hourly_rate_cents, p.cost_cents, p.cost_centre.as_str(), p.job_code.as_str()))
        .collect();
    assert_eq!(
        pieces,
        vec![
            (RateType::Regular, 2.0, 1500, 3000, "Main street", "barista"),
            (RateType::Night, 2.0, 1500, 3750, "Main street", "barista"),
            (RateType::Night, 2.0, 1800, 4500, "Main street", "barista"),
        ]
    );
    let approval = sheet.approval.expect("approved");
    assert_eq!(
        (approval.clocked_hours, approval.cost_cents, approval.approved_by.as_str()),
        (6.0, 11250, manager.actor.name.as_str())
    );
    assert!(sheet.days.iter().flat_map(|d| d.periods.iter()).all(|p| p.approved));

    // Locked: no punch may land in the week, and it is approved once.
    let late = timekeeping::correct(&pool, &manager, add(ada, In, at(6, 9)), later()).await;
    assert!(matches!(late, Err(DomainError::Conflict { code: "week_approved", .. })), "{late:?}");
    let again = timesheets::approve(&pool, &manager, ada, date(2), chrono::Utc::now()).await;
    assert!(matches!(again, Err(DomainError::Conflict { code: "already_approved", .. })), "{again:?}");
    // The next week is open.
    timekeeping::correct(&pool, &manager, add(ada, In, at(9, 9)), later()).await.unwrap();
    assert_eq!(w.count("SELECT count(*) FROM changes WHERE kind = 'timesheet.approved'").await, 1);
}

#[sqlx::test]
async fn overtime_counts_to_the_week_a_stretch_falls_in_across_the_boundary(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    rate(&w, ada, 2000, date(1)).await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    // Monday to Thursday 08:00–17:30 (38 h), then Sunday 20:00 to Monday 04:00.
    for day in 2..=5 {
        timekeeping::correct(&pool, &manager, add(ada, In, at(day, 8)), later()).await.unwrap();
        timekeeping::correct(&pool, &manager, add(ada, Out, minutes(at(day, 17), 30)), later()).await.unwrap();
    }
    timekeeping::correct(&pool, &manager, add(ada, In, at(8, 20)), later()).await.unwrap();
    timekeeping::correct(&pool, &manager, add(ada, Out, at(9, 4)), later()).await.unwrap();

    let preview = timesheets::week(&pool, &manager, ada, Some(date(2))).await.unwrap();
    // No shift was planned: the clock-ins are stray, which is worth a look but does not hold up approval.
    assert_eq!(preview.blocking, Vec::<String>::new());
    assert!(preview.issues.iter().all(|i| i.kind == ConflictKind::StrayClockIn));
    assert_eq!(preview.totals.overtime_hours, 2.0);
    let sheet = timesheets::approve(&pool, &manager, ada, date(2), chrono::Utc::now()).await.unwrap();
    let sunday: Vec<(RateType, f64)> =
        sheet.pieces.iter().filter(|p| p.during.start >= at(8, 0)).map(|p| (p.rate_type, p.hours)).collect();
    // Sunday 20–22 weekend, 22–24 past 40 h (overtime outranks night), Monday 00–04 night in a new week.
    assert_eq!(sunday, vec![(RateType::Weekend, 2.0), (RateType::Overtime, 2.0), (RateType::Night, 4.0)]);
    let costs: Vec<i64> = sheet.pieces.iter().filter(|p| p.during.start >= at(8, 0)).map(|p| p.cost_cents).collect();
    assert_eq!(costs, vec![6000, 6000, 10000]);

    // The export sums the pieces per worker and rate type, with totals.
    let summary = payroll_export::summary(&pool, &manager, date(1), date(31)).await.unwrap();
    let rows: Vec<(Option<RateType>, f64, i64)> = summary.rows.iter().map(|r| (r.rate_type, r.hours, r.cost_cents)).collect();
    assert_eq!(
        rows,
        vec![
            (Some(RateType::Overtime), 2.0, 6000),
            (Some(RateType::Night), 4.0, 10000),
            (Some(RateType::Weekend), 2.0, 6000),
            (Some(RateType::Regular), 38.0, 76000),
            (None, 46.0, 98000),
        ]
    );
    let csv = payroll_export::csv(&summary).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["worker", "email", "rate_type", "hours", "cost", "currency", "period_from", "period_to"]
    );
    let last = records.last().unwrap();
    assert_eq!((&last[0], &last[2], &last[3], &last[4], &last[5]), ("all workers", "total", "46.00", "980.00", "EUR"));
    let scheduler = w.member("sam@acme.test", Role::Scheduler, None).await;
    assert!(matches!(payroll_export::summary(&pool, &scheduler, date(1), date(31)).await, Err(DomainError::Forbidden(_))));
    let backwards = payroll_export::summary(&pool, &manager, date(9), date(1)).await;
    assert!(matches!(&backwards, Err(DomainError::Invalid { field, .. }) if field == "to"), "{backwards:?}");
}

#[sqlx::test]
async fn a_week_with_a_missing_clock_out_or_an_unpriced_hour_is_not_approved(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    timekeeping::correct(&pool, &manager, add(ada, In, at(3, 8)), later()).await.unwrap();
    let refused = timesheets::approve(&pool, &manager, ada, date(3), chrono::Utc::now()).await;
    let Err(DomainError::Conflict { code: "timesheet_incomplete", message }) = refused else { panic!("{refused:?}") };
    assert!(message.contains("has no clock-out"), "{message}");
    timekeeping::correct(&pool, &manager, add(ada, Out, at(3, 16)), later()).await.unwrap();
    let refused = timesheets::approve(&pool, &manager, ada, date(3), chrono::Utc::now()).await;
    assert!(
        matches!(&refused, Err(DomainError::Invalid { field, message }) if field == "compensation" && message.contains("2026-03-03")),
        "{refused:?}"
    );
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type IN ('payroll_piece', 'timesheet_approval')").await, 0);
    let worker = w.member("ada@acme.test", Role::Worker, Some(ada)).await;
    assert!(matches!(
        timesheets::approve(&pool, &worker, ada, date(3), chrono::Utc::now()).await,
        Err(DomainError::Forbidden(_))
    ));
    let other = w.employed_worker("Bo").await;
    assert!(matches!(timesheets::week(&pool, &worker, other, None).await, Err(DomainError::Forbidden(_))));
}

/// Eight rounds of a clock-in inside a week racing that week's approval: never both. Either the punch
/// lands first and the approval is refused (the period it opens has no clock-out), or the approval
/// lands first and the database refuses the punch.
#[sqlx::test]
async fn a_punch_racing_the_approval_of_its_week_never_lands_in_an_approved_week(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    let mut outcomes = Vec::new();
    for round in 0..8 {
        let worker = w.employed_worker(&format!("Worker {round}")).await;
        rate(&w, worker, 1500, date(1)).await;
        timekeeping::correct(&pool, &manager, add(worker, In, at(3, 8)), later()).await.unwrap();
        timekeeping::correct(&pool, &manager, add(worker, Out, at(3, 16)), later()).await.unwrap();
        let approving = {
            let (pool, manager) = (pool.clone(), manager.clone());
            tokio::spawn(async move { timesheets::approve(&pool, &manager, worker, date(3), chrono::Utc::now()).await })
        };
        let punching = {
            let (pool, manager): (PgPool, Caller) = (pool.clone(), manager.clone());
            tokio::spawn(async move { timekeeping::correct(&pool, &manager, add(worker, In, at(4, 8)), later()).await })
        };
        let (approved, punched) = (approving.await.unwrap(), punching.await.unwrap());
        match (&approved, &punched) {
            (Ok(_), Err(DomainError::Conflict { code: "week_approved", .. })) => outcomes.push("approval first"),
            (Err(DomainError::Conflict { code: "timesheet_incomplete", .. }), Ok(_)) => outcomes.push("punch first"),
            other => panic!("round {round}: {other:?}"),
        }
        let in_approved_week: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM participations p JOIN participations a
                ON a.org_id = p.org_id AND a.entity_id = p.entity_id AND a.event_type = 'timesheet_approval'
               AND a.event_status = 'active' AND a.during @> lower(p.during)
             WHERE p.entity_id = $1 AND p.event_type = 'clock_event' AND p.participation_type = 'worker'
               AND lower(p.during) = $2",
        )
        .bind(worker)
        .bind(at(4, 8))
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(in_approved_week, 0);
    }
    eprintln!("race outcomes: {outcomes:?}");
}

#[sqlx::test]
async fn a_clock_out_left_missing_is_raised_once_time_has_passed(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    w.shift(ada, at(3, 8), 8).await;
    w.publish().await;
    let me = w.member("ada@acme.test", Role::Worker, Some(ada)).await;
    timekeeping::clock(&pool, &me, punch(In), at(3, 8)).await.unwrap();
    // Still on shift, and up to three hours after it: nothing to raise.
    assert_eq!(timekeeping::sweep(&pool, at(3, 18)).await.unwrap(), 0);
    assert!(open_kinds(&w, ada).await.is_empty());
    assert_eq!(timekeeping::sweep(&pool, at(3, 19)).await.unwrap(), 1);
    assert_eq!(open_kinds(&w, ada).await, vec![ConflictKind::MissingClockOut]);
    assert_eq!(timekeeping::sweep(&pool, at(3, 20)).await.unwrap(), 0, "raised once");
    // Clocking out closes it.
    timekeeping::clock(&pool, &me, punch(Out), at(3, 21)).await.unwrap();
    assert!(open_kinds(&w, ada).await.is_empty());
}

#[sqlx::test]
async fn the_calendar_prices_the_week_for_those_who_see_pay(pool: PgPool) {
    use mosaic::labor_cost::{week_cost, WorkerWeek};
    use mosaic::services::calendar;
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    // 08:00–16:00 with an unpaid half hour: 7.5 paid hours planned.
    w.shift(ada, at(3, 8), 8).await;
    w.publish().await;
    rate(&w, ada, 1500, date(1)).await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    timekeeping::correct(&pool, &manager, add(ada, In, at(3, 8)), later()).await.unwrap();
    timekeeping::correct(&pool, &manager, add(ada, Out, at(3, 16)), later()).await.unwrap();
    timesheets::approve(&pool, &manager, ada, date(3), chrono::Utc::now()).await.unwrap();

    let week = calendar::location_week(&pool, &manager, Some(w.location), Some(date(3))).await.unwrap();
    let pay = week.pay.clone().expect("a manager sees pay");
    assert_eq!(pay.rates.iter().find(|r| r.worker_id == ada).map(|r| r.spans.len()), Some(1));
    let actual: Vec<i64> = pay.actual.iter().map(|d| d.cost_cents).collect();
    assert_eq!(actual, vec![0, 12000, 0, 0, 0, 0, 0], "eight clocked hours at 15.00, on Tuesday");
    let row = &week.rows[0];
    let (shifts, here) = (row.rules().shifts, row.shifts.iter().map(|s| s.id).collect::<Vec<_>>());
    let planned = week_cost(&[WorkerWeek { worker: ada, shifts: &shifts, here: &here }], &pay, chrono_tz::UTC, week.week_start);
    assert_eq!((planned.days[1].cost_cents, planned.week_cents), (11250, 11250));

    let scheduler = w.member("sam@acme.test", Role::Scheduler, None).await;
    let week = calendar::location_week(&pool, &scheduler, Some(w.location), Some(date(3))).await.unwrap();
    assert!(week.pay.is_none(), "schedulers plan without seeing pay");
}

#[sqlx::test]
async fn a_night_across_the_week_boundary_is_paid_at_monday_s_new_rate_after_midnight(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    rate(&w, ada, 2000, date(1)).await;
    rate(&w, ada, 2400, date(9)).await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    // Sunday 8 March 22:00 to Monday 9 March 02:00, approved with the week it began in.
    timekeeping::correct(&pool, &manager, add(ada, In, at(8, 22)), later()).await.unwrap();
    timekeeping::correct(&pool, &manager, add(ada, Out, at(9, 2)), later()).await.unwrap();
    let sheet = timesheets::approve(&pool, &manager, ada, date(8), chrono::Utc::now()).await.unwrap();
    let pieces: Vec<(i64, i64)> = sheet.pieces.iter().map(|p| (p.hourly_rate_cents, p.cost_cents)).collect();
    assert_eq!(pieces, vec![(2000, 2 * 2500), (2400, 2 * 3000)], "night premium ×1.25 either side of the raise");
}

#[sqlx::test]
async fn the_database_refuses_to_edit_or_delete_a_punch(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    let punch = timekeeping::correct(&pool, &manager, add(ada, In, at(3, 8)), later()).await.unwrap();
    for sql in ["UPDATE events SET start_time = start_time + interval '1 hour' WHERE id = $1", "DELETE FROM events WHERE id = $1"]
    {
        let refused = sqlx::query(sql).bind(punch.id).execute(&pool).await.unwrap_err();
        assert!(refused.to_string().contains("a punch is never changed"), "{sql}: {refused}");
    }
}

/// A week still under way is not approved: approving would lock the punches of the days to come.
#[sqlx::test]
async fn a_week_is_approved_only_once_it_is_over(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    rate(&w, ada, 1500, date(1)).await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    // Wednesday of the week of Monday 2 March.
    let refused = timesheets::approve(&pool, &manager, ada, date(2), at(4, 12)).await;
    assert!(matches!(&refused, Err(DomainError::Conflict { code: "week_not_over", .. })), "{refused:?}");
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'timesheet_approval'").await, 0, "nothing written");
    // From Monday 9 March, 00:00 in the organisation's zone, it may be.
    timesheets::approve(&pool, &manager, ada, date(2), at(9, 0)).await.unwrap();
}

/// The team's week: each worker's standing as the week is read, and several approved together — the
/// one that cannot be (a clock-out missing) named with its reason and the others approved all the same.
#[sqlx::test]
async fn the_team_week_shows_each_standing_and_approves_the_ready_weeks_together(pool: PgPool) {
    let w = World::new(pool.clone()).await;
    let ada = w.employed_worker("Ada").await;
    let bo = w.employed_worker("Bo").await;
    let cy = w.employed_worker("Cy").await;
    let idle = w.employed_worker("Idle").await;
    for worker in [ada, bo, cy] {
        w.shift(worker, at(3, 8), 8).await;
        rate(&w, worker, 1500, date(1)).await;
    }
    w.publish().await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    for worker in [ada, bo] {
        timekeeping::correct(&pool, &manager, add(worker, In, at(3, 8)), later()).await.unwrap();
        timekeeping::correct(&pool, &manager, add(worker, Out, at(3, 16)), later()).await.unwrap();
    }
    // Cy clocked in and never out.
    timekeeping::correct(&pool, &manager, add(cy, In, at(3, 8)), later()).await.unwrap();

    // Read on Wednesday, the week is still under way for everyone; the day still to come is not missed.
    let midweek = timesheets::team_week(&pool, &manager, Some(date(2)), at(3, 12)).await.unwrap();
    assert!(midweek.lines.iter().all(|l| l.standing == SheetStanding::NotOver), "{midweek:?}");
    assert!(midweek.lines.iter().all(|l| l.totals.missed_shifts == 0));

    let team = timesheets::team_week(&pool, &manager, Some(date(2)), later()).await.unwrap();
    let standing: Vec<(&str, SheetStanding, f64, f64)> = team
        .lines
        .iter()
        .map(|l| (l.worker.name.as_str(), l.standing, l.totals.scheduled_hours, l.totals.clocked_hours))
        .collect();
    assert_eq!(
        standing,
        vec![
            ("Ada", SheetStanding::Ready, 8.0, 8.0),
            ("Bo", SheetStanding::Ready, 8.0, 8.0),
            ("Cy", SheetStanding::Blocked, 8.0, 0.0),
        ],
        "Idle ({idle}) had nothing that week and is left out"
    );
    assert!(team.lines[2].blocking.iter().any(|b| b.contains("has no clock-out")), "{:?}", team.lines[2].blocking);

    let outcomes = timesheets::approve_several(&pool, &manager, &[ada, cy, bo, ada], date(2), later()).await.unwrap();
    let said: Vec<(&str, bool)> = outcomes.iter().map(|o| (o.worker_name.as_str(), o.approved)).collect();
    assert_eq!(said, vec![("Ada", true), ("Cy", false), ("Bo", true)], "each once, in the order asked");
    assert!(outcomes[1].refused.as_deref().is_some_and(|r| r.contains("has no clock-out")), "{outcomes:?}");
    let after = timesheets::team_week(&pool, &manager, Some(date(2)), later()).await.unwrap();
    let approved: Vec<SheetStanding> = after.lines.iter().map(|l| l.standing).collect();
    assert_eq!(approved, vec![SheetStanding::Approved, SheetStanding::Approved, SheetStanding::Blocked]);
    assert_eq!(w.count("SELECT count(*) FROM changes WHERE kind = 'timesheet.approved'").await, 2);

    // Nobody named, too many, or a worker asking: refused before anything is written.
    let none = timesheets::approve_several(&pool, &manager, &[], date(2), later()).await;
    assert!(matches!(&none, Err(DomainError::Invalid { field, .. }) if field == "worker_ids"), "{none:?}");
    let many = vec![ada; timesheets::MAX_APPROVALS + 1];
    let too_many = timesheets::approve_several(&pool, &manager, &many, date(2), later()).await;
    assert!(matches!(&too_many, Err(DomainError::Invalid { field, .. }) if field == "worker_ids"), "{too_many:?}");
    let worker = w.member("ada@acme.test", Role::Worker, Some(ada)).await;
    assert!(matches!(timesheets::team_week(&pool, &worker, None, later()).await, Err(DomainError::Forbidden(_))));
}
