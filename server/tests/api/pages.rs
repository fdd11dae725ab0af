use app::state::AppState;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use mosaic::seed::demo;
use mosaic::services::{organisations, Caller};
use mosaic::store::Actor;
use sqlx::PgPool;
use tower::ServiceExt;

async fn page(pool: PgPool, uri: &str) -> (StatusCode, String) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
    let org = demo::ensure_demo(&pool, today, &mut |_| {}).await.unwrap();
    assert_eq!(organisations::find_by_slug(&pool, demo::DEMO_SLUG).await.unwrap(), Some(org));
    let state = AppState {
        leptos_options: LeptosOptions::builder().output_name("mosaic").build(),
        pool,
        caller: Caller { org, actor: Actor::named("page-test") },
    };
    let response = server::router(state).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let html = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    (status, html)
}

#[sqlx::test(migrations = "../migrations")]
async fn the_week_page_is_rendered_on_the_server_with_the_demo_staff_and_conflicts(pool: PgPool) {
    // The demo's conflicts sit in the third of its four weeks: 2026-03-09 for a 2026-03-04 start.
    let (status, html) = page(pool, "/?week=2026-03-09").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Berlin Mitte · Europe/Berlin"), "{html}");
    assert_eq!(html.matches("<th scope=\"row\" class=\"worker\">").count(), 20, "twenty workers are employed there");
    assert!(html.contains("conflict-hard"), "the double booking is marked on its shifts");
    assert!(html.contains("Open conflicts ("));
    assert!(html.contains("/pkg/mosaic.js"), "the page loads the hydration bundle");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_malformed_week_is_explained_on_the_page(pool: PgPool) {
    let (status, html) = page(pool, "/?week=soon").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("week: use a date like 2026-03-02"), "{html}");
}
