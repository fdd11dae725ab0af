//! `/password/<secret>`: choosing a new password through a one-time link an administrator (or the
//! operator, for a new organisation's first administrator) issued.

use super::{problem, said, DeadLink};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use mosaic::views::people::PasswordLinkPreview;

#[server(prefix = "/rpc")]
pub async fn open_password_link(secret: String) -> Result<PasswordLinkPreview, ServerFnError> {
    let state = super::app_state()?;
    mosaic::services::password_links::preview(&state.pool, &secret).await.map_err(crate::auth::shown)
}

#[component]
pub fn PasswordLinkPage() -> impl IntoView {
    let secret = use_params_map().with_untracked(|p| p.get("secret").unwrap_or_default());
    let error = use_query_map().with_untracked(|q| q.get("error"));
    let preview = Resource::new(move || (), {
        let secret = secret.clone();
        move |_| open_password_link(secret.clone())
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Opening the link…"</p> }>
            {move || {
                let (secret, error) = (secret.clone(), error.clone());
                Suspend::new(async move {
                    match preview.await {
                        Ok(link) => view! { <ChoosePassword link secret error/> }.into_any(),
                        Err(e) => view! { <DeadLink message=said(e)/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ChoosePassword(link: PasswordLinkPreview, secret: String, error: Option<String>) -> impl IntoView {
    let explanation = format!(
        "Choose a new password for {} ({}). You are then signed in to {}; any other signed-in browser is signed out.",
        link.name, link.email, link.organisation_name
    );
    view! {
        <section class="sign-in" aria-labelledby="password-title">
            <h1 id="password-title">"Choose your password"</h1>
            <p class="lead">{explanation}</p>
            {error.map(|code| view! { <p class="error" role="alert">{problem(&code)}</p> })}
            <form method="post" action="/auth/password">
                <input type="hidden" name="secret" value=secret/>
                <input type="email" autocomplete="username" value=link.email hidden/>
                <label>
                    "New password"
                    <input type="password" name="password" autocomplete="new-password" required minlength="12"/>
                    <span class="hint">"At least 12 characters."</span>
                </label>
                <button type="submit">"Set password and sign in"</button>
            </form>
        </section>
    }
}
