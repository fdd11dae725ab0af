//! `/history`: time travel. One location's week as it stood after any change in the organisation's log
//! (a slider over the log, a date-time field, or a step to the change before or after), read-only; and,
//! against a second moment, every shift that differs, highlighted on the week and listed with who
//! changed it.

mod grid;
mod moment;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use mosaic::views::HistoricWeekView;

/// The query parameters the page is driven by, in the order its links write them.
const PARAMETERS: [&str; 6] = ["location", "week", "at", "at_time", "since", "since_time"];

#[server(prefix = "/rpc")]
pub async fn load_history(
    location: Option<String>,
    week: Option<String>,
    at: Option<String>,
    at_time: Option<String>,
    since: Option<String>,
    since_time: Option<String>,
) -> Result<HistoricWeekView, ServerFnError> {
    use mosaic::services::time_travel::{self, Moment};
    let (caller, pool) = crate::auth::signed_in()?;
    let (location, day) = crate::week::location_and_day(location, week)?;
    let at = Moment::parse("at", at.as_deref(), at_time.as_deref()).map_err(crate::auth::shown)?.unwrap_or(Moment::Latest);
    let since = Moment::parse("since", since.as_deref(), since_time.as_deref()).map_err(crate::auth::shown)?;
    time_travel::week(&pool, &caller, location, day, at, since).await.map_err(crate::auth::shown)
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(
        move || query.with(|q| PARAMETERS.map(|name| q.get(name))),
        |[location, week, at, at_time, since, since_time]| load_history(location, week, at, at_time, since, since_time),
    );
    view! {
        <section class="history" aria-label="History">
            // A transition, not a suspense: while the slider moves, the week shown stays until the next is read.
            <Transition fallback=|| view! { <p class="loading">"Loading the history…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(view) => view! { <HistoryScreen view/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn HistoryScreen(view: HistoricWeekView) -> impl IntoView {
    let tz = crate::format::zone(&view.location.time_zone);
    let week_start = view.week_start;
    let shown = match &view.at {
        Some(m) => format!("as it stood after change #{}", m.position),
        None => "before anything was recorded".to_string(),
    };
    let heading = format!("{} · week of {} · {shown}", view.location.name, week_start.format("%-d %b %Y"));
    let compared = view.since.is_some() || !view.differences.is_empty();
    view! {
        <header class="history-header">
            <h1>"History"</h1>
            <p class="history-heading">{heading}</p>
        </header>
        <moment::WeekPicker view=view.clone()/>
        <div class="moments">
            <moment::MomentPicker
                label="Showing"
                field="at"
                moment=view.at.clone()
                log=view.log
                tz
                other=view.since.as_ref().map(|m| m.position)
            />
            <moment::MomentPicker
                label="Compared with"
                field="since"
                moment=view.since.clone()
                log=view.log
                tz
                other=view.at.as_ref().map(|m| m.position)
            />
        </div>
        <grid::HistoricGrid view=view.clone()/>
        {compared.then(|| view! { <grid::Differences view=view.clone()/> })}
    }
}

/// `/history` with the current query changed: each `(name, value)` sets a parameter, or with `None`
/// removes it.
pub(crate) fn history_href(current: &ParamsMap, changes: &[(&str, Option<String>)]) -> String {
    let pairs: Vec<String> = PARAMETERS
        .iter()
        .filter_map(|name| {
            let value = match changes.iter().find(|(changed, _)| changed == name) {
                Some((_, value)) => value.clone(),
                None => current.get(name),
            };
            value.filter(|v| !v.is_empty()).map(|v| format!("{name}={}", escape(&v)))
        })
        .collect();
    if pairs.is_empty() {
        "/history".to_string()
    } else {
        format!("/history?{}", pairs.join("&"))
    }
}

/// Percent-encodes what would end or split a query value; ids, dates and positions pass unchanged.
fn escape(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' | '.' | '~' | ':' => c.to_string(),
            other => {
                let mut buf = [0u8; 4];
                other.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect()
            }
        })
        .collect()
}
