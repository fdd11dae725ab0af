use crate::format::day_heading;
use chrono::Duration;
use leptos::prelude::*;
use mosaic::ids::EntityId;
use mosaic::views::{LocationView, WeekView};

/// Location and week choice; plain links and a GET form, so they work before the WASM has loaded.
#[component]
pub fn Pickers(week: WeekView) -> impl IntoView {
    let location = week.location.id.to_string();
    let link = {
        let location = location.clone();
        move |monday: chrono::NaiveDate| format!("/?location={location}&week={monday}")
    };
    let previous = link(week.week_start - Duration::days(7));
    let next = link(week.week_start + Duration::days(7));
    let options = location_options(&week.locations, week.location.id);
    let positions = week
        .positions
        .iter()
        .filter(|p| p.retired_from.is_none())
        .map(|p| view! { <span class="shift position" style=format!("border-left:6px solid {}", p.colour)>{p.name.clone()}</span> })
        .collect_view();
    view! {
        <div class="pickers">
            <form method="get" action="/" class="pick-form">
                <label>
                    "Location "
                    <select name="location">{options}</select>
                </label>
                <label>
                    "Week of "
                    <input type="date" name="week" value=week.week_start.to_string()/>
                </label>
                <button type="submit">"Show"</button>
            </form>
            <nav class="week-nav" aria-label="Other weeks">
                <a href=previous rel="prev">"← Previous week"</a>
                <strong class="week-title">{format!("Week of {}", day_heading(week.week_start))}</strong>
                <a href=next rel="next">"Next week →"</a>
            </nav>
            <p class="legend">
                <span class="shift draft">"draft"</span>
                <span class="shift active">"published"</span>
                <span class="mark hard">"⚠ hard conflict"</span>
                <span class="mark warning">"! warning"</span>
                {positions}
            </p>
        </div>
    }
}

/// A location picker's options, each with its zone, the one shown chosen.
pub(crate) fn location_options(locations: &[LocationView], shown: EntityId) -> impl IntoView {
    locations
        .iter()
        .map(|l| {
            let selected = l.id == shown;
            view! { <option value=l.id.to_string() selected=selected>{format!("{} ({})", l.name, l.time_zone)}</option> }
        })
        .collect_view()
}
