//! Open shifts on the worker's timeline: the published places still to come they may take, claimed with
//! one press (given at once where the open shift says so), and their claims with the answers as they come.

use crate::format::{claim_label, open_shift_when, places_left};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::EventId;
use mosaic::open_shifts::{Approval, ClaimStatus};
use mosaic::views::open_shifts::{ClaimView, MyOpenShiftsView, OfferedShift};

#[server(prefix = "/rpc", endpoint = "load_my_open_shifts")]
pub async fn load_my_open_shifts() -> Result<MyOpenShiftsView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::open_shifts::mine(&pool, &caller, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "claim_open_shift", input = Json)]
pub async fn claim_open_shift(id: EventId, note: Option<String>) -> Result<ClaimView, ServerFnError> {
    use mosaic::services::open_shifts::{claim, NewClaim};
    let (caller, pool) = crate::auth::signed_in()?;
    claim(&pool, &caller, id, NewClaim { note }, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "withdraw_my_claim", input = Json)]
pub async fn withdraw_my_claim(id: EventId, expected_version: i32) -> Result<ClaimView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let decision = mosaic::services::time_off::Decision { expected_version, note: None };
    mosaic::services::open_shifts::withdraw_claim(&pool, &caller, id, decision).await.map_err(crate::auth::shown)
}

/// `reads`: bumped when an open shift or one of the worker's claims changes, so the list is read again.
#[component]
pub fn OpenShiftsPanel(reads: RwSignal<u32>) -> impl IntoView {
    let mine = Resource::new(move || reads.get(), |_| load_my_open_shifts());
    // Outside the list, which is drawn again when the claim comes back: the answer stays on screen.
    let notice = RwSignal::new(None::<(bool, String)>);
    view! {
        <section class="open-shifts" aria-labelledby="open-shifts-heading">
            <h2 id="open-shifts-heading">"Open shifts you can take"</h2>
            <Transition fallback=|| view! { <p class="loading">"Reading open shifts…"</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok(mine) => view! { <Offered mine reads notice/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{crate::errors::plain(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <crate::errors::FormAnswer said=notice/>
        </section>
    }
    .into_any()
}

#[component]
fn Offered(mine: MyOpenShiftsView, reads: RwSignal<u32>, notice: RwSignal<Option<(bool, String)>>) -> impl IntoView {
    let offered = if mine.offered.is_empty() {
        view! { <p class="empty">"No open shift you could take right now."</p> }.into_any()
    } else {
        let items = mine.offered.into_iter().map(|offer| view! { <OfferCard offer reads notice/> }).collect_view();
        view! { <ul class="offers">{items}</ul> }.into_any()
    };
    let decided: Vec<ClaimView> = mine.claims.into_iter().filter(|c| c.status != ClaimStatus::Waiting).collect();
    let history = (!decided.is_empty()).then(|| {
        let items = decided
            .into_iter()
            .map(|claim| {
                view! {
                    <li class=format!("claim {}", claim.status.as_str())>
                        <span>{crate::format::time_off_span_of(&claim.during, crate::format::zone(&mine.time_zone))}</span>
                        <span class="standing">{claim_label(claim.status)}</span>
                        {claim.decision_note.clone().map(|n| view! { <span class="said answer">"Manager: " {n}</span> })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>"Your claims lately"</h3>
            <ul class="claims">{items}</ul>
        }
    });
    view! {
        {offered}
        {history}
    }
    .into_any()
}

#[component]
fn OfferCard(offer: OfferedShift, reads: RwSignal<u32>, notice: RwSignal<Option<(bool, String)>>) -> impl IntoView {
    let open = offer.open_shift;
    let id = open.id;
    let at_once = open.approval == Approval::Automatic;
    let sending = RwSignal::new(false);
    let claim = move |_| {
        sending.set(true);
        spawn_local(async move {
            match claim_open_shift(id, None).await {
                Ok(claim) if claim.status == ClaimStatus::Approved => {
                    notice.set(Some((true, "It is yours: the shift is on your schedule.".into())));
                    reads.update(|n| *n += 1);
                }
                Ok(_) => {
                    notice.set(Some((true, "Claimed. Your manager has been told.".into())));
                    reads.update(|n| *n += 1);
                }
                Err(e) => notice.set(Some((false, crate::errors::plain(&e)))),
            }
            sending.set(false);
        });
    };
    let what =
        [open.position.as_ref().map(|p| p.name.clone()), open.role.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let action = match offer.my_claim {
        Some(mine) if mine.status == ClaimStatus::Waiting => {
            let (claim_id, version) = (mine.id, mine.version);
            let withdraw = move |_| {
                spawn_local(async move {
                    match withdraw_my_claim(claim_id, version).await {
                        Ok(_) => reads.update(|n| *n += 1),
                        Err(e) => notice.set(Some((false, crate::errors::plain(&e)))),
                    }
                });
            };
            view! {
                <p class="standing">"Claimed — waiting for your manager"</p>
                <button type="button" class="quiet" on:click=withdraw>"Withdraw claim"</button>
            }
            .into_any()
        }
        _ => view! {
            <button type="button" on:click=claim prop:disabled=move || sending.get()>
                {if at_once { "Take this shift" } else { "Claim" }}
            </button>
        }
        .into_any(),
    };
    let label = format!("Open shift {}", open_shift_when(&open));
    view! {
        <li class="offer" aria-label=label>
            <p class="what"><strong>{open_shift_when(&open)}</strong></p>
            <p class="details">
                {(!what.is_empty()).then(|| view! { <span>{what}</span> " · " })}
                <span>{places_left(&open)}</span>
                {at_once.then(|| view! { " · " <span>"first to take it gets it"</span> })}
            </p>
            {open.notes.clone().map(|n| view! { <p class="said">{n}</p> })}
            {(!offer.warnings.is_empty()).then(|| view! {
                <p class="warning">{offer.warnings.join(" ")}</p>
            })}
            <div class="answer">{action}</div>
        </li>
    }
    .into_any()
}
