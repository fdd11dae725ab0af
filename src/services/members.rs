//! Members: the people of an organisation and their roles. Only an administrator adds, changes or removes
//! members; every change is kept in the change log (stream: the user), and the organisation always keeps
//! at least one administrator.
//!
//! A person added by an administrator is a pending member until they accept at sign-in (or decline):
//! a pending membership grants nothing, the organisation sees only the name it gave, and adding someone
//! answers the same whether or not their email already has an account
//! (migrations/0009_consent_and_application_role.sql).

use super::users::{self, passwords};
use super::Caller;
use crate::access::{Action, Role};
use crate::change_kind::{ChangeKind, StreamType};
use crate::ids::{EntityId, OrgId};
use crate::store::changes;
use crate::store::{Actor, DomainError, DomainResult};
pub use crate::views::people::MemberView;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A person to add by email. An administrator gives a name and a password every time: the password is the
/// first one of a new account, and an existing account keeps its own — the answer does not say which.
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
    SELECT m.user_id, u.email, CASE WHEN m.accepted_at IS NULL THEN coalesce(m.added_as, u.name) ELSE u.name END,
           m.role, m.worker_id,
           coalesce((SELECT array_agg(l.location_id ORDER BY l.location_id) FROM membership_locations l
                      WHERE l.org_id = m.org_id AND l.user_id = m.user_id), '{}'),
           m.accepted_at IS NULL
      FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.org_id = $1";

type MemberRow = (Uuid, String, String, Role, Option<EntityId>, Vec<Uuid>, bool);

fn view((user_id, email, name, role, worker_id, locations, pending): MemberRow) -> MemberView {
    MemberView { user_id, email, name, role, worker_id, location_ids: locations.into_iter().map(EntityId).collect(), pending }
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
    check_links(new.role, new.worker_id, &new.location_ids)?;
    let mut tx = crate::store::begin(pool).await?;
    // The server itself (the demo, an operator's setup) adds members who need not consent; a person's
    // organisation asks them first.
    let by_a_person = caller.actor.id.is_some();
    let (user, added_as) = if by_a_person {
        let (user, name) = account_of_invitee(&mut tx, &new).await?;
        (user, Some(name))
    } else {
        (account_for_the_server(&mut tx, &new).await?, None)
    };
    sqlx::query(
        "INSERT INTO memberships (org_id, user_id, role, worker_id, accepted_at, added_as)
         VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END, $6)",
    )
    .bind(caller.org)
    .bind(user)
    .bind(new.role.as_str())
    .bind(new.worker_id)
    .bind(!by_a_person)
    .bind(added_as)
    .execute(&mut *tx)
    .await?;
    set_locations(&mut tx, caller.org, user, &new.location_ids).await?;
    let after = load(&mut tx, caller, user).await?;
    record(&mut tx, caller.org, &caller.actor, user, ChangeKind::MemberAdded, json!({ "after": after })).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// The person who creates an organisation becomes its first administrator, accepted at once: they asked
/// for it. Logged as any member added, by the founder themselves.
pub(crate) async fn add_founder(conn: &mut PgConnection, org: OrgId, founder: &Actor) -> DomainResult<MemberView> {
    let user = founder.id.ok_or_else(|| DomainError::invalid("admin_email", "the founder needs an account"))?;
    sqlx::query("INSERT INTO memberships (org_id, user_id, role, accepted_at) VALUES ($1, $2, 'admin', now())")
        .bind(org)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    let after = find(conn, org, user).await?.ok_or_else(|| DomainError::not_found("member", user))?;
    record(conn, org, founder, user, ChangeKind::MemberAdded, json!({ "after": after })).await?;
    Ok(after)
}

/// A person who accepted an invitation becomes a member with the invitation's role, accepted at once:
/// opening the link and answering it is their consent. Logged as a member added, by the person.
pub(crate) async fn add_invited(
    conn: &mut PgConnection,
    org: OrgId,
    person: &Actor,
    role: Role,
    worker: Option<EntityId>,
    locations: &[EntityId],
) -> DomainResult<MemberView> {
    let user = person.id.ok_or_else(|| DomainError::not_found("member", "without an account"))?;
    check_links(role, worker, locations)?;
    sqlx::query("INSERT INTO memberships (org_id, user_id, role, worker_id, accepted_at) VALUES ($1, $2, $3, $4, now())")
        .bind(org)
        .bind(user)
        .bind(role.as_str())
        .bind(worker)
        .execute(&mut *conn)
        .await?;
    set_locations(conn, org, user, locations).await?;
    let after = find(conn, org, user).await?.ok_or_else(|| DomainError::not_found("member", user))?;
    record(conn, org, person, user, ChangeKind::MemberAdded, json!({ "after": after })).await?;
    Ok(after)
}

/// Whether `email` is already a member of the organisation, accepted or pending.
pub(crate) async fn email_is_member(conn: &mut PgConnection, org: OrgId, email: &str) -> DomainResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND lower(u.email) = $2)",
    )
    .bind(org)
    .bind(email)
    .fetch_one(conn)
    .await?)
}

/// The account of a person an administrator adds, made if the email has none. The same checks, the same
/// work (the password is hashed either way) and the same answer whether or not the account existed.
async fn account_of_invitee(conn: &mut PgConnection, new: &NewMember) -> DomainResult<(Uuid, String)> {
    let email = users::normalise_email(&new.email)?;
    let name = users::checked_name(new.name.as_deref().unwrap_or_default())?.to_string();
    let password = new.password.as_deref().ok_or_else(|| {
        DomainError::invalid("password", "is required: it becomes the password of a new account (an existing one keeps its own)")
    })?;
    passwords::check_strength(password)?;
    let hash = passwords::hash(password).await?;
    // Another organisation may be adding the same person at this moment.
    let user = users::made_unless_taken(conn, &email, &name, &hash).await?;
    Ok((user, name))
}

