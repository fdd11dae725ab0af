//! Swaps and drops: a worker offers a published shift of theirs to a named colleague (a swap, perhaps
//! for one of the colleague's shifts in return) or to anyone who could take it (a drop); the colleague
//! accepts, a manager approves, and the shift changes hands under the same rules as any reassignment.
//!
//! An offer is a `shift_offer` event nested in its shift: offered is a draft, accepted is active,
//! approved is completed, and an offer that ends otherwise is cancelled with its outcome. An offer lapses
//! when its shift starts. The database keeps one live offer per shift (migrations/0022_shift_offers.sql).

use crate::kinds::EventStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an offer stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum OfferStatus {
    /// Waiting for the colleague (or, for a drop, for anyone) to accept.
    Offered,
    /// Accepted by the colleague; waiting for a manager.
    Accepted,
    /// The shift is the colleague's.
    Approved,
    /// A manager said no.
    Declined,
    /// The worker who offered it took it back.
    Withdrawn,
    /// The named colleague said no.
    Refused,
    /// The shift started before the offer was settled.
    Expired,
}

pub const DECLINED: &str = "declined";
pub const WITHDRAWN: &str = "withdrawn";
pub const REFUSED: &str = "refused";
pub const EXPIRED: &str = "expired";

impl OfferStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Offered => "offered",
            OfferStatus::Accepted => "accepted",
            OfferStatus::Approved => "approved",
            OfferStatus::Declined => DECLINED,
            OfferStatus::Withdrawn => WITHDRAWN,
            OfferStatus::Refused => REFUSED,
            OfferStatus::Expired => EXPIRED,
        }
    }

    /// The standing of a stored offer at `now`: a live offer whose shift has started has expired, whether
    /// or not anything wrote it down. `None` for a shape this build does not know.
    pub fn of(status: EventStatus, outcome: Option<&str>, start: DateTime<Utc>, now: DateTime<Utc>) -> Option<OfferStatus> {
        let live = |standing| Some(if start <= now { OfferStatus::Expired } else { standing });
        match (status, outcome) {
            (EventStatus::Draft, None) => live(OfferStatus::Offered),
            (EventStatus::Active, None) => live(OfferStatus::Accepted),
            (EventStatus::Completed, None) => Some(OfferStatus::Approved),
            (EventStatus::Cancelled, Some(DECLINED)) => Some(OfferStatus::Declined),
            (EventStatus::Cancelled, Some(WITHDRAWN)) => Some(OfferStatus::Withdrawn),
            (EventStatus::Cancelled, Some(REFUSED)) => Some(OfferStatus::Refused),
            // A shift cancelled with its offer on it takes the offer with it.
            (EventStatus::Cancelled, Some(EXPIRED) | None) => Some(OfferStatus::Expired),
            _ => None,
        }
    }

    /// Still to be settled: offered or accepted, and its shift not started.
    pub fn is_live(self) -> bool {
        matches!(self, OfferStatus::Offered | OfferStatus::Accepted)
    }
}

/// Whether a shift in this state may be offered at `now`: published and not started. The refusal is
/// written for the worker.
pub fn offerable(status: EventStatus, start: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), &'static str> {
    match status {
        EventStatus::Active if start > now => Ok(()),
        EventStatus::Active | EventStatus::Completed => Err("That shift has already started."),
        EventStatus::Draft => Err("Only a published shift is offered: this one is still a draft."),
        EventStatus::Cancelled => Err("That shift was cancelled."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_live_offer_expires_when_its_shift_starts_and_a_settled_one_keeps_its_outcome() {
        let now = Utc::now();
        let (later, earlier) = (now + Duration::hours(2), now - Duration::hours(2));
        assert_eq!(OfferStatus::of(EventStatus::Draft, None, later, now), Some(OfferStatus::Offered));
        assert_eq!(OfferStatus::of(EventStatus::Active, None, later, now), Some(OfferStatus::Accepted));
        assert_eq!(OfferStatus::of(EventStatus::Draft, None, earlier, now), Some(OfferStatus::Expired));
        assert_eq!(OfferStatus::of(EventStatus::Active, None, now, now), Some(OfferStatus::Expired));
        assert_eq!(OfferStatus::of(EventStatus::Completed, None, earlier, now), Some(OfferStatus::Approved));
        for settled in [OfferStatus::Declined, OfferStatus::Withdrawn, OfferStatus::Refused] {
            assert_eq!(OfferStatus::of(EventStatus::Cancelled, Some(settled.as_str()), later, now), Some(settled));
            assert!(!settled.is_live());
        }
        assert_eq!(OfferStatus::of(EventStatus::Cancelled, Some("lost"), later, now), None);
    }

    #[test]
    fn only_a_published_shift_still_to_come_is_offered() {
        let now = Utc::now();
        assert!(offerable(EventStatus::Active, now + Duration::minutes(1), now).is_ok());
        assert!(offerable(EventStatus::Active, now, now).is_err());
        assert!(offerable(EventStatus::Draft, now + Duration::hours(1), now).is_err());
        assert!(offerable(EventStatus::Cancelled, now + Duration::hours(1), now).is_err());
        assert!(offerable(EventStatus::Completed, now - Duration::hours(1), now).is_err());
    }
}
