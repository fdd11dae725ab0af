//! The worker's availability on their timeline: for each weekday, available, unavailable (all day or
//! some hours) or preferred hours, from a day on; and one-off days or hours they cannot come.

use crate::format::{time_off_span_of, zone};
use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::availability::{Preference, WeeklyWindow};
use mosaic::ids::EventId;
use mosaic::views::time_off::AvailabilityView;

#[server(prefix = "/rpc", endpoint = "load_my_availability")]
pub async fn load_my_availability() -> Result<(AvailabilityView, NaiveDate), ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let worker = caller.access.worker.ok_or_else(|| ServerFnError::new("this account is not a worker"))?;
    let now = chrono::Utc::now();
    let view = mosaic::services::availability::of_worker(&pool, &caller, worker, Some(now)).await.map_err(crate::auth::shown)?;
    let today = now.with_timezone(&zone(&view.time_zone)).date_naive();
    Ok((view, today))
}

#[server(prefix = "/rpc", endpoint = "set_my_availability", input = Json)]
pub async fn set_my_availability(first_day: NaiveDate, windows: Vec<WeeklyWindow>) -> Result<(), ServerFnError> {
    use mosaic::services::availability::{set_pattern, NewPattern};
    let (caller, pool) = crate::auth::signed_in()?;
    let worker = caller.access.worker.ok_or_else(|| ServerFnError::new("this account is not a worker"))?;
    set_pattern(&pool, &caller, worker, NewPattern { first_day, windows }).await.map_err(crate::auth::shown)?;
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "add_my_unavailability", input = Json)]
pub async fn add_my_unavailability(
    day: NaiveDate,
    from_time: Option<NaiveTime>,
    to_time: Option<NaiveTime>,
) -> Result<(), ServerFnError> {
    use mosaic::services::availability::{add_exception, NewException};
    let (caller, pool) = crate::auth::signed_in()?;
    let worker = caller.access.worker.ok_or_else(|| ServerFnError::new("this account is not a worker"))?;
    let exception = NewException { first_day: Some(day), from_time, to_time, available: false, ..Default::default() };
    add_exception(&pool, &caller, worker, exception).await.map_err(crate::auth::shown)?;
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "remove_my_exception", input = Json)]
pub async fn remove_my_exception(id: EventId, expected_version: i32) -> Result<(), ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::availability::remove_exception(&pool, &caller, id, expected_version).await.map_err(crate::auth::shown)
}

/// What one weekday's row says, as its select names it.
const CHOICES: [(&str, &str); 4] = [
    ("available", "Available"),
    ("off", "Unavailable all day"),
    ("unavailable", "Unavailable from – to"),
    ("preferred", "Prefers from – to"),
];

