//! Invitations: an administrator invites a person by email with a role (and, for a worker, the worker
//! they are); the person opens a one-time link, chooses a password — or, with an account already, gives
//! its password — and is a member from then on, signed in. The link is 256 random bits of which only
//! the SHA-256 is kept; it works once, for [`LINK_DAYS`] days. Every step is a change in the log
//! (stream: the invitation), and the database refuses a second use (migrations/0013_invitations.sql).
//!
//! Mosaic sends no email: the administrator is shown the link once, to send as they send anything else.

use super::accounts::{self, SignedIn};
use super::users::{self, passwords, secrets};
use super::{members, workers, Caller};
use crate::access::{Action, Role};
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, OrgId};
use crate::store::{changes, Actor, DomainError, DomainResult};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// How long an invitation's link works, from when it was last sent.
pub const LINK_DAYS: i64 = 7;
const SECRET_PREFIX: &str = "mosaic_inv_";

pub use crate::views::people::{InvitationPreview, InvitationStatus, InvitationView};

/// A person to invite. A worker is linked to the worker they are: an existing one (`worker_id`), or
/// one made with the invitation, named as the person is, when `worker_id` is left out.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub worker_id: Option<EntityId>,
    #[serde(default)]
    pub location_ids: Vec<EntityId>,
}

/// An invitation as it is made or resent: the link's secret is in `secret`, shown this once.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IssuedInvitation {
    pub invitation: InvitationView,
    pub secret: String,
}

/// The answer to an invitation: a name and a new password, or an existing account's password.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    pub name: Option<String>,
    pub password: String,
}

const SELECT_INVITATION: &str = "
    SELECT id, email, name, role, worker_id, location_ids, invited_by_name, sent_at, expires_at, accepted_at, revoked_at,
           now()
      FROM invitations";

type InvitationRow = (
    Uuid,
    String,
    String,
    Role,
    Option<EntityId>,
    Vec<Uuid>,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    // The database's clock, so a link's state is judged by the same clock that refuses a late answer.
    DateTime<Utc>,
);

fn view(row: InvitationRow) -> InvitationView {
    let (id, email, name, role, worker_id, locations, invited_by, sent_at, expires_at, accepted_at, revoked_at, now) = row;
    let status = match (accepted_at, revoked_at) {
        (Some(_), _) => InvitationStatus::Accepted,
        (_, Some(_)) => InvitationStatus::Revoked,
        _ if expires_at <= now => InvitationStatus::Expired,
        _ => InvitationStatus::Open,
    };
    InvitationView {
        id,
        email,
        name,
        role,
        worker_id,
        location_ids: locations.into_iter().map(EntityId).collect(),
        invited_by,
        sent_at,
        expires_at,
        status,
    }
}

pub async fn invite(pool: &PgPool, caller: &Caller, new: NewInvitation) -> DomainResult<IssuedInvitation> {
    caller.require(Action::ManagePeople)?;
    let email = users::normalise_email(&new.email)?;
    let name = users::checked_name(&new.name)?.to_string();
    if new.role != Role::Scheduler && !new.location_ids.is_empty() {
        return Err(DomainError::invalid("location_ids", "only schedulers are assigned locations"));
    }
    if let Some(worker) = new.worker_id {
        workers::get(pool, caller, worker).await?;
    }
    let locations = super::locations::list(pool, caller).await?;
    if let Some(unknown) = new.location_ids.iter().find(|id| !locations.iter().any(|l| l.id == **id)) {
        return Err(DomainError::invalid("location_ids", format!("{unknown} is not a location of this organisation")));
    }
    crate::store::retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        if members::email_is_member(&mut tx, caller.org, &email).await? {
            return Err(DomainError::Conflict {
                code: "already_a_member",
                message: "That person is already a member of this organisation.".into(),
            });
        }
        let open: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM invitations WHERE org_id = $1 AND email = $2
                               AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now())",
        )
        .bind(caller.org)
        .bind(&email)
        .fetch_one(&mut *tx)
        .await?;
        if open {
            return Err(already_invited());
        }
        // A worker invited without naming one is the worker with their email, or a new one.
        let worker = match (new.role, new.worker_id) {
            (Role::Worker, None) => workers::with_email(&mut tx, caller.org, &email).await?,
            (_, worker) => worker,
        };
        if let Some(worker) = worker {
            let taken: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM memberships WHERE org_id = $1 AND worker_id = $2)
                     OR EXISTS (SELECT 1 FROM invitations WHERE org_id = $1 AND worker_id = $2
                                   AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now())",
            )
            .bind(caller.org)
            .bind(worker)
            .fetch_one(&mut *tx)
            .await?;
            if taken {
                return Err(DomainError::Conflict {
                    code: "worker_has_user",
                    message: "Another member or open invitation is already linked to that worker.".into(),
                });
            }
        }
        // An invitation that ran out unanswered gives way to the new one.
        sqlx::query(
            "UPDATE invitations SET revoked_at = now()
              WHERE org_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at <= now()",
        )
        .bind(caller.org)
        .bind(&email)
        .execute(&mut *tx)
        .await?;
        let worker = match (new.role, worker) {
            (Role::Worker, None) => {
                let made = workers::NewWorker { name: name.clone(), email: Some(email.clone()), phone: None, external_id: None };
                Some(workers::insert(&mut tx, caller, made).await?.id)
            }
            (_, worker) => worker,
        };
        let issued = insert_in(&mut tx, caller, &email, &name, new.role, worker, &new.location_ids).await?;
        crate::store::commit(tx, pool).await?;
        Ok(issued)
    })
    .await
}

