//! One worker's details on the roster: their name and contact, their employments (ending one, adding
//! one), and removing them from a day or restoring them.

use super::roster::said;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::views::people::RosterLine;
use mosaic::views::LocationView;

#[server(prefix = "/rpc", endpoint = "edit_worker", input = Json)]
pub async fn edit_worker(id: String, version: i32, name: String, email: String, phone: String) -> Result<(), ServerFnError> {
    use mosaic::services::workers::{self, WorkerPatch};
    let (caller, pool) = crate::auth::signed_in()?;
    let id = crate::forms::parse_id(&id, "worker")?;
    let patch =
        WorkerPatch { expected_version: version, name: Some(name), email: Some(email), phone: Some(phone), external_id: None };
    workers::update(&pool, &caller, id, patch).await.map_err(crate::auth::shown)?;
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "add_employment", input = Json)]
pub async fn add_employment(worker: String, location: String, start: String, hours: String) -> Result<(), ServerFnError> {
    use mosaic::services::{employments, locations};
    let (caller, pool) = crate::auth::signed_in()?;
    let worker_id = crate::forms::parse_id(&worker, "worker")?;
    let location_id: mosaic::ids::EntityId = crate::forms::parse_id(&location, "location")?;
    let zone = locations::get(&pool, &caller, location_id).await.map_err(crate::auth::shown)?.zone();
    let new = employments::NewEmployment {
        worker_id,
        location_id: Some(location_id),
        start: crate::forms::local_midnight(&start, "start", zone)?,
        end: None,
        title: None,
        contract_hours: crate::forms::parse_hours(&hours, "contract_hours")?,
    };
    employments::create(&pool, &caller, new).await.map_err(crate::auth::shown)?;
    Ok(())
}

/// Ends an employment at the start of local day `end` (in the zone of `zone`).
#[server(prefix = "/rpc", endpoint = "end_employment", input = Json)]
pub async fn end_employment(id: String, version: i32, end: String, zone: String) -> Result<(), ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let id = crate::forms::parse_id(&id, "employment")?;
    let end = crate::forms::local_midnight(&end, "end", crate::format::zone(&zone))?;
    mosaic::services::employments::set_end(&pool, &caller, id, Some(end), version).await.map_err(crate::auth::shown)?;
    Ok(())
}

/// Removes the worker from the start of local day `from` in the organisation's zone, or restores them.
#[server(prefix = "/rpc", endpoint = "remove_or_restore_worker", input = Json)]
pub async fn remove_or_restore_worker(id: String, version: i32, from: Option<String>, zone: String) -> Result<(), ServerFnError> {
    use mosaic::services::leaving;
    let (caller, pool) = crate::auth::signed_in()?;
    let id = crate::forms::parse_id(&id, "worker")?;
    let result = match from {
        Some(day) => {
            let from = crate::forms::local_midnight(&day, "from", crate::format::zone(&zone))?;
            leaving::remove_worker(&pool, &caller, id, version, from).await
        }
        None => leaving::restore_worker(&pool, &caller, id, version).await,
    };
    result.map_err(crate::auth::shown)?;
    Ok(())
}

