//! Claims on open shifts: a worker claims a place, a manager approves or declines (or the open shift
//! approves at once), the worker withdraws a waiting claim, and a manager gives a place to a worker
//! directly. Taking a place writes the worker's shift through the same path as any planned shift, and
//! publishes it when the open shift is published.
//!
//! Every command locks the open shift's row first, so claims on one open shift queue behind each other;
//! the place is counted in the same statement that checks it (`open_shifts_places_taken`), and the
//! worker's new shift meets `shifts_no_double_booking`, whatever raced it.

use super::{judge, record as record_open_shift, stored, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::{EntityId, EventId};
use crate::kinds::{EventKind, EventStatus};
use crate::open_shifts::{self, Approval, ClaimStatus};
use crate::rules::Severity;
use crate::services::shifts::{self, NewShift};
use crate::services::time_off::{checked_note, with_decision, Decision};
use crate::services::{attention, organisations};
use crate::store::changes::{self, Recorded};
use crate::store::core::{self, NewEvent};
use crate::store::{DomainError, DomainResult};
use crate::views::open_shifts::{ClaimView, OpenShiftView};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

/// A worker's claim, with a word for the manager.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewClaim {
    pub note: Option<String>,
}

/// A place given by a manager to a worker.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub worker_id: Option<EntityId>,
}

/// Claims a place as the worker the caller is. Refused with the reasons when the worker may not take it
/// (not employed there then, or a hard conflict such as a shift at the same time); an open shift that
/// approves automatically gives the place at once.
pub async fn claim(pool: &PgPool, caller: &Caller, id: EventId, new: NewClaim, now: DateTime<Utc>) -> DomainResult<ClaimView> {
    caller.require(Action::TakeOpenShifts)?;
    let Some(worker) = caller.access.worker else {
        return Err(DomainError::invalid("worker_id", "this account is not a worker"));
    };
    let note = checked_note("note", new.note)?;
    crate::store::retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let open = lock(&mut tx, caller, id, None).await?;
        open_shifts::claimable(open.status, open.places, open.taken, open.during.start, now)
            .map_err(|message| DomainError::Conflict { code: "open_shift_not_claimable", message: message.into() })?;
        require_eligible(&mut tx, caller, worker, &open).await?;
        let properties = note.as_ref().map_or_else(|| json!({}), |note| json!({ "note": note }));
        let event = NewEvent {
            kind: EventKind::ShiftClaim,
            parent: Some(id),
            during: open.during,
            status: EventStatus::Draft,
            properties,
        };
        let claim = core::insert_event(&mut tx, caller.org, event).await?;
        core::add_participation(&mut tx, caller.org, claim, worker, "worker", None).await?;
        let made = record(&mut tx, caller, ChangeKind::ShiftClaimMade, claim).await?;
        let view =
            if open.approval == Approval::Automatic { take_place(&mut tx, caller, &open, &made, None).await? } else { made };
        crate::store::commit(tx, pool).await?;
        Ok(view)
    })
    .await
}

/// Approves a waiting claim: the worker gets the place, as a shift published with the open shift.
/// Refused with the reasons when the rules or the database would refuse that shift now.
pub async fn approve(pool: &PgPool, caller: &Caller, id: EventId, decision: Decision) -> DomainResult<ClaimView> {
    caller.require(Action::DecideRequests)?;
    let note = checked_note("note", decision.note)?;
    crate::store::retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let (open, claim) = lock_claim(&mut tx, caller, id, decision.expected_version).await?;
        if open.taken >= open.places {
            return Err(all_taken());
        }
        require_eligible(&mut tx, caller, claim.worker_id, &open).await?;
        let view = take_place(&mut tx, caller, &open, &claim, note.as_deref()).await?;
        crate::store::commit(tx, pool).await?;
        Ok(view)
    })
    .await
}

