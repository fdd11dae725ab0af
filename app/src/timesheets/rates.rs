//! The worker's pay rates beside their timesheet: every rate with the days it applied, and setting a new
//! one from a date (a raise is a new rate; the one before ends that day).

use crate::format::{day_heading, zone};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::EntityId;
use mosaic::payroll::money;
use mosaic::views::time::RateView;

#[server(prefix = "/rpc", endpoint = "load_pay_rates", input = Json)]
pub async fn load_rates(worker: EntityId) -> Result<Vec<RateView>, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::compensation::rates(&pool, &caller, worker).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "set_pay_rate", input = Json)]
pub async fn set_rate(
    worker: EntityId,
    hourly_rate_cents: i64,
    currency: String,
    effective_from: chrono::NaiveDate,
) -> Result<RateView, ServerFnError> {
    use mosaic::services::compensation::{set_rate, NewRate};
    let (caller, pool) = crate::auth::signed_in()?;
    set_rate(&pool, &caller, worker, NewRate { hourly_rate_cents, currency, effective_from }).await.map_err(crate::auth::shown)
}

/// `18.5` or `18,50` as 1850 cents; `None` for anything else.
fn cents(text: &str) -> Option<i64> {
    let amount: f64 = text.trim().replace(',', ".").parse().ok()?;
    (amount.is_finite() && amount >= 0.0).then(|| (amount * 100.0).round() as i64)
}

#[component]
pub fn Rates(worker: EntityId, time_zone: String, week_start: chrono::NaiveDate) -> impl IntoView {
    let tz = zone(&time_zone);
    let reads = RwSignal::new(0u32);
    let rates = Resource::new(move || reads.get(), move |_| load_rates(worker));
    let organisation = Resource::new(|| (), |_| crate::organisation::this_organisation());
    let notice = RwSignal::new(None::<String>);
    let amount = RwSignal::new(String::new());
    let currency = RwSignal::new("EUR".to_string());
    let from = RwSignal::new(week_start.to_string());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(hourly) = cents(&amount.get_untracked()) else {
            notice.set(Some("Give the hourly rate as an amount, like 18.50.".into()));
            return;
        };
        let Ok(day) = from.get_untracked().parse::<chrono::NaiveDate>() else {
            notice.set(Some("Give the first day the rate applies.".into()));
            return;
        };
        let code = currency.get_untracked();
        spawn_local(async move {
            match set_rate(worker, hourly, code, day).await {
                Ok(_) => {
                    notice.set(None);
                    amount.set(String::new());
                    reads.update(|n| *n += 1);
                }
                Err(e) => notice.set(Some(e.to_string().replace("error running server function: ", ""))),
            }
        });
    };
    let listed = move || {
        Suspend::new(async move {
            match rates.await {
                Ok(rates) if rates.is_empty() => {
                    // A first rate is in the organisation's currency unless the person says otherwise.
                    if let Ok(organisation) = organisation.await {
                        currency.set(organisation.currency);
                    }
                    view! { <p class="empty">"No pay rate yet."</p> }.into_any()
                }
                Ok(rates) => {
                    if let Some(last) = rates.last() {
                        currency.set(last.currency.clone());
                    }
                    let rows = rates
                        .iter()
                        .rev()
                        .map(|r| {
                            let first = day_heading(r.during.start.with_timezone(&tz).date_naive());
                            let until = match r.during.end {
                                Some(end) => day_heading((end - chrono::Duration::days(1)).with_timezone(&tz).date_naive()),
                                None => "now".to_string(),
                            };
                            view! {
                                <tr>
                                    <td>{format!("{first} – {until}")}</td>
                                    <td class="rate">{format!("{} {} an hour", money(r.hourly_rate_cents), r.currency)}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! { <table class="rates" aria-label="Pay rates"><tbody>{rows}</tbody></table> }.into_any()
                }
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            }
        })
    };
    view! {
        <section class="pay-rates" aria-label="Pay">
            <h2>"Pay"</h2>
            <Transition fallback=|| ()>{listed}</Transition>
            <form class="set-rate" on:submit=submit>
                <label>"New hourly rate"
                    <input type="text" inputmode="decimal" required placeholder="18.50"
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                </label>
                <label>"Currency"
                    <input type="text" maxlength="3" size="4" required
                        prop:value=move || currency.get() on:input=move |ev| currency.set(event_target_value(&ev))/>
                </label>
                <label>"From"
                    <input type="date" required prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </label>
                <button type="submit">"Set rate"</button>
            </form>
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
        </section>
    }
}
