//! Creating an organisation from nothing: a person names it, chooses its time zone and currency, and
//! becomes its first administrator, signed in. Whether anyone may do so is the operator's choice
//! ([`SignUpPolicy`]); by default only the first organisation of a database is created this way.

use super::accounts::{self, SignedIn};
use super::password_links::{self, IssuedPasswordLink};
use super::users::{passwords, secrets};
use super::{members, organisations, users};
use crate::change_kind::ChangeKind;
use crate::ids::OrgId;
use crate::local_time::WeekStart;
use crate::organisation_setup;
use crate::store::{changes, Actor, DomainError, DomainResult};
use serde::Deserialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Who may create an organisation in the browser (`MOSAIC_SIGNUP`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignUpPolicy {
    /// Only while the database holds no organisation: the first run of a new install.
    #[default]
    First,
    /// Anyone, at any time: a hosted service.
    Open,
    /// No one: organisations are made by the operator.
    Closed,
}

impl SignUpPolicy {
    pub fn parse(text: &str) -> Option<SignUpPolicy> {
        match text.trim() {
            "first" => Some(SignUpPolicy::First),
            "open" => Some(SignUpPolicy::Open),
            "closed" => Some(SignUpPolicy::Closed),
            _ => None,
        }
    }

    /// Whether a sign-up may start now, given whether any organisation exists.
    pub fn allows(self, an_organisation_exists: bool) -> bool {
        match self {
            SignUpPolicy::First => !an_organisation_exists,
            SignUpPolicy::Open => true,
            SignUpPolicy::Closed => false,
        }
    }

    /// Whether the sign-up form should be offered at this moment.
    pub async fn allows_now(self, pool: &PgPool) -> DomainResult<bool> {
        if self == SignUpPolicy::Closed {
            return Ok(false);
        }
        let mut conn = pool.acquire().await?;
        Ok(self.allows(organisations::any_exists(&mut conn).await?))
    }
}

/// A first run: the database holds no organisation, so the first visitor is offered to create one.
pub async fn no_organisation_yet(pool: &PgPool) -> DomainResult<bool> {
    let mut conn = pool.acquire().await?;
    Ok(!organisations::any_exists(&mut conn).await?)
}

/// What the sign-up form sends.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    pub organisation_name: String,
    pub time_zone: String,
    pub currency: String,
    /// Monday unless the form says otherwise.
    #[serde(default)]
    pub week_starts_on: WeekStart,
    pub admin_name: String,
    pub admin_email: String,
    pub admin_password: String,
}

/// Two first sign-ups at once must not both find the database empty.
const SIGN_UP_LOCK: (i32, i32) = (5066579, 3);

/// Creates the organisation and its first administrator, with a new account, and signs them in.
pub async fn create_organisation(pool: &PgPool, policy: SignUpPolicy, new: NewOrganisation) -> DomainResult<SignedIn> {
    let settings = Settings::checked(&new.organisation_name, &new.time_zone, &new.currency, new.week_starts_on)?;
    let admin_name = users::checked_name(&new.admin_name).map_err(|e| renamed(e, "admin_name"))?;
    let admin_email = users::normalise_email(&new.admin_email).map_err(|e| renamed(e, "admin_email"))?;
    if policy == SignUpPolicy::Closed {
        return Err(closed());
    }
    let mut tx = crate::store::begin(pool).await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)").bind(SIGN_UP_LOCK.0).bind(SIGN_UP_LOCK.1).execute(&mut *tx).await?;
    if !policy.allows(organisations::any_exists(&mut tx).await?) {
        return Err(closed());
    }
    let (user, founder) = founder_account(&mut tx, &admin_email, admin_name, &new.admin_password).await?;
    let (org, _) = found(&mut tx, &settings, &founder).await?;
    members::add_founder(&mut tx, org, &founder).await?;
    let signed_in = accounts::open_session(&mut tx, org, user).await?;
    crate::store::commit(tx, pool).await?;
    Ok(signed_in)
}

/// What the operator gives on the shell to set up an organisation for someone else.
#[derive(Clone, Debug)]
pub struct OperatorOrganisation {
    pub organisation_name: String,
    pub time_zone: String,
    pub currency: String,
    pub week_starts_on: WeekStart,
    pub admin_name: String,
    pub admin_email: String,
}

/// How the first administrator of an organisation the operator made gets in.
#[derive(Debug)]
pub enum FirstAdmin {
    /// A new account, with no password until they choose one through this one-time link.
    NewAccount(IssuedPasswordLink),
    /// The email already had an account; they sign in with its password.
    ExistingAccount,
}

