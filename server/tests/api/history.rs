//! Time travel through the API and on the server-rendered page.

use crate::client::{code, Api, Browser};
use axum::http::StatusCode;
use mosaic::access::Role;
use mosaic::seed::demo;
use serde_json::{json, Value};
use sqlx::PgPool;

fn field(body: &Value) -> &str {
    body["error"]["details"]["field"].as_str().unwrap_or("")
}

#[sqlx::test(migrations = "../migrations")]
async fn a_week_as_it_stood_and_what_changed_since(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let shift = api.shift(&ann, &location, "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z").await;
    let week = |query: &str| format!("/api/v1/history/week?location={location}&week=2026-03-04{query}");
    let (status, before) = api.get(&week("")).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    let planned = before["at"]["position"].as_i64().unwrap();
    assert_eq!(before["at"]["kind"], "shift.created");

    let id = shift["id"].as_str().unwrap();
    let (status, moved) = api
        .patch(
            &format!("/api/v1/shifts/{id}"),
            json!({ "expected_version": 1, "start": "2026-03-03T11:00:00Z", "end": "2026-03-03T19:00:00Z" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");

    let (status, then) = api.get(&week(&format!("&at={planned}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(then["rows"][0]["shifts"][0]["during"]["start"], "2026-03-03T09:00:00Z", "{then}");
    assert_eq!(then["at"]["later"].as_i64().map(|p| p > planned), Some(true));

    let (status, now) = api.get(&week(&format!("&since={planned}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(now["rows"][0]["shifts"][0]["during"]["start"], "2026-03-03T11:00:00Z");
    let difference = &now["differences"][0];
    assert_eq!((difference["kind"].as_str(), difference["shift_id"].as_str()), (Some("moved"), Some(id)), "{now}");
    assert_eq!(difference["before"]["during"]["start"], "2026-03-03T09:00:00Z");
    assert_eq!(difference["changed_by"], json!(["admin"]));
    assert_eq!(difference["changes"], json!(["shift.moved"]));

    let recorded = then["at"]["recorded_at"].as_str().unwrap();
    let (status, by_time) =
        api.get(&format!("/api/v1/history/organisation-week?start=2026-03-02T00:00:00Z&at_time={recorded}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_time[0]["during"]["start"], "2026-03-03T09:00:00Z", "{by_time}");
    let (_, latest) = api.get("/api/v1/history/organisation-week?start=2026-03-02T00:00:00Z").await;
    assert_eq!(latest[0]["during"]["start"], "2026-03-03T11:00:00Z");
    let (_, long_ago) =
        api.get("/api/v1/history/organisation-week?start=2026-03-02T00:00:00Z&at_time=2001-01-01T00:00:00Z").await;
    assert_eq!(long_ago, json!([]), "before the first change nothing was planned");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_moments_are_named_and_history_is_for_planners(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    for (query, named) in [
        ("/api/v1/history/week?at=-1", "at"),
        ("/api/v1/history/week?since=soon", "since"),
        ("/api/v1/history/week?at_time=yesterday", "at_time"),
        ("/api/v1/history/week?since_time=2026-13-01T00:00", "since_time"),
        ("/api/v1/history/organisation-week?start=2026-03-02T00:00:00Z&at_time=2026-03-02T09:00", "at_time"),
    ] {
        let (status, body) = api.get(query).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, named), "{query}: {body}");
    }
    let (status, body) = api.get(&format!("/api/v1/history/week?location={}", uuid::Uuid::new_v4())).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"), "{body}");
    let worker = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;
    let (status, _) = worker.get("/api/v1/history/week").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "drafts and other people's shifts are not a worker's to see");
    let (status, _) = api.anonymous().get("/api/v1/history/week").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, document) = api.get("/api/v1/openapi.json").await;
    assert!(document["paths"]["/api/v1/history/week"]["get"].is_object());
    assert!(document["paths"]["/api/v1/history/organisation-week"]["get"].is_object());
}

#[sqlx::test(migrations = "../migrations")]
async fn the_history_page_is_rendered_on_the_server(pool: PgPool) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
    demo::ensure_demo(&pool, &pool, today, &mut |_| {}).await.unwrap();
    let sign_in = |email: &'static str| {
        let pool = pool.clone();
        async move {
            let account = demo::DEMO_ACCOUNTS.iter().find(|a| a.email == email).unwrap();
            let mut browser = Browser::new(pool);
            browser.sign_in(account.email, account.password).await;
            browser
        }
    };
    let mut manager = sign_in("manager@demo.mosaic.test").await;
    let page = manager.get("/history?week=2026-03-16").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("as it stood after change #"), "{}", page.body);
    assert!(page.body.contains("class=\"history-row\""), "the demo's drafts of that week are drawn");
    assert!(page.body.contains("type=\"range\""), "a slider over the change log");
    let bad = manager.get("/history?at=later").await;
    assert!(bad.body.contains("at: must be a position in the change log"), "{}", bad.body);

    let mut worker = sign_in("worker@demo.mosaic.test").await;
    let page = worker.get("/history").await;
    assert_eq!((page.status, page.location.as_deref()), (StatusCode::SEE_OTHER, Some("/me")));
}
