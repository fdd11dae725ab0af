//! One worker's row: their name and week hours, and their shifts on the time axis.

use super::commit::commit;
use super::gesture::{judge, Gesture, Handle, Judgement, PointerOrigin};
use super::layout::{block_text, row_layout, span_of, RowLayout};
use super::scale::{LANE_HEIGHT, ROW_PADDING};
use super::state::Board;
use crate::format::{clock, day_heading, hours, local_day};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use mosaic::kinds::EventStatus;
use mosaic::rules::Severity;
use mosaic::views::ShiftView;

#[component]
pub fn Row(board: Board, judged: Memo<Option<Judgement>>, index: usize, position: usize) -> impl IntoView {
    let Some(row) = board.row(index) else { return ().into_any() };
    let name = row.with_untracked(|r| r.worker.name.clone());
    let worker_id = row.with_untracked(|r| r.worker.id.to_string());
    let contract = row.with_untracked(|r| r.contract_hours);
    // Live while a shift is dragged onto or away from this row.
    let week_hours = move || match judged.get() {
        Some(j) if j.to_row == index => (j.preview.week_hours, true),
        Some(j) if j.left.is_some_and(|(from, _)| from == index) => (j.left.map(|(_, h)| h).unwrap_or(0.0), true),
        _ => (row.with(|r| mosaic::planning::week_hours(&r.rules(), &board.week, None)), false),
    };
    let over_limit = move || week_hours().0 > board.thresholds.max_weekly_hours + 1e-9;
    let targeted =
        move || board.gesture.with(|g| g.as_ref().is_some_and(|g| g.to_row == index && g.pointer.is_some_and(|p| p.travelled)));
    let layout = Memo::new(move |_| row.with(|r| row_layout(&board, r, board.track_px.get())));
    let top = Signal::derive(move || board.stack.with(|s| s.top(position)));

    let start_drawing = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 || board.gesture.with_untracked(|g| g.is_some()) {
            return;
        }
        let Some(track) = ev.current_target().and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok()) else { return };
        let rect = track.get_bounding_client_rect();
        let anchor = board.scale.from + board.scale.minutes_in(ev.client_x() as f64 - rect.left(), rect.width());
        let origin = PointerOrigin {
            body_y: top.get_untracked() + ev.client_y() as f64 - rect.top(),
            track_px: rect.width(),
            pointer_id: ev.pointer_id(),
            x: ev.client_x() as f64,
            y: ev.client_y() as f64,
            handle: Handle::End,
            anchor,
            travelled: false,
            scroll_top: board.scroll_top.get_untracked(),
        };
        let _ = track.set_pointer_capture(ev.pointer_id());
        ev.prevent_default();
        let template = board
            .template
            .get_untracked()
            .and_then(|id| board.templates.with_value(|ts| ts.iter().find(|t| t.id == id).cloned()));
        board.gesture.set(Some(match template {
            Some(template) => Gesture::from_template(&board, index, origin, template),
            None => Gesture::drawing(&board, index, origin),
        }));
    };

    view! {
        <div
            class="board-row"
            class:targeted=targeted
            role="row"
            data-worker-id=worker_id
            style=move || board.stack.with(|s| format!("top:{}px;height:{}px", s.top(position), s.height_of(position)))
        >
            <div class="row-head" role="rowheader">
                <span class="name">{name}</span>
                <span class="week-hours" class:over=over_limit class:live=move || week_hours().1>
                    {move || hours(week_hours().0)}
                </span>
                {contract.map(|c| view! {
                    <span class="contract" class:short=move || week_hours().0 + 0.05 < c title="The hours the employment contracts each week">
                        {format!(" of {c:.0} h")}
                    </span>
                })}
            </div>
            <div class="track" on:pointerdown=start_drawing role="gridcell">
                {move || row.with(|r| availability_bands(&board, r))}
                {move || row.with(|r| away_bands(&board, r))}
                <For
                    each=move || row.with(|r| r.shifts.clone())
                    key=|s| (s.id, s.version)
                    children=move |shift| view! { <ShiftBlock board index shift layout top/> }
                />
            </div>
        </div>
    }
    .into_any()
}

/// Where the axis shows a stretch, as a band's `left` and `width` in percent of the track.
fn band_style(board: &Board, during: &mosaic::interval::Interval) -> Option<String> {
    let scale = board.scale;
    let end = scale.from + scale.minutes;
    let from = board.axis.minute_of(during.start).max(scale.from);
    let to = during.end.map(|e| board.axis.minute_of(e)).unwrap_or(end).min(end);
    (from < to).then(|| format!("left:{:.3}%;width:{:.3}%", scale.percent(from), scale.percent(to) - scale.percent(from)))
}

