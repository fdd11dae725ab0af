//! The week's punches as recorded, and a manager's corrections: add a forgotten punch, move one to the
//! right time, or void one — each with a reason, each a new punch that names what it corrects.

use crate::format::{clock, day_heading, zone};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::{EntityId, EventId};
use mosaic::timekeeping::{ClockDirection, CorrectionAction};
use mosaic::views::time::{PunchStanding, PunchView, TimesheetView};

#[server(prefix = "/rpc", endpoint = "correct_punch", input = Json)]
pub async fn correct(
    worker: EntityId,
    action: CorrectionAction,
    punch_id: Option<EventId>,
    at: Option<chrono::DateTime<chrono::Utc>>,
    direction: Option<ClockDirection>,
    reason: String,
) -> Result<PunchView, ServerFnError> {
    use mosaic::services::timekeeping::{correct, PunchCorrection};
    let (caller, pool) = crate::auth::signed_in()?;
    let correction = PunchCorrection { worker_id: worker, action, reason, punch_id, at, direction, location_id: None };
    correct(&pool, &caller, correction, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

#[component]
pub fn Corrections(sheet: TimesheetView, reads: RwSignal<u32>) -> impl IntoView {
    let tz = zone(&sheet.time_zone);
    let worker = sheet.worker.id;
    let locked = sheet.approval.is_some();
    let notice = RwSignal::new(None::<String>);
    let reason = RwSignal::new(String::new());
    let done = move |result: Result<PunchView, ServerFnError>| match result {
        Ok(_) => {
            notice.set(None);
            reason.set(String::new());
            reads.update(|n| *n += 1);
        }
        Err(e) => notice.set(Some(e.to_string().replace("error running server function: ", ""))),
    };
    // Local date and time on the organisation's wall clock, as an instant.
    let instant = move |date: &str, time: &str| {
        let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        let time = chrono::NaiveTime::parse_from_str(time, "%H:%M").ok()?;
        Some(mosaic::local_time::local_instant(tz, date.and_time(time)))
    };

    let punches: Vec<PunchView> = sheet.days.iter().flat_map(|d| d.punches.iter().cloned()).collect();
    let rows = punches
        .into_iter()
        .map(|p| {
            let day = p.at.with_timezone(&tz).date_naive();
            let what = match (p.direction, p.voids) {
                (_, Some(_)) => "void".to_string(),
                (Some(ClockDirection::In), _) => "in".to_string(),
                (Some(ClockDirection::Out), _) => "out".to_string(),
                (None, None) => "?".to_string(),
            };
            let standing = match p.standing {
                PunchStanding::Counts => "",
                PunchStanding::Replaced => "replaced",
                PunchStanding::Voided => "voided",
            };
            let why = p.reason.clone().map(|r| format!(" · “{r}” ({})", p.recorded_by)).unwrap_or_default();
            let note = p.note.clone().map(|n| format!(" · note: {n}")).unwrap_or_default();
            let label = format!("{} {} {what}", day_heading(day), clock(p.at, tz));
            let correctable = !locked && p.standing == PunchStanding::Counts && p.direction.is_some();
            let new_time = RwSignal::new(clock(p.at, tz));
            let id = p.id;
            let void = move |_| {
                let said = reason.get_untracked();
                spawn_local(async move { done(correct(worker, CorrectionAction::Void, Some(id), None, None, said).await) });
            };
            let day_text = day.to_string();
            let retime = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let Some(at) = instant(&day_text, &new_time.get_untracked()) else {
                    notice.set(Some("Give the time as 09:30.".into()));
                    return;
                };
                let said = reason.get_untracked();
                spawn_local(
                    async move { done(correct(worker, CorrectionAction::Replace, Some(id), Some(at), None, said).await) },
                );
            };
            view! {
                <li class=format!("punch {standing}") data-punch-id=p.id.to_string()>
                    <span class="what">{label.clone()}</span>
                    <span class="standing">{standing}</span>
                    <span class="why">{why}{note}</span>
                    {correctable.then(|| view! {
                        <form class="retime-punch" on:submit=retime>
                            <input type="time" aria-label=format!("New time for {label}") required
                                prop:value=move || new_time.get() on:input=move |ev| new_time.set(event_target_value(&ev))/>
                            <button type="submit">"Change time"</button>
                        </form>
                        <button type="button" class="void" on:click=void>{format!("Void {label}")}</button>
                    })}
                </li>
            }
        })
        .collect_view();

    let add_date = RwSignal::new(sheet.week_start.to_string());
    let add_time = RwSignal::new(String::new());
    let add_direction = RwSignal::new("out".to_string());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(at) = instant(&add_date.get_untracked(), &add_time.get_untracked()) else {
            notice.set(Some("Give the day and the time of the punch.".into()));
            return;
        };
        let direction = if add_direction.get_untracked() == "in" { ClockDirection::In } else { ClockDirection::Out };
        let said = reason.get_untracked();
        spawn_local(async move { done(correct(worker, CorrectionAction::Add, None, Some(at), Some(direction), said).await) });
    };
    view! {
        <section class="punch-list" aria-label="Punches">
            <h2>"Punches"</h2>
            <ul>{rows}</ul>
            {(!locked).then(|| view! {
                <label class="reason">"Reason for a correction"
                    <input type="text" maxlength="500" required
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
                <form class="add-punch" on:submit=add>
                    <span>"Add a punch:"</span>
                    <select aria-label="Direction of the new punch" on:change=move |ev| add_direction.set(event_target_value(&ev))>
                        <option value="out" selected>"out"</option>
                        <option value="in">"in"</option>
                    </select>
                    <input type="date" aria-label="Day of the new punch" required
                        prop:value=move || add_date.get() on:input=move |ev| add_date.set(event_target_value(&ev))/>
                    <input type="time" aria-label="Time of the new punch" required
                        prop:value=move || add_time.get() on:input=move |ev| add_time.set(event_target_value(&ev))/>
                    <button type="submit">"Add punch"</button>
                </form>
            })}
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
        </section>
    }
}
