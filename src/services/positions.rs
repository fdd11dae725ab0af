//! Positions: the organisation's named jobs, each with a colour, and who holds which. A leaf: the
//! command that changes what a worker holds re-judges their shifts, and lives above the rules
//! (`roster::set_positions`); this module only reads and writes the rows.

use super::Caller;
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, OrgId};
use crate::position_colour;
use crate::store::changes;
use crate::store::{DomainError, DomainResult};
use crate::views::positions::{PositionTag, PositionView};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPosition {
    pub name: String,
    /// `#rrggbb` or `#rgb`; left out, the next colour of the palette.
    pub colour: Option<String>,
}

/// What a client may change about a position; a field left out stays as it is.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PositionPatch {
    pub expected_version: i32,
    pub name: Option<String>,
    pub colour: Option<String>,
}

const SELECT_POSITION: &str = "SELECT p.id, p.name, p.properties ->> 'colour' AS colour, p.inactive_from AS retired_from,
        (SELECT count(*) FROM positions_held h WHERE h.org_id = p.org_id AND h.position_id = p.id) AS holders, p.version
   FROM entities p WHERE p.org_id = $1 AND p.entity_type = 'position'";

#[derive(sqlx::FromRow)]
struct PositionRow {
    id: EntityId,
    name: String,
    colour: Option<String>,
    retired_from: Option<DateTime<Utc>>,
    holders: i64,
    version: i32,
}

impl From<PositionRow> for PositionView {
    fn from(r: PositionRow) -> Self {
        PositionView {
            id: r.id,
            name: r.name,
            colour: r.colour.unwrap_or_else(|| position_colour::PALETTE[0].into()),
            retired_from: r.retired_from,
            holders: r.holders,
            version: r.version,
        }
    }
}

