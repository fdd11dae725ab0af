//! `/timesheets`: for managers, everyone's week at a glance (planned, clocked, overtime, whether it can be
//! approved), the ready ones approved together; and one worker's week, planned against actual — day by day the hours
//! scheduled and clocked, breaks, late arrivals, early departures and overtime; the punches behind them,
//! which a manager corrects here with a reason; approving the week (which prices it and locks it); the
//! worker's pay rates; and the payroll export of a pay period.

mod corrections;
mod rates;
mod team;
mod week;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use mosaic::views::time::{TeamWeekView, TimesheetView};
use mosaic::views::WorkerView;
use serde::{Deserialize, Serialize};

/// The week shown and the people who can be picked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimesheetPage {
    pub workers: Vec<WorkerView>,
    /// One worker's week, when one is chosen.
    pub sheet: Option<TimesheetView>,
    /// Everyone's week, when no worker is chosen.
    pub team: Option<TeamWeekView>,
}

#[server(prefix = "/rpc")]
pub async fn load_timesheet(worker: Option<String>, week: Option<String>) -> Result<TimesheetPage, ServerFnError> {
    use mosaic::services::{timesheets, workers};
    let (caller, pool) = crate::auth::signed_in()?;
    let given = |s: Option<String>| s.filter(|s| !s.is_empty());
    let week = match given(week) {
        Some(w) => Some(w.parse::<chrono::NaiveDate>().map_err(|_| ServerFnError::new("week: not a date like 2026-03-04"))?),
        None => None,
    };
    let wanted = match given(worker) {
        Some(w) => Some(w.parse::<mosaic::ids::EntityId>().map_err(|_| ServerFnError::new("worker: not a worker id"))?),
        None => None,
    };
    caller.require(mosaic::access::Action::KeepTime).map_err(crate::auth::shown)?;
    let workers = workers::search(&pool, &caller, "", 1000).await.map_err(crate::auth::shown)?;
    let Some(worker) = wanted else {
        let team = timesheets::team_week(&pool, &caller, week, chrono::Utc::now()).await.map_err(crate::auth::shown)?;
        return Ok(TimesheetPage { workers, sheet: None, team: Some(team) });
    };
    let sheet = timesheets::week(&pool, &caller, worker, week).await.map_err(crate::auth::shown)?;
    Ok(TimesheetPage { workers, sheet: Some(sheet), team: None })
}

#[component]
pub fn TimesheetsPage() -> impl IntoView {
    let query = use_query_map();
    let reads = RwSignal::new(0u32);
    let page = Resource::new(
        move || (query.with(|q| (q.get("worker"), q.get("week"))), reads.get()),
        |((worker, week), _)| load_timesheet(worker, week),
    );
    view! {
        <section class="timesheets" aria-label="Timesheets">
            <Transition fallback=|| view! { <p class="loading">"Loading the timesheet…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Screen page reads/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <PayrollExport/>
        </section>
    }
}

#[component]
fn Screen(page: TimesheetPage, reads: RwSignal<u32>) -> impl IntoView {
    let (chosen, week_start, heading) = match (&page.sheet, &page.team) {
        (Some(sheet), _) => (Some(sheet.worker.id), sheet.week_start, sheet.worker.name.clone()),
        (None, Some(team)) => (None, team.week_start, "Everyone".to_string()),
        (None, None) => return view! { <p class="empty">"No workers yet."</p> }.into_any(),
    };
    let options = page
        .workers
        .iter()
        .map(|w| view! { <option value=w.id.to_string() selected=Some(w.id) == chosen>{w.name.clone()}</option> })
        .collect_view();
    let href = move |week: chrono::NaiveDate| match chosen {
        Some(worker) => format!("/timesheets?worker={worker}&week={week}"),
        None => format!("/timesheets?week={week}"),
    };
    let earlier = href(week_start - chrono::Duration::days(7));
    let later = href(week_start + chrono::Duration::days(7));
    let body = match (page.sheet, page.team) {
        (Some(sheet), _) => view! {
            <p class="back"><a href=format!("/timesheets?week={week_start}")>"← Everyone's week"</a></p>
            <week::SheetWeek sheet=sheet.clone() reads/>
            <corrections::Corrections sheet=sheet.clone() reads/>
            <rates::Rates worker=sheet.worker.id time_zone=sheet.time_zone.clone() week_start=sheet.week_start/>
        }
        .into_any(),
        (None, Some(team)) => view! { <team::TeamWeek team reads/> }.into_any(),
        (None, None) => ().into_any(),
    };
    view! {
        <header class="timesheet-head">
            <h1>{format!("{heading} · week of {}", week_start.format("%-d %b %Y"))}</h1>
            <form method="get" action="/timesheets" class="timesheet-picker">
                <label>"Worker" <select name="worker"><option value="" selected=chosen.is_none()>"Everyone"</option>{options}</select></label>
                <label>"Week" <input type="date" name="week" value=week_start.to_string()/></label>
                <button type="submit">"Show"</button>
            </form>
            <nav class="week-steps">
                <a href=earlier>"← Previous week"</a>
                <a href=later>"Next week →"</a>
            </nav>
        </header>
        {body}
    }
    .into_any()
}

/// Approved pay of a pay period, as a CSV file.
#[component]
fn PayrollExport() -> impl IntoView {
    view! {
        <section class="payroll-export" aria-label="Payroll export">
            <h2>"Payroll export"</h2>
            <p>"Approved hours and cost per worker and rate type, with totals, for a pay period."</p>
            <form method="get" action="/api/v1/payroll.csv">
                <label>"From" <input type="date" name="from" required/></label>
                <label>"To" <input type="date" name="to" required/></label>
                <button type="submit">"Download CSV"</button>
            </form>
        </section>
    }
}
