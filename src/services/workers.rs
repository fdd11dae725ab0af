//! Workers: the people who are scheduled.

use super::Caller;
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, OrgId};
use crate::store::changes;
use crate::store::{DomainError, DomainResult};
use crate::views::WorkerView;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWorker {
    pub name: String,
    pub email: Option<String>,
}

const SELECT_WORKER: &str =
    "SELECT id, name, properties ->> 'email' AS email, version FROM entities WHERE org_id = $1 AND entity_type = 'worker'";

#[derive(sqlx::FromRow)]
struct WorkerRow {
    id: EntityId,
    name: String,
    email: Option<String>,
    version: i32,
}

impl From<WorkerRow> for WorkerView {
    fn from(r: WorkerRow) -> Self {
        WorkerView { id: r.id, name: r.name, email: r.email, version: r.version }
    }
}

pub async fn create(pool: &PgPool, caller: &Caller, new: NewWorker) -> DomainResult<WorkerView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let view = insert(&mut tx, caller, new).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Checks and writes a new worker, with its change, in the caller's transaction (a command that makes a
/// worker along with something else: an invitation).
pub(crate) async fn insert(conn: &mut PgConnection, caller: &Caller, new: NewWorker) -> DomainResult<WorkerView> {
    caller.require(Action::ManagePeople)?;
    let name = new.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(DomainError::invalid("name", "must be 1 to 200 characters"));
    }
    let email = new.email.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty());
    if let Some(email) = &email {
        let well_formed =
            email.len() <= 254 && email.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
        if !well_formed {
            return Err(DomainError::invalid("email", "must look like name@example.com"));
        }
    }
    let id = EntityId::new();
    let properties = match &email {
        Some(email) => json!({ "email": email }),
        None => json!({}),
    };
    sqlx::query("INSERT INTO entities (org_id, id, entity_type, name, properties) VALUES ($1, $2, 'worker', $3, $4)")
        .bind(caller.org)
        .bind(id)
        .bind(&name)
        .bind(&properties)
        .execute(&mut *conn)
        .await?;
    let view = WorkerView { id, name, email, version: 1 };
    changes::record(conn, caller.org, &caller.actor, ChangeKind::WorkerCreated, id.0, 1, json!({ "after": view })).await?;
    Ok(view)
}

pub async fn get(pool: &PgPool, caller: &Caller, id: EntityId) -> DomainResult<WorkerView> {
    if !caller.access.is_worker(id) {
        caller.require(Action::ReadOrganisation)?;
    }
    let row: Option<WorkerRow> =
        sqlx::query_as(&format!("{SELECT_WORKER} AND id = $2")).bind(caller.org).bind(id).fetch_optional(pool).await?;
    row.map(Into::into).ok_or_else(|| DomainError::not_found("worker", id))
}

/// Workers whose name or email contains `query`, ignoring case; all workers (by name) for an empty query.
pub async fn search(pool: &PgPool, caller: &Caller, query: &str, limit: i64) -> DomainResult<Vec<WorkerView>> {
    caller.require(Action::ReadOrganisation)?;
    let pattern = format!("%{}%", escape_like(&query.trim().to_lowercase()));
    let rows: Vec<WorkerRow> = sqlx::query_as(&format!(
        "{SELECT_WORKER} AND (lower(name) LIKE $2 OR lower(properties ->> 'email') LIKE $2) ORDER BY name, id LIMIT $3"
    ))
    .bind(caller.org)
    .bind(pattern)
    .bind(limit.clamp(1, 500))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The worker who has this email (lower-cased), if one has.
pub(crate) async fn with_email(conn: &mut PgConnection, org: OrgId, email: &str) -> DomainResult<Option<EntityId>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM entities WHERE org_id = $1 AND entity_type = 'worker' AND lower(properties ->> 'email') = $2",
    )
    .bind(org)
    .bind(email)
    .fetch_optional(conn)
    .await?)
}

/// A search for `50%` means the characters, not a wildcard.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Takes the workers' locks for the rest of the transaction, in id order. A worker's attention items
/// are written only under her lock, by one command at a time (they used to deadlock when two commands
/// locked them in whatever order their conflicts came), and each command re-judges her shifts after the
/// one before it has committed. Commands on shifts and employments take it last, after every row they
/// write and just before the attention refresh (`attention::refresh_workers`), so that what queues
/// behind one worker is that refresh and the commit, not the whole command; holding it, they touch no
/// row but attention items. Timekeeping takes it first — it is the lock the database's approved-week
/// guard takes (`timesheet_lock_key`, migrations/0006_timekeeping.sql) — and writes only punches,
/// periods and pay, which no shift command locks, so the two orders never meet in a cycle.
pub(crate) async fn lock(conn: &mut PgConnection, org: OrgId, workers: &[EntityId]) -> DomainResult<()> {
    let mut ordered = workers.to_vec();
    ordered.sort();
    ordered.dedup();
    for worker in ordered {
        sqlx::query("SELECT pg_advisory_xact_lock(timesheet_lock_key($1, $2))")
            .bind(org)
            .bind(worker)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
