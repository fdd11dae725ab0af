//! Importing workers from a file on `/people`: the file is checked first (every problem by row and
//! column), then imported whole. It goes to the API as it is (`/api/v1/imports/workers`), so a file of
//! thousands of rows is never copied into a page script's memory as text.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mosaic::views::import::{ImportReport, SlashDates};

/// What the last step answered.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Checked(ImportReport),
    Imported(ImportReport),
    Failed(String),
}

#[component]
pub fn ImportWorkers(on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let slash_dates = RwSignal::new(SlashDates::DayFirst);
    let busy = RwSignal::new(None::<&'static str>);
    let outcome = RwSignal::new(None::<Outcome>);
    let send = move |path: &'static str| {
        let Some(file) = file_input.get_untracked().and_then(|input| input.files()).and_then(|files| files.get(0)) else {
            outcome.set(Some(Outcome::Failed("Choose a file first.".into())));
            return;
        };
        let order = match slash_dates.get_untracked() {
            SlashDates::DayFirst => "day_first",
            SlashDates::MonthFirst => "month_first",
        };
        busy.set(Some(if path.ends_with("check") {
            "Checking the file…"
        } else {
            "Importing… a few seconds for thousands of workers"
        }));
        spawn_local(async move {
            let answer = post_file(&format!("{path}?slash_dates={order}"), file).await;
            busy.set(None);
            outcome.set(Some(match answer {
                Ok(report) if report.imported => {
                    on_done();
                    Outcome::Imported(report)
                }
                Ok(report) => Outcome::Checked(report),
                Err(message) => Outcome::Failed(message),
            }));
        });
    };
    view! {
        <section class="import" aria-labelledby="import-title">
            <h2 id="import-title">"Import workers from a file"</h2>
            <p class="hint">
                "A CSV file saved from a spreadsheet, one worker per row. Rows are matched to workers already here by external id or email, so importing a file again changes nothing. "
                <a href="/api/v1/imports/workers/template.csv" download="workers-template.csv">"Download the template"</a>
            </p>
            <div class="import-controls">
                <label>"File" <input type="file" accept=".csv,text/csv" node_ref=file_input on:change=move |_| outcome.set(None)/></label>
                <label>"Dates with slashes are"
                    <select on:change=move |ev| slash_dates.set(if event_target_value(&ev) == "month_first" { SlashDates::MonthFirst } else { SlashDates::DayFirst })>
                        <option value="day_first">"day/month/year (31/12/2026)"</option>
                        <option value="month_first">"month/day/year (12/31/2026)"</option>
                    </select>
                </label>
                <button type="button" class="secondary" disabled=move || busy.get().is_some() on:click=move |_| send("/api/v1/imports/workers/check")>"Check file"</button>
            </div>
            {move || busy.get().map(|what| view! { <p class="busy" role="status"><progress aria-label=what></progress>" "{what}</p> })}
            {move || outcome.get().map(|outcome| match outcome {
                Outcome::Failed(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Outcome::Imported(report) => view! { <p class="saved" role="status">{format!("Imported. {}", summary(&report))}</p> }.into_any(),
                Outcome::Checked(report) => {
                    let fine = report.problems.is_empty();
                    let count = report.rows;
                    view! {
                        <div class="import-report" role="status">
                            <p>{summary(&report)}</p>
                            {(!report.ignored_columns.is_empty()).then(|| view! {
                                <p class="hint">{format!("Not read: {}.", report.ignored_columns.join(", "))}</p>
                            })}
                            {(!fine).then(|| view! { <Problems report=report.clone()/> })}
                            {fine.then(|| view! {
                                <button type="button" disabled=move || busy.get().is_some() on:click=move |_| send("/api/v1/imports/workers")>
                                    {format!("Import {count} worker{}", if count == 1 { "" } else { "s" })}
                                </button>
                            })}
                        </div>
                    }
                    .into_any()
                }
            })}
        </section>
    }
    .into_any()
}

#[component]
fn Problems(report: ImportReport) -> impl IntoView {
    let count = report.problems.len();
    let rows = report
        .problems
        .into_iter()
        .map(|p| {
            let row = if p.row == 0 { "file".to_string() } else { p.row.to_string() };
            view! { <tr><td>{row}</td><td>{p.column}</td><td>{p.message}</td></tr> }
        })
        .collect_view();
    view! {
        <p class="error" role="alert">{format!("{count} problem{} to fix before importing; nothing has been imported.", if count == 1 { "" } else { "s" })}</p>
        <table class="problems" aria-label="Problems in the file">
            <thead><tr><th>"Line"</th><th>"Column"</th><th>"Problem"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn summary(r: &ImportReport) -> String {
    let verb = if r.imported { "" } else { "would be " };
    format!(
        "{} worker{} in the file: {} new, {} changed, {} unchanged; {} employment{} and {} pay rate{} {verb}added;{} {} invitation{} {verb}prepared, to send from Invitations below.",
        r.rows,
        if r.rows == 1 { "" } else { "s" },
        r.new_workers,
        r.updated_workers,
        r.unchanged_workers,
        r.new_employments,
        if r.new_employments == 1 { "" } else { "s" },
        r.new_rates,
        if r.new_rates == 1 { "" } else { "s" },
        match r.positions_given {
            0 => String::new(),
            1 => format!(" 1 worker {verb}given positions;"),
            n => format!(" {n} workers {verb}given positions;"),
        },
        r.invitations,
        if r.invitations == 1 { "" } else { "s" },
    )
}

/// Sends the file as the request's body and reads the report, or the API's error message.
async fn post_file(path: &str, file: web_sys::File) -> Result<ImportReport, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&file.into());
    let request = web_sys::Request::new_with_str_and_init(path, &init).map_err(|_| "The file could not be sent.".to_string())?;
    let _ = request.headers().set("Content-Type", "text/csv");
    let answer = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(|_| "The server could not be reached.".to_string())?;
    let response: web_sys::Response = answer.dyn_into().map_err(|_| "The server's answer could not be read.".to_string())?;
    let text = JsFuture::from(response.text().map_err(|_| "The server's answer could not be read.".to_string())?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    if response.ok() {
        return serde_json::from_str(&text).map_err(|_| "The server's answer could not be read.".to_string());
    }
    let error: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    if let Some(problems) = error["error"]["details"]["problems"].as_array() {
        let report = ImportReport {
            problems: serde_json::from_value(serde_json::Value::Array(problems.clone())).unwrap_or_default(),
            ..ImportReport::default()
        };
        return Ok(report);
    }
    Err(error["error"]["message"].as_str().unwrap_or("The file could not be imported.").to_string())
}
