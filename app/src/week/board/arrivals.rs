//! Others' changes, as the change log brings them: each shift moves to its new place in step with the
//! server, the conflict marks follow, and the toolbar says who changed what.

use super::commit::refresh_conflicts;
use super::state::Board;
use crate::format::clock;
use leptos::prelude::*;
use mosaic::change_kind::{ChangeKind, StreamType};
use mosaic::ids::EventId;
use mosaic::kinds::ScheduleStatus;
use mosaic::views::{ChangeView, ScheduleView, ShiftView};

pub fn receive(board: Board, change: ChangeView) {
    match change.stream() {
        Some(StreamType::Schedule) => return schedule_changed(board, &change),
        Some(StreamType::TimeOff) => return time_off_changed(board, &change),
        Some(StreamType::Shift) => {}
        _ => return,
    }
    let id = EventId(change.stream_id);
    remember_where(board, id);
    let taken = if change.kind() == Some(ChangeKind::ShiftPublished) {
        board.activate(id, change.stream_version)
    } else {
        match change.payload.get("after").map(|after| serde_json::from_value::<ShiftView>(after.clone())) {
            Some(Ok(shift)) => board.place(shift),
            _ => false,
        }
    };
    if !taken {
        // This calendar saved it itself, or already had it from the page.
        board.glides.update_value(|g| {
            g.remove(&id);
        });
        return;
    }
    let whose = change
        .payload
        .get("after")
        .and_then(|a| a.get("worker_name"))
        .and_then(|n| n.as_str())
        .map(|n| format!("{n}’s shift"))
        .unwrap_or_else(|| "a shift".into());
    let said = format!("{} {} {whose} at {}", change.actor, verb(change.kind()), clock(change.recorded_at, board.axis.tz));
    board.activity.set(Some(said));
    refresh_conflicts(board);
}

/// A worker's time off approved or taken back: their row's shading follows, and so do the conflicts of
/// drafts on it. A request still waiting, or declined, changes nothing on the calendar.
fn time_off_changed(board: Board, change: &ChangeView) {
    use mosaic::time_off::TimeOffStatus;
    use mosaic::views::time_off::TimeOffView;
    let Some(Ok(request)) = change.payload.get("after").map(|a| serde_json::from_value::<TimeOffView>(a.clone())) else {
        return;
    };
    let Some(row) =
        board.rows.with_value(|rows| rows.iter().copied().find(|r| r.with_untracked(|r| r.worker.id == request.worker_id)))
    else {
        return;
    };
    let approved = request.status == TimeOffStatus::Approved;
    let mut touched = false;
    row.update(|r| {
        let had = r.time_off.iter().position(|b| b.during == request.during);
        match (approved, had) {
            (true, None) => {
                r.time_off.push(mosaic::views::TimeOffBand { during: request.during, kind: request.kind });
                touched = true;
            }
            (false, Some(at)) => {
                r.time_off.remove(at);
                touched = true;
            }
            _ => {}
        }
    });
    if touched {
        let what = if approved { "approved" } else { "took back" };
        let said =
            format!("{} {what} {}’s time off at {}", change.actor, request.worker_name, clock(change.recorded_at, board.axis.tz));
        board.activity.set(Some(said));
        refresh_conflicts(board);
    }
}

/// A schedule of this location's week opened, published, archived or withdrawn (here or in another window).
fn schedule_changed(board: Board, change: &ChangeView) {
    let id = EventId(change.stream_id);
    match change.kind() {
        Some(ChangeKind::ScheduleCreated) => {
            let Some(Ok(schedule)) = change.payload.get("after").map(|a| serde_json::from_value::<ScheduleView>(a.clone()))
            else {
                return;
            };
            if schedule.location_id == board.location && schedule.period.overlaps(&board.week) {
                board.schedules.update(|all| {
                    if !all.iter().any(|s| s.id == id) {
                        all.push(schedule);
                    }
                });
            }
        }
        Some(kind @ (ChangeKind::SchedulePublished | ChangeKind::ScheduleArchived | ChangeKind::ScheduleWithdrawn)) => {
            let status = match kind {
                ChangeKind::SchedulePublished => ScheduleStatus::Published,
                ChangeKind::ScheduleArchived => ScheduleStatus::Archived,
                _ => ScheduleStatus::Withdrawn,
            };
            board.schedules.update(|all| {
                for schedule in all.iter_mut().filter(|s| s.id == id && s.version < change.stream_version) {
                    schedule.status = status;
                    schedule.version = change.stream_version;
                }
            });
        }
        _ => {}
    }
}

fn verb(kind: Option<ChangeKind>) -> &'static str {
    match kind {
        Some(ChangeKind::ShiftCreated) => "added",
        Some(ChangeKind::ShiftMoved) => "moved",
        Some(ChangeKind::ShiftResized) => "changed the times of",
        Some(ChangeKind::ShiftReassigned) => "reassigned",
        Some(ChangeKind::ShiftCancelled) => "cancelled",
        Some(ChangeKind::ShiftPublished) => "published",
        Some(ChangeKind::ShiftBreakAdded | ChangeKind::ShiftBreaksChanged) => "changed the breaks of",
        _ => "changed",
    }
}

/// Notes where the shift's block is on screen now, if it is drawn, for [`glide`].
fn remember_where(board: Board, id: EventId) {
    if let Some(block) = block_of(id) {
        let rect = block.get_bounding_client_rect();
        board.glides.update_value(|g| {
            g.insert(id, (rect.left(), rect.top()));
        });
    }
}

fn block_of(id: EventId) -> Option<leptos::web_sys::Element> {
    leptos::prelude::document().query_selector(&format!("[data-shift-id=\"{id}\"]")).ok().flatten()
}

/// A block drawn for a shift someone else changed starts where the old one was and glides into place
/// (the new block is a new element: blocks are keyed by version).
pub fn glide(board: Board, id: EventId, block: &leptos::web_sys::HtmlElement) {
    let Some((left, top)) = board.glides.try_update_value(|g| g.remove(&id)).flatten() else { return };
    let now = block.get_bounding_client_rect();
    let (dx, dy) = (left - now.left(), top - now.top());
    let style = block.style();
    let _ = block.class_list().add_1("arrived");
    let _ = style.set_property("transition", "none");
    let _ = style.set_property("transform", &format!("translate({dx:.1}px, {dy:.1}px)"));
    // Reading the layout commits the starting point before the transition is switched on.
    let _ = block.offset_width();
    let _ = style.set_property("transition", "transform 240ms ease-out");
    let _ = style.set_property("transform", "none");
}
