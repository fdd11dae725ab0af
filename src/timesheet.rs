//! A worker's week, planned against actual, day by day: what was scheduled (hours and planned breaks),
//! what was clocked, the breaks actually taken (gaps between periods of one shift), late arrivals and
//! early departures against the shift each period matched, and overtime by the organisation's weekly
//! threshold. Days are the local days a shift or period starts on.
//!
//! Pure, for the server and the browser alike.

use crate::hours::{hours, shift_hours, BreakSpan};
use crate::ids::EventId;
use crate::interval::Interval;
use crate::payroll::{split, PayRules, Piece, RateType};
use crate::timekeeping::PunchedPeriod;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A planned shift as the timesheet sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetShift {
    pub id: EventId,
    pub during: Interval,
    pub breaks: Vec<BreakSpan>,
}

/// A worked period and the shift it was matched to.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetPeriod {
    pub period: PunchedPeriod,
    pub shift: Option<EventId>,
}

/// One local day of the week.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DayTotals {
    pub scheduled_hours: f64,
    pub planned_break_hours: f64,
    pub clocked_hours: f64,
    /// Gaps between the periods worked on one shift.
    pub break_hours: f64,
    /// Minutes after their shifts' starts that the first clock-ins came.
    pub late_minutes: i64,
    /// Minutes before their shifts' ends that the last clock-outs came.
    pub early_minutes: i64,
    pub overtime_hours: f64,
    /// Shifts with no clocked period at all.
    pub missed_shifts: usize,
    /// Periods still without a clock-out.
    pub open_periods: usize,
}

impl DayTotals {
    fn add(&mut self, other: &DayTotals) {
        self.scheduled_hours += other.scheduled_hours;
        self.planned_break_hours += other.planned_break_hours;
        self.clocked_hours += other.clocked_hours;
        self.break_hours += other.break_hours;
        self.late_minutes += other.late_minutes;
        self.early_minutes += other.early_minutes;
        self.overtime_hours += other.overtime_hours;
        self.missed_shifts += other.missed_shifts;
        self.open_periods += other.open_periods;
    }
}

/// The seven local days of a week from its first day, and the week's totals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WeekTotals {
    pub days: Vec<(NaiveDate, DayTotals)>,
    pub week: DayTotals,
}

/// Each closed period's pieces, in the periods' time order. The weekly overtime count for a period is
/// what the worker worked in the local week before it — including the end of a period that began the
/// week before — so any set of periods is priced the same whichever of them is approved first.
pub fn pieces_of(periods: &[Interval], rules: &PayRules, tz: Tz) -> Vec<(Interval, Vec<Piece>)> {
    let mut closed: Vec<Interval> = periods.iter().filter(|p| p.end.is_some()).copied().collect();
    closed.sort_by_key(|p| p.start);
    closed
        .iter()
        .map(|period| {
            let week = Interval {
                start: crate::local_time::week_start_of(period.start, tz, rules.week_starts_on),
                end: Some(period.start),
            };
            let before: Duration = closed
                .iter()
                .filter(|other| other.start < period.start)
                .filter_map(|other| other.intersection(&week).and_then(|i| i.duration()))
                .fold(Duration::zero(), |sum, d| sum + d);
            (*period, split(*period, hours(before), rules, tz))
        })
        .collect()
}

