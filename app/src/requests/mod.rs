//! `/requests`: what managers decide. Waiting requests for time off, each approved or declined with a
//! note for the worker; the approved ones still to come, which may be taken back; and what was declined
//! or withdrawn lately; and the claims workers make on open shifts (`claims.rs`). Follows the log, so a
//! request appears the moment a worker sends it.

mod claims;
mod swaps;

use crate::format::{day_heading, local_day, time_off_span, zone};
use crate::live::LiveStatus;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::change_kind::{ChangeKind, StreamType};
use mosaic::ids::EventId;
use mosaic::views::time_off::{RequestsView, TimeOffView};
use mosaic::views::ChangeView;

#[server(prefix = "/rpc", endpoint = "load_requests")]
pub async fn load_requests() -> Result<RequestsView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::time_off::board(&pool, &caller, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

/// What a manager does with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Answer {
    Approve,
    Decline,
    TakeBack,
}

#[server(prefix = "/rpc", endpoint = "answer_request", input = Json)]
pub async fn answer_request(
    id: EventId,
    expected_version: i32,
    answer: Answer,
    note: Option<String>,
) -> Result<TimeOffView, ServerFnError> {
    use mosaic::services::time_off::{self, Decision};
    let (caller, pool) = crate::auth::signed_in()?;
    let decision = Decision { expected_version, note };
    match answer {
        Answer::Approve => time_off::approve(&pool, &caller, id, decision).await,
        Answer::Decline => time_off::decline(&pool, &caller, id, decision).await,
        Answer::TakeBack => time_off::cancel(&pool, &caller, id, decision, chrono::Utc::now()).await,
    }
    .map_err(crate::auth::shown)
}

