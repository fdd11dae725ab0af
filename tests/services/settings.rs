use crate::fixture::{at, World};
use chrono::NaiveDate;
use mosaic::access::Role;
use mosaic::local_time::WeekStart;
use mosaic::rules::ConflictKind;
use mosaic::services::organisation_settings::{self, SettingsChange};
use mosaic::services::{calendar, timesheets};
use mosaic::store::changes::{self, Cursor};
use mosaic::store::DomainError;
use sqlx::PgPool;

async fn change(
    w: &World,
    edit: impl FnOnce(&mut mosaic::organisation_settings::OrganisationSettings),
) -> Result<i32, DomainError> {
    let current = organisation_settings::read(&w.pool, &w.caller).await.unwrap();
    let mut settings = current.settings;
    edit(&mut settings);
    let change = SettingsChange { expected_version: current.version, settings };
    // Before the first week of March: every shift of the fixture is still to come.
    organisation_settings::update(&w.pool, &w.caller, change, at(1, 0)).await.map(|v| v.version)
}

async fn open_kinds(w: &World) -> Vec<ConflictKind> {
    w.open_items().await.iter().map(|i| i.kind).collect()
}

#[sqlx::test]
async fn a_lower_weekly_limit_re_judges_the_shifts_to_come_and_the_change_is_logged(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    for day in 2..=4 {
        w.shift(ann, at(day, 8), 8).await;
    }
    assert!(open_kinds(&w).await.is_empty());

    let version = change(&w, |s| s.rules.max_weekly_hours = 20.0).await.unwrap();
    assert_eq!(version, 2);
    assert_eq!(open_kinds(&w).await, [ConflictKind::WeeklyHours]);
    assert_eq!(w.open_items().await[0].message, "22.5 h this week; the limit is 20 h.");

    let log = changes::read_after(&w.pool, w.caller.org, Cursor::default(), 100).await.unwrap();
    let settings_changes: Vec<_> = log.iter().filter(|c| c.change.kind == "organisation.settings_changed").collect();
    assert_eq!(settings_changes.len(), 1);
    let payload = &settings_changes[0].change.payload;
    assert_eq!(payload["before"]["rules"]["max_weekly_hours"], 48.0);
    assert_eq!(payload["after"]["rules"]["max_weekly_hours"], 20.0);

    change(&w, |s| s.rules.max_weekly_hours = 48.0).await.unwrap();
    assert!(open_kinds(&w).await.is_empty(), "raising the limit again resolves the item");
}

#[sqlx::test]
async fn weeks_that_start_on_sunday_count_hours_and_show_weeks_from_sunday(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    // Sunday 8 March to Friday 13 March, 9.5 h each: 57 h in one Sunday week, but 9.5 h and 47.5 h in
    // two Monday weeks.
    for day in 8..=13 {
        w.shift(ann, at(day, 7), 10).await;
    }
    assert!(open_kinds(&w).await.is_empty());

    change(&w, |s| s.week_starts_on = WeekStart::Sunday).await.unwrap();
    assert_eq!(open_kinds(&w).await, [ConflictKind::WeeklyHours]);
    assert_eq!(w.open_items().await[0].span.start, at(8, 0));

    let wednesday = NaiveDate::from_ymd_opt(2026, 3, 11).unwrap();
    let week = calendar::location_week(&w.pool, &w.caller, Some(w.location), Some(wednesday)).await.unwrap();
    assert_eq!(week.week_start, NaiveDate::from_ymd_opt(2026, 3, 8).unwrap());
    let sheet = timesheets::week(&w.pool, &w.caller, ann, Some(wednesday)).await.unwrap();
    assert_eq!(sheet.week_start, NaiveDate::from_ymd_opt(2026, 3, 8).unwrap());
    assert_eq!(sheet.days.first().map(|d| d.date), Some(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap()));

    change(&w, |s| s.week_starts_on = WeekStart::Monday).await.unwrap();
    assert!(open_kinds(&w).await.is_empty());
}

#[sqlx::test]
async fn a_change_over_a_newer_one_is_refused_and_saving_the_same_settings_changes_nothing(pool: PgPool) {
    let w = World::new(pool).await;
    let first = organisation_settings::read(&w.pool, &w.caller).await.unwrap();
    assert_eq!(first.version, 1);
    assert_eq!(first.settings.rules.min_break_minutes, 30.0);

    let same = SettingsChange { expected_version: 1, settings: first.settings.clone() };
    assert_eq!(organisation_settings::update(&w.pool, &w.caller, same, at(1, 0)).await.unwrap().version, 1);
    assert_eq!(w.count("SELECT count(*) FROM changes WHERE kind = 'organisation.settings_changed'").await, 0);

    change(&w, |s| s.currency = "chf".into()).await.unwrap();
    let mut stale = first.settings.clone();
    stale.name = "Acme Coffee".into();
    let refused =
        organisation_settings::update(&w.pool, &w.caller, SettingsChange { expected_version: 1, settings: stale }, at(1, 0))
            .await;
    assert!(matches!(refused, Err(DomainError::StaleVersion { expected: 1, actual: 2 })), "{refused:?}");
    let now = organisation_settings::read(&w.pool, &w.caller).await.unwrap();
    assert_eq!((now.settings.name.as_str(), now.settings.currency.as_str()), ("Acme", "CHF"));
}

#[sqlx::test]
async fn only_administrators_change_settings_and_the_database_holds_the_ranges(pool: PgPool) {
    let w = World::new(pool).await;
    let manager = w.member("maria@example.com", Role::Manager, None).await;
    let current = organisation_settings::read(&w.pool, &manager).await.unwrap();
    let mut settings = current.settings.clone();
    settings.rules.min_rest_hours = 9.0;
    let denied =
        organisation_settings::update(&w.pool, &manager, SettingsChange { expected_version: 1, settings }, at(1, 0)).await;
    assert!(matches!(denied, Err(DomainError::Forbidden(_))), "{denied:?}");

    let refused = change(&w, |s| s.rules.min_rest_hours = 30.0).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "rules.min_rest_hours"), "{refused:?}");
    let refused = change(&w, |s| s.time_zone = "Europe/Atlantis".into()).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "time_zone"), "{refused:?}");

    // Written past the service, even by the schema's owner, an out-of-range rule is refused.
    for (event_type, rules) in [
        ("shift", r#"{"max_weekly_hours": 500}"#),
        ("shift", r#"{"min_rest_hours": "eleven"}"#),
        ("payroll_piece", r#"{"night_multiplier": 0.2}"#),
        ("payroll_piece", r#"{"night_start": "25:00"}"#),
        ("payroll_piece", r#"{"weekend_days": ["someday"]}"#),
    ] {
        let refused = sqlx::query("UPDATE event_types SET rules = rules || $2::jsonb WHERE name = $1")
            .bind(event_type)
            .bind(rules)
            .execute(&w.owner)
            .await
            .unwrap_err();
        let constraint = refused.as_database_error().and_then(|e| e.constraint()).map(str::to_string);
        assert!(constraint.is_some_and(|c| c.starts_with("event_types_")), "{rules}: {refused}");
    }
    let refused = sqlx::query("UPDATE organisations SET week_starts_on = 'friday'").execute(&w.owner).await.unwrap_err();
    assert_eq!(refused.as_database_error().and_then(|e| e.constraint()), Some("organisations_week_start"));
}
