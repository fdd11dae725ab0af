//! `/conflicts`: the manager's conflict board. Every open attention item of the organisation — kind,
//! severity, the worker and shifts involved, since when, what to do — filtered by location, kind and
//! severity, with counts per kind. It follows the change log: items appear and close as schedulers work.

mod actions;
mod item;

use crate::live::LiveStatus;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use mosaic::rules::{ConflictKind, Severity};
use mosaic::views::ConflictBoardView;

#[component]
pub fn ConflictBoardPage() -> impl IntoView {
    let query = use_query_map();
    let live = RwSignal::new(LiveStatus::Connecting);
    let activity = RwSignal::new(None::<String>);
    // Bumped by every change that reaches the board, and by the board's own actions: it is read again.
    let reads = RwSignal::new(0u32);
    let board = Resource::new(
        move || {
            let q = query.read();
            (q.get("location"), q.get("kind"), q.get("severity"), reads.get())
        },
        |(location, kind, severity, _)| actions::load_board(location, kind, severity),
    );
    view! {
        <section class="conflict-board" aria-label="Conflict board">
            <Transition fallback=|| view! { <p class="loading">"Loading the board…"</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(view) => view! { <Board view live activity reads/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Board(
    view: ConflictBoardView,
    live: RwSignal<LiveStatus>,
    activity: RwSignal<Option<String>>,
    reads: RwSignal<u32>,
) -> impl IntoView {
    // Follows from the board's own reading; a new reading follows from its own cursor.
    crate::live::follow(
        view.cursor.clone(),
        live,
        move |change| {
            use mosaic::change_kind::StreamType;
            if matches!(
                change.stream(),
                Some(StreamType::Shift | StreamType::AttentionItem | StreamType::Employment | StreamType::TimeOff)
            ) {
                activity.set(Some(format!("{} · {}", change.actor, change.kind)));
                reads.update(|n| *n += 1);
            }
        },
        move || reads.update(|n| *n += 1),
    );
    let query = use_query_map();
    let chosen = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let (location, kind, severity) = (chosen("location"), chosen("kind"), chosen("severity"));
    let counts = view
        .counts
        .iter()
        .map(|c| {
            let class = if c.severity == Severity::Hard { "count hard" } else { "count warning" };
            view! { <li class=class>{format!("{} {}", kind_label(c.kind), c.open)}</li> }
        })
        .collect_view();
    let total: u32 = view.counts.iter().map(|c| c.open).sum();
    let location_options = view
        .locations
        .iter()
        .map(|l| {
            let id = l.id.to_string();
            let selected = id == location;
            view! { <option value=id selected=selected>{l.name.clone()}</option> }
        })
        .collect_view();
    let kind_options = ConflictKind::ALL
        .iter()
        .map(|k| view! { <option value=k.as_str() selected=k.as_str() == kind>{kind_label(*k)}</option> })
        .collect_view();
    let locations = view.locations.clone();
    let items = view
        .items
        .into_iter()
        .map(|item| view! { <item::BoardItem item locations=locations.clone() reads read_at=view.read_at/> })
        .collect_view();
    let empty = total == 0;
    view! {
        <header class="board-header">
            <h1>{format!("Conflicts ({total} open)")}</h1>
            <ul class="counts" aria-label="Open conflicts per kind">{counts}</ul>
            <crate::live::LiveBadge status=live activity/>
        </header>
        <form method="get" action="/conflicts" class="board-filters">
            <label>"Location " <select name="location"><option value="">"all"</option>{location_options}</select></label>
            <label>"Kind " <select name="kind"><option value="">"all"</option>{kind_options}</select></label>
            <label>
                "Severity "
                <select name="severity">
                    <option value="">"all"</option>
                    <option value="hard" selected=severity == "hard">"hard"</option>
                    <option value="warning" selected=severity == "warning">"warning"</option>
                </select>
            </label>
            <button type="submit">"Show"</button>
        </form>
        {empty.then(|| view! { <p class="empty">"No open conflicts. Nothing needs you here."</p> })}
        <ol class="board-items">{items}</ol>
    }
}

pub(crate) fn kind_label(kind: ConflictKind) -> &'static str {
    match kind {
        ConflictKind::Overlap => "Double booking",
        ConflictKind::OutsideEmployment => "Outside employment",
        ConflictKind::PositionNotHeld => "Position not held",
        ConflictKind::OnTimeOff => "On time off",
        ConflictKind::ShortRest => "Short rest",
        ConflictKind::WeeklyHours => "Long week",
        ConflictKind::MissingBreak => "Missing break",
        ConflictKind::Unavailable => "Unavailable",
        ConflictKind::UnmatchedClockOut => "Clock-out without clock-in",
        ConflictKind::MissingClockOut => "Missing clock-out",
        ConflictKind::StrayClockIn => "Clock-in away from shifts",
    }
}