#[component]
pub fn RequestsPage() -> impl IntoView {
    let reads = RwSignal::new(0u32);
    let requests = Resource::new(move || reads.get(), |_| load_requests());
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading requests…"</p> }>
            {move || Suspend::new(async move {
                match requests.await {
                    Ok(view) => view! { <Requests view reads/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{crate::errors::plain(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Requests(view: RequestsView, reads: RwSignal<u32>) -> impl IntoView {
    let tz = zone(&view.time_zone);
    let live = RwSignal::new(LiveStatus::Connecting);
    let activity = RwSignal::new(None::<String>);
    let claims = RwSignal::new(0u32);
    let swaps = RwSignal::new(0u32);
    crate::live::follow(
        view.cursor.clone(),
        live,
        move |change: ChangeView| {
            if change.stream_type == StreamType::TimeOff.as_str() {
                let who = change.payload["after"]["worker_name"].as_str().unwrap_or("someone").to_string();
                let what = change.kind.trim_start_matches("time_off.").to_string();
                activity.set(Some(format!(
                    "{}: {who}'s request {what} at {}.",
                    change.actor,
                    crate::format::clock(change.recorded_at, tz)
                )));
                reads.update(|n| *n += 1);
            }
            if change.stream() == Some(StreamType::ShiftOffer) {
                if change.kind() == Some(ChangeKind::ShiftOfferAccepted) {
                    let who = change.payload["after"]["to_worker_name"].as_str().unwrap_or("someone").to_string();
                    activity.set(Some(format!("{who} took up a swap at {}.", crate::format::clock(change.recorded_at, tz))));
                }
                swaps.update(|n| *n += 1);
            }
            if matches!(change.stream(), Some(StreamType::OpenShift | StreamType::ShiftClaim)) {
                if change.kind() == Some(ChangeKind::ShiftClaimMade) {
                    let who = change.payload["after"]["worker_name"].as_str().unwrap_or("someone").to_string();
                    activity
                        .set(Some(format!("{who} claimed an open shift at {}.", crate::format::clock(change.recorded_at, tz))));
                }
                claims.update(|n| *n += 1);
            }
        },
        move || reads.update(|n| *n += 1),
    );
    let waiting_count = view.waiting.len();
    let waiting = if view.waiting.is_empty() {
        view! { <p class="empty">"Nothing is waiting for you."</p> }.into_any()
    } else {
        let items = view.waiting.into_iter().map(|request| view! { <Waiting request tz reads/> }).collect_view();
        view! { <ul class="requests waiting">{items}</ul> }.into_any()
    };
    let approved = if view.approved.is_empty() {
        view! { <p class="empty">"No approved time off to come."</p> }.into_any()
    } else {
        let items = view.approved.into_iter().map(|request| view! { <Approved request tz reads/> }).collect_view();
        view! { <ul class="requests">{items}</ul> }.into_any()
    };
    let settled_any = !view.settled.is_empty();
    let settled = view
        .settled
        .into_iter()
        .map(|request| {
            view! {
                <li class=format!("request {}", request.status.as_str())>
                    <p class="what">
                        <strong>{request.worker_name.clone()}</strong> " · " {request.kind.label()} " · " {time_off_span(&request, tz)}
                        <span class="standing">{crate::timeline::time_off::status_label(request.status)}</span>
                    </p>
                    {request.decision_note.clone().map(|n| view! { <p class="said answer">{n}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="requests-page" aria-label="Requests">
            <header class="page-head">
                <h1>"Requests"</h1>
                <p class="summary">{if waiting_count == 1 { "1 waiting".to_string() } else { format!("{waiting_count} waiting") }}</p>
                <crate::live::LiveBadge status=live activity/>
            </header>
            <section aria-labelledby="waiting-heading">
                <h2 id="waiting-heading">"Waiting for you"</h2>
                {waiting}
            </section>
            <claims::ClaimsPanel reads=claims/>
            <swaps::SwapsPanel reads=swaps/>
            <section aria-labelledby="approved-heading">
                <h2 id="approved-heading">"Approved, to come"</h2>
                {approved}
            </section>
            <section aria-labelledby="settled-heading">
                <h2 id="settled-heading">"Declined or withdrawn lately"</h2>
                {if settled_any { view! { <ul class="requests">{settled}</ul> }.into_any() } else { view! { <p class="empty">"Nothing lately."</p> }.into_any() }}
            </section>
        </section>
    }
}

/// Sends the manager's answer; on success the page is read again (the log would do it too, a moment later).
fn send(request: &TimeOffView, answer: Answer, note: RwSignal<String>, notice: RwSignal<Option<String>>, reads: RwSignal<u32>) {
    let (id, version) = (request.id, request.version);
    let said = Some(note.get_untracked()).filter(|n| !n.trim().is_empty());
    spawn_local(async move {
        match answer_request(id, version, answer, said).await {
            Ok(_) => reads.update(|n| *n += 1),
            Err(e) => notice.set(Some(crate::errors::plain(&e))),
        }
    });
}

#[component]
fn Waiting(request: TimeOffView, tz: chrono_tz::Tz, reads: RwSignal<u32>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let label = format!("{}'s request", request.worker_name);
    let (for_approve, for_decline) = (request.clone(), request.clone());
    view! {
        <li class="request requested" aria-label=label>
            <p class="what">
                <strong>{request.worker_name.clone()}</strong> " · " {request.kind.label()} " · " {time_off_span(&request, tz)}
            </p>
            {request.note.clone().map(|n| view! { <p class="said">"“" {n} "”"</p> })}
            <p class="asked">{format!("Asked {}", day_heading(local_day(request.requested_at, tz)))}</p>
            <div class="answer">
                <label>"Note to " {request.worker_name.clone()}
                    <input type="text" maxlength="500" placeholder="optional"
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=move |_| send(&for_approve, Answer::Approve, note, notice, reads)>"Approve"</button>
                <button type="button" class="quiet" on:click=move |_| send(&for_decline, Answer::Decline, note, notice, reads)>"Decline"</button>
            </div>
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
        </li>
    }
}

#[component]
fn Approved(request: TimeOffView, tz: chrono_tz::Tz, reads: RwSignal<u32>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let label = format!("{}'s time off", request.worker_name);
    let taken = request.clone();
    view! {
        <li class="request approved" aria-label=label>
            <p class="what">
                <strong>{request.worker_name.clone()}</strong> " · " {request.kind.label()} " · " {time_off_span(&request, tz)}
            </p>
            {request.decision_note.clone().map(|n| view! { <p class="said answer">{n}</p> })}
            <button type="button" class="quiet" on:click=move |_| send(&taken, Answer::TakeBack, note, notice, reads)>"Take back"</button>
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
        </li>
    }
}
