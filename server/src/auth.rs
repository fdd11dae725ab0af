//! Who is asking, decided once per request before any route runs: a bearer token (API clients) or the
//! session cookie (browsers) becomes a `Caller` in the request's extensions, which API handlers take
//! through `http::Auth` and server functions through the request parts Leptos hands them. What each
//! caller may then do is decided by the services (`mosaic::access`), not here.
//!
//! Also here: signing in and out (plain HTML form posts, so they work before the WASM loads), the
//! private calendar feed route, the cross-site check on cookie-authenticated writes, and sending a
//! signed-out browser to the sign-in page.

use crate::http::error::ApiError;
use axum::extract::{Form, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use mosaic::access::Role;
use mosaic::services::accounts::{self, tokens, MembershipAnswer, SignInOutcome, SignedIn};
use mosaic::services::sign_up::{self, NewOrganisation, SignUpPolicy};
use mosaic::services::{calendar_feed, invitations, password_links, Caller};
use mosaic::store::DomainError;
use serde::Deserialize;
use sqlx::PgPool;

pub const SESSION_COOKIE: &str = "mosaic_session";

/// Settings the sign-in routes need besides the pool.
#[derive(Clone, Debug)]
pub struct AuthState {
    pub pool: PgPool,
    /// Mark the session cookie `Secure` (HTTPS only). Off only for plain-HTTP loopback development.
    pub secure_cookies: bool,
    /// Who may create an organisation from the sign-up page.
    pub sign_up: SignUpPolicy,
}

/// Finds the caller. A bad bearer token is refused outright (401): an API client must hear that its
/// token is wrong rather than be treated as signed out. A stale session cookie just means signed out.
/// A write carrying a session cookie must come from this site's own pages.
pub async fn authenticate(State(auth): State<AuthState>, mut request: Request, next: Next) -> Response {
    if request.method() == Method::GET && is_static_file(request.uri().path()) {
        // The site's scripts, styles and images are the same for everyone: no session lookup for them.
        return next.run(request).await;
    }
    let headers = request.headers();
    let bearer = match headers.get(header::AUTHORIZATION) {
        Some(value) => match value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim) {
            Some(token) if !token.is_empty() => Some(token.to_string()),
            _ => {
                return ApiError::from(DomainError::Unauthenticated {
                    message: "The Authorization header must be `Bearer <token>`.".into(),
                })
                .into_response()
            }
        },
        None => None,
    };
    let caller: Option<Caller> = if let Some(token) = bearer {
        match tokens::caller_for_token(&auth.pool, &token).await {
            Ok(caller) => Some(caller),
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else {
        if !request.method().is_safe() && is_cross_site(headers) {
            return ApiError::CrossSite.into_response();
        }
        match CookieJar::from_headers(headers).get(SESSION_COOKIE).map(|c| c.value().to_string()) {
            Some(session) => match accounts::caller_for_session(&auth.pool, &session).await {
                Ok(caller) => caller,
                Err(e) => return ApiError::from(e).into_response(),
            },
            None => None,
        }
    };
    if let Some(caller) = caller {
        request.extensions_mut().insert(caller);
    }
    next.run(request).await
}

/// Browsers say where a request comes from: `Sec-Fetch-Site` (all current browsers) or, failing that,
/// `Origin`. Clients that send neither are not browsers, so a cookie cannot be ridden through them.
fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), headers.get(header::HOST).and_then(|v| v.to_str().ok())) {
        (Some(origin), Some(host)) => origin != format!("http://{host}") && origin != format!("https://{host}"),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Sends a signed-out browser to the sign-in page — or, on a first run with no organisation yet, to the
/// page that creates one — and a worker from the scheduler's calendar to their own timeline. Only page
/// views are judged here; API routes, server functions and assets answer for themselves.
pub async fn pages_need_sign_in(State(auth): State<AuthState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if request.method() == Method::GET && path == "/sign-up" {
        return match auth.sign_up.allows_now(&auth.pool).await {
            Ok(true) => next.run(request).await,
            Ok(false) => Redirect::to("/sign-in?error=sign_up_closed").into_response(),
            Err(e) => ApiError::from(e).into_response(),
        };
    }
    // Signing in, and the one-time links (an invitation, a password link), are for people not signed in.
    let for_anyone = path == "/sign-in" || path.starts_with("/join/") || path.starts_with("/password/");
    let is_page = request.method() == Method::GET && !for_anyone && !is_routed(path) && !is_static_file(path);
    if is_page {
        match request.extensions().get::<Caller>() {
            None => {
                if path == "/" && auth.sign_up != SignUpPolicy::Closed {
                    match sign_up::no_organisation_yet(&auth.pool).await {
                        Ok(true) => return Redirect::to("/sign-up").into_response(),
                        Ok(false) => {}
                        Err(e) => return ApiError::from(e).into_response(),
                    }
                }
                let next_page = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let target = format!("/sign-in?{}", query(&[("next", next_page)]));
                return Redirect::to(&target).into_response();
            }
            // A worker has no week calendar, conflict board, history or timesheets: their page is their own
            // timeline.
            Some(caller)
                if caller.access.role == Role::Worker
                    && matches!(
                        path,
                        "/" | "/conflicts" | "/history" | "/timesheets" | "/people" | "/settings" | "/locations"
                    ) =>
            {
                return Redirect::to("/me").into_response()
            }
            Some(_) => {}
        }
    }
    next.run(request).await
}

pub fn routes(state: AuthState) -> Router {
    Router::new()
        .route("/auth/sign-in", post(sign_in))
        .route("/auth/sign-out", post(sign_out))
        .route("/auth/sign-up", post(sign_up))
        .route("/auth/join", post(join))
        .route("/auth/password", post(set_password))
        .route("/calendar/{file}", get(calendar))
        .with_state(state)
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    /// The page to return to, a path on this site.
    next: Option<String>,
    /// An organisation's slug, for people in more than one.
    organisation: Option<String>,
    /// The answer to a pending membership in `organisation`: accept, decline or later.
    answer: Option<String>,
}

/// The client's address, when the server was started with connection info (tests run without it).
pub struct ClientAddress(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let address =
            parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0.ip().to_string());
        Ok(ClientAddress(address))
    }
}

