//! Who may do what: the one table of roles and actions. Services ask [`Access::require`] (and
//! [`Access::require_at`] where a location is involved) before they read or write; nothing else decides.

use crate::change_kind::{ChangeKind, StreamType};
use crate::ids::EntityId;
use crate::kinds::EventStatus;
use serde::{Deserialize, Serialize};

/// A person's role in one organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "server", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum Role {
    /// Manages people and the organisation's settings, and may do everything a manager may.
    Admin,
    /// Sees everything in the organisation, resolves conflicts, publishes.
    Manager,
    /// Edits drafts for the locations assigned to them.
    Scheduler,
    /// Sees only their own timeline: the published shifts they are in.
    Worker,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Scheduler, Role::Worker];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Scheduler => "scheduler",
            Role::Worker => "worker",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The one table of who may do what.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Manager => !matches!(action, ManagePeople | ManageSettings),
            Role::Scheduler => matches!(
                action,
                ReadOrganisation
                    | EditDrafts
                    | ReadOwnTimeline
                    | ClockOwnTime
                    | RequestTimeOff
                    | StateOwnAvailability
                    | TakeOpenShifts
                    | TradeOwnShifts
            ),
            Role::Worker => {
                matches!(
                    action,
                    ReadOwnTimeline | ClockOwnTime | RequestTimeOff | StateOwnAvailability | TakeOpenShifts | TradeOwnShifts
                )
            }
        }
    }
}

/// Everything a caller can ask for, as the role table sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Workers, locations, employments, schedules, every shift (drafts too), attention items, the change log.
    ReadOrganisation,
    /// Create workers, locations, employments and memberships; change roles.
    ManagePeople,
    /// Create draft schedules and shifts, move, resize, reassign and cancel drafts.
    EditDrafts,
    /// Change or cancel a published (active) shift.
    EditPublished,
    /// Publish or archive a schedule.
    Publish,
    /// Acknowledge attention items.
    ResolveConflicts,
    /// One's own published shifts, calendar feed and API tokens.
    ReadOwnTimeline,
    /// Clock in and out as the worker one is.
    ClockOwnTime,
    /// Add and correct anyone's punches, read and approve timesheets.
    KeepTime,
    /// Set pay rates, see labor cost and export payroll.
    ManagePay,
    /// Change the organisation's name, zone, currency, first weekday, rule thresholds and pay premiums.
    ManageSettings,
    /// Ask for time off as the worker one is, and withdraw it before it starts.
    RequestTimeOff,
    /// Say when one is unavailable or prefers to work, as the worker one is.
    StateOwnAvailability,
    /// See the open shifts one may take and claim a place, as the worker one is.
    TakeOpenShifts,
    /// Offer one's own published shifts to colleagues, and accept what colleagues offer, as the worker
    /// one is.
    TradeOwnShifts,
    /// Approve or decline anyone's requests (time off, claims on open shifts, swaps and drops), record time off or availability for a worker, take an
    /// approval back.
    DecideRequests,
}

impl Action {
    pub fn describe(self) -> &'static str {
        match self {
            Action::ReadOrganisation => "see the organisation's schedules and people",
            Action::ManagePeople => "manage people and their roles",
            Action::EditDrafts => "edit draft shifts and schedules",
            Action::EditPublished => "change published shifts",
            Action::Publish => "publish or archive schedules",
            Action::ResolveConflicts => "resolve conflicts",
            Action::ReadOwnTimeline => "see a personal timeline",
            Action::ClockOwnTime => "clock in and out",
            Action::KeepTime => "correct punches or approve timesheets",
            Action::ManagePay => "see or set pay",
            Action::ManageSettings => "change the organisation's settings",
            Action::RequestTimeOff => "ask for time off",
            Action::StateOwnAvailability => "say when they can work",
            Action::TakeOpenShifts => "take open shifts",
            Action::TradeOwnShifts => "swap or give away their shifts",
            Action::DecideRequests => "decide other people's requests",
        }
    }
}

/// What one caller may do: their role, the worker they are (if any) and, for schedulers, the locations
/// they may edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub role: Role,
    pub worker: Option<EntityId>,
    /// Only read for schedulers: every other role's edits are not bound to locations.
    pub locations: Vec<EntityId>,
}

/// Why a caller was turned away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denied {
    pub role: Role,
    pub action: Action,
    /// The location the action was refused at, for a scheduler outside their locations.
    pub location: Option<EntityId>,
}

