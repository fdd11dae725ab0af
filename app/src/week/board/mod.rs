//! The interactive calendar: workers as rows on a time axis in the location's local time — the whole week,
//! or one day for fine work. Drag a shift to move or reassign it (hold Alt or Ctrl to copy), stretch an
//! edge, draw on an empty stretch to make a draft; the keyboard does the same. While a change is under way
//! the rules judge it in the browser; on drop the server decides.

mod arrivals;
mod columns;
mod commit;
mod cost;
mod gesture;
mod ghost;
mod layout;
mod notice;
mod panel;
mod publish;
mod row;
mod save;
pub mod scale;
mod state;
mod toolbar;

use leptos::prelude::*;
use mosaic::views::WeekView;
use scale::{Scale, ASSUMED_VIEWPORT, EDGE_SCROLL_PX, HEADING_HEIGHT, LANE_HEIGHT, NARROW_WEEK_PX, OVERSCAN};
pub use state::Board;

#[component]
pub fn Calendar(week: WeekView, scale: Scale, open_shift_reads: RwSignal<u32>) -> impl IntoView {
    let board = Board::new(&week, scale);
    // Others' changes arrive as they commit; one too far behind for replay reloads the page. Open shifts
    // and claims are listed below the calendar, which reads them again.
    crate::live::follow(
        week.cursor.clone(),
        board.live,
        move |change| {
            use mosaic::change_kind::StreamType;
            if matches!(change.stream(), Some(StreamType::OpenShift | StreamType::ShiftClaim)) {
                open_shift_reads.update(|n| *n += 1);
            } else {
                arrivals::receive(board, change);
            }
        },
        || {
            let _ = window().location().reload();
        },
    );
    let scroll_top = board.scroll_top;
    let viewport = RwSignal::new(ASSUMED_VIEWPORT);
    let scroller = NodeRef::<leptos::html::Div>::new();
    let ticks = NodeRef::<leptos::html::Div>::new();
    // The track's width in pixels: the layout is in fractions of it, but a drag's distance and a
    // label's room are pixels. Measured again when the window or the zoom changes.
    // On a phone the week at Fit gives a day too little room to read a shift: it opens four times wider
    // (Fit is a press away).
    let first_measure = StoredValue::new(true);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            viewport.set(el.client_height() as f64);
        }
        if let Some(el) = ticks.get_untracked() {
            let width = el.get_bounding_client_rect().width();
            if first_measure.get_value() && width > 0.0 {
                first_measure.set_value(false);
                if board.zoom.get_untracked() == 1.0 && !scale.is_day() && width < NARROW_WEEK_PX {
                    board.zoom.set(4.0);
                    return;
                }
            }
            if width > 0.0 && (width - board.track_px.get_untracked()).abs() > 0.5 {
                board.track_px.set(width);
            }
        }
    };
    Effect::new(move |_| {
        board.zoom.track();
        // The edit drawer narrows the board when it opens: measured once the page has been laid out.
        board.selected.track();
        if scroller.get().is_some() {
            request_animation_frame(measure);
        }
    });
    let resized = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resized.remove());
    // The rules' verdict on the change under way, judged once per new proposal for every part that shows it.
    let judged = Memo::new(move |_| board.gesture.with(|g| g.as_ref().and_then(|g| gesture::judge(&board, g))));
    let in_view = Memo::new(move |_| {
        let (first, last) = board.stack.with(|s| s.in_view(scroll_top.get(), viewport.get(), OVERSCAN));
        board
            .order
            .with(|order| order[first..last].iter().enumerate().map(|(i, line)| (first + i, line.clone())).collect::<Vec<_>>())
    });

    // Where the pointer was last seen during a drag: (x, y, copy held).
    let pointer = StoredValue::new(None::<(f64, f64, bool)>);
    let follow_to = move |x: f64, y: f64, copy: bool| {
        if board.gesture.with_untracked(|g| g.as_ref().is_none_or(|g| g.saving || g.pointer.is_none())) {
            return;
        }
        pointer.set_value(Some((x, y, copy)));
        board.pointer_at.set(Some((x, y)));
        // Most pointer moves stay within one snap step: only a new proposal redraws anything.
        let before = board.gesture.get_untracked();
        if let Some(mut gesture) = before.clone() {
            gesture.follow(&board, x, y, copy);
            if before.as_ref() != Some(&gesture) {
                board.gesture.set(Some(gesture));
            }
        }
    };
    let follow = move |ev: leptos::ev::PointerEvent| {
        follow_to(ev.client_x() as f64, ev.client_y() as f64, ev.alt_key() || ev.ctrl_key() || ev.meta_key());
    };
    // A drag held near the top or bottom edge scrolls the roster, so a shift can reach any of 2,000 workers.
    Effect::new(move |_| {
        let Ok(ticker) = set_interval_with_handle(
            move || {
                let dragging = board
                    .gesture
                    .with_untracked(|g| g.as_ref().is_some_and(|g| !g.saving && g.pointer.is_some_and(|p| p.travelled)));
                let (Some(el), Some((x, y, copy)), true) = (scroller.get_untracked(), pointer.get_value(), dragging) else {
                    return;
                };
                let area = el.get_bounding_client_rect();
                let step = if y > area.bottom() - EDGE_SCROLL_PX {
                    LANE_HEIGHT / 2.0
                } else if y < area.top() + EDGE_SCROLL_PX + HEADING_HEIGHT {
                    -LANE_HEIGHT / 2.0
                } else {
                    return;
                };
                let before = el.scroll_top();
                el.set_scroll_top(before + step as i32);
                if el.scroll_top() != before {
                    scroll_top.set(el.scroll_top() as f64);
                    follow_to(x, y, copy);
                }
            },
            std::time::Duration::from_millis(30),
        ) else {
            return;
        };
        on_cleanup(move || ticker.clear());
    });
    let drop = move |_ev: leptos::ev::PointerEvent| {
        pointer.set_value(None);
        board.pointer_at.set(None);
        if board.gesture.with_untracked(|g| g.as_ref().is_some_and(|g| g.pointer.is_some() && !g.saving)) {
            commit::commit(board);
        }
    };
    let abandon = move |_ev: leptos::ev::PointerEvent| {
        board.pointer_at.set(None);
        if board.gesture.with_untracked(|g| g.as_ref().is_some_and(|g| g.pointer.is_some() && !g.saving)) {
            board.gesture.set(None);
        }
    };

    let rows = board.rows.with_value(Vec::len);
    let zoom = move || format!("--zoom:{}", board.zoom.get());

    view! {
        <section class="calendar" class:drawer-open=move || board.selected.get().is_some() aria-label="Shifts calendar">
            <toolbar::Toolbar board week=week.clone()/>
            {week.may_publish.then(|| view! { <publish::PublishWeek board/> })}
            <div class="board-wrap">
                <div
                    class="board-scroll"
                    style=zoom
                    node_ref=scroller
                    on:scroll=move |_| {
                        if let Some(el) = scroller.get_untracked() {
                            scroll_top.set(el.scroll_top() as f64);
                        }
                    }
                >
                    <div class="board-head">
                        <div class="row-head">{format!("{} · {}", week.location.name, week.location.time_zone)}</div>
                        <div class="ticks" node_ref=ticks>{columns::ticks(board)}</div>
                    </div>
                    <div
                        class="board-body"
                        role="grid"
                        aria-rowcount=rows
                        aria-label=format!("Shifts at {}", week.location.name)
                        style=move || format!("height:{:.0}px", board.stack.with(|s| s.height()))
                        on:pointermove=follow
                        on:pointerup=drop
                        on:pointercancel=abandon
                    >
                        {columns::columns(board)}
                        <For
                            each=move || in_view.get()
                            key=|(position, line)| (*position, line.clone())
                            children=move |(position, line)| match line {
                                mosaic::planning::roster::Line::Worker(index) => view! { <row::Row board judged index position/> }.into_any(),
                                mosaic::planning::roster::Line::Heading(text) => view! {
                                    <div class="board-heading" role="row" style=move || format!("top:{}px", board.stack.with(|s| s.top(position)))>
                                        <span role="rowheader">{text}</span>
                                    </div>
                                }.into_any(),
                            }
                        />
                        <ghost::Ghost board judged/>
                    </div>
                    <ghost::DragTip board judged/>
                </div>
                <Show when=move || rows == 0>
                    <p class="empty">"Nobody is employed or scheduled here this week."</p>
                </Show>
            </div>
            {week.pay.clone().map(|pay| view! { <cost::LaborCost board pay monday=week.week_start/> })}
            <panel::EditPanel board/>
            <notice::NoticeToast board/>
            <p id="board-keys" class="keys">
                "Keyboard: Tab to a shift; ←/→ move it by the snap step, Page Up/Down by a day, ↑/↓ to the next worker; "
                "Shift+←/→ stretch the end, Alt+←/→ the start; Enter saves, Escape cancels."
            </p>
            <p class="visually-hidden" role="status" aria-live="polite">{move || board.announcement.get()}</p>
            <super::conflicts::ConflictList board/>
        </section>
    }
    .into_any()
}
