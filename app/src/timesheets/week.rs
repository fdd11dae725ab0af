//! The week's table: planned against actual per day, the week's totals, what needs attention, and
//! approving — after which the pay it came to, piece by piece.

use crate::format::{clock, day_heading, hours, zone};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::ids::EntityId;
use mosaic::payroll::RateType;
use mosaic::timesheet::DayTotals;
use mosaic::views::time::TimesheetView;

#[server(prefix = "/rpc", endpoint = "approve_timesheet", input = Json)]
pub async fn approve(worker: EntityId, week: chrono::NaiveDate) -> Result<TimesheetView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::timesheets::approve(&pool, &caller, worker, week, chrono::Utc::now()).await.map_err(crate::auth::shown)
}

/// 12533 cents as `125.33 EUR`.
pub fn money(cents: i64, currency: &str) -> String {
    format!("{} {currency}", mosaic::payroll::money(cents))
}

fn minutes(m: i64) -> String {
    if m == 0 {
        "–".to_string()
    } else {
        format!("{m} min")
    }
}

fn rate_label(rate: RateType) -> &'static str {
    match rate {
        RateType::Regular => "Regular",
        RateType::Overtime => "Overtime",
        RateType::Night => "Night",
        RateType::Weekend => "Weekend",
    }
}

fn cells(totals: &DayTotals) -> impl IntoView {
    view! {
        <td class="scheduled">{hours(totals.scheduled_hours)}</td>
        <td class="clocked">{hours(totals.clocked_hours)}</td>
        <td class="breaks">{hours(totals.break_hours)}</td>
        <td class="late">{minutes(totals.late_minutes)}</td>
        <td class="early">{minutes(totals.early_minutes)}</td>
        <td class="overtime">{hours(totals.overtime_hours)}</td>
    }
}

#[component]
pub fn SheetWeek(sheet: TimesheetView, reads: RwSignal<u32>) -> impl IntoView {
    let tz = zone(&sheet.time_zone);
    let notice = RwSignal::new(None::<String>);
    let rows = sheet
        .days
        .iter()
        .map(|day| {
            let planned = day
                .shifts
                .iter()
                .map(|s| {
                    let end = s.during.end.map(|e| clock(e, tz)).unwrap_or_default();
                    format!("{}–{end} {}", clock(s.during.start, tz), s.location_name)
                })
                .collect::<Vec<_>>()
                .join(", ");
            let worked = day
                .periods
                .iter()
                .map(|p| {
                    let end = p.during.end.map(|e| clock(e, tz)).unwrap_or_else(|| "no clock-out".into());
                    format!("{}–{end}", clock(p.during.start, tz))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let flags = [
                (day.totals.missed_shifts > 0).then_some("missed shift"),
                (day.totals.open_periods > 0).then_some("clock-out missing"),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            view! {
                <tr data-date=day.date.to_string()>
                    <th scope="row">{day_heading(day.date)}</th>
                    <td class="planned">{planned}</td>
                    <td class="worked">{worked}</td>
                    {cells(&day.totals)}
                    <td class="flags">{flags}</td>
                </tr>
            }
        })
        .collect_view();
    let issues = sheet
        .issues
        .iter()
        .map(|i| view! { <li class=format!("issue {}", i.kind.as_str())>{i.message.clone()} " " <em>{i.suggested_action.clone()}</em></li> })
        .collect_view();
    let (worker, week) = (sheet.worker.id, sheet.week_start);
    let approve_week = move |_| {
        spawn_local(async move {
            match approve(worker, week).await {
                Ok(_) => reads.update(|n| *n += 1),
                Err(e) => notice.set(Some(e.to_string().replace("error running server function: ", ""))),
            }
        })
    };
    let approval = match &sheet.approval {
        Some(a) => {
            let cost = money(a.cost_cents, a.currency.as_deref().unwrap_or(""));
            let pieces = sheet
                .pieces
                .iter()
                .map(|p| {
                    let end = p.during.end.map(|e| clock(e, tz)).unwrap_or_default();
                    view! {
                        <tr>
                            <td>{format!("{} {}–{end}", day_heading(p.during.start.with_timezone(&tz).date_naive()), clock(p.during.start, tz))}</td>
                            <td>{rate_label(p.rate_type)}</td>
                            <td>{format!("{:.2}", p.hours)}</td>
                            <td>{format!("{} × {}", money(p.hourly_rate_cents, &p.currency), p.multiplier)}</td>
                            <td class="cost">{money(p.cost_cents, &p.currency)}</td>
                            <td>{format!("{} · {}", p.cost_centre, p.job_code)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p class="approved" role="status">
                    {format!("Approved by {} on {} — {} clocked, {cost}.", a.approved_by, day_heading(a.approved_at.with_timezone(&tz).date_naive()), hours(a.clocked_hours))}
                </p>
                <table class="pieces" aria-label="Payroll pieces">
                    <thead><tr><th>"When"</th><th>"Rate type"</th><th>"Hours"</th><th>"Rate"</th><th>"Cost"</th><th>"Cost centre · job"</th></tr></thead>
                    <tbody>{pieces}</tbody>
                </table>
            }
            .into_any()
        }
        None if sheet.blocking.is_empty() => view! {
            <button type="button" class="approve" on:click=approve_week>"Approve week"</button>
        }
        .into_any(),
        None => {
            let blocking = sheet.blocking.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view();
            view! {
                <div class="blocking">
                    <p>"This week cannot be approved yet:"</p>
                    <ul>{blocking}</ul>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <table class="timesheet" aria-label="Planned against actual">
            <thead>
                <tr>
                    <th scope="col">"Day"</th><th scope="col">"Planned"</th><th scope="col">"Worked"</th>
                    <th scope="col">"Scheduled"</th><th scope="col">"Clocked"</th><th scope="col">"Breaks"</th>
                    <th scope="col">"Late"</th><th scope="col">"Early"</th><th scope="col">"Overtime"</th><th scope="col">"Attention"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
            <tfoot>
                <tr class="week-total"><th scope="row">"Week"</th><td></td><td></td>{cells(&sheet.totals)}<td></td></tr>
            </tfoot>
        </table>
        {(!sheet.issues.is_empty()).then(|| view! {
            <section class="issues" aria-label="Needs attention"><ul>{issues}</ul></section>
        })}
        <div class="approval">{approval}</div>
        {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
    }
}
