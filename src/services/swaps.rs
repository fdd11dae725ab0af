//! Swaps and drops: a worker offers a published shift of theirs to a named colleague (perhaps for one of
//! the colleague's shifts in return) or to anyone who could take it; the colleague accepts, a manager
//! approves, and the shift changes hands as any reassignment does — the same rules, the same
//! constraints, refused with the reason when it would break one. An offer lapses when its shift starts.
//!
//! Each offer is a `shift_offer` event nested in its shift; every step is a change in its stream, which
//! the two workers' and the managers' screens follow.

use super::time_off::{checked_note, with_decision, Decision};
use super::{attention, organisations, shifts, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventKind, EventStatus};
use crate::rules::{Conflict, Severity};
use crate::store::changes::{self, Recorded};
use crate::store::core::{self, NewEvent, NewParticipation};
use crate::store::{DomainError, DomainResult};
use crate::swaps::{self, OfferStatus};
use crate::views::swaps::{Colleague, MyOffersView, ShiftOfferView};
use crate::views::ShiftView;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

/// A worker's offer of one of their published shifts.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOffer {
    /// The colleague it is offered to; left out, anyone who could take it may accept (a drop).
    pub to_worker_id: Option<EntityId>,
    /// One of the colleague's published shifts the offering worker takes in return (a swap of two).
    pub in_return_shift_id: Option<EventId>,
    pub note: Option<String>,
}

/// Offers a published shift of the caller's, still to come. One live offer per shift.
pub async fn offer(
    pool: &PgPool,
    caller: &Caller,
    shift: EventId,
    new: NewOffer,
    now: DateTime<Utc>,
) -> DomainResult<ShiftOfferView> {
    let worker = own_worker(caller)?;
    let note = checked_note("note", new.note)?;
    if new.to_worker_id == Some(worker) {
        return Err(DomainError::invalid("to_worker_id", "is you: offer it to a colleague, or to anyone"));
    }
    if new.in_return_shift_id.is_some() && new.to_worker_id.is_none() {
        return Err(DomainError::invalid("in_return_shift_id", "needs to_worker_id: a shift in return is a named colleague's"));
    }
    let mut tx = crate::store::begin(pool).await?;
    core::lock_event(&mut tx, caller.org, EventKind::Shift, shift, None).await?;
    let offered = shift_view(&mut tx, caller, shift).await?;
    if offered.worker_id != worker {
        return Err(DomainError::not_found("shift", shift));
    }
    swaps::offerable(offered.status, offered.during.start, now).map_err(|m| conflict("shift_not_offerable", m))?;
    if let Some(colleague) = new.to_worker_id {
        require_colleague(&mut tx, caller, colleague).await?;
    }
    if let Some(theirs) = new.in_return_shift_id {
        let back =
            shift_view(&mut tx, caller, theirs).await.map_err(|_| DomainError::invalid("in_return_shift_id", "no such shift"))?;
        if Some(back.worker_id) != new.to_worker_id {
            return Err(DomainError::invalid("in_return_shift_id", "is not a shift of that colleague's"));
        }
        swaps::offerable(back.status, back.during.start, now).map_err(|m| DomainError::invalid("in_return_shift_id", m))?;
    }
    let mut properties = json!({});
    if let Some(note) = &note {
        properties["note"] = json!(note);
    }
    if let Some(theirs) = new.in_return_shift_id {
        properties["in_return"] = json!(theirs.0.to_string());
    }
    let event = NewEvent {
        kind: EventKind::ShiftOffer,
        parent: Some(shift),
        during: offered.during,
        status: EventStatus::Draft,
        properties,
    };
    let id = core::insert_event(&mut tx, caller.org, event).await?;
    let mut taking_part =
        vec![NewParticipation { event: id, entity: worker, participation_type: "worker", role: Some("offering") }];
    if let Some(colleague) = new.to_worker_id {
        taking_part.push(NewParticipation { event: id, entity: colleague, participation_type: "worker", role: Some("taking") });
    }
    core::add_participations(&mut tx, caller.org, &taking_part).await?;
    let view = record(&mut tx, caller, ChangeKind::ShiftOfferMade, id, now).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Accepts an offer as the worker the caller is: the named colleague, or anyone who could take a drop.
/// Refused with the reasons when the rules would not let them take it (or, for a swap, the offering
/// worker take theirs).
pub async fn accept(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    decision: Decision,
    now: DateTime<Utc>,
) -> DomainResult<ShiftOfferView> {
    let worker = own_worker(caller)?;
    crate::store::retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let offer = lock(&mut tx, caller, id, decision.expected_version, now).await?;
        match offer.to_worker_id {
            Some(named) if named != worker => return Err(DomainError::not_found("offer", id)),
            None if offer.from_worker_id == worker => {
                return Err(DomainError::invalid("worker_id", "this is your own offer"));
            }
            _ => {}
        }
        if offer.status != OfferStatus::Offered {
            return Err(not_live(&offer, "accepted"));
        }
        let thresholds = organisations::thresholds(&mut tx, caller.org).await?;
        let shift = shift_view(&mut tx, caller, offer.shift_id).await?;
        let back = match offer.in_return_shift_id {
            Some(theirs) => Some(shift_view(&mut tx, caller, theirs).await?),
            None => None,
        };
        let instead: Vec<EventId> = back.iter().map(|b| b.id).collect();
        let mut hard =
            hard_only(attention::brought_by(&mut tx, caller, worker, shift.rule_shift(), &instead, &thresholds).await?);
        if let Some(back) = &back {
            hard.extend(hard_only(
                attention::brought_by(&mut tx, caller, offer.from_worker_id, back.rule_shift(), &[shift.id], &thresholds).await?,
            ));
        }
        if !hard.is_empty() {
            return Err(cannot_take(hard));
        }
        if offer.to_worker_id.is_none() {
            let taking = NewParticipation { event: id, entity: worker, participation_type: "worker", role: Some("taking") };
            core::add_participations(&mut tx, caller.org, &[taking]).await?;
        }
        let row = core::lock_event(&mut tx, caller.org, EventKind::ShiftOffer, id, None).await?;
        core::update_event(&mut tx, caller.org, id, row.parent_id, offer.during, EventStatus::Active, &row.properties).await?;
        let view = record(&mut tx, caller, ChangeKind::ShiftOfferAccepted, id, now).await?;
        crate::store::commit(tx, pool).await?;
        Ok(view)
    })
    .await
}

