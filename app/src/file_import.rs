//! Importing a file (workers on `/people`, shifts on the calendar): the file is checked first (every
//! problem by row and column), then imported whole. It goes to the API as it is
//! (`/api/v1/imports/workers`, `/api/v1/imports/shifts`), so a file of thousands of rows is never
//! copied into a page script's memory as text.

use crate::format::counted;
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

/// What is imported: the API's path for it, the section's words, and how a report reads.
#[derive(Clone, Copy)]
pub struct Importing {
    /// `/api/v1/imports/workers`: `/check` and `/template.csv` follow from it.
    pub path: &'static str,
    pub check_path: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    /// One row, and several: "worker", "workers".
    pub noun: (&'static str, &'static str),
    pub busy: &'static str,
    pub summary: fn(&ImportReport) -> String,
}

pub const WORKERS: Importing = Importing {
    path: "/api/v1/imports/workers",
    check_path: "/api/v1/imports/workers/check",
    title: "Import workers from a file",
    hint: "A CSV file saved from a spreadsheet, one worker per row. Rows are matched to workers already here by external id or email, so importing a file again changes nothing. ",
    noun: ("worker", "workers"),
    busy: "Importing… a few seconds for thousands of workers",
    summary: workers_summary,
};

pub const SHIFTS: Importing = Importing {
    path: "/api/v1/imports/shifts",
    check_path: "/api/v1/imports/shifts/check",
    title: "Import shifts from a file",
    hint: "A CSV file, one shift per row: the day, start and end on the location's clock, the worker's email, external id or name, the location, and a position and breaks if any. They arrive as drafts; a shift already planned is left as it is. ",
    noun: ("shift", "shifts"),
    busy: "Importing the shifts…",
    summary: shifts_summary,
};

#[component]
pub fn ImportFile(importing: Importing, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let Importing { path, check_path, title, hint, noun, busy: busy_words, summary } = importing;
    let template = format!("{path}/template.csv");
    let template_name = format!("{}-template.csv", noun.1);
    let title_id = format!("import-{}-title", noun.1);
    let labelled_by = title_id.clone();
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
        busy.set(Some(if path == check_path { "Checking the file…" } else { busy_words }));
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
        <section class="import" aria-labelledby=labelled_by>
            <h2 id=title_id>{title}</h2>
            <p class="hint">
                {hint}
                <a href=template download=template_name>"Download the template"</a>
            </p>
            <div class="import-controls">
                <label>"File" <input type="file" accept=".csv,text/csv" node_ref=file_input on:change=move |_| outcome.set(None)/></label>
                <label>"Dates with slashes are"
                    <select on:change=move |ev| slash_dates.set(if event_target_value(&ev) == "month_first" { SlashDates::MonthFirst } else { SlashDates::DayFirst })>
                        <option value="day_first">"day/month/year (31/12/2026)"</option>
                        <option value="month_first">"month/day/year (12/31/2026)"</option>
                    </select>
                </label>
                <button type="button" class="secondary" disabled=move || busy.get().is_some() on:click=move |_| send(check_path)>"Check file"</button>
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
                                <button type="button" disabled=move || busy.get().is_some() on:click=move |_| send(path)>
                                    {format!("Import {count} {}", if count == 1 { noun.0 } else { noun.1 })}
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
        <p class="error" role="alert">{format!("{} to fix before importing; nothing has been imported.", counted(count, "problem"))}</p>
        <table class="problems" aria-label="Problems in the file">
            <thead><tr><th>"Line"</th><th>"Column"</th><th>"Problem"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn workers_summary(r: &ImportReport) -> String {
    let verb = if r.imported { "" } else { "would be " };
    let positions = match r.positions_given {
        0 => String::new(),
        n => format!(" {} {verb}given positions;", counted(n, "worker")),
    };
    format!(
        "{} in the file: {} new, {} changed, {} unchanged; {} and {} {verb}added;{positions} {} {verb}prepared, to send from Invitations below.",
        counted(r.rows, "worker"),
        r.new_workers,
        r.updated_workers,
        r.unchanged_workers,
        counted(r.new_employments, "employment"),
        counted(r.new_rates, "pay rate"),
        counted(r.invitations, "invitation"),
    )
}

fn shifts_summary(r: &ImportReport) -> String {
    let verb = if r.imported { "added" } else { "would be added" };
    format!(
        "{} in the file: {} {verb} as drafts, {} already planned.",
        counted(r.rows, "shift"),
        r.new_shifts,
        r.unchanged_shifts
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
