use crate::client::{code, Api};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn health_reports_the_database(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (status, body) = api.get("/api/v1/health").await;
    assert_eq!((status, body["database"].as_str()), (StatusCode::OK, Some("ok")));
}

#[sqlx::test(migrations = "../migrations")]
async fn unreadable_requests_get_a_400_that_says_what_is_wrong(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (status, body) = api.get("/api/v1/shifts/not-a-uuid").await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "malformed"));

    let raw =
        Request::post("/api/v1/workers").header("content-type", "application/json").body(Body::from("{\"name\": ")).unwrap();
    let (status, body) = api.send(raw).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "malformed"));

    let (status, body) = api.post("/api/v1/workers", json!({ "name": 42 })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"].as_str().unwrap().contains("name"), "the message names the field: {body}");

    let (status, body) = api.get("/api/v1/shifts?from=yesterday").await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "malformed"));

    let (status, body) = api.get("/api/v1/no-such-thing").await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));

    let (status, body) = api.delete("/api/v1/health").await;
    assert_eq!((status, code(&body)), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"), "a JSON error, not an empty body");
}

#[sqlx::test(migrations = "../migrations")]
async fn values_the_domain_refuses_get_a_422_naming_the_field(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (status, body) = api.post("/api/v1/workers", json!({ "name": "   " })).await;
    assert_eq!(
        (status, code(&body), body["error"]["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("name"))
    );

    let (status, body) = api.post("/api/v1/locations", json!({ "name": "Moon base", "time_zone": "Moon/Tranquility" })).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("time_zone")));

    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let (status, body) = api
        .post(
            "/api/v1/shifts",
            json!({ "worker_id": ann, "location_id": location, "start": "2026-03-03T10:00:00Z", "end": "2026-03-03T09:00:00Z" }),
        )
        .await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("end")));

    let (status, body) = api
        .post("/api/v1/shifts", json!({ "worker_id": ann, "location_id": location, "start": "2026-03-03T09:00:00Z", "end": "2026-03-03T17:00:00Z", "role": "x".repeat(81) }))
        .await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("properties.role")));

    let (status, body) = api.get("/api/v1/changes?after=yesterday").await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("after")));
    let (status, _) = api.get(&format!("/api/v1/workers/{ann}/timeline?from=2026-03-09T00:00:00Z&to=2026-03-02T00:00:00Z")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_describes_every_route(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (status, doc) = api.get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/health",
        "/api/v1/workers",
        "/api/v1/workers/{id}/timeline",
        "/api/v1/locations/{id}/children",
        "/api/v1/employments",
        "/api/v1/schedules/{id}/publish",
        "/api/v1/shifts/{id}",
        "/api/v1/shifts/{id}/breaks",
        "/api/v1/attention-items",
        "/api/v1/changes",
        "/api/v1/invitations",
        "/api/v1/invitations/{id}/resend",
        "/api/v1/members/{user_id}/password-link",
    ] {
        assert!(paths.contains_key(path), "{path} is missing from the OpenAPI document");
    }
    assert!(doc["paths"]["/api/v1/shifts/{id}"]["patch"]["responses"]["412"].is_object());
    assert!(doc["components"]["schemas"]["ShiftView"].is_object());
}

#[sqlx::test(migrations = "../migrations")]
async fn values_postgres_cannot_store_are_a_422_not_a_500(pool: PgPool) {
    let api = Api::new(pool, "acme").await;
    let (status, body) = api.post("/api/v1/workers", json!({ "name": "Nul\u{0}Byte" })).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid"), "{body}");
    let (status, _) = api.post("/api/v1/locations", json!({ "name": "Old", "time_zone": "UTC", "capacity": -1 })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann", &location).await;
    let (status, body) = api
        .post("/api/v1/shifts", json!({ "worker_id": ann, "location_id": location, "start": "2026-03-03T09:00:00Z", "end": "2026-03-03T17:00:00Z", "notes": "a\u{0}b" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A field the request does not have is refused by name, and nothing is changed.
    let shift = api.shift(&ann, &location, "2026-03-04T09:00:00Z", "2026-03-04T17:00:00Z").await;
    let uri = format!("/api/v1/shifts/{}", shift["id"].as_str().unwrap());
    let (status, body) = api.patch(&uri, json!({ "expected_version": 1, "stat": "2026-03-04T10:00:00Z" })).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("stat")), "{body}");
    assert_eq!(api.get(&uri).await.1["version"], 1, "no new version, and no change logged");
    let (status, body) = api.post("/api/v1/workers", json!({ "name": "Cy", "emial": "cy@acme.test" })).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("emial")), "{body}");

    // A worker where the location belongs: named, not a 500.
    let bob = api.created("/api/v1/workers", json!({ "name": "Bob" })).await;
    let (status, body) = api
        .post("/api/v1/employments", json!({ "worker_id": bob["id"], "location_id": ann, "start": "2027-01-01T00:00:00Z" }))
        .await;
    assert_eq!(
        (status, body["error"]["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("location_id")),
        "{body}"
    );
}

/// The server's own router wraps every handler in this; a bug that panics is a logged JSON 500, and the
/// connection gets its answer.
#[tokio::test]
async fn a_handler_that_panics_still_answers_with_the_json_error() {
    use tower::ServiceExt;
    let app = axum::Router::new()
        .route("/boom", axum::routing::get(|| async { panic!("an overflow, say") as &'static str }))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(server::http::error::answer_panic));
    let response = app.oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(code(&body), "internal");
}
