//! The scheduler's page: one location's week (or one day of it) as an interactive calendar, in the
//! location's local time.

pub(crate) mod board;
mod conflicts;
mod copy;
mod first_location;
pub(crate) mod open_shifts;
pub(crate) mod pickers;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use mosaic::views::WeekView;
use serde::{Deserialize, Serialize};

/// What the scheduler's page shows: a location's week, or — in an organisation that has no location
/// yet — the form that adds its first one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum WeekPageView {
    Week(Box<WeekView>),
    NoLocationYet { time_zone: String, may_add: bool },
}

/// Loads one location's week. Both arguments come from the page's query string and may be missing or
/// malformed, which gets a clear message rather than a failure.
#[server(prefix = "/rpc")]
pub async fn load_week(location: Option<String>, week: Option<String>) -> Result<WeekPageView, ServerFnError> {
    use mosaic::services::{calendar, locations, organisations};
    let (caller, pool) = crate::auth::signed_in()?;
    let (location, day) = location_and_day(location, week)?;
    if location.is_none() && locations::list(&pool, &caller).await.map_err(crate::auth::shown)?.is_empty() {
        let organisation = organisations::settings(&pool, &caller).await.map_err(crate::auth::shown)?;
        let may_add = caller.access.role.allows(mosaic::access::Action::ManagePeople);
        return Ok(WeekPageView::NoLocationYet { time_zone: organisation.time_zone, may_add });
    }
    let week = calendar::location_week(&pool, &caller, location, day).await.map_err(crate::auth::shown)?;
    Ok(WeekPageView::Week(Box::new(week)))
}

/// A week page's `location` and `week` query parameters, either of which may be missing or malformed.
#[cfg(feature = "ssr")]
pub(crate) fn location_and_day(
    location: Option<String>,
    week: Option<String>,
) -> Result<(Option<mosaic::ids::EntityId>, Option<chrono::NaiveDate>), ServerFnError> {
    let location = match location.filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse().map_err(|_| ServerFnError::new("location: not a location id"))?),
        None => None,
    };
    let day = match week.filter(|s| !s.is_empty()) {
        Some(s) => Some(
            chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|_| ServerFnError::new("week: use a date like 2026-03-02"))?,
        ),
        None => None,
    };
    Ok((location, day))
}

#[component]
pub fn WeekPage() -> impl IntoView {
    let query = use_query_map();
    let copy = ServerAction::<copy::CopyPreviousWeek>::new();
    // A finished copy reloads the week, so the new drafts show.
    let week = Resource::new(
        move || {
            let q = query.read();
            (q.get("location"), q.get("day").or_else(|| q.get("week")), copy.version().get())
        },
        |(location, week, _)| load_week(location, week),
    );
    let whole_day = move || query.read().get("hours").as_deref() == Some("all");
    let day = move || query.read().get("day").and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the week…"</p> }>
            {move || Suspend::new(async move {
                match week.await {
                    Ok(WeekPageView::NoLocationYet { time_zone, may_add }) => {
                        view! { <first_location::FirstLocation time_zone may_add/> }.into_any()
                    }
                    Ok(WeekPageView::Week(week)) => {
                        let week = *week;
                        let scale = match day().map(|d| (d - week.week_start).num_days()) {
                            Some(index @ 0..=6) if whole_day() => board::scale::Scale::day(index, 0, 24 * 60),
                            Some(index @ 0..=6) => {
                                let axis = mosaic::planning::Axis::new(week.week_start, 7, crate::format::zone(&week.location.time_zone));
                                let spans = week.rows.iter().flat_map(|r| r.shifts.iter()).map(|s| {
                                    let from = axis.minute_of(s.during.start);
                                    (from, s.during.end.map(|e| axis.minute_of(e)).unwrap_or(from + 60))
                                });
                                let (from, to) = mosaic::planning::business_hours(index, spans);
                                board::scale::Scale::day(index, from, to)
                            }
                            _ => board::scale::Scale::week(),
                        };
                        view! { <WeekScreen week copy scale/> }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WeekScreen(week: WeekView, copy: ServerAction<copy::CopyPreviousWeek>, scale: board::scale::Scale) -> impl IntoView {
    let open_shift_reads = RwSignal::new(0u32);
    view! {
        <section class="week" aria-label="Week calendar">
            <pickers::Pickers week=week.clone()/>
            <copy::CopyPreviousWeek week=week.clone() action=copy/>
            <board::Calendar week=week.clone() scale open_shift_reads/>
            <open_shifts::WeekOpenShifts week=week.clone() reads=open_shift_reads/>
            <WeekFiles week/>
        </section>
    }
    .into_any()
}

/// The week as a file to download, and shifts brought in from one; imported drafts reach the board by
/// the change stream like anyone else's.
#[component]
fn WeekFiles(week: WeekView) -> impl IntoView {
    let export = format!("/api/v1/exports/week.csv?location_id={}&week={}", week.location.id, week.week_start);
    view! {
        <div class="week-files">
            <p class="export">
                <a href=export download="">{format!("Download this week at {} as CSV", week.location.name)}</a>
                " — the columns a shifts file is imported from."
            </p>
            <crate::file_import::ImportFile importing=crate::file_import::SHIFTS on_done=|| ()/>
        </div>
    }
}
