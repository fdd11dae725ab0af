//! Labor cost of a planned week at one location: each worker's shifts, less their unpaid breaks, cut
//! into rate types by the organisation's pay rules (overtime counting the worker's shifts elsewhere
//! too) and priced at the rate in force — the same rules approval prices actual time with. Drafts count:
//! the week being planned is what a scheduler wants to see the cost of.
//!
//! Pure: the calendar runs it in the browser on every proposed change while a shift is dragged.

use crate::ids::{EntityId, EventId};
use crate::interval::{subtract_all, Interval};
use crate::kinds::EventStatus;
use crate::payroll::{price, PayRules, RateSpan};
use crate::rules::RuleShift;
use crate::timesheet::pieces_of;
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// What the calendar needs to price a week: the rules, and the rates of the workers on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekPay {
    pub rules: PayRules,
    pub rates: Vec<WorkerRates>,
    /// The approved cost at this location per local day of the week (zero where nothing is approved).
    pub actual: Vec<DayCost>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerRates {
    pub worker_id: EntityId,
    pub spans: Vec<RateSpan>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayCost {
    pub date: NaiveDate,
    pub cost_cents: i64,
}

/// One worker's live shifts as the cost sees them, with the ids of those at this location.
pub struct WorkerWeek<'a> {
    pub worker: EntityId,
    pub shifts: &'a [RuleShift],
    pub here: &'a [EventId],
}

/// The week's planned cost, day by day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    pub days: Vec<DayCost>,
    pub week_cents: i64,
    /// Paid hours at this location with no rate in force: they are not in the cost.
    pub unpriced_hours: f64,
    pub currency: Option<String>,
}

impl CostLine {
    /// `self` less `other`, day by day (both over the same week).
    pub fn minus(&self, other: &CostLine) -> CostLine {
        CostLine {
            days: self
                .days
                .iter()
                .zip(&other.days)
                .map(|(a, b)| DayCost { date: a.date, cost_cents: a.cost_cents - b.cost_cents })
                .collect(),
            week_cents: self.week_cents - other.week_cents,
            unpriced_hours: self.unpriced_hours - other.unpriced_hours,
            currency: self.currency.clone().or(other.currency.clone()),
        }
    }

    fn add(&mut self, other: &CostLine) {
        for (day, more) in self.days.iter_mut().zip(&other.days) {
            day.cost_cents += more.cost_cents;
        }
        self.week_cents += other.week_cents;
        self.unpriced_hours += other.unpriced_hours;
        if self.currency.is_none() {
            self.currency = other.currency.clone();
        }
    }
}

/// The seven local days from `first_day`, each with no cost yet.
fn empty(first_day: NaiveDate) -> CostLine {
    CostLine {
        days: (0..7).map(|d| DayCost { date: first_day + chrono::Duration::days(d), cost_cents: 0 }).collect(),
        ..CostLine::default()
    }
}

/// One worker's cost at this location over the week starting on `first_day`.
pub fn worker_cost(week: &WorkerWeek, rates: &[RateSpan], rules: &PayRules, tz: Tz, first_day: NaiveDate) -> CostLine {
    let mut line = empty(first_day);
    // Paid time: each live shift less its unpaid breaks, remembering which shift each stretch is of.
    let mut stretches: Vec<(Interval, EventId)> = Vec::new();
    for shift in week.shifts.iter().filter(|s| s.status != EventStatus::Cancelled && s.during.end.is_some()) {
        let unpaid: Vec<Interval> = shift.breaks.iter().filter(|b| !b.paid).map(|b| b.during).collect();
        stretches.extend(subtract_all(&shift.during, &unpaid).into_iter().map(|s| (s, shift.id)));
    }
    let spans: Vec<Interval> = stretches.iter().map(|(s, _)| *s).collect();
    for (stretch, pieces) in pieces_of(&spans, rules, tz) {
        let Some((_, shift)) = stretches.iter().find(|(s, _)| *s == stretch) else { continue };
        if !week.here.contains(shift) {
            continue;
        }
        match price(&pieces, rates, &rules.multipliers) {
            Ok(priced) => {
                for piece in priced {
                    let date = piece.during.start.with_timezone(&tz).date_naive();
                    if let Some(day) = line.days.iter_mut().find(|d| d.date == date) {
                        day.cost_cents += piece.cost_cents;
                        line.week_cents += piece.cost_cents;
                        line.currency.get_or_insert(piece.currency);
                    }
                }
            }
            Err(_) => line.unpriced_hours += pieces.iter().map(|p| p.hours()).sum::<f64>(),
        }
    }
    line
}