/// Approves an accepted offer (managers): the shift becomes the colleague's (and theirs in return the
/// offering worker's), as reassigning it on the calendar would — refused with the reason when a rule
/// or the database would refuse that now.
pub async fn approve(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    decision: Decision,
    now: DateTime<Utc>,
) -> DomainResult<ShiftOfferView> {
    caller.require(Action::DecideRequests)?;
    let note = checked_note("note", decision.note)?;
    crate::store::retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let offer = lock(&mut tx, caller, id, decision.expected_version, now).await?;
        if offer.status != OfferStatus::Accepted {
            return Err(not_live(&offer, "approved"));
        }
        let Some(taker) = offer.to_worker_id else {
            return Err(not_live(&offer, "approved"));
        };
        let (_, given) = shifts::reassign_in(&mut tx, caller, offer.shift_id, taker).await?;
        let mut touched = vec![(taker, given.during), (offer.from_worker_id, given.during)];
        if let Some(theirs) = offer.in_return_shift_id {
            let (_, back) = shifts::reassign_in(&mut tx, caller, theirs, offer.from_worker_id).await?;
            touched.extend([(offer.from_worker_id, back.during), (taker, back.during)]);
        }
        let thresholds = organisations::thresholds(&mut tx, caller.org).await?;
        let moved: Vec<EventId> = [Some(offer.shift_id), offer.in_return_shift_id].into_iter().flatten().collect();
        let mut hard = Vec::new();
        for (worker, during) in [(taker, given.during), (offer.from_worker_id, offer.in_return_during.unwrap_or(given.during))] {
            let window = Interval { start: during.start - Duration::days(8), end: during.end.map(|e| e + Duration::days(8)) };
            let found = attention::evaluate_in(&mut tx, caller, worker, window, &thresholds).await?;
            hard.extend(found.into_iter().filter(|c| c.severity == Severity::Hard && c.shifts.iter().any(|s| moved.contains(s))));
        }
        if !hard.is_empty() {
            return Err(cannot_take(hard));
        }
        let row = core::lock_event(&mut tx, caller.org, EventKind::ShiftOffer, id, None).await?;
        let properties = with_decision(&row.properties, note.as_deref(), None);
        core::update_event(&mut tx, caller.org, id, row.parent_id, offer.during, EventStatus::Completed, &properties).await?;
        let view = record(&mut tx, caller, ChangeKind::ShiftOfferApproved, id, now).await?;
        attention::refresh_workers(&mut tx, caller, &touched).await?;
        crate::store::commit(tx, pool).await?;
        Ok(view)
    })
    .await
}

