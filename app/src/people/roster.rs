//! The roster on `/people`: every worker, searched and filtered by location, position and status, with
//! where and how much they are employed, the positions they hold, whether they can sign in and what
//! they are paid; adding a worker; and a worker's details ([`super::worker_panel`]), with the
//! organisation's positions ([`super::positions`]) beside it.

use super::positions::{PositionChip, Positions};
use super::worker_panel::WorkerPanel;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::views::people::{InvitationStatus, RosterLine, RosterStatus};
use mosaic::views::positions::PositionView;
use mosaic::views::LocationView;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RosterPage {
    pub lines: Vec<RosterLine>,
    pub locations: Vec<LocationView>,
    pub positions: Vec<PositionView>,
    /// The organisation's zone, in which a removal's day is read.
    pub time_zone: String,
    pub now: chrono::DateTime<chrono::Utc>,
}

#[server(prefix = "/rpc", endpoint = "load_roster", input = Json)]
pub async fn load_roster(
    q: String,
    location: String,
    position: String,
    status: RosterStatus,
) -> Result<RosterPage, ServerFnError> {
    use mosaic::services::roster::{self, RosterFilter};
    use mosaic::services::{locations, organisations, positions};
    let (caller, pool) = crate::auth::signed_in()?;
    let shown = crate::auth::shown;
    let now = chrono::Utc::now();
    let location_id = crate::forms::parse_optional_id(&location, "location")?;
    let position_id = crate::forms::parse_optional_id(&position, "position")?;
    let filter = RosterFilter { q, location_id, position_id, status };
    let lines = roster::list(&pool, &caller, &filter, now).await.map_err(shown)?;
    let locations = locations::list(&pool, &caller).await.map_err(shown)?;
    let positions = positions::list(&pool, &caller).await.map_err(shown)?;
    let time_zone = organisations::settings(&pool, &caller).await.map_err(shown)?.time_zone;
    Ok(RosterPage { lines, locations, positions, time_zone, now })
}

/// Adds a worker, employed at `location` from local day `start` there (no employment without a day).
#[server(prefix = "/rpc", endpoint = "hire_worker", input = Json)]
pub async fn hire_worker(
    name: String,
    email: String,
    phone: String,
    location: String,
    start: String,
    hours: String,
) -> Result<(), ServerFnError> {
    use mosaic::services::{locations, roster};
    let (caller, pool) = crate::auth::signed_in()?;
    let location_id: Option<mosaic::ids::EntityId> = crate::forms::parse_optional_id(&location, "location")?;
    let start = match (start.trim().is_empty(), location_id) {
        (true, _) => None,
        (false, Some(id)) => {
            let zone = locations::get(&pool, &caller, id).await.map_err(crate::auth::shown)?.zone();
            Some(crate::forms::local_midnight(&start, "start", zone)?)
        }
        (false, None) => return Err(ServerFnError::new("location: choose where they work from that day")),
    };
    let new = roster::NewHire {
        name,
        email: Some(email),
        phone: Some(phone),
        location_id,
        start,
        contract_hours: crate::forms::parse_hours(&hours, "contract_hours")?,
    };
    roster::hire(&pool, &caller, new).await.map_err(crate::auth::shown)?;
    Ok(())
}

pub(super) fn said(e: &ServerFnError) -> String {
    e.to_string().replace("error running server function: ", "")
}

