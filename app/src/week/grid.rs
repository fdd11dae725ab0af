use crate::format::{clock, day_heading, hours, local_day, zone};
use chrono::Duration;
use leptos::prelude::*;
use mosaic::ids::EventId;
use mosaic::kinds::EventStatus;
use mosaic::rules::Severity;
use mosaic::views::{ShiftView, WeekView};
use std::collections::HashMap;

/// The worst open conflict on each shift, with what it says.
fn conflict_marks(week: &WeekView) -> HashMap<EventId, (Severity, Vec<String>)> {
    let mut marks: HashMap<EventId, (Severity, Vec<String>)> = HashMap::new();
    for item in &week.open_conflicts {
        for shift in &item.shift_ids {
            let entry = marks.entry(*shift).or_insert((item.severity, vec![]));
            if item.severity == Severity::Hard {
                entry.0 = Severity::Hard;
            }
            entry.1.push(item.message.clone());
        }
    }
    marks
}

#[component]
pub fn WeekGrid(week: WeekView) -> impl IntoView {
    let tz = zone(&week.location.time_zone);
    let days: Vec<chrono::NaiveDate> = (0..7).map(|d| week.week_start + Duration::days(d)).collect();
    let marks = conflict_marks(&week);
    let heading = days.iter().map(|d| view! { <th scope="col">{day_heading(*d)}</th> }).collect_view();
    let rows = week
        .rows
        .iter()
        .map(|row| {
            let net: f64 = row.shifts.iter().filter(|s| s.status != EventStatus::Cancelled).map(|s| s.hours.net).sum();
            let cells = days
                .iter()
                .map(|day| {
                    let blocks = row
                        .shifts
                        .iter()
                        .filter(|s| local_day(s.during.start, tz) == *day)
                        .map(|s| view! { <ShiftBlock shift=s.clone() tz mark=marks.get(&s.id).cloned()/> })
                        .collect_view();
                    view! { <td>{blocks}</td> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row" class="worker">
                        <span class="name">{row.worker.name.clone()}</span>
                        <span class="week-hours">{hours(net)}</span>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let empty = week.rows.is_empty();
    view! {
        <div class="grid-scroll">
            <table class="week-grid">
                <thead>
                    <tr>
                        <th scope="col" class="worker">{format!("{} · {}", week.location.name, week.location.time_zone)}</th>
                        {heading}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <Show when=move || empty>
                <p class="empty">"Nobody is employed or scheduled here this week."</p>
            </Show>
        </div>
    }
}

#[component]
fn ShiftBlock(shift: ShiftView, tz: chrono_tz::Tz, mark: Option<(Severity, Vec<String>)>) -> impl IntoView {
    let times = format!("{}–{}", clock(shift.during.start, tz), shift.during.end.map(|e| clock(e, tz)).unwrap_or_default());
    let status = shift.status.as_str();
    let (mark_class, mark_symbol, mark_text) = match &mark {
        Some((Severity::Hard, msgs)) => ("conflict-hard", "⚠", msgs.join(" ")),
        Some((Severity::Warning, msgs)) => ("conflict-warning", "!", msgs.join(" ")),
        None => ("", "", String::new()),
    };
    let label = format!(
        "{} shift {} {}{}",
        status,
        times,
        shift.role.clone().unwrap_or_default(),
        if mark_text.is_empty() { String::new() } else { format!(". {mark_text}") }
    );
    view! {
        <div class=format!("shift {status} {mark_class}") data-shift-id=shift.id.to_string() title=label.clone() aria-label=label>
            <span class="times">{times}</span>
            <span class="role">{shift.role.clone().unwrap_or_default()}</span>
            {(!mark_symbol.is_empty()).then(|| view! { <span class="mark" aria-hidden="true">{mark_symbol}</span> })}
        </div>
    }
}
