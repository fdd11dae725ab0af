use super::board::Board;
use crate::format::{clock, day_heading, local_day};
use leptos::prelude::*;
use mosaic::rules::Severity;
use std::collections::HashMap;

/// The open conflicts about the shifts on the calendar, hardest first, each with who and when; they
/// follow the server's judgement after every change.
#[component]
pub fn ConflictList(board: Board) -> impl IntoView {
    let tz = board.axis.tz;
    let items = move || {
        let (names, shown): (HashMap<_, _>, std::collections::HashSet<_>) = board.rows.with_value(|rows| {
            let mut names = HashMap::new();
            let mut shown = std::collections::HashSet::new();
            for row in rows {
                row.with(|r| {
                    names.insert(r.worker.id, r.worker.name.clone());
                    shown.extend(r.shifts.iter().map(|s| s.id));
                });
            }
            (names, shown)
        });
        let mut items: Vec<_> =
            board.conflicts.get().into_iter().filter(|item| item.shift_ids.iter().any(|id| shown.contains(id))).collect();
        items.sort_by_key(|i| (i.severity != Severity::Hard, i.span.start));
        (names, items)
    };
    view! {
        <section class="conflicts" aria-label="Open conflicts">
            {move || {
                let (names, items) = items();
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
                    <h2>{format!("Open conflicts ({count})")}</h2>
                    {(count == 0).then(|| view! { <p class="empty">"No open conflicts this week."</p> })}
                    <ul>{list}</ul>
                }
            }}
        </section>
    }
}
