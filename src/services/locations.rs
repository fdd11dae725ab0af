//! Locations, and their hierarchy as `location_membership` events: "who was the parent on date D" is a
//! temporal query like any other, and the database refuses loops at any depth.

use super::Caller;
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId, OrgId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::store::changes;
use crate::store::core::{self, NewEvent};
use crate::store::{DomainError, DomainResult};
use crate::views::{LocationMembershipView, LocationView};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLocation {
    pub name: String,
    pub address: Option<String>,
    /// IANA zone name, e.g. `Europe/Berlin`.
    pub time_zone: String,
    pub capacity: Option<i32>,
}

/// What a client may change about a location; a field left out stays as it is, an empty address clears it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocationPatch {
    pub expected_version: i32,
    pub name: Option<String>,
    pub address: Option<String>,
    /// IANA zone name. Shifts keep their instants: they are then read on the new zone's clock.
    pub time_zone: Option<String>,
    pub capacity: Option<i32>,
}

const SELECT_LOCATION: &str = "SELECT l.id, l.name, l.properties ->> 'address' AS address,
        l.properties ->> 'time_zone' AS time_zone, (l.properties ->> 'capacity')::int AS capacity,
        l.inactive_from AS closed_from, l.version
   FROM entities l WHERE l.org_id = $1 AND l.entity_type = 'location'";

#[derive(sqlx::FromRow)]
struct LocationRow {
    id: EntityId,
    name: String,
    address: Option<String>,
    time_zone: Option<String>,
    capacity: Option<i32>,
    closed_from: Option<DateTime<Utc>>,
    version: i32,
}

impl From<LocationRow> for LocationView {
    fn from(r: LocationRow) -> Self {
        LocationView {
            id: r.id,
            name: r.name,
            address: r.address,
            time_zone: r.time_zone.unwrap_or_else(|| "UTC".into()),
            capacity: r.capacity,
            closed_from: r.closed_from,
            version: r.version,
        }
    }
}

pub async fn create(pool: &PgPool, caller: &Caller, new: NewLocation) -> DomainResult<LocationView> {
    caller.require(Action::ManagePeople)?;
    let name = checked_name(&new.name)?;
    let time_zone = checked_zone(&new.time_zone)?;
    let address = checked_address(new.address.as_deref())?;
    let capacity = checked_capacity(new.capacity)?;
    let id = EntityId::new();
    let view = LocationView { id, name, address, time_zone, capacity, closed_from: None, version: 1 };
    let mut tx = crate::store::begin(pool).await?;
    sqlx::query("INSERT INTO entities (org_id, id, entity_type, name, properties) VALUES ($1, $2, 'location', $3, $4)")
        .bind(caller.org)
        .bind(id)
        .bind(&view.name)
        .bind(place(&view))
        .execute(&mut *tx)
        .await?;
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::LocationCreated, id.0, 1, json!({ "after": view })).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Renames a location or changes its address, zone or capacity, at the version the caller saw.
pub async fn update(pool: &PgPool, caller: &Caller, id: EntityId, patch: LocationPatch) -> DomainResult<LocationView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let before = lock_row(&mut tx, caller, id, patch.expected_version).await?;
    let after = LocationView {
        name: match &patch.name {
            Some(name) => checked_name(name)?,
            None => before.name.clone(),
        },
        address: match &patch.address {
            Some(address) => checked_address(Some(address))?,
            None => before.address.clone(),
        },
        time_zone: match &patch.time_zone {
            Some(zone) => checked_zone(zone)?,
            None => before.time_zone.clone(),
        },
        capacity: match patch.capacity {
            Some(capacity) => checked_capacity(Some(capacity))?,
            None => before.capacity,
        },
        version: before.version + 1,
        ..before.clone()
    };
    if (LocationView { version: before.version, ..after.clone() }) == before {
        return Ok(before);
    }
    sqlx::query(
        "UPDATE entities SET name = $3, properties = properties || $4, version = version + 1 WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org)
    .bind(id)
    .bind(&after.name)
    .bind(place(&after))
    .execute(&mut *tx)
    .await?;
    let payload = json!({ "before": before, "after": after });
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::LocationUpdated, id.0, after.version, payload).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Locks the location's row for the caller's command, at the version the caller saw.
pub(crate) async fn lock_row(
    conn: &mut PgConnection,
    caller: &Caller,
    id: EntityId,
    expected_version: i32,
) -> DomainResult<LocationView> {
    let row: Option<LocationRow> = sqlx::query_as(&format!("{SELECT_LOCATION} AND l.id = $2 FOR UPDATE"))
        .bind(caller.org)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let view: LocationView = row.map(Into::into).ok_or_else(|| DomainError::not_found("location", id))?;
    if view.version != expected_version {
        return Err(DomainError::StaleVersion { expected: expected_version, actual: view.version });
    }
    Ok(view)
}

