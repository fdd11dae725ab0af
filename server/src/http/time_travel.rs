use super::error::ApiResult;
use super::extract::{Json, Query};
use super::{ApiState, Auth};
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use mosaic::ids::EntityId;
use mosaic::interval::Interval;
use mosaic::services::time_travel::{self, Moment};
use mosaic::store::DomainError;
use mosaic::views::{HistoricWeekView, ShiftView};
use serde::Deserialize;

pub fn router() -> Router<ApiState> {
    Router::new().route("/history/week", get(week)).route("/history/organisation-week", get(organisation_week))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoricWeekQuery {
    /// The location; its first one if left out.
    location: Option<EntityId>,
    /// Any day of the week to show (`2026-03-04`); this week if left out.
    week: Option<NaiveDate>,
    /// The moment to show: a change's `position` in the log. Left out (with `at_time`): now.
    at: Option<String>,
    /// Or the last change recorded by this time: an RFC 3339 instant, or the location's wall-clock time
    /// like `2026-03-02T09:30`.
    at_time: Option<String>,
    /// A second moment to compare with, as `at`.
    since: Option<String>,
    /// Or as `at_time`.
    since_time: Option<String>,
}

/// One location's week as it stood after a change in the log, read-only; with a second moment, how the
/// week differs from the week then (added, removed, moved, reassigned, published, edited) and who made
/// each difference. Managers, schedulers and administrators.
#[utoipa::path(get, path = "/api/v1/history/week", tag = "history", params(HistoricWeekQuery),
    responses((status = 200, body = HistoricWeekView), (status = 404, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody)))]
pub async fn week(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(q): Query<HistoricWeekQuery>,
) -> ApiResult<Json<HistoricWeekView>> {
    let at = Moment::parse("at", q.at.as_deref(), q.at_time.as_deref())?.unwrap_or(Moment::Latest);
    let since = Moment::parse("since", q.since.as_deref(), q.since_time.as_deref())?;
    Ok(Json(time_travel::week(&s.pool, &caller, q.location, q.week, at, since).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoricOrganisationWeekQuery {
    /// The first instant of the week.
    start: DateTime<Utc>,
    /// The moment: a change's `position` in the log.
    at: Option<String>,
    /// Or the last change recorded by this instant (RFC 3339).
    at_time: Option<String>,
}

/// Every live shift of the organisation in the seven days from `start`, as they stood after a change in
/// the log (an empty list before the first change).
#[utoipa::path(get, path = "/api/v1/history/organisation-week", tag = "history", params(HistoricOrganisationWeekQuery),
    responses((status = 200, body = [ShiftView]), (status = 422, body = super::error::ErrorBody)))]
pub async fn organisation_week(
    State(s): State<ApiState>,
    Auth(caller): Auth,
    Query(q): Query<HistoricOrganisationWeekQuery>,
) -> ApiResult<Json<Vec<ShiftView>>> {
    let at = match Moment::parse("at", q.at.as_deref(), q.at_time.as_deref())? {
        Some(Moment::LocalTime(_)) => {
            return Err(DomainError::invalid("at_time", "must name its zone, like 2026-03-02T08:30:00Z").into())
        }
        Some(moment) => moment,
        None => Moment::Latest,
    };
    let start = mosaic::date_range::require_instant("start", q.start)?;
    let period = Interval { start, end: Some(start + Duration::days(7)) };
    let shifts = match time_travel::moment(&s.pool, &caller, at, chrono_tz::UTC).await? {
        Some(moment) => time_travel::shifts_as_of(&s.pool, &caller, period, moment.position, None).await?,
        None => vec![],
    };
    Ok(Json(shifts))
}
