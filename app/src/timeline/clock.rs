//! The worker's clock on their timeline: clock in or out, with where and an optional note; whether
//! they are clocked in and since when, and today's punches.

use crate::format::{clock, zone};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::EntityId;
use mosaic::timekeeping::ClockDirection;
use mosaic::views::time::{ClockView, PunchStanding, PunchView};

#[server(prefix = "/rpc", endpoint = "load_my_clock")]
pub async fn load_my_clock() -> Result<ClockView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::timekeeping::my_clock(&pool, &caller, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "clock_in_or_out", input = Json)]
pub async fn punch(
    direction: ClockDirection,
    note: Option<String>,
    location_id: Option<EntityId>,
) -> Result<PunchView, ServerFnError> {
    use mosaic::services::timekeeping::{clock, NewPunch};
    let (caller, pool) = crate::auth::signed_in()?;
    clock(&pool, &caller, NewPunch { direction, note, location_id }, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

/// `tz`: the zone the worker's day is shown in (their timeline's).
#[component]
pub fn ClockPanel(time_zone: String) -> impl IntoView {
    let tz = zone(&time_zone);
    let reads = RwSignal::new(0u32);
    let state = Resource::new(move || reads.get(), |_| load_my_clock());
    view! {
        <section class="clock" aria-label="Clock">
            <Transition fallback=|| view! { <p class="loading">"Reading your clock…"</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(view) => view! { <Clock view tz reads/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Clock(view: ClockView, tz: chrono_tz::Tz, reads: RwSignal<u32>) -> impl IntoView {
    let notice = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let first_location = view.open.as_ref().and_then(|p| p.location_id).or(view.locations.first().map(|l| l.id));
    let location = RwSignal::new(first_location.map(|l| l.to_string()).unwrap_or_default());
    let direction = if view.open.is_some() { ClockDirection::Out } else { ClockDirection::In };
    let status = match &view.open {
        Some(open) => format!("Clocked in since {}", clock(open.during.start, tz)),
        None => "Not clocked in".to_string(),
    };
    // One punch at a time: a second tap while the first is on its way does nothing.
    let sending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        let said = Some(note.get_untracked()).filter(|n| !n.trim().is_empty());
        let at = location.get_untracked().parse::<EntityId>().ok();
        spawn_local(async move {
            match punch(direction, said, at).await {
                Ok(_) => {
                    notice.set(None);
                    note.set(String::new());
                    reads.update(|n| *n += 1);
                }
                Err(e) => notice.set(Some(e.to_string().replace("error running server function: ", ""))),
            }
            sending.set(false);
        });
    };
    let options =
        view.locations.iter().map(|l| view! { <option value=l.id.to_string()>{l.name.clone()}</option> }).collect_view();
    let punches = view
        .today
        .iter()
        .map(|p| {
            let what = match (p.direction, p.standing) {
                (_, PunchStanding::Voided) | (None, _) => "voided",
                (_, PunchStanding::Replaced) => "corrected",
                (Some(ClockDirection::In), _) => "in",
                (Some(ClockDirection::Out), _) => "out",
            };
            let note = p.note.clone().map(|n| format!(" · {n}"));
            view! { <li class=format!("punch {what}")>{format!("{} {what}", clock(p.at, tz))}{note}</li> }
        })
        .collect_view();
    let label = if direction == ClockDirection::In { "Clock in" } else { "Clock out" };
    view! {
        <p class="clock-status" role="status">{status}</p>
        <form class="clock-form" on:submit=submit>
            <label>"Where"
                <select prop:value=move || location.get() on:change=move |ev| location.set(event_target_value(&ev))>{options}</select>
            </label>
            <label>"Note"
                <input type="text" maxlength="500" placeholder="optional"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="clock-button" prop:disabled=move || sending.get()>{label}</button>
        </form>
        {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
        {(!view.today.is_empty()).then(|| view! {
            <h3>"Today"</h3>
            <ul class="punches">{punches}</ul>
        })}
    }
}
