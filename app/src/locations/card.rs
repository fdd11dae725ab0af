//! One location on `/locations`: what it is, and (for administrators) editing, closing and reopening it.

use super::{close_location, edit_location, reopen_location, said, LocationLine};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Reading,
    Editing,
    Closing,
}

#[component]
pub fn LocationCard(
    line: LocationLine,
    others: Vec<(String, String)>,
    may_manage: bool,
    notice: RwSignal<Option<String>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let location = line.location.clone();
    let tz = location.zone();
    let id = location.id.to_string();
    let version = location.version;
    let mode = RwSignal::new(Mode::Reading);
    let closed = location.closed_from.map(|t| t.with_timezone(&tz).format("%a %-d %b %Y").to_string());
    let next =
        line.next_parent.clone().map(|(name, from)| format!("{name} from {}", from.with_timezone(&tz).format("%a %-d %b %Y")));
    let part_of = match (line.parent.clone(), next) {
        (Some((_, now)), Some(next)) => format!("{now}; then {next}"),
        (Some((_, now)), None) => now,
        (None, Some(next)) => next,
        (None, None) => "—".into(),
    };
    let heading_id = format!("location-{id}");
    let labelled_by = heading_id.clone();

    let settled = move |result: Result<(), ServerFnError>| match result {
        Ok(()) => {
            notice.set(None);
            mode.set(Mode::Reading);
            on_done();
        }
        Err(e) => notice.set(Some(said(&e))),
    };
    let reopen = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn_local(async move { settled(reopen_location(id, version).await) });
        }
    };
    let actions = may_manage.then(|| {
        let is_closed = closed.is_some();
        view! {
            <div class="actions" hidden=move || mode.get() != Mode::Reading>
                <button type="button" class="secondary" on:click=move |_| mode.set(Mode::Editing)>"Edit"</button>
                {(!is_closed).then(|| view! { <button type="button" class="secondary" on:click=move |_| mode.set(Mode::Closing)>"Close…"</button> })}
                {is_closed.then(|| view! { <button type="button" class="secondary" on:click=reopen.clone()>"Reopen"</button> })}
            </div>
        }
    });
    view! {
        <li class="location-card" class:closed=closed.is_some() aria-labelledby=labelled_by>
            <div class="summary">
                <h2 id=heading_id>{location.name.clone()}</h2>
                {closed.clone().map(|day| view! { <span class="badge closed">{format!("Closed from {day}")}</span> })}
                <dl>
                    {location.address.clone().map(|a| view! { <dt>"Address"</dt><dd>{a}</dd> })}
                    <dt>"Time zone"</dt><dd>{location.time_zone.clone()}</dd>
                    <dt>"Part of"</dt><dd>{part_of}</dd>
                </dl>
            </div>
            {actions}
            {move || (mode.get() == Mode::Editing).then(|| view! { <EditForm line=line.clone() others=others.clone() mode settled/> })}
            {move || (mode.get() == Mode::Closing).then(|| view! { <CloseForm id=id.clone() version mode settled/> })}
        </li>
    }
}

#[component]
fn EditForm(
    line: LocationLine,
    others: Vec<(String, String)>,
    mode: RwSignal<Mode>,
    settled: impl Fn(Result<(), ServerFnError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let location = line.location;
    let (id, version) = (location.id.to_string(), location.version);
    let name = RwSignal::new(location.name.clone());
    let address = RwSignal::new(location.address.clone().unwrap_or_default());
    let zone = RwSignal::new(location.time_zone.clone());
    let was_under = line.parent.map(|(id, _)| id).unwrap_or_default();
    let under = RwSignal::new(was_under.clone());
    let from = RwSignal::new(String::new());
    let moved = {
        let was_under = was_under.clone();
        move || under.get() != was_under
    };
    let submit = {
        let moved = moved.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let id = id.clone();
            let (n, a, z, u, f, changed) = (
                name.get_untracked(),
                address.get_untracked(),
                zone.get_untracked(),
                under.get_untracked(),
                from.get_untracked(),
                moved(),
            );
            spawn_local(async move { settled(edit_location(id, version, n, a, z, u, changed, f).await) });
        }
    };
    let own = location.id.to_string();
    let parents = others
        .into_iter()
        .filter(|(id, _)| *id != own)
        .map(|(id, name)| {
            let selected = id == was_under;
            view! { <option value=id selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <form class="edit-location" on:submit=submit>
            <label>"Name"
                <input required maxlength="200" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <label>"Address"
                <input maxlength="300" prop:value=move || address.get() on:input=move |ev| address.set(event_target_value(&ev))/>
            </label>
            <label>"Time zone"
                <select on:change=move |ev| zone.set(event_target_value(&ev))>{crate::format::zone_options(&location.time_zone)}</select>
                <span class="hint">"Shifts keep their moments and are read on the new zone's clock."</span>
            </label>
            <label>"Part of"
                <select on:change=move |ev| under.set(event_target_value(&ev))>
                    <option value="" selected=was_under.is_empty()>"— none —"</option>
                    {parents}
                </select>
            </label>
            <label hidden=move || !moved()>"From"
                <input type="date" required=moved.clone() prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                <span class="hint">"Until then it stays where it was; reports before that day are unchanged."</span>
            </label>
            <div class="form-actions">
                <button type="submit">"Save"</button>
                <button type="button" class="secondary" on:click=move |_| mode.set(Mode::Reading)>"Cancel"</button>
            </div>
        </form>
    }
}

#[component]
fn CloseForm(
    id: String,
    version: i32,
    mode: RwSignal<Mode>,
    settled: impl Fn(Result<(), ServerFnError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, day) = (id.clone(), from.get_untracked());
        spawn_local(async move { settled(close_location(id, version, day).await) });
    };
    view! {
        <form class="close-location" on:submit=submit>
            <p>"Nothing can be planned here from that day on. Past shifts, timesheets and pay stay; you can reopen it later."</p>
            <label>"Close from"
                <input type="date" required prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
            </label>
            <div class="form-actions">
                <button type="submit" class="danger">"Close location"</button>
                <button type="button" class="secondary" on:click=move |_| mode.set(Mode::Reading)>"Cancel"</button>
            </div>
        </form>
    }
}