#[derive(Clone, Copy)]
struct Day {
    choice: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

#[component]
pub fn AvailabilityPanel(reads: RwSignal<u32>) -> impl IntoView {
    let mine = Resource::new(move || reads.get(), |_| load_my_availability());
    // Outside the part read again after a save, so what was said stays on screen.
    let notice = RwSignal::new(None::<(bool, String)>);
    view! {
        <section class="availability" aria-labelledby="availability-heading">
            <h2 id="availability-heading">"When you can work"</h2>
            <Transition fallback=|| view! { <p class="loading">"Reading your availability…"</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok((view, today)) => view! { <Editor view today reads notice/> }.into_any(),
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
fn Editor(
    view: AvailabilityView,
    today: NaiveDate,
    reads: RwSignal<u32>,
    notice: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    // The pattern in force today (or the first to come).
    let current = view
        .patterns
        .iter()
        .find(|p| p.first_day <= today && p.until.is_none_or(|u| today < u))
        .or_else(|| view.patterns.iter().find(|p| p.first_day > today));
    let hhmm = |t: NaiveTime| t.format("%H:%M").to_string();
    let days: Vec<Day> = (1..=7u8)
        .map(|weekday| {
            let window = current.and_then(|p| p.windows.iter().find(|w| w.weekday == weekday));
            let choice = match window {
                None => "available",
                Some(w) if w.preference == Preference::Unavailable && w.from == NaiveTime::MIN && w.to == NaiveTime::MIN => "off",
                Some(w) if w.preference == Preference::Unavailable => "unavailable",
                Some(_) => "preferred",
            };
            Day {
                choice: RwSignal::new(choice.to_string()),
                from: RwSignal::new(window.map(|w| hhmm(w.from)).unwrap_or_else(|| "09:00".into())),
                to: RwSignal::new(window.map(|w| hhmm(w.to)).unwrap_or_else(|| "17:00".into())),
            }
        })
        .collect();
    let first_day = RwSignal::new(today.format("%Y-%m-%d").to_string());
    let saving = RwSignal::new(false);
    let tz = zone(&view.time_zone);
    let rows_days = days.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let time = |text: String| NaiveTime::parse_from_str(&text, "%H:%M").ok();
        let mut windows = Vec::new();
        for (i, day) in days.iter().enumerate() {
            let weekday = i as u8 + 1;
            let preference = match day.choice.get_untracked().as_str() {
                "off" => {
                    windows.push(WeeklyWindow {
                        weekday,
                        from: NaiveTime::MIN,
                        to: NaiveTime::MIN,
                        preference: Preference::Unavailable,
                    });
                    continue;
                }
                "unavailable" => Preference::Unavailable,
                "preferred" => Preference::Preferred,
                _ => continue,
            };
            let (Some(from), Some(to)) = (time(day.from.get_untracked()), time(day.to.get_untracked())) else {
                notice.set(Some((false, format!("{}: give both times.", crate::format::weekday_name(weekday_of(weekday))))));
                return;
            };
            windows.push(WeeklyWindow { weekday, from, to, preference });
        }
        let Ok(from_day) = NaiveDate::parse_from_str(&first_day.get_untracked(), "%Y-%m-%d") else {
            notice.set(Some((false, "Choose the day this starts from.".into())));
            return;
        };
        saving.set(true);
        spawn_local(async move {
            match set_my_availability(from_day, windows).await {
                Ok(()) => {
                    notice.set(Some((true, format!("Saved: in force from {}.", crate::format::day_heading(from_day)))));
                    reads.update(|n| *n += 1);
                }
                Err(e) => notice.set(Some((false, crate::errors::plain(&e)))),
            }
            saving.set(false);
        });
    };
    let rows = rows_days
        .into_iter()
        .enumerate()
        .map(|(i, day)| {
            let name = crate::format::weekday_name(weekday_of(i as u8 + 1));
            let options = CHOICES.iter().map(|(value, label)| view! { <option value=*value>{*label}</option> }).collect_view();
            let with_hours = move || matches!(day.choice.get().as_str(), "unavailable" | "preferred");
            view! {
                <div class="weekday" role="group" aria-label=name>
                    <span class="weekday-name">{name}</span>
                    <select aria-label=format!("{name}: availability")
                        prop:value=move || day.choice.get() on:change=move |ev| day.choice.set(event_target_value(&ev))>{options}</select>
                    <Show when=with_hours>
                        <input type="time" aria-label=format!("{name} from") prop:value=move || day.from.get()
                            on:input=move |ev| day.from.set(event_target_value(&ev))/>
                        <span aria-hidden="true">"–"</span>
                        <input type="time" aria-label=format!("{name} to") prop:value=move || day.to.get()
                            on:input=move |ev| day.to.set(event_target_value(&ev))/>
                    </Show>
                </div>
            }
        })
        .collect_view();
    let exceptions = view
        .exceptions
        .iter()
        .filter(|e| !e.available)
        .map(|e| {
            let (id, version) = (e.id, e.version);
            let remove = move |_| {
                spawn_local(async move {
                    match remove_my_exception(id, version).await {
                        Ok(()) => reads.update(|n| *n += 1),
                        Err(e) => notice.set(Some((false, crate::errors::plain(&e)))),
                    }
                });
            };
            view! {
                <li>
                    {format!("Cannot come: {}", time_off_span_of(&e.during, tz))}
                    <button type="button" class="quiet" on:click=remove>"Remove"</button>
                </li>
            }
        })
        .collect_view();
    view! {
        <form class="availability-form" on:submit=save>
            <div class="weekdays">{rows}</div>
            <label class="from-day">"In force from"
                <input type="date" prop:value=move || first_day.get() on:input=move |ev| first_day.set(event_target_value(&ev))/>
            </label>
            <button type="submit" prop:disabled=move || saving.get()>"Save availability"</button>
        </form>
        <OneOff reads notice/>
        <ul class="exceptions" aria-label="Days you cannot come">{exceptions}</ul>
    }
    .into_any()
}

/// A day (or some hours of one) the worker cannot come, whatever the pattern says.
#[component]
fn OneOff(reads: RwSignal<u32>, notice: RwSignal<Option<(bool, String)>>) -> impl IntoView {
    let day = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(on) = NaiveDate::parse_from_str(&day.get_untracked(), "%Y-%m-%d") else {
            notice.set(Some((false, "Choose the day you cannot come.".into())));
            return;
        };
        let time = |text: String| NaiveTime::parse_from_str(&text, "%H:%M").ok();
        let (from_time, to_time) = (time(from.get_untracked()), time(to.get_untracked()));
        spawn_local(async move {
            match add_my_unavailability(on, from_time, to_time).await {
                Ok(()) => {
                    day.set(String::new());
                    reads.update(|n| *n += 1);
                }
                Err(e) => notice.set(Some((false, crate::errors::plain(&e)))),
            }
        });
    };
    view! {
        <form class="one-off" on:submit=add>
            <label>"A day you cannot come"
                <input type="date" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
            </label>
            <label>"From (optional)"
                <input type="time" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
            </label>
            <label>"To (optional)"
                <input type="time" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
            </label>
            <button type="submit">"Add"</button>
        </form>
    }
    .into_any()
}

fn weekday_of(iso: u8) -> chrono::Weekday {
    chrono::Weekday::try_from(iso.saturating_sub(1)).unwrap_or(chrono::Weekday::Mon)
}
