//! The roster on /people: every worker with their employments, positions, account and pay, searched
//! and filtered, read in a handful of statements however many workers there are; and the commands that
//! change a worker's place in it.

use super::{attention, compensation, employments, invitations, members, positions, workers, Caller};
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::EntityId;
use crate::interval::Interval;
use crate::store::{changes, DomainResult};
use crate::views::people::{InvitationStatus, RosterLine, RosterStatus};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterFilter {
    /// Part of a name or email, any case.
    #[serde(default)]
    pub q: String,
    /// Only workers with an employment at this location that has not ended.
    pub location_id: Option<EntityId>,
    /// Only workers who hold this position.
    pub position_id: Option<EntityId>,
    #[serde(default)]
    pub status: RosterStatus,
}

/// The most workers one read shows; a search narrows it.
pub const ROSTER_LIMIT: i64 = 500;

pub async fn list(pool: &PgPool, caller: &Caller, filter: &RosterFilter, now: DateTime<Utc>) -> DomainResult<Vec<RosterLine>> {
    caller.require(Action::ManagePeople)?;
    let include_removed = filter.status != RosterStatus::Active;
    let found = workers::search_with(pool, caller, &filter.q, ROSTER_LIMIT, include_removed).await?;
    let found: Vec<_> =
        found.into_iter().filter(|w| filter.status != RosterStatus::Removed || w.removed_from.is_some()).collect();
    let ids: Vec<EntityId> = found.iter().map(|w| w.id).collect();
    let mut by_worker: HashMap<EntityId, Vec<crate::views::EmploymentView>> = HashMap::new();
    for employment in employments::of_workers(pool, caller, &ids).await? {
        by_worker.entry(employment.worker_id).or_default().push(employment);
    }
    let mut held = positions::held_by_each(&mut *pool.acquire().await?, caller, &ids).await?;
    let member_of: HashMap<EntityId, (crate::access::Role, bool)> =
        members::list(pool, caller).await?.into_iter().filter_map(|m| m.worker_id.map(|w| (w, (m.role, m.pending)))).collect();
    let mut invitation_of: HashMap<EntityId, (InvitationStatus, DateTime<Utc>)> = HashMap::new();
    // Listed unanswered first, the latest first: the first one met for a worker is theirs.
    for invitation in invitations::list(pool, caller).await? {
        if let (Some(worker), InvitationStatus::Open | InvitationStatus::Expired) = (invitation.worker_id, invitation.status) {
            invitation_of.entry(worker).or_insert((invitation.status, invitation.expires_at));
        }
    }
    let mut rate_of: HashMap<EntityId, (i64, String)> = HashMap::new();
    if caller.access.require(Action::ManagePay).is_ok() {
        let moment = Interval { start: now, end: Some(now + Duration::seconds(1)) };
        for (worker, span) in compensation::spans(&mut *pool.acquire().await?, caller.org, &ids, moment).await? {
            rate_of.insert(worker, (span.hourly_rate_cents, span.currency));
        }
    }
    Ok(found
        .into_iter()
        .map(|worker| RosterLine {
            employments: by_worker.remove(&worker.id).unwrap_or_default(),
            member: member_of.get(&worker.id).copied(),
            hourly_rate: rate_of.remove(&worker.id),
            positions: held.remove(&worker.id).unwrap_or_default(),
            invitation: invitation_of.remove(&worker.id),
            worker,
        })
        .filter(|line| filter.position_id.is_none_or(|position| line.positions.contains(&position)))
        .filter(|line| match filter.location_id {
            Some(location) => {
                line.employments.iter().any(|e| e.location_id == Some(location) && e.during.end.is_none_or(|end| end > now))
            }
            None => true,
        })
        .collect())
}

/// A new worker as the roster's form adds them: who they are and, from a day, where they work.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewHire {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location_id: Option<EntityId>,
    /// The employment's first instant; `None` adds the worker without an employment yet.
    pub start: Option<DateTime<Utc>>,
    pub contract_hours: Option<f64>,
}

