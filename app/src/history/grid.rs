//! The week as it stood, read-only: a row per worker with their shifts on the week's axis; against a
//! second moment, what differs is coloured and where a shift was is outlined. Then the list of
//! differences, with who made them.

use crate::format::{clock, day_heading, local_day};
use crate::week::board::scale::Scale;
use chrono::Duration;
use chrono_tz::Tz;
use leptos::prelude::*;
use mosaic::ids::EventId;
use mosaic::kinds::EventStatus;
use mosaic::planning::{Axis, DifferenceKind};
use mosaic::views::{ChangedShift, HistoricWeekView, ShiftView};
use std::collections::BTreeMap;

#[component]
pub fn HistoricGrid(view: HistoricWeekView) -> impl IntoView {
    let tz = crate::format::zone(&view.location.time_zone);
    let axis = Axis::new(view.week_start, 7, tz);
    let scale = Scale::week();
    let changed: BTreeMap<EventId, ChangedShift> = view.differences.iter().map(|d| (d.difference.shift_id, d.clone())).collect();
    let ticks = (0..7)
        .map(|d| {
            let day = view.week_start + Duration::days(d);
            view! { <span class="tick" style=format!("left:{:.3}%", scale.percent(d * 24 * 60))>{day_heading(day)}</span> }
        })
        .collect_view();
    let empty = view.rows.is_empty();
    let rows = view
        .rows
        .iter()
        .map(|row| {
            let blocks = row.shifts.iter().map(|shift| block(shift, &axis, &scale, changed.get(&shift.id), false)).collect_view();
            // Where a shift stood at the other moment and stands no longer: outlined in its old place.
            let was = view
                .differences
                .iter()
                .filter(|d| {
                    matches!(d.difference.kind, DifferenceKind::Removed | DifferenceKind::Moved | DifferenceKind::Reassigned)
                })
                .filter_map(|d| d.difference.before.as_ref().map(|before| (before, d)))
                .filter(|(before, _)| before.worker_id == row.worker_id)
                .map(|(before, d)| block(before, &axis, &scale, Some(d), true))
                .collect_view();
            view! {
                <div class="history-row" role="row" data-worker-id=row.worker_id.to_string()>
                    <div class="row-head" role="rowheader"><span class="name">{row.worker_name.clone()}</span></div>
                    <div class="track" role="gridcell">{was}{blocks}</div>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="board-wrap history-grid">
            <div class="board-scroll" role="grid" aria-label="The week as it stood" aria-readonly="true" tabindex="0">
                <div class="board-head" role="row">
                    <div class="row-head" role="columnheader">"Worker"</div>
                    <div class="ticks">{ticks}</div>
                </div>
                {rows}
                {empty.then(|| view! { <p class="empty">"No shifts here that week at this moment."</p> })}
            </div>
        </div>
    }
}

/// A shift on the axis; `was` draws where it stood at the other moment.
fn block(shift: &ShiftView, axis: &Axis, scale: &Scale, changed: Option<&ChangedShift>, was: bool) -> impl IntoView {
    let tz = axis.tz;
    let from = axis.minute_of(shift.during.start);
    let to = shift.during.end.map(|e| axis.minute_of(e)).unwrap_or(from + 60);
    let left = scale.percent(from.max(0));
    let width = scale.percent(to.min(7 * 24 * 60)) - left;
    let times = span(shift, tz);
    let kind = changed.map(|c| kind_class(c.difference.kind)).unwrap_or("");
    let status = shift.status.as_str();
    let state = if shift.status == EventStatus::Active { "published" } else { shift.status.as_str() };
    let mut label = format!("{}, {state} shift, {}", shift.worker_name, times);
    if let Some(c) = changed {
        let what = if was { "was here" } else { kind_label(c.difference.kind) };
        label.push_str(&format!(". {what}{}", by(c)));
    }
    let class = if was { format!("shift was {kind}") } else { format!("shift {status} {kind}") };
    view! {
        <div
            class=class
            data-shift-id=shift.id.to_string()
            title=label.clone()
            aria-label=label
            style=format!("left:{left:.3}%;width:{width:.3}%")
        >
            <span class="times">{format!("{}–{}", clock(shift.during.start, tz), shift.during.end.map(|e| clock(e, tz)).unwrap_or_default())}</span>
            <span class="role">{shift.label().unwrap_or_default()}</span>
        </div>
    }
}

/// Every difference, in the order of the week, with who made it.
#[component]
pub fn Differences(view: HistoricWeekView) -> impl IntoView {
    let tz = crate::format::zone(&view.location.time_zone);
    let between = match (&view.since, &view.at) {
        (Some(since), Some(at)) => format!("between change #{} and change #{}", since.position, at.position),
        _ => "between the two moments".to_string(),
    };
    let items = view
        .differences
        .iter()
        .map(|c| {
            let d = &c.difference;
            let what = match (&d.before, &d.after) {
                (Some(before), Some(after)) if d.kind == DifferenceKind::Reassigned => {
                    format!("{} → {}: {}", before.worker_name, after.worker_name, span(after, tz))
                }
                (Some(before), Some(after)) if d.kind == DifferenceKind::Moved => {
                    format!("{}: {} → {}", after.worker_name, span(before, tz), span(after, tz))
                }
                (_, Some(shift)) | (Some(shift), None) => format!("{}: {}", shift.worker_name, span(shift, tz)),
                (None, None) => String::new(),
            };
            view! {
                <li class=format!("difference {}", kind_class(d.kind)) data-shift-id=d.shift_id.to_string()>
                    <span class="kind">{kind_label(d.kind)}</span>
                    " "
                    <span class="what">{what}</span>
                    <span class="by">{by(c)}</span>
                </li>
            }
        })
        .collect_view();
    let none = view.differences.is_empty();
    view! {
        <section class="differences" aria-label="What changed">
            <h2>{format!("What changed {between} ({})", view.differences.len())}</h2>
            {none.then(|| view! { <p class="empty">"No shift of this week differs between the two moments."</p> })}
            <ol>{items}</ol>
        </section>
    }
}

/// `Mon 2 Mar 09:00–17:00` in the location's zone.
fn span(shift: &ShiftView, tz: Tz) -> String {
    format!(
        "{} {}–{}",
        day_heading(local_day(shift.during.start, tz)),
        clock(shift.during.start, tz),
        shift.during.end.map(|e| clock(e, tz)).unwrap_or_default()
    )
}

fn by(changed: &ChangedShift) -> String {
    if changed.changed_by.is_empty() {
        String::new()
    } else {
        format!(" — by {} ({})", changed.changed_by.join(", "), changed.changes.join(", "))
    }
}

fn kind_class(kind: DifferenceKind) -> &'static str {
    match kind {
        DifferenceKind::Added => "added",
        DifferenceKind::Removed => "removed",
        DifferenceKind::Reassigned => "reassigned",
        DifferenceKind::Moved => "moved",
        DifferenceKind::Published => "published",
        DifferenceKind::Edited => "edited",
    }
}

fn kind_label(kind: DifferenceKind) -> &'static str {
    match kind {
        DifferenceKind::Added => "Added",
        DifferenceKind::Removed => "Removed",
        DifferenceKind::Reassigned => "Reassigned",
        DifferenceKind::Moved => "Moved",
        DifferenceKind::Published => "Published",
        DifferenceKind::Edited => "Edited",
    }
}
