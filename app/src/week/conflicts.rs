use crate::format::{clock, day_heading, local_day, zone};
use leptos::prelude::*;
use mosaic::rules::Severity;
use mosaic::views::WeekView;
use std::collections::HashMap;

/// The week's open conflicts, hardest first, each with who and when.
#[component]
pub fn ConflictList(week: WeekView) -> impl IntoView {
    let tz = zone(&week.location.time_zone);
    let names: HashMap<_, _> = week.rows.iter().map(|r| (r.worker.id, r.worker.name.clone())).collect();
    let mut items = week.open_conflicts.clone();
    items.sort_by_key(|i| (i.severity != Severity::Hard, i.span.start));
    let count = items.len();
    let list = items
        .into_iter()
        .map(|item| {
            let who = names.get(&item.worker_id).cloned().unwrap_or_else(|| "A worker".into());
            let when = format!("{} {}", day_heading(local_day(item.span.start, tz)), clock(item.span.start, tz));
            let class = if item.severity == Severity::Hard { "conflict hard" } else { "conflict warning" };
            view! {
                <li class=class>
                    <strong>{who}</strong>
                    " · " {when} " · "
                    {item.message}
                    <span class="suggestion">{item.suggested_action}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="conflicts" aria-label="Open conflicts">
            <h2>{format!("Open conflicts ({count})")}</h2>
            <Show when=move || count == 0>
                <p class="empty">"No open conflicts this week."</p>
            </Show>
            <ul>{list}</ul>
        </section>
    }
}