/// Declines an offer (managers), with a note for both workers.
pub async fn decline(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    decision: Decision,
    now: DateTime<Utc>,
) -> DomainResult<ShiftOfferView> {
    caller.require(Action::DecideRequests)?;
    settle(pool, caller, id, decision, now, swaps::DECLINED).await
}

/// Takes one's own offer back while it is live.
pub async fn withdraw(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    decision: Decision,
    now: DateTime<Utc>,
) -> DomainResult<ShiftOfferView> {
    let worker = own_worker(caller)?;
    let found = get(pool, caller, id, now).await?;
    if found.from_worker_id != worker {
        return Err(DomainError::not_found("offer", id));
    }
    settle(pool, caller, id, decision, now, swaps::WITHDRAWN).await
}

/// Says no to an offer made to one by name.
pub async fn refuse(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    decision: Decision,
    now: DateTime<Utc>,
) -> DomainResult<ShiftOfferView> {
    let worker = own_worker(caller)?;
    let found = get(pool, caller, id, now).await?;
    if found.to_worker_id != Some(worker) {
        return Err(DomainError::not_found("offer", id));
    }
    settle(pool, caller, id, decision, now, swaps::REFUSED).await
}

async fn settle(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    decision: Decision,
    now: DateTime<Utc>,
    outcome: &'static str,
) -> DomainResult<ShiftOfferView> {
    let note = checked_note("note", decision.note)?;
    let mut tx = crate::store::begin(pool).await?;
    let offer = lock(&mut tx, caller, id, decision.expected_version, now).await?;
    if !offer.status.is_live() {
        return Err(not_live(&offer, "settled"));
    }
    let row = core::lock_event(&mut tx, caller.org, EventKind::ShiftOffer, id, None).await?;
    let properties = with_decision(&row.properties, note.as_deref(), Some(outcome));
    core::update_event(&mut tx, caller.org, id, row.parent_id, offer.during, EventStatus::Cancelled, &properties).await?;
    let kind = match outcome {
        swaps::DECLINED => ChangeKind::ShiftOfferDeclined,
        swaps::WITHDRAWN => ChangeKind::ShiftOfferWithdrawn,
        _ => ChangeKind::ShiftOfferRefused,
    };
    let view = record(&mut tx, caller, kind, id, now).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// One offer: for the two workers in it, anyone who could take a drop, and managers.
pub async fn get(pool: &PgPool, caller: &Caller, id: EventId, now: DateTime<Utc>) -> DomainResult<ShiftOfferView> {
    let mut conn = pool.acquire().await?;
    let view = read(&mut conn, caller, id, now).await?;
    if !caller.access.role.allows(Action::ReadOrganisation) {
        own_worker(caller)?;
    }
    visible(caller, view)
}

/// The offer, to a manager, the two workers in it, or any worker while it is open to anyone.
fn visible(caller: &Caller, view: ShiftOfferView) -> DomainResult<ShiftOfferView> {
    let me = caller.access.worker;
    let involved = Some(view.from_worker_id) == me || view.to_worker_id == me || view.to_worker_id.is_none();
    if involved || caller.access.role.allows(Action::ReadOrganisation) {
        Ok(view)
    } else {
        Err(DomainError::not_found("offer", view.id))
    }
}

/// The offers accepted and waiting for a manager, soonest first, for `/requests`.
pub async fn waiting(pool: &PgPool, caller: &Caller, now: DateTime<Utc>) -> DomainResult<Vec<ShiftOfferView>> {
    caller.require(Action::DecideRequests)?;
    let mut conn = pool.acquire().await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT_OFFER} AND e.status = 'active' AND e.start_time > $2 ORDER BY e.start_time, e.id LIMIT 500"
    ))
    .bind(caller.org)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|row| row.into_view(now)).collect()
}

