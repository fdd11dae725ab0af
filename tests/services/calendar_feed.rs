//! The feed is read back with `ical`, an independent iCalendar parser, the way a calendar app reads it.

use crate::fixture::{at, World};
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use mosaic::access::Role;
use mosaic::services::calendar_feed;
use mosaic::services::schedules::{self, NewSchedule};
use mosaic::services::shifts::{self, NewShift, ShiftPatch};
use mosaic::services::Caller;
use mosaic::store::DomainError;
use sqlx::PgPool;
use std::collections::HashMap;

/// Each VEVENT's properties by name.
fn events(ics: &str) -> Vec<HashMap<String, String>> {
    let calendar = ical::IcalParser::new(ics.as_bytes()).next().expect("one calendar").expect("a calendar that parses");
    calendar
        .events
        .into_iter()
        .map(|e| e.properties.into_iter().map(|p| (p.name, p.value.unwrap_or_default())).collect())
        .collect()
}

fn utc(value: &str) -> DateTime<Utc> {
    Utc.from_utc_datetime(&NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ").expect("a UTC date-time"))
}

async fn feed(pool: &PgPool, worker: &Caller) -> (String, Vec<HashMap<String, String>>) {
    let secret = calendar_feed::renew_link(pool, worker).await.unwrap();
    let text = calendar_feed::feed(pool, &secret, at(2, 0)).await.unwrap();
    let parsed = events(&text);
    (secret, parsed)
}

#[sqlx::test]
async fn the_feed_keeps_uids_bumps_the_sequence_when_a_shift_moves_and_marks_cancellations(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let tuesday = world.shift(ada, at(3, 7), 8).await;
    let thursday = world.shift(ada, at(5, 7), 8).await;
    world.publish().await;
    world.shift(ada, at(9, 7), 8).await; // a draft: not in the feed
    let me = world.member("ada@acme.test", Role::Worker, Some(ada)).await;

    let (_, before) = feed(&pool, &me).await;
    assert_eq!(before.len(), 2);
    let first = &before[0];
    assert_eq!(first["UID"], format!("{}@mosaic", tuesday.id));
    assert_eq!((utc(&first["DTSTART"]), utc(&first["DTEND"])), (at(3, 7), at(3, 15)));
    assert_eq!(first["SUMMARY"], "barista at Main street");
    assert_eq!(first["STATUS"], "CONFIRMED");
    assert!(first["DESCRIPTION"].contains("Break Tue 3 Mar 11:00 – Tue 3 Mar 11:30"), "{}", first["DESCRIPTION"]);
    let sequence_before: i32 = first["SEQUENCE"].parse().unwrap();

    let current = shifts::get(&pool, &world.caller, tuesday.id).await.unwrap();
    shifts::update(
        &pool,
        &world.caller,
        tuesday.id,
        ShiftPatch { expected_version: current.version, start: Some(at(3, 9)), end: Some(at(3, 17)), ..Default::default() },
    )
    .await
    .unwrap();
    let current = shifts::get(&pool, &world.caller, thursday.id).await.unwrap();
    shifts::cancel(&pool, &world.caller, thursday.id, current.version).await.unwrap();

    let (_, after) = feed(&pool, &me).await;
    let moved = after.iter().find(|e| e["UID"] == format!("{}@mosaic", tuesday.id)).expect("the same UID after a move");
    assert!(moved["SEQUENCE"].parse::<i32>().unwrap() > sequence_before, "calendar apps replace the old copy");
    assert_eq!(utc(&moved["DTSTART"]), at(3, 9));
    let cancelled = after.iter().find(|e| e["UID"] == format!("{}@mosaic", thursday.id)).expect("a cancelled shift stays");
    assert_eq!(cancelled["STATUS"], "CANCELLED");
}

#[sqlx::test]
async fn a_night_shift_over_the_spring_change_is_seven_hours_in_the_feed(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let berlin = world.location_in("Berlin Mitte", "Europe/Berlin").await;
    let schedule = schedules::create(&pool, &world.caller, NewSchedule { location_id: berlin, start: at(23, 0), end: at(31, 0) })
        .await
        .unwrap();
    let ada = world.employed_worker("Ada").await;
    // 22:00 on Saturday 28 March to 06:00 on Sunday, Berlin time: clocks go forward at 02:00.
    let start = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 3, 28, 22, 0, 0).unwrap().with_timezone(&Utc);
    let end = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 3, 29, 6, 0, 0).unwrap().with_timezone(&Utc);
    shifts::create(
        &pool,
        &world.caller,
        NewShift { worker_id: ada, location_id: berlin, start, end, role: None, position_id: None, notes: None, breaks: vec![] },
    )
    .await
    .unwrap();
    schedules::publish(&pool, &world.caller, schedule.id, schedule.version).await.unwrap();
    let me = world.member("ada@acme.test", Role::Worker, Some(ada)).await;

    let (_, events) = feed(&pool, &me).await;
    let night = &events[0];
    let (dtstart, dtend) = (utc(&night["DTSTART"]), utc(&night["DTEND"]));
    assert_eq!((dtstart, dtend), (at(28, 21), at(29, 4)));
    assert_eq!(dtend - dtstart, Duration::hours(7));
    assert!(night["DESCRIPTION"].contains("Sat 28 Mar 22:00 – Sun 29 Mar 06:00 (Europe/Berlin)"), "{}", night["DESCRIPTION"]);
}

