//! Domain services: the only door to the core tables. Each public function is one command or query;
//! each command runs in one transaction that also appends to the change log and keeps the attention
//! items in step.

pub mod accounts;
pub mod attention;
pub mod availability;
pub mod calendar;
pub mod calendar_feed;
pub mod compensation;
pub mod conflict_board;
pub mod employments;
pub mod history;
pub mod invitations;
pub mod labor;
pub mod leaving;
pub mod locations;
pub mod members;
pub mod open_shifts;
pub mod organisation_settings;
pub mod organisations;
pub mod password_links;
pub mod payroll_export;
pub mod positions;
pub mod roster;
pub mod roster_import;
pub mod schedule_withdrawal;
pub mod schedules;
pub mod shift_import;
pub mod shift_templates;
pub mod shifts;
pub mod sign_up;
pub mod spreadsheet;
pub mod swaps;
pub mod time_off;
pub mod time_travel;
pub mod timekeeping;
pub mod timeline;
pub mod timesheets;
pub mod users;
pub mod week_copy;
pub mod week_export;
pub mod workers;

use crate::access::{Access, Action};
use crate::ids::{EntityId, OrgId};
use crate::store::{Actor, DomainResult};

/// Who is asking, in which organisation, and what they may do: every query is scoped by `org`, and every
/// service asks `access` before it reads or writes.
#[derive(Clone, Debug)]
pub struct Caller {
    pub org: OrgId,
    pub actor: Actor,
    pub access: Access,
}

impl Caller {
    /// The server acting on its own (seeding demo data, benchmarks): an administrator with a name in the log.
    pub fn system(org: OrgId, name: &str) -> Caller {
        Caller { org, actor: Actor::named(name), access: Access::administrator() }
    }

    pub fn require(&self, action: Action) -> DomainResult<()> {
        Ok(self.access.require(action)?)
    }

    pub fn require_at(&self, action: Action, location: EntityId) -> DomainResult<()> {
        Ok(self.access.require_at(action, location)?)
    }
}