/// Signs in from the HTML form: on success sets the session cookie and goes on to `next` (or the
/// person's home page); on failure returns to the form saying why, with the email kept.
pub async fn sign_in(
    State(auth): State<AuthState>,
    ClientAddress(client): ClientAddress,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> Response {
    let organisation = form.organisation.as_deref().map(str::trim).filter(|o| !o.is_empty());
    let next = form.next.as_deref().filter(|n| is_local_path(n));
    let answer = match form.answer.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("accept") => Some(MembershipAnswer::Accept),
        Some("decline") => Some(MembershipAnswer::Decline),
        Some("later") => Some(MembershipAnswer::Later),
        Some(_) => return ApiError::from(DomainError::invalid("answer", "must be accept, decline or later")).into_response(),
    };
    let back_to_form = |params: &[(&str, &str)]| {
        let mut params = params.to_vec();
        params.push(("email", form.email.trim()));
        params.extend(next.map(|next| ("next", next)));
        Redirect::to(&format!("/sign-in?{}", query(&params))).into_response()
    };
    match accounts::sign_in(&auth.pool, &form.email, &form.password, organisation, answer, client.as_deref()).await {
        Ok(SignInOutcome::Asked(pending)) => {
            back_to_form(&[("question", pending.organisation.as_str()), ("role", pending.role.as_str())])
        }
        Ok(SignInOutcome::NotAMember) => back_to_form(&[("error", "not_member")]),
        Ok(SignInOutcome::SignedIn(signed_in)) => {
            let home = home_of(&signed_in.caller);
            (jar.add(session_cookie(&auth, signed_in)), Redirect::to(next.unwrap_or(home))).into_response()
        }
        Err(e) => {
            let reason = match &e {
                DomainError::Throttled { .. } => "throttled",
                DomainError::Unauthenticated { .. } => "wrong",
                DomainError::Invalid { .. } => "missing",
                _ => return ApiError::from(e).into_response(),
            };
            back_to_form(&[("error", reason)])
        }
    }
}

/// Where a person lands once signed in: a worker on their own timeline, everyone else on the week.
fn home_of(caller: &Caller) -> &'static str {
    if caller.access.role == Role::Worker {
        "/me"
    } else {
        "/"
    }
}

/// The cookie that keeps a browser signed in.
fn session_cookie(auth: &AuthState, signed_in: SignedIn) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, signed_in.session))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(auth.secure_cookies)
        .max_age(cookie::time::Duration::days(accounts::SESSION_DAYS))
        .build()
}

