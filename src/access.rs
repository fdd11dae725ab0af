//! Who may do what: the one table of roles and actions. Services ask [`Access::require`] (and
//! [`Access::require_at`] where a location is involved) before they read or write; nothing else decides.

use crate::ids::EntityId;
use serde::{Deserialize, Serialize};

/// A person's role in one organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages people and settings, and may do everything a manager may.
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
            Role::Manager => !matches!(action, ManagePeople),
            Role::Scheduler => matches!(action, ReadOrganisation | EditDrafts | ReadOwnTimeline),
            Role::Worker => matches!(action, ReadOwnTimeline),
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

    /// Whether the caller is this worker (a worker may see their own published shifts, nobody else's).
    pub fn is_worker(&self, worker: EntityId) -> bool {
        self.worker == Some(worker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn access(role: Role, locations: Vec<EntityId>) -> Access {
        Access { role, worker: None, locations }
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
