use app::state::AppState;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use mosaic::access::Role;
use mosaic::ids::{EntityId, OrgId};
use mosaic::services::accounts::tokens;
use mosaic::services::members::{self, NewMember};
use mosaic::services::sign_up::SignUpPolicy;
use mosaic::services::{accounts, organisations, Caller};
use serde_json::{json, Value};
use sqlx::PgPool;
use tower::ServiceExt;

/// The whole server as a browser or API client meets it: sign-in, authentication, the API and pages.
pub fn server(pool: PgPool) -> Router {
    server_with(pool, SignUpPolicy::default())
}

/// The server under a sign-up policy other than the default.
pub fn server_with(pool: PgPool, sign_up: SignUpPolicy) -> Router {
    let state = AppState { leptos_options: LeptosOptions::builder().output_name("mosaic").build(), pool, sign_up };
    server::router(state, false)
}

/// A client of one organisation's API, signed in with a personal API token of one member.
#[derive(Clone)]
pub struct Api {
    pub router: Router,
    pub pool: PgPool,
    pub org: OrgId,
    /// `None` sends no credentials at all.
    pub token: Option<String>,
    pub email: String,
}

/// The role the scripts make for the server (scripts/database.sh), with the password they give it.
pub async fn application_pool(owner: &PgPool) -> PgPool {
    let password = std::env::var("MOSAIC_APP_PASSWORD").ok();
    mosaic::store::roles::application_pool(owner, "mosaic_app", password.as_deref()).await.expect("the application role")
}

pub const PASSWORD: &str = "a long test password";

impl Api {
    /// A new organisation and its first administrator, served as the server is: connected as the
    /// application role, which owns nothing.
    pub async fn new(owner: PgPool, slug: &str) -> Api {
        let pool = application_pool(&owner).await;
        let org = organisations::create(&pool, slug, "Acme", "UTC").await.unwrap();
        Api::member(pool, org, &format!("admin@{slug}.test"), Role::Admin, None, vec![]).await
    }

    /// A new member of `org` with a role, and a client holding their API token.
    pub async fn member(
        pool: PgPool,
        org: OrgId,
        email: &str,
        role: Role,
        worker: Option<EntityId>,
        locations: Vec<EntityId>,
    ) -> Api {
        let system = Caller::system(org, "test setup");
        let member = members::add(
            &pool,
            &system,
            NewMember {
                email: email.into(),
                name: Some(email.split('@').next().unwrap().into()),
                password: Some(PASSWORD.into()),
                role,
                worker_id: worker,
                location_ids: locations,
            },
        )
        .await
        .unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let caller = accounts::caller_for(&mut conn, org, member.user_id).await.unwrap().unwrap();
        let token = tokens::create(&pool, &caller, "tests").await.unwrap().token;
        Api { router: server(pool.clone()), pool, org, token: Some(token), email: email.into() }
    }

    /// Another member of the same organisation.
    pub async fn colleague(&self, email: &str, role: Role, worker: Option<&str>, locations: &[&str]) -> Api {
        let worker = worker.map(|w| w.parse().unwrap());
        let locations = locations.iter().map(|l| l.parse().unwrap()).collect();
        Api::member(self.pool.clone(), self.org, email, role, worker, locations).await
    }

    /// The same server with no credentials.
    pub fn anonymous(&self) -> Api {
        Api { token: None, ..self.clone() }
    }

    pub fn with_token(&self, token: &str) -> Api {
        Api { token: Some(token.into()), ..self.clone() }
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

    /// Sends a request with this client's token.
    pub async fn send(&self, mut request: Request<Body>) -> (StatusCode, Value) {
        if let Some(token) = &self.token {
            request.headers_mut().insert(header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
        }
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

    pub async fn delete(&self, uri: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, uri, None).await
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

/// A browser's view of the server: form posts, a session cookie, pages.
pub struct Browser {
    pub router: Router,
    pub cookie: Option<String>,
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub body: String,
}

impl Browser {
    pub fn new(pool: PgPool) -> Browser {
        Browser { router: server(pool), cookie: None }
    }

    pub async fn request(&mut self, request: axum::http::request::Builder, body: Body) -> Page {
        let request = match &self.cookie {
            Some(cookie) => request.header(header::COOKIE, cookie),
            None => request,
        };
        let response = self.router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let text = |name| response.headers().get(name).map(|v: &header::HeaderValue| v.to_str().unwrap().to_string());
        let (location, set_cookie) = (text(header::LOCATION), text(header::SET_COOKIE));
        let status = response.status();
        let body = String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).into_owned();
        Page { status, location, set_cookie, body }
    }

    pub async fn get(&mut self, uri: &str) -> Page {
        self.request(Request::get(uri), Body::empty()).await
    }

    /// Posts the sign-in form as the page does, and keeps the session cookie it gets.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.sign_in_with(&[("email", email), ("password", password), ("next", "")]).await
    }

    /// Posts the sign-in form with these fields (an organisation, an answer to a pending membership).
    pub async fn sign_in_with(&mut self, fields: &[(&str, &str)]) -> Page {
        self.post_form("/auth/sign-in", fields).await
    }

    /// Posts an HTML form as the browser does, and keeps any session cookie it is given.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let form = serde_urlencoded::to_string(fields).unwrap();
        let page = self
            .request(Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"), Body::from(form))
            .await;
        if let Some(cookie) = &page.set_cookie {
            self.cookie = Some(cookie.split(';').next().unwrap().to_string());
        }
        page
    }
}
