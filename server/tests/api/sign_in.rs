use crate::client::{Api, Browser, PASSWORD};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn signing_in_sets_a_private_session_cookie_and_signing_out_ends_the_session(pool: PgPool) {
    let admin = Api::new(pool.clone(), "acme").await;
    let mut browser = Browser::new(pool.clone());
    let page = browser.sign_in(&admin.email.to_uppercase(), PASSWORD).await;
    assert_eq!((page.status, page.location.as_deref()), (StatusCode::SEE_OTHER, Some("/")), "emails match in any case");
    let cookie = page.set_cookie.unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_one(&pool).await.unwrap();
    let secret = browser.cookie.clone().unwrap();
    assert!(!stored.windows(8).any(|w| secret.as_bytes().windows(8).any(|s| s == w)), "only a hash is stored");

    assert_eq!(browser.get("/api/v1/me").await.status, StatusCode::OK, "the API follows the browser's session");
    let signed_out =
        browser.request(Request::post("/auth/sign-out").header("sec-fetch-site", "same-origin"), Body::empty()).await;
    assert_eq!(signed_out.location.as_deref(), Some("/sign-in"));
    assert!(signed_out.set_cookie.unwrap().contains("Max-Age=0"), "the cookie is cleared");
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(sessions, 0);
    assert_eq!(browser.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "the old cookie opens nothing");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_wrong_password_returns_to_the_form_and_repeated_guessing_is_throttled(pool: PgPool) {
    let admin = Api::new(pool.clone(), "acme").await;
    let mut browser = Browser::new(pool.clone());
    for _ in 0..5 {
        let page = browser.sign_in(&admin.email, "not the password").await;
        assert_eq!(page.location.as_deref(), Some("/sign-in?error=wrong&email=admin%40acme.test"));
        assert!(page.set_cookie.is_none());
    }
    let page = browser.sign_in(&admin.email, PASSWORD).await;
    assert_eq!(
        page.location.as_deref(),
        Some("/sign-in?error=throttled&email=admin%40acme.test"),
        "after five failures even the right password waits"
    );
    assert!(page.set_cookie.is_none());
    let unknown = browser.sign_in("nobody@acme.test", PASSWORD).await;
    assert_eq!(
        unknown.location.as_deref(),
        Some("/sign-in?error=wrong&email=nobody%40acme.test"),
        "no hint whether the email exists"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_only_returns_to_pages_on_this_site(pool: PgPool) {
    let admin = Api::new(pool.clone(), "acme").await;
    let mut browser = Browser::new(pool);
    for (next, expected) in [("/?week=2026-03-02", "/?week=2026-03-02"), ("//evil.example/", "/"), ("https://evil.example/", "/")]
    {
        let form =
            serde_urlencoded::to_string([("email", admin.email.as_str()), ("password", PASSWORD), ("next", next)]).unwrap();
        let page = browser
            .request(
                Request::post("/auth/sign-in").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
                Body::from(form),
            )
            .await;
        assert_eq!(page.location.as_deref(), Some(expected), "next={next}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_page_on_another_site_cannot_write_with_the_session_cookie(pool: PgPool) {
    let admin = Api::new(pool.clone(), "acme").await;
    let mut browser = Browser::new(pool);
    browser.sign_in(&admin.email, PASSWORD).await;
    let body = serde_json::json!({ "name": "Mallory" }).to_string();
    let forged = browser
        .request(
            Request::post("/api/v1/workers")
                .header(header::CONTENT_TYPE, "application/json")
                .header("sec-fetch-site", "cross-site")
                .header(header::ORIGIN, "https://evil.example"),
            Body::from(body.clone()),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains("cross_site"), "{}", forged.body);
    let old_browser = browser
        .request(
            Request::post("/api/v1/workers")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::HOST, "mosaic.example")
                .header(header::ORIGIN, "https://evil.example"),
            Body::from(body.clone()),
        )
        .await;
    assert_eq!(old_browser.status, StatusCode::FORBIDDEN, "Origin alone is judged when Sec-Fetch-Site is missing");
    let own_page = browser
        .request(
            Request::post("/api/v1/workers")
                .header(header::CONTENT_TYPE, "application/json")
                .header("sec-fetch-site", "same-origin"),
            Body::from(body),
        )
        .await;
    assert_eq!(own_page.status, StatusCode::CREATED, "{}", own_page.body);
}

/// Through the API, an administrator adding an existing account and a new email gets the same answer;
/// the person is asked at their next sign-in, in the browser, and joins only by accepting.
#[sqlx::test(migrations = "../migrations")]
async fn a_person_added_by_another_organisation_joins_only_by_accepting_at_sign_in(pool: PgPool) {
    let elsewhere = Api::new(pool.clone(), "elsewhere").await;
    let acme = Api::new(pool.clone(), "acme").await;
    let person = |email: &str| serde_json::json!({ "email": email, "name": "Sam", "password": "a password of my choosing", "role": "manager" });
    let (existing_status, mut existing) = acme.post("/api/v1/members", person(&elsewhere.email)).await;
    let (new_status, mut new) = acme.post("/api/v1/members", person("someone.new@example.test")).await;
    assert_eq!((existing_status, new_status), (StatusCode::CREATED, StatusCode::CREATED), "{existing} {new}");
    assert_eq!((existing["pending"].as_bool(), existing["name"].as_str()), (Some(true), Some("Sam")), "{existing}");
    for answer in [&mut existing, &mut new] {
        answer["user_id"] = serde_json::Value::Null;
        answer["email"] = serde_json::Value::Null;
    }
    assert_eq!(existing, new, "nothing tells whether the email had an account");

    let mut browser = Browser::new(pool.clone());
    let asked = browser.sign_in(&elsewhere.email, PASSWORD).await;
    assert_eq!(asked.location.as_deref(), Some("/sign-in?question=acme&role=manager&email=admin%40elsewhere.test"));
    assert!(asked.set_cookie.is_none(), "no session before the answer");
    let question = browser.get(asked.location.as_deref().unwrap()).await;
    assert!(question.body.contains("has added you as a manager"), "{}", question.body);
    let joined = browser
        .sign_in_with(&[("email", &elsewhere.email), ("password", PASSWORD), ("organisation", "acme"), ("answer", "accept")])
        .await;
    assert_eq!((joined.status, joined.location.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    let (_, me) = browser_me(&mut browser).await;
    assert_eq!(me["role"].as_str(), Some("manager"), "{me}");
    let (_, members) = acme.get("/api/v1/members").await;
    let sam = members.as_array().unwrap().iter().find(|m| m["email"] == elsewhere.email.as_str()).unwrap();
    assert_eq!((sam["pending"].as_bool(), sam["name"].as_str()), (Some(false), Some("admin")), "their own name once joined");
}

async fn browser_me(browser: &mut Browser) -> (StatusCode, serde_json::Value) {
    let page = browser.get("/api/v1/me").await;
    (page.status, serde_json::from_str(&page.body).unwrap_or_default())
}