/// The hours the worker said they cannot work (greyed) and those they prefer (a green edge at the foot).
fn availability_bands(board: &Board, row: &mosaic::views::WeekRow) -> impl IntoView {
    let cannot = row.availability.unavailable.iter().filter_map(|u| {
        band_style(board, u).map(|style| view! { <div class="unavailable" style=style title="Unavailable"></div> })
    });
    let rather = row.availability.preferred.iter().filter_map(|p| {
        band_style(board, p).map(|style| view! { <div class="preferred" style=style title="Prefers to work"></div> })
    });
    (cannot.collect_view(), rather.collect_view())
}

/// The worker's approved time off, shaded under their shifts where the axis shows it.
fn away_bands(board: &Board, row: &mosaic::views::WeekRow) -> impl IntoView {
    row.time_off
        .iter()
        .filter_map(|band| {
            let style = band_style(board, &band.during)?;
            let title = format!("{}: approved time off", band.kind.label());
            Some(view! { <div class="away" style=style title=title.clone() aria-label=title><span>{band.kind.label()}</span></div> })
        })
        .collect_view()
}

/// How wide the grip for stretching an edge is, in pixels.
const EDGE_PX: f64 = 6.0;

#[component]
fn ShiftBlock(board: Board, index: usize, shift: ShiftView, layout: Memo<RowLayout>, top: Signal<f64>) -> impl IntoView {
    let tz = board.axis.tz;
    let scale = board.scale;
    let (from, to) = span_of(&board, &shift);
    if !scale.shows(from, to) {
        return ().into_any();
    }
    let id = shift.id;
    let placed = move || layout.with(|l| l.blocks.get(&id).copied());
    let (times, role) = block_text(&board, &shift);
    let status = shift.status.as_str();
    let asked = shift.position.as_ref().map(|p| p.id);
    let faded = move || board.position_filter.get().is_some_and(|wanted| asked != Some(wanted));
    let colour = shift.position.as_ref().map(|p| p.colour.clone());
    let colour_set = colour.is_some();
    let mark = move || board.marks.with(|m| m.get(&id).cloned());
    // Why the reader may not change this shift, if they may not: said before any drag, not after the drop.
    let locked: Option<String> = board
        .access
        .with_value(|access| access.require_shift_change(shift.status, shift.location_id).err())
        .map(|denied| format!("You cannot change this shift: {denied}."));
    let breaks: Vec<(i64, i64, String)> = shift
        .breaks
        .iter()
        .filter_map(|b| {
            let end = b.during.end?;
            let when = format!("{}–{}", clock(b.during.start, tz), clock(end, tz));
            Some((board.axis.minute_of(b.during.start), board.axis.minute_of(end), when))
        })
        .collect();
    let label = {
        let (times, role, worker) = (times.clone(), role.clone(), shift.worker_name.clone());
        let day = day_heading(local_day(shift.during.start, tz));
        let state = if shift.status == EventStatus::Active { "published" } else { status };
        let locked = locked.clone().map(|why| format!(". {why}")).unwrap_or_default();
        let breaks = match breaks.as_slice() {
            [] => String::new(),
            some => format!(", break {}", some.iter().map(|(_, _, when)| when.as_str()).collect::<Vec<_>>().join(", ")),
        };
        move || {
            let trouble = mark().map(|m| format!(". {}", m.said().join(" "))).unwrap_or_default();
            format!("{worker}, {state} shift, {day} {times} {role}{breaks}{trouble}{locked}")
        }
    };
    // Within the block, lengths are in hundredths of the track (the track is a size container), so the
    // shift's own time and its breaks line up with the axis even where the label makes the block wider.
    let within = move |minute: i64| placed().map(|p| scale.percent(minute) - scale.percent(p.from)).unwrap_or(0.0);
    let stretch = move |a: i64, b: i64| {
        format!("left:calc({:.3} * 1cqw);width:calc({:.3} * 1cqw)", within(a), scale.percent(b) - scale.percent(a))
    };
    let span_style = move || stretch(from, to);
    let break_marks = breaks
        .into_iter()
        .map(|(b_from, b_to, _)| {
            let style = move || stretch(b_from, b_to);
            view! { <span class="break" style=style></span> }
        })
        .collect_view();
    let style = move || {
        let Some(p) = placed() else { return "display:none".to_string() };
        let stripe = colour.as_ref().map(|c| format!(";--position-colour:{c}")).unwrap_or_default();
        format!(
            "left:{:.3}%;width:{:.3}%;top:{}px{stripe}",
            scale.percent(p.from),
            scale.percent(p.to) - scale.percent(p.from),
            ROW_PADDING + p.lane as f64 * LANE_HEIGHT
        )
    };
    let dragged = move || board.gesture.with(|g| g.as_ref().is_some_and(|g| g.shift_id() == Some(id) && !g.copy));
    let block = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = block.get() {
            super::arrivals::glide(board, id, &el);
        }
    });
    let selected = shift.clone();

    let grab = {
        let (shift, locked) = (shift.clone(), locked.is_some());
        move |ev: leptos::ev::PointerEvent| {
            ev.stop_propagation();
            // A shift the reader may not change may still be copied (Alt or Ctrl held): the copy is their draft.
            let copying = ev.alt_key() || ev.ctrl_key();
            if (locked && !copying) || ev.button() != 0 || board.gesture.with_untracked(|g| g.is_some()) {
                return;
            }
            let Some(block) = ev.current_target().and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok()) else { return };
            // The outer few pixels of either side stretch that edge; the rest moves the shift.
            let rect = block.get_bounding_client_rect();
            let inside = ev.client_x() as f64 - rect.left();
            let handle = if inside < EDGE_PX {
                Handle::Start
            } else if inside > rect.width() - EDGE_PX {
                Handle::End
            } else {
                Handle::Body
            };
            let _ = block.set_pointer_capture(ev.pointer_id());
            ev.prevent_default();
            let Some(track) = block.parent_element() else { return };
            let track_rect = track.get_bounding_client_rect();
            let origin = PointerOrigin {
                body_y: top.get_untracked() + ev.client_y() as f64 - track_rect.top(),
                track_px: track_rect.width(),
                pointer_id: ev.pointer_id(),
                x: ev.client_x() as f64,
                y: ev.client_y() as f64,
                handle,
                anchor: 0,
                travelled: false,
                scroll_top: board.scroll_top.get_untracked(),
            };
            board.gesture.set(Some(Gesture::on_shift(shift.clone(), index, Some(origin))));
            if let Some(el) = block.dyn_ref::<leptos::web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };

    let may_move = locked.is_none();
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                if board.gesture.with_untracked(|g| g.as_ref().is_some_and(|g| g.pointer.is_none())) {
                    commit(board);
                } else {
                    board.selected.set(Some(id));
                }
            }
            "Escape" => {
                ev.prevent_default();
                board.gesture.set(None);
                board.announcement.set("Change abandoned.".into());
            }
            _ if !may_move => {}
            _ => {
                let mut gesture = board
                    .gesture
                    .get_untracked()
                    .filter(|g| g.shift_id() == Some(id) && g.pointer.is_none())
                    .unwrap_or_else(|| Gesture::on_shift(selected.clone(), index, None));
                if gesture.saving || !gesture.key(&board, &key, ev.shift_key(), ev.alt_key()) {
                    return;
                }
                ev.prevent_default();
                board.announcement.set(describe(&board, &gesture));
                board.gesture.set(Some(gesture));
            }
        }
    };

    view! {
        <div
            class=move || {
                let trouble = match mark().map(|m| m.severity) {
                    Some(Severity::Hard) => " conflict-hard",
                    Some(Severity::Warning) => " conflict-warning",
                    None => "",
                };
                format!("shift {status}{trouble}")
            }
            class:dragged=dragged
            class:faded=faded
            class:selected=move || board.selected.get() == Some(id)
            class:locked=!may_move
            class:positioned=colour_set
            data-shift-id=id.to_string()
            role="button"
            tabindex="0"
            aria-roledescription="shift"
            aria-label=label.clone()
            aria-describedby="board-keys"
            title=label
            style=style
            node_ref=block
            on:pointerdown=grab
            on:keydown=keys
        >
            <span class="time-marks" aria-hidden="true">
                <span class="span" style=span_style></span>
                {break_marks}
            </span>
            <span class="handle start" aria-hidden="true"></span>
            <span class="first-line">
                <span class="times">{times}</span>
                {move || mark().map(|m| {
                    let symbol = if m.severity == Severity::Hard { "⚠" } else { "!" };
                    view! { <span class="mark" title=m.said().join(" ")>{symbol}</span> }
                })}
            </span>
            <span class="role">{role}</span>
            <span class="handle end" aria-hidden="true"></span>
        </div>
    }
    .into_any()
}

/// What a screen reader hears after each key press: where the shift would go and what the rules say.
pub fn describe(board: &Board, gesture: &Gesture) -> String {
    let tz = board.axis.tz;
    let p = gesture.proposed;
    let when = format!(
        "{} {}–{}",
        day_heading(local_day(p.start, tz)),
        clock(p.start, tz),
        p.end.map(|e| clock(e, tz)).unwrap_or_default()
    );
    let verdict = match judge(board, gesture) {
        Some(j) if j.preview.refused.is_some() => j.preview.refused.unwrap_or_default(),
        Some(j) if !j.preview.conflicts.is_empty() => {
            j.preview.conflicts.iter().map(|c| c.message.clone()).collect::<Vec<_>>().join(" ")
        }
        Some(_) => "No conflicts.".to_string(),
        None => String::new(),
    };
    format!("{}, {when}. {verdict} Enter to save, Escape to cancel.", board.worker_name(gesture.to_row))
}
