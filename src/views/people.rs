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
