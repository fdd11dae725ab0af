//! One shift on the worker's timeline.

use crate::format::{clock, hours, zone};
use leptos::prelude::*;
use mosaic::kinds::EventStatus;
use mosaic::views::TimelineShiftView;

#[component]
pub fn ShiftCard(
    shift: TimelineShiftView,
    /// Whether the worker may offer it to colleagues (published, from tomorrow on), with whom and what
    /// to read again once offered.
    offering: Option<(RwSignal<Vec<mosaic::views::swaps::Colleague>>, RwSignal<u32>)>,
) -> impl IntoView {
    let tz = zone(&shift.time_zone);
    let s = &shift.shift;
    let end = s.during.end.unwrap_or(s.during.start);
    let when = format!("{}–{}", clock(s.during.start, tz), clock(end, tz));
    let cancelled = s.status == EventStatus::Cancelled;
    let label = format!(
        "{}{} at {}, {}{}",
        if cancelled { "Cancelled: " } else { "" },
        s.label().unwrap_or_else(|| "Shift".into()),
        shift.location_name,
        when,
        if shift.changed { ", changed since you last looked" } else { "" }
    );
    let breaks = s
        .breaks
        .iter()
        .map(|b| {
            let kind = if b.paid { "Paid break" } else { "Break" };
            view! { <li>{format!("{kind} {}–{}", clock(b.during.start, tz), clock(b.during.end.unwrap_or(b.during.start), tz))}</li> }
        })
        .collect_view();
    let colleagues = (!shift.colleagues.is_empty()).then(|| format!("With {}", shift.colleagues.join(", ")));
    view! {
        <article class="shift-card" class:changed=shift.changed class:cancelled=cancelled aria-label=label data-shift-id=s.id.to_string()>
            <header>
                <time class="when" datetime=s.during.start.to_rfc3339()>{when}</time>
                {s.label().map(|r| view! { <span class="role">{r}</span> })}
                {shift.changed.then(|| view! { <span class="badge changed-badge">"Changed"</span> })}
                {cancelled.then(|| view! { <span class="badge cancelled-badge">"Cancelled"</span> })}
            </header>
            <p class="where">{format!("{} · {}", shift.location_name, shift.time_zone)}</p>
            <ul class="breaks">{breaks}</ul>
            {colleagues.map(|c| view! { <p class="with">{c}</p> })}
            <p class="hours">
                {format!("{} · breaks {} · paid {}", hours(s.hours.worked), hours(s.hours.breaks), hours(s.hours.net))}
            </p>
            {s.notes.clone().map(|n| view! { <p class="notes">{n}</p> })}
            {offering.map(|(colleagues, reads)| view! { <super::offers::OfferButton shift=s.id colleagues reads/> })}
        </article>
    }
}