/// The caller's offers (live ones and the last month's), and the live ones they may accept: made to
/// them by name, or drops they could take without a hard conflict.
pub async fn mine(pool: &PgPool, caller: &Caller, now: DateTime<Utc>) -> DomainResult<MyOffersView> {
    let worker = own_worker(caller)?;
    let mut conn = pool.acquire().await?;
    let made: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT_OFFER} AND f.entity_id = $2 AND (e.status IN ('draft', 'active') OR e.updated_at > $3)
          ORDER BY e.status NOT IN ('draft', 'active'), e.start_time DESC LIMIT 100"
    ))
    .bind(caller.org)
    .bind(worker)
    .bind(now - Duration::days(30))
    .fetch_all(&mut *conn)
    .await?;
    let live: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT_OFFER} AND e.status = 'draft' AND e.start_time > $3 AND f.entity_id <> $2
            AND (t.entity_id = $2 OR t.entity_id IS NULL)
          ORDER BY e.start_time, e.id LIMIT 100"
    ))
    .bind(caller.org)
    .bind(worker)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let thresholds = organisations::thresholds(&mut conn, caller.org).await?;
    let mut to_me = Vec::new();
    for row in live {
        let view = row.into_view(now)?;
        if view.to_worker_id.is_none() {
            let shift = shift_view(&mut conn, caller, view.shift_id).await?;
            let brought = attention::brought_by(&mut conn, caller, worker, shift.rule_shift(), &[], &thresholds).await?;
            if brought.iter().any(|c| c.severity == Severity::Hard) {
                continue;
            }
        }
        to_me.push(view);
    }
    let colleagues = colleagues_of(&mut conn, caller, worker, now).await?;
    Ok(MyOffersView { made: made.into_iter().map(|r| r.into_view(now)).collect::<DomainResult<_>>()?, to_me, colleagues, now })
}

/// The workers employed now or later at a location where the worker is, but them.
async fn colleagues_of(
    conn: &mut PgConnection,
    caller: &Caller,
    worker: EntityId,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Colleague>> {
    let rows: Vec<(EntityId, String)> = sqlx::query_as(
        "SELECT DISTINCT w.id, w.name
           FROM participations mine
           JOIN participations here ON here.org_id = mine.org_id AND here.event_id = mine.event_id AND here.participation_type = 'location'
           JOIN participations there ON there.org_id = here.org_id AND there.entity_id = here.entity_id
                AND there.event_type = 'employment' AND there.participation_type = 'location'
           JOIN participations theirs ON theirs.org_id = there.org_id AND theirs.event_id = there.event_id
                AND theirs.participation_type = 'employee' AND theirs.event_status = 'active'
           JOIN entities w ON w.org_id = theirs.org_id AND w.id = theirs.entity_id AND w.inactive_from IS NULL
          WHERE mine.org_id = $1 AND mine.entity_id = $2 AND mine.event_type = 'employment'
            AND mine.participation_type = 'employee' AND mine.event_status = 'active'
            AND (upper(mine.during) IS NULL OR upper(mine.during) > $3)
            AND (upper(theirs.during) IS NULL OR upper(theirs.during) > $3) AND w.id <> $2
          ORDER BY w.name LIMIT 500",
    )
    .bind(caller.org)
    .bind(worker)
    .bind(now)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| Colleague { id, name }).collect())
}

fn own_worker(caller: &Caller) -> DomainResult<EntityId> {
    caller.require(Action::TradeOwnShifts)?;
    caller.access.worker.ok_or_else(|| DomainError::invalid("worker_id", "this account is not a worker"))
}

/// A worker of the organisation not removed: whom a shift may be offered to by name.
async fn require_colleague(conn: &mut PgConnection, caller: &Caller, colleague: EntityId) -> DomainResult<()> {
    let present: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM entities WHERE org_id = $1 AND id = $2 AND entity_type = 'worker' AND inactive_from IS NULL)",
    )
    .bind(caller.org)
    .bind(colleague)
    .fetch_one(conn)
    .await?;
    if present {
        Ok(())
    } else {
        Err(DomainError::invalid("to_worker_id", "is not a worker of this organisation"))
    }
}

async fn shift_view(conn: &mut PgConnection, caller: &Caller, id: EventId) -> DomainResult<ShiftView> {
    shifts::load_many(conn, caller, &[id.0]).await?.pop().ok_or_else(|| DomainError::not_found("shift", id))
}

/// Locks the offer at the version the caller saw and reads it; a worker not in it reads nothing.
async fn lock(
    conn: &mut PgConnection,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    now: DateTime<Utc>,
) -> DomainResult<ShiftOfferView> {
    core::lock_event(&mut *conn, caller.org, EventKind::ShiftOffer, id, Some(expected_version)).await?;
    visible(caller, read(conn, caller, id, now).await?)
}

fn hard_only(found: Vec<Conflict>) -> Vec<Conflict> {
    found.into_iter().filter(|c| c.severity == Severity::Hard).collect()
}

fn cannot_take(conflicts: Vec<Conflict>) -> DomainError {
    DomainError::RuleViolation {
        message: format!(
            "The shift cannot change hands: {}",
            conflicts.iter().map(|c| c.message.as_str()).collect::<Vec<_>>().join(" ")
        ),
        conflicts,
    }
}