/// Every position, retired ones too, by name.
pub async fn list(pool: &PgPool, caller: &Caller) -> DomainResult<Vec<PositionView>> {
    caller.require(Action::ReadOrganisation)?;
    let rows: Vec<PositionRow> =
        sqlx::query_as(&format!("{SELECT_POSITION} ORDER BY lower(p.name), p.id")).bind(caller.org).fetch_all(pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn create(pool: &PgPool, caller: &Caller, new: NewPosition) -> DomainResult<PositionView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let view = insert(&mut tx, caller, new).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Checks and writes a new position, with its change, in the caller's transaction.
pub(crate) async fn insert(conn: &mut PgConnection, caller: &Caller, new: NewPosition) -> DomainResult<PositionView> {
    let name = checked_name(&new.name)?;
    let colour = match new.colour.as_deref() {
        Some(colour) => checked_colour(colour)?,
        None => {
            let existing: i64 =
                sqlx::query_scalar("SELECT count(*) FROM entities WHERE org_id = $1 AND entity_type = 'position'")
                    .bind(caller.org)
                    .fetch_one(&mut *conn)
                    .await?;
            position_colour::PALETTE[existing as usize % position_colour::PALETTE.len()].to_string()
        }
    };
    let id = EntityId::new();
    sqlx::query("INSERT INTO entities (org_id, id, entity_type, name, properties) VALUES ($1, $2, 'position', $3, $4)")
        .bind(caller.org)
        .bind(id)
        .bind(&name)
        .bind(json!({ "colour": colour }))
        .execute(&mut *conn)
        .await?;
    let view = PositionView { id, name, colour, retired_from: None, holders: 0, version: 1 };
    changes::record(conn, caller.org, &caller.actor, ChangeKind::PositionCreated, id.0, 1, json!({ "after": view })).await?;
    Ok(view)
}

/// Renames or recolours a position at the version the caller saw; its shifts follow.
pub async fn update(pool: &PgPool, caller: &Caller, id: EntityId, patch: PositionPatch) -> DomainResult<PositionView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let before = lock_row(&mut tx, caller, id, patch.expected_version).await?;
    let after = PositionView {
        name: match &patch.name {
            Some(name) => checked_name(name)?,
            None => before.name.clone(),
        },
        colour: match &patch.colour {
            Some(colour) => checked_colour(colour)?,
            None => before.colour.clone(),
        },
        version: before.version + 1,
        ..before.clone()
    };
    if (&after.name, &after.colour) == (&before.name, &before.colour) {
        return Ok(before);
    }
    sqlx::query(
        "UPDATE entities SET name = $3, properties = properties || $4, version = version + 1 WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org)
    .bind(id)
    .bind(&after.name)
    .bind(json!({ "colour": after.colour }))
    .execute(&mut *tx)
    .await?;
    let payload = json!({ "before": before, "after": after });
    changes::record(&mut tx, caller.org, &caller.actor, ChangeKind::PositionUpdated, id.0, after.version, payload).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Retires a position from `now` (no new shift asks for it; shifts that do keep it and its holders keep
/// holding it), or brings a retired one back.
pub async fn set_retired(
    pool: &PgPool,
    caller: &Caller,
    id: EntityId,
    expected_version: i32,
    retired: bool,
    now: DateTime<Utc>,
) -> DomainResult<PositionView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let before = lock_row(&mut tx, caller, id, expected_version).await?;
    if before.retired_from.is_some() == retired {
        return Ok(before);
    }
    let from = retired.then_some(now);
    sqlx::query("UPDATE entities SET inactive_from = $3, version = version + 1 WHERE org_id = $1 AND id = $2")
        .bind(caller.org)
        .bind(id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
    let after = PositionView { retired_from: from, version: before.version + 1, ..before.clone() };
    let kind = if retired { ChangeKind::PositionRetired } else { ChangeKind::PositionRestored };
    changes::record(&mut tx, caller.org, &caller.actor, kind, id.0, after.version, json!({ "before": before, "after": after }))
        .await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

async fn lock_row(conn: &mut PgConnection, caller: &Caller, id: EntityId, expected_version: i32) -> DomainResult<PositionView> {
    let row: Option<PositionRow> = sqlx::query_as(&format!("{SELECT_POSITION} AND p.id = $2 FOR UPDATE OF p"))
        .bind(caller.org)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let view: PositionView = row.map(Into::into).ok_or_else(|| DomainError::not_found("position", id))?;
    if view.version != expected_version {
        return Err(DomainError::StaleVersion { expected: expected_version, actual: view.version });
    }
    Ok(view)
}

/// The position a shift may be given: one of the organisation's, not retired. `field` names the input.
pub(crate) async fn askable(conn: &mut PgConnection, caller: &Caller, id: EntityId, field: &str) -> DomainResult<PositionTag> {
    let row: Option<(String, Option<String>, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT name, properties ->> 'colour', inactive_from FROM entities
          WHERE org_id = $1 AND id = $2 AND entity_type = 'position'",
    )
    .bind(caller.org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        None => Err(DomainError::not_found("position", id)),
        Some((name, _, Some(_))) => Err(DomainError::invalid(field, format!("the position '{name}' is retired"))),
        Some((name, colour, None)) => {
            Ok(PositionTag { id, name, colour: colour.unwrap_or_else(|| position_colour::PALETTE[0].into()) })
        }
    }
}

/// Every position of the organisation by its name in lower case: its id, its name, whether it is retired.
pub(crate) async fn by_name(conn: &mut PgConnection, org: OrgId) -> DomainResult<HashMap<String, (EntityId, String, bool)>> {
    let rows: Vec<(EntityId, String, bool)> =
        sqlx::query_as("SELECT id, name, inactive_from IS NOT NULL FROM entities WHERE org_id = $1 AND entity_type = 'position'")
            .bind(org)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(id, name, retired)| (name.to_lowercase(), (id, name, retired))).collect())
}

/// What every worker of the organisation holds.
pub(crate) async fn held_in_org(conn: &mut PgConnection, org: OrgId) -> DomainResult<HashMap<EntityId, Vec<EntityId>>> {
    let rows: Vec<(EntityId, EntityId)> =
        sqlx::query_as("SELECT worker_id, position_id FROM positions_held WHERE org_id = $1 ORDER BY position_id")
            .bind(org)
            .fetch_all(conn)
            .await?;
    let mut held: HashMap<EntityId, Vec<EntityId>> = HashMap::new();
    for (worker, position) in rows {
        held.entry(worker).or_default().push(position);
    }
    Ok(held)
}

/// The positions a worker holds.
pub(crate) async fn held_by(conn: &mut PgConnection, caller: &Caller, worker: EntityId) -> DomainResult<Vec<EntityId>> {
    Ok(sqlx::query_scalar("SELECT position_id FROM positions_held WHERE org_id = $1 AND worker_id = $2 ORDER BY position_id")
        .bind(caller.org)
        .bind(worker)
        .fetch_all(conn)
        .await?)
}

/// The positions each of `workers` holds.
pub(crate) async fn held_by_each(
    conn: &mut PgConnection,
    caller: &Caller,
    workers: &[EntityId],
) -> DomainResult<HashMap<EntityId, Vec<EntityId>>> {
    let ids: Vec<uuid::Uuid> = workers.iter().map(|w| w.0).collect();
    let rows: Vec<(EntityId, EntityId)> = sqlx::query_as(
        "SELECT worker_id, position_id FROM positions_held WHERE org_id = $1 AND worker_id = ANY ($2) ORDER BY position_id",
    )
    .bind(caller.org)
    .bind(&ids)
    .fetch_all(conn)
    .await?;
    let mut held: HashMap<EntityId, Vec<EntityId>> = HashMap::new();
    for (worker, position) in rows {
        held.entry(worker).or_default().push(position);
    }
    Ok(held)
}

/// Makes `wanted` exactly what each worker holds, in three statements whatever the number of workers;
/// answers the workers whose positions changed. The caller holds the workers' rows and re-judges their
/// shifts.
pub(crate) async fn replace_held(
    conn: &mut PgConnection,
    caller: &Caller,
    wanted: &[(EntityId, Vec<EntityId>)],
) -> DomainResult<std::collections::HashSet<EntityId>> {
    let (mut workers, mut pairs_worker, mut pairs_position) = (Vec::new(), Vec::new(), Vec::new());
    for (worker, positions) in wanted {
        workers.push(worker.0);
        for position in positions {
            pairs_worker.push(worker.0);
            pairs_position.push(position.0);
        }
    }
    let mut distinct = pairs_position.clone();
    distinct.sort();
    distinct.dedup();
    let known: i64 =
        sqlx::query_scalar("SELECT count(*) FROM entities WHERE org_id = $1 AND entity_type = 'position' AND id = ANY ($2)")
            .bind(caller.org)
            .bind(&distinct)
            .fetch_one(&mut *conn)
            .await?;
    if known as usize != distinct.len() {
        return Err(DomainError::invalid("position_ids", "names a position the organisation does not have"));
    }
    let released: Vec<EntityId> = sqlx::query_scalar(
        "DELETE FROM positions_held h WHERE h.org_id = $1 AND h.worker_id = ANY ($2)
            AND NOT EXISTS (SELECT 1 FROM unnest($3::uuid[], $4::uuid[]) AS w (worker_id, position_id)
                             WHERE w.worker_id = h.worker_id AND w.position_id = h.position_id)
         RETURNING h.worker_id",
    )
    .bind(caller.org)
    .bind(&workers)
    .bind(&pairs_worker)
    .bind(&pairs_position)
    .fetch_all(&mut *conn)
    .await?;
    let taken: Vec<EntityId> = sqlx::query_scalar(
        "INSERT INTO positions_held (org_id, worker_id, position_id) SELECT $1, w.worker_id, w.position_id
           FROM unnest($2::uuid[], $3::uuid[]) AS w (worker_id, position_id)
         ON CONFLICT DO NOTHING RETURNING worker_id",
    )
    .bind(caller.org)
    .bind(&pairs_worker)
    .bind(&pairs_position)
    .fetch_all(&mut *conn)
    .await?;
    Ok(released.into_iter().chain(taken).collect())
}

fn checked_name(name: &str) -> DomainResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(DomainError::invalid("name", "must be 1 to 80 characters, without control characters"));
    }
    Ok(name.to_string())
}

fn checked_colour(colour: &str) -> DomainResult<String> {
    position_colour::normalised(colour)
        .ok_or_else(|| DomainError::invalid("colour", "must be a colour written #rrggbb, such as #1d4ed8"))
}
