//! The event-participation core as infrastructure: inserting and locking events and participations.
//! It knows nothing of shifts or employments; the services in `crate::services` give these meaning.

use super::{DomainError, DomainResult};
use crate::ids::{EntityId, EventId, OrgId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;

pub struct NewEvent {
    pub kind: EventKind,
    pub parent: Option<EventId>,
    pub during: Interval,
    pub status: EventStatus,
    pub properties: Value,
}

pub async fn insert_event(conn: &mut PgConnection, org: OrgId, event: NewEvent) -> DomainResult<EventId> {
    let id = EventId::new();
    sqlx::query(
        "INSERT INTO events (org_id, id, event_type, parent_id, start_time, end_time, status, properties)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(org)
    .bind(id)
    .bind(event.kind.as_str())
    .bind(event.parent)
    .bind(event.during.start)
    .bind(event.during.end)
    .bind(event.status.as_str())
    .bind(event.properties)
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn add_participation(
    conn: &mut PgConnection,
    org: OrgId,
    event: EventId,
    entity: EntityId,
    participation_type: &str,
    role: Option<&str>,
) -> DomainResult<()> {
    // The event's type, status and range are copied in by the table's trigger; the values here only
    // satisfy NOT NULL until it runs.
    sqlx::query(
        "INSERT INTO participations (org_id, id, event_id, entity_id, participation_type, role, event_type, event_status, during)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, '', '', 'empty')",
    )
    .bind(org)
    .bind(event)
    .bind(entity)
    .bind(participation_type)
    .bind(role)
    .execute(conn)
    .await?;
    Ok(())
}

/// The entity taking part in an event as `participation_type` (a shift's worker, an employment's
/// employee), read without locking: what a command locks first.
pub async fn participant(
    conn: &mut PgConnection,
    org: OrgId,
    event: EventId,
    participation_type: &str,
) -> DomainResult<Option<EntityId>> {
    Ok(sqlx::query_scalar(
        "SELECT entity_id FROM participations WHERE org_id = $1 AND event_id = $2 AND participation_type = $3 LIMIT 1",
    )
    .bind(org)
    .bind(event)
    .bind(participation_type)
    .fetch_optional(conn)
    .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub id: EventId,
    pub event_type: String,
    pub parent_id: Option<EventId>,
    pub start_time: DateTime<Utc>,
    pub end_time: Option<DateTime<Utc>>,
    pub status: EventStatus,
    pub properties: Value,
    pub version: i32,
}

impl EventRow {
    pub fn during(&self) -> Interval {
        Interval { start: self.start_time, end: self.end_time }
    }
}

/// Locks an event of the given kind for this command, checking the caller's expected version.
/// An event of another organisation or kind is simply not found.
pub async fn lock_event(
    conn: &mut PgConnection,
    org: OrgId,
    kind: EventKind,
    id: EventId,
    expected_version: Option<i32>,
) -> DomainResult<EventRow> {
    let row: Option<EventRow> = sqlx::query_as(
        "SELECT id, event_type, parent_id, start_time, end_time, status, properties, version
           FROM events WHERE org_id = $1 AND id = $2 AND event_type = $3 FOR UPDATE",
    )
    .bind(org)
    .bind(id)
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await?;
    let row = row.ok_or_else(|| DomainError::not_found(kind.as_str(), id))?;
    if let Some(expected) = expected_version {
        if expected != row.version {
            return Err(DomainError::StaleVersion { expected, actual: row.version });
        }
    }
    Ok(row)
}

/// Writes an event's new bounds, status and properties and bumps its version; returns the new version.
pub async fn update_event(
    conn: &mut PgConnection,
    org: OrgId,
    id: EventId,
    parent: Option<EventId>,
    during: Interval,
    status: EventStatus,
    properties: &Value,
) -> DomainResult<i32> {
    let version: i32 = sqlx::query_scalar(
        "UPDATE events SET parent_id = $3, start_time = $4, end_time = $5, status = $6, properties = $7,
                version = version + 1
          WHERE org_id = $1 AND id = $2 RETURNING version",
    )
    .bind(org)
    .bind(id)
    .bind(parent)
    .bind(during.start)
    .bind(during.end)
    .bind(status.as_str())
    .bind(properties)
    .fetch_one(conn)
    .await?;
    Ok(version)
}

/// The properties schema an organisation's event type requires.
pub async fn properties_schema(conn: &mut PgConnection, org: OrgId, kind: EventKind) -> DomainResult<Value> {
    Ok(sqlx::query_scalar("SELECT properties_schema FROM event_types WHERE org_id = $1 AND name = $2")
        .bind(org)
        .bind(kind.as_str())
        .fetch_one(conn)
        .await?)
}

/// Refuses properties that do not match the event type's schema, naming the first bad field.
pub async fn check_properties(conn: &mut PgConnection, org: OrgId, kind: EventKind, properties: &Value) -> DomainResult<()> {
    let schema = properties_schema(conn, org, kind).await?;
    match crate::properties::validate(&schema, properties).into_iter().next() {
        Some(e) => Err(DomainError::Invalid { field: e.field, message: e.problem }),
        None => Ok(()),
    }
}
