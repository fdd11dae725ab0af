//! Publishing the week from the calendar (managers and administrators): every draft shift of the
//! location's draft schedule becomes active in one transaction — or, while a hard conflict remains,
//! nothing does and the calendar lists what blocks it. Workers learn of it on their timelines live. A
//! draft nobody will publish can be withdrawn instead: it and its draft shifts are cancelled.

use super::state::Board;
use crate::format::day_heading;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use mosaic::ids::EventId;
use mosaic::kinds::ScheduleStatus;
use mosaic::rules::Conflict;
use mosaic::views::ScheduleView;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Publication {
    Published(ScheduleView),
    /// Hard conflicts among the drafts: nothing was published.
    Blocked {
        reason: String,
        conflicts: Vec<Conflict>,
    },
    /// Withdrawn: the schedule and its draft shifts are cancelled.
    Withdrawn(ScheduleView),
    /// Refused for another reason (someone changed the schedule first, it is archived, the role).
    Refused {
        reason: String,
    },
}

#[server(prefix = "/rpc", endpoint = "withdraw_schedule", input = Json)]
pub async fn withdraw_schedule(id: EventId, expected_version: i32) -> Result<Publication, ServerFnError> {
    use mosaic::store::DomainError;
    let (caller, pool) = crate::auth::signed_in()?;
    match mosaic::services::schedule_withdrawal::withdraw(&pool, &caller, id, expected_version).await {
        Ok(schedule) => Ok(Publication::Withdrawn(schedule)),
        Err(DomainError::Database(e)) => Err(crate::auth::shown(DomainError::Database(e))),
        Err(refusal) => Ok(Publication::Refused { reason: refusal.to_string() }),
    }
}

#[server(prefix = "/rpc", endpoint = "publish_schedule", input = Json)]
pub async fn publish_schedule(id: EventId, expected_version: i32) -> Result<Publication, ServerFnError> {
    use mosaic::store::DomainError;
    let (caller, pool) = crate::auth::signed_in()?;
    match mosaic::services::schedules::publish(&pool, &caller, id, expected_version).await {
        Ok(schedule) => Ok(Publication::Published(schedule)),
        Err(DomainError::RuleViolation { message, conflicts }) => Ok(Publication::Blocked { reason: message, conflicts }),
        Err(DomainError::Database(e)) => Err(crate::auth::shown(DomainError::Database(e))),
        Err(refusal) => Ok(Publication::Refused { reason: refusal.to_string() }),
    }
}

/// A "Publish" button for each draft schedule of the week, and what came of the last press.
#[component]
pub fn PublishWeek(board: Board) -> impl IntoView {
    let schedules = board.schedules;
    let busy = RwSignal::new(false);
    let answer = RwSignal::new(None::<Publication>);
    let tz = board.axis.tz;
    // Withdrawing cancels every draft of the week: the first press asks, the second does it.
    let confirming = RwSignal::new(None::<EventId>);
    let settle = move |publication: Publication| {
        if let Publication::Published(done) | Publication::Withdrawn(done) = &publication {
            schedules.update(|all| {
                all.iter_mut().filter(|s| s.id == done.id && s.version < done.version).for_each(|s| *s = done.clone())
            });
        }
        answer.set(Some(publication));
    };
    let publish = move |schedule: ScheduleView| {
        busy.set(true);
        confirming.set(None);
        leptos::task::spawn_local(async move {
            let result = publish_schedule(schedule.id, schedule.version).await;
            busy.set(false);
            settle(result.unwrap_or_else(|e| Publication::Refused { reason: e.to_string() }));
        });
    };
    let withdraw = move |schedule: ScheduleView| {
        busy.set(true);
        confirming.set(None);
        leptos::task::spawn_local(async move {
            let result = withdraw_schedule(schedule.id, schedule.version).await;
            busy.set(false);
            settle(result.unwrap_or_else(|e| Publication::Refused { reason: e.to_string() }));
        });
    };
    let period = move |s: &ScheduleView| {
        let first = crate::format::local_day(s.period.start, tz);
        let last = s.period.end.map(|e| crate::format::local_day(e - chrono::Duration::seconds(1), tz)).unwrap_or(first);
        format!("{} – {}", day_heading(first), day_heading(last))
    };
    let buttons = move || {
        schedules
            .get()
            .into_iter()
            .filter(|s| s.status == ScheduleStatus::Draft)
            .map(|s| {
                let label = format!("Publish {}", period(&s));
                let id = s.id;
                let (for_publish, for_withdraw) = (s.clone(), s.clone());
                view! {
                    <button type="button" class="publish" disabled=move || busy.get() on:click=move |_| publish(for_publish.clone())>
                        {label}
                    </button>
                    {move || if confirming.get() == Some(id) {
                        let s = for_withdraw.clone();
                        view! {
                            <span class="confirm-withdraw" role="group" aria-label="Withdraw this draft?">
                                "Cancel every draft shift of this week?"
                                <button type="button" class="withdraw danger" disabled=move || busy.get()
                                    on:click=move |_| withdraw(s.clone())>"Yes, withdraw the draft"</button>
                                <button type="button" on:click=move |_| confirming.set(None)>"Keep it"</button>
                            </span>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="withdraw" disabled=move || busy.get()
                                on:click=move |_| confirming.set(Some(id))>"Withdraw draft"</button>
                        }.into_any()
                    }}
                }
            })
            .collect_view()
    };
    let name_of = move |conflict: &Conflict| {
        board.rows.with_value(|rows| {
            rows.iter().find_map(|r| r.with_untracked(|r| (r.worker.id == conflict.worker).then(|| r.worker.name.clone())))
        })
    };
    view! {
        <div class="publishing">
            {buttons}
            {move || answer.get().map(|publication| match publication {
                Publication::Published(schedule) => view! {
                    <p class="notice saved" role="status">
                        {format!("Published {}: its shifts are active, and their workers see them.", period(&schedule))}
                    </p>
                }.into_any(),
                Publication::Blocked { reason, conflicts } => view! {
                    <div class="notice refused publish-blocked" role="alert">
                        <p>{format!("Not published: {reason}")}</p>
                        <ul>
                            {conflicts.iter().map(|c| {
                                let who = name_of(c).unwrap_or_else(|| "A worker".into());
                                view! { <li>{format!("{who}: {}", c.message)}</li> }
                            }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
                Publication::Withdrawn(schedule) => view! {
                    <p class="notice saved" role="status">
                        {format!("Withdrew the draft for {}: its draft shifts are cancelled.", period(&schedule))}
                    </p>
                }.into_any(),
                Publication::Refused { reason } => view! {
                    <p class="notice refused" role="alert">{format!("Not published: {reason}")}</p>
                }.into_any(),
            })}
        </div>
    }
}
