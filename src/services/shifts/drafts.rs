//! Planning drafts, one (a shift drawn on the calendar) or thousands (a shifts file) at a time: each is
//! checked as the calendar's one always was, and those that pass are written together — the shifts,
//! who and what takes part in them, their breaks and work periods, a change each — in a few statements
//! whatever their number.

use super::commands::{outside_employment, shift_properties};
use super::reads::load_many;
use super::{NewBreak, NewShift};
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::{subtract_all, Interval};
use crate::kinds::{EventKind, EventStatus};
use crate::rules::shift_interval;
use crate::services::{employments, schedules, Caller};
use crate::store::core::{self, NewEvent, NewParticipation};
use crate::store::{changes, DomainError, DomainResult};
use crate::views::ShiftView;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::PgConnection;
use std::collections::HashMap;

/// A draft that passed its checks, ready to write.
struct Checked<'a> {
    new: &'a NewShift,
    during: Interval,
    properties: Value,
    employment: EventId,
    breaks: Vec<(Interval, bool)>,
}

/// An entity a draft names: its kind, name, and when it was removed, closed or retired.
struct Named {
    kind: String,
    name: String,
    inactive_from: Option<DateTime<Utc>>,
}

/// Plans drafts inside the caller's transaction. The answer holds, in the order asked, each draft as
/// written or why it was refused (its times, properties, worker or place unknown, no open schedule then,
/// outside the worker's employment, a worker removed or a place closed before it ends, a position
/// unknown or retired, a break outside it or over another); an `Err` of the whole is the database's.
/// The caller brings the workers' attention items in step once all its rows are written
/// (`attention::refresh_workers`).
pub(crate) async fn insert_drafts(
    tx: &mut PgConnection,
    caller: &Caller,
    news: &[NewShift],
) -> DomainResult<Vec<DomainResult<ShiftView>>> {
    if news.is_empty() {
        return Ok(Vec::new());
    }
    let schema = core::properties_schema(&mut *tx, caller.org, EventKind::Shift).await?;
    let named = named_entities(&mut *tx, caller, news).await?;
    let mut locations: Vec<uuid::Uuid> = news.iter().map(|n| n.location_id.0).collect();
    locations.sort();
    locations.dedup();
    let mut workers: Vec<uuid::Uuid> = news.iter().map(|n| n.worker_id.0).collect();
    workers.sort();
    workers.dedup();
    // Only a shift's start decides its schedule; a start outside the dates Mosaic takes is refused
    // below, before any schedule is looked for.
    let starts = news.iter().map(|n| n.start).filter(|t| crate::date_range::instant_in_range(*t));
    let schedules = match (starts.clone().min(), starts.max()) {
        (Some(first), Some(last)) => schedules::of_locations(&mut *tx, caller, &locations, first, last).await?,
        _ => HashMap::new(),
    };
    let employed = employments::spans_of(&mut *tx, caller.org, &workers).await?;

    let verdicts: Vec<DomainResult<Checked>> = news
        .iter()
        .map(|new| {
            let during = shift_interval(new.start, new.end).map_err(|(field, msg)| DomainError::invalid(field, msg))?;
            let properties = shift_properties(new.role.as_deref(), new.notes.as_deref());
            core::check_against(&schema, &properties)?;
            let worker = of_kind(&named, new.worker_id, "worker")?;
            let location = of_kind(&named, new.location_id, "location")?;
            let covering = schedules
                .get(&new.location_id)
                .and_then(|all| all.iter().find(|(_, _, span)| span.contains_instant(during.start)))
                .map(|(id, status, _)| (*id, *status));
            schedules::schedule_to_plan_in(covering)?;
            let employment = employed
                .get(&new.worker_id)
                .and_then(|spans| spans.iter().find(|(_, span)| span.contains(&during)))
                .map(|(id, _)| *id)
                .ok_or_else(|| outside_employment(new.worker_id, during))?;
            let ends_after = |inactive: Option<DateTime<Utc>>| inactive.is_some_and(|at| during.end.is_none_or(|end| end > at));
            if ends_after(worker.inactive_from) || ends_after(location.inactive_from) {
                return Err(DomainError::not_planned_any_more());
            }
            if let Some(position) = new.position_id {
                let position = of_kind(&named, position, "position")?;
                if position.inactive_from.is_some() {
                    return Err(DomainError::invalid("position_id", format!("the position '{}' is retired", position.name)));
                }
            }
            let breaks = checked_breaks(during, &new.breaks)?;
            Ok(Checked { new, during, properties, employment, breaks })
        })
        .collect();

    let passed: Vec<&Checked> = verdicts.iter().filter_map(|v| v.as_ref().ok()).collect();
    // One view for each draft that passed, in the same order.
    let mut written = write(&mut *tx, caller, &passed).await?.into_iter();
    Ok(verdicts
        .into_iter()
        .map(|verdict| verdict.and_then(|_| written.next().ok_or_else(|| DomainError::not_found("shift", "written"))))
        .collect())
}

