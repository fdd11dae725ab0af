//! One worker's details on the roster: their name and contact, the positions they hold, their
//! employments (ending one, adding one), and removing them from a day or restoring them.

use super::roster::said;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::views::people::RosterLine;
use mosaic::views::positions::PositionView;
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

/// Sets every position the worker holds. (JSON, so an empty list still arrives.)
#[server(prefix = "/rpc", endpoint = "set_worker_positions", input = Json)]
pub async fn set_worker_positions(id: String, version: i32, position_ids: Vec<String>) -> Result<(), ServerFnError> {
    use mosaic::services::roster::{self, HeldPositions};
    let (caller, pool) = crate::auth::signed_in()?;
    let id = crate::forms::parse_id(&id, "worker")?;
    let position_ids = position_ids.iter().map(|p| crate::forms::parse_id(p, "position")).collect::<Result<Vec<_>, _>>()?;
    let held = HeldPositions { expected_version: version, position_ids };
    roster::set_positions(&pool, &caller, id, held, chrono::Utc::now()).await.map_err(crate::auth::shown)?;
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
    positions: Vec<PositionView>,
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
    let held = RwSignal::new(line.positions.iter().map(|p| p.to_string()).collect::<Vec<_>>());
    let save_positions = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (id, chosen) = (id.clone(), held.get_untracked());
            spawn_local(async move { settled(set_worker_positions(id, version, chosen).await) });
        }
    };
    let position_boxes = positions
        .iter()
        .filter(|p| p.retired_from.is_none() || line.positions.contains(&p.id))
        .map(|p| {
            let value = p.id.to_string();
            let checked = {
                let value = value.clone();
                move || held.get().contains(&value)
            };
            let flip = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                let value = value.clone();
                held.update(|h| {
                    h.retain(|v| *v != value);
                    if on {
                        h.push(value);
                    }
                });
            };
            let swatch = format!("background:{}", p.colour);
            view! {
                <label class="check"><input type="checkbox" prop:checked=checked on:change=flip/>
                    <span class="swatch" style=swatch aria-hidden="true"></span>{p.name.clone()}</label>
            }
        })
        .collect_view();
    let has_positions = !positions.is_empty();
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
            <h3>"Positions held"</h3>
            {if has_positions {
                view! {
                    <form class="inline held-positions" on:submit=save_positions>
                        <fieldset><legend class="sr-only">"Positions held"</legend>{position_boxes}</fieldset>
                        <button type="submit" class="secondary">"Save positions"</button>
                    </form>
                }.into_any()
            } else {
                view! { <p class="hint">"Add the organisation's positions below the roster to give them some."</p> }.into_any()
            }}
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
