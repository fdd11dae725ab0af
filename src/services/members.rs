//! Members: the people of an organisation and their roles. Only an administrator adds, changes or removes
//! members; every change is kept in the change log (stream: the user), and the organisation always keeps
//! at least one administrator.

use super::accounts::{self, UserView};
use super::Caller;
use crate::access::{Action, Role};
use crate::ids::{EntityId, OrgId};
use crate::store::changes::{self, NewChange};
use crate::store::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The worker this person is, for a worker (and optionally for anyone who also works shifts).
    pub worker_id: Option<EntityId>,
    /// The locations a scheduler may edit drafts for.
    pub location_ids: Vec<EntityId>,
}

/// A person to add: an existing user by email, or a new one (then `name` and `password` are required).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub email: String,
    pub name: Option<String>,
    pub password: Option<String>,
    pub role: Role,
    pub worker_id: Option<EntityId>,
    #[serde(default)]
    pub location_ids: Vec<EntityId>,
}

/// What to change about a member; fields left out stay as they are.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    pub role: Option<Role>,
    pub worker_id: Option<EntityId>,
    pub location_ids: Option<Vec<EntityId>>,
}

const SELECT_MEMBER: &str = "
    SELECT m.user_id, u.email, u.name, m.role, m.worker_id,
           coalesce((SELECT array_agg(l.location_id ORDER BY l.location_id) FROM membership_locations l
                      WHERE l.org_id = m.org_id AND l.user_id = m.user_id), '{}')
      FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.org_id = $1";

type MemberRow = (Uuid, String, String, String, Option<EntityId>, Vec<Uuid>);

fn view((user_id, email, name, role, worker_id, locations): MemberRow) -> MemberView {
    MemberView {
        user_id,
        email,
        name,
        role: Role::parse(&role).unwrap_or(Role::Worker),
        worker_id,
        location_ids: locations.into_iter().map(EntityId).collect(),
    }
}

pub async fn list(pool: &PgPool, caller: &Caller) -> DomainResult<Vec<MemberView>> {
    caller.require(Action::ManagePeople)?;
    let rows: Vec<MemberRow> =
        sqlx::query_as(&format!("{SELECT_MEMBER} ORDER BY u.name, m.user_id")).bind(caller.org).fetch_all(pool).await?;
    Ok(rows.into_iter().map(view).collect())
}

pub async fn get(pool: &PgPool, caller: &Caller, user: Uuid) -> DomainResult<MemberView> {
    caller.require(Action::ManagePeople)?;
    let mut conn = pool.acquire().await?;
    load(&mut conn, caller, user).await
}

async fn load(conn: &mut PgConnection, caller: &Caller, user: Uuid) -> DomainResult<MemberView> {
    find(conn, caller.org, user).await?.ok_or_else(|| DomainError::not_found("member", user))
}

/// A membership with its role, worker and locations, unchecked: for deciding who a caller is.
pub(crate) async fn find(conn: &mut PgConnection, org: OrgId, user: Uuid) -> DomainResult<Option<MemberView>> {
    let row: Option<MemberRow> =
        sqlx::query_as(&format!("{SELECT_MEMBER} AND m.user_id = $2")).bind(org).bind(user).fetch_optional(conn).await?;
    Ok(row.map(view))
}

pub async fn add(pool: &PgPool, caller: &Caller, new: NewMember) -> DomainResult<MemberView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let user = match accounts::find_user(&mut tx, &new.email).await? {
        Some(_) if new.password.is_some() => {
            // Setting a password for an existing account through someone else's organisation would let
            // any administrator take over that person's other memberships.
            return Err(DomainError::invalid("password", "that person already has an account; leave the password out"));
        }
        Some(user) => user,
        None => {
            let name = new.name.as_deref().ok_or_else(|| DomainError::invalid("name", "is required for a new account"))?;
            let password =
                new.password.as_deref().ok_or_else(|| DomainError::invalid("password", "is required for a new account"))?;
            accounts::create_user(&mut tx, &new.email, name, password).await?
        }
    };
    check_links(new.role, new.worker_id, &new.location_ids)?;
    sqlx::query("INSERT INTO memberships (org_id, user_id, role, worker_id) VALUES ($1, $2, $3, $4)")
        .bind(caller.org)
        .bind(user.id)
        .bind(new.role.as_str())
        .bind(new.worker_id)
        .execute(&mut *tx)
        .await?;
    set_locations(&mut tx, caller, user.id, &new.location_ids).await?;
    let after = load(&mut tx, caller, user.id).await?;
    record(&mut tx, caller, &user, "member.added", json!({ "after": after })).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

