use super::Caller;
use crate::ids::OrgId;
use crate::local_time::WeekStart;
use crate::payroll::PayRules;
use crate::rules::Thresholds;
use crate::store::DomainResult;
use crate::views::OrganisationView;
use chrono_tz::Tz;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

/// The caller's organisation: its name, address, zone, currency and first weekday. Anyone in it may read them.
pub async fn settings(pool: &PgPool, caller: &Caller) -> DomainResult<OrganisationView> {
    settings_of(&mut *pool.acquire().await?, caller.org).await
}

pub(crate) async fn settings_of(conn: &mut PgConnection, org: OrgId) -> DomainResult<OrganisationView> {
    let (name, slug, time_zone, currency, week_starts_on) =
        sqlx::query_as("SELECT name, slug, time_zone, currency, week_starts_on FROM organisations WHERE id = $1")
            .bind(org)
            .fetch_one(conn)
            .await?;
    Ok(OrganisationView { name, slug, time_zone, currency, week_starts_on })
}

/// The currency of an organisation that was not given one.
pub const DEFAULT_CURRENCY: &str = "EUR";

/// An organisation as it is written: its values already checked (`crate::organisation_setup`).
pub struct NewOrganisationRow<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub time_zone: &'a str,
    pub currency: &'a str,
    pub week_starts_on: WeekStart,
}

/// Creates an organisation; the database gives it its own copy of the event types.
pub async fn create(pool: &PgPool, slug: &str, name: &str, time_zone: &str) -> DomainResult<OrgId> {
    let mut conn = pool.acquire().await?;
    let row = NewOrganisationRow { slug, name, time_zone, currency: DEFAULT_CURRENCY, week_starts_on: WeekStart::Monday };
    insert(&mut conn, &row).await
}

/// Writes the organisation row in the caller's transaction.
pub async fn insert(conn: &mut PgConnection, new: &NewOrganisationRow<'_>) -> DomainResult<OrgId> {
    let id = OrgId::new();
    sqlx::query(
        "INSERT INTO organisations (id, slug, name, time_zone, currency, week_starts_on) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(new.slug)
    .bind(new.name)
    .bind(new.time_zone)
    .bind(new.currency)
    .bind(new.week_starts_on)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Whether the database holds any organisation at all (a first run has none).
pub async fn any_exists(conn: &mut PgConnection) -> DomainResult<bool> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organisations)").fetch_one(conn).await?)
}

/// `slug`, or the first of `slug-2`, `slug-3`, … that no organisation has yet.
pub async fn free_slug(conn: &mut PgConnection, slug: &str) -> DomainResult<String> {
    let taken: Vec<String> = sqlx::query_scalar("SELECT slug FROM organisations WHERE slug = $1 OR slug LIKE $1 || '-%'")
        .bind(slug)
        .fetch_all(conn)
        .await?;
    let mut candidate = slug.to_string();
    let mut n = 1;
    while taken.contains(&candidate) {
        n += 1;
        candidate = crate::organisation_setup::numbered_slug(slug, n);
    }
    Ok(candidate)
}

pub async fn rename(pool: &PgPool, org: OrgId, slug: &str) -> DomainResult<()> {
    sqlx::query("UPDATE organisations SET slug = $2 WHERE id = $1").bind(org).bind(slug).execute(pool).await?;
    Ok(())
}

pub async fn find_by_slug(pool: &PgPool, slug: &str) -> DomainResult<Option<OrgId>> {
    Ok(sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1").bind(slug).fetch_optional(pool).await?)
}

/// The day the organisation's weeks start on.
pub async fn week_starts_on(conn: &mut PgConnection, org: OrgId) -> DomainResult<WeekStart> {
    Ok(sqlx::query_scalar("SELECT week_starts_on FROM organisations WHERE id = $1").bind(org).fetch_one(conn).await?)
}

/// The organisation's rule thresholds: its shift type's `rules`, over the built-in defaults.
pub async fn thresholds(conn: &mut PgConnection, org: OrgId) -> DomainResult<Thresholds> {
    let (rules, zone, week_starts_on): (Value, String, WeekStart) = sqlx::query_as(
        "SELECT t.rules, o.time_zone, o.week_starts_on FROM event_types t JOIN organisations o ON o.id = t.org_id
          WHERE t.org_id = $1 AND t.name = 'shift'",
    )
    .bind(org)
    .fetch_one(conn)
    .await?;
    let defaults = Thresholds::default();
    let number = |key: &str, default: f64| rules.get(key).and_then(Value::as_f64).unwrap_or(default);
    Ok(Thresholds {
        min_rest_hours: number("min_rest_hours", defaults.min_rest_hours),
        max_weekly_hours: number("max_weekly_hours", defaults.max_weekly_hours),
        break_required_after_hours: number("break_required_after_hours", defaults.break_required_after_hours),
        min_break_minutes: number("min_break_minutes", defaults.min_break_minutes),
        week_time_zone: zone.parse().unwrap_or(defaults.week_time_zone),
        week_starts_on,
    })
}

/// The organisation's pay rules (premiums and night window from its `payroll_piece` type, the weekly
/// overtime threshold from its shift rules) and the zone its weeks and days are counted in.
pub async fn pay_rules(conn: &mut PgConnection, org: OrgId) -> DomainResult<(PayRules, Tz)> {
    let (shift_rules, pay_rules, zone, week_starts_on): (Value, Value, String, WeekStart) = sqlx::query_as(
        "SELECT s.rules, p.rules, o.time_zone, o.week_starts_on FROM organisations o
           JOIN event_types s ON s.org_id = o.id AND s.name = 'shift'
           JOIN event_types p ON p.org_id = o.id AND p.name = 'payroll_piece'
          WHERE o.id = $1",
    )
    .bind(org)
    .fetch_one(conn)
    .await?;
    let threshold = shift_rules.get("overtime_weekly_hours").and_then(Value::as_f64).unwrap_or(40.0);
    let rules = PayRules { week_starts_on, ..PayRules::from_rules(&pay_rules, threshold) };
    Ok((rules, zone.parse().unwrap_or(chrono_tz::UTC)))
}
