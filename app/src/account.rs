//! `/account`: the signed-in person's private calendar link and personal API tokens. Secrets are shown
//! once, when made; only their hashes are kept.

use leptos::prelude::*;
use mosaic::views::ApiTokenView;

/// Whether the caller has shifts to subscribe to (an account linked to a worker), and when their live
/// link was made, if they have one.
#[server(prefix = "/rpc")]
pub async fn calendar_link_made_at() -> Result<(bool, Option<String>), ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    if caller.access.worker.is_none() {
        return Ok((false, None));
    }
    let made = mosaic::services::calendar_feed::link_made_at(&pool, &caller).await.map_err(crate::auth::shown)?;
    Ok((true, made.map(|t| t.format("%-d %b %Y %H:%M UTC").to_string())))
}

/// A new calendar link (the old one stops working); returns its address.
#[server(prefix = "/rpc", endpoint = "renew_calendar_link")]
pub async fn renew_calendar_link() -> Result<String, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let secret = mosaic::services::calendar_feed::renew_link(&pool, &caller).await.map_err(crate::auth::shown)?;
    let parts = use_context::<axum::http::request::Parts>().ok_or_else(|| ServerFnError::new("no request to read"))?;
    Ok(calendar_url(&parts.headers, &secret))
}

/// The address a calendar app subscribes to.
#[cfg(feature = "ssr")]
pub fn calendar_url(headers: &axum::http::HeaderMap, secret: &str) -> String {
    crate::links::absolute_url(headers, &format!("/calendar/{secret}.ics"))
}

#[server(prefix = "/rpc")]
pub async fn list_tokens() -> Result<Vec<ApiTokenView>, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::accounts::tokens::list(&pool, &caller).await.map_err(crate::auth::shown)
}

/// A new token; the secret is returned this once.
#[server(prefix = "/rpc")]
pub async fn create_token(name: String) -> Result<String, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let made = mosaic::services::accounts::tokens::create(&pool, &caller, &name).await.map_err(crate::auth::shown)?;
    Ok(made.token)
}

#[server(prefix = "/rpc")]
pub async fn revoke_token(id: String) -> Result<(), ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let id = id.parse::<uuid::Uuid>().map_err(|_| ServerFnError::new("id: not a token id"))?;
    mosaic::services::accounts::tokens::revoke(&pool, &caller, id).await.map_err(crate::auth::shown)?;
    Ok(())
}

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <section class="account" aria-label="Your account">
            <h1>"Your account"</h1>
            <CalendarLink/>
            <ApiTokens/>
        </section>
    }
}

#[component]
fn CalendarLink() -> impl IntoView {
    let renew = ServerAction::<RenewCalendarLink>::new();
    let made_at = Resource::new(move || renew.version().get(), |_| calendar_link_made_at());
    view! {
        <section id="calendar" class="calendar-link" aria-labelledby="calendar-title">
            <h2 id="calendar-title">"Your shifts in your calendar app"</h2>
            <p>
                "Subscribe to a private link and your phone's calendar keeps your published shifts up to date. "
                "Anyone with the link can see your shifts; make a new one if it gets out, and the old one stops working."
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = || view! {
                        <ActionForm action=renew>
                            <button type="submit">"Make a new calendar link"</button>
                        </ActionForm>
                    };
                    match made_at.await {
                        Ok((true, Some(at))) => {
                            view! { <p class="link-state">{format!("A link made on {at} is live.")}</p> {form()} }.into_any()
                        }
                        Ok((true, None)) => view! { <p class="link-state">"You have no live calendar link."</p> {form()} }.into_any(),
                        // Nothing to offer: the link would have no shifts, and making one is refused.
                        Ok((false, _)) => view! {
                            <p class="link-state no-worker">
                                "Your account is not linked to a worker, so it has no shifts to put in a calendar."
                            </p>
                        }
                        .into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            {move || renew.value().get().map(|result| match result {
                Ok(url) => {
                    let webcal = url.replacen("http://", "webcal://", 1).replacen("https://", "webcal://", 1);
                    view! {
                        <div class="secret" role="status">
                            <label>"Your calendar link (shown once)" <input class="calendar-url" readonly value=url/></label>
                            <a href=webcal>"Open in my calendar app"</a>
                        </div>
                    }
                        .into_any()
                }
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn ApiTokens() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(move || (create.version().get(), revoke.version().get()), |_| list_tokens());
    view! {
        <section class="api-tokens" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"Personal API tokens"</h2>
            <p>"A token lets a program use the Mosaic API as you, with your role. Send it as " <code>"Authorization: Bearer <token>"</code> "."</p>
            <ActionForm action=create>
                <label>"What is it for? " <input name="name" required maxlength="100"/></label>
                <button type="submit">"Create token"</button>
            </ActionForm>
            {move || create.value().get().map(|result| match result {
                Ok(token) => view! {
                    <div class="secret" role="status">
                        <label>"Your new token (shown once; copy it now)" <input class="new-token" readonly value=token/></label>
                    </div>
                }
                    .into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No tokens yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="token-list">
                                {list.into_iter().map(|t| {
                                    let revoked = t.revoked_at.is_some();
                                    view! {
                                    <li class:revoked=revoked>
                                        <span class="token-name">{t.name.clone()}</span>
                                        <span class="token-meta">{describe(&t)}</span>
                                        {(!revoked).then(|| view! {
                                            <ActionForm action=revoke>
                                                <input type="hidden" name="id" value=t.id.to_string()/>
                                                <button type="submit">"Revoke"</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }}).collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn describe(token: &ApiTokenView) -> String {
    let day = |t: chrono::DateTime<chrono::Utc>| t.format("%-d %b %Y").to_string();
    let mut text = format!("made {}", day(token.created_at));
    match (token.revoked_at, token.last_used_at) {
        (Some(revoked), _) => text.push_str(&format!(", revoked {}", day(revoked))),
        (None, Some(used)) => text.push_str(&format!(", last used {}", day(used))),
        (None, None) => text.push_str(", never used"),
    }
    text
}
