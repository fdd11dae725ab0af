//! What an administrator may change about their organisation on /settings: its name, zone, currency and
//! the day its weeks start on, the rules' thresholds and the pay premiums. Checked here, field by field,
//! for the form and the API alike; PostgreSQL holds the same ranges (migrations/0014_organisation_settings.sql).

use crate::local_time::WeekStart;
use crate::organisation_setup::{self, Refused};
use crate::payroll::{Multipliers, PayRules};
use crate::rules::Thresholds;
use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// An organisation's settings as the screen shows them and a client sends them back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OrganisationSettings {
    pub name: String,
    /// The IANA zone the organisation's weeks are counted in.
    pub time_zone: String,
    /// Three letters, such as EUR.
    pub currency: String,
    pub week_starts_on: WeekStart,
    pub rules: RuleSettings,
    pub pay: PaySettings,
}

/// The thresholds the planning rules and overtime compare against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RuleSettings {
    /// Least rest between two shifts, hours (0–24).
    pub min_rest_hours: f64,
    /// Most net hours in a week, a warning above it (1–168).
    pub max_weekly_hours: f64,
    /// Hours in a week after which every hour is paid as overtime (1–168).
    pub overtime_weekly_hours: f64,
    /// A shift longer than this many hours needs a break (0–24)…
    pub break_required_after_hours: f64,
    /// …of at least this many minutes in all (0–240).
    pub min_break_minutes: f64,
}

/// Premiums on top of a worker's hourly rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PaySettings {
    /// Local start and end of the night window, `HH:MM`; both absent for no night premium. An end at or
    /// before the start is the next morning.
    pub night_start: Option<String>,
    pub night_end: Option<String>,
    /// Days paid at the weekend rate: `mon` … `sun`.
    pub weekend_days: Vec<String>,
    /// Multiples of the hourly rate (1–10).
    pub night_multiplier: f64,
    pub weekend_multiplier: f64,
    pub overtime_multiplier: f64,
}

pub const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "mon"),
    (Weekday::Tue, "tue"),
    (Weekday::Wed, "wed"),
    (Weekday::Thu, "thu"),
    (Weekday::Fri, "fri"),
    (Weekday::Sat, "sat"),
    (Weekday::Sun, "sun"),
];

/// The short name settings use for a weekday (`sat`).
pub fn weekday_name(day: Weekday) -> &'static str {
    WEEKDAYS.iter().find(|(d, _)| *d == day).map(|(_, name)| *name).unwrap_or("mon")
}

impl OrganisationSettings {
    /// The settings as the rules and pay read them today.
    pub fn of(name: String, time_zone: String, currency: String, thresholds: &Thresholds, pay: &PayRules) -> Self {
        let clock = |t: NaiveTime| t.format("%H:%M").to_string();
        OrganisationSettings {
            name,
            time_zone,
            currency,
            week_starts_on: thresholds.week_starts_on,
            rules: RuleSettings {
                min_rest_hours: thresholds.min_rest_hours,
                max_weekly_hours: thresholds.max_weekly_hours,
                overtime_weekly_hours: pay.overtime_weekly_hours,
                break_required_after_hours: thresholds.break_required_after_hours,
                min_break_minutes: thresholds.min_break_minutes,
            },
            pay: PaySettings {
                night_start: pay.night.map(|(from, _)| clock(from)),
                night_end: pay.night.map(|(_, to)| clock(to)),
                weekend_days: WEEKDAYS
                    .iter()
                    .filter(|(d, _)| pay.weekend.contains(d))
                    .map(|(_, name)| name.to_string())
                    .collect(),
                night_multiplier: pay.multipliers.night,
                weekend_multiplier: pay.multipliers.weekend,
                overtime_multiplier: pay.multipliers.overtime,
            },
        }
    }

    /// The settings made ready to store — trimmed, the currency upper-cased, times as `HH:MM`, weekend
    /// days in week order — or the first field that cannot be accepted.
    pub fn checked(&self) -> Result<OrganisationSettings, Refused> {
        let name =
            organisation_setup::checked_name(&self.name).map_err(|r| Refused { field: "name", message: r.message })?.to_string();
        let time_zone = organisation_setup::checked_time_zone(&self.time_zone)?.name().to_string();
        let currency = organisation_setup::checked_currency(&self.currency)?;
        let r = &self.rules;
        within("rules.min_rest_hours", r.min_rest_hours, 0.0, 24.0, "hours")?;
        within("rules.max_weekly_hours", r.max_weekly_hours, 1.0, 168.0, "hours")?;
        within("rules.overtime_weekly_hours", r.overtime_weekly_hours, 1.0, 168.0, "hours")?;
        within("rules.break_required_after_hours", r.break_required_after_hours, 0.0, 24.0, "hours")?;
        within("rules.min_break_minutes", r.min_break_minutes, 0.0, 240.0, "minutes")?;
        let p = &self.pay;
        within("pay.night_multiplier", p.night_multiplier, 1.0, 10.0, "times the rate")?;
        within("pay.weekend_multiplier", p.weekend_multiplier, 1.0, 10.0, "times the rate")?;
        within("pay.overtime_multiplier", p.overtime_multiplier, 1.0, 10.0, "times the rate")?;
        let blank = |t: &Option<String>| t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let (night_start, night_end) = match (blank(&p.night_start), blank(&p.night_end)) {
            (None, None) => (None, None),
            (Some(from), Some(to)) => {
                let from = clock_time("pay.night_start", &from)?;
                let to = clock_time("pay.night_end", &to)?;
                if from == to {
                    return Err(refused("pay.night_end", "must differ from the night's start"));
                }
                (Some(from), Some(to))
            }
            (Some(_), None) => return Err(refused("pay.night_end", "is needed when the night has a start")),
            (None, Some(_)) => return Err(refused("pay.night_start", "is needed when the night has an end")),
        };
        let mut days = Vec::new();
        for day in &p.weekend_days {
            let Ok(weekday) = day.trim().parse::<Weekday>() else {
                return Err(refused("pay.weekend_days", format!("'{}' is not a day: use mon, tue, … sun", day.trim())));
            };
            days.push(weekday);
        }
        Ok(OrganisationSettings {
            name,
            time_zone,
            currency,
            week_starts_on: self.week_starts_on,
            rules: self.rules.clone(),
            pay: PaySettings {
                night_start,
                night_end,
                weekend_days: WEEKDAYS.iter().filter(|(d, _)| days.contains(d)).map(|(_, n)| n.to_string()).collect(),
                ..self.pay.clone()
            },
        })
    }

