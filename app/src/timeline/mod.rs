//! `/me`: a worker's own shifts on a phone — today first, then the coming weeks, each shift with where,
//! when (in the location's time), breaks, colleagues and hours, and a mark on what changed since the
//! last look. Rendered on the server, so it shows before the WASM loads.

mod availability;
mod clock;
mod offers;
mod open_shifts;
mod shift_card;
pub(crate) mod time_off;

use crate::format::{day_heading, hours, local_day, zone};
use crate::live::LiveStatus;
use leptos::prelude::*;
use mosaic::views::{ChangeView, TimelineShiftView, TimelineView};

/// The signed-in worker's timeline. Opening the page counts as having looked; reading it again because
/// a change arrived while it is open does not (`opened` false), so that change stays marked.
#[server(prefix = "/rpc")]
pub async fn load_my_timeline(opened: bool) -> Result<TimelineView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::timeline::for_caller(&pool, &caller, chrono::Utc::now(), opened).await.map_err(crate::auth::shown)
}

/// What reached the open timeline: the live state, the last change in words, and a published schedule.
#[derive(Clone, Copy)]
struct Arrivals {
    live: RwSignal<LiveStatus>,
    activity: RwSignal<Option<String>>,
    published: RwSignal<Option<String>>,
    /// Bumped by each change to a shift: the timeline is read again.
    reads: RwSignal<u32>,
    /// Bumped by each change to one of the worker's requests: those are read again.
    requests: RwSignal<u32>,
    /// Bumped by each change to the worker's availability.
    availability: RwSignal<u32>,
    /// Bumped by each change to an open shift or one of the worker's claims.
    open_shifts: RwSignal<u32>,
    /// Bumped by each change to an offer of a shift the worker is in.
    offers: RwSignal<u32>,
}

