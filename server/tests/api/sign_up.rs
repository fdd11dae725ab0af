use crate::client::{server_with, Api, Browser};
use axum::http::StatusCode;
use mosaic::services::sign_up::SignUpPolicy;
use sqlx::PgPool;

const FORM: [(&str, &str); 6] = [
    ("organisation_name", "Harbour Bakery"),
    ("time_zone", "Europe/Lisbon"),
    ("currency", "EUR"),
    ("admin_name", "Ines Costa"),
    ("admin_email", "ines@harbour.test"),
    ("admin_password", "a long founder password"),
];

fn browser_under(pool: &PgPool, policy: SignUpPolicy) -> Browser {
    Browser { router: server_with(pool.clone(), policy), cookie: None }
}

fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    FORM.iter().map(|(name, v)| (*name, if *name == field { value } else { *v })).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_empty_database_offers_sign_up_and_the_founder_lands_signed_in(pool: PgPool) {
    let mut browser = browser_under(&pool, SignUpPolicy::First);
    let home = browser.get("/").await;
    assert_eq!(home.location.as_deref(), Some("/sign-up"), "a first run is sent to create its organisation");
    let page = browser.get("/sign-up").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Create your organisation") && page.body.contains("Europe/Lisbon"));

    let created = browser.post_form("/auth/sign-up", &FORM).await;
    assert_eq!((created.status, created.location.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    assert!(created.set_cookie.as_deref().is_some_and(|c| c.contains("HttpOnly")));
    let me = browser.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("Ines Costa") && me.body.contains("admin"), "{}", me.body);

    // The door closes behind the first organisation: a stranger is sent to sign in, and the form is gone.
    let mut stranger = browser_under(&pool, SignUpPolicy::First);
    assert!(stranger.get("/").await.location.unwrap().starts_with("/sign-in?"));
    assert_eq!(stranger.get("/sign-up").await.location.as_deref(), Some("/sign-in?error=sign_up_closed"));
    let again = stranger.post_form("/auth/sign-up", &with("admin_email", "other@harbour.test")).await;
    assert_eq!(again.location.as_deref(), Some("/sign-in?error=sign_up_closed"));
    let organisations: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations").fetch_one(&pool).await.unwrap();
    assert_eq!(organisations, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_sign_up_returns_to_the_form_naming_the_field_and_keeping_all_but_the_password(pool: PgPool) {
    let mut browser = browser_under(&pool, SignUpPolicy::First);
    let page = browser.post_form("/auth/sign-up", &with("time_zone", "Atlantis/Capital")).await;
    let location = page.location.unwrap();
    assert!(location.starts_with("/sign-up?field=time_zone&error=invalid&"), "{location}");
    assert!(location.contains("admin_email=ines%40harbour.test") && !location.contains("password"), "{location}");
    assert!(page.set_cookie.is_none());

    let shown = browser.get(&location).await;
    assert!(shown.body.contains("Choose a time zone from the list."), "the page words the problem");
    assert!(!shown.body.contains("value=\"Atlantis/Capital\""), "only known zones are offered");

    let control = browser.post_form("/auth/sign-up", &with("organisation_name", "Bad\u{0}Name")).await;
    assert!(control.location.unwrap().starts_with("/sign-up?field=organisation_name&error=invalid"));
    let unknown_field = browser.post_form("/auth/sign-up", &[FORM.as_slice(), &[("plan", "gold")]].concat()).await;
    assert_eq!(unknown_field.status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown field is refused, not ignored");
    let organisations: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations").fetch_one(&pool).await.unwrap();
    assert_eq!(organisations, 0, "nothing was half-written");
}

#[sqlx::test(migrations = "../migrations")]
async fn closed_sign_up_is_refused_and_open_sign_up_takes_more_organisations(pool: PgPool) {
    let mut closed = browser_under(&pool, SignUpPolicy::Closed);
    assert!(closed.get("/").await.location.unwrap().starts_with("/sign-in?"), "closed: even a first run signs in");
    assert_eq!(closed.get("/sign-up").await.location.as_deref(), Some("/sign-in?error=sign_up_closed"));
    let refused = closed.post_form("/auth/sign-up", &FORM).await;
    assert_eq!(refused.location.as_deref(), Some("/sign-in?error=sign_up_closed"));
    assert!(refused.set_cookie.is_none());

    Api::new(pool.clone(), "acme").await;
    let mut open = browser_under(&pool, SignUpPolicy::Open);
    assert_eq!(open.get("/sign-up").await.status, StatusCode::OK);
    let created = open.post_form("/auth/sign-up", &FORM).await;
    assert_eq!(created.location.as_deref(), Some("/"));
    let organisations: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations").fetch_one(&pool).await.unwrap();
    assert_eq!(organisations, 2);
}
