//! Workers: the people who are scheduled.

use super::Caller;
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, OrgId};
use crate::store::changes;
use crate::store::{DomainError, DomainResult};
use crate::views::WorkerView;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWorker {
    pub name: String,
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// The worker's number in another system (payroll, HR), unique in the organisation.
    #[serde(default)]
    pub external_id: Option<String>,
}

/// What a client may change about a worker; a field left out stays as it is, and an empty email or
/// phone clears it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkerPatch {
    pub expected_version: i32,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub external_id: Option<String>,
}

const SELECT_WORKER: &str = "SELECT id, name, properties ->> 'email' AS email, properties ->> 'phone' AS phone,
        inactive_from AS removed_from, version
   FROM entities WHERE org_id = $1 AND entity_type = 'worker'";

#[derive(sqlx::FromRow)]
pub(crate) struct WorkerRow {
    id: EntityId,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    removed_from: Option<DateTime<Utc>>,
    version: i32,
}

impl From<WorkerRow> for WorkerView {
    fn from(r: WorkerRow) -> Self {
        WorkerView { id: r.id, name: r.name, email: r.email, phone: r.phone, removed_from: r.removed_from, version: r.version }
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
/// worker along with something else: an invitation, hiring).
pub(crate) async fn insert(conn: &mut PgConnection, caller: &Caller, new: NewWorker) -> DomainResult<WorkerView> {
    let mut written = insert_all(conn, caller, vec![new]).await?;
    Ok(written.remove(0))
}

/// As [`insert`] for many workers, in one statement for the rows and one for their changes (an
/// import); answered in the order given. The first worker that fails a check refuses them all.
pub(crate) async fn insert_all(conn: &mut PgConnection, caller: &Caller, new: Vec<NewWorker>) -> DomainResult<Vec<WorkerView>> {
    caller.require(Action::ManagePeople)?;
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let mut views = Vec::with_capacity(new.len());
    let mut properties = Vec::with_capacity(new.len());
    for worker in new {
        let name = checked_name(&worker.name)?;
        let email = checked_email(worker.email.as_deref())?;
        let phone = checked_phone(worker.phone.as_deref())?;
        let external_id = checked_external_id(worker.external_id.as_deref())?;
        properties.push(contact(&email, &phone, &external_id));
        views.push(WorkerView { id: EntityId::new(), name, email, phone, removed_from: None, version: 1 });
    }
    sqlx::query(
        "INSERT INTO entities (org_id, id, entity_type, name, properties)
         SELECT $1, w.id, 'worker', w.name, w.properties FROM unnest($2::uuid[], $3::text[], $4::jsonb[]) AS w (id, name, properties)",
    )
    .bind(caller.org)
    .bind(views.iter().map(|w| w.id.0).collect::<Vec<_>>())
    .bind(views.iter().map(|w| w.name.as_str()).collect::<Vec<_>>())
    .bind(properties)
    .execute(&mut *conn)
    .await?;
    let created = views.iter().map(|view| changes::Recorded::after(ChangeKind::WorkerCreated, view.id.0, 1, view)).collect();
    changes::record_all(conn, caller.org, &caller.actor, created).await?;
    Ok(views)
}

/// Renames a worker or changes their email or phone, at the version the caller saw.
pub async fn update(pool: &PgPool, caller: &Caller, id: EntityId, patch: WorkerPatch) -> DomainResult<WorkerView> {
    let mut tx = crate::store::begin(pool).await?;
    let after = update_in(&mut tx, caller, id, patch).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// As [`update`], in the caller's transaction (an import).
pub(crate) async fn update_in(
    tx: &mut PgConnection,
    caller: &Caller,
    id: EntityId,
    patch: WorkerPatch,
) -> DomainResult<WorkerView> {
    caller.require(Action::ManagePeople)?;
    let before = lock_row(&mut *tx, caller, id, patch.expected_version).await?;
    let stored_external: Option<String> =
        sqlx::query_scalar("SELECT properties ->> 'external_id' FROM entities WHERE org_id = $1 AND id = $2")
            .bind(caller.org)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    let external_id = match &patch.external_id {
        Some(external) => checked_external_id(Some(external))?,
        None => stored_external.clone(),
    };
    let name = match &patch.name {
        Some(name) => checked_name(name)?,
        None => before.name.clone(),
    };
    let email = match &patch.email {
        Some(email) => checked_email(Some(email))?,
        None => before.email.clone(),
    };
    let phone = match &patch.phone {
        Some(phone) => checked_phone(Some(phone))?,
        None => before.phone.clone(),
    };
    let after = WorkerView { name, email, phone, version: before.version + 1, ..before.clone() };
    if (&after.name, &after.email, &after.phone, &external_id) == (&before.name, &before.email, &before.phone, &stored_external) {
        return Ok(before);
    }
    sqlx::query(
        "UPDATE entities SET name = $3, properties = (properties - 'email' - 'phone' - 'external_id') || $4,
                version = version + 1
          WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org)
    .bind(id)
    .bind(&after.name)
    .bind(contact(&after.email, &after.phone, &external_id))
    .execute(&mut *tx)
    .await?;
    let payload = json!({ "before": before, "after": after, "external_id": external_id });
    changes::record(&mut *tx, caller.org, &caller.actor, ChangeKind::WorkerUpdated, id.0, after.version, payload).await?;
    Ok(after)
}

/// What an import matches a row against: every worker's identifying values.
pub(crate) struct WorkerKey {
    pub id: EntityId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub external_id: Option<String>,
    pub removed: bool,
    pub version: i32,
}

pub(crate) async fn keys(conn: &mut PgConnection, org: OrgId) -> DomainResult<Vec<WorkerKey>> {
    type Row = (EntityId, String, Option<String>, Option<String>, Option<String>, bool, i32);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, properties ->> 'email', properties ->> 'phone', properties ->> 'external_id',
                inactive_from IS NOT NULL, version
           FROM entities WHERE org_id = $1 AND entity_type = 'worker'",
    )
    .bind(org)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email, phone, external_id, removed, version)| WorkerKey {
            id,
            name,
            email,
            phone,
            external_id,
            removed,
            version,
        })
        .collect())
}

