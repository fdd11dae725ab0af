//! The two database roles Mosaic uses: the owner, who runs the migrations, and the application role the
//! server connects as for everything else (migrations/0009_consent_and_application_role.sql). The
//! application role owns nothing, so it cannot alter, disable or truncate the guards of the change log.

use sqlx::postgres::{PgConnectOptions, PgPool};

/// What the server's application connection may do to the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationRole {
    pub name: String,
    pub superuser: bool,
    /// A member of the role that owns the change log may alter it and disable its triggers.
    pub owns_the_log: bool,
}

impl ApplicationRole {
    /// Why this role must not run the application, if it must not.
    pub fn too_powerful(&self) -> Option<String> {
        if self.superuser {
            Some(format!("the role {} is a superuser", self.name))
        } else if self.owns_the_log {
            Some(format!("the role {} owns the schema (it can disable the change log's triggers)", self.name))
        } else {
            None
        }
    }
}

pub async fn inspect(application: &PgPool) -> Result<ApplicationRole, sqlx::Error> {
    let (name, superuser, owns_the_log): (String, bool, bool) = sqlx::query_as(
        "SELECT current_user::text, r.rolsuper,
                pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'changes'::regclass), 'MEMBER')
           FROM pg_roles r WHERE r.rolname = current_user",
    )
    .fetch_one(application)
    .await?;
    Ok(ApplicationRole { name, superuser, owns_the_log })
}

/// Grants the application role what it needs on the migrated schema; run by the owner after every
/// migration run, so tables added since are covered. Idempotent.
pub async fn grant(owner: &PgPool, application: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT mosaic_grant_application_role(quote_ident($1)::regrole)").bind(application).execute(owner).await?;
    Ok(())
}

/// A login role that owns nothing, created on the owner's server unless it exists: for fresh test
/// databases, whose server may not have one yet. Safe against tests creating it at once.
pub async fn ensure_login_role(owner: &PgPool, name: &str, password: Option<&str>) -> Result<(), sqlx::Error> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)").bind(name).fetch_one(owner).await?;
    if exists {
        return Ok(());
    }
    let password = password.map(|p| format!(" PASSWORD '{}'", p.replace('\'', "''"))).unwrap_or_default();
    let created = sqlx::query(&format!(
        "CREATE ROLE \"{}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS{password}",
        name.replace('"', "\"\"")
    ))
    .execute(owner)
    .await;
    match created {
        // Another test created it between the look and the create.
        Err(sqlx::Error::Database(e)) if matches!(e.code().as_deref(), Some("42710" | "23505")) => Ok(()),
        other => other.map(|_| ()),
    }
}

/// The owner's connection settings with another user: the same server and database.
pub fn as_user(owner: &PgConnectOptions, name: &str, password: Option<&str>) -> PgConnectOptions {
    let options = owner.clone().username(name);
    match password {
        Some(password) => options.password(password),
        None => options,
    }
}

/// A pool connected as `role` to the owner's database, the role made if the server lacks it and granted
/// its rights: how a database made on the fly (each test's) is used as the server uses its own.
pub async fn application_pool(owner: &PgPool, role: &str, password: Option<&str>) -> Result<PgPool, sqlx::Error> {
    ensure_login_role(owner, role, password).await?;
    grant(owner, role).await?;
    sqlx::postgres::PgPoolOptions::new().max_connections(16).connect_with(as_user(&owner.connect_options(), role, password)).await
}
