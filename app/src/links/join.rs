//! `/join/<secret>`: an invitation, answered by choosing a password (a new account) or with the
//! password of the account the email already has.

use super::{problem, said, DeadLink};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use mosaic::views::people::InvitationPreview;

#[server(prefix = "/rpc")]
pub async fn open_invitation(secret: String) -> Result<InvitationPreview, ServerFnError> {
    let state = super::app_state()?;
    mosaic::services::invitations::preview(&state.pool, &secret).await.map_err(crate::auth::shown)
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let secret = use_params_map().with_untracked(|p| p.get("secret").unwrap_or_default());
    let error = use_query_map().with_untracked(|q| q.get("error"));
    let preview = Resource::new(move || (), {
        let secret = secret.clone();
        move |_| open_invitation(secret.clone())
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Opening the invitation…"</p> }>
            {move || {
                let (secret, error) = (secret.clone(), error.clone());
                Suspend::new(async move {
                    match preview.await {
                        Ok(invitation) => view! { <Invitation invitation secret error/> }.into_any(),
                        Err(e) => view! { <DeadLink message=said(e)/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Invitation(invitation: InvitationPreview, secret: String, error: Option<String>) -> impl IntoView {
    let role = match invitation.role.as_str() {
        "admin" => "an administrator",
        "manager" => "a manager",
        "scheduler" => "a scheduler",
        _ => "a worker",
    };
    let title = format!("Join {}", invitation.organisation_name);
    let explanation = format!("{} has invited you as {role}.", invitation.organisation_name);
    let fields = if invitation.has_account {
        view! {
            <p>{format!("You already have a Mosaic account as {}. Enter its password to accept.", invitation.email)}</p>
            <input type="email" autocomplete="username" value=invitation.email.clone() hidden/>
            <label>
                "Your password"
                <input type="password" name="password" autocomplete="current-password" required/>
            </label>
        }
        .into_any()
    } else {
        view! {
            <p>{format!("Choose a password for {}. You sign in with this email and password from now on.", invitation.email)}</p>
            <input type="email" autocomplete="username" value=invitation.email.clone() hidden/>
            <label>
                "Your name"
                <input name="name" required maxlength="200" autocomplete="name" value=invitation.name.clone()/>
            </label>
            <label>
                "Choose a password"
                <input type="password" name="password" autocomplete="new-password" required minlength="12"/>
                <span class="hint">"At least 12 characters."</span>
            </label>
        }
        .into_any()
    };
    view! {
        <section class="sign-in join" aria-labelledby="join-title">
            <h1 id="join-title">{title}</h1>
            <p class="lead">{explanation}</p>
            {error.map(|code| view! { <p class="error" role="alert">{problem(&code)}</p> })}
            <form method="post" action="/auth/join">
                <input type="hidden" name="secret" value=secret/>
                {fields}
                <button type="submit">"Accept and sign in"</button>
            </form>
        </section>
    }
}