fn conflict(code: &'static str, message: &str) -> DomainError {
    DomainError::Conflict { code, message: message.into() }
}

fn not_live(offer: &ShiftOfferView, verb: &str) -> DomainError {
    let message = match offer.status {
        OfferStatus::Expired => "The shift has started: the offer lapsed.".to_string(),
        status => format!("The offer is {}; it cannot be {verb} now.", status.as_str()),
    };
    DomainError::Conflict { code: "offer_settled", message }
}

async fn record(
    conn: &mut PgConnection,
    caller: &Caller,
    kind: ChangeKind,
    id: EventId,
    now: DateTime<Utc>,
) -> DomainResult<ShiftOfferView> {
    let view = read(&mut *conn, caller, id, now).await?;
    let change = Recorded::after(kind, id.0, view.version, &view);
    changes::record(conn, caller.org, &caller.actor, kind, change.stream_id, change.stream_version, change.payload).await?;
    Ok(view)
}

const SELECT_OFFER: &str = "
    SELECT e.id, e.parent_id AS shift_id, e.start_time, e.end_time, e.status, e.properties, e.version, e.created_at,
           le.name AS location_name, coalesce(le.properties ->> 'time_zone', 'UTC') AS location_time_zone,
           f.entity_id AS from_worker_id, fw.name AS from_worker_name, t.entity_id AS to_worker_id, tw.name AS to_worker_name,
           r.start_time AS in_return_start, r.end_time AS in_return_end
      FROM events e
      JOIN participations f ON f.org_id = e.org_id AND f.event_id = e.id AND f.participation_type = 'worker' AND f.role = 'offering'
      JOIN entities fw ON fw.org_id = f.org_id AND fw.id = f.entity_id
      LEFT JOIN participations t ON t.org_id = e.org_id AND t.event_id = e.id AND t.participation_type = 'worker' AND t.role = 'taking'
      LEFT JOIN entities tw ON tw.org_id = t.org_id AND tw.id = t.entity_id
      JOIN participations l ON l.org_id = e.org_id AND l.event_id = e.parent_id AND l.participation_type = 'location'
      JOIN entities le ON le.org_id = l.org_id AND le.id = l.entity_id
      LEFT JOIN events r ON r.org_id = e.org_id AND r.id = (e.properties ->> 'in_return')::uuid
     WHERE e.org_id = $1 AND e.event_type = 'shift_offer'";

#[derive(sqlx::FromRow)]
struct Row {
    id: EventId,
    shift_id: Option<EventId>,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    status: EventStatus,
    properties: Value,
    version: i32,
    created_at: DateTime<Utc>,
    location_name: String,
    location_time_zone: String,
    from_worker_id: EntityId,
    from_worker_name: String,
    to_worker_id: Option<EntityId>,
    to_worker_name: Option<String>,
    in_return_start: Option<DateTime<Utc>>,
    in_return_end: Option<DateTime<Utc>>,
}

impl Row {
    fn into_view(self, now: DateTime<Utc>) -> DomainResult<ShiftOfferView> {
        let text = |key: &str| self.properties.get(key).and_then(Value::as_str).map(str::to_string);
        let status = OfferStatus::of(self.status, text("outcome").as_deref(), self.start_time, now);
        let (Some(status), Some(shift_id)) = (status, self.shift_id) else {
            let unknown = format!("shift offer {} is stored in a shape this build does not know", self.id);
            return Err(DomainError::Database(sqlx::Error::Decode(unknown.into())));
        };
        Ok(ShiftOfferView {
            id: self.id,
            shift_id,
            during: Interval { start: self.start_time, end: self.end_time },
            location_name: self.location_name,
            location_time_zone: self.location_time_zone,
            from_worker_id: self.from_worker_id,
            from_worker_name: self.from_worker_name,
            to_worker_id: self.to_worker_id,
            to_worker_name: self.to_worker_name,
            in_return_shift_id: text("in_return").and_then(|id| id.parse().ok()).map(EventId),
            in_return_during: self.in_return_start.map(|start| Interval { start, end: self.in_return_end }),
            status,
            note: text("note"),
            decision_note: text("decision_note"),
            version: self.version,
            offered_at: self.created_at,
        })
    }
}

async fn read(conn: &mut PgConnection, caller: &Caller, id: EventId, now: DateTime<Utc>) -> DomainResult<ShiftOfferView> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT_OFFER} AND e.id = $2")).bind(caller.org).bind(id).fetch_optional(conn).await?;
    row.ok_or_else(|| DomainError::not_found("offer", id))?.into_view(now)
}