/// Adds a worker and their employment in one command: both land, or neither does.
pub async fn hire(pool: &PgPool, caller: &Caller, new: NewHire) -> DomainResult<crate::views::WorkerView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let worker = workers::insert(
        &mut tx,
        caller,
        workers::NewWorker { name: new.name, email: new.email, phone: new.phone, external_id: None },
    )
    .await?;
    if let Some(start) = new.start {
        let employment = employments::NewEmployment {
            worker_id: worker.id,
            location_id: new.location_id,
            start,
            end: None,
            title: None,
            contract_hours: new.contract_hours,
        };
        employments::insert(&mut tx, caller, employment).await?;
    }
    crate::store::commit(tx, pool).await?;
    Ok(worker)
}

/// The positions a worker holds, all of them at once, at the worker's version the caller saw.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HeldPositions {
    pub expected_version: i32,
    pub position_ids: Vec<EntityId>,
}

/// Makes `held.position_ids` exactly what the worker holds, and re-judges their shifts that ask for one:
/// a draft asking for a position they no longer hold becomes a hard conflict, one they now hold stops
/// being one. Letting go of a position a published shift still to come asks of them is refused.
pub async fn set_positions(
    pool: &PgPool,
    caller: &Caller,
    worker: EntityId,
    held: HeldPositions,
    now: DateTime<Utc>,
) -> DomainResult<crate::views::WorkerView> {
    caller.require(Action::ManagePeople)?;
    let mut tx = crate::store::begin(pool).await?;
    let before = workers::lock_row(&mut tx, caller, worker, held.expected_version).await?;
    let after = set_positions_in(&mut tx, caller, &before, held.position_ids, now).await?;
    crate::store::commit(tx, pool).await?;
    Ok(after)
}

/// As [`set_positions`], in the caller's transaction, for a worker whose row the caller holds.
/// Answers the worker as they are now.
pub(crate) async fn set_positions_in(
    tx: &mut PgConnection,
    caller: &Caller,
    before: &crate::views::WorkerView,
    wanted: Vec<EntityId>,
    now: DateTime<Utc>,
) -> DomainResult<crate::views::WorkerView> {
    let mut after = set_positions_of_all(tx, caller, vec![(before.clone(), wanted)], now).await?;
    Ok(after.remove(0))
}

/// As [`set_positions_in`] for many workers whose rows the caller holds (an import): a few statements
/// whatever their number. Answers each worker as they are now, in the order given.
pub(crate) async fn set_positions_of_all(
    tx: &mut PgConnection,
    caller: &Caller,
    wanted: Vec<(crate::views::WorkerView, Vec<EntityId>)>,
    now: DateTime<Utc>,
) -> DomainResult<Vec<crate::views::WorkerView>> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<(crate::views::WorkerView, Vec<EntityId>)> = wanted
        .into_iter()
        .map(|(worker, mut positions)| {
            positions.sort();
            positions.dedup();
            (worker, positions)
        })
        .collect();
    let ids: Vec<EntityId> = wanted.iter().map(|(worker, _)| worker.id).collect();
    let was = positions::held_by_each(&mut *tx, caller, &ids).await?;
    let pairs: Vec<(EntityId, Vec<EntityId>)> = wanted.iter().map(|(worker, positions)| (worker.id, positions.clone())).collect();
    let changed = positions::replace_held(&mut *tx, caller, &pairs).await?;
    let moved: Vec<crate::views::WorkerView> =
        wanted.iter().filter(|(worker, _)| changed.contains(&worker.id)).map(|(worker, _)| worker.clone()).collect();
    let bumped = workers::bump_versions(&mut *tx, caller, &moved).await?;
    let logged = bumped
        .iter()
        .zip(wanted.iter().filter(|(worker, _)| changed.contains(&worker.id)))
        .map(|(after, (_, positions))| changes::Recorded {
            kind: ChangeKind::WorkerPositionsChanged,
            stream_id: after.id.0,
            stream_version: after.version,
            payload: json!({ "before": was.get(&after.id).cloned().unwrap_or_default(), "after": positions }),
        })
        .collect();
    changes::record_all(&mut *tx, caller.org, &caller.actor, logged).await?;
    attention::refresh_asking_for_positions(&mut *tx, caller, &moved.iter().map(|w| w.id).collect::<Vec<_>>(), now).await?;
    let mut now_are: HashMap<EntityId, crate::views::WorkerView> = bumped.into_iter().map(|w| (w.id, w)).collect();
    Ok(wanted.into_iter().map(|(worker, _)| now_are.remove(&worker.id).unwrap_or(worker)).collect())
}