/// Writes an invitation checked by the caller (the email normalised, no member or open invitation for
/// it or its worker), with its change, in the caller's transaction.
pub(crate) async fn insert_in(
    tx: &mut PgConnection,
    caller: &Caller,
    email: &str,
    name: &str,
    role: Role,
    worker: Option<EntityId>,
    location_ids: &[EntityId],
) -> DomainResult<IssuedInvitation> {
    let invitee = Invitee { email: email.to_string(), name: name.to_string(), role, worker, location_ids: location_ids.to_vec() };
    let mut issued = insert_all(tx, caller, vec![invitee]).await?;
    Ok(issued.remove(0))
}

/// Someone to invite, checked by the caller as [`insert_in`] says.
pub(crate) struct Invitee {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub worker: Option<EntityId>,
    pub location_ids: Vec<EntityId>,
}

/// As [`insert_in`] for many people, a statement for the invitations and one for their changes (an
/// import); answered in the order given.
pub(crate) async fn insert_all(
    tx: &mut PgConnection,
    caller: &Caller,
    invitees: Vec<Invitee>,
) -> DomainResult<Vec<IssuedInvitation>> {
    if invitees.is_empty() {
        return Ok(Vec::new());
    }
    let secrets: Vec<(String, Vec<u8>)> = invitees.iter().map(|_| secrets::new_secret(SECRET_PREFIX)).collect();
    let ids: Vec<Uuid> = invitees.iter().map(|_| Uuid::new_v4()).collect();
    // Each invitation's locations as an array literal: unnest cannot take an array of arrays of
    // different lengths.
    let locations: Vec<String> = invitees
        .iter()
        .map(|i| format!("{{{}}}", i.location_ids.iter().map(|l| l.0.to_string()).collect::<Vec<_>>().join(",")))
        .collect();
    let rows: Vec<InvitationRow> = sqlx::query_as(
        "INSERT INTO invitations (org_id, id, email, name, role, worker_id, location_ids, token_hash, invited_by,
                                  invited_by_name, expires_at)
         SELECT $1, i.id, i.email, i.name, i.role, i.worker_id, i.location_ids::uuid[], i.token_hash, $2, $3,
                now() + make_interval(days => $4)
           FROM unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::text[], $11::bytea[])
                AS i (id, email, name, role, worker_id, location_ids, token_hash)
         RETURNING id, email, name, role, worker_id, location_ids, invited_by_name, sent_at, expires_at, accepted_at,
                   revoked_at, now()",
    )
    .bind(caller.org)
    .bind(caller.actor.id)
    .bind(&caller.actor.name)
    .bind(LINK_DAYS as i32)
    .bind(&ids)
    .bind(invitees.iter().map(|i| i.email.as_str()).collect::<Vec<_>>())
    .bind(invitees.iter().map(|i| i.name.as_str()).collect::<Vec<_>>())
    .bind(invitees.iter().map(|i| i.role.as_str()).collect::<Vec<_>>())
    .bind(invitees.iter().map(|i| i.worker.map(|w| w.0)).collect::<Vec<_>>())
    .bind(locations)
    .bind(secrets.iter().map(|(_, hash)| hash.clone()).collect::<Vec<_>>())
    .fetch_all(&mut *tx)
    .await?;
    let mut written: std::collections::HashMap<Uuid, InvitationView> = rows.into_iter().map(|row| (row.0, view(row))).collect();
    let mut issued = Vec::with_capacity(ids.len());
    for (id, (secret, _)) in ids.iter().zip(secrets) {
        let invitation = written.remove(id).ok_or_else(|| DomainError::not_found("invitation", id))?;
        issued.push(IssuedInvitation { invitation, secret });
    }
    let sent =
        issued.iter().map(|i| changes::Recorded::after(ChangeKind::InvitationSent, i.invitation.id, 1, &i.invitation)).collect();
    changes::record_all(&mut *tx, caller.org, &caller.actor, sent).await?;
    Ok(issued)
}

