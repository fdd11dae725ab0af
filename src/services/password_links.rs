//! One-time links that let a member choose a new password: issued by an administrator for a member who
//! cannot sign in, or by the operator for the first administrator of an organisation made from the
//! shell. Like an invitation's, the link is 256 random bits kept only as their SHA-256, works once, for
//! [`LINK_DAYS`] days, and the database refuses a second use (migrations/0013_invitations.sql). Setting
//! the password ends the person's other sessions and signs them in.

use super::accounts::{self, SignedIn};
use super::users::{passwords, secrets};
use super::Caller;
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::OrgId;
use crate::store::{changes, Actor, DomainError, DomainResult};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub const LINK_DAYS: i64 = 7;
const SECRET_PREFIX: &str = "mosaic_pwd_";

pub use crate::views::people::PasswordLinkPreview;

/// A link as it is issued: the secret is shown this once.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IssuedPasswordLink {
    pub user_id: Uuid,
    pub secret: String,
    pub expires_at: DateTime<Utc>,
}

/// A link for a member of the caller's organisation. An account that also belongs to another
/// organisation is refused: whoever holds the link could open that organisation too, so such a person
/// changes their password themselves.
pub async fn issue(pool: &PgPool, caller: &Caller, user: Uuid) -> DomainResult<IssuedPasswordLink> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let memberships: Vec<OrgId> =
        sqlx::query_scalar("SELECT org_id FROM memberships WHERE user_id = $1").bind(user).fetch_all(&mut *tx).await?;
    if !memberships.contains(&caller.org) {
        return Err(DomainError::not_found("member", user));
    }
    if memberships.len() > 1 {
        return Err(DomainError::Conflict {
            code: "account_shared",
            message: "This person also belongs to another organisation; they change their password themselves.".into(),
        });
    }
    let issued = insert(&mut tx, caller.org, &caller.actor, user).await?;
    crate::store::commit(tx, pool).await?;
    Ok(issued)
}

/// Writes a link in the caller's transaction, logged in the member's stream.
pub(crate) async fn insert(conn: &mut PgConnection, org: OrgId, issuer: &Actor, user: Uuid) -> DomainResult<IssuedPasswordLink> {
    let (secret, hash) = secrets::new_secret(SECRET_PREFIX);
    let expires_at: DateTime<Utc> = sqlx::query_scalar(
        "INSERT INTO password_links (token_hash, user_id, org_id, issued_by, issued_by_name, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) RETURNING expires_at",
    )
    .bind(hash)
    .bind(user)
    .bind(org)
    .bind(issuer.id)
    .bind(&issuer.name)
    .bind(LINK_DAYS as i32)
    .fetch_one(&mut *conn)
    .await?;
    changes::record_next(conn, org, issuer, ChangeKind::MemberPasswordLinkIssued, user, json!({ "expires_at": expires_at }))
        .await?;
    Ok(IssuedPasswordLink { user_id: user, secret, expires_at })
}

pub async fn preview(pool: &PgPool, secret: &str) -> DomainResult<PasswordLinkPreview> {
    let mut conn = pool.acquire().await?;
    let link = open_by_secret(&mut conn, secret, false).await?;
    let (name, email, organisation_name) =
        sqlx::query_as("SELECT u.name, u.email, o.name FROM users u, organisations o WHERE u.id = $1 AND o.id = $2")
            .bind(link.user)
            .bind(link.org)
            .fetch_one(&mut *conn)
            .await?;
    Ok(PasswordLinkPreview { name, email, organisation_name })
}

/// Sets the password the link's holder chose, ends the person's other sessions, and signs them in to the
/// organisation the link was issued in.
pub async fn set_password(pool: &PgPool, secret: &str, password: &str) -> DomainResult<SignedIn> {
    passwords::check_strength(password)?;
    let hash = passwords::hash(password).await?;
    let mut tx = crate::store::begin(pool).await?;
    let link = open_by_secret(&mut tx, secret, true).await?;
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1").bind(link.user).bind(&hash).execute(&mut *tx).await?;
    sqlx::query("UPDATE password_links SET used_at = now() WHERE token_hash = $1").bind(&link.hash).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(link.user).execute(&mut *tx).await?;
    let name: String = sqlx::query_scalar("SELECT name FROM users WHERE id = $1").bind(link.user).fetch_one(&mut *tx).await?;
    let person = Actor { id: Some(link.user), name };
    changes::record_next(&mut tx, link.org, &person, ChangeKind::MemberPasswordSet, link.user, json!({})).await?;
    let signed_in = accounts::open_session(&mut tx, link.org, link.user).await?;
    crate::store::commit(tx, pool).await?;
    Ok(signed_in)
}

struct OpenLink {
    hash: Vec<u8>,
    user: Uuid,
    org: OrgId,
}

async fn open_by_secret(conn: &mut PgConnection, secret: &str, lock: bool) -> DomainResult<OpenLink> {
    let hash = secrets::hash_secret(secret.trim());
    let found: Option<(Uuid, OrgId, bool, bool)> = sqlx::query_as(&format!(
        "SELECT user_id, org_id, used_at IS NOT NULL, expires_at <= now() FROM password_links WHERE token_hash = $1 {}",
        if lock { "FOR UPDATE" } else { "" }
    ))
    .bind(&hash)
    .fetch_optional(&mut *conn)
    .await?;
    match found {
        None => Err(DomainError::not_found("password link", "at that address")),
        Some((_, _, true, _)) => Err(DomainError::Conflict {
            code: "link_used",
            message: "This link has already been used. Sign in with your password, or ask for a new link.".into(),
        }),
        Some((_, _, _, true)) => Err(DomainError::Conflict {
            code: "link_expired",
            message: "This link has expired; ask an administrator of your organisation for a new one.".into(),
        }),
        Some((user, org, false, false)) => Ok(OpenLink { hash, user, org }),
    }
}