/// `on_imported` hears of an import, which prepares invitations the rest of the page lists.
#[component]
pub fn Roster(on_imported: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let location = RwSignal::new(String::new());
    let position = RwSignal::new(String::new());
    let status = RwSignal::new(RosterStatus::Active);
    let reads = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let roster = Resource::new(
        move || (query.get(), location.get(), position.get(), status.get(), reads.get()),
        |(q, location, position, status, _)| load_roster(q, location, position, status),
    );
    let reload = move || reads.update(|n| *n += 1);
    let open = RwSignal::new(None::<String>);
    view! {
        <section class="roster" aria-labelledby="roster-title">
            <h2 id="roster-title">"Workers"</h2>
            <div class="filters" role="search">
                <label>"Search"
                    <input type="search" placeholder="Name or email" prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))/>
                </label>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let page = roster.await.ok();
                        let options = page.as_ref().map(|r| r.locations.clone()).unwrap_or_default().into_iter()
                            .map(|l| view! { <option value=l.id.to_string()>{l.name}</option> }).collect_view();
                        let held = page.map(|r| r.positions).unwrap_or_default().into_iter()
                            .map(|p| view! { <option value=p.id.to_string()>{p.name}</option> }).collect_view();
                        view! {
                            <label>"Location"
                                <select prop:value=move || location.get() on:change=move |ev| location.set(event_target_value(&ev))>
                                    <option value="">"All locations"</option>
                                    {options}
                                </select>
                            </label>
                            <label>"Position"
                                <select prop:value=move || position.get() on:change=move |ev| position.set(event_target_value(&ev))>
                                    <option value="">"All positions"</option>
                                    {held}
                                </select>
                            </label>
                        }
                    })}
                </Transition>
                <label>"Status"
                    <select on:change=move |ev| status.set(match event_target_value(&ev).as_str() {
                        "removed" => RosterStatus::Removed,
                        "all" => RosterStatus::All,
                        _ => RosterStatus::Active,
                    })>
                        <option value="active">"Working here"</option>
                        <option value="removed">"Removed"</option>
                        <option value="all">"Everyone"</option>
                    </select>
                </label>
            </div>
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
            <Transition fallback=|| view! { <p class="loading">"Loading workers…"</p> }>
                {move || Suspend::new(async move {
                    match roster.await {
                        Ok(page) => view! { <RosterTable page open notice on_done=reload/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{said(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Positions on_changed=reload/>
        <HireForm notice on_done=reload/>
        <crate::file_import::ImportFile importing=crate::file_import::WORKERS on_done=move || {
            reload();
            on_imported();
        }/>
    }
}

#[component]
fn RosterTable(
    page: RosterPage,
    open: RwSignal<Option<String>>,
    notice: RwSignal<Option<String>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if page.lines.is_empty() {
        return view! { <p class="empty">"No workers match."</p> }.into_any();
    }
    let count = page.lines.len();
    let rows = page
        .lines
        .iter()
        .map(|line| {
            let id = line.worker.id.to_string();
            let place_of = |l: Option<mosaic::ids::EntityId>| page.locations.iter().find(|p| Some(p.id) == l).cloned();
            let current = line.current_employment(page.now).cloned();
            let employed = match &current {
                Some(e) => {
                    let place = place_of(e.location_id);
                    let tz = place.as_ref().map(|p| p.zone()).unwrap_or(chrono_tz::UTC);
                    let since = e.during.start.with_timezone(&tz).format("%-d %b %Y");
                    let until = e.during.end.map(|end| format!(" until {}", end.with_timezone(&tz).format("%-d %b %Y"))).unwrap_or_default();
                    let hours = e.contract_hours.map(|h| format!(" · {h} h a week")).unwrap_or_default();
                    format!("{} since {since}{until}{hours}", place.map(|p| p.name).unwrap_or_else(|| "No location".into()))
                }
                None => "Not employed".to_string(),
            };
            let organisation_zone = crate::format::zone(&page.time_zone);
            let account = match (line.member, line.invitation) {
                (Some((role, true)), _) => format!("{} (not accepted yet)", role.as_str()),
                (Some((role, false)), _) => role.as_str().to_string(),
                (None, Some((InvitationStatus::Open, until))) => {
                    format!("Invited, open until {}", until.with_timezone(&organisation_zone).format("%-d %b"))
                }
                (None, Some(_)) => "Invitation expired: send it again below".to_string(),
                (None, None) => "No account".to_string(),
            };
            let pay = line.hourly_rate.as_ref().map(|(cents, currency)| format!("{currency} {:.2}/h", *cents as f64 / 100.0));
            let contact = [line.worker.email.clone(), line.worker.phone.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
            let removed =
                line.worker.removed_from.map(|t| format!("Removed from {}", t.with_timezone(&organisation_zone).format("%-d %b %Y")));
            let is_removed = removed.is_some();
            let chips = page
                .positions
                .iter()
                .filter(|p| line.positions.contains(&p.id))
                .map(|p| view! { <PositionChip name=p.name.clone() colour=p.colour.clone()/> })
                .collect_view();
            let toggle = {
                let id = id.clone();
                move |_| open.update(|o| *o = if o.as_deref() == Some(id.as_str()) { None } else { Some(id.clone()) })
            };
            let shown = {
                let id = id.clone();
                move || open.get().as_deref() == Some(id.as_str())
            };
            let panel = {
                let (line, locations, time_zone) = (line.clone(), page.locations.clone(), page.time_zone.clone());
                let positions = page.positions.clone();
                let shown = shown.clone();
                move || shown().then(|| view! {
                    <tr class="details"><td colspan="5">
                        <WorkerPanel line=line.clone() locations=locations.clone() positions=positions.clone() time_zone=time_zone.clone() notice on_done/>
                    </td></tr>
                })
            };
            view! {
                <tr class:removed=is_removed>
                    <td>
                        <strong>{line.worker.name.clone()}</strong>
                        {(!contact.is_empty()).then(|| view! { <div class="muted">{contact}</div> })}
                        <div class="held">{chips}</div>
                        {removed.map(|r| view! { <div class="badge closed">{r}</div> })}
                    </td>
                    <td>{employed}</td>
                    <td>{account}</td>
                    <td>{pay.unwrap_or_else(|| "—".into())}</td>
                    <td class="actions">
                        <button type="button" class="secondary" aria-expanded=move || shown().to_string() on:click=toggle>"Details"</button>
                    </td>
                </tr>
                {panel}
            }
            .into_any()
        })
        .collect_view();
    view! {
        <p class="muted">{crate::format::counted(count, "worker")}</p>
        <table aria-label="Workers">
            <thead><tr><th>"Worker"</th><th>"Employed"</th><th>"Account"</th><th>"Pay"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn HireForm(notice: RwSignal<Option<String>>, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let fields = [(); 6].map(|_| RwSignal::new(String::new()));
    let [name, email, phone, location, start, hours] = fields;
    let places = Resource::new(|| (), |_| crate::people::load_people());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values = fields.map(|f| f.get_untracked());
        spawn_local(async move {
            let [n, e, p, l, s, h] = values;
            match hire_worker(n, e, p, l, s, h).await {
                Ok(()) => {
                    notice.set(None);
                    for field in fields {
                        field.set(String::new());
                    }
                    on_done();
                }
                Err(err) => notice.set(Some(said(&err))),
            }
        });
    };
    let text = move |label: &'static str, signal: RwSignal<String>, kind: &'static str| {
        view! {
            <label>{label}
                <input type=kind prop:value=move || signal.get() on:input=move |ev| signal.set(event_target_value(&ev))/>
            </label>
        }
    };
    view! {
        <section class="hire" aria-labelledby="hire-title">
            <h2 id="hire-title">"Add a worker"</h2>
            <form on:submit=submit>
                <label>"Name"
                    <input required maxlength="200" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                {text("Email (optional)", email, "email")}
                {text("Phone (optional)", phone, "tel")}
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let options = places.await.map(|p| p.locations).unwrap_or_default().into_iter()
                            .map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view();
                        view! {
                            <label>"Works at"
                                <select prop:value=move || location.get() on:change=move |ev| location.set(event_target_value(&ev))>
                                    <option value="">"— choose —"</option>
                                    {options}
                                </select>
                            </label>
                        }
                    })}
                </Transition>
                {text("Employed from", start, "date")}
                {text("Hours a week (optional)", hours, "text")}
                <button type="submit">"Add worker"</button>
            </form>
        </section>
    }
    .into_any()
}