impl std::fmt::Display for Denied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.location {
            Some(_) => {
                write!(f, "a {} may {} only at the locations assigned to them", self.role.as_str(), self.action.describe())
            }
            None => write!(f, "a {} may not {}", self.role.as_str(), self.action.describe()),
        }
    }
}

impl Access {
    pub fn administrator() -> Access {
        Access { role: Role::Admin, worker: None, locations: Vec::new() }
    }

    pub fn require(&self, action: Action) -> Result<(), Denied> {
        if self.role.allows(action) {
            Ok(())
        } else {
            Err(Denied { role: self.role, action, location: None })
        }
    }

    /// As [`Access::require`], for an action at one location: schedulers are held to theirs.
    pub fn require_at(&self, action: Action, location: EntityId) -> Result<(), Denied> {
        self.require(action)?;
        if self.role == Role::Scheduler && !self.locations.contains(&location) {
            return Err(Denied { role: self.role, action, location: Some(location) });
        }
        Ok(())
    }

    /// Whether the caller may change a shift in this state at this location: drafts are a scheduler's to
    /// edit at their own locations, a published shift is a manager's. The server's check and the
    /// calendar's grip on a block are this one rule.
    pub fn require_shift_change(&self, status: EventStatus, location: EntityId) -> Result<(), Denied> {
        let action = if status == EventStatus::Draft { Action::EditDrafts } else { Action::EditPublished };
        self.require_at(action, location)
    }

    /// Whether the caller is this worker (a worker may see their own published shifts, nobody else's).
    pub fn is_worker(&self, worker: EntityId) -> bool {
        self.worker == Some(worker)
    }

    /// Whether a change in the log is one this caller may see as it happens. Whoever may read the
    /// organisation sees every change; a worker sees the changes to shifts of theirs they may know of:
    /// one that is or was published (so a published shift moved away from them, or cancelled, reaches
    /// them too), never a draft.
    pub fn may_see_change(&self, change: &crate::views::ChangeView) -> bool {
        if self.role.allows(Action::ReadOrganisation) {
            return true;
        }
        let Some(me) = self.worker else { return false };
        let mine = |state: &serde_json::Value| state.get("worker_id").and_then(|w| w.as_str()) == Some(&me.to_string());
        // A worker's own requests, claims and availability, whose changes name them in `after`.
        let own_streams =
            [StreamType::TimeOff, StreamType::Availability, StreamType::AvailabilityException, StreamType::ShiftClaim];
        if own_streams.iter().any(|s| change.stream_type == s.as_str()) {
            return change.payload.get("after").is_some_and(mine);
        }
        // Offers of shifts: the two workers in one, and any worker for a drop still open to anyone.
        if change.stream_type == StreamType::ShiftOffer.as_str() {
            let after = change.payload.get("after");
            let named = |key: &str| after.and_then(|a| a.get(key)).and_then(|w| w.as_str()) == Some(&me.to_string());
            let open_to_anyone = after.is_some_and(|a| a.get("to_worker_id").is_none_or(|w| w.is_null()));
            return self.role.allows(Action::TradeOwnShifts)
                && (named("from_worker_id") || named("to_worker_id") || open_to_anyone);
        }
        // Open shifts once published: any worker may be one who could take a place.
        if change.stream_type == StreamType::OpenShift.as_str() {
            let published = |state: &serde_json::Value| {
                state.get("status").and_then(|s| s.as_str()).and_then(EventStatus::parse).is_some_and(|s| s != EventStatus::Draft)
            };
            return self.role.allows(Action::TakeOpenShifts)
                && ["before", "after"].iter().filter_map(|side| change.payload.get(side)).any(published);
        }
        if change.stream_type != StreamType::Shift.as_str() || !self.role.allows(Action::ReadOwnTimeline) {
            return false;
        }
        let known = |state: &serde_json::Value| {
            state.get("status").and_then(|s| s.as_str()).and_then(EventStatus::parse).is_some_and(known_to_its_worker)
        };
        let payload = &change.payload;
        if change.kind == ChangeKind::ShiftPublished.as_str() {
            return mine(payload);
        }
        ["before", "after"].iter().filter_map(|side| payload.get(side)).any(|state| mine(state))
            && ["before", "after"].iter().filter_map(|side| payload.get(side)).any(|state| known(state))
    }
}

/// A worker may know of a shift once it was published: a shift in one of these states is, or was, on
/// their schedule (so its later changes, a cancellation included, reach them); a draft never is. The
/// change that publishes a shift (`shift.published`) says so too.
pub fn known_to_its_worker(status: EventStatus) -> bool {
    PUBLISHED.contains(&status)
}