#[component]
pub fn TimelinePage() -> impl IntoView {
    let arrivals = Arrivals {
        live: RwSignal::new(LiveStatus::Connecting),
        activity: RwSignal::new(None),
        published: RwSignal::new(None),
        reads: RwSignal::new(0),
        requests: RwSignal::new(0),
        availability: RwSignal::new(0),
        open_shifts: RwSignal::new(0),
        offers: RwSignal::new(0),
    };
    let timeline = Resource::new(move || arrivals.reads.get(), |reads| load_my_timeline(reads == 0));
    view! {
        // A Transition keeps the shifts on screen while a change is read in.
        <Transition fallback=|| view! { <p class="loading">"Loading your shifts…"</p> }>
            {move || Suspend::new(async move {
                match timeline.await {
                    Ok(timeline) => view! { <Timeline timeline arrivals/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A change to one of the worker's shifts or requests: say what happened, and read it again.
fn arrived(arrivals: Arrivals, tz: chrono_tz::Tz, change: ChangeView) {
    use mosaic::change_kind::{ChangeKind, StreamType};
    let when = crate::format::clock(change.recorded_at, tz);
    if matches!(change.stream(), Some(StreamType::Availability | StreamType::AvailabilityException)) {
        arrivals.availability.update(|n| *n += 1);
        return;
    }
    if change.stream() == Some(StreamType::ShiftOffer) {
        let by = |key: &str| change.payload["after"][key].as_str().unwrap_or("A colleague").to_string();
        let said = match change.kind() {
            Some(ChangeKind::ShiftOfferMade) => format!("{} offered a shift at {when}.", by("from_worker_name")),
            Some(ChangeKind::ShiftOfferAccepted) => format!("{} took up an offer at {when}.", by("to_worker_name")),
            Some(ChangeKind::ShiftOfferApproved) => format!("{} approved a swap at {when}.", change.actor),
            Some(ChangeKind::ShiftOfferDeclined) => format!("{} declined a swap at {when}.", change.actor),
            _ => format!("An offer changed at {when}."),
        };
        arrivals.activity.set(Some(said));
        arrivals.offers.update(|n| *n += 1);
        return;
    }
    if matches!(change.stream(), Some(StreamType::OpenShift | StreamType::ShiftClaim)) {
        let said = match change.kind() {
            Some(ChangeKind::ShiftClaimApproved) => Some(format!("{} gave you an open shift at {when}.", change.actor)),
            Some(ChangeKind::ShiftClaimDeclined) => Some(format!("{} declined your claim at {when}.", change.actor)),
            Some(ChangeKind::ShiftClaimClosed) => Some(format!("An open shift you claimed went to someone else at {when}.")),
            Some(ChangeKind::OpenShiftOffered | ChangeKind::OpenShiftPublished) => {
                Some(format!("{} offered an open shift at {when}.", change.actor))
            }
            _ => None,
        };
        if let Some(said) = said {
            arrivals.activity.set(Some(said));
        }
        arrivals.open_shifts.update(|n| *n += 1);
        return;
    }
    let said = match change.kind() {
        Some(ChangeKind::TimeOffApproved) => Some(format!("{} approved your time off at {when}.", change.actor)),
        Some(ChangeKind::TimeOffDeclined) => Some(format!("{} declined your time off at {when}.", change.actor)),
        Some(ChangeKind::TimeOffCancelled) => Some(format!("A request of yours was withdrawn at {when}.")),
        Some(ChangeKind::TimeOffRequested) => Some(format!("A request of yours was made at {when}.")),
        _ => None,
    };
    if let Some(said) = said {
        arrivals.activity.set(Some(said));
        arrivals.requests.update(|n| *n += 1);
        return;
    }
    if change.kind() == Some(ChangeKind::ShiftPublished) {
        arrivals.published.set(Some(format!("{} published your schedule at {when}.", change.actor)));
    } else {
        arrivals.activity.set(Some(format!("{} changed one of your shifts at {when}.", change.actor)));
    }
    arrivals.reads.update(|n| *n += 1);
}

#[component]
fn Timeline(timeline: TimelineView, arrivals: Arrivals) -> impl IntoView {
    let tz = zone(&timeline.time_zone);
    let time_zone = timeline.time_zone.clone();
    crate::live::follow(
        timeline.cursor.clone(),
        arrivals.live,
        move |change| arrived(arrivals, tz, change),
        move || arrivals.reads.update(|n| *n += 1),
    );
    let today = timeline.today;
    let colleagues = RwSignal::new(Vec::new());
    let changed = timeline.shifts.iter().filter(|s| s.changed).count();
    let days = group_by_day(timeline.shifts);
    let upcoming = if days.is_empty() {
        view! { <p class="empty">"No published shifts in the coming weeks."</p> }.into_any()
    } else {
        days.into_iter()
            .map(|(day, shifts)| {
                let heading = match (day - today).num_days() {
                    0 => format!("Today · {}", day_heading(day)),
                    1 => format!("Tomorrow · {}", day_heading(day)),
                    _ => day_heading(day),
                };
                let label = heading.clone();
                view! {
                    <section class="day" aria-label=label>
                        <h2>{heading}</h2>
                        {shifts.into_iter().map(|shift| {
                            let offering = (shift.shift.status == mosaic::kinds::EventStatus::Active && day > today)
                                .then_some((colleagues, arrivals.offers));
                            view! { <shift_card::ShiftCard shift offering/> }
                        }).collect_view()}
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    let past = timeline
        .past_weeks
        .into_iter()
        .map(|w| {
            view! {
                <tr>
                    <th scope="row">{format!("Week of {}", day_heading(w.week_start))}</th>
                    <td>{w.shifts}</td>
                    <td>{hours(w.hours.net)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="timeline" aria-label="Your shifts">
            <header class="timeline-head">
                <h1>{format!("{}'s shifts", timeline.worker_name)}</h1>
                <p class="this-week">
                    "This week: " <strong>{hours(timeline.this_week.net)}</strong> " paid"
                </p>
                <crate::live::LiveBadge status=arrivals.live activity=arrivals.activity/>
                {move || arrivals.published.get().map(|said| view! {
                    <p class="published-note" role="status">{said}</p>
                })}
                {(changed > 0).then(|| view! {
                    <p class="changes-note" role="status">
                        {if changed == 1 { "1 shift changed since you last looked.".to_string() } else { format!("{changed} shifts changed since you last looked.") }}
                    </p>
                })}
            </header>
            <clock::ClockPanel time_zone/>
            {upcoming}
            <open_shifts::OpenShiftsPanel reads=arrivals.open_shifts/>
            <offers::OffersPanel reads=arrivals.offers colleagues/>
            <time_off::TimeOffPanel reads=arrivals.requests/>
            <availability::AvailabilityPanel reads=arrivals.availability/>
            <section class="past-weeks" aria-label="Past weeks">
                <h2>"Past weeks"</h2>
                <table>
                    <thead><tr><th scope="col">"Week"</th><th scope="col">"Shifts"</th><th scope="col">"Paid hours"</th></tr></thead>
                    <tbody>{past}</tbody>
                </table>
            </section>
            <p class="subscribe"><a href="/account#calendar">"Add your shifts to your phone's calendar"</a></p>
        </section>
    }
}

/// Shifts by the day they start on, in their location's time, in order.
fn group_by_day(shifts: Vec<TimelineShiftView>) -> Vec<(chrono::NaiveDate, Vec<TimelineShiftView>)> {
    let mut days: Vec<(chrono::NaiveDate, Vec<TimelineShiftView>)> = Vec::new();
    for shift in shifts {
        let day = local_day(shift.shift.during.start, zone(&shift.time_zone));
        match days.last_mut() {
            Some((last, group)) if *last == day => group.push(shift),
            _ => days.push((day, vec![shift])),
        }
    }
    days
}
