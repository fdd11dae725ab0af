use crate::client::Browser;
use axum::http::StatusCode;
use mosaic::seed::demo;
use sqlx::PgPool;

/// A browser signed in as one of the demo's people.
async fn signed_in_as(pool: PgPool, email: &str) -> Browser {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
    demo::ensure_demo(&pool, &pool, today, &mut |_| {}).await.unwrap();
    let account = demo::DEMO_ACCOUNTS.iter().find(|a| a.email == email).unwrap();
    let mut browser = Browser::new(pool);
    let page = browser.sign_in(account.email, account.password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    browser
}

#[sqlx::test(migrations = "../migrations")]
async fn the_week_page_is_rendered_on_the_server_with_the_demo_staff_and_conflicts(pool: PgPool) {
    let mut manager = signed_in_as(pool, "manager@demo.mosaic.test").await;
    // The demo's conflicts sit in the last of its four weeks, in draft: 2026-03-16 for a 2026-03-04 start.
    let page = manager.get("/?week=2026-03-16").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body;
    assert!(html.contains("Berlin Mitte · Europe/Berlin"), "{html}");
    assert_eq!(html.matches("class=\"board-row\"").count(), 20, "twenty workers are employed there, all in view");
    assert_eq!(html.matches("role=\"rowheader\"").count(), 20);
    assert!(html.contains("conflict-hard"), "the double booking is marked on its shifts");
    assert!(html.contains("Open conflicts ("));
    assert!(html.contains("/pkg/mosaic.js"), "the page loads the hydration bundle");
    assert!(html.contains("Maria Manager"), "the top bar says who is signed in");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_malformed_week_is_explained_on_the_page(pool: PgPool) {
    let mut manager = signed_in_as(pool, "manager@demo.mosaic.test").await;
    let page = manager.get("/?week=soon").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("week: use a date like 2026-03-02"), "{}", page.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_signed_out_browser_is_sent_to_sign_in_and_back_where_it_was_going(pool: PgPool) {
    // Not a first run (that offers sign-up, tests/api/sign_up.rs): an organisation exists.
    crate::client::Api::new(pool.clone(), "acme").await;
    let mut browser = Browser::new(pool);
    let page = browser.get("/?week=2026-03-09").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/sign-in?next=%2F%3Fweek%3D2026-03-09"));
    let form = browser.get("/sign-in?next=%2F%3Fweek%3D2026-03-09").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("action=\"/auth/sign-in\""), "{}", form.body);
    assert!(form.body.contains("value=\"/?week=2026-03-09\""), "the form carries where to go next");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_worker_timeline_is_rendered_on_the_server(pool: PgPool) {
    let mut worker = signed_in_as(pool, "worker@demo.mosaic.test").await;
    let page = worker.get("/").await;
    assert_eq!((page.status, page.location.as_deref()), (StatusCode::SEE_OTHER, Some("/me")), "a worker has no week calendar");
    let page = worker.get("/conflicts").await;
    assert_eq!((page.status, page.location.as_deref()), (StatusCode::SEE_OTHER, Some("/me")), "nor a conflict board");
    let page = worker.get("/me").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ada Albers&#x27;s shifts") || page.body.contains("Ada Albers's shifts"), "{}", page.body);
    assert!(page.body.contains("Past weeks"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_conflict_board_is_rendered_on_the_server_with_the_demo_conflicts(pool: PgPool) {
    let mut manager = signed_in_as(pool, "manager@demo.mosaic.test").await;
    let page = manager.get("/conflicts").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Conflicts ("), "{}", page.body);
    for kind in ["Double booking", "Short rest", "Missing break"] {
        assert!(page.body.contains(kind), "{kind} on the board");
    }
    assert!(page.body.contains("class=\"board-item warning\"") && page.body.contains("class=\"board-item hard\""));
    let filtered = manager.get("/conflicts?severity=hard").await;
    assert!(filtered.body.contains("Double booking") && !filtered.body.contains("class=\"board-item warning\""));
    let bad = manager.get("/conflicts?severity=purple").await;
    assert!(bad.body.contains("severity: hard or warning"), "a bad filter is named");
}

/// An account without a worker is told it has nothing to put in a calendar and offered no link; asking
/// for one anyway is refused with a 4xx that says why, never a 500.
#[sqlx::test(migrations = "../migrations")]
async fn an_account_without_a_worker_is_offered_no_calendar_link_and_asking_is_refused(pool: PgPool) {
    let mut admin = signed_in_as(pool, "admin@demo.mosaic.test").await;
    let page = admin.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("not linked to a worker"), "{}", page.body);
    assert!(!page.body.contains("Make a new calendar link"), "{}", page.body);
    let asked = admin
        .request(
            axum::http::Request::post("/rpc/renew_calendar_link")
                .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(axum::http::header::ACCEPT, "application/json"),
            axum::body::Body::empty(),
        )
        .await;
    assert!(asked.status.is_client_error(), "{} {}", asked.status, asked.body);
    assert!(asked.body.contains("worker"), "{}", asked.body);
}
