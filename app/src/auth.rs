//! Who is signed in, for server functions and the top bar. The server decides it once per request
//! (`server::auth::authenticate`) and leaves the caller in the request; server functions read it here
//! and hand it to the services, which decide what the caller may do.

use leptos::prelude::*;
use mosaic::views::SignedInView;

/// The caller and the pool, or an error saying the person is signed out.
#[cfg(feature = "ssr")]
pub fn signed_in() -> Result<(mosaic::services::Caller, sqlx::PgPool), ServerFnError> {
    let state =
        use_context::<crate::state::AppState>().ok_or_else(|| ServerFnError::new("the server has no application state"))?;
    let parts = use_context::<axum::http::request::Parts>().ok_or_else(|| ServerFnError::new("no request to read"))?;
    let caller = parts
        .extensions
        .get::<mosaic::services::Caller>()
        .cloned()
        .ok_or_else(|| ServerFnError::new("You are signed out. Sign in again to go on."))?;
    Ok((caller, state.pool))
}

/// A service's refusal as the page shows it: its message, which names the field or the rule, answered
/// with the status the API gives it (a refusal is a 4xx, never a 500). A form posted before the page
/// hydrated keeps the redirect back to its page that Leptos answers it with.
#[cfg(feature = "ssr")]
pub fn shown(e: mosaic::store::DomainError) -> ServerFnError {
    let plain_form_post = use_context::<axum::http::request::Parts>().is_some_and(|parts| {
        parts.headers.get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
    });
    if let (false, Some(response), Ok(status)) =
        (plain_form_post, use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(e.http_status()))
    {
        response.set_status(status);
    }
    ServerFnError::new(e.to_string())
}

#[server(prefix = "/rpc")]
pub async fn who_am_i() -> Result<Option<SignedInView>, ServerFnError> {
    let parts = use_context::<axum::http::request::Parts>();
    let caller = parts.and_then(|p| p.extensions.get::<mosaic::services::Caller>().cloned());
    Ok(caller.map(|c| SignedInView { name: c.actor.name, role: c.access.role, has_timeline: c.access.worker.is_some() }))
}
