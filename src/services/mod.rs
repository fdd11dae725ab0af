//! Domain services: the only door to the core tables. Each public function is one command or query;
//! each command runs in one transaction that also appends to the change log and keeps the attention
//! items in step.

pub mod attention;
pub mod calendar;
pub mod employments;
pub mod locations;
pub mod organisations;
pub mod schedules;
pub mod shifts;
pub mod workers;

use crate::ids::OrgId;
use crate::store::Actor;

/// Who is asking, and in which organisation: every query is scoped by it.
#[derive(Clone, Debug)]
pub struct Caller {
    pub org: OrgId,
    pub actor: Actor,
}
