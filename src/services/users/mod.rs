//! The people who can sign in — one account per email, across organisations — and the credentials that
//! prove it: passwords (`passwords`) and the opaque secrets handed to clients (`secrets`). What a person
//! may do in an organisation is their membership's (`services::members`), not their account's.

pub mod passwords;
pub mod secrets;

use crate::store::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// Creates a user (a person who can sign in), or refuses a taken email.
pub async fn create_user(conn: &mut PgConnection, email: &str, name: &str, password: &str) -> DomainResult<UserView> {
    let email = normalise_email(email)?;
    let name = checked_name(name)?;
    passwords::check_strength(password)?;
    let hash = passwords::hash(password).await?;
    insert_user(conn, &email, name, &hash).await
}

/// A person's name, trimmed, or why it cannot be one.
pub fn checked_name(name: &str) -> DomainResult<&str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(DomainError::invalid("name", "must be 1 to 200 characters"));
    }
    Ok(name)
}

/// Stores a user whose email, name and password hash are already checked.
pub(crate) async fn insert_user(conn: &mut PgConnection, email: &str, name: &str, hash: &str) -> DomainResult<UserView> {
    let id = Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(email)
        .bind(name)
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    Ok(UserView { id, email: email.to_string(), name: name.to_string() })
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

/// The account of `email`: made with `name` and the password `hash` unless the email has one — also one
/// made a moment ago by someone else, which a plain insert would answer with "email taken".
pub async fn made_unless_taken(conn: &mut PgConnection, email: &str, name: &str, hash: &str) -> DomainResult<Uuid> {
    let made: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT ((lower(email))) DO NOTHING RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(email)
    .bind(name)
    .bind(hash)
    .fetch_optional(&mut *conn)
    .await?;
    match made {
        Some(id) => Ok(id),
        None => Ok(find_user(conn, email).await?.ok_or_else(|| DomainError::not_found("account", email))?.id),
    }
}
