//! Open shifts and claims as stored: a leaf, which calls no other service, so that publishing a
//! schedule (`schedules`) can open its week's open shifts to claims as it activates its drafts.

use super::super::Caller;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::open_shifts::{Approval, ClaimStatus};
use crate::store::changes::{self, Recorded};
use crate::store::{DomainError, DomainResult};
use crate::views::open_shifts::{ClaimView, OpenShiftView};
use crate::views::positions::PositionTag;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;

const SELECT_OPEN_SHIFT: &str = "
    SELECT e.id, l.entity_id AS location_id, le.name AS location_name,
           coalesce(le.properties ->> 'time_zone', 'UTC') AS location_time_zone, e.start_time, e.end_time, e.status,
           e.properties, e.version, pe.id AS position_id, pe.name AS position_name,
           pe.properties ->> 'colour' AS position_colour
      FROM events e
      JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location'
      JOIN entities le ON le.org_id = l.org_id AND le.id = l.entity_id
      LEFT JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id AND p.participation_type = 'position'
      LEFT JOIN entities pe ON pe.org_id = p.org_id AND pe.id = p.entity_id
     WHERE e.org_id = $1 AND e.event_type = 'open_shift'";

const SELECT_CLAIM: &str = "
    SELECT e.id, e.parent_id AS open_shift_id, p.entity_id AS worker_id, w.name AS worker_name, e.start_time,
           e.end_time, e.status, e.properties, e.version, e.created_at
      FROM events e
      JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id AND p.participation_type = 'worker'
      JOIN entities w ON w.org_id = p.org_id AND w.id = p.entity_id
     WHERE e.org_id = $1 AND e.event_type = 'shift_claim'";

#[derive(sqlx::FromRow)]
struct OpenShiftRow {
    id: EventId,
    location_id: EntityId,
    location_name: String,
    location_time_zone: String,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    status: EventStatus,
    properties: Value,
    version: i32,
    position_id: Option<EntityId>,
    position_name: Option<String>,
    position_colour: Option<String>,
}

