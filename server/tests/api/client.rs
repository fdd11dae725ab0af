use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use mosaic::services::{organisations, Caller};
use mosaic::store::Actor;
use serde_json::{json, Value};
use server::http::{api_router, ApiState};
use sqlx::PgPool;
use tower::ServiceExt;

/// A client of one organisation's API.
#[derive(Clone)]
pub struct Api {
    pub router: Router,
    pub pool: PgPool,
    pub caller: Caller,
}

impl Api {
    pub async fn new(pool: PgPool, slug: &str) -> Api {
        let org = organisations::create(&pool, slug, "Acme", "UTC").await.unwrap();
        let caller = Caller { org, actor: Actor::named("api-test") };
        let router = Router::new().nest("/api/v1", api_router(ApiState { pool: pool.clone(), caller: caller.clone() }));
        Api { router, pool, caller }
    }

    pub async fn call(&self, method: Method, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        let request = Request::builder().method(method).uri(uri).header("content-type", "application/json");
        let request = match body {
            Some(b) => request.body(Body::from(b.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        self.send(request).await
    }

    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        (status, value)
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, Value) {
        self.call(Method::GET, uri, None).await
    }

    pub async fn post(&self, uri: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, uri, Some(body)).await
    }

    pub async fn patch(&self, uri: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, uri, Some(body)).await
    }

    /// Creates something and returns it, failing the test unless the API said 201.
    pub async fn created(&self, uri: &str, body: Value) -> Value {
        let (status, value) = self.post(uri, body).await;
        assert_eq!(status, StatusCode::CREATED, "{uri}: {value}");
        value
    }

    /// A location (UTC) with a draft schedule for 2–16 March 2026.
    pub async fn location_with_schedule(&self) -> (String, Value) {
        let location = self.created("/api/v1/locations", json!({ "name": "Main street", "time_zone": "UTC" })).await;
        let id = location["id"].as_str().unwrap().to_string();
        let schedule = self
            .created(
                "/api/v1/schedules",
                json!({ "location_id": id, "start": "2026-03-02T00:00:00Z", "end": "2026-03-16T00:00:00Z" }),
            )
            .await;
        (id, schedule)
    }

    /// A worker employed from February 2026 at the location.
    pub async fn employed_worker(&self, name: &str, location: &str) -> String {
        let worker = self.created("/api/v1/workers", json!({ "name": name })).await;
        let id = worker["id"].as_str().unwrap().to_string();
        self.created("/api/v1/employments", json!({ "worker_id": id, "location_id": location, "start": "2026-02-01T00:00:00Z" }))
            .await;
        id
    }

    pub async fn shift(&self, worker: &str, location: &str, start: &str, end: &str) -> Value {
        self.created("/api/v1/shifts", json!({ "worker_id": worker, "location_id": location, "start": start, "end": end })).await
    }
}

pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}