pub async fn update(pool: &PgPool, caller: &Caller, user: Uuid, patch: MemberPatch) -> DomainResult<MemberView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    lock_for_change(&mut tx, caller, user).await?;
    let before = load(&mut tx, caller, user).await?;
    let role = patch.role.unwrap_or(before.role);
    let worker = patch.worker_id.or(before.worker_id);
    let locations = patch.location_ids.clone().unwrap_or_else(|| before.location_ids.clone());
    check_links(role, worker, &locations)?;
    if before.role == Role::Admin && role != Role::Admin {
        keep_an_admin(&mut tx, caller).await?;
    }
    sqlx::query("UPDATE memberships SET role = $3, worker_id = $4 WHERE org_id = $1 AND user_id = $2")
        .bind(caller.org)
        .bind(user)
        .bind(role.as_str())
        .bind(worker)
        .execute(&mut *tx)
        .await?;
    if patch.location_ids.is_some() {
        set_locations(&mut tx, caller, user, &locations).await?;
    }
    let after = load(&mut tx, caller, user).await?;
    let person = UserView { id: user, email: after.email.clone(), name: after.name.clone() };
    record(&mut tx, caller, &person, "member.changed", json!({ "before": before, "after": after })).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Ends a membership; the person's sessions and tokens in this organisation end with it.
pub async fn remove(pool: &PgPool, caller: &Caller, user: Uuid) -> DomainResult<()> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    lock_for_change(&mut tx, caller, user).await?;
    let before = load(&mut tx, caller, user).await?;
    if before.role == Role::Admin {
        keep_an_admin(&mut tx, caller).await?;
    }
    sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2")
        .bind(caller.org)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let person = UserView { id: user, email: before.email.clone(), name: before.name.clone() };
    record(&mut tx, caller, &person, "member.removed", json!({ "before": before })).await?;
    crate::store::commit(tx, pool).await?;
    Ok(())
}

/// Two administrators demoting each other at once must not leave the organisation without one: a change
/// takes the organisation's admin rows in a fixed order, then the member's own row.
async fn lock_for_change(conn: &mut PgConnection, caller: &Caller, user: Uuid) -> DomainResult<()> {
    sqlx::query(
        "SELECT 1 FROM memberships WHERE org_id = $1 AND (role = 'admin' OR user_id = $2) ORDER BY role <> 'admin', user_id FOR UPDATE",
    )
    .bind(caller.org)
    .bind(user)
    .execute(conn)
    .await?;
    Ok(())
}

async fn keep_an_admin(conn: &mut PgConnection, caller: &Caller) -> DomainResult<()> {
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships WHERE org_id = $1 AND role = 'admin'")
        .bind(caller.org)
        .fetch_one(conn)
        .await?;
    if admins <= 1 {
        return Err(DomainError::Conflict {
            code: "last_admin",
            message: "The organisation needs at least one administrator; make someone else one first.".into(),
        });
    }
    Ok(())
}

/// A worker member needs their worker, and only schedulers have locations. (That the worker is a worker
/// and the locations are locations of this organisation, the database checks.)
fn check_links(role: Role, worker: Option<EntityId>, locations: &[EntityId]) -> DomainResult<()> {
    if role == Role::Worker && worker.is_none() {
        return Err(DomainError::invalid("worker_id", "a worker member must be linked to a worker"));
    }
    if role != Role::Scheduler && !locations.is_empty() {
        return Err(DomainError::invalid("location_ids", "only schedulers are assigned locations"));
    }
    Ok(())
}

async fn set_locations(conn: &mut PgConnection, caller: &Caller, user: Uuid, locations: &[EntityId]) -> DomainResult<()> {
    sqlx::query("DELETE FROM membership_locations WHERE org_id = $1 AND user_id = $2")
        .bind(caller.org)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    let ids: Vec<uuid::Uuid> = locations.iter().map(|l| l.0).collect();
    sqlx::query(
        "INSERT INTO membership_locations (org_id, user_id, location_id)
         SELECT DISTINCT $1, $2, location FROM unnest($3::uuid[]) AS location",
    )
    .bind(caller.org)
    .bind(user)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn record(
    conn: &mut PgConnection,
    caller: &Caller,
    user: &UserView,
    kind: &str,
    payload: serde_json::Value,
) -> DomainResult<()> {
    let version: i32 =
        sqlx::query_scalar("SELECT coalesce(max(stream_version), 0) + 1 FROM changes WHERE org_id = $1 AND stream_id = $2")
            .bind(caller.org)
            .bind(user.id)
            .fetch_one(&mut *conn)
            .await?;
    changes::append(
        conn,
        caller.org,
        &caller.actor,
        NewChange { stream_id: user.id, stream_type: "membership", stream_version: version, kind, payload },
    )
    .await
}
