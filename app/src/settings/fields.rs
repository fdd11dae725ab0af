//! The settings form's parts: a number with its unit, the weekend's days, and the message for the field
//! that was refused.

use leptos::prelude::*;
use mosaic::organisation_settings::{OrganisationSettings, WEEKDAYS};

/// The field the server or the browser's own check refused, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    /// The server answers `field: message`.
    pub fn from_error(e: &ServerFnError) -> Problem {
        let text = said(e);
        match text.split_once(": ") {
            Some((field, message)) if !field.contains(' ') => Problem { field: field.into(), message: message.into() },
            _ => Problem { field: String::new(), message: text },
        }
    }

    /// The message with the field named as the form labels it.
    pub fn sentence(&self) -> String {
        match label_of(&self.field) {
            Some(label) => format!("{label}: {}.", self.message),
            None => format!("{}.", capitalised(&self.message)),
        }
    }
}

fn label_of(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "Name",
        "time_zone" => "Time zone",
        "currency" => "Currency",
        "rules.min_rest_hours" => "Least rest between shifts",
        "rules.max_weekly_hours" => "Most hours in a week",
        "rules.break_required_after_hours" => "A break is needed after",
        "rules.min_break_minutes" => "Break of at least",
        "rules.overtime_weekly_hours" => "Overtime after",
        "pay.overtime_multiplier" => "Overtime pays",
        "pay.night_start" => "Night from",
        "pay.night_end" => "Night to",
        "pay.night_multiplier" => "Night pays",
        "pay.weekend_days" => "Weekend days",
        "pay.weekend_multiplier" => "Weekend pays",
        _ => return None,
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub fn said(e: &ServerFnError) -> String {
    e.to_string().replace("error running server function: ", "")
}

/// A number of the settings with its unit; what cannot be read as a number is kept as NaN, which the
/// check refuses by the field's name.
#[component]
pub fn NumberField(
    label: &'static str,
    unit: &'static str,
    field: &'static str,
    step: &'static str,
    draft: RwSignal<OrganisationSettings>,
    problem: RwSignal<Option<Problem>>,
    get: fn(&OrganisationSettings) -> f64,
    set: fn(&mut OrganisationSettings, f64),
) -> impl IntoView {
    let shown = draft.with_untracked(get);
    let input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev).trim().replace(',', ".").parse::<f64>().unwrap_or(f64::NAN);
        draft.update(|d| set(d, value));
    };
    let invalid = move || problem.with(|p| p.as_ref().is_some_and(|p| p.field == field)).then_some("true");
    view! {
        <label class="number">
            <span class="label-text">{label}</span>
            <span class="with-unit">
                <input type="number" inputmode="decimal" step=step value=number(shown) on:input=input aria-invalid=invalid/>
                <span class="unit">{unit}</span>
            </span>
        </label>
    }
}

/// `6`, `1.25`: as a person writes it.
fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The days paid at the weekend rate.
#[component]
pub fn DayBoxes(draft: RwSignal<OrganisationSettings>) -> impl IntoView {
    let boxes = WEEKDAYS
        .iter()
        .map(|(day, name)| {
            let name = name.to_string();
            let checked = {
                let name = name.clone();
                move || draft.with(|d| d.pay.weekend_days.contains(&name))
            };
            let toggle = {
                let name = name.clone();
                move |ev| {
                    let on = event_target_checked(&ev);
                    draft.update(|d| {
                        d.pay.weekend_days.retain(|n| n != &name);
                        if on {
                            d.pay.weekend_days.push(name.clone());
                        }
                    });
                }
            };
            let full = crate::format::weekday_name(*day);
            view! { <label class="check day"><input type="checkbox" prop:checked=checked on:change=toggle/>{full}</label> }
        })
        .collect_view();
    view! {
        <fieldset class="weekend-days">
            <legend>"Weekend days"</legend>
            {boxes}
        </fieldset>
    }
}