/// Declines a waiting claim, with a note for the worker.
pub async fn decline(pool: &PgPool, caller: &Caller, id: EventId, decision: Decision) -> DomainResult<ClaimView> {
    caller.require(Action::DecideRequests)?;
    let note = checked_note("note", decision.note)?;
    let mut tx = crate::store::begin(pool).await?;
    let (_, claim) = lock_claim(&mut tx, caller, id, decision.expected_version).await?;
    let view = end_claim(&mut tx, caller, &claim, open_shifts::DECLINED, note.as_deref()).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Withdraws the caller's own waiting claim.
pub async fn withdraw_claim(pool: &PgPool, caller: &Caller, id: EventId, decision: Decision) -> DomainResult<ClaimView> {
    caller.require(Action::TakeOpenShifts)?;
    let note = checked_note("note", decision.note)?;
    let mut tx = crate::store::begin(pool).await?;
    let (_, claim) = lock_claim(&mut tx, caller, id, decision.expected_version).await?;
    if !caller.access.is_worker(claim.worker_id) {
        return Err(DomainError::not_found("claim", id));
    }
    let view = end_claim(&mut tx, caller, &claim, open_shifts::WITHDRAWN, note.as_deref()).await?;
    crate::store::commit(tx, pool).await?;
    Ok(view)
}

/// Gives a place to a worker directly, as a claim approved at once: a draft shift in a draft week, a
/// published one in a published week. Refused as approving a claim would be.
pub async fn assign(pool: &PgPool, caller: &Caller, id: EventId, assignment: Assignment) -> DomainResult<ClaimView> {
    let worker = assignment.worker_id.ok_or_else(|| DomainError::invalid("worker_id", "is required"))?;
    crate::store::retrying(|| async {
        let mut tx = crate::store::begin(pool).await?;
        let open = lock(&mut tx, caller, id, None).await?;
        caller.access.require_shift_change(open.status, open.location_id)?;
        if open.status == EventStatus::Cancelled {
            return Err(DomainError::Conflict {
                code: "open_shift_not_claimable",
                message: "This open shift was withdrawn.".into(),
            });
        }
        if open.taken >= open.places {
            return Err(all_taken());
        }
        if open.status == EventStatus::Active {
            require_eligible(&mut tx, caller, worker, &open).await?;
        }
        let event = NewEvent {
            kind: EventKind::ShiftClaim,
            parent: Some(id),
            during: open.during,
            status: EventStatus::Draft,
            properties: json!({}),
        };
        let claim = core::insert_event(&mut tx, caller.org, event).await?;
        core::add_participation(&mut tx, caller.org, claim, worker, "worker", None).await?;
        let made = record(&mut tx, caller, ChangeKind::ShiftClaimMade, claim).await?;
        let view = take_place(&mut tx, caller, &open, &made, None).await?;
        crate::store::commit(tx, pool).await?;
        Ok(view)
    })
    .await
}

/// Gives the claim's worker a place: counts it on the open shift (the database refuses one too many),
/// plans their shift (published with a published open shift), approves the claim and, once every place
/// is taken, closes the claims still waiting.
async fn take_place(
    tx: &mut PgConnection,
    caller: &Caller,
    open: &OpenShiftView,
    claim: &ClaimView,
    note: Option<&str>,
) -> DomainResult<ClaimView> {
    sqlx::query(
        "UPDATE events SET properties = jsonb_set(properties, '{taken}', to_jsonb((properties ->> 'taken')::int + 1)),
                version = version + 1
          WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org)
    .bind(open.id)
    .execute(&mut *tx)
    .await?;
    let new = NewShift {
        worker_id: claim.worker_id,
        location_id: open.location_id,
        start: open.during.start,
        end: open.during.end.unwrap_or(open.during.start),
        role: open.role.clone(),
        position_id: open.position.as_ref().map(|p| p.id),
        notes: open.notes.clone(),
        breaks: vec![],
    };
    let mut shift = shifts::insert_draft(&mut *tx, caller, &new).await?;
    if open.status == EventStatus::Active {
        shift = shifts::publish_in(&mut *tx, caller, &shift).await?;
    }
    let row = core::lock_event(&mut *tx, caller.org, EventKind::ShiftClaim, claim.id, None).await?;
    let properties = with_outcome(&row.properties, note, None, Some(shift.id));
    core::update_event(&mut *tx, caller.org, claim.id, Some(open.id), claim.during, EventStatus::Active, &properties).await?;
    let approved = record(&mut *tx, caller, ChangeKind::ShiftClaimApproved, claim.id).await?;
    let after = record_open_shift(&mut *tx, caller, ChangeKind::OpenShiftPlaceTaken, open.id).await?;
    if after.taken >= after.places {
        close_waiting(&mut *tx, caller, open.id, open_shifts::FILLED).await?;
    }
    attention::refresh_workers(&mut *tx, caller, &[(shift.worker_id, shift.during)]).await?;
    Ok(approved)
}

/// Ends every claim still waiting on the open shift with this outcome.
pub(super) async fn close_waiting(
    tx: &mut PgConnection,
    caller: &Caller,
    open_shift: EventId,
    outcome: &str,
) -> DomainResult<()> {
    close_claims(tx, caller, open_shift, outcome, &[EventStatus::Draft]).await
}

/// Ends the open shift's claims in these states (waiting, or given too) with this outcome.
pub(super) async fn close_claims(
    tx: &mut PgConnection,
    caller: &Caller,
    open_shift: EventId,
    outcome: &str,
    statuses: &[EventStatus],
) -> DomainResult<()> {
    let claims: Vec<EventId> = sqlx::query_scalar(
        "SELECT id FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'shift_claim' AND status = ANY ($3)
          ORDER BY created_at, id FOR UPDATE",
    )
    .bind(caller.org)
    .bind(open_shift)
    .bind(statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>())
    .fetch_all(&mut *tx)
    .await?;
    for id in claims {
        let claim = stored::claim(&mut *tx, caller, id).await?;
        close_claim(&mut *tx, caller, &claim, outcome, None).await?;
    }
    Ok(())
}

/// Ends a waiting claim otherwise than with a place.
async fn end_claim(
    tx: &mut PgConnection,
    caller: &Caller,
    claim: &ClaimView,
    outcome: &str,
    note: Option<&str>,
) -> DomainResult<ClaimView> {
    if claim.status != ClaimStatus::Waiting {
        return Err(not_waiting(claim));
    }
    close_claim(tx, caller, claim, outcome, note).await
}

async fn close_claim(
    tx: &mut PgConnection,
    caller: &Caller,
    claim: &ClaimView,
    outcome: &str,
    note: Option<&str>,
) -> DomainResult<ClaimView> {
    let row = core::lock_event(&mut *tx, caller.org, EventKind::ShiftClaim, claim.id, None).await?;
    let properties = with_outcome(&row.properties, note, Some(outcome), None);
    core::update_event(&mut *tx, caller.org, claim.id, row.parent_id, claim.during, EventStatus::Cancelled, &properties).await?;
    let kind = match outcome {
        open_shifts::DECLINED => ChangeKind::ShiftClaimDeclined,
        open_shifts::WITHDRAWN => ChangeKind::ShiftClaimWithdrawn,
        _ => ChangeKind::ShiftClaimClosed,
    };
    record(tx, caller, kind, claim.id).await
}

/// Refuses, with the reasons, a worker who may not take a place of the open shift.
async fn require_eligible(tx: &mut PgConnection, caller: &Caller, worker: EntityId, open: &OpenShiftView) -> DomainResult<()> {
    let thresholds = organisations::thresholds(&mut *tx, caller.org).await?;
    match judge(&mut *tx, caller, worker, open, &thresholds).await? {
        Ok(_) => Ok(()),
        Err(conflicts) => Err(DomainError::RuleViolation {
            message: format!(
                "This place cannot be taken: {}",
                conflicts
                    .iter()
                    .filter(|c| c.severity == Severity::Hard)
                    .map(|c| c.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            conflicts,
        }),
    }
}

/// Locks the open shift (every claim on it queues here) and reads it.
async fn lock(tx: &mut PgConnection, caller: &Caller, id: EventId, expected_version: Option<i32>) -> DomainResult<OpenShiftView> {
    core::lock_event(&mut *tx, caller.org, EventKind::OpenShift, id, expected_version).await?;
    stored::open_shift(tx, caller, id).await
}

/// Locks a waiting claim's open shift, then the claim at the version the caller saw.
async fn lock_claim(
    tx: &mut PgConnection,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
) -> DomainResult<(OpenShiftView, ClaimView)> {
    let found = stored::claim(&mut *tx, caller, id).await?;
    if !caller.access.role.allows(Action::ReadOrganisation) && !caller.access.is_worker(found.worker_id) {
        return Err(DomainError::not_found("claim", id));
    }
    let open = lock(&mut *tx, caller, found.open_shift_id, None).await?;
    core::lock_event(&mut *tx, caller.org, EventKind::ShiftClaim, id, Some(expected_version)).await?;
    let claim = stored::claim(&mut *tx, caller, id).await?;
    if claim.status != ClaimStatus::Waiting {
        return Err(not_waiting(&claim));
    }
    Ok((open, claim))
}

fn with_outcome(stored: &Value, note: Option<&str>, outcome: Option<&str>, shift: Option<EventId>) -> Value {
    let mut properties = with_decision(stored, note, outcome);
    if let Some(shift) = shift {
        properties["shift_id"] = json!(shift.0.to_string());
    }
    properties
}

fn all_taken() -> DomainError {
    DomainError::Conflict { code: "open_shift_filled", message: "Every place of this open shift is taken.".into() }
}

fn not_waiting(claim: &ClaimView) -> DomainError {
    DomainError::Conflict {
        code: "claim_decided",
        message: format!("The claim is already {}; only a waiting claim is decided or withdrawn.", claim.status.as_str()),
    }
}

async fn record(conn: &mut PgConnection, caller: &Caller, kind: ChangeKind, id: EventId) -> DomainResult<ClaimView> {
    let view = stored::claim(&mut *conn, caller, id).await?;
    let change = Recorded::after(kind, id.0, view.version, &view);
    changes::record(conn, caller.org, &caller.actor, kind, change.stream_id, change.stream_version, change.payload).await?;
    Ok(view)
}