/// The account of a member the server adds: an existing one as it is, or a new one with the name and
/// password given.
async fn account_for_the_server(conn: &mut PgConnection, new: &NewMember) -> DomainResult<Uuid> {
    match users::find_user(conn, &new.email).await? {
        Some(_) if new.password.is_some() => {
            Err(DomainError::invalid("password", "that person already has an account; leave the password out"))
        }
        Some(user) => Ok(user.id),
        None => {
            let name = new.name.as_deref().ok_or_else(|| DomainError::invalid("name", "is required for a new account"))?;
            let password =
                new.password.as_deref().ok_or_else(|| DomainError::invalid("password", "is required for a new account"))?;
            Ok(users::create_user(conn, &new.email, name, password).await?.id)
        }
    }
}

/// A membership waiting for its person's answer, as they are asked about it at sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingMembership {
    pub org_id: OrgId,
    /// The organisation's slug, as the sign-in form names an organisation.
    pub organisation: String,
    pub organisation_name: String,
    pub role: Role,
}

/// The memberships waiting for this person's answer, oldest first.
pub(crate) async fn pending_for(conn: &mut PgConnection, user: Uuid) -> DomainResult<Vec<PendingMembership>> {
    let rows: Vec<(OrgId, String, String, Role)> = sqlx::query_as(
        "SELECT m.org_id, o.slug, o.name, m.role FROM memberships m JOIN organisations o ON o.id = m.org_id
          WHERE m.user_id = $1 AND m.accepted_at IS NULL ORDER BY m.created_at, o.slug",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(org_id, organisation, organisation_name, role)| PendingMembership {
            org_id,
            organisation,
            organisation_name,
            role,
        })
        .collect())
}

/// The person's answer to a pending membership: accepted, it grants its role from now on; declined, it
/// is gone. Either is a change in the organisation's log, made by the person. False if nothing was
/// pending (already answered, or withdrawn by the organisation).
pub(crate) async fn answer(conn: &mut PgConnection, person: &Actor, org: OrgId, accept: bool) -> DomainResult<bool> {
    let user = person.id.ok_or_else(|| DomainError::not_found("member", "without an account"))?;
    let before = match find(conn, org, user).await? {
        Some(member) if member.pending => member,
        _ => return Ok(false),
    };
    if accept {
        sqlx::query("UPDATE memberships SET accepted_at = now() WHERE org_id = $1 AND user_id = $2 AND accepted_at IS NULL")
            .bind(org)
            .bind(user)
            .execute(&mut *conn)
            .await?;
        let after = find(conn, org, user).await?.ok_or_else(|| DomainError::not_found("member", user))?;
        record(conn, org, person, user, ChangeKind::MemberAccepted, json!({ "before": before, "after": after })).await?;
    } else {
        sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2 AND accepted_at IS NULL")
            .bind(org)
            .bind(user)
            .execute(&mut *conn)
            .await?;
        record(conn, org, person, user, ChangeKind::MemberDeclined, json!({ "before": before })).await?;
    }
    Ok(true)
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
    if before.role == Role::Admin && !before.pending && role != Role::Admin {
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
        set_locations(&mut tx, caller.org, user, &locations).await?;
    }
    let after = load(&mut tx, caller, user).await?;
    record(&mut tx, caller.org, &caller.actor, user, ChangeKind::MemberChanged, json!({ "before": before, "after": after }))
        .await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// Ends a membership; the person's sessions and tokens in this organisation end with it.
pub async fn remove(pool: &PgPool, caller: &Caller, user: Uuid) -> DomainResult<()> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    lock_for_change(&mut tx, caller, user).await?;
    let before = load(&mut tx, caller, user).await?;
    if before.role == Role::Admin && !before.pending {
        keep_an_admin(&mut tx, caller).await?;
    }
    sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2")
        .bind(caller.org)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    record(&mut tx, caller.org, &caller.actor, user, ChangeKind::MemberRemoved, json!({ "before": before })).await?;
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
    let admins: i64 =
        sqlx::query_scalar("SELECT count(*) FROM memberships WHERE org_id = $1 AND role = 'admin' AND accepted_at IS NOT NULL")
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
pub(crate) fn check_links(role: Role, worker: Option<EntityId>, locations: &[EntityId]) -> DomainResult<()> {
    if role == Role::Worker && worker.is_none() {
        return Err(DomainError::invalid("worker_id", "a worker member must be linked to a worker"));
    }
    if role != Role::Scheduler && !locations.is_empty() {
        return Err(DomainError::invalid("location_ids", "only schedulers are assigned locations"));
    }
    Ok(())
}

async fn set_locations(conn: &mut PgConnection, org: OrgId, user: Uuid, locations: &[EntityId]) -> DomainResult<()> {
    sqlx::query("DELETE FROM membership_locations WHERE org_id = $1 AND user_id = $2")
        .bind(org)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    let ids: Vec<uuid::Uuid> = locations.iter().map(|l| l.0).collect();
    sqlx::query(
        "INSERT INTO membership_locations (org_id, user_id, location_id)
         SELECT DISTINCT $1, $2, location FROM unnest($3::uuid[]) AS location",
    )
    .bind(org)
    .bind(user)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn record(
    conn: &mut PgConnection,
    org: OrgId,
    actor: &Actor,
    user: Uuid,
    kind: ChangeKind,
    payload: serde_json::Value,
) -> DomainResult<()> {
    debug_assert_eq!(kind.stream(), StreamType::Membership, "{kind:?}");
    changes::record_next(conn, org, actor, kind, user, payload).await
}
