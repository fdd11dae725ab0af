//! Swaps and drops on the worker's timeline: the shifts colleagues offer them (accept or refuse), and
//! their own offers with where each stands. A shift is offered from its card (`OfferButton`).

use crate::format::{time_off_span_of, zone};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::{EntityId, EventId};
use mosaic::swaps::OfferStatus;
use mosaic::views::swaps::{Colleague, MyOffersView, ShiftOfferView};

#[server(prefix = "/rpc", endpoint = "load_my_offers")]
pub async fn load_my_offers() -> Result<MyOffersView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::swaps::mine(&pool, &caller, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "offer_my_shift", input = Json)]
pub async fn offer_my_shift(shift: EventId, to: Option<EntityId>, note: Option<String>) -> Result<ShiftOfferView, ServerFnError> {
    use mosaic::services::swaps::{offer, NewOffer};
    let (caller, pool) = crate::auth::signed_in()?;
    let new = NewOffer { to_worker_id: to, in_return_shift_id: None, note };
    offer(&pool, &caller, shift, new, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

/// What a worker does with an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OfferAnswer {
    Accept,
    Refuse,
    Withdraw,
}

#[server(prefix = "/rpc", endpoint = "answer_offer", input = Json)]
pub async fn answer_offer(id: EventId, expected_version: i32, answer: OfferAnswer) -> Result<ShiftOfferView, ServerFnError> {
    use mosaic::services::swaps;
    let (caller, pool) = crate::auth::signed_in()?;
    let decision = mosaic::services::time_off::Decision { expected_version, note: None };
    let now = chrono::Utc::now();
    match answer {
        OfferAnswer::Accept => swaps::accept(&pool, &caller, id, decision, now).await,
        OfferAnswer::Refuse => swaps::refuse(&pool, &caller, id, decision, now).await,
        OfferAnswer::Withdraw => swaps::withdraw(&pool, &caller, id, decision, now).await,
    }
    .map_err(crate::auth::shown)
}

/// `reads`: bumped when an offer the worker is in changes, so the lists are read again. `colleagues` is
/// filled from what it reads, for the "Offer this shift" forms on the shift cards.
#[component]
pub fn OffersPanel(reads: RwSignal<u32>, colleagues: RwSignal<Vec<Colleague>>) -> impl IntoView {
    let mine = Resource::new(move || reads.get(), |_| load_my_offers());
    view! {
        <section class="open-shifts offers-panel" aria-labelledby="offers-heading">
            <h2 id="offers-heading">"Swaps and offers"</h2>
            <Transition fallback=|| view! { <p class="loading">"Reading offers…"</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok(mine) => {
                            colleagues.set(mine.colleagues.clone());
                            view! { <Offers mine reads/> }.into_any()
                        }
                        Err(e) => view! { <p class="error" role="alert">{crate::errors::plain(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

pub(crate) fn offer_label(status: OfferStatus) -> &'static str {
    match status {
        OfferStatus::Offered => "Offered",
        OfferStatus::Accepted => "Accepted — waiting for a manager",
        OfferStatus::Approved => "Approved",
        OfferStatus::Declined => "Declined",
        OfferStatus::Withdrawn => "Withdrawn",
        OfferStatus::Refused => "Refused",
        OfferStatus::Expired => "Lapsed",
    }
}

fn send(offer: &ShiftOfferView, answer: OfferAnswer, notice: RwSignal<Option<String>>, reads: RwSignal<u32>) {
    let (id, version) = (offer.id, offer.version);
    spawn_local(async move {
        match answer_offer(id, version, answer).await {
            Ok(_) => reads.update(|n| *n += 1),
            Err(e) => notice.set(Some(crate::errors::plain(&e))),
        }
    });
}

#[component]
fn Offers(mine: MyOffersView, reads: RwSignal<u32>) -> impl IntoView {
    let notice = RwSignal::new(None::<String>);
    let to_me = if mine.to_me.is_empty() {
        view! { <p class="empty">"Nobody is offering you a shift."</p> }.into_any()
    } else {
        let items = mine
            .to_me
            .into_iter()
            .map(|offer| {
                let tz = zone(&offer.location_time_zone);
                let (accepting, refusing) = (offer.clone(), offer.clone());
                let named = offer.to_worker_id.is_some();
                let label = format!("{}'s shift {}", offer.from_worker_name, time_off_span_of(&offer.during, tz));
                view! {
                    <li class="offer" aria-label=label>
                        <p class="what"><strong>{time_off_span_of(&offer.during, tz)}</strong> " · " {offer.location_name.clone()}</p>
                        <p class="details">
                            {format!("{} offers it {}", offer.from_worker_name, if named { "to you" } else { "to anyone who can take it" })}
                        </p>
                        {offer.note.clone().map(|n| view! { <p class="said">"“" {n} "”"</p> })}
                        <div class="answer">
                            <button type="button" on:click=move |_| send(&accepting, OfferAnswer::Accept, notice, reads)>"Take it"</button>
                            {named.then(|| view! {
                                <button type="button" class="quiet" on:click=move |_| send(&refusing, OfferAnswer::Refuse, notice, reads)>"No, thanks"</button>
                            })}
                        </div>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="offers" aria-label="Offered to you">{items}</ul> }.into_any()
    };
    let made = (!mine.made.is_empty()).then(|| {
        let items = mine
            .made
            .into_iter()
            .map(|offer| {
                let tz = zone(&offer.location_time_zone);
                let live = offer.status.is_live();
                let withdrawing = offer.clone();
                let to = offer.to_worker_name.clone().unwrap_or_else(|| "anyone".into());
                view! {
                    <li class=format!("claim {}", offer.status.as_str())>
                        <span>{format!("{} to {to}", time_off_span_of(&offer.during, tz))}</span>
                        <span class="standing">{offer_label(offer.status)}</span>
                        {offer.decision_note.clone().map(|n| view! { <span class="said answer">"Manager: " {n}</span> })}
                        {live.then(|| view! {
                            <button type="button" class="quiet" on:click=move |_| send(&withdrawing, OfferAnswer::Withdraw, notice, reads)>"Withdraw"</button>
                        })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>"Your offers"</h3>
            <ul class="claims" aria-label="Your offers">{items}</ul>
        }
    });
    view! {
        {to_me}
        {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
        {made}
    }
    .into_any()
}

/// "Offer this shift" on a shift card: to a colleague by name, or to anyone who can take it.
#[component]
pub fn OfferButton(shift: EventId, colleagues: RwSignal<Vec<Colleague>>, reads: RwSignal<u32>) -> impl IntoView {
    let open = RwSignal::new(false);
    let to = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = to.get_untracked().parse().ok();
        let said = Some(note.get_untracked()).filter(|n| !n.trim().is_empty());
        spawn_local(async move {
            match offer_my_shift(shift, chosen, said).await {
                Ok(made) => {
                    let to = made.to_worker_name.unwrap_or_else(|| "anyone who can take it".into());
                    notice.set(Some((true, format!("Offered to {to}."))));
                    open.set(false);
                    reads.update(|n| *n += 1);
                }
                Err(e) => notice.set(Some((false, crate::errors::plain(&e)))),
            }
        });
    };
    let options = move || {
        colleagues
            .with(|all| all.iter().map(|c| view! { <option value=c.id.to_string()>{c.name.clone()}</option> }).collect_view())
    };
    view! {
        <div class="offer-shift">
            <Show when=move || open.get() fallback=move || view! {
                <button type="button" class="quiet" on:click=move |_| open.set(true)>"Offer this shift"</button>
            }>
                <form class="offer-form" aria-label="Offer this shift" on:submit=submit>
                    <label>"To"
                        <select name="to" on:change=move |ev| to.set(event_target_value(&ev))>
                            <option value="">"Anyone who can take it"</option>
                            {options()}
                        </select>
                    </label>
                    <label>"Note"
                        <input type="text" name="note" maxlength="500" placeholder="optional"
                            prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit">"Offer"</button>
                    <button type="button" class="quiet" on:click=move |_| open.set(false)>"Keep it"</button>
                </form>
            </Show>
            <crate::errors::FormAnswer said=notice/>
        </div>
    }
    .into_any()
}