impl OpenShiftRow {
    fn into_view(self) -> DomainResult<OpenShiftView> {
        let text = |key: &str| self.properties.get(key).and_then(Value::as_str).map(str::to_string);
        let number = |key: &str| self.properties.get(key).and_then(Value::as_i64).and_then(|n| i32::try_from(n).ok());
        let approval = text("approval").as_deref().and_then(Approval::parse);
        let (Some(places), Some(taken), Some(approval)) = (number("places"), number("taken"), approval) else {
            return Err(decoding(format!("open shift {} is stored in a shape this build does not know", self.id)));
        };
        let position =
            (|| Some(PositionTag { id: self.position_id?, name: self.position_name?, colour: self.position_colour? }))();
        Ok(OpenShiftView {
            id: self.id,
            location_id: self.location_id,
            location_name: self.location_name,
            location_time_zone: self.location_time_zone,
            during: Interval { start: self.start_time, end: self.end_time },
            status: self.status,
            position,
            role: text("role"),
            notes: text("notes"),
            places,
            taken,
            approval,
            version: self.version,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: EventId,
    open_shift_id: Option<EventId>,
    worker_id: EntityId,
    worker_name: String,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    status: EventStatus,
    properties: Value,
    version: i32,
    created_at: DateTime<Utc>,
}

impl ClaimRow {
    fn into_view(self) -> DomainResult<ClaimView> {
        let text = |key: &str| self.properties.get(key).and_then(Value::as_str).map(str::to_string);
        let status = ClaimStatus::of(self.status, text("outcome").as_deref());
        let (Some(status), Some(open_shift_id)) = (status, self.open_shift_id) else {
            return Err(decoding(format!("claim {} is stored in a shape this build does not know", self.id)));
        };
        Ok(ClaimView {
            id: self.id,
            open_shift_id,
            worker_id: self.worker_id,
            worker_name: self.worker_name,
            status,
            during: Interval { start: self.start_time, end: self.end_time },
            note: text("note"),
            decision_note: text("decision_note"),
            shift_id: text("shift_id").and_then(|id| id.parse().ok()).map(EventId),
            version: self.version,
            claimed_at: self.created_at,
        })
    }
}

fn decoding(what: String) -> DomainError {
    DomainError::Database(sqlx::Error::Decode(what.into()))
}

pub(crate) async fn open_shift(conn: &mut PgConnection, caller: &Caller, id: EventId) -> DomainResult<OpenShiftView> {
    let row: Option<OpenShiftRow> =
        sqlx::query_as(&format!("{SELECT_OPEN_SHIFT} AND e.id = $2")).bind(caller.org).bind(id).fetch_optional(conn).await?;
    row.ok_or_else(|| DomainError::not_found("open shift", id))?.into_view()
}

/// Open shifts in these states overlapping `window`, at one location or all, by start.
pub(crate) async fn open_shifts_in(
    conn: &mut PgConnection,
    caller: &Caller,
    location: Option<EntityId>,
    window: Interval,
    statuses: &[EventStatus],
) -> DomainResult<Vec<OpenShiftView>> {
    let rows: Vec<OpenShiftRow> = sqlx::query_as(&format!(
        "{SELECT_OPEN_SHIFT}
            AND ($2::uuid IS NULL OR l.entity_id = $2) AND e.status = ANY ($3)
            AND tstzrange(e.start_time, e.end_time, '[)') && tstzrange($4, $5, '[)')
          ORDER BY e.start_time, le.name, e.id
          LIMIT 2000"
    ))
    .bind(caller.org)
    .bind(location)
    .bind(statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>())
    .bind(window.start)
    .bind(window.end)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(OpenShiftRow::into_view).collect()
}

pub(crate) async fn claim(conn: &mut PgConnection, caller: &Caller, id: EventId) -> DomainResult<ClaimView> {
    let row: Option<ClaimRow> =
        sqlx::query_as(&format!("{SELECT_CLAIM} AND e.id = $2")).bind(caller.org).bind(id).fetch_optional(conn).await?;
    row.ok_or_else(|| DomainError::not_found("claim", id))?.into_view()
}

/// The claims on these open shifts, waiting ones first, then by when they were made.
pub(crate) async fn claims_on(conn: &mut PgConnection, caller: &Caller, open_shifts: &[EventId]) -> DomainResult<Vec<ClaimView>> {
    let rows: Vec<ClaimRow> =
        sqlx::query_as(&format!("{SELECT_CLAIM} AND e.parent_id = ANY ($2) ORDER BY e.status <> 'draft', e.created_at, e.id"))
            .bind(caller.org)
            .bind(open_shifts.iter().map(|id| id.0).collect::<Vec<_>>())
            .fetch_all(conn)
            .await?;
    rows.into_iter().map(ClaimRow::into_view).collect()
}

/// A worker's claims made since `since`, latest first.
pub(crate) async fn claims_of(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    since: DateTime<Utc>,
) -> DomainResult<Vec<ClaimView>> {
    let rows: Vec<ClaimRow> = sqlx::query_as(&format!(
        "{SELECT_CLAIM} AND p.entity_id = $2 AND (e.created_at >= $3 OR e.status = 'draft')
          ORDER BY e.created_at DESC, e.id LIMIT 200"
    ))
    .bind(caller.org)
    .bind(worker)
    .bind(since)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(ClaimRow::into_view).collect()
}

/// Opens a location's draft open shifts starting in `period` to claims, as publishing its schedule
/// activates its draft shifts: one change each.
pub(crate) async fn publish_drafts_in(
    conn: &mut PgConnection,
    caller: &Caller,
    location: EntityId,
    period: Interval,
) -> DomainResult<()> {
    let published: Vec<EventId> = sqlx::query_scalar(
        "UPDATE events e SET status = 'active', version = version + 1
          WHERE e.org_id = $1 AND e.event_type = 'open_shift' AND e.status = 'draft'
            AND e.start_time >= $3 AND ($4::timestamptz IS NULL OR e.start_time < $4)
            AND EXISTS (SELECT 1 FROM participations l
                         WHERE l.org_id = e.org_id AND l.event_id = e.id AND l.participation_type = 'location'
                           AND l.entity_id = $2)
         RETURNING e.id",
    )
    .bind(caller.org)
    .bind(location)
    .bind(period.start)
    .bind(period.end)
    .fetch_all(&mut *conn)
    .await?;
    let mut recorded = Vec::with_capacity(published.len());
    for id in published {
        let view = open_shift(&mut *conn, caller, id).await?;
        recorded.push(Recorded::after(ChangeKind::OpenShiftPublished, id.0, view.version, &view));
    }
    changes::record_all(conn, caller.org, &caller.actor, recorded).await
}
