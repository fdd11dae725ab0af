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
    let ids = insert_events(conn, org, vec![event]).await?;
    Ok(ids[0])
}

/// Inserts events in one statement; their ids in the order given.
pub async fn insert_events(conn: &mut PgConnection, org: OrgId, events: Vec<NewEvent>) -> DomainResult<Vec<EventId>> {
    let ids: Vec<EventId> = events.iter().map(|_| EventId::new()).collect();
    let mut kinds = Vec::with_capacity(events.len());
    let mut parents = Vec::with_capacity(events.len());
    let mut starts = Vec::with_capacity(events.len());
    let mut ends = Vec::with_capacity(events.len());
    let mut statuses = Vec::with_capacity(events.len());
    let mut properties = Vec::with_capacity(events.len());
    for event in events {
        kinds.push(event.kind.as_str());
        parents.push(event.parent.map(|p| p.0));
        starts.push(event.during.start);
        ends.push(event.during.end);
        statuses.push(event.status.as_str());
        properties.push(event.properties);
    }
    sqlx::query(
        "INSERT INTO events (org_id, id, event_type, parent_id, start_time, end_time, status, properties)
         SELECT $1, e.* FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::jsonb[])
                          AS e (id, event_type, parent_id, start_time, end_time, status, properties)",
    )
    .bind(org)
    .bind(ids.iter().map(|id| id.0).collect::<Vec<_>>())
    .bind(kinds)
    .bind(parents)
    .bind(starts)
    .bind(ends)
    .bind(statuses)
    .bind(properties)
    .execute(conn)
    .await?;
    Ok(ids)
}

/// Who takes part in an event, and as what.
pub struct NewParticipation<'a> {
    pub event: EventId,
    pub entity: EntityId,
    pub participation_type: &'a str,
    pub role: Option<&'a str>,
}

pub async fn add_participation(
    conn: &mut PgConnection,
    org: OrgId,
    event: EventId,
    entity: EntityId,
    participation_type: &str,
    role: Option<&str>,
) -> DomainResult<()> {
    add_participations(conn, org, &[NewParticipation { event, entity, participation_type, role }]).await
}

/// Inserts participations in one statement.
pub async fn add_participations(conn: &mut PgConnection, org: OrgId, all: &[NewParticipation<'_>]) -> DomainResult<()> {
    // The event's type, status and range are copied in by the table's trigger; the values here only
    // satisfy NOT NULL until it runs.
    sqlx::query(
        "INSERT INTO participations (org_id, id, event_id, entity_id, participation_type, role, event_type, event_status, during)
         SELECT $1, gen_random_uuid(), p.event_id, p.entity_id, p.participation_type, p.role, '', '', 'empty'
           FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[]) AS p (event_id, entity_id, participation_type, role)",
    )
    .bind(org)
    .bind(all.iter().map(|p| p.event.0).collect::<Vec<_>>())
    .bind(all.iter().map(|p| p.entity.0).collect::<Vec<_>>())
    .bind(all.iter().map(|p| p.participation_type).collect::<Vec<_>>())
    .bind(all.iter().map(|p| p.role).collect::<Vec<_>>())
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
    check_against(&schema, properties)
}

/// As [`check_properties`], against a schema already read (a command writing many events of a kind).
pub fn check_against(schema: &Value, properties: &Value) -> DomainResult<()> {
    match crate::properties::validate(schema, properties).into_iter().next() {
        Some(e) => Err(DomainError::Invalid { field: e.field, message: e.problem }),
        None => Ok(()),
    }
}
