//! Payroll pieces: a worked period cut into the stretches each paid at one rate type — overtime once the
//! worker's hours in the week pass the organisation's threshold, else night or weekend premiums from its
//! rules, else regular. Weeks, days and the night window are the location's wall clock; hours are real
//! elapsed time, so a night across a DST change pays the hour it really lasted.
//!
//! Pure, for the server and the browser (the calendar's cost preview) alike.

use crate::interval::Interval;
use crate::local_time::{local_instant, WeekStart};
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
    /// Hours in a week (local, from `week_starts_on`) after which every hour is overtime.
    pub overtime_weekly_hours: f64,
    pub week_starts_on: WeekStart,
    /// The local night window, e.g. 22:00 to 06:00 (an end at or before the start is the next morning);
    /// `None`: no night premium.
    pub night: Option<(NaiveTime, NaiveTime)>,
    /// Local days paid at the weekend rate.
    pub weekend: Vec<Weekday>,
    pub multipliers: Multipliers,
}

/// What an hour of each premium rate type pays, as a multiple of the worker's hourly rate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Multipliers {
    pub overtime: f64,
    pub night: f64,
    pub weekend: f64,
}

impl Multipliers {
    pub fn of(&self, rate: RateType) -> f64 {
        match rate {
            RateType::Overtime => self.overtime,
            RateType::Night => self.night,
            RateType::Weekend => self.weekend,
            RateType::Regular => 1.0,
        }
    }
}

impl Default for PayRules {
    fn default() -> Self {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        PayRules {
            overtime_weekly_hours: 40.0,
            week_starts_on: WeekStart::Monday,
            night: Some((at(22), at(6))),
            weekend: vec![Weekday::Sat, Weekday::Sun],
            multipliers: Multipliers { overtime: 1.5, night: 1.25, weekend: 1.5 },
        }
    }
}