/// The week's days, planned against actual, as they stand at `now`: a shift not yet over is never
/// missed. `shifts` and `periods` may reach outside the week; only those starting in it are counted, but
/// earlier periods in the same local week count toward overtime.
pub fn week(
    first_day: NaiveDate,
    tz: Tz,
    shifts: &[SheetShift],
    periods: &[SheetPeriod],
    rules: &PayRules,
    now: DateTime<Utc>,
) -> WeekTotals {
    let day_of = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let dates: Vec<NaiveDate> = (0..7).map(|d| first_day + Duration::days(d)).collect();
    let mut days: Vec<(NaiveDate, DayTotals)> = dates.iter().map(|d| (*d, DayTotals::default())).collect();
    let slot = |t: DateTime<Utc>| dates.iter().position(|d| *d == day_of(t));

    for shift in shifts {
        let Some(i) = slot(shift.during.start) else { continue };
        let planned = shift_hours(&shift.during, &shift.breaks);
        let day = &mut days[i].1;
        day.scheduled_hours += planned.worked;
        day.planned_break_hours += planned.breaks;
        let mut worked: Vec<&PunchedPeriod> = periods.iter().filter(|p| p.shift == Some(shift.id)).map(|p| &p.period).collect();
        worked.sort_by_key(|p| p.start);
        let (Some(first), Some(last)) = (worked.first(), worked.last()) else {
            if shift.during.end.is_some_and(|end| end <= now) {
                day.missed_shifts += 1;
            }
            continue;
        };
        day.late_minutes += (first.start - shift.during.start).num_minutes().max(0);
        if let (Some(out), Some(end)) = (last.end, shift.during.end) {
            day.early_minutes += (end - out).num_minutes().max(0);
        }
        for pair in worked.windows(2) {
            if let Some(gap) = pair[0].end.map(|out| pair[1].start - out) {
                day.break_hours += hours(gap.max(Duration::zero()));
            }
        }
    }

    let spans: Vec<Interval> = periods.iter().map(|p| p.period.during()).collect();
    for period in periods {
        let Some(i) = slot(period.period.start) else { continue };
        match period.period.end {
            Some(_) => days[i].1.clocked_hours += period.period.during().duration().map(hours).unwrap_or(0.0),
            None => days[i].1.open_periods += 1,
        }
    }
    for (period, pieces) in pieces_of(&spans, rules, tz) {
        let Some(i) = slot(period.start) else { continue };
        days[i].1.overtime_hours += pieces.iter().filter(|p| p.rate == RateType::Overtime).map(Piece::hours).sum::<f64>();
    }

    let mut week = DayTotals::default();
    for (_, day) in &days {
        week.add(day);
    }
    WeekTotals { days, week }
}