#[component]
pub fn WorkerPanel(
    line: RosterLine,
    locations: Vec<LocationView>,
    time_zone: String,
    notice: RwSignal<Option<String>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let worker = line.worker.clone();
    let (id, version) = (worker.id.to_string(), worker.version);
    let settled = move |result: Result<(), ServerFnError>| match result {
        Ok(()) => {
            notice.set(None);
            on_done();
        }
        Err(e) => notice.set(Some(said(&e))),
    };
    let name = RwSignal::new(worker.name.clone());
    let email = RwSignal::new(worker.email.clone().unwrap_or_default());
    let phone = RwSignal::new(worker.phone.clone().unwrap_or_default());
    let save = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (id, n, e, p) = (id.clone(), name.get_untracked(), email.get_untracked(), phone.get_untracked());
            spawn_local(async move { settled(edit_worker(id, version, n, e, p).await) });
        }
    };
    let zone_of = {
        let locations = locations.clone();
        move |l: Option<mosaic::ids::EntityId>| locations.iter().find(|p| Some(p.id) == l).cloned()
    };
    let employments = line
        .employments
        .iter()
        .map(|e| {
            let place = zone_of(e.location_id);
            let zone = place.as_ref().map(|p| p.time_zone.clone()).unwrap_or_else(|| time_zone.clone());
            let tz = crate::format::zone(&zone);
            let day = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).format("%-d %b %Y").to_string();
            let span = format!("{} – {}", day(e.during.start), e.during.end.map(day).unwrap_or_else(|| "open-ended".into()));
            let hours = e.contract_hours.map(|h| format!("{h} h a week")).unwrap_or_else(|| "hours not set".into());
            let end_day = RwSignal::new(String::new());
            let (employment, employment_version) = (e.id.to_string(), e.version);
            let end = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let (employment, day, zone) = (employment.clone(), end_day.get_untracked(), zone.clone());
                spawn_local(async move { settled(end_employment(employment, employment_version, day, zone).await) });
            };
            let open = e.during.end.is_none();
            view! {
                <li>
                    <span>{format!("{} · {span} · {hours}", place.map(|p| p.name).unwrap_or_else(|| "No location".into()))}</span>
                    {open.then(|| view! {
                        <form class="inline" on:submit=end>
                            <label>"Ends on" <input type="date" required prop:value=move || end_day.get()
                                on:input=move |ev| end_day.set(event_target_value(&ev))/></label>
                            <button type="submit" class="secondary">"End employment"</button>
                        </form>
                    })}
                </li>
            }
            .into_any()
        })
        .collect_view();
    let new_location = RwSignal::new(locations.first().map(|l| l.id.to_string()).unwrap_or_default());
    let new_start = RwSignal::new(String::new());
    let new_hours = RwSignal::new(String::new());
    let employ = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (id, l, s, h) = (id.clone(), new_location.get_untracked(), new_start.get_untracked(), new_hours.get_untracked());
            spawn_local(async move { settled(add_employment(id, l, s, h).await) });
        }
    };
    let place_options = locations
        .iter()
        .filter(|l| l.closed_from.is_none())
        .map(|l| view! { <option value=l.id.to_string()>{l.name.clone()}</option> })
        .collect_view();
    let removed = worker.removed_from.is_some();
    let leave_day = RwSignal::new(String::new());
    let leave = {
        let (id, zone) = (id.clone(), time_zone.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (id, zone) = (id.clone(), zone.clone());
            let from = (!removed).then(|| leave_day.get_untracked());
            spawn_local(async move { settled(remove_or_restore_worker(id, version, from, zone).await) });
        }
    };
    view! {
        <div class="worker-panel">
            <form class="contact" on:submit=save>
                <label>"Name" <input required maxlength="200" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label>"Email" <input type="email" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/></label>
                <label>"Phone" <input type="tel" prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev))/></label>
                <button type="submit">"Save details"</button>
            </form>
            <h3>"Employments"</h3>
            <ul class="employments">{employments}</ul>
            {(!removed).then(|| view! {
                <form class="inline employ" on:submit=employ>
                    <label>"At" <select on:change=move |ev| new_location.set(event_target_value(&ev))>{place_options}</select></label>
                    <label>"From" <input type="date" required prop:value=move || new_start.get() on:input=move |ev| new_start.set(event_target_value(&ev))/></label>
                    <label>"Hours a week" <input inputmode="decimal" prop:value=move || new_hours.get() on:input=move |ev| new_hours.set(event_target_value(&ev))/></label>
                    <button type="submit" class="secondary">"Add employment"</button>
                </form>
            })}
            <form class="inline leave" on:submit=leave>
                {(!removed).then(|| view! {
                    <p class="hint">"Removing ends their employments and cancels their drafts from that day. Their past shifts, timesheets and pay stay."</p>
                    <label>"Remove from" <input type="date" required prop:value=move || leave_day.get() on:input=move |ev| leave_day.set(event_target_value(&ev))/></label>
                })}
                <button type="submit" class=if removed { "secondary" } else { "danger" }>{if removed { "Restore worker" } else { "Remove worker" }}</button>
            </form>
        </div>
    }
    .into_any()
}
