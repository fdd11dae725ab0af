//! Times as people at a location read them.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

/// `07:30` in the location's zone.
pub fn clock(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%H:%M").to_string()
}

/// The local calendar day an instant falls on.
pub fn local_day(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// `Mon 2 Mar`.
pub fn day_heading(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

/// `Monday`.
pub fn weekday_name(day: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match day {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}

/// "1 worker", "3 workers": a count with its noun, plural unless one.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub fn hours(h: f64) -> String {
    // An empty f64 sum is -0.0, which would print as "-0.0 h"; adding zero makes it plain zero.
    format!("{:.1} h", h + 0.0)
}

/// Every IANA zone as the options of a select, with `chosen` selected: the one list the sign-up and
/// location forms offer, so a zone they send is always one the calendar knows.
pub fn zone_options(chosen: &str) -> impl leptos::IntoView {
    use leptos::prelude::*;
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| {
            let name = zone.name();
            view! { <option value=name selected=name == chosen>{name}</option> }
        })
        .collect_view()
}

/// A stretch of time as days or hours: `Wed 4 Mar`, `Wed 4 Mar 09:00–13:00`, `Wed 4 Mar 22:00 – Thu 5 Mar 06:00`.
pub fn time_off_span_of(during: &mosaic::interval::Interval, tz: Tz) -> String {
    let end = during.end.unwrap_or(during.start);
    let (first, last) = (local_day(during.start, tz), local_day(end - chrono::Duration::nanoseconds(1), tz));
    let midnight = |t: DateTime<Utc>| clock(t, tz) == "00:00";
    if midnight(during.start) && midnight(end) {
        return if first == last { day_heading(first) } else { format!("{} – {}", day_heading(first), day_heading(last)) };
    }
    if first == local_day(end, tz) {
        format!("{} {}–{}", day_heading(first), clock(during.start, tz), clock(end, tz))
    } else {
        let at = |t: DateTime<Utc>| format!("{} {}", day_heading(local_day(t, tz)), clock(t, tz));
        format!("{} – {}", at(during.start), at(end))
    }
}

/// When a request for time off is for: `Wed 4 Mar`, `Wed 4 Mar – Fri 6 Mar`, or `Wed 4 Mar 09:00–13:00`.
pub fn time_off_span(request: &mosaic::views::time_off::TimeOffView, tz: Tz) -> String {
    if request.whole_days {
        if request.first_day == request.last_day {
            day_heading(request.first_day)
        } else {
            format!("{} – {}", day_heading(request.first_day), day_heading(request.last_day))
        }
    } else {
        let end = request.during.end.unwrap_or(request.during.start);
        if request.first_day == request.last_day {
            format!("{} {}–{}", day_heading(request.first_day), clock(request.during.start, tz), clock(end, tz))
        } else {
            let at = |t: DateTime<Utc>| format!("{} {}", day_heading(local_day(t, tz)), clock(t, tz));
            format!("{} – {}", at(request.during.start), at(end))
        }
    }
}

/// When and where an open shift is, in its location's time: `Wed 4 Mar 09:00–17:00 · Main street`.
pub fn open_shift_when(open: &mosaic::views::open_shifts::OpenShiftView) -> String {
    format!("{} · {}", time_off_span_of(&open.during, zone(&open.location_time_zone)), open.location_name)
}

/// How many places of an open shift are left: `1 of 3 places left`, `Every place taken`.
pub fn places_left(open: &mosaic::views::open_shifts::OpenShiftView) -> String {
    match (open.places - open.taken, open.places) {
        (left, _) if left <= 0 => "Every place taken".into(),
        (1, 1) => "1 place".into(),
        (left, places) if left == places => format!("{places} places"),
        (left, places) => format!("{left} of {places} places left"),
    }
}

/// A claim's standing as its worker and a manager read it.
pub fn claim_label(status: mosaic::open_shifts::ClaimStatus) -> &'static str {
    use mosaic::open_shifts::ClaimStatus;
    match status {
        ClaimStatus::Waiting => "Waiting",
        ClaimStatus::Approved => "Yours",
        ClaimStatus::Declined => "Declined",
        ClaimStatus::Withdrawn => "Withdrawn",
        ClaimStatus::Filled => "Taken by someone else",
        ClaimStatus::Closed => "No longer offered",
    }
}