/// The states of a shift that has been published, for [`known_to_its_worker`] and the SQL that asks it.
pub const PUBLISHED: [EventStatus; 2] = [EventStatus::Active, EventStatus::Completed];

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn access(role: Role, locations: Vec<EntityId>) -> Access {
        Access { role, worker: None, locations }
    }

    fn shift_change(kind: ChangeKind, payload: serde_json::Value) -> crate::views::ChangeView {
        crate::views::ChangeView {
            cursor: "1-1".into(),
            stream_id: uuid::Uuid::nil(),
            stream_type: kind.stream().as_str().into(),
            stream_version: 2,
            actor_id: None,
            actor: "Sam Scheduler".into(),
            kind: kind.as_str().into(),
            occurred_at: chrono::DateTime::UNIX_EPOCH,
            recorded_at: chrono::DateTime::UNIX_EPOCH,
            payload,
        }
    }

    fn as_worker(worker: EntityId) -> Access {
        Access { role: Role::Worker, worker: Some(worker), locations: vec![] }
    }

    #[test]
    fn readers_of_the_organisation_see_every_change() {
        let draft =
            shift_change(ChangeKind::ShiftCreated, serde_json::json!({ "after": { "worker_id": "x", "status": "draft" } }));
        for role in [Role::Admin, Role::Manager, Role::Scheduler] {
            assert!(access(role, vec![]).may_see_change(&draft), "{role:?}");
        }
    }

    #[test]
    fn workers_see_changes_to_their_published_shifts_only() {
        let me = EntityId(uuid::Uuid::from_u128(1));
        let other = EntityId(uuid::Uuid::from_u128(2));
        let state = |worker: EntityId, status: &str| serde_json::json!({ "worker_id": worker.to_string(), "status": status });
        let change = |before: serde_json::Value, after: serde_json::Value| {
            shift_change(ChangeKind::ShiftMoved, serde_json::json!({ "before": before, "after": after }))
        };
        let worker = as_worker(me);
        assert!(worker.may_see_change(&change(state(me, "active"), state(me, "active"))), "own published shift moved");
        assert!(worker.may_see_change(&change(state(me, "active"), state(other, "active"))), "taken away from them");
        assert!(worker.may_see_change(&change(state(other, "active"), state(me, "active"))), "given to them");
        assert!(worker.may_see_change(&change(state(me, "active"), state(me, "cancelled"))), "published, then cancelled");
        assert!(!worker.may_see_change(&change(state(me, "draft"), state(me, "draft"))), "a draft stays unseen");
        assert!(!worker.may_see_change(&change(state(me, "draft"), state(me, "cancelled"))), "a draft cancelled unseen");
        assert!(!worker.may_see_change(&change(state(other, "active"), state(other, "active"))), "someone else's");
        let published = |worker_id: EntityId| {
            shift_change(
                ChangeKind::ShiftPublished,
                serde_json::json!({ "worker_id": worker_id.to_string(), "schedule_id": "s" }),
            )
        };
        assert!(worker.may_see_change(&published(me)));
        assert!(!worker.may_see_change(&published(other)));
        let mut schedule = published(me);
        schedule.stream_type = "schedule".into();
        assert!(!worker.may_see_change(&schedule), "only shift streams reach workers");
        assert!(!Access { worker: None, ..worker }.may_see_change(&published(me)), "an account with no worker sees none");
    }

    #[test]
    fn a_worker_asks_for_their_own_time_off_sees_only_their_own_requests_and_decides_none() {
        let me = EntityId(uuid::Uuid::from_u128(1));
        let other = EntityId(uuid::Uuid::from_u128(2));
        let worker = as_worker(me);
        assert!(worker.require(Action::RequestTimeOff).is_ok());
        assert!(worker.require(Action::DecideRequests).is_err());
        for role in Role::ALL {
            assert_eq!(role.allows(Action::DecideRequests), matches!(role, Role::Admin | Role::Manager), "{role:?}");
        }
        let request = |worker_id: EntityId| {
            shift_change(ChangeKind::TimeOffApproved, serde_json::json!({ "after": { "worker_id": worker_id.to_string() } }))
        };
        assert!(worker.may_see_change(&request(me)));
        assert!(!worker.may_see_change(&request(other)), "someone else's request");
    }

    #[test]
    fn a_worker_sees_open_shifts_once_published_their_own_claims_and_the_offers_they_are_in_or_may_take() {
        let me = EntityId(uuid::Uuid::from_u128(1));
        let other = EntityId(uuid::Uuid::from_u128(2));
        let worker = as_worker(me);
        let open_shift =
            |status: &str| shift_change(ChangeKind::OpenShiftOffered, serde_json::json!({ "after": { "status": status } }));
        assert!(worker.may_see_change(&open_shift("active")));
        assert!(!worker.may_see_change(&open_shift("draft")), "a draft week's open shift is the managers'");
        let claim = |worker_id: EntityId| {
            shift_change(ChangeKind::ShiftClaimApproved, serde_json::json!({ "after": { "worker_id": worker_id.to_string() } }))
        };
        assert!(worker.may_see_change(&claim(me)));
        assert!(!worker.may_see_change(&claim(other)), "someone else's claim");
        let offer = |from: EntityId, to: Option<EntityId>| {
            let to = to.map(|t| serde_json::json!(t.to_string())).unwrap_or(serde_json::Value::Null);
            let after = serde_json::json!({ "from_worker_id": from.to_string(), "to_worker_id": to });
            shift_change(ChangeKind::ShiftOfferMade, serde_json::json!({ "after": after }))
        };
        assert!(worker.may_see_change(&offer(other, Some(me))), "offered to me");
        assert!(worker.may_see_change(&offer(me, Some(other))), "my own offer");
        assert!(worker.may_see_change(&offer(other, None)), "a drop anyone may take");
        let third = EntityId(uuid::Uuid::from_u128(3));
        assert!(!worker.may_see_change(&offer(other, Some(third))), "between two others");
    }

    #[test]
    fn only_admins_manage_people() {
        for role in Role::ALL {
            assert_eq!(role.allows(Action::ManagePeople), role == Role::Admin, "{role:?}");
        }
    }

    #[test]
    fn workers_see_only_their_own_timeline() {
        let worker = access(Role::Worker, vec![]);
        assert!(worker.require(Action::ReadOwnTimeline).is_ok());
        for action in [Action::ReadOrganisation, Action::EditDrafts, Action::Publish, Action::EditPublished] {
            assert!(worker.require(action).is_err(), "{action:?}");
        }
    }

    #[test]
    fn schedulers_edit_drafts_only_where_assigned_and_never_publish() {
        let mitte = EntityId::new();
        let hafen = EntityId::new();
        let scheduler = access(Role::Scheduler, vec![mitte]);
        assert!(scheduler.require_at(Action::EditDrafts, mitte).is_ok());
        let refused = scheduler.require_at(Action::EditDrafts, hafen).unwrap_err();
        assert_eq!(refused.location, Some(hafen));
        assert!(refused.to_string().contains("only at the locations assigned"));
        assert!(scheduler.require(Action::Publish).is_err());
        assert!(scheduler.require_at(Action::EditPublished, mitte).is_err());
    }

    #[test]
    fn a_shift_is_a_schedulers_to_change_while_it_is_a_draft_at_their_location_and_a_managers_after() {
        let (mitte, hafen) = (EntityId::new(), EntityId::new());
        let scheduler = access(Role::Scheduler, vec![mitte]);
        assert!(scheduler.require_shift_change(EventStatus::Draft, mitte).is_ok());
        let elsewhere = scheduler.require_shift_change(EventStatus::Draft, hafen).unwrap_err();
        assert_eq!((elsewhere.action, elsewhere.location), (Action::EditDrafts, Some(hafen)));
        let published = scheduler.require_shift_change(EventStatus::Active, mitte).unwrap_err();
        assert_eq!(published.to_string(), "a scheduler may not change published shifts");
        let manager = access(Role::Manager, vec![]);
        for status in [EventStatus::Draft, EventStatus::Active] {
            assert!(manager.require_shift_change(status, hafen).is_ok(), "{status:?}");
        }
        assert!(access(Role::Worker, vec![]).require_shift_change(EventStatus::Draft, mitte).is_err());
    }

    #[test]
    fn managers_publish_and_edit_anywhere_without_assignments() {
        let manager = access(Role::Manager, vec![]);
        let anywhere = EntityId::new();
        for action in [Action::Publish, Action::EditDrafts, Action::EditPublished, Action::ResolveConflicts] {
            assert!(manager.require_at(action, anywhere).is_ok(), "{action:?}");
        }
    }

    #[test]
    fn roles_read_back_from_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
    }
}
