//! `/locations`: the places people work. An administrator adds them, edits their name, address and zone,
//! puts one under another from a date, and closes one from a day (nothing is planned there after it;
//! its past stays) or reopens it.

mod card;

use card::LocationCard;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mosaic::views::LocationView;
use serde::{Deserialize, Serialize};

/// A location with the one it sits under today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocationLine {
    pub location: LocationView,
    pub parent: Option<(String, String)>,
    /// A parent dated ahead: its name, and from when.
    pub next_parent: Option<(String, chrono::DateTime<chrono::Utc>)>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LocationsPageView {
    pub lines: Vec<LocationLine>,
    pub may_manage: bool,
    /// The organisation's zone, offered first for a new location.
    pub time_zone: String,
}

#[server(prefix = "/rpc")]
pub async fn load_locations() -> Result<LocationsPageView, ServerFnError> {
    use mosaic::services::{locations, organisations};
    let (caller, pool) = crate::auth::signed_in()?;
    let shown = crate::auth::shown;
    let now = chrono::Utc::now();
    let mut lines = Vec::new();
    for location in locations::list(&pool, &caller).await.map_err(shown)? {
        let parent = locations::parent_at(&pool, &caller, location.id, now).await.map_err(shown)?;
        let next_parent = locations::next_parent_after(&pool, &caller, location.id, now).await.map_err(shown)?;
        lines.push(LocationLine {
            location,
            parent: parent.map(|p| (p.id.to_string(), p.name)),
            next_parent: next_parent.map(|(from, p)| (p.name, from)),
        });
    }
    let may_manage = caller.access.require(mosaic::access::Action::ManagePeople).is_ok();
    let time_zone = organisations::settings(&pool, &caller).await.map_err(shown)?.time_zone;
    Ok(LocationsPageView { lines, may_manage, time_zone })
}

#[server(prefix = "/rpc")]
pub async fn add_location(name: String, address: String, time_zone: String) -> Result<(), ServerFnError> {
    use mosaic::services::locations::{self, NewLocation};
    let (caller, pool) = crate::auth::signed_in()?;
    let address = Some(address).filter(|a| !a.trim().is_empty());
    locations::create(&pool, &caller, NewLocation { name, address, time_zone, capacity: None })
        .await
        .map_err(crate::auth::shown)?;
    Ok(())
}

/// Saves the edit form: the location's own fields, and, where it changed, what it sits under from `from`
/// (a local date at the location).
#[server(prefix = "/rpc")]
pub async fn edit_location(
    id: String,
    version: i32,
    name: String,
    address: String,
    time_zone: String,
    parent: String,
    parent_changed: bool,
    from: String,
) -> Result<(), ServerFnError> {
    use mosaic::services::locations::{self, LocationPatch};
    let (caller, pool) = crate::auth::signed_in()?;
    let shown = crate::auth::shown;
    let id = parse_id(&id, "id")?;
    let patch = LocationPatch {
        expected_version: version,
        name: Some(name),
        address: Some(address),
        time_zone: Some(time_zone),
        capacity: None,
    };
    let saved = locations::update(&pool, &caller, id, patch).await.map_err(shown)?;
    if parent_changed {
        let parent = match parent.as_str() {
            "" => None,
            other => Some(parse_id(other, "parent")?),
        };
        let from = local_midnight(&from, "from", saved.zone())?;
        locations::move_under(&pool, &caller, id, parent, from).await.map_err(shown)?;
    }
    Ok(())
}

/// Closes the location from the start of local day `from`.
#[server(prefix = "/rpc")]
pub async fn close_location(id: String, version: i32, from: String) -> Result<(), ServerFnError> {
    use mosaic::services::{leaving, locations};
    let (caller, pool) = crate::auth::signed_in()?;
    let id = parse_id(&id, "id")?;
    let location = locations::get(&pool, &caller, id).await.map_err(crate::auth::shown)?;
    let from = local_midnight(&from, "from", location.zone())?;
    leaving::close_location(&pool, &caller, id, version, from).await.map_err(crate::auth::shown)?;
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn reopen_location(id: String, version: i32) -> Result<(), ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let id = parse_id(&id, "id")?;
    mosaic::services::leaving::reopen_location(&pool, &caller, id, version).await.map_err(crate::auth::shown)?;
    Ok(())
}

#[cfg(feature = "ssr")]
fn parse_id(text: &str, field: &str) -> Result<mosaic::ids::EntityId, ServerFnError> {
    crate::forms::parse_id(text, field)
}

#[cfg(feature = "ssr")]
use crate::forms::local_midnight;

pub(crate) fn said(e: &ServerFnError) -> String {
    e.to_string().replace("error running server function: ", "")
}

#[component]
pub fn LocationsPage() -> impl IntoView {
    let reads = RwSignal::new(0u32);
    let page = Resource::new(move || reads.get(), |_| load_locations());
    let notice = RwSignal::new(None::<String>);
    let reload = move || reads.update(|n| *n += 1);
    view! {
        <section class="locations-page" aria-labelledby="locations-title">
            <h1 id="locations-title">"Locations"</h1>
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
            <Transition fallback=|| view! { <p class="loading">"Loading locations…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => {
                            let others: Vec<(String, String)> =
                                page.lines.iter().map(|l| (l.location.id.to_string(), l.location.name.clone())).collect();
                            let cards = page
                                .lines
                                .into_iter()
                                .map(|line| view! { <LocationCard line others=others.clone() may_manage=page.may_manage notice on_done=reload/> })
                                .collect_view();
                            view! {
                                {page.may_manage.then(|| view! { <AddLocation time_zone=page.time_zone.clone() notice on_done=reload/> })}
                                <ul class="location-list" aria-label="Locations">{cards}</ul>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <p class="error" role="alert">{said(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AddLocation(
    time_zone: String,
    notice: RwSignal<Option<String>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let zone = RwSignal::new(time_zone.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, a, z) = (name.get_untracked(), address.get_untracked(), zone.get_untracked());
        spawn_local(async move {
            match add_location(n, a, z).await {
                Ok(()) => {
                    notice.set(None);
                    name.set(String::new());
                    address.set(String::new());
                    on_done();
                }
                Err(e) => notice.set(Some(said(&e))),
            }
        });
    };
    view! {
        <section class="add-location" aria-labelledby="add-location-title">
            <h2 id="add-location-title">"Add a location"</h2>
            <form on:submit=submit>
                <label>"Name"
                    <input required maxlength="200" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label>"Address (optional)"
                    <input maxlength="300" prop:value=move || address.get() on:input=move |ev| address.set(event_target_value(&ev))/>
                </label>
                <label>"Time zone"
                    <select on:change=move |ev| zone.set(event_target_value(&ev))>{crate::format::zone_options(&time_zone)}</select>
                </label>
                <button type="submit">"Add location"</button>
            </form>
        </section>
    }
}