    /// The pay rules these settings make (for settings already `checked`).
    pub fn pay_rules(&self) -> PayRules {
        let time = |t: &Option<String>| t.as_deref().and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok());
        PayRules {
            overtime_weekly_hours: self.rules.overtime_weekly_hours,
            week_starts_on: self.week_starts_on,
            night: time(&self.pay.night_start).zip(time(&self.pay.night_end)),
            weekend: WEEKDAYS.iter().filter(|(_, n)| self.pay.weekend_days.iter().any(|d| d == n)).map(|(d, _)| *d).collect(),
            multipliers: Multipliers {
                overtime: self.pay.overtime_multiplier,
                night: self.pay.night_multiplier,
                weekend: self.pay.weekend_multiplier,
            },
        }
    }
}

fn refused(field: &'static str, message: impl Into<String>) -> Refused {
    Refused { field, message: message.into() }
}

fn within(field: &'static str, value: f64, low: f64, high: f64, unit: &str) -> Result<(), Refused> {
    if value.is_finite() && (low..=high).contains(&value) {
        Ok(())
    } else {
        Err(refused(field, format!("must be between {low} and {high} {unit}")))
    }
}

/// `22:00` or `6:30` as `HH:MM`.
fn clock_time(field: &'static str, text: &str) -> Result<String, Refused> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .map(|t| t.format("%H:%M").to_string())
        .map_err(|_| refused(field, format!("'{text}' is not a time of day such as 22:00")))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn defaults() -> OrganisationSettings {
        OrganisationSettings::of(
            "Café Nord".into(),
            "Europe/Berlin".into(),
            "EUR".into(),
            &Thresholds::default(),
            &PayRules::default(),
        )
    }

    #[test]
    fn the_defaults_pass_and_turn_back_into_the_same_pay_rules() {
        let settings = defaults();
        assert_eq!(settings.checked(), Ok(settings.clone()));
        assert_eq!(settings.pay_rules(), PayRules::default());
        assert_eq!(settings.pay.night_start.as_deref(), Some("22:00"));
        assert_eq!(settings.pay.weekend_days, ["sat", "sun"]);
    }

    #[test]
    fn input_is_tidied_as_people_type_it() {
        let mut settings = defaults();
        settings.name = "  Café Nord ".into();
        settings.currency = "chf".into();
        settings.pay.night_start = Some(" 9:30".into());
        settings.pay.night_end = Some("05:00".into());
        settings.pay.weekend_days = vec!["Sunday".into(), "FRI".into()];
        let checked = settings.checked().unwrap();
        assert_eq!(checked.name, "Café Nord");
        assert_eq!(checked.currency, "CHF");
        assert_eq!(checked.pay.night_start.as_deref(), Some("09:30"));
        assert_eq!(checked.pay.weekend_days, ["fri", "sun"]);
        settings.pay.night_start = Some("".into());
        settings.pay.night_end = None;
        assert_eq!(settings.checked().unwrap().pay_rules().night, None);
    }

    #[test]
    fn each_refusal_names_its_field() {
        let field = |change: &dyn Fn(&mut OrganisationSettings)| {
            let mut settings = defaults();
            change(&mut settings);
            settings.checked().err().map(|r| r.field)
        };
        assert_eq!(field(&|s| s.name = " ".into()), Some("name"));
        assert_eq!(field(&|s| s.time_zone = "Mars/Olympus".into()), Some("time_zone"));
        assert_eq!(field(&|s| s.currency = "euro".into()), Some("currency"));
        assert_eq!(field(&|s| s.rules.min_rest_hours = -1.0), Some("rules.min_rest_hours"));
        assert_eq!(field(&|s| s.rules.max_weekly_hours = f64::NAN), Some("rules.max_weekly_hours"));
        assert_eq!(field(&|s| s.rules.overtime_weekly_hours = 169.0), Some("rules.overtime_weekly_hours"));
        assert_eq!(field(&|s| s.rules.min_break_minutes = 241.0), Some("rules.min_break_minutes"));
        assert_eq!(field(&|s| s.pay.night_multiplier = 0.5), Some("pay.night_multiplier"));
        assert_eq!(field(&|s| s.pay.overtime_multiplier = f64::INFINITY), Some("pay.overtime_multiplier"));
        assert_eq!(field(&|s| s.pay.night_start = Some("25:00".into())), Some("pay.night_start"));
        assert_eq!(field(&|s| s.pay.night_end = None), Some("pay.night_end"));
        assert_eq!(field(&|s| s.pay.night_end = Some("22:00".into())), Some("pay.night_end"));
        assert_eq!(field(&|s| s.pay.weekend_days = vec!["someday".into()]), Some("pay.weekend_days"));
    }
}
