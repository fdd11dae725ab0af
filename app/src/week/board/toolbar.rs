//! Above the calendar: find and sort workers, the snap step, week or day, the hours and the zoom, Undo.

use super::commit::undo;
use super::state::Board;
use leptos::prelude::*;
use mosaic::planning::roster::{GroupBy, SortBy};
use mosaic::views::WeekView;

#[component]
pub fn Toolbar(board: Board, week: WeekView) -> impl IntoView {
    let location = week.location.id;
    let days = (0..7)
        .map(|d| {
            let day = week.week_start + chrono::Duration::days(d);
            let current = board.scale.is_day() && board.scale.day_index() == d;
            view! {
                <a href=format!("/?location={location}&week={}&day={day}", week.week_start) class:current=current aria-current=current.then_some("page")>
                    {day.format("%a").to_string()}
                </a>
            }
        })
        .collect_view();
    let whole_week = format!("/?location={location}&week={}", week.week_start);
    let span = board.scale.is_day().then(|| {
        let day = week.week_start + chrono::Duration::days(board.scale.day_index());
        let here = format!("/?location={location}&week={}&day={day}", week.week_start);
        let whole = board.scale.whole_day();
        view! {
            <nav class="zoom" aria-label="Hours shown">
                <a href=here.clone() class:current=!whole aria-current=(!whole).then_some("page")>"Business hours"</a>
                <a href=format!("{here}&hours=all") class:current=whole aria-current=whole.then_some("page")>"Full day"</a>
            </nav>
        }
    });
    let zooms = super::scale::ZOOMS
        .iter()
        .map(|&factor| {
            let text = if factor == 1.0 { "Fit".to_string() } else { format!("{factor}×") };
            let label = if factor == 1.0 { "Fit to the window".to_string() } else { format!("{factor} times wider") };
            view! {
                <button
                    type="button"
                    aria-pressed=move || (board.zoom.get() == factor).to_string()
                    aria-label=label
                    on:click=move |_| board.zoom.set(factor)
                >
                    {text}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="toolbar">
            <label>
                "Find "
                <input
                    type="search"
                    name="find-worker"
                    placeholder="Worker name"
                    prop:value=move || board.filter.get()
                    on:input=move |ev| board.filter.set(event_target_value(&ev))
                />
            </label>
            <label>
                "Sort "
                <select on:change=move |ev| {
                    board.sort.set(if event_target_value(&ev) == "hours" { SortBy::HoursDescending } else { SortBy::Name })
                }>
                    <option value="name">"by name"</option>
                    <option value="hours">"by week hours"</option>
                </select>
            </label>
            <label>
                "Group "
                <select name="group" on:change=move |ev| {
                    board.group.set(if event_target_value(&ev) == "position" { GroupBy::Position } else { GroupBy::Nothing })
                }>
                    <option value="">"none"</option>
                    <option value="position">"by position"</option>
                </select>
            </label>
            {board.positions.with_value(|all| (!all.is_empty()).then(|| {
                let options = all.iter().map(|p| view! { <option value=p.id.to_string()>{p.name.clone()}</option> }).collect_view();
                view! {
                    <label>
                        "Position "
                        <select name="position-filter" on:change=move |ev| board.position_filter.set(event_target_value(&ev).parse().ok())>
                            <option value="">"all"</option>
                            {options}
                        </select>
                    </label>
                }
            }))}
            <label>
                "Snap "
                <select on:change=move |ev| board.snap.set(event_target_value(&ev).parse().unwrap_or(15))>
                    <option value="5">"5 min"</option>
                    <option value="15" selected>"15 min"</option>
                    <option value="30">"30 min"</option>
                    <option value="60">"1 hour"</option>
                </select>
            </label>
            <label>
                "Draw "
                <select name="template" on:change=move |ev| board.template.set(event_target_value(&ev).parse().ok())>
                    <option value="">"a free span"</option>
                    {board.templates.with_value(|ts| ts.iter().map(|t| {
                        let text = format!("{} {}–{}", t.name, t.start.format("%H:%M"), t.end.format("%H:%M"));
                        view! { <option value=t.id.to_string()>{text}</option> }
                    }).collect_view())}
                </select>
            </label>
            <nav class="zoom" aria-label="Week or day">
                <a href=whole_week class:current=!board.scale.is_day() aria-current=(!board.scale.is_day()).then_some("page")>"Week"</a>
                {days}
            </nav>
            {span}
            <div class="zoom-steps" role="group" aria-label="Zoom">{zooms}</div>
            <button
                type="button"
                class="undo"
                disabled=move || board.undoable.with(Vec::is_empty)
                on:click=move |_| undo(board)
            >
                "Undo"
            </button>
            <crate::live::LiveBadge status=board.live activity=board.activity/>
        </div>
    }
    .into_any()
}
