//! Shift templates: the organisation's named patterns, and planning a draft shift from one on a day.

use super::shifts::{self, NewBreak, NewShift};
use super::{locations, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::EntityId;
use crate::store::changes;
use crate::store::{DomainError, DomainResult};
use crate::templates::{place, TemplateBreak};
pub use crate::views::ShiftTemplateView;
use crate::views::ShiftView;
use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewShiftTemplate {
    pub name: String,
    #[cfg_attr(feature = "server", schema(value_type = String, example = "07:00"))]
    pub start: NaiveTime,
    #[cfg_attr(feature = "server", schema(value_type = String, example = "15:00"))]
    pub end: NaiveTime,
    pub role: Option<String>,
    #[serde(default)]
    pub breaks: Vec<TemplateBreak>,
}

/// A shift to plan from a template: who, where, and on which local day.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanFromTemplate {
    pub worker_id: EntityId,
    pub location_id: EntityId,
    pub day: NaiveDate,
}

type TemplateRow = (Uuid, String, NaiveTime, NaiveTime, Option<String>, serde_json::Value);

fn view((id, name, start, end, role, breaks): TemplateRow) -> ShiftTemplateView {
    ShiftTemplateView { id, name, start, end, role, breaks: serde_json::from_value(breaks).unwrap_or_default() }
}

const SELECT_TEMPLATE: &str =
    "SELECT id, name, start_time, end_time, role, breaks FROM shift_templates WHERE org_id = $1 AND archived_at IS NULL";

pub async fn list(pool: &PgPool, caller: &Caller) -> DomainResult<Vec<ShiftTemplateView>> {
    caller.require(Action::ReadOrganisation)?;
    let rows: Vec<TemplateRow> =
        sqlx::query_as(&format!("{SELECT_TEMPLATE} ORDER BY start_time, name")).bind(caller.org).fetch_all(pool).await?;
    Ok(rows.into_iter().map(view).collect())
}

pub async fn get(pool: &PgPool, caller: &Caller, id: Uuid) -> DomainResult<ShiftTemplateView> {
    caller.require(Action::ReadOrganisation)?;
    let row: Option<TemplateRow> =
        sqlx::query_as(&format!("{SELECT_TEMPLATE} AND id = $2")).bind(caller.org).bind(id).fetch_optional(pool).await?;
    row.map(view).ok_or_else(|| DomainError::not_found("shift template", id))
}

pub async fn create(pool: &PgPool, caller: &Caller, new: NewShiftTemplate) -> DomainResult<ShiftTemplateView> {
    caller.require(Action::EditDrafts)?;
    let name = new.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(DomainError::invalid("name", "must be 1 to 100 characters"));
    }
    // Judged on a plain UTC day: whether the breaks fit is a matter of wall-clock times only.
    let sample = place(NaiveDate::from_ymd_opt(2000, 1, 3).unwrap_or_default(), chrono_tz::UTC, new.start, new.end, &new.breaks);
    if let Some(i) = sample.breaks.iter().position(|(start, end, _)| start >= end || *start < sample.start || *end > sample.end) {
        return Err(DomainError::invalid(&format!("breaks[{i}]"), "a break lies inside the shift and ends after it starts"));
    }
    let role = new.role.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    let template = ShiftTemplateView { id: Uuid::new_v4(), name, start: new.start, end: new.end, role, breaks: new.breaks };
    let mut tx = crate::store::begin(pool).await?;
    sqlx::query(
        "INSERT INTO shift_templates (org_id, id, name, start_time, end_time, role, breaks) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(caller.org)
    .bind(template.id)
    .bind(&template.name)
    .bind(template.start)
    .bind(template.end)
    .bind(&template.role)
    .bind(json!(template.breaks))
    .execute(&mut *tx)
    .await?;
    changes::record(
        &mut tx,
        caller.org,
        &caller.actor,
        ChangeKind::ShiftTemplateCreated,
        template.id,
        1,
        json!({ "after": template }),
    )
    .await?;
    crate::store::commit(tx, pool).await?;
    Ok(template)
}

/// Takes a template out of use; shifts planned from it stay as they are.
pub async fn archive(pool: &PgPool, caller: &Caller, id: Uuid) -> DomainResult<()> {
    caller.require(Action::EditDrafts)?;
    let mut tx = crate::store::begin(pool).await?;
    let archived =
        sqlx::query("UPDATE shift_templates SET archived_at = now() WHERE org_id = $1 AND id = $2 AND archived_at IS NULL")
            .bind(caller.org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if archived.rows_affected() == 0 {
        return Err(DomainError::not_found("shift template", id));
    }
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::ShiftTemplateArchived, id, 2, json!({})).await?;
    crate::store::commit(tx, pool).await?;
    Ok(())
}

/// Plans a draft shift from a template on a local day at a location, like any new shift.
pub async fn plan(pool: &PgPool, caller: &Caller, id: Uuid, request: PlanFromTemplate) -> DomainResult<ShiftView> {
    crate::date_range::require_day("day", request.day)?;
    caller.require_at(Action::EditDrafts, request.location_id)?;
    let template = get(pool, caller, id).await?;
    let location = locations::get(pool, caller, request.location_id).await?;
    let tz: Tz = location.zone();
    let placed = place(request.day, tz, template.start, template.end, &template.breaks);
    let new = NewShift {
        worker_id: request.worker_id,
        location_id: request.location_id,
        start: placed.start,
        end: placed.end,
        role: template.role.clone(),
        position_id: None,
        notes: None,
        breaks: placed.breaks.into_iter().map(|(start, end, paid)| NewBreak { start, end, paid }).collect(),
    };
    // From the calendar a template may land in a week nobody has planned yet, like a drawn shift.
    shifts::create_opening_week(pool, caller, new).await
}
