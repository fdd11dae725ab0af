//! Where the shift under way would land, with the rules' verdict on it, before the drop.

use super::gesture::Judgement;
use super::scale::ROW_HEIGHT;
use super::state::Board;
use crate::format::{clock, hours};
use leptos::prelude::*;
use mosaic::rules::Severity;

#[component]
pub fn Ghost(board: Board, judged: Memo<Option<Judgement>>) -> impl IntoView {
    let shown = move || {
        let gesture = board.gesture.get()?;
        if gesture.pointer.is_some_and(|p| !p.travelled) || !gesture.changes_something() && gesture.pointer.is_some() {
            return None;
        }
        let judged = judged.get()?;
        let position = board.position_of(gesture.to_row)?;
        let tz = board.axis.tz;
        let from = board.axis.minute_of(gesture.proposed.start);
        let to = gesture.proposed.end.map(|e| board.axis.minute_of(e)).unwrap_or(from);
        let (left, width) = (board.scale.x(from), (board.scale.x(to) - board.scale.x(from)).max(6.0));
        let class = match (judged.preview.refused.is_some(), judged.preview.worst()) {
            (true, _) => "ghost refused",
            (_, Some(Severity::Hard)) => "ghost conflict-hard",
            (_, Some(Severity::Warning)) => "ghost conflict-warning",
            _ => "ghost clear",
        };
        let times =
            format!("{}–{}", clock(gesture.proposed.start, tz), gesture.proposed.end.map(|e| clock(e, tz)).unwrap_or_default());
        let verdict = judged
            .preview
            .refused
            .clone()
            .or_else(|| judged.preview.conflicts.first().map(|c| c.message.clone()))
            .unwrap_or_default();
        let saving = gesture.saving;
        let copy = gesture.copy;
        Some(view! {
            <div
                class=class
                class:saving=saving
                aria-hidden="true"
                style=format!("top:{:.0}px;left:calc(var(--name-width) + {left:.1}px);width:{width:.1}px", position as f64 * ROW_HEIGHT)
            >
                <span class="times">{times}{copy.then_some(" (copy)")}</span>
                <span class="verdict">{verdict}</span>
                <span class="ghost-hours">{format!("week {}", hours(judged.preview.week_hours))}</span>
            </div>
        })
    };
    view! { {shown} }
}
