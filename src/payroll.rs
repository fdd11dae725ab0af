//! Payroll pieces: a worked period cut into the stretches each paid at one rate type — overtime once the
//! worker's hours in the week pass the organisation's threshold, else night or weekend premiums from its
//! rules, else regular. Weeks, days and the night window are the location's wall clock; hours are real
//! elapsed time, so a night across a DST change pays the hour it really lasted.
//!
//! Pure, for the server and the browser (the calendar's cost preview) alike.

use crate::interval::Interval;
use crate::local_time::local_instant;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Most telling first: a stretch that is both overtime and at night is overtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum RateType {
    Overtime,
    Night,
    Weekend,
    Regular,
}

/// An organisation's pay rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PayRules {
    /// Hours in a week (Monday to Sunday, local) after which every hour is overtime.
    pub overtime_weekly_hours: f64,
    /// The local night window, e.g. 22:00 to 06:00 (an end at or before the start is the next morning);
    /// `None`: no night premium.
    pub night: Option<(NaiveTime, NaiveTime)>,
    /// Local days paid at the weekend rate.
    pub weekend: Vec<Weekday>,
}

impl Default for PayRules {
    fn default() -> Self {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        PayRules { overtime_weekly_hours: 40.0, night: Some((at(22), at(6))), weekend: vec![Weekday::Sat, Weekday::Sun] }
    }
}

/// One stretch of a worked period, paid at one rate type.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    pub rate: RateType,
    pub during: Interval,
}

impl Piece {
    /// To the millisecond: an overtime threshold can fall between two seconds.
    pub fn hours(&self) -> f64 {
        self.during.duration().map(|d| d.num_milliseconds() as f64 / 3_600_000.0).unwrap_or(0.0)
    }
}

/// Cuts a worked period into pieces, in time order, adjacent pieces of one rate type joined.
/// `hours_before` is what the worker had already worked in the week the period starts in, before it;
/// the count starts again at each local Monday. An open period has nothing to pay yet.
pub fn split(worked: Interval, hours_before: f64, rules: &PayRules, tz: Tz) -> Vec<Piece> {
    let Some(end) = worked.end else { return vec![] };
    if end <= worked.start {
        return vec![];
    }
    // Every instant at which the rate type could change: local midnights (days and weeks), and the night
    // window's edges on each local day the period touches.
    let mut cuts: Vec<DateTime<Utc>> = vec![worked.start, end];
    let first_day = worked.start.with_timezone(&tz).date_naive() - Duration::days(1);
    let last_day = end.with_timezone(&tz).date_naive() + Duration::days(1);
    let mut day = first_day;
    while day <= last_day {
        cuts.push(local_instant(tz, day.and_time(NaiveTime::MIN)));
        if let Some((from, to)) = rules.night {
            cuts.push(local_instant(tz, day.and_time(from)));
            cuts.push(local_instant(tz, day.and_time(to)));
        }
        day += Duration::days(1);
    }
    cuts.retain(|t| *t >= worked.start && *t <= end);
    cuts.sort();
    cuts.dedup();

    let threshold = Duration::milliseconds((rules.overtime_weekly_hours * 3_600_000.0).round() as i64);
    let mut week = week_of(worked.start, tz);
    let mut worked_in_week = Duration::milliseconds((hours_before.max(0.0) * 3_600_000.0).round() as i64);
    let mut pieces: Vec<Piece> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if week_of(from, tz) != week {
            week = week_of(from, tz);
            worked_in_week = Duration::zero();
        }
        // The overtime threshold may fall inside this stretch: cut there too.
        let left = threshold - worked_in_week;
        let mut stretches = vec![(from, to)];
        if left > Duration::zero() && left < to - from {
            stretches = vec![(from, from + left), (from + left, to)];
        }
        for (a, b) in stretches {
            let rate = if worked_in_week >= threshold { RateType::Overtime } else { plain_rate(a, rules, tz) };
            push(&mut pieces, Piece { rate, during: Interval { start: a, end: Some(b) } });
            worked_in_week += b - a;
        }
    }
    pieces
}

