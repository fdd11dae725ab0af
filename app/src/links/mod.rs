//! The pages behind one-time links, for people not signed in: answering an invitation (`/join/…`) and
//! choosing a password (`/password/…`). Plain HTML forms posted to `/auth/join` and `/auth/password`,
//! like sign-in, so they work before the WASM loads and passwords never pass through page scripts.

mod join;
mod password;

pub use join::JoinPage;
pub use password::PasswordLinkPage;

use leptos::prelude::*;

/// What went wrong with the last answer, from the code the server sent back (never its text).
fn problem(code: &str) -> &'static str {
    match code {
        "weak_password" => "Choose a password of at least 12 characters.",
        "bad_name" => "Give your name (1 to 200 characters).",
        "wrong_password" => "That is not the password of this account.",
        "throttled" => "Too many failed attempts for this account. Wait a quarter of an hour, then try again.",
        "already_a_member" => "You are already a member of this organisation; sign in as usual.",
        "email_taken" => "An account with this email was made a moment ago; answer with its password.",
        _ => "That did not work; check the form and try again.",
    }
}

/// A link that no longer opens anything, and what to do instead.
#[component]
fn DeadLink(message: String) -> impl IntoView {
    view! {
        <section class="sign-in" aria-labelledby="dead-link-title">
            <h1 id="dead-link-title">"This link does not work"</h1>
            <p class="error" role="alert">{message}</p>
            <p class="switch"><a href="/sign-in">"Go to sign in"</a></p>
        </section>
    }
}

/// The error a server function answered with, as a person reads it.
fn said(e: ServerFnError) -> String {
    e.to_string().replace("error running server function: ", "")
}

#[cfg(feature = "ssr")]
fn app_state() -> Result<crate::state::AppState, ServerFnError> {
    use_context::<crate::state::AppState>().ok_or_else(|| ServerFnError::new("the server has no application state"))
}

/// An address on this site, on the host the request came to (behind a TLS proxy, with the scheme it
/// reports): what a person is sent, so it must work from their own device.
#[cfg(feature = "ssr")]
pub fn absolute_url(headers: &axum::http::HeaderMap, path: &str) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).unwrap_or("http");
    format!("{scheme}://{host}{path}")
}
