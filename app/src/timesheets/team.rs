//! The team's week on `/timesheets`: every worker with something planned or clocked, their hours
//! against the plan and where their week stands; the weeks ready to approve can be approved together.

use crate::format::{counted, hours};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::EntityId;
use mosaic::views::time::{ApprovalOutcome, SheetStanding, TeamSheetLine, TeamWeekView};
use std::collections::BTreeSet;

#[server(prefix = "/rpc", endpoint = "approve_timesheets", input = Json)]
pub async fn approve_several(workers: Vec<EntityId>, week: chrono::NaiveDate) -> Result<Vec<ApprovalOutcome>, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::timesheets::approve_several(&pool, &caller, &workers, week, chrono::Utc::now())
        .await
        .map_err(crate::auth::shown)
}

fn standing(line: &TeamSheetLine) -> String {
    match line.standing {
        SheetStanding::NotOver => "Week not over".to_string(),
        SheetStanding::Ready => "Ready to approve".to_string(),
        SheetStanding::Blocked => format!("Blocked: {}", line.blocking.join(" ")),
        SheetStanding::Approved => match &line.approval {
            Some(a) => format!("Approved by {}", a.approved_by),
            None => "Approved".to_string(),
        },
    }
}

fn standing_class(standing: SheetStanding) -> &'static str {
    match standing {
        SheetStanding::NotOver => "standing not-over",
        SheetStanding::Ready => "standing ready",
        SheetStanding::Blocked => "standing blocked",
        SheetStanding::Approved => "standing approved",
    }
}

#[component]
pub fn TeamWeek(team: TeamWeekView, reads: RwSignal<u32>) -> impl IntoView {
    let week = team.week_start;
    let ready: Vec<EntityId> = team.lines.iter().filter(|l| l.standing == SheetStanding::Ready).map(|l| l.worker.id).collect();
    let chosen = RwSignal::new(BTreeSet::<EntityId>::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<Vec<ApprovalOutcome>, String>>);
    let all_ready = StoredValue::new(ready.clone());
    let every_chosen = move || {
        let count = chosen.with(BTreeSet::len);
        count > 0 && all_ready.with_value(|r| count == r.len())
    };
    let rows = team
        .lines
        .iter()
        .map(|line| {
            let id = line.worker.id;
            let may_approve = line.standing == SheetStanding::Ready;
            let name = line.worker.name.clone();
            let t = &line.totals;
            view! {
                <tr data-worker-id=id.to_string()>
                    <td class="pick">
                        {may_approve.then(|| view! {
                            <input
                                type="checkbox"
                                aria-label=format!("Approve {name}'s week")
                                prop:checked=move || chosen.with(|c| c.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                                }
                            />
                        })}
                    </td>
                    <th scope="row"><a href=format!("/timesheets?worker={id}&week={week}")>{line.worker.name.clone()}</a></th>
                    <td class="scheduled">{hours(t.scheduled_hours)}</td>
                    <td class="clocked">{hours(t.clocked_hours)}</td>
                    <td class="overtime">{hours(t.overtime_hours)}</td>
                    <td class="missed">{t.missed_shifts}</td>
                    <td class=standing_class(line.standing)>{standing(line)}</td>
                </tr>
            }
        })
        .collect_view();
    let approve = move |_| {
        let workers: Vec<EntityId> = chosen.get_untracked().into_iter().collect();
        if workers.is_empty() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result =
                approve_several(workers, week).await.map_err(|e| e.to_string().replace("error running server function: ", ""));
            busy.set(false);
            chosen.set(BTreeSet::new());
            outcome.set(Some(result));
            reads.update(|n| *n += 1);
        });
    };
    let said = move || {
        outcome.get().map(|result| match result {
            Ok(outcomes) => {
                let approved = outcomes.iter().filter(|o| o.approved).count();
                let refused: Vec<String> =
                    outcomes.iter().filter_map(|o| o.refused.as_ref().map(|why| format!("{}: {why}", o.worker_name))).collect();
                view! {
                    <div class="approvals" role="status">
                        <p>{format!("Approved {}.", counted(approved, "week"))}</p>
                        {(!refused.is_empty()).then(|| view! {
                            <ul class="refused">{refused.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                        })}
                    </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="notice refused" role="alert">{e}</p> }.into_any(),
        })
    };
    let empty = team.lines.is_empty();
    let ready_count = ready.len();
    view! {
        <section class="team-week" aria-label="Team week">
            {empty.then(|| view! { <p class="empty">"Nobody had anything planned or clocked this week."</p> })}
            {(!empty).then(|| view! {
                <div class="table-scroll">
                    <table class="team" aria-label="Everyone's week">
                        <thead>
                            <tr>
                                <th scope="col" class="pick">
                                    <input
                                        type="checkbox"
                                        aria-label="Choose every week ready to approve"
                                        disabled=ready_count == 0
                                        prop:checked=every_chosen
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.set(if on { all_ready.get_value().into_iter().collect() } else { BTreeSet::new() });
                                        }
                                    />
                                </th>
                                <th scope="col">"Worker"</th>
                                <th scope="col">"Planned"</th>
                                <th scope="col">"Clocked"</th>
                                <th scope="col">"Overtime"</th>
                                <th scope="col">"Missed shifts"</th>
                                <th scope="col">"Week"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <div class="team-actions">
                    <button
                        type="button"
                        class="approve primary"
                        disabled=move || busy.get() || chosen.with(BTreeSet::is_empty)
                        on:click=approve
                    >
                        {move || match chosen.with(BTreeSet::len) {
                            0 => "Approve the chosen weeks".to_string(),
                            n => format!("Approve {}", counted(n, "week")),
                        }}
                    </button>
                    <span class="hint">{format!("{} ready to approve.", counted(ready_count, "week"))}</span>
                </div>
            })}
            {said}
        </section>
    }
}
