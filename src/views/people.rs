//! The organisation's people as an administrator sees them: members, invitations, and what a person
//! who opens a one-time link is shown.

use crate::access::Role;
use crate::ids::EntityId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The worker this person is, for a worker (and optionally for anyone who also works shifts).
    pub worker_id: Option<EntityId>,
    /// The locations a scheduler may edit drafts for.
    pub location_ids: Vec<EntityId>,
    /// Added by the organisation and not yet accepted by the person: it grants nothing yet, and `name` is
    /// the name the organisation gave, not the one on the person's account.
    pub pending: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Sent and not yet answered: the link works.
    Open,
    /// Not answered in time: the link no longer works; resending makes a new one.
    Expired,
    Accepted,
    Revoked,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InvitationView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub worker_id: Option<EntityId>,
    pub location_ids: Vec<EntityId>,
    pub invited_by: String,
    pub sent_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub status: InvitationStatus,
}

/// What the person who opens a link is shown before answering it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub organisation_name: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The email has an account: the person answers with its password rather than choosing one.
    pub has_account: bool,
}

/// What the link's page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasswordLinkPreview {
    pub name: String,
    pub email: String,
    pub organisation_name: String,
}

/// Which workers the roster shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum RosterStatus {
    /// Not removed.
    #[default]
    Active,
    Removed,
    All,
}

/// One worker on the roster: who they are, their employments, whether they can sign in, and their pay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RosterLine {
    pub worker: crate::views::WorkerView,
    /// Every employment that was not cancelled, earliest first.
    pub employments: Vec<crate::views::EmploymentView>,
    /// Their role, if a member is linked to them; `pending` until the person accepts.
    pub member: Option<(Role, bool)>,
    /// The hourly rate in force now, in cents, with its currency (only for those who see pay).
    pub hourly_rate: Option<(i64, String)>,
    /// The positions they hold.
    #[serde(default)]
    pub positions: Vec<crate::ids::EntityId>,
    /// For someone with no membership yet: the latest invitation made for them that nobody has answered
    /// or revoked, open or expired, and when its link stops (or stopped) working.
    #[serde(default)]
    pub invitation: Option<(InvitationStatus, DateTime<Utc>)>,
}

impl RosterLine {
    /// The employment running at `now`, or else the next one to begin.
    pub fn current_employment(&self, now: DateTime<Utc>) -> Option<&crate::views::EmploymentView> {
        self.employments
            .iter()
            .find(|e| e.during.start <= now && e.during.end.is_none_or(|end| end > now))
            .or_else(|| self.employments.iter().find(|e| e.during.start > now))
    }
}
