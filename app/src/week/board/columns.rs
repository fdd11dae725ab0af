//! The calendar's time axis: the heading over the track (days, or hours), and behind the rows the day
//! or hour columns with weekends shaded, today marked and a line at the present moment.

use super::state::Board;
use crate::format::day_heading;
use chrono::{Datelike, Utc, Weekday};
use leptos::prelude::*;

/// Hour labels stay at least this far apart; on a narrow track only every second or third is written.
const MIN_HOUR_LABEL_PX: f64 = 44.0;

fn today(board: &Board) -> chrono::NaiveDate {
    Utc::now().with_timezone(&board.axis.tz).date_naive()
}

fn weekend(day: chrono::NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The heading over the track: the week's days (each a link to that day), or the day's hours.
pub fn ticks(board: Board) -> impl IntoView {
    let scale = board.scale;
    if scale.is_day() {
        let first_hour = (scale.from - scale.day_index() * 24 * 60).div_euclid(60);
        let hours = scale.minutes.div_euclid(60);
        let every = move || {
            let px_per_hour = board.track_px.get() * 60.0 / scale.minutes as f64;
            (MIN_HOUR_LABEL_PX / px_per_hour.max(1.0)).ceil().max(1.0) as i64
        };
        return (move || {
            let every = every();
            (0..=hours)
                .filter(|h| (first_hour + h) % every == 0 && *h < hours)
                .map(|h| {
                    let at = scale.percent(scale.from + h * 60);
                    view! { <span class="tick" style=format!("left:{at:.3}%")>{format!("{:02}:00", first_hour + h)}</span> }
                })
                .collect_view()
        })
        .into_any();
    }
    let today = today(&board);
    (0..7)
        .map(|d| {
            let day = board.axis.first_day + chrono::Duration::days(d);
            let (left, width) = (scale.percent(d * 24 * 60), scale.percent((d + 1) * 24 * 60) - scale.percent(d * 24 * 60));
            let href = format!("/?location={}&week={}&day={day}", board.location, board.axis.first_day);
            view! {
                <a
                    class="tick day"
                    class:today=day == today
                    href=href
                    title=format!("{} in detail", day_heading(day))
                    style=format!("left:{left:.3}%;width:{width:.3}%")
                >
                    <span class="weekday">{day.format("%a").to_string()}</span>
                    <span class="date">{day.format(" %-d %b").to_string()}</span>
                    {(day == today).then(|| view! { <span class="visually-hidden">", today"</span> })}
                </a>
            }
        })
        .collect_view()
        .into_any()
}

/// Behind the rows: a column per day (or per hour in the day view), and the present moment.
pub fn columns(board: Board) -> impl IntoView {
    let scale = board.scale;
    let today = today(&board);
    let columns = if scale.is_day() {
        let day = board.axis.first_day + chrono::Duration::days(scale.day_index());
        let hours = scale.minutes.div_euclid(60);
        (0..hours)
            .map(|h| {
                let (left, width) = (scale.percent(scale.from + h * 60), scale.percent(60) - scale.percent(0));
                view! {
                    <div class="column" class:weekend=weekend(day) class:today=day == today style=format!("left:{left:.3}%;width:{width:.3}%")></div>
                }
            })
            .collect_view()
            .into_any()
    } else {
        (0..7)
            .map(|d| {
                let day = board.axis.first_day + chrono::Duration::days(d);
                let (left, width) = (scale.percent(d * 24 * 60), scale.percent((d + 1) * 24 * 60) - scale.percent(d * 24 * 60));
                view! {
                    <div class="column" class:weekend=weekend(day) class:today=day == today style=format!("left:{left:.3}%;width:{width:.3}%")></div>
                }
            })
            .collect_view()
            .into_any()
    };
    // The present moves on while the page is open.
    let now = RwSignal::new(Utc::now());
    Effect::new(move |_| {
        if let Ok(ticker) = set_interval_with_handle(move || now.set(Utc::now()), std::time::Duration::from_secs(30)) {
            on_cleanup(move || ticker.clear());
        }
    });
    let now_line = move || {
        let minute = board.axis.minute_of(now.get());
        scale.shows(minute, minute + 1).then(|| {
            view! { <div class="now-line" title="Now" style=format!("left:{:.3}%", scale.percent(minute))></div> }
        })
    };
    view! {
        <div class="columns" aria-hidden="true">
            {columns}
            {now_line}
        </div>
    }
}