/// Creates an organisation from the server's shell, whatever `MOSAIC_SIGNUP` says: the operator may.
/// Answers the organisation's address and how its administrator gets in.
pub async fn create_by_operator(pool: &PgPool, new: OperatorOrganisation) -> DomainResult<(String, FirstAdmin)> {
    let settings = Settings::checked(&new.organisation_name, &new.time_zone, &new.currency, new.week_starts_on)?;
    let admin_name = users::checked_name(&new.admin_name).map_err(|e| renamed(e, "admin_name"))?;
    let admin_email = users::normalise_email(&new.admin_email).map_err(|e| renamed(e, "admin_email"))?;
    let operator = Actor::named("operator");
    let mut tx = crate::store::begin(pool).await?;
    let (user, first_admin_is_new) = match users::find_user(&mut tx, &admin_email).await? {
        Some(user) => (user, false),
        None => {
            // A password no one knows: the account opens only through the link below.
            let unusable = passwords::hash(&secrets::new_secret("unusable_").0).await?;
            (users::insert_user(&mut tx, &admin_email, admin_name, &unusable).await?, true)
        }
    };
    let admin = Actor { id: Some(user.id), name: user.name };
    let (org, slug) = found(&mut tx, &settings, &operator).await?;
    members::add_founder(&mut tx, org, &admin).await?;
    let first_admin = if first_admin_is_new {
        FirstAdmin::NewAccount(password_links::insert(&mut tx, org, &operator, user.id).await?)
    } else {
        FirstAdmin::ExistingAccount
    };
    crate::store::commit(tx, pool).await?;
    Ok((slug, first_admin))
}

/// An organisation's name, zone, currency and first weekday, checked.
struct Settings<'a> {
    name: &'a str,
    zone: chrono_tz::Tz,
    currency: String,
    week_starts_on: WeekStart,
}

impl<'a> Settings<'a> {
    fn checked(name: &'a str, zone: &str, currency: &str, week_starts_on: WeekStart) -> DomainResult<Settings<'a>> {
        Ok(Settings {
            name: organisation_setup::checked_name(name)?,
            zone: organisation_setup::checked_time_zone(zone)?,
            currency: organisation_setup::checked_currency(currency)?,
            week_starts_on,
        })
    }
}

/// Writes the organisation under the first free address its name suggests, and logs it.
async fn found(conn: &mut PgConnection, settings: &Settings<'_>, by: &Actor) -> DomainResult<(OrgId, String)> {
    let slug = organisations::free_slug(conn, &organisation_setup::slug_of(settings.name)).await?;
    let (name, time_zone, currency) = (settings.name, settings.zone.name(), settings.currency.as_str());
    let week_starts_on = settings.week_starts_on;
    let row = organisations::NewOrganisationRow { slug: &slug, name, time_zone, currency, week_starts_on };
    let org = organisations::insert(conn, &row).await?;
    let after =
        json!({ "slug": slug, "name": name, "time_zone": time_zone, "currency": currency, "week_starts_on": week_starts_on });
    changes::record(conn, org, by, ChangeKind::OrganisationCreated, org.0, 1, json!({ "after": after })).await?;
    Ok((org, slug))
}

fn closed() -> DomainError {
    DomainError::Conflict {
        code: "sign_up_closed",
        message: "New organisations are not created here; ask the operator of this Mosaic for an invitation.".into(),
    }
}

/// The users service names its fields for a person; on this form they are the administrator's.
fn renamed(error: DomainError, field: &str) -> DomainError {
    match error {
        DomainError::Invalid { message, .. } => DomainError::invalid(field, message),
        other => other,
    }
}

/// A new account for the founder. An email that already has one is refused rather than checked against
/// its password here: this form is open to anyone, and sign-in is where passwords are tried, counted
/// and throttled.
async fn founder_account(conn: &mut PgConnection, email: &str, name: &str, password: &str) -> DomainResult<(Uuid, Actor)> {
    if users::find_user(conn, email).await?.is_some() {
        return Err(DomainError::Conflict {
            code: "email_taken",
            message: "That email already has an account; use another one for this organisation's administrator.".into(),
        });
    }
    passwords::check_strength(password).map_err(|e| renamed(e, "admin_password"))?;
    let hash = passwords::hash(password).await?;
    // Someone signing up with the same email at this moment is refused by users_email_unique.
    let user = users::insert_user(conn, email, name, &hash).await?;
    Ok((user.id, Actor { id: Some(user.id), name: user.name }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_reads_its_three_names_and_decides_by_whether_an_organisation_exists() {
        assert_eq!(SignUpPolicy::parse("first"), Some(SignUpPolicy::First));
        assert_eq!(SignUpPolicy::parse(" open "), Some(SignUpPolicy::Open));
        assert_eq!(SignUpPolicy::parse("closed"), Some(SignUpPolicy::Closed));
        assert_eq!(SignUpPolicy::parse("yes"), None);
        assert!(SignUpPolicy::First.allows(false) && !SignUpPolicy::First.allows(true));
        assert!(SignUpPolicy::Open.allows(true));
        assert!(!SignUpPolicy::Closed.allows(false));
    }
}
