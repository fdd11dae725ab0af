//! Sending a finished gesture to the server and showing its answer: saved, snapped back because someone
//! else changed the shift first, or snapped back with the rule that refused it.

use super::gesture::Gesture;
use super::save::{
    change_shift, copy_shift, create_drawn_shift, open_conflicts, plan_template, undo_shift_change, DrawnShift, Outcome,
    ShiftChange, ShiftCopy, TemplatePlan,
};
use super::state::{Board, Notice};
use crate::format::clock;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Drops the gesture under way: the server decides, and the calendar shows what it decided.
pub fn commit(board: Board) {
    let Some(gesture) = board.gesture.get_untracked().filter(|g| !g.saving) else { return };
    if !gesture.changes_something() {
        // A press that did not travel is a click: it opens the shift in the edit panel.
        board.gesture.set(None);
        board.selected.set(gesture.shift_id());
        return;
    }
    board.gesture.update(|g| {
        if let Some(g) = g {
            g.saving = true;
        }
    });
    spawn_local(async move {
        let answer = send(&board, &gesture).await;
        board.gesture.set(None);
        // A new drawing opens in the edit panel, for its role, notes and breaks.
        if let (None, Ok(Outcome::Saved(drawn))) = (&gesture.source, &answer) {
            board.selected.set(Some(drawn.id));
        }
        show(board, answer, gesture.source.as_ref().map(|s| s.id));
        // The saved block is drawn anew; a keyboard user keeps their place on it.
        if let (None, Some(id)) = (gesture.pointer, gesture.shift_id()) {
            request_animation_frame(move || focus_shift(id));
        }
    });
}

fn focus_shift(id: mosaic::ids::EventId) {
    use leptos::wasm_bindgen::JsCast;
    let found = document().query_selector(&format!("[data-shift-id=\"{id}\"]")).ok().flatten();
    if let Some(block) = found.and_then(|el| el.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
        let _ = block.focus();
    }
}

async fn send(board: &Board, gesture: &Gesture) -> Result<Outcome, ServerFnError> {
    let worker_id = board
        .row(gesture.to_row)
        .map(|r| r.with_untracked(|r| r.worker.id))
        .ok_or_else(|| ServerFnError::new("that worker is no longer shown"))?;
    let end = gesture.proposed.end.ok_or_else(|| ServerFnError::new("end: a shift needs an end"))?;
    match (&gesture.source, gesture.copy) {
        (None, _) => match &gesture.template {
            Some(template) => {
                let day = crate::format::local_day(gesture.proposed.start, board.axis.tz);
                plan_template(TemplatePlan { template: template.id, worker_id, location_id: board.location, day }).await
            }
            None => {
                let drawn = DrawnShift { worker_id, location_id: board.location, start: gesture.proposed.start, end };
                create_drawn_shift(drawn).await
            }
        },
        (Some(source), true) => copy_shift(ShiftCopy { id: source.id, start: gesture.proposed.start, worker_id }).await,
        (Some(source), false) => {
            let change =
                ShiftChange { id: source.id, expected_version: source.version, start: gesture.proposed.start, end, worker_id };
            change_shift(change).await
        }
    }
}

/// Reverses this scheduler's latest change on the calendar.
pub fn undo(board: Board) {
    let Some((id, version)) = board.undoable.with_untracked(|u| u.last().copied()) else { return };
    board.undoable.update(|u| {
        u.pop();
    });
    spawn_local(async move {
        // An undo is not itself put on the stack: the next Undo reaches the change before it.
        show(board, undo_shift_change(id, version).await, None);
    });
}

/// Shows the server's answer; `changed` is the shift the scheduler changed, which Undo may reverse.
pub(super) fn show(board: Board, answer: Result<Outcome, ServerFnError>, changed: Option<mosaic::ids::EventId>) {
    let tz = board.axis.tz;
    match answer {
        Ok(Outcome::Saved(shift)) => {
            let said = format!(
                "Saved: {} {}–{}.",
                shift.worker_name,
                clock(shift.during.start, tz),
                shift.during.end.map(|e| clock(e, tz)).unwrap_or_default()
            );
            if changed.is_some() || shift.version == 1 {
                board.undoable.update(|u| u.push((shift.id, shift.version)));
            }
            let saved = shift.id;
            let draft = shift.status == mosaic::kinds::EventStatus::Draft;
            board.place(shift);
            board.notice.set(Some(Notice::Saved(said.clone())));
            refresh_conflicts_then(board, move |items| {
                // A draft may land on a conflict; the notice says so instead of a plain "Saved".
                if let Some(conflicted) = conflicts_notice(items, saved, draft, &said) {
                    board.announcement.set(conflicted.clone());
                    board.notice.set(Some(Notice::SavedWithConflicts(conflicted)));
                }
            });
        }
        Ok(Outcome::Stale { current, changed_by, changed_at }) => {
            let when = changed_at.map(|t| format!(" at {}", clock(t, tz))).unwrap_or_default();
            board.place(current);
            board.notice.set(Some(Notice::Stale(format!(
                "{changed_by} changed this shift{when}, so yours was not saved. It shows their version now."
            ))));
        }
        Ok(Outcome::Refused { reason }) => board.notice.set(Some(Notice::Refused(format!("Not saved: {reason}")))),
        Err(e) => board.notice.set(Some(Notice::Refused(format!("Not saved: {e}")))),
    }
    board.announcement.set(match board.notice.get_untracked() {
        Some(Notice::Saved(s) | Notice::SavedWithConflicts(s) | Notice::Stale(s) | Notice::Refused(s)) => s,
        None => String::new(),
    });
}

/// "Saved as a draft with 1 hard conflict: double booking. …", when the saved shift has open items.
fn conflicts_notice(
    items: &[mosaic::views::AttentionItemView],
    shift: mosaic::ids::EventId,
    draft: bool,
    said: &str,
) -> Option<String> {
    let mine: Vec<_> = items.iter().filter(|i| i.shift_ids.contains(&shift)).collect();
    if mine.is_empty() {
        return None;
    }
    let named = |severity: mosaic::rules::Severity| {
        let mut kinds: Vec<String> =
            mine.iter().filter(|i| i.severity == severity).map(|i| crate::conflicts::kind_label(i.kind).to_lowercase()).collect();
        kinds.dedup();
        (mine.iter().filter(|i| i.severity == severity).count(), kinds.join(", "))
    };
    let mut parts = vec![];
    let (hard, hard_kinds) = named(mosaic::rules::Severity::Hard);
    if hard > 0 {
        parts.push(format!("{}: {hard_kinds}", crate::format::counted(hard, "hard conflict")));
    }
    let (warnings, warning_kinds) = named(mosaic::rules::Severity::Warning);
    if warnings > 0 {
        parts.push(format!("{}: {warning_kinds}", crate::format::counted(warnings, "warning")));
    }
    let how = if draft { "Saved as a draft with" } else { "Saved with" };
    Some(format!("{how} {}. {}", parts.join(" and "), said.trim_start_matches("Saved: ")))
}

/// Conflicts open or close with every change; the marks and the list follow the server's judgement.
pub(super) fn refresh_conflicts(board: Board) {
    refresh_conflicts_then(board, |_| {});
}

fn refresh_conflicts_then(board: Board, then: impl FnOnce(&[mosaic::views::AttentionItemView]) + 'static) {
    let (from, to) = (board.week.start, board.week.end.unwrap_or(board.week.start));
    spawn_local(async move {
        if let Ok(items) = open_conflicts(from, to).await {
            then(&items);
            board.conflicts.set(items);
        }
    });
}
