//! One item on the board: what is wrong, with whom and when, and the ways to settle it — give the shift
//! to a worker who is free, shorten or move a shift on its day (or on the calendar), cancel a shift, or
//! (a warning) acknowledge it with a reason. Its history shows every change to its shifts and who made it.

use super::actions;
use super::kind_label;
use crate::format::{clock, day_heading, local_day, zone};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mosaic::rules::Severity;
use mosaic::views::{BoardItemView, ChangeView, CoverView, LocationView, ShiftView};

#[component]
pub fn BoardItem(
    item: BoardItemView,
    locations: Vec<LocationView>,
    reads: RwSignal<u32>,
    read_at: chrono::DateTime<chrono::Utc>,
) -> impl IntoView {
    let id = item.item.id;
    let hard = item.item.severity == Severity::Hard;
    let notice = RwSignal::new(None::<String>);
    let cover = RwSignal::new(None::<Vec<CoverView>>);
    let history = RwSignal::new(None::<Vec<ChangeView>>);
    let reason = RwSignal::new(String::new());
    let place = move |shift: &ShiftView| {
        let location = locations.iter().find(|l| l.id == shift.location_id);
        let tz = zone(location.map(|l| l.time_zone.as_str()).unwrap_or("UTC"));
        (location.map(|l| l.name.clone()).unwrap_or_default(), tz)
    };
    let since_tz = item.shifts.first().map(|s| place(s).1).unwrap_or(chrono_tz::UTC);
    let since =
        format!("since {} {}", day_heading(local_day(item.item.detected_at, since_tz)), clock(item.item.detected_at, since_tz));
    // Done: the board reads itself again (the change stream would bring it too).
    let settled = move |result: Result<(), ServerFnError>| match result {
        Ok(()) => reads.update(|n| *n += 1),
        Err(e) => notice.set(Some(e.to_string().replace("error running server function: ", ""))),
    };

    let shifts = item
        .shifts
        .iter()
        .map(|shift| {
            let (where_, tz) = place(shift);
            let day = local_day(shift.during.start, tz);
            let times =
                format!("{}–{}", clock(shift.during.start, tz), shift.during.end.map(|e| clock(e, tz)).unwrap_or_default());
            // The calendar shows the week that day falls in, by the organisation's first weekday.
            let calendar = format!("/?location={}&week={day}&day={day}", shift.location_id);
            let (shift_id, version) = (shift.id, shift.version);
            let cancel = move |_| spawn_local(async move { settled(actions::cancel(shift_id, version).await.map(|_| ())) });
            // Shorten or move it on its day: local times, an end at or before the start being the next day.
            let from = RwSignal::new(clock(shift.during.start, tz));
            let to = RwSignal::new(shift.during.end.map(|e| clock(e, tz)).unwrap_or_default());
            let retime = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let time = |s: String| chrono::NaiveTime::parse_from_str(&s, "%H:%M").ok();
                let (Some(start), Some(end)) = (time(from.get_untracked()), time(to.get_untracked())) else {
                    notice.set(Some("Give the new start and end as times, like 09:30.".into()));
                    return;
                };
                let placed = mosaic::templates::place(day, tz, start, end, &[]);
                spawn_local(
                    async move { settled(actions::retime(shift_id, version, placed.start, placed.end).await.map(|_| ())) },
                );
            };
            let status = shift.status.as_str();
            view! {
                <li class="involved" data-shift-id=shift.id.to_string()>
                    <span class="when">{format!("{} {times}", day_heading(day))}</span>
                    <span class="where">{where_}</span>
                    <span class=format!("status {status}")>{status}</span>
                    // The ways to settle it through this shift, folded away: one line per shift.
                    <details class="shift-actions">
                        <summary aria-label=format!("Actions for {times}")>"Actions"</summary>
                        <div class="menu">
                            <form class="retime" on:submit=retime>
                                <input type="text" class="hhmm" inputmode="numeric" autocomplete="off" pattern="([01]?[0-9]|2[0-3]):[0-5][0-9]" placeholder="hh:mm" maxlength="5" aria-label=format!("New start of {times}") required
                                    prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                                "–"
                                <input type="text" class="hhmm" inputmode="numeric" autocomplete="off" pattern="([01]?[0-9]|2[0-3]):[0-5][0-9]" placeholder="hh:mm" maxlength="5" aria-label=format!("New end of {times}") required
                                    prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                                <button type="submit">"Change times"</button>
                            </form>
                            <a href=calendar>"Move in calendar"</a>
                            {(!shift.is_over(read_at)).then(|| view! {
                                <button type="button" class="cancel-shift" on:click=cancel>{format!("Cancel {times}")}</button>
                            })}
                        </div>
                    </details>
                </li>
            }
        })
        .collect_view();

    let versions: Vec<(mosaic::ids::EventId, i32)> = item.shifts.iter().map(|s| (s.id, s.version)).collect();
    let find_cover = move |_| {
        spawn_local(async move {
            match actions::cover(id).await {
                Ok(found) => cover.set(Some(found)),
                Err(e) => notice.set(Some(e.to_string())),
            }
        })
    };
    let offers = move || {
        cover.get().map(|found| {
            if found.is_empty() {
                return view! { <p class="empty">"Nobody employed there is free then."</p> }.into_any();
            }
            found
                .into_iter()
                .map(|offer| {
                    let version = versions.iter().find(|(s, _)| *s == offer.shift_id).map(|(_, v)| *v).unwrap_or(1);
                    let (shift_id, worker_id) = (offer.shift_id, offer.worker.id);
                    let give = move |_| spawn_local(async move {
                        settled(actions::reassign(shift_id, version, worker_id).await.map(|_| ()))
                    });
                    let warnings = (!offer.warnings.is_empty()).then(|| format!(" ({})", offer.warnings.join(" ")));
                    view! {
                        <li>
                            <button type="button" class="give" on:click=give>{format!("Give it to {}", offer.worker.name)}</button>
                            {warnings}
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    let acknowledge = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let said = reason.get_untracked();
        spawn_local(async move { settled(actions::acknowledge(id, said).await.map(|_| ())) });
    };
    let show_history = move |_| {
        spawn_local(async move {
            match actions::history(id).await {
                Ok(changes) => history.set(Some(changes)),
                Err(e) => notice.set(Some(e.to_string())),
            }
        })
    };
    let history_list = move || {
        history.get().map(|changes| {
            changes
                .into_iter()
                .map(|c| {
                    let why = c.payload.get("reason").and_then(|r| r.as_str()).map(|r| format!(": “{r}”")).unwrap_or_default();
                    let when = format!("{} {}", day_heading(local_day(c.recorded_at, since_tz)), clock(c.recorded_at, since_tz));
                    view! { <li>{format!("{when} · {} · {}{why}", c.actor, c.kind)}</li> }
                })
                .collect_view()
        })
    };

    // What the clock shows is settled on the worker's timesheet, not by giving a shift away.
    let timekeeping = mosaic::rules::ConflictKind::TIMEKEEPING.contains(&item.item.kind);
    let timesheet = format!("/timesheets?worker={}&week={}", item.item.worker_id, local_day(item.item.span.start, since_tz));
    let class = if hard { "board-item hard" } else { "board-item warning" };
    view! {
        <li class=class data-item-id=id.to_string()>
            <h2>
                <span class="kind">{if hard { "⚠ " } else { "! " }}{kind_label(item.item.kind)}</span>
                <span class="severity">{if hard { "hard" } else { "warning" }}</span>
                <span class="who">{item.worker_name.clone()}</span>
                <span class="since">{since}</span>
            </h2>
            <p class="message">{item.item.message.clone()}" "<span class="suggestion">{item.item.suggested_action.clone()}</span></p>
            <ul class="shifts">{shifts}</ul>
            <div class="actions">
                {if timekeeping {
                    view! { <a class="open-timesheet" href=timesheet.clone()>"Open the timesheet"</a> }.into_any()
                } else {
                    view! { <button type="button" class="find-cover" on:click=find_cover>"Find cover"</button> }.into_any()
                }}
                <button type="button" class="show-history" on:click=show_history>"History"</button>
                {(!hard).then(|| view! {
                    <form class="acknowledge" on:submit=acknowledge>
                        <label>
                            "Reason "
                            <input type="text" name="reason" required placeholder="Why this is acceptable"
                                prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                        </label>
                        <button type="submit">"Acknowledge"</button>
                    </form>
                })}
            </div>
            <ul class="cover" aria-label="Who could take it">{offers}</ul>
            <ol class="history" aria-label="History">{history_list}</ol>
            {move || notice.get().map(|n| view! { <p class="notice refused" role="alert">{n}</p> })}
        </li>
    }
}