impl PayRules {
    /// The organisation's rules as `event_types.rules` of `payroll_piece` hold them
    /// (`{"night_start":"22:00","night_end":"06:00","weekend_days":["sat","sun"],"night_multiplier":1.25,…}`),
    /// with the weekly overtime threshold the shift rules keep. What is missing or unreadable keeps the
    /// default; no night window when `night_start` is null.
    pub fn from_rules(rules: &serde_json::Value, overtime_weekly_hours: f64) -> PayRules {
        let mut pay = PayRules { overtime_weekly_hours, ..PayRules::default() };
        let time = |key: &str| rules.get(key).and_then(|v| v.as_str()).and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok());
        if rules.get("night_start").is_some_and(|v| v.is_null()) {
            pay.night = None;
        } else if let (Some(from), Some(to)) = (time("night_start"), time("night_end")) {
            pay.night = Some((from, to));
        }
        if let Some(days) = rules.get("weekend_days").and_then(|v| v.as_array()) {
            pay.weekend = days.iter().filter_map(|d| d.as_str()).filter_map(|d| d.parse::<Weekday>().ok()).collect();
        }
        let number = |key: &str| rules.get(key).and_then(|v| v.as_f64()).filter(|m| m.is_finite() && *m >= 0.0);
        if let Some(m) = number("overtime_multiplier") {
            pay.multipliers.overtime = m;
        }
        if let Some(m) = number("night_multiplier") {
            pay.multipliers.night = m;
        }
        if let Some(m) = number("weekend_multiplier") {
            pay.multipliers.weekend = m;
        }
        pay
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
/// the count starts again on the first day of each local week. An open period has nothing to pay yet.
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
    let mut week = week_of(worked.start, tz, rules.week_starts_on);
    let mut worked_in_week = Duration::milliseconds((hours_before.max(0.0) * 3_600_000.0).round() as i64);
    let mut pieces: Vec<Piece> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if week_of(from, tz, rules.week_starts_on) != week {
            week = week_of(from, tz, rules.week_starts_on);
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

/// The local first day of the week `t` falls in.
fn week_of(t: DateTime<Utc>, tz: Tz, starts: WeekStart) -> NaiveDate {
    starts.first_day_of(t.with_timezone(&tz).date_naive())
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

/// Cents as whole units with two decimals: 123456 is `1234.56`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// A worker's hourly rate over a span, in whole cents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RateSpan {
    pub during: Interval,
    pub hourly_rate_cents: i64,
    pub currency: String,
}

/// A piece with what it costs: its hours at the rate in force, times its rate type's multiplier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PricedPiece {
    pub rate: RateType,
    pub during: Interval,
    pub hourly_rate_cents: i64,
    pub currency: String,
    pub multiplier: f64,
    pub cost_cents: i64,
}

impl PricedPiece {
    pub fn hours(&self) -> f64 {
        Piece { rate: self.rate, during: self.during }.hours()
    }
}

/// Prices pieces at the rate in force over each stretch, cutting a piece where the rate changes (a raise
/// at midnight splits the night that spans it). Cost is rounded to the cent per priced piece.
/// `Err(t)`: no rate is in force at `t`, inside a piece.
pub fn price(pieces: &[Piece], rates: &[RateSpan], multipliers: &Multipliers) -> Result<Vec<PricedPiece>, DateTime<Utc>> {
    let mut priced = Vec::new();
    for piece in pieces {
        let Some(end) = piece.during.end else { continue };
        let mut from = piece.during.start;
        while from < end {
            let rate = rates.iter().find(|r| r.during.contains_instant(from)).ok_or(from)?;
            let to = rate.during.end.map_or(end, |e| e.min(end));
            let multiplier = multipliers.of(piece.rate);
            let millis = (to - from).num_milliseconds() as f64;
            let cost_cents = (millis * rate.hourly_rate_cents as f64 * multiplier / 3_600_000.0).round() as i64;
            priced.push(PricedPiece {
                rate: piece.rate,
                during: Interval { start: from, end: Some(to) },
                hourly_rate_cents: rate.hourly_rate_cents,
                currency: rate.currency.clone(),
                multiplier,
                cost_cents,
            });
            from = to;
        }
    }
    Ok(priced)
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

    #[test]
    fn a_raise_at_midnight_cuts_the_night_that_spans_it_and_premiums_multiply() {
        let rates = [
            RateSpan { during: span(berlin(3, 1, 0, 0), berlin(3, 4, 0, 0)), hourly_rate_cents: 1500, currency: "EUR".into() },
            RateSpan {
                during: Interval { start: berlin(3, 4, 0, 0), end: None },
                hourly_rate_cents: 1800,
                currency: "EUR".into(),
            },
        ];
        // Tuesday 3 March 20:00 to Wednesday 02:00: regular 2 h at 15.00, night 2 h at 15.00 and 2 h at 18.00.
        let pieces = split(span(berlin(3, 3, 20, 0), berlin(3, 4, 2, 0)), 0.0, &PayRules::default(), Berlin);
        let priced = price(&pieces, &rates, &PayRules::default().multipliers).unwrap();
        let seen: Vec<(RateType, f64, i64, i64)> =
            priced.iter().map(|p| (p.rate, p.hours(), p.hourly_rate_cents, p.cost_cents)).collect();
        assert_eq!(
            seen,
            vec![(RateType::Regular, 2.0, 1500, 3000), (RateType::Night, 2.0, 1500, 3750), (RateType::Night, 2.0, 1800, 4500)]
        );
        let before_any_rate = split(span(berlin(2, 27, 20, 0), berlin(2, 27, 22, 0)), 0.0, &PayRules::default(), Berlin);
        assert_eq!(price(&before_any_rate, &rates, &PayRules::default().multipliers), Err(berlin(2, 27, 20, 0)));
    }

    #[test]
    fn rules_are_read_from_the_organisation_s_settings_keeping_defaults_for_what_is_missing() {
        let rules = PayRules::from_rules(
            &serde_json::json!({"night_start": "23:00", "night_end": "05:30", "weekend_days": ["sun"], "night_multiplier": 1.4}),
            38.0,
        );
        assert_eq!(rules.overtime_weekly_hours, 38.0);
        assert_eq!(rules.night, Some((NaiveTime::from_hms_opt(23, 0, 0).unwrap(), NaiveTime::from_hms_opt(5, 30, 0).unwrap())));
        assert_eq!(rules.weekend, vec![Weekday::Sun]);
        assert_eq!(rules.multipliers, Multipliers { overtime: 1.5, night: 1.4, weekend: 1.5 });
        assert_eq!(PayRules::from_rules(&serde_json::json!({"night_start": null}), 40.0).night, None);
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
    fn where_weeks_start_on_sunday_the_count_starts_again_at_sunday_midnight() {
        // 38 hours worked already by Saturday 7 March 20:00; the shift runs to Sunday 8 March 04:00.
        let rules = PayRules { night: None, weekend: vec![], week_starts_on: WeekStart::Sunday, ..PayRules::default() };
        let pieces = split(span(berlin(3, 7, 20, 0), berlin(3, 8, 4, 0)), 38.0, &rules, Berlin);
        assert_eq!(summary(&pieces), [(RateType::Regular, 2.0), (RateType::Overtime, 2.0), (RateType::Regular, 4.0)]);
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
                if week_of(worked.start, zone, rules.week_starts_on) == week_of(start + Duration::minutes(minutes - 1), zone, rules.week_starts_on) {
                    let overtime: f64 = pieces.iter().filter(|p| p.rate == RateType::Overtime).map(Piece::hours).sum();
                    let expected = (before + minutes as f64 / 60.0 - rules.overtime_weekly_hours).max(0.0).min(minutes as f64 / 60.0);
                    prop_assert!((overtime - expected).abs() < 1e-3, "overtime {} expected {}", overtime, expected);
                }
            }
        }
    }
}