/// The emails and workers an invitation may not be made for now: those of members, and of invitations
/// still open.
pub(crate) async fn taken(
    conn: &mut PgConnection,
    org: OrgId,
) -> DomainResult<(std::collections::HashSet<String>, std::collections::HashSet<EntityId>)> {
    let rows: Vec<(Option<String>, Option<EntityId>)> = sqlx::query_as(
        "SELECT lower(u.email), m.worker_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1
         UNION ALL
         SELECT email, worker_id FROM invitations
          WHERE org_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()",
    )
    .bind(org)
    .fetch_all(conn)
    .await?;
    let emails = rows.iter().filter_map(|(e, _)| e.clone()).collect();
    let workers = rows.iter().filter_map(|(_, w)| *w).collect();
    Ok((emails, workers))
}

/// The organisation's invitations, open ones first, then the newest.
pub async fn list(pool: &PgPool, caller: &Caller) -> DomainResult<Vec<InvitationView>> {
    caller.require(Action::ManagePeople)?;
    let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
        "{SELECT_INVITATION} WHERE org_id = $1 ORDER BY (accepted_at IS NULL AND revoked_at IS NULL) DESC, sent_at DESC, id"
    ))
    .bind(caller.org)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// A new link for an unanswered invitation (expired or not), working for another [`LINK_DAYS`] days; the
/// old link stops working.
pub async fn resend(pool: &PgPool, caller: &Caller, id: Uuid) -> DomainResult<IssuedInvitation> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let before = lock_unanswered(&mut tx, caller.org, id).await?;
    let (secret, hash) = secrets::new_secret(SECRET_PREFIX);
    sqlx::query(
        "UPDATE invitations SET token_hash = $3, sent_at = now(), expires_at = now() + make_interval(days => $4)
          WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org)
    .bind(id)
    .bind(hash)
    .bind(LINK_DAYS as i32)
    .execute(&mut *tx)
    .await?;
    let invitation = load(&mut tx, caller.org, id).await?;
    debug_assert_eq!(before.id, invitation.id);
    record(&mut tx, caller.org, &caller.actor, id, ChangeKind::InvitationResent, &invitation).await?;
    crate::store::commit(tx, pool).await?;
    Ok(IssuedInvitation { invitation, secret })
}

/// Withdraws an unanswered invitation: its link stops working.
pub async fn revoke(pool: &PgPool, caller: &Caller, id: Uuid) -> DomainResult<InvitationView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    lock_unanswered(&mut tx, caller.org, id).await?;
    sqlx::query("UPDATE invitations SET revoked_at = now() WHERE org_id = $1 AND id = $2")
        .bind(caller.org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let invitation = load(&mut tx, caller.org, id).await?;
    record(&mut tx, caller.org, &caller.actor, id, ChangeKind::InvitationRevoked, &invitation).await?;
    crate::store::commit(tx, pool).await?;
    Ok(invitation)
}

/// What the link's page shows; a link that no longer works says why.
pub async fn preview(pool: &PgPool, secret: &str) -> DomainResult<InvitationPreview> {
    let mut conn = pool.acquire().await?;
    let (org, invitation) = open_by_secret(&mut conn, secret, false).await?;
    let organisation_name: String =
        sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1").bind(org).fetch_one(&mut *conn).await?;
    let has_account = users::find_user(&mut conn, &invitation.email).await?.is_some();
    Ok(InvitationPreview {
        organisation_name,
        email: invitation.email,
        name: invitation.name,
        role: invitation.role,
        has_account,
    })
}

