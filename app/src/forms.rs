//! What the server functions behind the forms share: reading ids and local days as a form sends them.

use leptos::prelude::ServerFnError;

/// An id a form sent, or a message naming the field.
pub fn parse_id<T: std::str::FromStr>(text: &str, field: &str) -> Result<T, ServerFnError> {
    text.trim().parse().map_err(|_| ServerFnError::new(format!("{field}: choose one from the list")))
}

/// An optional id: empty is none.
pub fn parse_optional_id<T: std::str::FromStr>(text: &str, field: &str) -> Result<Option<T>, ServerFnError> {
    match text.trim() {
        "" => Ok(None),
        text => parse_id(text, field).map(Some),
    }
}

/// The first instant of local day `day` (`YYYY-MM-DD`, as a date input sends it) in `tz`.
pub fn local_midnight(day: &str, field: &str, tz: chrono_tz::Tz) -> Result<chrono::DateTime<chrono::Utc>, ServerFnError> {
    let day = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| ServerFnError::new(format!("{field}: choose a day")))?;
    mosaic::date_range::require_day(field, day).map_err(|e| ServerFnError::new(e.to_string()))?;
    Ok(mosaic::local_time::day_start(day, tz))
}

/// Hours as a person types them (`38`, `37,5`); empty is none.
pub fn parse_hours(text: &str, field: &str) -> Result<Option<f64>, ServerFnError> {
    match text.trim().replace(',', ".") {
        t if t.is_empty() => Ok(None),
        t => t.parse::<f64>().map(Some).map_err(|_| ServerFnError::new(format!("{field}: give a number of hours such as 38"))),
    }
}
