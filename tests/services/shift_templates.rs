use crate::fixture::{at, World};
use chrono::{NaiveDate, NaiveTime};
use mosaic::access::Role;
use mosaic::kinds::EventStatus;
use mosaic::services::shift_templates::{self, NewShiftTemplate, PlanFromTemplate};
use mosaic::store::DomainError;
use mosaic::templates::TemplateBreak;
use sqlx::PgPool;

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn early() -> NewShiftTemplate {
    NewShiftTemplate {
        name: "Early".into(),
        start: time(7, 0),
        end: time(15, 0),
        role: Some("barista".into()),
        breaks: vec![TemplateBreak { start: time(11, 0), end: time(11, 30), paid: false }],
    }
}

#[sqlx::test]
async fn a_scheduler_plans_a_draft_from_a_template(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let template = shift_templates::create(&pool, &world.caller, early()).await.unwrap();
    assert_eq!(shift_templates::list(&pool, &world.caller).await.unwrap(), vec![template.clone()]);

    let request =
        PlanFromTemplate { worker_id: ada, location_id: world.location, day: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap() };
    let shift = shift_templates::plan(&pool, &world.caller, template.id, request).await.unwrap();
    assert_eq!((shift.during.start, shift.during.end, shift.status), (at(4, 7), Some(at(4, 15)), EventStatus::Draft));
    assert_eq!(shift.role.as_deref(), Some("barista"));
    assert_eq!(shift.breaks[0].during.start, at(4, 11));
    assert_eq!(shift.hours.net, 7.5);

    let taken =
        shift_templates::create(&pool, &world.caller, NewShiftTemplate { name: " early ".into(), ..early() }).await.unwrap_err();
    assert!(matches!(taken, DomainError::Conflict { code: "template_name_taken", .. }), "{taken:?}");
    shift_templates::archive(&pool, &world.caller, template.id).await.unwrap();
    assert!(shift_templates::list(&pool, &world.caller).await.unwrap().is_empty());
    shift_templates::create(&pool, &world.caller, early()).await.expect("an archived template's name is free again");
}

#[sqlx::test]
async fn templates_refuse_breaks_outside_the_shift_and_workers(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let outside =
        NewShiftTemplate { breaks: vec![TemplateBreak { start: time(16, 0), end: time(16, 30), paid: false }], ..early() };
    let refused = shift_templates::create(&pool, &world.caller, outside).await.unwrap_err();
    assert!(matches!(refused, DomainError::Invalid { ref field, .. } if field == "breaks[0]"), "{refused:?}");
    let night = NewShiftTemplate {
        name: "Night".into(),
        start: time(22, 0),
        end: time(6, 0),
        role: None,
        breaks: vec![TemplateBreak { start: time(2, 0), end: time(2, 30), paid: true }],
    };
    shift_templates::create(&pool, &world.caller, night).await.expect("a night break after midnight is inside the shift");

    let ada = world.employed_worker("Ada").await;
    let worker = world.member("ada@acme.test", Role::Worker, Some(ada)).await;
    assert!(matches!(shift_templates::list(&pool, &worker).await.unwrap_err(), DomainError::Forbidden(_)));
    assert!(matches!(shift_templates::create(&pool, &worker, early()).await.unwrap_err(), DomainError::Forbidden(_)));
}
