//! "Copy the previous week here": the week before this one, into drafts at the same local times.

use leptos::prelude::*;
use mosaic::views::WeekView;

/// Copies the week before `week` (its first day) at the location into `week`; says what it did.
#[server(prefix = "/rpc")]
pub async fn copy_previous_week(location: String, week: String) -> Result<String, ServerFnError> {
    use mosaic::services::week_copy::{copy_week, CopyWeek};
    let (caller, pool) = crate::auth::signed_in()?;
    let location_id = location.parse().map_err(|_| ServerFnError::new("location: not a location id"))?;
    let to_week = chrono::NaiveDate::parse_from_str(&week, "%Y-%m-%d")
        .map_err(|_| ServerFnError::new("week: use a date like 2026-03-02"))?;
    let request = CopyWeek { location_id, from_week: to_week - chrono::Duration::days(7), to_week };
    let copy = copy_week(&pool, &caller, request).await.map_err(crate::auth::shown)?;
    let mut summary = match copy.created.len() {
        1 => "Copied 1 shift as a draft.".to_string(),
        n => format!("Copied {n} shifts as drafts."),
    };
    if !copy.skipped.is_empty() {
        let mut reasons: Vec<&str> = copy.skipped.iter().map(|s| s.reason.as_str()).collect();
        reasons.sort_unstable();
        reasons.dedup();
        summary.push_str(&format!(" Left out {}: {}.", copy.skipped.len(), reasons.join("; ")));
    }
    Ok(summary)
}

#[component]
pub fn CopyPreviousWeek(week: WeekView, action: ServerAction<CopyPreviousWeek>) -> impl IntoView {
    view! {
        <div class="copy-week">
            <ActionForm action>
                <input type="hidden" name="location" value=week.location.id.to_string()/>
                <input type="hidden" name="week" value=week.week_start.to_string()/>
                <button type="submit">"Copy the previous week here"</button>
            </ActionForm>
            {move || action.value().get().map(|result| match result {
                Ok(summary) => view! { <p class="copy-result" role="status">{summary}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </div>
    }
}
