//! Worked, break and net hours of a shift.

use crate::interval::Interval;
use chrono::Duration;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ShiftHours {
    /// The whole shift, start to end.
    pub worked: f64,
    /// All breaks, paid or not.
    pub breaks: f64,
    /// What is paid: the shift less its unpaid breaks.
    pub net: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakSpan {
    pub during: Interval,
    pub paid: bool,
}

pub fn hours(d: Duration) -> f64 {
    d.num_seconds() as f64 / 3600.0
}

/// Hours of a bounded shift with its breaks; breaks are clipped to the shift and an ongoing shift counts
/// nothing (it has no length yet).
pub fn shift_hours(shift: &Interval, breaks: &[BreakSpan]) -> ShiftHours {
    let worked = shift.duration().map(hours).unwrap_or(0.0);
    let clipped = |b: &BreakSpan| b.during.intersection(shift).and_then(|i| i.duration()).map(hours).unwrap_or(0.0);
    let break_hours: f64 = breaks.iter().map(clipped).sum();
    let unpaid: f64 = breaks.iter().filter(|b| !b.paid).map(clipped).sum();
    ShiftHours { worked, breaks: break_hours, net: worked - unpaid }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn an_unpaid_break_comes_off_net_hours_and_a_paid_one_does_not() {
        let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap();
        let shift = Interval::new(at(9, 0), at(17, 0)).unwrap();
        let breaks = [
            BreakSpan { during: Interval::new(at(12, 0), at(12, 30)).unwrap(), paid: false },
            BreakSpan { during: Interval::new(at(15, 0), at(15, 15)).unwrap(), paid: true },
        ];
        let h = shift_hours(&shift, &breaks);
        assert_eq!(h, ShiftHours { worked: 8.0, breaks: 0.75, net: 7.5 });
    }
}
