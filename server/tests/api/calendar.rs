use crate::client::{code, Api};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use mosaic::access::Role;
use serde_json::json;
use sqlx::PgPool;
use tower::ServiceExt;

/// What a calendar app gets from a feed address: status, content type and body.
async fn subscribe(api: &Api, url: &str) -> (StatusCode, String, String) {
    let path = &url[url.find("/calendar/").expect("a feed address")..];
    let response = api.router.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let kind = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    (status, kind, body)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_subscribes_to_a_private_feed_that_a_new_link_replaces(pool: PgPool) {
    let admin = Api::new(pool, "acme").await;
    // The feed reaches from 60 days back to a year ahead of today, so this plans around today.
    let today = chrono::Utc::now().date_naive();
    let day =
        |offset: i64, hour: u32| (today + chrono::Duration::days(offset)).and_hms_opt(hour, 0, 0).unwrap().and_utc().to_rfc3339();
    let location = admin.created("/api/v1/locations", json!({ "name": "Main street", "time_zone": "UTC" })).await;
    let location = location["id"].as_str().unwrap().to_string();
    let schedule =
        admin.created("/api/v1/schedules", json!({ "location_id": location, "start": day(-1, 0), "end": day(14, 0) })).await;
    let worker_entity = admin.created("/api/v1/workers", json!({ "name": "Ada" })).await;
    let ada = worker_entity["id"].as_str().unwrap().to_string();
    admin.created("/api/v1/employments", json!({ "worker_id": ada, "location_id": location, "start": day(-30, 0) })).await;
    let shift = admin.shift(&ada, &location, &day(1, 7), &day(1, 15)).await;
    let (status, _) = admin
        .post(
            &format!("/api/v1/schedules/{}/publish", schedule["id"].as_str().unwrap()),
            json!({ "expected_version": schedule["version"] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let worker = admin.colleague("ada@acme.test", Role::Worker, Some(&ada), &[]).await;

    let (status, link) = worker.post("/api/v1/me/calendar-link", json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{link}");
    let url = link["url"].as_str().unwrap().to_string();
    let anonymous = worker.anonymous();
    let (status, kind, body) = subscribe(&anonymous, &url).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/calendar; charset=utf-8"), "no sign-in: the link is the key");
    let calendar = ical::IcalParser::new(body.as_bytes()).next().unwrap().unwrap();
    assert_eq!(calendar.events.len(), 1);
    let uid = calendar.events[0].properties.iter().find(|p| p.name == "UID").and_then(|p| p.value.clone());
    assert_eq!(uid, Some(format!("{}@mosaic", shift["id"].as_str().unwrap())));

    let (_, renewed) = worker.post("/api/v1/me/calendar-link", json!({})).await;
    assert_ne!(renewed["url"], link["url"]);
    assert_eq!(subscribe(&anonymous, &url).await.0, StatusCode::NOT_FOUND, "the old link stops working");
    assert_eq!(subscribe(&anonymous, renewed["url"].as_str().unwrap()).await.0, StatusCode::OK);
    assert_eq!(subscribe(&anonymous, "http://x/calendar/mosaic_cal_guess.ics").await.0, StatusCode::NOT_FOUND);

    let (status, body) = admin.post("/api/v1/me/calendar-link", json!({})).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "no_worker"), "an account without a worker has no shifts to feed");
    let (status, timeline) = worker.get("/api/v1/me/timeline").await;
    assert_eq!(status, StatusCode::OK, "{timeline}");
    assert_eq!(timeline["worker_name"], "Ada");
}