/// Writes checked drafts, a statement for each kind of row.
async fn write(tx: &mut PgConnection, caller: &Caller, passed: &[&Checked<'_>]) -> DomainResult<Vec<ShiftView>> {
    if passed.is_empty() {
        return Ok(Vec::new());
    }
    let shifts = passed
        .iter()
        .map(|c| NewEvent {
            kind: EventKind::Shift,
            parent: Some(c.employment),
            during: c.during,
            status: EventStatus::Draft,
            properties: c.properties.clone(),
        })
        .collect();
    let ids = core::insert_events(&mut *tx, caller.org, shifts).await?;
    let mut taking_part = Vec::with_capacity(passed.len() * 3);
    let mut children = Vec::new();
    for (c, id) in passed.iter().zip(&ids) {
        let new = c.new;
        taking_part.push(NewParticipation {
            event: *id,
            entity: new.worker_id,
            participation_type: "worker",
            role: new.role.as_deref(),
        });
        taking_part.push(NewParticipation { event: *id, entity: new.location_id, participation_type: "location", role: None });
        if let Some(position) = new.position_id {
            taking_part.push(NewParticipation { event: *id, entity: position, participation_type: "position", role: None });
        }
        for (during, paid) in &c.breaks {
            children.push(child(EventKind::Break, *id, *during, json!({ "paid": paid })));
        }
        // Work periods are the shift less its breaks until someone enters them by hand.
        let holes: Vec<Interval> = c.breaks.iter().map(|(during, _)| *during).collect();
        for piece in subtract_all(&c.during, &holes) {
            children.push(child(EventKind::WorkPeriod, *id, piece, json!({ "generated": true })));
        }
    }
    core::add_participations(&mut *tx, caller.org, &taking_part).await?;
    core::insert_events(&mut *tx, caller.org, children).await?;
    let mut loaded: HashMap<EventId, ShiftView> = load_many(&mut *tx, caller, &ids.iter().map(|id| id.0).collect::<Vec<_>>())
        .await?
        .into_iter()
        .map(|view| (view.id, view))
        .collect();
    // In the order written, so each answer goes back to the draft it was asked as.
    let views = ids
        .iter()
        .map(|id| loaded.remove(id).ok_or_else(|| DomainError::not_found("shift", id)))
        .collect::<DomainResult<Vec<ShiftView>>>()?;
    let created =
        views.iter().map(|view| changes::Recorded::after(ChangeKind::ShiftCreated, view.id.0, view.version, view)).collect();
    changes::record_all(&mut *tx, caller.org, &caller.actor, created).await?;
    Ok(views)
}

fn child(kind: EventKind, shift: EventId, during: Interval, properties: Value) -> NewEvent {
    NewEvent { kind, parent: Some(shift), during, status: EventStatus::Active, properties }
}

/// Each break inside its shift and apart from the others; a refusal names the break's field.
fn checked_breaks(shift: Interval, breaks: &[NewBreak]) -> DomainResult<Vec<(Interval, bool)>> {
    let mut checked: Vec<(Interval, bool)> = Vec::with_capacity(breaks.len());
    for new in breaks {
        let during = Interval::new(new.start, new.end).map_err(|e| DomainError::invalid("breaks.end", e.to_string()))?;
        if !shift.contains(&during) {
            return Err(DomainError::invalid("breaks.start", "a break lies inside its shift"));
        }
        if checked.iter().any(|(other, _)| other.overlaps(&during)) {
            return Err(DomainError::invalid("breaks.start", "overlaps another break of this shift"));
        }
        checked.push((during, new.paid));
    }
    Ok(checked)
}

/// The workers, locations and positions the drafts name, read at once.
async fn named_entities(conn: &mut PgConnection, caller: &Caller, news: &[NewShift]) -> DomainResult<HashMap<EntityId, Named>> {
    let mut ids: Vec<uuid::Uuid> =
        news.iter().flat_map(|n| [Some(n.worker_id.0), Some(n.location_id.0), n.position_id.map(|p| p.0)]).flatten().collect();
    ids.sort();
    ids.dedup();
    let rows: Vec<(EntityId, String, String, Option<DateTime<Utc>>)> =
        sqlx::query_as("SELECT id, entity_type, name, inactive_from FROM entities WHERE org_id = $1 AND id = ANY ($2)")
            .bind(caller.org)
            .bind(&ids)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(id, kind, name, inactive_from)| (id, Named { kind, name, inactive_from })).collect())
}

fn of_kind<'a>(named: &'a HashMap<EntityId, Named>, id: EntityId, kind: &'static str) -> DomainResult<&'a Named> {
    named.get(&id).filter(|n| n.kind == kind).ok_or_else(|| DomainError::not_found(kind, id))
}
