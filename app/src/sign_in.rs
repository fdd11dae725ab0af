//! The sign-in page: a plain HTML form posted to `/auth/sign-in`, so it works before the WASM loads and
//! the password never passes through page scripts.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let (error, email, next) =
        query.with_untracked(|q| (q.get("error"), q.get("email").unwrap_or_default(), q.get("next").unwrap_or_default()));
    let message = error.map(|e| match e.as_str() {
        "throttled" => "Too many failed attempts for this account. Wait a quarter of an hour, then try again.",
        "missing" => "Enter your email and password.",
        _ => "That email and password do not match an account.",
    });
    view! {
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in"</h1>
            {message.map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <form method="post" action="/auth/sign-in">
                <label>
                    "Email"
                    <input type="email" name="email" autocomplete="username" required value=email/>
                </label>
                <label>
                    "Password"
                    <input type="password" name="password" autocomplete="current-password" required/>
                </label>
                <details class="organisation">
                    <summary>"In more than one organisation?"</summary>
                    <label>
                        "Organisation (leave empty for your first)"
                        <input name="organisation" autocomplete="organization" placeholder="e.g. demo"/>
                    </label>
                </details>
                <input type="hidden" name="next" value=next/>
                <button type="submit">"Sign in"</button>
            </form>
        </section>
    }
}
