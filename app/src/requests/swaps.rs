//! Swaps and drops for `/requests`: the offers a colleague accepted, each approved (the shift changes
//! hands as a reassignment on the calendar would) or declined with a note for both workers.

use crate::format::{time_off_span_of, zone};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::EventId;
use mosaic::views::swaps::ShiftOfferView;

#[server(prefix = "/rpc", endpoint = "load_waiting_offers")]
pub async fn load_waiting_offers() -> Result<Vec<ShiftOfferView>, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::swaps::waiting(&pool, &caller, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "decide_offer", input = Json)]
pub async fn decide_offer(
    id: EventId,
    expected_version: i32,
    approve: bool,
    note: Option<String>,
) -> Result<ShiftOfferView, ServerFnError> {
    use mosaic::services::swaps;
    let (caller, pool) = crate::auth::signed_in()?;
    let decision = mosaic::services::time_off::Decision { expected_version, note };
    let now = chrono::Utc::now();
    if approve {
        swaps::approve(&pool, &caller, id, decision, now).await
    } else {
        swaps::decline(&pool, &caller, id, decision, now).await
    }
    .map_err(crate::auth::shown)
}

#[component]
pub fn SwapsPanel(reads: RwSignal<u32>) -> impl IntoView {
    let waiting = Resource::new(move || reads.get(), |_| load_waiting_offers());
    view! {
        <section class="claims-board" aria-labelledby="swaps-heading">
            <h2 id="swaps-heading">"Swaps to approve"</h2>
            <Transition fallback=|| view! { <p class="loading">"Reading swaps…"</p> }>
                {move || Suspend::new(async move {
                    match waiting.await {
                        Ok(offers) if offers.is_empty() => view! { <p class="empty">"No swap is waiting for you."</p> }.into_any(),
                        Ok(offers) => {
                            let items = offers.into_iter().map(|offer| view! { <Waiting offer reads/> }).collect_view();
                            view! { <ul class="requests waiting">{items}</ul> }.into_any()
                        }
                        Err(e) => view! { <p class="error" role="alert">{crate::errors::plain(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn Waiting(offer: ShiftOfferView, reads: RwSignal<u32>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let (id, version) = (offer.id, offer.version);
    let send = move |approve: bool| {
        let said = Some(note.get_untracked()).filter(|n| !n.trim().is_empty());
        spawn_local(async move {
            match decide_offer(id, version, approve, said).await {
                Ok(_) => reads.update(|n| *n += 1),
                Err(e) => notice.set(Some(crate::errors::plain(&e))),
            }
        });
    };
    let tz = zone(&offer.location_time_zone);
    let taker = offer.to_worker_name.clone().unwrap_or_default();
    let label = format!("{}'s shift to {taker}", offer.from_worker_name);
    let in_return = offer.in_return_during.map(|d| format!(", for {taker}'s {} in return", time_off_span_of(&d, tz)));
    view! {
        <li class="request requested" aria-label=label>
            <p class="what">
                <strong>{format!("{} → {taker}", offer.from_worker_name)}</strong>
                " · " {time_off_span_of(&offer.during, tz)} " · " {offer.location_name.clone()}
                {in_return}
            </p>
            {offer.note.clone().map(|n| view! { <p class="said">"“" {n} "”"</p> })}
            <div class="answer">
                <label>"Note to both"
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
