//! Signing in and knowing who is asking: browser sessions, personal API tokens, and turning either into a
//! [`Caller`] with the role of the membership it belongs to. The people themselves (users, passwords,
//! secrets) are `services::users`.
//!
//! A session or token only names a membership; the role and scheduler locations are read afresh on every
//! request, so demoting someone or ending their membership takes effect at once.

pub mod tokens;

use super::members::PendingMembership;
use super::users::{passwords, secrets};
use super::Caller;
use crate::access::Access;
use crate::ids::OrgId;
use crate::store::{Actor, DomainError, DomainResult};
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// How long a browser stays signed in.
pub const SESSION_DAYS: i64 = 30;
/// Failed sign-ins allowed per email, and per client address, within [`THROTTLE_WINDOW_MINUTES`].
pub const FAILURES_PER_EMAIL: i64 = 5;
pub const FAILURES_PER_CLIENT: i64 = 30;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

const SESSION_PREFIX: &str = "mosaic_s_";

/// A browser that has just signed in: the cookie value to hand it, and who it is.
#[derive(Debug)]
pub struct SignedIn {
    pub session: String,
    pub expires_at: DateTime<Utc>,
    pub caller: Caller,
}

/// A person's answer, at sign-in, to a membership their organisation added them to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MembershipAnswer {
    Accept,
    Decline,
    /// Sign in without answering now; they are asked again next time.
    Later,
}

/// How a sign-in with the right password ended.
#[derive(Debug)]
pub enum SignInOutcome {
    SignedIn(SignedIn),
    /// A membership waits for the person's answer: they are asked before anything else.
    Asked(PendingMembership),
    /// The password is right but the person is not (or no longer) a member of any organisation, or not of
    /// the one they named.
    NotAMember,
}

/// Checks an email and password and opens a session in the person's organisation (`organisation` by slug,
/// or their first one). A membership still waiting for the person's answer is asked about first; with
/// `answer` (and the pending organisation as `organisation`) the answer is kept and, when accepted, the
/// session opens there. Failures are counted per email and per client address; past the limit every
/// attempt is refused, right password or not, until the window has passed. Attempts for one email are
/// serialised by an advisory lock, so concurrent guesses cannot slip past the count.
pub async fn sign_in(
    pool: &PgPool,
    email: &str,
    password: &str,
    organisation: Option<&str>,
    answer: Option<MembershipAnswer>,
    client: Option<&str>,
) -> DomainResult<SignInOutcome> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(DomainError::invalid("email", "is required"));
    }
    let mut tx = crate::store::begin(pool).await?;
    let Some((user_id, person)) = check_password(&mut tx, &email, password, client).await? else {
        tx.commit().await?;
        return Err(wrong_password());
    };

    let pending = super::members::pending_for(&mut tx, user_id).await?;
    let answered = pending.iter().find(|p| Some(p.organisation.as_str()) == organisation);
    let mut organisation = organisation;
    match (answer, answered) {
        (None, _) => {
            if let Some(question) = answered.or(pending.first()) {
                let question = question.clone();
                tx.commit().await?;
                return Ok(SignInOutcome::Asked(question));
            }
        }
        (Some(MembershipAnswer::Accept), Some(pending)) => {
            super::members::answer(&mut tx, &person, pending.org_id, true).await?;
        }
        (Some(MembershipAnswer::Decline), Some(pending)) => {
            super::members::answer(&mut tx, &person, pending.org_id, false).await?;
            organisation = None;
        }
        // Not now: the organisation named is still pending, so sign in to the first accepted one.
        (Some(MembershipAnswer::Later), Some(_)) => organisation = None,
        (Some(_), None) => {}
    }

    let Some(org) = first_membership(&mut tx, user_id, organisation).await? else {
        crate::store::commit(tx, pool).await?;
        return Ok(SignInOutcome::NotAMember);
    };
    let signed_in = open_session(&mut tx, org, user_id).await?;
    crate::store::commit(tx, pool).await?;
    Ok(SignInOutcome::SignedIn(signed_in))
}

