//! Every date a client sends, on every route that takes one, is answered: a day in 1900–2200 is taken,
//! any other is a 422 naming the field (or a 400 when it is not a date at all), and nothing panics or
//! drops the connection. The routes and their date parameters are read from the OpenAPI document, so a
//! route added later is walked too.

use crate::client::{code, Api};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use sqlx::PgPool;

/// A GET route's date parameter, with what the route needs besides.
#[derive(Clone, Debug)]
struct DateParameter {
    path: String,
    name: String,
    date_time: bool,
    /// The other required parameters, filled with sane values.
    others: Vec<(String, Other)>,
}

/// What another required parameter is given.
#[derive(Clone, Debug)]
enum Other {
    Value(String),
    /// The id of the world's one thing of this kind (`locations` for `location_id`).
    IdOf(String),
}

fn format_of(schema: &Value) -> Option<&str> {
    schema["format"].as_str().or_else(|| schema["oneOf"].as_array()?.iter().find_map(|s| s["format"].as_str()))
}

fn sane_value(date_time: bool) -> String {
    if date_time {
        "2026-03-02T00:00:00Z".into()
    } else {
        "2026-03-02".into()
    }
}

fn date_parameters(doc: &Value) -> Vec<DateParameter> {
    let mut found = vec![];
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(parameters) = item["get"]["parameters"].as_array() else { continue };
        let query: Vec<&Value> = parameters.iter().filter(|p| p["in"] == "query").collect();
        for parameter in &query {
            let Some(format) = format_of(&parameter["schema"]).filter(|f| *f == "date" || *f == "date-time") else { continue };
            let others = query
                .iter()
                .filter(|p| p["name"] != parameter["name"] && p["required"] == true)
                .map(|p| {
                    let name = p["name"].as_str().unwrap().to_string();
                    let value = match name.strip_suffix("_id") {
                        Some(kind) => Other::IdOf(format!("{kind}s")),
                        None => Other::Value(sane_value(format_of(&p["schema"]) == Some("date-time"))),
                    };
                    (name, value)
                })
                .collect();
            found.push(DateParameter {
                path: path.clone(),
                name: parameter["name"].as_str().unwrap().into(),
                date_time: format == "date-time",
                others,
            });
        }
    }
    found
}

/// Whether the answer refuses a date for being outside the years Mosaic takes (the route may refuse
/// a sane day for reasons of its own: `to` before `from`, say).
fn out_of_range(body: &Value) -> bool {
    body["error"]["message"].as_str().is_some_and(|m| m.contains(&mosaic::date_range::out_of_range()))
}

/// The route's path with its ids filled in from a world with one of everything.
fn concrete(path: &str, ids: &Value) -> String {
    path.replace("{id}", ids[path.split('/').nth(3).unwrap_or("")].as_str().unwrap_or("00000000-0000-0000-0000-000000000000"))
}

fn encode(value: &str) -> String {
    value.replace('+', "%2B").replace(':', "%3A")
}

async fn ask(api: &Api, parameter: &DateParameter, ids: &Value, value: &str) -> (StatusCode, Value) {
    let mut query = vec![format!("{}={}", parameter.name, encode(value))];
    query.extend(parameter.others.iter().map(|(name, other)| {
        let value = match other {
            Other::Value(value) => value.as_str(),
            Other::IdOf(kind) => ids[kind.as_str()].as_str().unwrap_or("00000000-0000-0000-0000-000000000000"),
        };
        format!("{name}={}", encode(value))
    }));
    api.get(&format!("{}?{}", concrete(&parameter.path, ids), query.join("&"))).await
}

