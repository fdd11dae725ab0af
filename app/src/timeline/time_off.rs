//! The worker's time off on their timeline: ask for days or some hours away, see each request and the
//! manager's answer as it comes, and withdraw one before it starts.

use crate::format::{day_heading, time_off_span, zone};
use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::EventId;
use mosaic::time_off::{TimeOffKind, TimeOffStatus};
use mosaic::views::time_off::{MyTimeOffView, TimeOffView};

#[server(prefix = "/rpc", endpoint = "load_my_time_off")]
pub async fn load_my_time_off() -> Result<MyTimeOffView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::time_off::mine(&pool, &caller, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

/// Whole days from `first_day` to `last_day`, or `from_time` to `to_time` of `first_day`.
#[server(prefix = "/rpc", endpoint = "ask_for_time_off", input = Json)]
pub async fn ask_for_time_off(
    kind: Option<TimeOffKind>,
    first_day: NaiveDate,
    last_day: Option<NaiveDate>,
    from_time: Option<NaiveTime>,
    to_time: Option<NaiveTime>,
    note: Option<String>,
) -> Result<TimeOffView, ServerFnError> {
    use mosaic::services::time_off::{request, NewTimeOff};
    let (caller, pool) = crate::auth::signed_in()?;
    let asked = NewTimeOff { kind, first_day: Some(first_day), last_day, from_time, to_time, note, ..Default::default() };
    request(&pool, &caller, asked).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "withdraw_time_off", input = Json)]
pub async fn withdraw_time_off(id: EventId, expected_version: i32) -> Result<TimeOffView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let decision = mosaic::services::time_off::Decision { expected_version, note: None };
    mosaic::services::time_off::cancel(&pool, &caller, id, decision, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

/// `reads`: bumped when a change to the worker's requests arrives, so the list is read again.
#[component]
pub fn TimeOffPanel(reads: RwSignal<u32>) -> impl IntoView {
    let mine = Resource::new(move || reads.get(), |_| load_my_time_off());
    view! {
        <section class="time-off" aria-labelledby="time-off-heading">
            <h2 id="time-off-heading">"Time off"</h2>
            <AskForm reads/>
            <Transition fallback=|| view! { <p class="loading">"Reading your requests…"</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok(mine) => view! { <Requests mine reads/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{crate::errors::plain(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn AskForm(reads: RwSignal<u32>) -> impl IntoView {
    let kind = RwSignal::new(TimeOffKind::Vacation.as_str().to_string());
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let some_hours = RwSignal::new(false);
    let from = RwSignal::new("09:00".to_string());
    let to = RwSignal::new("13:00".to_string());
    let note = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<(bool, String)>);
    let sending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let day = |text: String| chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
        let time = |text: String| chrono::NaiveTime::parse_from_str(&text, "%H:%M").ok();
        let Some(first_day) = day(first.get_untracked()) else {
            notice.set(Some((false, "Choose the first day you will be away.".into())));
            return;
        };
        let hours = some_hours.get_untracked();
        let asked_kind = TimeOffKind::parse(&kind.get_untracked());
        let last_day = if hours { None } else { day(last.get_untracked()) };
        let (from_time, to_time) = if hours { (time(from.get_untracked()), time(to.get_untracked())) } else { (None, None) };
        let said = Some(note.get_untracked()).filter(|n| !n.trim().is_empty());
        sending.set(true);
        spawn_local(async move {
            match ask_for_time_off(asked_kind, first_day, last_day, from_time, to_time, said).await {
                Ok(asked) => {
                    notice.set(Some((
                        true,
                        format!("Asked for {}. Your manager has been told.", asked.kind.label().to_lowercase()),
                    )));
                    note.set(String::new());
                    reads.update(|n| *n += 1);
                }
                Err(e) => notice.set(Some((false, crate::errors::plain(&e)))),
            }
            sending.set(false);
        });
    };
    let kinds = TimeOffKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view();
    view! {
        <form class="time-off-form" on:submit=submit>
            <label>"Kind"
                <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>{kinds}</select>
            </label>
            <label>"First day"
                <input type="date" name="first_day" required
                    prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev))/>
            </label>
            <label class:hidden=move || some_hours.get()>"Last day"
                <input type="date" name="last_day"
                    prop:value=move || last.get() on:input=move |ev| last.set(event_target_value(&ev))/>
            </label>
            <label class="check">
                <input type="checkbox" name="some_hours"
                    prop:checked=move || some_hours.get() on:change=move |ev| some_hours.set(event_target_checked(&ev))/>
                "Only some hours of the day"
            </label>
            <Show when=move || some_hours.get()>
                <label>"From"
                    <input type="time" name="from_time" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </label>
                <label>"To"
                    <input type="time" name="to_time" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                </label>
            </Show>
            <label class="wide">"Note for your manager"
                <input type="text" name="note" maxlength="500" placeholder="optional"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
            </label>
            <button type="submit" prop:disabled=move || sending.get()>"Ask for time off"</button>
        </form>
        <crate::errors::FormAnswer said=notice/>
    }
    .into_any()
}

#[component]
fn Requests(mine: MyTimeOffView, reads: RwSignal<u32>) -> impl IntoView {
    if mine.requests.is_empty() {
        return view! { <p class="empty">"You have not asked for time off."</p> }.into_any();
    }
    let tz = zone(&mine.time_zone);
    let notice = RwSignal::new(None::<String>);
    let items = mine
        .requests
        .into_iter()
        .map(|request| {
            let withdrawable = request.status.is_live() && request.during.start > mine.now;
            let (id, version) = (request.id, request.version);
            let withdraw = move |_| {
                spawn_local(async move {
                    match withdraw_time_off(id, version).await {
                        Ok(_) => reads.update(|n| *n += 1),
                        Err(e) => notice.set(Some(crate::errors::plain(&e))),
                    }
                });
            };
            view! {
                <li class=format!("request {}", request.status.as_str())>
                    <p class="what">
                        <strong>{request.kind.label()}</strong>
                        " · " {time_off_span(&request, tz)}
                        <span class="standing">{status_label(request.status)}</span>
                    </p>
                    {request.note.clone().map(|n| view! { <p class="said">"You wrote: " {n}</p> })}
                    {request.decision_note.clone().map(|n| view! { <p class="said answer">"Manager: " {n}</p> })}
                    <p class="asked">{format!("Asked {}", day_heading(crate::format::local_day(request.requested_at, tz)))}</p>
                    {withdrawable.then(|| view! { <button type="button" class="quiet" on:click=withdraw>"Withdraw"</button> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="requests" aria-label="Your requests">{items}</ul>
        {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
    }
    .into_any()
}

pub(crate) fn status_label(status: TimeOffStatus) -> &'static str {
    match status {
        TimeOffStatus::Requested => "Waiting",
        TimeOffStatus::Approved => "Approved",
        TimeOffStatus::Declined => "Declined",
        TimeOffStatus::Cancelled => "Withdrawn",
    }
}
