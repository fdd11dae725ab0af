//! The week page of an organisation with no location yet: a week is always some location's, so the
//! first step after creating an organisation is adding the place where people work.

use leptos::prelude::*;
use leptos::task::spawn_local;

/// Adds a location (an administrator's step); returns its id, for the week page to open.
#[server(prefix = "/rpc")]
pub async fn create_first_location(name: String, address: String, time_zone: String) -> Result<String, ServerFnError> {
    use mosaic::services::locations::{self, NewLocation};
    let (caller, pool) = crate::auth::signed_in()?;
    let address = Some(address.trim().to_string()).filter(|a| !a.is_empty());
    let made = locations::create(&pool, &caller, NewLocation { name, address, time_zone, capacity: None })
        .await
        .map_err(crate::auth::shown)?;
    Ok(made.id.to_string())
}

#[component]
pub fn FirstLocation(time_zone: String, may_add: bool) -> impl IntoView {
    if !may_add {
        return view! {
            <section class="first-run" aria-labelledby="first-location-title">
                <h1 id="first-location-title">"No locations yet"</h1>
                <p>"Weeks are planned per location. An administrator of your organisation adds the first one."</p>
            </section>
        }
        .into_any();
    }
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let zone = RwSignal::new(time_zone);
    let notice = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saving.set(true);
        let (name, address, zone) = (name.get_untracked(), address.get_untracked(), zone.get_untracked());
        spawn_local(async move {
            match create_first_location(name, address, zone).await {
                Ok(id) => {
                    let _ = window().location().set_href(&format!("/?location={id}"));
                }
                Err(e) => {
                    saving.set(false);
                    notice.set(Some(e.to_string().replace("error running server function: ", "")));
                }
            }
        });
    };
    let zones = move || crate::format::zone_options(&zone.get());
    view! {
        <section class="first-run" aria-labelledby="first-location-title">
            <h1 id="first-location-title">"Add your first location"</h1>
            <p>"Weeks are planned per location: a shop, a café, a site. You can add more, and their people, later."</p>
            <form class="first-location" on:submit=submit>
                <label>
                    "Name"
                    <input required maxlength="200" placeholder="e.g. Main Street"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label>
                    "Address (optional)"
                    <input maxlength="500" autocomplete="street-address"
                        prop:value=move || address.get() on:input=move |ev| address.set(event_target_value(&ev))/>
                </label>
                <label>
                    "Time zone"
                    <select required on:change=move |ev| zone.set(event_target_value(&ev))>{zones}</select>
                    <span class="hint">"The location's shifts are shown and planned in its local time."</span>
                </label>
                <button type="submit" prop:disabled=move || saving.get()>"Add location"</button>
            </form>
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
        </section>
    }
    .into_any()
}
