use crate::client::{code, Api};
use axum::http::{Method, StatusCode};
use mosaic::access::Role;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn put(api: &Api, body: Value) -> (StatusCode, Value) {
    api.call(Method::PUT, "/api/v1/organisation", Some(body)).await
}

#[sqlx::test(migrations = "../migrations")]
async fn an_administrator_changes_the_settings_at_the_version_read(pool: PgPool) {
    let admin = Api::new(pool.clone(), "acme").await;
    let (status, read) = admin.get("/api/v1/organisation").await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["version"], 1);
    assert_eq!(read["settings"]["week_starts_on"], "monday");
    assert_eq!(read["settings"]["rules"]["min_rest_hours"], 11.0);
    assert_eq!(read["settings"]["pay"]["weekend_days"], json!(["sat", "sun"]));

    let mut settings = read["settings"].clone();
    settings["week_starts_on"] = json!("sunday");
    settings["rules"]["max_weekly_hours"] = json!(45);
    settings["pay"]["night_start"] = Value::Null;
    settings["pay"]["night_end"] = Value::Null;
    let (status, saved) = put(&admin, json!({ "expected_version": 1, "settings": settings })).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!((saved["version"].as_i64(), saved["settings"]["week_starts_on"].as_str()), (Some(2), Some("sunday")));
    assert_eq!(saved["settings"]["pay"]["night_start"], Value::Null);

    let (status, stale) = put(&admin, json!({ "expected_version": 1, "settings": settings })).await;
    assert_eq!((status, code(&stale)), (StatusCode::PRECONDITION_FAILED, "stale_version"), "{stale}");
    let (_, log) = admin.get("/api/v1/changes?limit=100").await;
    assert!(log.to_string().contains("organisation.settings_changed"), "{log}");
}

#[sqlx::test(migrations = "../migrations")]
async fn others_read_but_do_not_change_and_bad_settings_name_their_field(pool: PgPool) {
    let admin = Api::new(pool.clone(), "acme").await;
    let (_, read) = admin.get("/api/v1/organisation").await;
    let manager = admin.colleague("boss@acme.test", Role::Manager, None, &[]).await;
    let (status, _) = manager.get("/api/v1/organisation").await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = put(&manager, json!({ "expected_version": 1, "settings": read["settings"] })).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"));

    let with = |path: &[&str], value: Value| {
        let mut settings = read["settings"].clone();
        let mut at = &mut settings;
        for key in &path[..path.len() - 1] {
            at = &mut at[*key];
        }
        at[path[path.len() - 1]] = value;
        json!({ "expected_version": 1, "settings": settings })
    };
    for (body, field) in [
        (with(&["rules", "min_rest_hours"], json!(-3)), "rules.min_rest_hours"),
        (with(&["pay", "night_multiplier"], json!(40)), "pay.night_multiplier"),
        (with(&["pay", "night_start"], json!("noon")), "pay.night_start"),
        (with(&["time_zone"], json!("Europe/Atlantis")), "time_zone"),
        (with(&["currency"], json!("€")), "currency"),
    ] {
        let (status, answer) = put(&admin, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["details"]["field"].as_str(), Some(field), "{answer}");
    }
    for (body, named) in
        [(with(&["week_starts_on"], json!("friday")), "settings.week_starts_on"), (with(&["rules", "plan"], json!(1)), "plan")]
    {
        let (status, answer) = put(&admin, body).await;
        assert!(status.is_client_error(), "{status} {answer}");
        assert!(answer["error"]["message"].as_str().is_some_and(|m| m.contains(named)), "{answer}");
    }
    let (_, after) = admin.get("/api/v1/organisation").await;
    assert_eq!(after["version"], 1, "nothing refused was written");
}
