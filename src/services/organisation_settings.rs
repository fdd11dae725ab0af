//! The organisation's settings as /settings shows and changes them: the organisation row (name, zone,
//! currency, first weekday) and the rules its event types keep (`event_types.rules` of `shift` and
//! `payroll_piece`). A change is one command: checked by `crate::organisation_settings`, refused over a
//! newer version, logged as `organisation.settings_changed`, and followed in the same transaction by
//! the attention items of every worker with shifts still to come, judged by the new rules.

use super::{attention, organisations, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::organisation_settings::OrganisationSettings;
use crate::store::{changes, retrying, DomainError, DomainResult};
use crate::views::OrganisationSettingsView;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

/// What a client sends to change the settings.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettingsChange {
    /// The version the settings were read at.
    pub expected_version: i32,
    pub settings: OrganisationSettings,
}

/// The settings as they stand. Whoever may read the organisation may read them.
pub async fn read(pool: &PgPool, caller: &Caller) -> DomainResult<OrganisationSettingsView> {
    caller.require(Action::ReadOrganisation)?;
    current(&mut *pool.acquire().await?, caller).await
}

/// Changes the settings. Saving what is already there changes nothing and logs nothing. `now` is where
/// re-judging starts: the week it falls in and every shift after it.
pub async fn update(
    pool: &PgPool,
    caller: &Caller,
    change: SettingsChange,
    now: DateTime<Utc>,
) -> DomainResult<OrganisationSettingsView> {
    caller.require(Action::ManageSettings)?;
    let wanted = change.settings.checked()?;
    retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let version: i32 = sqlx::query_scalar("SELECT settings_version FROM organisations WHERE id = $1 FOR UPDATE")
            .bind(caller.org)
            .fetch_one(&mut *tx)
            .await?;
        if version != change.expected_version {
            return Err(DomainError::StaleVersion { expected: change.expected_version, actual: version });
        }
        let before = current(&mut tx, caller).await?;
        if before.settings == wanted {
            return Ok(before);
        }
        write(&mut tx, caller, &wanted).await?;
        let payload = json!({ "version": version + 1, "before": before.settings, "after": wanted });
        changes::record_next(&mut tx, caller.org, &caller.actor, ChangeKind::OrganisationSettingsChanged, caller.org.0, payload)
            .await?;
        let judged_the_same = before.settings.rules == wanted.rules
            && before.settings.week_starts_on == wanted.week_starts_on
            && before.settings.time_zone == wanted.time_zone;
        if !judged_the_same {
            let thresholds = organisations::thresholds(&mut tx, caller.org).await?;
            attention::refresh_all_after(&mut tx, caller, crate::rules::week_start(now, &thresholds)).await?;
        }
        let after = current(&mut tx, caller).await?;
        crate::store::commit(tx, pool).await?;
        Ok(after)
    })
    .await
}

async fn current(conn: &mut PgConnection, caller: &Caller) -> DomainResult<OrganisationSettingsView> {
    let (name, slug, time_zone, currency, version): (String, String, String, String, i32) =
        sqlx::query_as("SELECT name, slug, time_zone, currency, settings_version FROM organisations WHERE id = $1")
            .bind(caller.org)
            .fetch_one(&mut *conn)
            .await?;
    let thresholds = organisations::thresholds(conn, caller.org).await?;
    let (pay, _) = organisations::pay_rules(conn, caller.org).await?;
    Ok(OrganisationSettingsView {
        slug,
        version,
        settings: OrganisationSettings::of(name, time_zone, currency, &thresholds, &pay),
    })
}

/// The organisation row and both rule documents, from settings already checked. Keys the rules do not
/// name here are kept as they are.
async fn write(conn: &mut PgConnection, caller: &Caller, settings: &OrganisationSettings) -> DomainResult<()> {
    sqlx::query(
        "UPDATE organisations SET name = $2, time_zone = $3, currency = $4, week_starts_on = $5,
                settings_version = settings_version + 1
          WHERE id = $1",
    )
    .bind(caller.org)
    .bind(&settings.name)
    .bind(&settings.time_zone)
    .bind(&settings.currency)
    .bind(settings.week_starts_on)
    .execute(&mut *conn)
    .await?;
    let r = &settings.rules;
    let shift_rules = json!({
        "min_rest_hours": r.min_rest_hours,
        "max_weekly_hours": r.max_weekly_hours,
        "overtime_weekly_hours": r.overtime_weekly_hours,
        "break_required_after_hours": r.break_required_after_hours,
        "min_break_minutes": r.min_break_minutes,
    });
    let p = &settings.pay;
    let pay_rules = json!({
        "night_start": p.night_start,
        "night_end": p.night_end,
        "weekend_days": p.weekend_days,
        "night_multiplier": p.night_multiplier,
        "weekend_multiplier": p.weekend_multiplier,
        "overtime_multiplier": p.overtime_multiplier,
    });
    for (event_type, rules) in [("shift", shift_rules), ("payroll_piece", pay_rules)] {
        sqlx::query("UPDATE event_types SET rules = rules || $3 WHERE org_id = $1 AND name = $2")
            .bind(caller.org)
            .bind(event_type)
            .bind(rules)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
