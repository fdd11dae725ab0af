//! Claims on open shifts, for `/requests`: each waiting claim approved (the worker gets the place as a
//! published shift) or declined with a note, and the open shifts still offered with their places left.

use crate::format::{claim_label, open_shift_when, places_left};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::EventId;
use mosaic::open_shifts::ClaimStatus;
use mosaic::views::open_shifts::{ClaimView, OpenShiftWithClaims};

#[server(prefix = "/rpc", endpoint = "load_open_shift_claims")]
pub async fn load_open_shift_claims() -> Result<Vec<OpenShiftWithClaims>, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let filter = mosaic::services::open_shifts::OpenShiftFilter::default();
    mosaic::services::open_shifts::list(&pool, &caller, &filter, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "answer_claim", input = Json)]
pub async fn answer_claim(
    id: EventId,
    expected_version: i32,
    approve: bool,
    note: Option<String>,
) -> Result<ClaimView, ServerFnError> {
    use mosaic::services::open_shifts;
    let (caller, pool) = crate::auth::signed_in()?;
    let decision = mosaic::services::time_off::Decision { expected_version, note };
    if approve {
        open_shifts::approve(&pool, &caller, id, decision).await
    } else {
        open_shifts::decline(&pool, &caller, id, decision).await
    }
    .map_err(crate::auth::shown)
}

#[component]
pub fn ClaimsPanel(reads: RwSignal<u32>) -> impl IntoView {
    let open = Resource::new(move || reads.get(), |_| load_open_shift_claims());
    view! {
        <section class="claims-board" aria-labelledby="claims-heading">
            <h2 id="claims-heading">"Claims on open shifts"</h2>
            <Transition fallback=|| view! { <p class="loading">"Reading open shifts…"</p> }>
                {move || Suspend::new(async move {
                    match open.await {
                        Ok(open) => view! { <OpenShifts open reads/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{crate::errors::plain(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn OpenShifts(open: Vec<OpenShiftWithClaims>, reads: RwSignal<u32>) -> impl IntoView {
    let offered: Vec<OpenShiftWithClaims> =
        open.into_iter().filter(|o| o.open_shift.status != mosaic::kinds::EventStatus::Cancelled).collect();
    if offered.is_empty() {
        return view! { <p class="empty">"No open shifts are offered in the coming weeks."</p> }.into_any();
    }
    let items = offered
        .into_iter()
        .map(|o| {
            let open = o.open_shift;
            let draft = open.status == mosaic::kinds::EventStatus::Draft;
            let waiting: Vec<ClaimView> = o.claims.iter().filter(|c| c.status == ClaimStatus::Waiting).cloned().collect();
            let given: Vec<String> =
                o.claims.iter().filter(|c| c.status == ClaimStatus::Approved).map(|c| c.worker_name.clone()).collect();
            let label = format!("Open shift {}", open_shift_when(&open));
            let claims = waiting.into_iter().map(|claim| view! { <WaitingClaim claim reads/> }).collect_view();
            view! {
                <li class="open-shift" aria-label=label>
                    <p class="what">
                        <strong>{open_shift_when(&open)}</strong>
                        {open.position.as_ref().map(|p| view! { " · " {p.name.clone()} })}
                        <span class="standing">{if draft { "Draft — offered when the week is published".to_string() } else { places_left(&open) }}</span>
                    </p>
                    {(!given.is_empty()).then(|| view! { <p class="given">"Given to " {given.join(", ")}</p> })}
                    <ul class="requests waiting">{claims}</ul>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="open-shift-list">{items}</ul> }.into_any()
}

#[component]
fn WaitingClaim(claim: ClaimView, reads: RwSignal<u32>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let (id, version) = (claim.id, claim.version);
    let send = move |approve: bool| {
        let said = Some(note.get_untracked()).filter(|n| !n.trim().is_empty());
        spawn_local(async move {
            match answer_claim(id, version, approve, said).await {
                Ok(_) => reads.update(|n| *n += 1),
                Err(e) => notice.set(Some(crate::errors::plain(&e))),
            }
        });
    };
    let label = format!("{}'s claim", claim.worker_name);
    view! {
        <li class="request requested" aria-label=label>
            <p class="what">
                <strong>{claim.worker_name.clone()}</strong>
                <span class="standing">{claim_label(claim.status)}</span>
            </p>
            {claim.note.clone().map(|n| view! { <p class="said">"“" {n} "”"</p> })}
            <div class="answer">
                <label>"Note to " {claim.worker_name.clone()}
                    <input type="text" maxlength="500" placeholder="optional"
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=move |_| send(true)>"Approve"</button>
                <button type="button" class="quiet" on:click=move |_| send(false)>"Decline"</button>
            </div>
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
        </li>
    }
    .into_any()
}