/// The local Monday of the week `t` falls in.
fn week_of(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    let day = t.with_timezone(&tz).date_naive();
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// Night, weekend or regular for a stretch starting at `t` (stretches never straddle a cut).
fn plain_rate(t: DateTime<Utc>, rules: &PayRules, tz: Tz) -> RateType {
    let local = t.with_timezone(&tz);
    if let Some((from, to)) = rules.night {
        let time = local.time();
        let at_night = if from < to { time >= from && time < to } else { time >= from || time < to };
        if at_night {
            return RateType::Night;
        }
    }
    if rules.weekend.contains(&local.weekday()) {
        RateType::Weekend
    } else {
        RateType::Regular
    }
}

fn push(pieces: &mut Vec<Piece>, piece: Piece) {
    if let Some(last) = pieces.last_mut() {
        if last.rate == piece.rate && last.during.end == Some(piece.during.start) {
            last.during.end = piece.during.end;
            return;
        }
    }
    pieces.push(piece);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn berlin(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
        Berlin.with_ymd_and_hms(2026, month, day, h, m, 0).unwrap().with_timezone(&Utc)
    }

    fn span(start: DateTime<Utc>, end: DateTime<Utc>) -> Interval {
        Interval::new(start, end).unwrap()
    }

    fn summary(pieces: &[Piece]) -> Vec<(RateType, f64)> {
        pieces.iter().map(|p| (p.rate, p.hours())).collect()
    }

    #[test]
    fn a_weekday_day_shift_is_all_regular() {
        // Wednesday 4 March 2026.
        let pieces = split(span(berlin(3, 4, 9, 0), berlin(3, 4, 17, 0)), 0.0, &PayRules::default(), Berlin);
        assert_eq!(summary(&pieces), [(RateType::Regular, 8.0)]);
    }

    #[test]
    fn a_night_across_the_autumn_change_pays_the_hour_it_really_lasted() {
        // Saturday 24 to Sunday 25 October 2026, 20:00 to 08:00 local: thirteen hours worked.
        let pieces = split(span(berlin(10, 24, 20, 0), berlin(10, 25, 8, 0)), 0.0, &PayRules::default(), Berlin);
        assert_eq!(summary(&pieces), [(RateType::Weekend, 2.0), (RateType::Night, 9.0), (RateType::Weekend, 2.0)]);
    }

    #[test]
    fn overtime_starts_at_the_threshold_and_the_count_starts_again_on_monday() {
        // 38 hours worked already; Sunday 8 March 20:00 to Monday 9 March 04:00, nights off for clarity.
        let rules = PayRules { night: None, ..PayRules::default() };
        let pieces = split(span(berlin(3, 8, 20, 0), berlin(3, 9, 4, 0)), 38.0, &rules, Berlin);
        assert_eq!(summary(&pieces), [(RateType::Weekend, 2.0), (RateType::Overtime, 2.0), (RateType::Regular, 4.0)]);
    }

    #[test]
    fn an_open_or_empty_period_has_nothing_to_pay() {
        let open = Interval { start: berlin(3, 4, 9, 0), end: None };
        assert!(split(open, 0.0, &PayRules::default(), Berlin).is_empty());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// The pieces tile the period exactly, in order, with no two neighbours of one rate; their
            /// hours add up to the period's; and within one week, overtime is exactly what passes the
            /// threshold.
            #[test]
            fn pieces_tile_the_period_and_overtime_is_what_passes_the_threshold(
                start_minute in 0i64..60 * 24 * 60,
                minutes in 1i64..24 * 60,
                before in 0.0f64..60.0,
                zone in prop::sample::select(vec![chrono_tz::UTC, Berlin, chrono_tz::America::New_York]),
            ) {
                let start = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap() + Duration::minutes(start_minute);
                let worked = span(start, start + Duration::minutes(minutes));
                let rules = PayRules::default();
                let pieces = split(worked, before, &rules, zone);
                prop_assert_eq!(pieces.first().map(|p| p.during.start), Some(worked.start));
                prop_assert_eq!(pieces.last().and_then(|p| p.during.end), worked.end);
                for w in pieces.windows(2) {
                    prop_assert_eq!(w[0].during.end, Some(w[1].during.start));
                    prop_assert_ne!(w[0].rate, w[1].rate);
                }
                let total: f64 = pieces.iter().map(Piece::hours).sum();
                prop_assert!((total - minutes as f64 / 60.0).abs() < 1e-6);
                if week_of(worked.start, zone) == week_of(start + Duration::minutes(minutes - 1), zone) {
                    let overtime: f64 = pieces.iter().filter(|p| p.rate == RateType::Overtime).map(Piece::hours).sum();
                    let expected = (before + minutes as f64 / 60.0 - rules.overtime_weekly_hours).max(0.0).min(minutes as f64 / 60.0);
                    prop_assert!((overtime - expected).abs() < 1e-3, "overtime {} expected {}", overtime, expected);
                }
            }
        }
    }
}