/// Bumps the version of workers whose rows the caller holds (what they hold changed), in one statement.
pub(crate) async fn bump_versions(
    conn: &mut PgConnection,
    caller: &Caller,
    before: &[WorkerView],
) -> DomainResult<Vec<WorkerView>> {
    if before.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query("UPDATE entities SET version = version + 1 WHERE org_id = $1 AND id = ANY ($2)")
        .bind(caller.org)
        .bind(before.iter().map(|w| w.id.0).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    Ok(before.iter().map(|w| WorkerView { version: w.version + 1, ..w.clone() }).collect())
}

/// Locks the worker's row for the caller's command, at the version the caller saw.
pub(crate) async fn lock_row(
    conn: &mut PgConnection,
    caller: &Caller,
    id: EntityId,
    expected_version: i32,
) -> DomainResult<WorkerView> {
    let row: Option<WorkerRow> = sqlx::query_as(&format!("{SELECT_WORKER} AND id = $2 FOR UPDATE"))
        .bind(caller.org)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let view: WorkerView = row.map(Into::into).ok_or_else(|| DomainError::not_found("worker", id))?;
    if view.version != expected_version {
        return Err(DomainError::StaleVersion { expected: expected_version, actual: view.version });
    }
    Ok(view)
}

/// Marks the locked worker removed from `from` (or restored, with `None`), and answers them as they are now.
pub(crate) async fn set_removed(
    conn: &mut PgConnection,
    caller: &Caller,
    before: &WorkerView,
    from: Option<DateTime<Utc>>,
) -> DomainResult<WorkerView> {
    sqlx::query("UPDATE entities SET inactive_from = $3, version = version + 1 WHERE org_id = $1 AND id = $2")
        .bind(caller.org)
        .bind(before.id)
        .bind(from)
        .execute(&mut *conn)
        .await?;
    Ok(WorkerView { removed_from: from, version: before.version + 1, ..before.clone() })
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
/// Removed workers are left out: this is what the pickers offer.
pub async fn search(pool: &PgPool, caller: &Caller, query: &str, limit: i64) -> DomainResult<Vec<WorkerView>> {
    search_with(pool, caller, query, limit, false).await
}

/// As [`search`], with the removed workers too where `include_removed`.
pub async fn search_with(
    pool: &PgPool,
    caller: &Caller,
    query: &str,
    limit: i64,
    include_removed: bool,
) -> DomainResult<Vec<WorkerView>> {
    caller.require(Action::ReadOrganisation)?;
    let pattern = format!("%{}%", escape_like(&query.trim().to_lowercase()));
    let rows: Vec<WorkerRow> = sqlx::query_as(&format!(
        "{SELECT_WORKER} AND (lower(name) LIKE $2 OR lower(properties ->> 'email') LIKE $2)
            AND ($4 OR inactive_from IS NULL)
          ORDER BY name, id LIMIT $3"
    ))
    .bind(caller.org)
    .bind(pattern)
    .bind(limit.clamp(1, 500))
    .bind(include_removed)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

fn checked_name(name: &str) -> DomainResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(DomainError::invalid("name", "must be 1 to 200 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(DomainError::invalid("name", "must not contain control characters"));
    }
    Ok(name.to_string())
}

/// Lower-cased; empty is none.
fn checked_email(email: Option<&str>) -> DomainResult<Option<String>> {
    let Some(email) = email.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()) else { return Ok(None) };
    let well_formed = email.len() <= 254
        && !email.chars().any(|c| c.is_control() || c.is_whitespace())
        && email.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    if !well_formed {
        return Err(DomainError::invalid("email", "must look like name@example.com"));
    }
    Ok(Some(email))
}

/// A number as people write one (`+49 30 1234-567`, `(555) 010 0199`): digits with spaces, dashes,
/// dots, slashes, brackets and one leading plus; empty is none.
fn checked_phone(phone: Option<&str>) -> DomainResult<Option<String>> {
    let Some(phone) = phone.map(str::trim).filter(|p| !p.is_empty()) else { return Ok(None) };
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " -./()".contains(c) || (c == '+' && i == 0));
    if !allowed || !(3..=20).contains(&digits) || phone.chars().count() > 32 {
        return Err(DomainError::invalid("phone", "must be a phone number such as +49 30 1234567"));
    }
    Ok(Some(phone.to_string()))
}

/// Trimmed; empty is none.
fn checked_external_id(id: Option<&str>) -> DomainResult<Option<String>> {
    let Some(id) = id.map(str::trim).filter(|i| !i.is_empty()) else { return Ok(None) };
    if id.chars().count() > 100 || id.chars().any(char::is_control) {
        return Err(DomainError::invalid("external_id", "must be at most 100 characters, without control characters"));
    }
    Ok(Some(id.to_string()))
}

fn contact(email: &Option<String>, phone: &Option<String>, external_id: &Option<String>) -> serde_json::Value {
    let mut properties = serde_json::Map::new();
    if let Some(external_id) = external_id {
        properties.insert("external_id".into(), json!(external_id));
    }
    if let Some(email) = email {
        properties.insert("email".into(), json!(email));
    }
    if let Some(phone) = phone {
        properties.insert("phone".into(), json!(phone));
    }
    serde_json::Value::Object(properties)
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