#[sqlx::test(migrations = "../migrations")]
async fn every_date_parameter_of_every_route_takes_sane_days_and_names_the_others(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, schedule) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let shift = api.shift(&ann, &location, "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z").await;
    let ids = json!({ "workers": ann, "locations": location, "schedules": schedule["id"], "shifts": shift["id"] });
    let (_, doc) = api.get("/api/v1/openapi.json").await;
    let parameters = date_parameters(&doc);
    assert!(parameters.len() >= 10, "the document declares the routes' date parameters in the query: {parameters:?}");

    // Within chrono's range, so it parses; most of it outside Mosaic's.
    let days = prop_oneof![-262_000i32..262_000, 1890i32..2210, Just(-262_143), Just(262_142),]
        .prop_flat_map(|year| (Just(year), 1u32..=12, 1u32..=28));
    let mut runner = TestRunner::new(Config { cases: 12, ..Config::default() });
    let mut wrong = vec![];
    for parameter in &parameters {
        let (status, body) = ask(&api, parameter, &ids, &sane_value(parameter.date_time)).await;
        if status.is_server_error() || out_of_range(&body) {
            wrong.push(format!("{} {}: a sane day is refused: {status} {body}", parameter.path, parameter.name));
        }
        for extreme in ["+262142-12-31", "-262143-01-01", "1899-12-31", "2201-01-01"] {
            let value = if parameter.date_time { format!("{extreme}T00:00:00Z") } else { extreme.to_string() };
            let (status, body) = ask(&api, parameter, &ids, &value).await;
            if (status, code(&body), body["error"]["details"]["field"].as_str())
                != (StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(parameter.name.as_str()))
            {
                wrong.push(format!("{} {}={value}: {status} {body}", parameter.path, parameter.name));
            }
        }
        for _ in 0..12 {
            let (year, month, day) = days.new_tree(&mut runner).unwrap().current();
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            let value = if parameter.date_time {
                (Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap()) + Duration::hours(7)).to_rfc3339()
            } else {
                date.to_string()
            };
            let (status, body) = ask(&api, parameter, &ids, &value).await;
            let named = status == StatusCode::UNPROCESSABLE_ENTITY
                && body["error"]["details"]["field"] == parameter.name.as_str()
                && out_of_range(&body);
            let fine = if (1900..=2200).contains(&year) {
                !out_of_range(&body) && !status.is_server_error()
            } else {
                // (400: a spelling of a far year that chrono itself does not read back.)
                named || status == StatusCode::BAD_REQUEST
            };
            if !fine {
                wrong.push(format!("{} {}={value}: {status} {body}", parameter.path, parameter.name));
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers were wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[sqlx::test(migrations = "../migrations")]
async fn every_command_that_takes_a_date_names_one_outside_the_years_mosaic_takes(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let shift = api.shift(&ann, &location, "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z").await;
    let shift_id = shift["id"].as_str().unwrap();
    let (_, employments) = api.get(&format!("/api/v1/workers/{ann}/employments")).await;
    let employment = employments[0]["id"].as_str().unwrap().to_string();

    for far in ["+262142-12-31", "-262143-01-01", "1899-12-31", "2201-01-01"] {
        let instant = format!("{far}T00:00:00Z");
        let commands = [
            (
                "POST",
                "/api/v1/shifts".to_string(),
                json!({ "worker_id": ann, "location_id": location, "start": instant, "end": "2026-03-04T17:00:00Z" }),
                "start",
            ),
            (
                "POST",
                "/api/v1/shifts".to_string(),
                json!({ "worker_id": ann, "location_id": location, "start": "2026-03-04T09:00:00Z", "end": instant }),
                "end",
            ),
            ("PATCH", format!("/api/v1/shifts/{shift_id}"), json!({ "expected_version": 1, "start": instant }), "start"),
            (
                "POST",
                "/api/v1/schedules".to_string(),
                json!({ "location_id": location, "start": instant, "end": "2026-03-16T00:00:00Z" }),
                "start",
            ),
            (
                "POST",
                "/api/v1/schedules".to_string(),
                json!({ "location_id": location, "start": "2026-03-16T00:00:00Z", "end": instant }),
                "end",
            ),
            ("POST", "/api/v1/employments".to_string(), json!({ "worker_id": ann, "start": instant }), "start"),
            ("PATCH", format!("/api/v1/employments/{employment}"), json!({ "expected_version": 1, "end": instant }), "end"),
            (
                "POST",
                "/api/v1/shifts/copy-week".to_string(),
                json!({ "location_id": location, "from_week": "2026-03-02", "to_week": far }),
                "to_week",
            ),
            (
                "POST",
                "/api/v1/shifts/copy-week".to_string(),
                json!({ "location_id": location, "from_week": far, "to_week": "2026-03-09" }),
                "from_week",
            ),
            (
                "POST",
                format!("/api/v1/workers/{ann}/rates"),
                json!({ "hourly_rate_cents": 1600, "currency": "EUR", "effective_from": far }),
                "effective_from",
            ),
            (
                "POST",
                "/api/v1/punch-corrections".to_string(),
                json!({ "worker_id": ann, "action": "add", "reason": "forgot", "direction": "in", "at": instant }),
                "at",
            ),
            ("POST", format!("/api/v1/workers/{ann}/timesheet/approve"), json!({ "week": far }), "week"),
        ];
        for (method, uri, body, field) in commands {
            let method = axum::http::Method::from_bytes(method.as_bytes()).unwrap();
            let (status, answer) = api.call(method.clone(), &uri, Some(body.clone())).await;
            assert_eq!(
                (status, answer["error"]["details"]["field"].as_str(), out_of_range(&answer)),
                (StatusCode::UNPROCESSABLE_ENTITY, Some(field), true),
                "{method} {uri} {body}: {answer}"
            );
        }
    }
}