/// Creates an organisation from the sign-up form and signs its first administrator in; on a refusal
/// returns to the form naming the field and the problem, with everything but the password kept.
pub async fn sign_up(State(auth): State<AuthState>, jar: CookieJar, Form(form): Form<NewOrganisation>) -> Response {
    let kept = [
        ("organisation_name", form.organisation_name.clone()),
        ("time_zone", form.time_zone.clone()),
        ("currency", form.currency.clone()),
        ("week_starts_on", form.week_starts_on.as_str().to_string()),
        ("admin_name", form.admin_name.clone()),
        ("admin_email", form.admin_email.clone()),
    ];
    match sign_up::create_organisation(&auth.pool, auth.sign_up, form).await {
        Ok(signed_in) => (jar.add(session_cookie(&auth, signed_in)), Redirect::to("/")).into_response(),
        Err(DomainError::Conflict { code: "sign_up_closed", .. }) => {
            Redirect::to("/sign-in?error=sign_up_closed").into_response()
        }
        Err(e) => {
            let (field, code) = match &e {
                DomainError::Invalid { field, .. } => (field.clone(), "invalid"),
                DomainError::Conflict { code: "email_taken", .. } => ("admin_email".to_string(), "email_taken"),
                _ => return ApiError::from(e).into_response(),
            };
            // The page words the problem itself: nothing a client sends is echoed back as a message.
            let mut params: Vec<(&str, &str)> = vec![("field", &field), ("error", code)];
            params.extend(kept.iter().map(|(name, value)| (*name, value.trim())));
            Redirect::to(&format!("/sign-up?{}", query(&params))).into_response()
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinForm {
    secret: String,
    name: Option<String>,
    password: String,
}

/// Answers an invitation from its link's page and signs the person in; a refusal returns to the page
/// with its code (the page words it).
pub async fn join(
    State(auth): State<AuthState>,
    ClientAddress(client): ClientAddress,
    jar: CookieJar,
    Form(form): Form<JoinForm>,
) -> Response {
    let answer = invitations::Acceptance { name: form.name.filter(|n| !n.trim().is_empty()), password: form.password };
    match invitations::accept(&auth.pool, &form.secret, answer, client.as_deref()).await {
        Ok(signed_in) => {
            let home = home_of(&signed_in.caller);
            (jar.add(session_cookie(&auth, signed_in)), Redirect::to(home)).into_response()
        }
        Err(e) => back_to_link("join", &form.secret, &e).unwrap_or_else(|| ApiError::from(e).into_response()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordForm {
    secret: String,
    password: String,
}

/// Sets a new password from a password link's page and signs the person in.
pub async fn set_password(State(auth): State<AuthState>, jar: CookieJar, Form(form): Form<PasswordForm>) -> Response {
    match password_links::set_password(&auth.pool, &form.secret, &form.password).await {
        Ok(signed_in) => {
            let home = home_of(&signed_in.caller);
            (jar.add(session_cookie(&auth, signed_in)), Redirect::to(home)).into_response()
        }
        Err(e) => back_to_link("password", &form.secret, &e).unwrap_or_else(|| ApiError::from(e).into_response()),
    }
}

/// Back to a one-time link's page (`/join/…`, `/password/…`) saying what was wrong, for the refusals a
/// person can act on; `None` for the rest, which answer as the API does.
fn back_to_link(page: &str, secret: &str, error: &DomainError) -> Option<Response> {
    let code = match error {
        DomainError::Invalid { field, .. } if field == "password" => "weak_password",
        DomainError::Invalid { field, .. } if field == "name" => "bad_name",
        DomainError::Unauthenticated { .. } => "wrong_password",
        DomainError::Throttled { .. } => "throttled",
        DomainError::Conflict { code, .. } => code,
        DomainError::NotFound { .. } => "unknown_link",
        _ => return None,
    };
    // The secret is a path segment of our own making: only URL-safe base64 and `_` pass through.
    let secret: String = secret.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')).collect();
    Some(Redirect::to(&format!("/{page}/{secret}?{}", query(&[("error", code)]))).into_response())
}

pub async fn sign_out(State(auth): State<AuthState>, jar: CookieJar) -> Response {
    if let Some(session) = jar.get(SESSION_COOKIE) {
        if let Err(e) = accounts::sign_out(&auth.pool, session.value()).await {
            return ApiError::from(e).into_response();
        }
    }
    (jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to("/sign-in")).into_response()
}

/// `/calendar/<secret>.ics`: the worker's shifts for calendar apps.
pub async fn calendar(State(auth): State<AuthState>, Path(file): Path<String>) -> Response {
    let secret = file.strip_suffix(".ics").unwrap_or(&file);
    match calendar_feed::feed(&auth.pool, secret, chrono::Utc::now()).await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300")),
            ],
            ics,
        )
            .into_response(),
        Err(DomainError::NotFound { .. }) => {
            (StatusCode::NOT_FOUND, "No calendar at this address; it may have been replaced.").into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// The built site's files and the assets folder's: `/pkg/…`, `/favicon.svg`.
fn is_static_file(path: &str) -> bool {
    path.starts_with("/pkg/") || (!is_routed(path) && path.rsplit('/').next().is_some_and(|last| last.contains('.')))
}

/// The API, server functions, sign-in and out, and the calendar feed: routes that answer for themselves.
fn is_routed(path: &str) -> bool {
    ["/api/", "/rpc/", "/auth/", "/calendar/"].iter().any(|prefix| path.starts_with(prefix))
}

/// Only a path on this site: `//evil.example` and `/\evil.example` are other sites to a browser.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.contains(['\r', '\n'])
}

fn query(params: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(params).unwrap_or_default()
}
