use crate::fixture::{at, World};
use mosaic::ids::EntityId;
use mosaic::kinds::EventStatus;
use mosaic::services::positions::{self, NewPosition};
use mosaic::services::roster::{self, HeldPositions};
use mosaic::services::shift_import;
use mosaic::services::shifts::{self, ShiftFilter};
use mosaic::services::{week_export, workers};
use mosaic::store::DomainError;
use mosaic::views::import::SlashDates;
use sqlx::PgPool;

async fn with_email(w: &World, name: &str, email: &str) -> EntityId {
    let worker = w.employed_worker(name).await;
    let patch = workers::WorkerPatch { expected_version: 1, email: Some(email.into()), ..Default::default() };
    workers::update(&w.pool, &w.caller, worker, patch).await.unwrap();
    worker
}

async fn live_shifts(w: &World) -> Vec<mosaic::views::ShiftView> {
    let all = shifts::list(&w.pool, &w.caller, &ShiftFilter::default()).await.unwrap();
    all.into_iter().filter(|s| s.status != EventStatus::Cancelled).collect()
}

#[sqlx::test]
async fn a_shifts_file_becomes_drafts_once_and_a_week_exported_imports_as_it_was(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = with_email(&w, "Ann Avila", "ann@acme.test").await;
    let bob = w.employed_worker("Bob Berg").await;
    let barista = positions::create(&w.pool, &w.caller, NewPosition { name: "Barista".into(), colour: None }).await.unwrap().id;
    roster::set_positions(
        &w.pool,
        &w.caller,
        ann,
        HeldPositions { expected_version: 2, position_ids: vec![barista] },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    // Tuesday 3 and Wednesday 4 March 2026 (the fixture's location is on UTC).
    let file = "date;start;end;worker;location;position;breaks;role\r\n\
        03.03.2026;07:00;15:00;ANN@acme.test;main street;barista;11:00-11:30;opens\r\n\
        2026-03-04;22:00;06:00;Bob Berg;Main street;;;=night\r\n";
    let checked = shift_import::check(&w.pool, &w.caller, file.as_bytes(), SlashDates::DayFirst).await.unwrap();
    assert_eq!((checked.rows, checked.new_shifts, checked.problems.len(), checked.imported), (2, 2, 0, false), "{checked:?}");
    assert!(live_shifts(&w).await.is_empty(), "a check writes nothing");

    let imported = shift_import::import(&w.pool, &w.caller, file.as_bytes(), SlashDates::DayFirst).await.unwrap();
    assert_eq!((imported.new_shifts, imported.imported), (2, true));
    let planned = live_shifts(&w).await;
    assert_eq!(planned.len(), 2);
    let first = planned.iter().find(|s| s.worker_id == ann).unwrap();
    assert_eq!((first.during.start, first.during.end), (at(3, 7), Some(at(3, 15))));
    assert_eq!((first.status, first.position.as_ref().map(|p| p.id), first.breaks.len()), (EventStatus::Draft, Some(barista), 1));
    let night = planned.iter().find(|s| s.worker_id == bob).unwrap();
    assert_eq!(night.during.end, Some(at(5, 6)), "an end before the start is the next morning");
    assert_eq!(night.role.as_deref(), Some("=night"));

    let again = shift_import::import(&w.pool, &w.caller, file.as_bytes(), SlashDates::DayFirst).await.unwrap();
    assert_eq!((again.new_shifts, again.unchanged_shifts), (0, 2), "the same file again changes nothing");

    let (name, exported) =
        week_export::week_csv(&w.pool, &w.caller, w.location, chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap())
            .await
            .unwrap();
    assert_eq!(name, "shifts-main-street-2026-03-02.csv");
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(lines[0], "date,start,end,worker,location,position,breaks,role,notes");
    assert_eq!(lines[1], "2026-03-03,07:00,15:00,ann@acme.test,Main street,Barista,11:00-11:30,opens,");
    assert_eq!(lines[2], "2026-03-04,22:00,06:00,Bob Berg,Main street,,,'=night,", "a formula's sign is led by an apostrophe");
    let round_trip = shift_import::check(&w.pool, &w.caller, exported.as_bytes(), SlashDates::DayFirst).await.unwrap();
    assert_eq!((round_trip.new_shifts, round_trip.unchanged_shifts, round_trip.problems.len()), (0, 2, 0));
}

#[sqlx::test]
async fn a_shifts_file_with_any_problem_is_refused_whole_naming_each_row(pool: PgPool) {
    let w = World::new(pool).await;
    with_email(&w, "Ann Avila", "ann@acme.test").await;
    let stranger = workers::create(
        &w.pool,
        &w.caller,
        workers::NewWorker { name: "Cy Costa".into(), email: Some("cy@acme.test".into()), phone: None, external_id: None },
    )
    .await
    .unwrap();
    assert!(!stranger.name.is_empty());
    let file = "date,start,end,worker,location,position\n\
        2026-03-03,07:00,15:00,ann@acme.test,Main street,\n\
        2026-03-03,07:00,15:00,nobody@acme.test,Main street,\n\
        2026-03-03,07:00,15:00,cy@acme.test,Main street,\n\
        2026-03-03,07:00,15:00,ann@acme.test,Harbour,Cook\n";
    let refused = shift_import::import(&w.pool, &w.caller, file.as_bytes(), SlashDates::DayFirst).await;
    let Err(DomainError::ImportRefused { problems }) = refused else { panic!("{refused:?}") };
    let named: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(named, [(3, "worker"), (4, "worker"), (5, "location"), (5, "position")], "{problems:?}");
    assert!(problems[1].message.contains("employment"), "{}", problems[1].message);
    assert!(live_shifts(&w).await.is_empty(), "the good first row was not imported either");
    let open = w.count("SELECT count(*) FROM attention_items").await;
    assert_eq!(open, 0, "nothing of the refused rows is left behind");
}

/// A file of more than one batch: a row refused in the second batch is named by its line and the file
/// is refused whole; mended, every row lands as a draft with its break, its work periods and its change,
/// each week it falls in opened once.
#[sqlx::test]
async fn a_file_of_several_batches_names_a_refused_row_in_any_batch_and_lands_whole_once_mended(pool: PgPool) {
    let w = World::new(pool).await;
    with_email(&w, "Ann Avila", "ann@acme.test").await;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 3, 16).unwrap();
    let file = |bad_line: Option<usize>| {
        let mut file = String::from("date,start,end,worker,location,breaks\n");
        for i in 0..1_100usize {
            let day = if bad_line == Some(i + 2) {
                chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
            } else {
                start + chrono::Duration::days((i / 4) as i64)
            };
            let hour = [0, 6, 12, 18][i % 4];
            file.push_str(&format!(
                "{day},{hour:02}:00,{:02}:00,ann@acme.test,Main street,{hour:02}:30-{hour:02}:45\n",
                hour + 2
            ));
        }
        file
    };

    let bad = file(Some(1_051));
    let checked = shift_import::check(&w.pool, &w.caller, bad.as_bytes(), SlashDates::DayFirst).await.unwrap();
    assert_eq!((checked.new_shifts, checked.problems.len()), (1_099, 1), "{:?}", checked.problems);
    assert_eq!((checked.problems[0].row, checked.problems[0].column.as_str()), (1_051, "worker"), "{:?}", checked.problems);
    assert!(checked.problems[0].message.contains("outside the worker's employment"), "{:?}", checked.problems);
    let refused = shift_import::import(&w.pool, &w.caller, bad.as_bytes(), SlashDates::DayFirst).await;
    assert!(matches!(refused, Err(DomainError::ImportRefused { .. })), "{refused:?}");
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'shift'").await, 0, "nothing of a refused file stays");

    let imported = shift_import::import(&w.pool, &w.caller, file(None).as_bytes(), SlashDates::DayFirst).await.unwrap();
    assert_eq!((imported.new_shifts, imported.problems.len()), (1_100, 0));
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'shift' AND status = 'draft'").await, 1_100);
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'break'").await, 1_100);
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'work_period'").await, 2_200, "each shift less its break");
    assert_eq!(w.count("SELECT count(*) FROM changes WHERE kind = 'shift.created'").await, 1_100);
    // 275 days from Monday 16 March: 40 weeks, each with one draft schedule (the fixture's own covers
    // the two weeks before).
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'schedule'").await, 1 + 40);
    let again = shift_import::import(&w.pool, &w.caller, file(None).as_bytes(), SlashDates::DayFirst).await.unwrap();
    assert_eq!((again.new_shifts, again.unchanged_shifts), (0, 1_100));
}