/// Opens a browser session for an accepted member, in the caller's transaction.
pub(crate) async fn open_session(conn: &mut PgConnection, org: OrgId, user: Uuid) -> DomainResult<SignedIn> {
    let (session, hash) = secrets::new_secret(SESSION_PREFIX);
    let expires_at = Utc::now() + Duration::days(SESSION_DAYS);
    sqlx::query("INSERT INTO sessions (token_hash, org_id, user_id, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(&hash)
        .bind(org)
        .bind(user)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    // Expired sessions of this person are swept as they sign in again, so the table does not only grow.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at < now()").bind(user).execute(&mut *conn).await?;
    let caller = caller_for(conn, org, user).await?.ok_or_else(|| DomainError::not_found("membership", user))?;
    Ok(SignedIn { session, expires_at, caller })
}

/// The account that `email` (lower-cased) and `password` prove, counted against the sign-in limits:
/// `None` for a wrong pair, whose failure is written in the caller's transaction — commit it before
/// answering, or the guess goes uncounted. Attempts for one email queue on an advisory lock, so
/// concurrent guesses cannot slip past the count.
pub(crate) async fn check_password(
    conn: &mut PgConnection,
    email: &str,
    password: &str,
    client: Option<&str>,
) -> DomainResult<Option<(Uuid, Actor)>> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('sign-in:' || $1, 0))").bind(email).execute(&mut *conn).await?;
    if let Some(retry_after_secs) = throttled(conn, email, client).await? {
        return Err(DomainError::Throttled { retry_after_secs });
    }
    let user = sqlx::query_as::<_, (Uuid, String, String)>("SELECT id, name, password_hash FROM users WHERE lower(email) = $1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?;
    let person = user.as_ref().map(|(id, name, _)| (*id, Actor { id: Some(*id), name: name.clone() }));
    let matches = passwords::verify(password, user.map(|(_, _, hash)| hash)).await?;
    let Some(person) = person.filter(|_| matches) else {
        sqlx::query("INSERT INTO sign_in_failures (email, client) VALUES ($1, $2)")
            .bind(email)
            .bind(client)
            .execute(&mut *conn)
            .await?;
        // Failures older than a day count for nothing; the guesser's own attempt clears them away.
        sqlx::query("DELETE FROM sign_in_failures WHERE lower(email) = $1 AND failed_at < now() - interval '1 day'")
            .bind(email)
            .execute(&mut *conn)
            .await?;
        return Ok(None);
    };
    sqlx::query("DELETE FROM sign_in_failures WHERE lower(email) = $1").bind(email).execute(&mut *conn).await?;
    Ok(Some(person))
}

pub(crate) fn wrong_password() -> DomainError {
    DomainError::Unauthenticated { message: "That email and password do not match an account.".into() }
}

impl SignInOutcome {
    /// The session, for callers that know the person has no question waiting (tests, tools).
    pub fn signed_in(self) -> Option<SignedIn> {
        match self {
            SignInOutcome::SignedIn(signed_in) => Some(signed_in),
            _ => None,
        }
    }
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

/// The accepted membership to sign in to: in the organisation named by slug, or the person's first.
async fn first_membership(conn: &mut PgConnection, user: Uuid, organisation: Option<&str>) -> DomainResult<Option<OrgId>> {
    Ok(sqlx::query_scalar::<_, OrgId>(
        "SELECT m.org_id FROM memberships m JOIN organisations o ON o.id = m.org_id
          WHERE m.user_id = $1 AND m.accepted_at IS NOT NULL AND ($2::text IS NULL OR o.slug = $2)
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
    // A pending membership grants nothing: there is no caller until the person accepts it.
    Ok(super::members::find(conn, org, user).await?.filter(|member| !member.pending).map(|member| Caller {
        org,
        actor: Actor { id: Some(user), name: member.name },
        access: Access { role: member.role, worker: member.worker_id, locations: member.location_ids },
    }))
}