/// Marks the locked location closed from `from` (or reopened, with `None`), and answers it as it is now.
pub(crate) async fn set_closed(
    conn: &mut PgConnection,
    caller: &Caller,
    before: &LocationView,
    from: Option<DateTime<Utc>>,
) -> DomainResult<LocationView> {
    sqlx::query("UPDATE entities SET inactive_from = $3, version = version + 1 WHERE org_id = $1 AND id = $2")
        .bind(caller.org)
        .bind(before.id)
        .bind(from)
        .execute(&mut *conn)
        .await?;
    Ok(LocationView { closed_from: from, version: before.version + 1, ..before.clone() })
}

/// A location by its name as a person types it: any case, spaces trimmed.
pub(crate) fn find_by_name<'a>(places: &'a [LocationView], name: &str) -> Option<&'a LocationView> {
    let wanted = name.trim().to_lowercase();
    places.iter().find(|p| p.name.trim().to_lowercase() == wanted)
}

fn checked_name(name: &str) -> DomainResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(DomainError::invalid("name", "must be 1 to 200 characters, without control characters"));
    }
    Ok(name.to_string())
}

fn checked_zone(zone: &str) -> DomainResult<String> {
    crate::organisation_setup::checked_time_zone(zone).map(|tz| tz.name().to_string()).map_err(Into::into)
}

/// Trimmed; empty is none.
fn checked_address(address: Option<&str>) -> DomainResult<Option<String>> {
    let Some(address) = address.map(str::trim).filter(|a| !a.is_empty()) else { return Ok(None) };
    if address.chars().count() > 300 || address.chars().any(|c| c.is_control() && c != '\n') {
        return Err(DomainError::invalid("address", "must be at most 300 characters, without control characters"));
    }
    Ok(Some(address.to_string()))
}

fn checked_capacity(capacity: Option<i32>) -> DomainResult<Option<i32>> {
    match capacity {
        Some(c) if !(0..=100_000).contains(&c) => Err(DomainError::invalid("capacity", "must be between 0 and 100000")),
        other => Ok(other),
    }
}

/// The properties a location is stored with.
fn place(view: &LocationView) -> serde_json::Value {
    json!({ "address": view.address, "time_zone": view.time_zone, "capacity": view.capacity })
}

pub async fn get(pool: &PgPool, caller: &Caller, id: EntityId) -> DomainResult<LocationView> {
    caller.require(Action::ReadOrganisation)?;
    let row: Option<LocationRow> =
        sqlx::query_as(&format!("{SELECT_LOCATION} AND l.id = $2")).bind(caller.org).bind(id).fetch_optional(pool).await?;
    row.map(Into::into).ok_or_else(|| DomainError::not_found("location", id))
}

pub async fn list(pool: &PgPool, caller: &Caller) -> DomainResult<Vec<LocationView>> {
    caller.require(Action::ReadOrganisation)?;
    list_all(&mut *pool.acquire().await?, caller.org).await
}

