//! Signing in and knowing who is asking: users and passwords, browser sessions, personal API tokens,
//! and turning any of them into a [`Caller`] with the role of the membership it belongs to.
//!
//! A session or token only names a membership; the role and scheduler locations are read afresh on every
//! request, so demoting someone or ending their membership takes effect at once.

pub mod passwords;
pub mod secrets;
pub mod tokens;

use super::Caller;
use crate::access::Access;
use crate::ids::OrgId;
use crate::store::{Actor, DomainError, DomainResult};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// How long a browser stays signed in.
pub const SESSION_DAYS: i64 = 30;
/// Failed sign-ins allowed per email, and per client address, within [`THROTTLE_WINDOW_MINUTES`].
pub const FAILURES_PER_EMAIL: i64 = 5;
pub const FAILURES_PER_CLIENT: i64 = 30;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

const SESSION_PREFIX: &str = "mosaic_s_";

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// A browser that has just signed in: the cookie value to hand it, and who it is.
#[derive(Debug)]
pub struct SignedIn {
    pub session: String,
    pub expires_at: DateTime<Utc>,
    pub caller: Caller,
}

/// Creates a user (a person who can sign in), or refuses a taken email.
pub async fn create_user(conn: &mut PgConnection, email: &str, name: &str, password: &str) -> DomainResult<UserView> {
    let email = normalise_email(email)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(DomainError::invalid("name", "must be 1 to 200 characters"));
    }
    passwords::check_strength(password)?;
    let hash = passwords::hash(password).await?;
    let id = Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(&email)
        .bind(name)
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    Ok(UserView { id, email, name: name.to_string() })
}

pub async fn find_user(conn: &mut PgConnection, email: &str) -> DomainResult<Option<UserView>> {
    Ok(sqlx::query_as::<_, (Uuid, String, String)>("SELECT id, email, name FROM users WHERE lower(email) = lower($1)")
        .bind(email.trim())
        .fetch_optional(&mut *conn)
        .await?
        .map(|(id, email, name)| UserView { id, email, name }))
}

pub fn normalise_email(email: &str) -> DomainResult<String> {
    let email = email.trim().to_lowercase();
    let well_formed = email.len() <= 254
        && email.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.contains('@'))
        && !email.chars().any(char::is_whitespace);
    if well_formed {
        Ok(email)
    } else {
        Err(DomainError::invalid("email", "must look like name@example.com"))
    }
}

