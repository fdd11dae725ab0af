//! Choosing what the history page shows: the location and week, and the two moments — each by a slider
//! over the organisation's change log, a date-time field in the location's zone, or a step to the
//! change just before or after.

use super::history_href;
use crate::format::day_heading;
use chrono::Duration;
use chrono_tz::Tz;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use mosaic::views::{HistoricWeekView, LogSpan, MomentView};

/// Location and week; a GET form and plain links that keep the moments chosen.
#[component]
pub fn WeekPicker(view: HistoricWeekView) -> impl IntoView {
    let query = use_query_map();
    let link = move |monday: chrono::NaiveDate| query.with_untracked(|q| history_href(q, &[("week", Some(monday.to_string()))]));
    let previous = link(view.week_start - Duration::days(7));
    let next = link(view.week_start + Duration::days(7));
    let kept = query.with_untracked(|q| {
        ["at", "at_time", "since", "since_time"]
            .into_iter()
            .filter_map(|name| q.get(name).map(|value| view! { <input type="hidden" name=name value=value/> }))
            .collect_view()
    });
    let options = crate::week::pickers::location_options(&view.locations, view.location.id);
    view! {
        <div class="pickers">
            <form method="get" action="/history" class="pick-form">
                {kept}
                <label>"Location " <select name="location">{options}</select></label>
                <label>"Week of " <input type="date" name="week" value=view.week_start.to_string()/></label>
                <button type="submit">"Show"</button>
            </form>
            <nav class="week-nav" aria-label="Other weeks">
                <a href=previous rel="prev">"← Previous week"</a>
                <strong class="week-title">{format!("Week of {}", day_heading(view.week_start))}</strong>
                <a href=next rel="next">"Next week →"</a>
            </nav>
        </div>
    }
}

/// One moment: what it is, and the ways to pick another. `field` is the query parameter it sets (`at`
/// or `since`); `other` is the other moment's position, where a new comparison starts from.
#[component]
pub fn MomentPicker(
    label: &'static str,
    field: &'static str,
    moment: Option<MomentView>,
    log: Option<LogSpan>,
    tz: Tz,
    other: Option<i64>,
) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let time_field: &'static str = if field == "at" { "at_time" } else { "since_time" };
    let href = move |changes: &[(&str, Option<String>)]| query.with_untracked(|q| history_href(q, changes));
    let to_position = move |position: i64| href(&[(field, Some(position.to_string())), (time_field, None)]);

    let description = match (&moment, field) {
        (Some(m), _) => format!(
            "After change #{}: {} by {}, {}",
            m.position,
            m.kind,
            m.actor,
            m.recorded_at.with_timezone(&tz).format("%a %-d %b %Y %H:%M:%S")
        ),
        (None, "since") => "Not comparing. Pick a second moment to see what changed between the two.".to_string(),
        (None, _) => "Before the first change: nothing was planned yet.".to_string(),
    };
    let position = moment.as_ref().map(|m| m.position).or(other).or(log.map(|l| l.last)).unwrap_or(0);
    let sliding = RwSignal::new(position);
    let slider = log.map(|log| {
        let navigate = navigate.clone();
        let go = move |ev: leptos::ev::Event| {
            if let Ok(p) = event_target_value(&ev).parse::<i64>() {
                navigate(&to_position(p), Default::default());
            }
        };
        view! {
            <input
                type="range"
                class="log-slider"
                min=log.first
                max=log.last
                step="1"
                value=position
                aria-label=format!("{label}: position in the change log")
                on:input=move |ev| {
                    if let Ok(p) = event_target_value(&ev).parse::<i64>() {
                        sliding.set(p);
                    }
                }
                on:change=go
            />
            <output class="slider-position">{move || format!("#{}", sliding.get())}</output>
        }
    });
    let local_time = moment.as_ref().map(|m| m.recorded_at.with_timezone(&tz).format("%Y-%m-%dT%H:%M:%S").to_string());
    let pick_time = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            if !value.is_empty() {
                navigate(&href(&[(field, None), (time_field, Some(value))]), Default::default());
            }
        }
    };
    let earlier = moment.as_ref().and_then(|m| m.earlier).map(|p| {
        view! { <a href=to_position(p) class="step earlier" rel="nofollow">"← Earlier change"</a> }
    });
    let later = moment.as_ref().and_then(|m| m.later).map(|p| {
        view! { <a href=to_position(p) class="step later" rel="nofollow">"Later change →"</a> }
    });
    let end = match (field, &moment) {
        ("at", Some(m)) if m.later.is_some() => {
            Some(view! { <a href=href(&[("at", None), ("at_time", None)]) class="step now">"Now"</a> }.into_any())
        }
        ("since", Some(_)) => Some(
            view! { <a href=href(&[("since", None), ("since_time", None)]) class="step clear">"Stop comparing"</a> }.into_any(),
        ),
        ("since", None) => {
            other.map(|p| view! { <a href=to_position(p) class="step compare">"Compare with the moment shown"</a> }.into_any())
        }
        _ => None,
    };
    view! {
        <fieldset class="moment-picker" data-field=field>
            <legend>{label}</legend>
            <p class="moment-description" aria-live="polite">{description}</p>
            <div class="moment-controls">
                {slider}
                <label class="moment-time">
                    "At "
                    <input
                        type="datetime-local"
                        step="1"
                        value=local_time
                        aria-label=format!("{label}: date and time")
                        on:change=pick_time
                    />
                </label>
            </div>
            <nav class="moment-steps" aria-label=format!("{label}: other moments")>{earlier} {later} {end}</nav>
        </fieldset>
    }
}
