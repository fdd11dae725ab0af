//! A worker's private calendar feed (iCalendar, RFC 5545), for phone and desktop calendar apps.
//!
//! Calendar apps cannot send headers, so the secret is in the URL: one live link per worker, shown once
//! when made, stored only as its hash, and revoked when a new one is made. Each shift keeps its UID
//! (its id) for ever, its SEQUENCE is its version (every move raises it, so apps replace the old copy),
//! and a shift cancelled after publishing stays in the feed as STATUS:CANCELLED so apps remove it.
//! Times are written in UTC, which every calendar app places correctly whatever the zone or DST; the
//! description repeats them in the location's local time.

use super::timeline::{details, own_worker, published_shifts};
use super::users::secrets;
use super::Caller;
use crate::access::{Access, Action, Role};
use crate::ids::{EntityId, OrgId};
use crate::kinds::EventStatus;
use crate::store::{Actor, DomainError, DomainResult};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus as IcsStatus};
use sqlx::PgPool;
use uuid::Uuid;

const FEED_PREFIX: &str = "mosaic_cal_";
/// How far back and ahead the feed reaches.
pub const DAYS_BACK: i64 = 60;
pub const DAYS_AHEAD: i64 = 365;

/// Makes a new feed link for the caller's worker, revoking the old one; returns the secret for the URL.
pub async fn renew_link(pool: &PgPool, caller: &Caller) -> DomainResult<String> {
    caller.require(Action::ReadOwnTimeline)?;
    let worker = own_worker(caller)?;
    let (secret, hash) = secrets::new_secret(FEED_PREFIX);
    let mut tx = crate::store::begin(pool).await?;
    revoke_live(&mut tx, caller.org, worker).await?;
    sqlx::query("INSERT INTO calendar_feeds (org_id, id, worker_id, token_hash) VALUES ($1, $2, $3, $4)")
        .bind(caller.org)
        .bind(Uuid::new_v4())
        .bind(worker)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(secret)
}

/// Revokes the caller's feed link: calendar apps that use it get 404 from now on.
pub async fn revoke_link(pool: &PgPool, caller: &Caller) -> DomainResult<()> {
    caller.require(Action::ReadOwnTimeline)?;
    let worker = own_worker(caller)?;
    let mut conn = pool.acquire().await?;
    revoke_live(&mut conn, caller.org, worker).await
}

/// When the caller's live link was made, if there is one.
pub async fn link_made_at(pool: &PgPool, caller: &Caller) -> DomainResult<Option<DateTime<Utc>>> {
    caller.require(Action::ReadOwnTimeline)?;
    let Some(worker) = caller.access.worker else { return Ok(None) };
    Ok(sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE org_id = $1 AND worker_id = $2 AND revoked_at IS NULL")
        .bind(caller.org)
        .bind(worker)
        .fetch_optional(pool)
        .await?)
}

async fn revoke_live(conn: &mut sqlx::PgConnection, org: OrgId, worker: EntityId) -> DomainResult<()> {
    sqlx::query("UPDATE calendar_feeds SET revoked_at = now() WHERE org_id = $1 AND worker_id = $2 AND revoked_at IS NULL")
        .bind(org)
        .bind(worker)
        .execute(conn)
        .await?;
    Ok(())
}

/// The feed behind a link, as iCalendar text; an unknown or revoked link is not found.
pub async fn feed(pool: &PgPool, secret: &str, now: DateTime<Utc>) -> DomainResult<String> {
    let found: Option<(OrgId, EntityId, String)> = sqlx::query_as(
        "SELECT f.org_id, f.worker_id, w.name FROM calendar_feeds f
           JOIN entities w ON w.org_id = f.org_id AND w.id = f.worker_id
          WHERE f.token_hash = $1 AND f.revoked_at IS NULL",
    )
    .bind(secrets::hash_secret(secret))
    .fetch_optional(pool)
    .await?;
    let (org, worker, worker_name) = found.ok_or_else(|| DomainError::not_found("calendar feed", "for that link"))?;
    // The feed sees exactly what its worker would see signed in.
    let caller = Caller {
        org,
        actor: Actor::named("calendar feed"),
        access: Access { role: Role::Worker, worker: Some(worker), locations: Vec::new() },
    };
    let shifts =
        published_shifts(pool, &caller, worker, now - Duration::days(DAYS_BACK), now + Duration::days(DAYS_AHEAD)).await?;
    let details = details(pool, &caller, &shifts).await?;

    let mut calendar = Calendar::new();
    calendar.name(&ics_text(&format!("Shifts — {worker_name}")));
    calendar.append_property(icalendar::Property::new("X-PUBLISHED-TTL", "PT1H"));
    calendar.append_property(icalendar::Property::new("REFRESH-INTERVAL;VALUE=DURATION", "PT1H"));
    for shift in &shifts {
        let (location, zone) = details.locations.get(&shift.location_id).cloned().unwrap_or_default();
        let tz: Tz = zone.parse().unwrap_or(chrono_tz::UTC);
        let local = |t: DateTime<Utc>| t.with_timezone(&tz).format("%a %-d %b %H:%M").to_string();
        let end = shift.during.end.unwrap_or(shift.during.start);
        let mut lines = vec![format!("{} – {} ({zone})", local(shift.during.start), local(end))];
        for b in &shift.breaks {
            let kind = if b.paid { "Paid break" } else { "Break" };
            lines.push(format!("{kind} {} – {}", local(b.during.start), local(b.during.end.unwrap_or(b.during.start))));
        }
        if let Some(names) = details.colleagues.get(&shift.id) {
            lines.push(format!("With {}", names.join(", ")));
        }
        lines.push(format!("{:.2} h paid", shift.hours.net));
        if let Some(notes) = &shift.notes {
            lines.push(notes.clone());
        }
        let summary = match shift.label() {
            Some(role) => format!("{role} at {location}"),
            None => format!("Shift at {location}"),
        };
        let mut event = Event::new();
        event
            .uid(&format!("{}@mosaic", shift.id))
            .summary(&ics_text(&summary))
            .location(&ics_text(&location))
            .description(&ics_text(&lines.join("\n")))
            .starts(shift.during.start)
            .ends(end)
            .add_property("SEQUENCE", shift.version.to_string())
            .status(if shift.status == EventStatus::Cancelled { IcsStatus::Cancelled } else { IcsStatus::Confirmed });
        if let Some(changed) = details.last_changed.get(&shift.id) {
            event.last_modified(*changed);
        }
        calendar.push(event.done());
    }
    Ok(calendar.done().to_string())
}

/// Text as RFC 5545 allows it in a TEXT value: line breaks in any spelling become one `\n` (which the
/// writer escapes), tabs stay, and every other control character is dropped. Notes, names and roles
/// are people's text; a raw CR would let a reader that splits lines on it see properties (or a whole
/// VEVENT) that nobody wrote.
fn ics_text(text: &str) -> String {
    let lines = text.replace("\r\n", "\n").replace('\r', "\n");
    lines.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}

#[cfg(test)]
mod tests {
    use super::ics_text;

    #[test]
    fn control_characters_never_reach_the_feed_and_line_breaks_stay_line_breaks() {
        assert_eq!(ics_text("Bring\r\nkeys\rand\x07 the\x1b[31m badge\u{7f}\u{85}"), "Bring\nkeys\nand the[31m badge");
        assert_eq!(ics_text("tab\tstays"), "tab\tstays");
    }
}
