//! The top bar: where a signed-in person can go, who they are, and signing out.

use crate::auth::who_am_i;
use leptos::prelude::*;
use mosaic::access::Role;

#[component]
pub fn TopBar() -> impl IntoView {
    let me = Resource::new(|| (), |_| who_am_i());
    // On a phone the places fold away behind one button; on a wide screen the button is not shown.
    let open = RwSignal::new(false);
    view! {
        <header class="topbar" class:open=move || open.get()>
            <a class="brand" href="/">"Mosaic"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(me)) => {
                            let plans = me.role != Role::Worker;
                            let keeps_time = matches!(me.role, Role::Manager | Role::Admin);
                            view! {
                                <button
                                    type="button"
                                    class="menu-toggle"
                                    aria-controls="top-places"
                                    aria-expanded=move || open.get().to_string()
                                    on:click=move |_| open.update(|o| *o = !*o)
                                >
                                    {move || if open.get() { "Close menu" } else { "Menu" }}
                                </button>
                                <nav class="places" id="top-places" aria-label="Places">
                                    {plans.then(|| view! { <a href="/">"Week"</a> <a href="/conflicts">"Conflicts"</a> <a href="/history">"History"</a> })}
                                    {keeps_time.then(|| view! { <a href="/requests">"Requests"</a> <a href="/timesheets">"Timesheets"</a> })}
                                    {(me.role == Role::Admin).then(|| view! { <a href="/people">"People"</a> <a href="/locations">"Locations"</a> })}
                                    {keeps_time.then(|| view! { <a href="/settings">"Settings"</a> })}
                                    {me.has_timeline.then(|| view! { <a href="/me">"My shifts"</a> })}
                                    <a href="/account">"Account"</a>
                                </nav>
                                <span class="who">
                                    <span class="name">{me.name}</span>
                                    <span class="role">{me.role.as_str()}</span>
                                </span>
                                <form method="post" action="/auth/sign-out" class="sign-out">
                                    <button type="submit">"Sign out"</button>
                                </form>
                            }
                                .into_any()
                        }
                        _ => view! { <span class="tagline">"Workforce scheduling"</span> }.into_any(),
                    }
                })}
            </Suspense>
        </header>
    }
}
