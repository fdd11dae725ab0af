//! The week's open shifts at the location, below the calendar: each with its places, the claims waiting
//! and who has a place; a form to offer one ("3 baristas 07:00–15:00 on Wednesday"), a place given to a
//! worker directly, and the places not yet taken withdrawn. Follows the log with the calendar.

use crate::format::{day_heading, open_shift_when, places_left};
use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::{EntityId, EventId};
use mosaic::kinds::EventStatus;
use mosaic::open_shifts::ClaimStatus;
use mosaic::views::open_shifts::{OpenShiftView, OpenShiftWithClaims};
use mosaic::views::WeekView;

#[server(prefix = "/rpc", endpoint = "load_week_open_shifts", input = Json)]
pub async fn load_week_open_shifts(
    location: EntityId,
    week: mosaic::interval::Interval,
) -> Result<Vec<OpenShiftWithClaims>, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let filter = mosaic::services::open_shifts::OpenShiftFilter {
        location_id: Some(location),
        from: Some(week.start),
        to: week.end,
        include_withdrawn: false,
    };
    mosaic::services::open_shifts::list(&pool, &caller, &filter, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

/// One open shift as the week's form asks for it: a local day and hours at the location.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct OfferForm {
    pub location: EntityId,
    pub day: NaiveDate,
    pub from: NaiveTime,
    pub to: NaiveTime,
    pub places: i32,
    pub position: Option<EntityId>,
    pub automatic: bool,
}

#[server(prefix = "/rpc", endpoint = "offer_open_shift", input = Json)]
pub async fn offer_open_shift(form: OfferForm) -> Result<OpenShiftView, ServerFnError> {
    use mosaic::open_shifts::Approval;
    use mosaic::services::open_shifts::{offer, NewOpenShift};
    let (caller, pool) = crate::auth::signed_in()?;
    let location = mosaic::services::locations::get(&pool, &caller, form.location).await.map_err(crate::auth::shown)?;
    let placed = mosaic::templates::place(form.day, location.zone(), form.from, form.to, &[]);
    let new = NewOpenShift {
        location_id: Some(form.location),
        start: Some(placed.start),
        end: Some(placed.end),
        places: Some(form.places),
        position_id: form.position,
        approval: Some(if form.automatic { Approval::Automatic } else { Approval::Manager }),
        ..Default::default()
    };
    offer(&pool, &caller, new).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "give_open_shift", input = Json)]
pub async fn give_open_shift(id: EventId, worker: EntityId) -> Result<(), ServerFnError> {
    use mosaic::services::open_shifts::{assign, Assignment};
    let (caller, pool) = crate::auth::signed_in()?;
    assign(&pool, &caller, id, Assignment { worker_id: Some(worker) }).await.map(|_| ()).map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "withdraw_open_shift", input = Json)]
pub async fn withdraw_open_shift(id: EventId, expected_version: i32) -> Result<(), ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::open_shifts::withdraw(&pool, &caller, id, expected_version).await.map(|_| ()).map_err(crate::auth::shown)
}

/// `reads`: bumped by the calendar when an open shift or a claim changes.
#[component]
pub fn WeekOpenShifts(week: WeekView, reads: RwSignal<u32>) -> impl IntoView {
    let (location, span) = (week.location.id, week.week);
    let open = Resource::new(move || reads.get(), move |_| load_week_open_shifts(location, span));
    let workers: Vec<(EntityId, String)> = week.rows.iter().map(|r| (r.worker.id, r.worker.name.clone())).collect();
    let may_offer = week.access.require_at(mosaic::access::Action::EditDrafts, location).is_ok();
    view! {
        <section class="week-open-shifts" aria-labelledby="week-open-shifts-heading">
            <h2 id="week-open-shifts-heading">{format!("Open shifts at {} this week", week.location.name)}</h2>
            <Transition fallback=|| view! { <p class="loading">"Reading open shifts…"</p> }>
                {
                    let workers = workers.clone();
                    move || {
                        let workers = workers.clone();
                        Suspend::new(async move {
                            match open.await {
                                Ok(open) => view! { <OpenList open workers reads/> }.into_any(),
                                Err(e) => view! { <p class="error" role="alert">{crate::errors::plain(&e)}</p> }.into_any(),
                            }
                        })
                    }
                }
            </Transition>
            {may_offer.then(|| view! { <OfferOpenShift week=week.clone() reads/> })}
        </section>
    }
    .into_any()
}

#[component]
fn OpenList(open: Vec<OpenShiftWithClaims>, workers: Vec<(EntityId, String)>, reads: RwSignal<u32>) -> impl IntoView {
    if open.is_empty() {
        return view! { <p class="empty">"No open shifts this week."</p> }.into_any();
    }
    let items = open.into_iter().map(|o| view! { <OpenItem o workers=workers.clone() reads/> }).collect_view();
    view! { <ul class="open-shift-list">{items}</ul> }.into_any()
}