/// Answers an invitation by its link and signs the person in: a new account with the name and password
/// given, or — for an email that has one — the account's own password, tried under the sign-in limits.
/// Two answers to one link at once end with one member: the invitation's row is locked, and a settled
/// invitation never changes again.
pub async fn accept(pool: &PgPool, secret: &str, answer: Acceptance, client: Option<&str>) -> DomainResult<SignedIn> {
    let mut tx = crate::store::begin(pool).await?;
    let (org, invitation) = open_by_secret(&mut tx, secret, true).await?;
    let (user, person) = match users::find_user(&mut tx, &invitation.email).await? {
        Some(_) => match accounts::check_password(&mut tx, &invitation.email, &answer.password, client).await? {
            Some(found) => found,
            None => {
                // The failed guess is counted even though nothing else is written.
                tx.commit().await?;
                return Err(accounts::wrong_password());
            }
        },
        None => {
            let name = users::checked_name(answer.name.as_deref().unwrap_or(&invitation.name))?;
            passwords::check_strength(&answer.password)?;
            let hash = passwords::hash(&answer.password).await?;
            let made = users::insert_user(&mut tx, &invitation.email, name, &hash).await?;
            (made.id, Actor { id: Some(made.id), name: made.name })
        }
    };
    if members::find(&mut tx, org, user).await?.is_some() {
        return Err(DomainError::Conflict {
            code: "already_a_member",
            message: "You are already a member of this organisation; sign in as usual.".into(),
        });
    }
    members::add_invited(&mut tx, org, &person, invitation.role, invitation.worker_id, &invitation.location_ids).await?;
    sqlx::query("UPDATE invitations SET accepted_at = now(), accepted_by = $3 WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(invitation.id)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let accepted = load(&mut tx, org, invitation.id).await?;
    record(&mut tx, org, &person, invitation.id, ChangeKind::InvitationAccepted, &accepted).await?;
    let signed_in = accounts::open_session(&mut tx, org, user).await?;
    crate::store::commit(tx, pool).await?;
    Ok(signed_in)
}

async fn load(conn: &mut PgConnection, org: OrgId, id: Uuid) -> DomainResult<InvitationView> {
    let row: Option<InvitationRow> = sqlx::query_as(&format!("{SELECT_INVITATION} WHERE org_id = $1 AND id = $2"))
        .bind(org)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(view).ok_or_else(|| DomainError::not_found("invitation", id))
}

/// The invitation, locked, if it has not been answered or withdrawn.
async fn lock_unanswered(conn: &mut PgConnection, org: OrgId, id: Uuid) -> DomainResult<InvitationView> {
    sqlx::query("SELECT 1 FROM invitations WHERE org_id = $1 AND id = $2 FOR UPDATE")
        .bind(org)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let invitation = load(conn, org, id).await?;
    match invitation.status {
        InvitationStatus::Open | InvitationStatus::Expired => Ok(invitation),
        settled => Err(settled_error(settled)),
    }
}

/// The organisation and invitation a link opens, if it still works (locked for an answer).
async fn open_by_secret(conn: &mut PgConnection, secret: &str, lock: bool) -> DomainResult<(OrgId, InvitationView)> {
    let found: Option<(OrgId, Uuid)> = sqlx::query_as(&format!(
        "SELECT org_id, id FROM invitations WHERE token_hash = $1 {}",
        if lock { "FOR UPDATE" } else { "" }
    ))
    .bind(secrets::hash_secret(secret.trim()))
    .fetch_optional(&mut *conn)
    .await?;
    let (org, id) =
        found.ok_or_else(|| DomainError::not_found("invitation", "for that link (it may have been replaced by a newer one)"))?;
    let invitation = load(conn, org, id).await?;
    match invitation.status {
        InvitationStatus::Open => Ok((org, invitation)),
        settled => Err(settled_error(settled)),
    }
}

fn already_invited() -> DomainError {
    DomainError::Conflict {
        code: "already_invited",
        message: "That person already has an open invitation; send it again for a new link.".into(),
    }
}

fn settled_error(status: InvitationStatus) -> DomainError {
    let (code, message) = match status {
        InvitationStatus::Accepted => ("invitation_used", "This invitation has already been accepted; sign in instead."),
        InvitationStatus::Revoked => ("invitation_revoked", "This invitation was withdrawn by the organisation."),
        _ => ("invitation_expired", "This invitation has expired; ask the organisation to send it again."),
    };
    DomainError::Conflict { code, message: message.into() }
}

async fn record(
    conn: &mut PgConnection,
    org: OrgId,
    actor: &Actor,
    id: Uuid,
    kind: ChangeKind,
    after: &InvitationView,
) -> DomainResult<()> {
    changes::record_next(conn, org, actor, kind, id, json!({ "after": after })).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_invitation_is_open_until_it_is_answered_withdrawn_or_runs_out() {
        let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
        let row = |accepted: Option<DateTime<Utc>>, revoked: Option<DateTime<Utc>>, now: DateTime<Utc>| -> InvitationRow {
            (
                Uuid::nil(),
                "a@b.test".into(),
                "A".into(),
                Role::Worker,
                None,
                vec![],
                "Boss".into(),
                at(0),
                at(12),
                accepted,
                revoked,
                now,
            )
        };
        assert_eq!(view(row(None, None, at(11))).status, InvitationStatus::Open);
        assert_eq!(view(row(None, None, at(12))).status, InvitationStatus::Expired, "the end is exclusive");
        assert_eq!(view(row(Some(at(1)), None, at(13))).status, InvitationStatus::Accepted);
        assert_eq!(view(row(None, Some(at(1)), at(2))).status, InvitationStatus::Revoked);
    }
}
