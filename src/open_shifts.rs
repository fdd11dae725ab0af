//! Open shifts: work at a location with no worker yet, offered as one or more identical places, and the
//! claims workers make on them.
//!
//! An open shift is an `open_shift` event: a draft with the week's plan, active once published (open to
//! claims while a place is left), cancelled when withdrawn before anyone took a place. A claim is a `shift_claim`
//! event nested in it: waiting is a draft, approved is active, and a claim that ends otherwise is
//! cancelled with its outcome. The database never gives more places than an open shift has, and keeps a
//! worker from waiting on two claims over the same hours (migrations/0021_open_shifts.sql).

use crate::kinds::EventStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most identical places one open shift offers.
pub const MAX_PLACES: i32 = 50;

/// Who says yes to a claim.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Approval {
    /// A manager approves or declines each claim.
    #[default]
    Manager,
    /// The first eligible worker to claim a place gets it.
    Automatic,
}

impl Approval {
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Manager => "manager",
            Approval::Automatic => "automatic",
        }
    }

    pub fn parse(text: &str) -> Option<Approval> {
        [Approval::Manager, Approval::Automatic].into_iter().find(|a| a.as_str() == text)
    }
}

/// Where a claim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum ClaimStatus {
    /// Waiting for a manager.
    Waiting,
    /// The worker has the shift.
    Approved,
    /// A manager said no.
    Declined,
    /// The worker took it back.
    Withdrawn,
    /// Every place was taken by others first.
    Filled,
    /// The open shift was withdrawn, or started, before anyone decided.
    Closed,
}

pub const DECLINED: &str = "declined";
pub const WITHDRAWN: &str = "withdrawn";
pub const FILLED: &str = "filled";
pub const CLOSED: &str = "closed";

impl ClaimStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Waiting => "waiting",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Declined => DECLINED,
            ClaimStatus::Withdrawn => WITHDRAWN,
            ClaimStatus::Filled => FILLED,
            ClaimStatus::Closed => CLOSED,
        }
    }

    /// The standing a stored claim's status and outcome make; `None` for a shape this build does not know.
    pub fn of(status: EventStatus, outcome: Option<&str>) -> Option<ClaimStatus> {
        match (status, outcome) {
            (EventStatus::Draft, None) => Some(ClaimStatus::Waiting),
            (EventStatus::Active | EventStatus::Completed, None) => Some(ClaimStatus::Approved),
            (EventStatus::Cancelled, Some(DECLINED)) => Some(ClaimStatus::Declined),
            (EventStatus::Cancelled, Some(WITHDRAWN)) => Some(ClaimStatus::Withdrawn),
            (EventStatus::Cancelled, Some(FILLED)) => Some(ClaimStatus::Filled),
            (EventStatus::Cancelled, Some(CLOSED)) => Some(ClaimStatus::Closed),
            _ => None,
        }
    }
}

/// The number of places asked for, checked: one to [`MAX_PLACES`].
pub fn checked_places(places: i32) -> Result<i32, String> {
    if (1..=MAX_PLACES).contains(&places) {
        Ok(places)
    } else {
        Err(format!("must be between 1 and {MAX_PLACES}"))
    }
}

/// Whether a worker may claim a place of an open shift in this state at `now`: published, not started,
/// a place left. The refusal is written for the worker.
pub fn claimable(
    status: EventStatus,
    places: i32,
    taken: i32,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), &'static str> {
    match status {
        EventStatus::Draft => Err("This open shift is not published yet."),
        EventStatus::Cancelled => Err("This open shift was withdrawn."),
        _ if start <= now => Err("This open shift has already started."),
        _ if taken >= places => Err("Every place of this open shift is taken."),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_claim_reads_back_from_its_status_and_outcome_and_an_unknown_outcome_is_none() {
        for claim in [ClaimStatus::Declined, ClaimStatus::Withdrawn, ClaimStatus::Filled, ClaimStatus::Closed] {
            assert_eq!(ClaimStatus::of(EventStatus::Cancelled, Some(claim.as_str())), Some(claim));
        }
        assert_eq!(ClaimStatus::of(EventStatus::Draft, None), Some(ClaimStatus::Waiting));
        assert_eq!(ClaimStatus::of(EventStatus::Active, None), Some(ClaimStatus::Approved));
        assert_eq!(ClaimStatus::of(EventStatus::Cancelled, Some("lost")), None);
        assert_eq!(ClaimStatus::of(EventStatus::Cancelled, None), None);
    }

    #[test]
    fn places_are_one_to_fifty() {
        assert_eq!(checked_places(1), Ok(1));
        assert_eq!(checked_places(MAX_PLACES), Ok(MAX_PLACES));
        assert!(checked_places(0).is_err());
        assert!(checked_places(-3).is_err());
        assert!(checked_places(MAX_PLACES + 1).is_err());
    }

    #[test]
    fn only_a_published_open_shift_still_to_come_with_a_place_left_is_claimable() {
        let now = Utc::now();
        let later = now + Duration::hours(5);
        assert!(claimable(EventStatus::Active, 3, 2, later, now).is_ok());
        assert!(claimable(EventStatus::Active, 3, 3, later, now).is_err());
        assert!(claimable(EventStatus::Draft, 3, 0, later, now).is_err());
        assert!(claimable(EventStatus::Cancelled, 3, 0, later, now).is_err());
        assert!(claimable(EventStatus::Active, 3, 0, now, now).is_err(), "a shift starting now has started");
    }
}