/// Every location of the organisation by name, for whoever may be told them (a worker choosing where
/// they clock in, say).
pub(crate) async fn list_all(conn: &mut PgConnection, org: OrgId) -> DomainResult<Vec<LocationView>> {
    let rows: Vec<LocationRow> =
        sqlx::query_as(&format!("{SELECT_LOCATION} ORDER BY l.name, l.id")).bind(org).fetch_all(conn).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The location a calendar asked for, or without one the first; not found if the organisation has none.
pub fn choose(all: &[LocationView], wanted: Option<EntityId>) -> DomainResult<LocationView> {
    match wanted {
        Some(id) => all.iter().find(|l| l.id == id).cloned().ok_or_else(|| DomainError::not_found("location", id)),
        None => all.first().cloned().ok_or_else(|| DomainError::not_found("location", "any")),
    }
}

/// Puts `child` under `parent` from `from` (until `until`, or for good).
pub async fn set_parent(
    pool: &PgPool,
    caller: &Caller,
    child: EntityId,
    parent: EntityId,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
) -> DomainResult<LocationMembershipView> {
    caller.require(Action::ManagePeople)?;
    if child == parent {
        return Err(DomainError::invalid("parent_id", "a location cannot be its own parent"));
    }
    let during = Interval::open_ended(from, until).map_err(|e| DomainError::invalid("until", e.to_string()))?;
    get(pool, caller, child).await?;
    get(pool, caller, parent).await?;
    let mut tx = crate::store::begin(pool).await?;
    let view = insert_membership(&mut tx, caller, child, parent, during).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Puts `child` under `parent` from `from` on, or under nothing with `None`: the membership running at
/// `from` ends there and any that begin later are cancelled, in one command, so the hierarchy before
/// `from` stays as it was.
pub async fn move_under(
    pool: &PgPool,
    caller: &Caller,
    child: EntityId,
    parent: Option<EntityId>,
    from: DateTime<Utc>,
) -> DomainResult<Option<LocationMembershipView>> {
    caller.require(Action::ManagePeople)?;
    crate::date_range::require_instant("from", from)?;
    if parent == Some(child) {
        return Err(DomainError::invalid("parent_id", "a location cannot be its own parent"));
    }
    get(pool, caller, child).await?;
    if let Some(parent) = parent {
        get(pool, caller, parent).await?;
    }
    let mut tx = crate::store::begin(pool).await?;
    let later: Vec<EventId> = sqlx::query_scalar(
        "SELECT event_id FROM participations
          WHERE org_id = $1 AND entity_id = $2 AND event_type = 'location_membership' AND participation_type = 'location'
            AND event_status <> 'cancelled' AND (upper(during) IS NULL OR upper(during) > $3)
          ORDER BY lower(during)",
    )
    .bind(caller.org)
    .bind(child)
    .bind(from)
    .fetch_all(&mut *tx)
    .await?;
    for membership in later {
        let row = core::lock_event(&mut tx, caller.org, EventKind::LocationMembership, membership, None).await?;
        let (during, status) = match Interval::new(row.start_time, from) {
            Ok(ended) => (ended, row.status),
            Err(_) => (row.during(), EventStatus::Cancelled),
        };
        let version = core::update_event(&mut tx, caller.org, membership, None, during, status, &row.properties).await?;
        let payload = json!({ "before": row.during(), "after": (status != EventStatus::Cancelled).then_some(during) });
        changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::LocationParentEnded, membership.0, version, payload)
            .await?;
    }
    let view = match parent {
        Some(parent) => Some(insert_membership(&mut tx, caller, child, parent, Interval { start: from, end: None }).await?),
        None => None,
    };
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

async fn insert_membership(
    tx: &mut PgConnection,
    caller: &Caller,
    child: EntityId,
    parent: EntityId,
    during: Interval,
) -> DomainResult<LocationMembershipView> {
    let id = core::insert_event(
        &mut *tx,
        caller.org,
        NewEvent {
            kind: EventKind::LocationMembership,
            parent: None,
            during,
            status: EventStatus::Active,
            properties: json!({}),
        },
    )
    .await?;
    core::add_participation(&mut *tx, caller.org, id, child, "location", None).await?;
    core::add_participation(&mut *tx, caller.org, id, parent, "parent_location", None).await?;
    let view = LocationMembershipView { id, child_id: child, parent_id: parent, during, version: 1 };
    changes::record(&mut *tx, caller.org, &caller.actor, ChangeKind::LocationParentSet, id.0, 1, json!({ "after": view }))
        .await?;
    Ok(view)
}

/// Ends a membership at `at` (the child has no parent from then on).
pub async fn end_membership(
    pool: &PgPool,
    caller: &Caller,
    membership: EventId,
    at: DateTime<Utc>,
    expected_version: i32,
) -> DomainResult<LocationMembershipView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let row = core::lock_event(&mut tx, caller.org, EventKind::LocationMembership, membership, Some(expected_version)).await?;
    let during =
        Interval::new(row.start_time, at).map_err(|_| DomainError::invalid("at", "must be after the membership starts"))?;
    if row.end_time.is_some_and(|end| end < at) {
        return Err(DomainError::invalid("at", "the membership already ended before then"));
    }
    let version = core::update_event(&mut tx, caller.org, membership, None, during, row.status, &row.properties).await?;
    let (child_id, parent_id): (EntityId, EntityId) = sqlx::query_as(
        "SELECT max(entity_id::text) FILTER (WHERE participation_type = 'location')::uuid,
                max(entity_id::text) FILTER (WHERE participation_type = 'parent_location')::uuid
           FROM participations WHERE org_id = $1 AND event_id = $2",
    )
    .bind(caller.org)
    .bind(membership)
    .fetch_one(&mut *tx)
    .await?;
    let view = LocationMembershipView { id: membership, child_id, parent_id, during, version };
    changes::record(
        &mut tx,
        caller.org,
        &caller.actor,
        ChangeKind::LocationParentEnded,
        membership.0,
        version,
        json!({ "after": view }),
    )
    .await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// The location's parent at instant `at`, if it had one.
pub async fn parent_at(pool: &PgPool, caller: &Caller, child: EntityId, at: DateTime<Utc>) -> DomainResult<Option<LocationView>> {
    caller.require(Action::ReadOrganisation)?;
    crate::date_range::require_instant("at", at)?;
    get(pool, caller, child).await?;
    let row: Option<LocationRow> = sqlx::query_as(&format!(
        "{SELECT_LOCATION} AND l.id = (
            SELECT up.entity_id FROM participations down
              JOIN participations up ON up.org_id = down.org_id AND up.event_id = down.event_id
                                    AND up.participation_type = 'parent_location'
             WHERE down.org_id = $1 AND down.entity_id = $2 AND down.event_type = 'location_membership'
               AND down.participation_type = 'location' AND down.event_status <> 'cancelled' AND down.during @> $3::timestamptz
             LIMIT 1)"
    ))
    .bind(caller.org)
    .bind(child)
    .bind(at)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Into::into))
}