#[sqlx::test]
async fn a_new_link_revokes_the_old_one(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let me = world.member("ada@acme.test", Role::Worker, Some(ada)).await;
    let (old, _) = feed(&pool, &me).await;
    let (new, _) = feed(&pool, &me).await;
    assert_ne!(old, new);
    assert!(matches!(calendar_feed::feed(&pool, &old, at(2, 0)).await, Err(DomainError::NotFound { .. })));
    calendar_feed::revoke_link(&pool, &me).await.unwrap();
    assert!(matches!(calendar_feed::feed(&pool, &new, at(2, 0)).await, Err(DomainError::NotFound { .. })));
    let stored: i64 = world.count("SELECT count(*) FROM calendar_feeds WHERE revoked_at IS NULL").await;
    assert_eq!(stored, 0);
}

/// Notes and roles are people's text: control characters in them (a CR that would start a forged
/// VEVENT for a reader splitting lines on it, a bell, an escape sequence) never reach the feed.
#[sqlx::test]
async fn control_characters_in_notes_and_roles_never_reach_the_feed(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let mut new = world.new_shift(ada, at(3, 7), 8);
    new.role = Some("barista\u{7}\u{1b}[2J".into());
    new.notes =
        Some("Keys at the bar\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Free day\r\nDTSTART:20260303T000000Z\u{1b}\u{0b}".into());
    shifts::create(&pool, &world.caller, new).await.unwrap();
    world.publish().await;
    let me = world.member("ada@acme.test", Role::Worker, Some(ada)).await;

    let secret = calendar_feed::renew_link(&pool, &me).await.unwrap();
    let text = calendar_feed::feed(&pool, &secret, at(2, 0)).await.unwrap();
    let stray: Vec<char> = text.replace("\r\n", "").chars().filter(|c| c.is_control()).collect();
    assert!(stray.is_empty(), "only CRLF line endings: {stray:?}");
    let events_begun = text.split(['\r', '\n']).filter(|line| *line == "BEGIN:VEVENT").count();
    assert_eq!(events_begun, 1, "no forged event, even for a reader splitting lines on CR: {text}");
    let parsed = events(&text);
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0]["SUMMARY"], "barista[2J at Main street");
    assert!(parsed[0]["DESCRIPTION"].contains(r"Keys at the bar\nEND:VEVENT\nBEGIN:VEVENT"), "{}", parsed[0]["DESCRIPTION"]);
}
