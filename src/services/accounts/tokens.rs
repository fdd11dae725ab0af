//! Personal API tokens: created and revoked by their owner, shown once, stored hashed. A token acts as
//! its owner in one organisation with the owner's current role — never more than they have.

use crate::access::Action;
use crate::ids::OrgId;
use crate::services::users::secrets;
use crate::services::Caller;
use crate::store::{DomainError, DomainResult};
pub use crate::views::ApiTokenView;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

const TOKEN_PREFIX: &str = "mosaic_pat_";

/// A token as it is created: the secret is in `token`, and this is the only time it is shown.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewApiToken {
    #[serde(flatten)]
    pub view: ApiTokenView,
    pub token: String,
}

type TokenRow = (Uuid, String, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn view((id, name, created_at, last_used_at, revoked_at): TokenRow) -> ApiTokenView {
    ApiTokenView { id, name, created_at, last_used_at, revoked_at }
}

fn owner(caller: &Caller) -> DomainResult<Uuid> {
    caller.require(Action::ReadOwnTimeline)?;
    caller.actor.id.ok_or_else(|| DomainError::invalid("user", "only a signed-in person has API tokens"))
}

pub async fn create(pool: &PgPool, caller: &Caller, name: &str) -> DomainResult<NewApiToken> {
    let user = owner(caller)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(DomainError::invalid("name", "must be 1 to 100 characters"));
    }
    let (token, hash) = secrets::new_secret(TOKEN_PREFIX);
    let row: TokenRow = sqlx::query_as(
        "INSERT INTO api_tokens (org_id, id, user_id, name, token_hash) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, name, created_at, last_used_at, revoked_at",
    )
    .bind(caller.org)
    .bind(Uuid::new_v4())
    .bind(user)
    .bind(name)
    .bind(hash)
    .fetch_one(pool)
    .await?;
    Ok(NewApiToken { view: view(row), token })
}

/// The caller's own tokens, newest first, revoked ones included.
pub async fn list(pool: &PgPool, caller: &Caller) -> DomainResult<Vec<ApiTokenView>> {
    let user = owner(caller)?;
    let rows: Vec<TokenRow> = sqlx::query_as(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens
          WHERE org_id = $1 AND user_id = $2 ORDER BY created_at DESC, id",
    )
    .bind(caller.org)
    .bind(user)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// Revokes one of the caller's own tokens; someone else's token is not found.
pub async fn revoke(pool: &PgPool, caller: &Caller, id: Uuid) -> DomainResult<ApiTokenView> {
    let user = owner(caller)?;
    let row: Option<TokenRow> = sqlx::query_as(
        "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
          WHERE org_id = $1 AND id = $2 AND user_id = $3
          RETURNING id, name, created_at, last_used_at, revoked_at",
    )
    .bind(caller.org)
    .bind(id)
    .bind(user)
    .fetch_optional(pool)
    .await?;
    row.map(view).ok_or_else(|| DomainError::not_found("api token", id))
}

/// The caller behind a bearer token; a revoked or unknown token is refused.
pub async fn caller_for_token(pool: &PgPool, token: &str) -> DomainResult<Caller> {
    let mut conn = pool.acquire().await?;
    let hash = secrets::hash_secret(token);
    let found: Option<(OrgId, Uuid)> =
        sqlx::query_as("SELECT org_id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(&hash)
            .fetch_optional(&mut *conn)
            .await?;
    if found.is_some() {
        // Marked at most once a minute, so a busy integration does not turn every read into a write.
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = now()
              WHERE token_hash = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
        )
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    }
    let refused = || DomainError::Unauthenticated { message: "The API token is not valid or has been revoked.".into() };
    let (org, user) = found.ok_or_else(refused)?;
    super::caller_for(&mut conn, org, user).await?.ok_or_else(refused)
}