/// Every worker's cost at this location, summed.
pub fn week_cost(weeks: &[WorkerWeek], pay: &WeekPay, tz: Tz, first_day: NaiveDate) -> CostLine {
    let mut total = empty(first_day);
    for week in weeks {
        let rates = pay.rates.iter().find(|r| r.worker_id == week.worker).map(|r| r.spans.as_slice()).unwrap_or(&[]);
        total.add(&worker_cost(week, rates, &pay.rules, tz, first_day));
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::BreakSpan;
    use chrono::{TimeZone, Utc};
    use chrono_tz::Europe::Berlin;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn berlin(day: u32, h: u32) -> chrono::DateTime<Utc> {
        Berlin.with_ymd_and_hms(2026, 3, day, h, 0, 0).unwrap().with_timezone(&Utc)
    }

    fn id(n: u8) -> EventId {
        EventId(uuid::Uuid::from_bytes([n; 16]))
    }

    fn shift(n: u8, day: u32, from: u32, to: u32) -> RuleShift {
        let during = Interval::new(berlin(day, from), berlin(day, to)).unwrap();
        RuleShift { id: id(n), during, status: EventStatus::Draft, breaks: vec![], position: None }
    }

    fn rate(cents: i64) -> Vec<RateSpan> {
        vec![RateSpan { during: Interval { start: berlin(1, 0), end: None }, hourly_rate_cents: cents, currency: "EUR".into() }]
    }

    #[test]
    fn a_shift_costs_its_paid_hours_and_premiums_by_the_day_it_falls_on() {
        let mut long = shift(1, 2, 14, 23);
        long.breaks = vec![BreakSpan { during: Interval::new(berlin(2, 18), berlin(2, 19)).unwrap(), paid: false }];
        let saturday = shift(2, 7, 8, 12);
        let shifts = [long, saturday];
        let here = [id(1), id(2)];
        let week = WorkerWeek { worker: EntityId(uuid::Uuid::nil()), shifts: &shifts, here: &here };
        let line = worker_cost(&week, &rate(2000), &PayRules::default(), Berlin, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        // Monday: 7 regular hours (14–18, 19–22) and one at night (22–23, × 1.25); Saturday: 4 weekend hours (× 1.5).
        assert_eq!(line.days[0].cost_cents, 7 * 2000 + 2500);
        assert_eq!(line.days[5].cost_cents, 4 * 3000);
        assert_eq!(line.week_cents, 14000 + 2500 + 12000);
        assert_eq!(line.currency.as_deref(), Some("EUR"));
    }

    #[test]
    fn shifts_elsewhere_count_toward_overtime_but_cost_nothing_here() {
        // Four ten-hour days elsewhere, then a Friday here: all eight hours past 40 are overtime (× 1.5).
        let mut shifts: Vec<RuleShift> = (0..4).map(|d| shift(d + 1, 2 + d as u32, 8, 18)).collect();
        shifts.push(shift(9, 6, 8, 16));
        let here = [id(9)];
        let week = WorkerWeek { worker: EntityId(uuid::Uuid::nil()), shifts: &shifts, here: &here };
        let line = worker_cost(&week, &rate(2000), &PayRules::default(), Berlin, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(line.week_cents, 8 * 3000);
        assert_eq!(line.days[4].cost_cents, 8 * 3000);
        let without_rate = worker_cost(&week, &[], &PayRules::default(), Berlin, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!((without_rate.week_cents, without_rate.unpriced_hours), (0, 8.0));
    }
}