#[component]
fn OpenItem(o: OpenShiftWithClaims, workers: Vec<(EntityId, String)>, reads: RwSignal<u32>) -> impl IntoView {
    let open = o.open_shift;
    let (id, version) = (open.id, open.version);
    let notice = RwSignal::new(None::<String>);
    let chosen = RwSignal::new(String::new());
    let left = open.places - open.taken;
    let standing = if open.status == EventStatus::Draft {
        format!("Draft · {} — offered when the week is published", places_left(&open))
    } else {
        places_left(&open)
    };
    let claims: Vec<String> = o
        .claims
        .iter()
        .filter(|c| matches!(c.status, ClaimStatus::Waiting | ClaimStatus::Approved))
        .map(|c| format!("{} ({})", c.worker_name, if c.status == ClaimStatus::Approved { "has a place" } else { "waiting" }))
        .collect();
    let give = move |_| {
        let Ok(worker) = chosen.get_untracked().parse::<EntityId>() else {
            notice.set(Some("Pick a worker to give a place to.".into()));
            return;
        };
        spawn_local(async move {
            match give_open_shift(id, worker).await {
                Ok(()) => reads.update(|n| *n += 1),
                Err(e) => notice.set(Some(crate::errors::plain(&e))),
            }
        });
    };
    let withdraw = move |_| {
        spawn_local(async move {
            match withdraw_open_shift(id, version).await {
                Ok(()) => reads.update(|n| *n += 1),
                Err(e) => notice.set(Some(crate::errors::plain(&e))),
            }
        });
    };
    let options =
        workers.into_iter().map(|(worker, name)| view! { <option value=worker.to_string()>{name}</option> }).collect_view();
    let label = format!("Open shift {}", open_shift_when(&open));
    view! {
        <li class="open-shift" aria-label=label>
            <p class="what">
                <strong>{open_shift_when(&open)}</strong>
                {open.position.as_ref().map(|p| view! { " · " {p.name.clone()} })}
                <span class="standing">{standing}</span>
            </p>
            {(!claims.is_empty()).then(|| view! { <p class="given">"Claims: " {claims.join(", ")}</p> })}
            {(left > 0).then(|| view! {
                <div class="answer">
                    <label>"Give a place to "
                        <select on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="">"— choose —"</option>
                            {options}
                        </select>
                    </label>
                    <button type="button" on:click=give>"Give"</button>
                    <button type="button" class="quiet" on:click=withdraw>"Withdraw open places"</button>
                </div>
            })}
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
        </li>
    }
    .into_any()
}

#[component]
fn OfferOpenShift(week: WeekView, reads: RwSignal<u32>) -> impl IntoView {
    let location = week.location.id;
    let days: Vec<NaiveDate> = (0..7).map(|i| week.week_start + chrono::Duration::days(i)).collect();
    let day = RwSignal::new(days[0].to_string());
    let from = RwSignal::new("09:00".to_string());
    let to = RwSignal::new("17:00".to_string());
    let places = RwSignal::new("1".to_string());
    let position = RwSignal::new(String::new());
    let automatic = RwSignal::new(false);
    let notice = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let time = |text: String| NaiveTime::parse_from_str(&text, "%H:%M").ok();
        let (Some(day), Some(from), Some(to)) = (
            NaiveDate::parse_from_str(&day.get_untracked(), "%Y-%m-%d").ok(),
            time(from.get_untracked()),
            time(to.get_untracked()),
        ) else {
            notice.set(Some((false, "Choose a day, and hours like 09:00.".into())));
            return;
        };
        let Ok(places) = places.get_untracked().trim().parse::<i32>() else {
            notice.set(Some((false, "places: write how many, 1 to 50.".into())));
            return;
        };
        let position = position.get_untracked().parse().ok();
        let form = OfferForm { location, day, from, to, places, position, automatic: automatic.get_untracked() };
        spawn_local(async move {
            match offer_open_shift(form).await {
                Ok(open) => {
                    notice.set(Some((true, format!("Offered {}.", places_left(&open).to_lowercase()))));
                    reads.update(|n| *n += 1);
                }
                Err(e) => notice.set(Some((false, crate::errors::plain(&e)))),
            }
        });
    };
    let day_options = days.into_iter().map(|d| view! { <option value=d.to_string()>{day_heading(d)}</option> }).collect_view();
    let positions = week
        .positions
        .iter()
        .filter(|p| p.retired_from.is_none())
        .map(|p| view! { <option value=p.id.to_string()>{p.name.clone()}</option> })
        .collect_view();
    view! {
        <form class="offer-form" aria-label="Offer an open shift" on:submit=submit>
            <h3>"Offer an open shift"</h3>
            <label>"Day" <select name="day" on:change=move |ev| day.set(event_target_value(&ev))>{day_options}</select></label>
            <label>"From" <input type="time" name="from" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/></label>
            <label>"To" <input type="time" name="to" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/></label>
            <label>"Places" <input type="number" name="places" min="1" max="50" prop:value=move || places.get() on:input=move |ev| places.set(event_target_value(&ev))/></label>
            <label>"Position"
                <select name="position" on:change=move |ev| position.set(event_target_value(&ev))>
                    <option value="">"— any —"</option>
                    {positions}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="automatic" prop:checked=move || automatic.get() on:change=move |ev| automatic.set(event_target_checked(&ev))/>
                "The first eligible worker to claim gets it"
            </label>
            <button type="submit">"Offer"</button>
            <crate::errors::FormAnswer said=notice/>
        </form>
    }
    .into_any()
}

/// Makes an assigned shift open: cancelled, with one place offered at its time in its stead.
#[server(prefix = "/rpc", endpoint = "make_shift_open", input = Json)]
pub async fn make_shift_open(id: EventId, expected_version: i32) -> Result<OpenShiftView, ServerFnError> {
    use mosaic::services::open_shifts::{make_open, MakeOpen};
    let (caller, pool) = crate::auth::signed_in()?;
    make_open(&pool, &caller, id, MakeOpen { expected_version, approval: None }).await.map_err(crate::auth::shown)
}
