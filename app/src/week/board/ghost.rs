//! The change under way before the drop: an outline where the shift would land, and beside the pointer
//! what the rules say of it in words — the new times, each conflict, both workers' week hours and what
//! the week would cost.

use super::gesture::{Gesture, Judgement};
use super::state::Board;
use crate::format::{clock, day_heading, hours, local_day};
use leptos::prelude::*;
use mosaic::interval::Interval;
use mosaic::rules::{Conflict, ConflictKind, Severity};

/// Whether the gesture has gone far enough to show where it would land.
fn showing(gesture: &Gesture) -> bool {
    !(gesture.pointer.is_some_and(|p| !p.travelled) || !gesture.changes_something() && gesture.pointer.is_some())
}

fn verdict_class(judged: &Judgement) -> &'static str {
    match (judged.preview.refused.is_some(), judged.preview.worst()) {
        (true, _) => "refused",
        (_, Some(Severity::Hard)) => "conflict-hard",
        (_, Some(Severity::Warning)) => "conflict-warning",
        _ => "clear",
    }
}

fn times(board: &Board, span: Interval) -> String {
    let tz = board.axis.tz;
    format!("{}–{}", clock(span.start, tz), span.end.map(|e| clock(e, tz)).unwrap_or_default())
}

#[component]
pub fn Ghost(board: Board, judged: Memo<Option<Judgement>>) -> impl IntoView {
    let shown = move || {
        let gesture = board.gesture.get()?;
        if !showing(&gesture) {
            return None;
        }
        let judged = judged.get()?;
        let position = board.position_of(gesture.to_row)?;
        let scale = board.scale;
        let from = board.axis.minute_of(gesture.proposed.start);
        let to = gesture.proposed.end.map(|e| board.axis.minute_of(e)).unwrap_or(from);
        let (left, width) = (scale.fraction(from), scale.fraction(to) - scale.fraction(from));
        let top = board.stack.with(|s| s.top(position));
        let class = format!("ghost {}", verdict_class(&judged));
        Some(view! {
            <div
                class=class
                class:saving=gesture.saving
                aria-hidden="true"
                style=format!(
                    "top:{top:.0}px;left:calc(var(--name-width) + (100% - var(--name-width)) * {left:.5});\
                     width:calc((100% - var(--name-width)) * {width:.5})"
                )
            >
                <span class="times">{times(&board, gesture.proposed)}{gesture.copy.then_some(" (copy)")}</span>
            </div>
        })
    };
    view! { {shown} }
}

/// What one conflict of the proposal is, in a few words: "Double booking with Wed 20 Jan 10:00–14:00".
fn headline(board: &Board, gesture: &Gesture, conflict: &Conflict) -> String {
    let proposed = gesture.shift_id().filter(|_| !gesture.copy);
    match conflict.kind {
        ConflictKind::Overlap => {
            let other =
                conflict.shifts.iter().filter(|id| Some(**id) != proposed && !id.0.is_nil()).find_map(|id| {
                    board.row(gesture.to_row)?.with_untracked(|r| r.rules().shifts.into_iter().find(|s| s.id == *id))
                });
            match other {
                Some(other) => format!(
                    "Double booking with {} {}",
                    day_heading(local_day(other.during.start, board.axis.tz)),
                    times(board, other.during)
                ),
                None => "Double booking".to_string(),
            }
        }
        ConflictKind::ShortRest => {
            let rest = conflict.span.duration().map(|d| d.num_minutes() as f64 / 60.0).unwrap_or(0.0);
            format!("Rest {} < {}", hours(rest), hours(board.thresholds.min_rest_hours))
        }
        ConflictKind::WeeklyHours => {
            format!("Week over {}", hours(board.thresholds.max_weekly_hours))
        }
        kind => crate::conflicts::kind_label(kind).to_string(),
    }
}

/// The preview beside the pointer, in normal type and never cut short.
#[component]
pub fn DragTip(board: Board, judged: Memo<Option<Judgement>>) -> impl IntoView {
    let visible = move || {
        board.gesture.with(|g| g.as_ref().is_some_and(|g| g.pointer.is_some() && showing(g) && !g.saving))
            && judged.with(Option::is_some)
            && board.pointer_at.with(Option::is_some)
    };
    // Only where the tip stands follows every pointer move; what it says changes with the proposal.
    let place = move || {
        let (x, y) = board.pointer_at.get().unwrap_or_default();
        let (width, height) = (
            window().inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(1440.0),
            window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(900.0),
        );
        // Beside the pointer, turned to whichever side has room.
        let left = if x + 380.0 > width { (x - 372.0).max(4.0) } else { x + 18.0 };
        let top = if y + 200.0 > height { (y - 190.0).max(4.0) } else { y + 18.0 };
        format!("left:{left:.0}px;top:{top:.0}px")
    };
    let class = move || judged.with(|j| format!("drag-tip {}", j.as_ref().map(verdict_class).unwrap_or("clear")));
    let said = move || {
        let gesture = board.gesture.get()?;
        let judged = judged.get()?;
        let tz = board.axis.tz;
        let day = day_heading(local_day(gesture.proposed.start, tz));
        let title = format!(
            "{} · {day} {}{}",
            board.worker_name(gesture.to_row),
            times(&board, gesture.proposed),
            if gesture.copy { " (copy)" } else { "" }
        );
        let verdicts = match &judged.preview.refused {
            Some(refused) => vec![view! { <li class="refused">{refused.clone()}</li> }.into_any()],
            None if judged.preview.conflicts.is_empty() => {
                vec![view! { <li class="clear">"No conflicts"</li> }.into_any()]
            }
            None => judged
                .preview
                .conflicts
                .iter()
                .map(|c| {
                    let class = if c.severity == Severity::Hard { "hard" } else { "warning" };
                    let symbol = if c.severity == Severity::Hard { "⚠ " } else { "! " };
                    view! {
                        <li class=class>
                            <strong>{symbol}{headline(&board, &gesture, c)}</strong>
                            <span class="why">{c.message.clone()}</span>
                        </li>
                    }
                    .into_any()
                })
                .collect(),
        };
        let mut week = vec![format!("{}: {}", board.worker_name(gesture.to_row), hours(judged.preview.week_hours))];
        if let Some((from, left)) = judged.left {
            week.push(format!("{}: {}", board.worker_name(from), hours(left)));
        }
        let cost = board.pay.with_value(|pay| {
            let change = super::cost::change_cost(pay.as_ref()?, &board, board.axis.first_day, &gesture)?;
            Some(format!("Week's labor cost {}", super::cost::signed(change.week_cents)))
        });
        Some(view! {
            <p class="tip-title">{title}</p>
            <ul class="verdicts">{verdicts}</ul>
            <p class="tip-hours">{format!("Week hours: {}", week.join(" · "))}</p>
            {cost.map(|c| view! { <p class="tip-cost">{c}</p> })}
        })
    };
    view! {
        <Show when=visible>
            <div class=class data-testid="drag-tip" style=place>{said}</div>
        </Show>
    }
}