/// Checks an email and password and opens a session in the person's organisation (`organisation` by slug,
/// or their first one). Failures are counted per email and per client address; past the limit every
/// attempt is refused, right password or not, until the window has passed. Attempts for one email are
/// serialised by an advisory lock, so concurrent guesses cannot slip past the count.
pub async fn sign_in(
    pool: &PgPool,
    email: &str,
    password: &str,
    organisation: Option<&str>,
    client: Option<&str>,
) -> DomainResult<SignedIn> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(DomainError::invalid("email", "is required"));
    }
    let mut tx = crate::store::begin(pool).await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('sign-in:' || $1, 0))").bind(&email).execute(&mut *tx).await?;
    if let Some(retry_after_secs) = throttled(&mut tx, &email, client).await? {
        return Err(DomainError::Throttled { retry_after_secs });
    }
    let user = sqlx::query_as::<_, (Uuid, String)>("SELECT id, password_hash FROM users WHERE lower(email) = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    let user_id = user.as_ref().map(|(id, _)| *id);
    let matches = passwords::verify(password, user.map(|(_, hash)| hash)).await?;
    let membership = match (matches, user_id) {
        (true, Some(user_id)) => first_membership(&mut tx, user_id, organisation).await?,
        _ => None,
    };
    let Some((org, user_id)) = membership else {
        sqlx::query("INSERT INTO sign_in_failures (email, client) VALUES ($1, $2)")
            .bind(&email)
            .bind(client)
            .execute(&mut *tx)
            .await?;
        // Failures older than a day count for nothing; the guesser's own attempt clears them away.
        sqlx::query("DELETE FROM sign_in_failures WHERE lower(email) = $1 AND failed_at < now() - interval '1 day'")
            .bind(&email)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Err(DomainError::Unauthenticated { message: "That email and password do not match an account.".into() });
    };
    sqlx::query("DELETE FROM sign_in_failures WHERE lower(email) = $1").bind(&email).execute(&mut *tx).await?;
    let (session, hash) = secrets::new_secret(SESSION_PREFIX);
    let expires_at = Utc::now() + Duration::days(SESSION_DAYS);
    sqlx::query("INSERT INTO sessions (token_hash, org_id, user_id, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(&hash)
        .bind(org)
        .bind(user_id)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
    // Expired sessions of this person are swept as they sign in again, so the table does not only grow.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at < now()").bind(user_id).execute(&mut *tx).await?;
    let caller = caller_for(&mut tx, org, user_id).await?.ok_or_else(|| DomainError::not_found("membership", user_id))?;
    tx.commit().await?;
    Ok(SignedIn { session, expires_at, caller })
}

/// Seconds until the next attempt is allowed, if the email or the client address is over its limit.
async fn throttled(conn: &mut PgConnection, email: &str, client: Option<&str>) -> DomainResult<Option<i64>> {
    let window = format!("{THROTTLE_WINDOW_MINUTES} minutes");
    let (by_email, email_oldest): (i64, Option<DateTime<Utc>>) = sqlx::query_as(
        "SELECT count(*), min(failed_at) FROM sign_in_failures WHERE lower(email) = $1 AND failed_at > now() - $2::interval",
    )
    .bind(email)
    .bind(&window)
    .fetch_one(&mut *conn)
    .await?;
    let (by_client, client_oldest): (i64, Option<DateTime<Utc>>) =
        match client {
            Some(client) => sqlx::query_as(
                "SELECT count(*), min(failed_at) FROM sign_in_failures WHERE client = $1 AND failed_at > now() - $2::interval",
            )
            .bind(client)
            .bind(&window)
            .fetch_one(&mut *conn)
            .await?,
            None => (0, None),
        };
    let oldest = if by_email >= FAILURES_PER_EMAIL {
        email_oldest
    } else if by_client >= FAILURES_PER_CLIENT {
        client_oldest
    } else {
        return Ok(None);
    };
    let reopens = oldest.unwrap_or_else(Utc::now) + Duration::minutes(THROTTLE_WINDOW_MINUTES);
    Ok(Some((reopens - Utc::now()).num_seconds().max(1)))
}

async fn first_membership(
    conn: &mut PgConnection,
    user: Uuid,
    organisation: Option<&str>,
) -> DomainResult<Option<(OrgId, Uuid)>> {
    Ok(sqlx::query_as::<_, (OrgId, Uuid)>(
        "SELECT m.org_id, m.user_id FROM memberships m JOIN organisations o ON o.id = m.org_id
          WHERE m.user_id = $1 AND ($2::text IS NULL OR o.slug = $2)
          ORDER BY m.created_at, o.slug LIMIT 1",
    )
    .bind(user)
    .bind(organisation)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The caller behind a session cookie, if it is a live session.
pub async fn caller_for_session(pool: &PgPool, session: &str) -> DomainResult<Option<Caller>> {
    let mut conn = pool.acquire().await?;
    let found: Option<(OrgId, Uuid)> =
        sqlx::query_as("SELECT org_id, user_id FROM sessions WHERE token_hash = $1 AND expires_at > now()")
            .bind(secrets::hash_secret(session))
            .fetch_optional(&mut *conn)
            .await?;
    match found {
        Some((org, user)) => caller_for(&mut conn, org, user).await,
        None => Ok(None),
    }
}

pub async fn sign_out(pool: &PgPool, session: &str) -> DomainResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(secrets::hash_secret(session)).execute(pool).await?;
    Ok(())
}

/// A membership as a caller: who they are, their role, the worker they are and their locations.
pub async fn caller_for(conn: &mut PgConnection, org: OrgId, user: Uuid) -> DomainResult<Option<Caller>> {
    Ok(super::members::find(conn, org, user).await?.map(|member| Caller {
        org,
        actor: Actor { id: Some(user), name: member.name },
        access: Access { role: member.role, worker: member.worker_id, locations: member.location_ids },
    }))
}