/// The instant the local day containing `t` began (00:00 on `tz`'s wall clock).
pub fn local_day_start(t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    crate::local_time::day_start(t.with_timezone(&tz).date_naive(), tz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timekeeping::{match_period, pair, ClockDirection, PlannedShift, Punch};
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn id(n: u8) -> EventId {
        EventId(uuid::Uuid::from_bytes([n; 16]))
    }

    fn berlin(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        Berlin.with_ymd_and_hms(2026, 3, day, h, m, 0).unwrap().with_timezone(&Utc)
    }

    fn shift(n: u8, day: u32, from: u32, to_day: u32, to: u32) -> SheetShift {
        SheetShift { id: id(n), during: Interval::new(berlin(day, from, 0), berlin(to_day, to, 0)).unwrap(), breaks: vec![] }
    }

    /// Punches paired and matched, as the service does.
    fn periods(shifts: &[SheetShift], punches: &[(DateTime<Utc>, ClockDirection)]) -> Vec<SheetPeriod> {
        let punches: Vec<Punch> = punches
            .iter()
            .enumerate()
            .map(|(i, (at, direction))| Punch { id: id(100 + i as u8), at: *at, direction: *direction })
            .collect();
        let planned: Vec<PlannedShift> = shifts.iter().map(|s| PlannedShift { id: s.id, during: s.during }).collect();
        pair(&punches).periods.into_iter().map(|period| SheetPeriod { period, shift: match_period(&period, &planned) }).collect()
    }

    #[test]
    fn a_day_late_in_with_a_break_taken_and_an_early_out() {
        use ClockDirection::*;
        // Monday 2 March 2026, 07:00–15:00 with a planned unpaid half hour.
        let mut monday = shift(1, 2, 7, 2, 15);
        monday.breaks = vec![BreakSpan { during: Interval::new(berlin(2, 11, 0), berlin(2, 11, 30)).unwrap(), paid: false }];
        let shifts = [monday, shift(2, 3, 7, 3, 15)];
        let worked = periods(
            &shifts,
            &[(berlin(2, 7, 12), In), (berlin(2, 11, 0), Out), (berlin(2, 11, 45), In), (berlin(2, 14, 30), Out)],
        );
        let sheet =
            week(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), Berlin, &shifts, &worked, &PayRules::default(), berlin(9, 0, 0));
        let day = &sheet.days[0].1;
        assert_eq!(day.scheduled_hours, 8.0);
        assert_eq!(day.planned_break_hours, 0.5);
        assert!((day.clocked_hours - (3.8 + 2.75)).abs() < 1e-9);
        assert_eq!(day.break_hours, 0.75);
        assert_eq!((day.late_minutes, day.early_minutes), (12, 30));
        // Tuesday's shift was not worked at all.
        assert_eq!(sheet.days[1].1.missed_shifts, 1);
        assert_eq!(sheet.week.scheduled_hours, 16.0);
        // Read on Tuesday morning, before that shift ends, it is not missed: it is still to come.
        let early =
            week(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), Berlin, &shifts, &worked, &PayRules::default(), berlin(3, 8, 0));
        assert_eq!(early.days[1].1.missed_shifts, 0);
    }

    #[test]
    fn a_night_belongs_to_the_day_it_starts_and_overtime_to_the_hours_past_the_threshold() {
        use ClockDirection::*;
        // Five 8-hour nights from Monday 22:00, then a sixth on Saturday night: 40 h reached on Saturday 06:00.
        let shifts: Vec<SheetShift> = (0..6).map(|d| shift(d as u8 + 1, 2 + d, 22, 3 + d, 6)).collect();
        let punches: Vec<(DateTime<Utc>, ClockDirection)> =
            (0..6).flat_map(|d| [(berlin(2 + d, 22, 0), In), (berlin(3 + d, 6, 0), Out)]).collect();
        let worked = periods(&shifts, &punches);
        assert!(worked.iter().all(|p| p.shift.is_some()));
        let sheet =
            week(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), Berlin, &shifts, &worked, &PayRules::default(), berlin(9, 0, 0));
        let clocked: Vec<f64> = sheet.days.iter().map(|(_, d)| d.clocked_hours).collect();
        assert_eq!(clocked, vec![8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 0.0]);
        let overtime: Vec<f64> = sheet.days.iter().map(|(_, d)| d.overtime_hours).collect();
        // Saturday night lies wholly in the week (Sunday is its last day), and all of it is past 40 h.
        assert_eq!(overtime, vec![0.0, 0.0, 0.0, 0.0, 0.0, 8.0, 0.0]);
        assert_eq!(sheet.week.overtime_hours, 8.0);
    }

    #[test]
    fn overtime_counts_the_end_of_a_period_that_began_the_week_before() {
        // Sunday 1 March 16:00 to Monday 2 March 10:00 puts 10 h into the new week; 32 h more that week
        // reach 42 h: the last 2 h are overtime.
        let spans = [
            Interval::new(berlin(1, 16, 0), berlin(2, 10, 0)).unwrap(),
            Interval::new(berlin(3, 8, 0), berlin(3, 20, 0)).unwrap(),
            Interval::new(berlin(4, 8, 0), berlin(4, 20, 0)).unwrap(),
            Interval::new(berlin(5, 8, 0), berlin(5, 16, 0)).unwrap(),
        ];
        let rules = PayRules { night: None, weekend: vec![], ..PayRules::default() };
        let pieces = pieces_of(&spans, &rules, Berlin);
        let overtime: Vec<f64> =
            pieces.iter().map(|(_, p)| p.iter().filter(|x| x.rate == RateType::Overtime).map(Piece::hours).sum()).collect();
        assert_eq!(overtime, vec![0.0, 0.0, 0.0, 2.0]);
    }
}