/// The next parent the location goes under after instant `at`, and from when: a move dated ahead,
/// which `parent_at(now)` does not show yet.
pub async fn next_parent_after(
    pool: &PgPool,
    caller: &Caller,
    child: EntityId,
    at: DateTime<Utc>,
) -> DomainResult<Option<(DateTime<Utc>, LocationView)>> {
    caller.require(Action::ReadOrganisation)?;
    crate::date_range::require_instant("at", at)?;
    let next: Option<(DateTime<Utc>, EntityId)> = sqlx::query_as(
        "SELECT lower(down.during), up.entity_id FROM participations down
           JOIN participations up ON up.org_id = down.org_id AND up.event_id = down.event_id
                                 AND up.participation_type = 'parent_location'
          WHERE down.org_id = $1 AND down.entity_id = $2 AND down.event_type = 'location_membership'
            AND down.participation_type = 'location' AND down.event_status <> 'cancelled' AND lower(down.during) > $3
          ORDER BY lower(down.during) LIMIT 1",
    )
    .bind(caller.org)
    .bind(child)
    .bind(at)
    .fetch_optional(pool)
    .await?;
    match next {
        Some((from, parent)) => Ok(Some((from, get(pool, caller, parent).await?))),
        None => Ok(None),
    }
}

/// The locations directly under `parent` at instant `at`.
pub async fn children_at(pool: &PgPool, caller: &Caller, parent: EntityId, at: DateTime<Utc>) -> DomainResult<Vec<LocationView>> {
    caller.require(Action::ReadOrganisation)?;
    crate::date_range::require_instant("at", at)?;
    get(pool, caller, parent).await?;
    let rows: Vec<LocationRow> = sqlx::query_as(&format!(
        "{SELECT_LOCATION} AND l.id IN (
            SELECT down.entity_id FROM participations up
              JOIN participations down ON down.org_id = up.org_id AND down.event_id = up.event_id
                                      AND down.participation_type = 'location'
             WHERE up.org_id = $1 AND up.entity_id = $2 AND up.event_type = 'location_membership'
               AND up.participation_type = 'parent_location' AND up.event_status <> 'cancelled' AND up.during @> $3::timestamptz)
         ORDER BY l.name, l.id"
    ))
    .bind(caller.org)
    .bind(parent)
    .bind(at)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
