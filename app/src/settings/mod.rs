//! `/settings`: the organisation's name, zone, currency and first weekday, the planning rules'
//! thresholds and the pay premiums. Administrators change them; managers and schedulers read them.
//! The browser checks the form with the same rules as the server (`mosaic::organisation_settings`)
//! before it sends it.

mod fields;

use fields::{DayBoxes, NumberField, Problem};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::local_time::WeekStart;
use mosaic::organisation_settings::OrganisationSettings;
use mosaic::views::OrganisationSettingsView;
use serde::{Deserialize, Serialize};

/// The settings, and whether the caller may change them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SettingsPageView {
    pub current: OrganisationSettingsView,
    pub may_change: bool,
}

#[server(prefix = "/rpc")]
pub async fn load_settings() -> Result<SettingsPageView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let current = mosaic::services::organisation_settings::read(&pool, &caller).await.map_err(crate::auth::shown)?;
    let may_change = caller.access.require(mosaic::access::Action::ManageSettings).is_ok();
    Ok(SettingsPageView { current, may_change })
}

#[server(prefix = "/rpc", endpoint = "save_settings", input = Json)]
pub async fn save_settings(
    expected_version: i32,
    settings: OrganisationSettings,
) -> Result<OrganisationSettingsView, ServerFnError> {
    use mosaic::services::organisation_settings::{update, SettingsChange};
    use mosaic::store::DomainError;
    let (caller, pool) = crate::auth::signed_in()?;
    match update(&pool, &caller, SettingsChange { expected_version, settings }, chrono::Utc::now()).await {
        Ok(saved) => Ok(saved),
        Err(DomainError::StaleVersion { .. }) => Err(ServerFnError::new(
            "settings: someone else saved the settings after you opened this page; reload it to see theirs, then change them again",
        )),
        Err(e) => Err(crate::auth::shown(e)),
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_settings());
    view! {
        <section class="settings" aria-labelledby="settings-title">
            <h1 id="settings-title">"Settings"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading settings…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <SettingsForm page/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{fields::said(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SettingsForm(page: SettingsPageView) -> impl IntoView {
    let draft = RwSignal::new(page.current.settings.clone());
    let version = RwSignal::new(page.current.version);
    let problem = RwSignal::new(None::<Problem>);
    let saved = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let may_change = page.may_change;
    let night_on = RwSignal::new(page.current.settings.pay.night_start.is_some());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let mut wanted = draft.get_untracked();
        if !night_on.get_untracked() {
            wanted.pay.night_start = None;
            wanted.pay.night_end = None;
        }
        // The same check the server makes, so a slip is named before anything is sent.
        if let Err(refused) = wanted.checked() {
            problem.set(Some(Problem { field: refused.field.to_string(), message: refused.message }));
            return;
        }
        saving.set(true);
        spawn_local(async move {
            match save_settings(version.get_untracked(), wanted).await {
                Ok(view) => {
                    problem.set(None);
                    let changed = view.version != version.get_untracked();
                    version.set(view.version);
                    night_on.set(view.settings.pay.night_start.is_some());
                    draft.set(view.settings);
                    saved.set(Some(
                        if changed {
                            "Saved. Shifts from this week on are judged by the new rules."
                        } else {
                            "Nothing had changed."
                        }
                        .into(),
                    ));
                }
                Err(e) => problem.set(Some(Problem::from_error(&e))),
            }
            saving.set(false);
        });
    };

    let text = move |get: fn(&OrganisationSettings) -> String, set: fn(&mut OrganisationSettings, String)| {
        (move || draft.with(get), move |ev: leptos::ev::Event| draft.update(|d| set(d, event_target_value(&ev))))
    };
    let (name, set_name) = text(|d| d.name.clone(), |d, v| d.name = v);
    let (currency, set_currency) = text(|d| d.currency.clone(), |d, v| d.currency = v);
    let (zone, set_zone) = text(|d| d.time_zone.clone(), |d, v| d.time_zone = v);
    let (week_start, set_week_start) =
        text(|d| d.week_starts_on.as_str().to_string(), |d, v| d.week_starts_on = WeekStart::parse(&v).unwrap_or_default());
    let (night_start, set_night_start) =
        text(|d| d.pay.night_start.clone().unwrap_or_else(|| "22:00".into()), |d, v| d.pay.night_start = Some(v));
    let (night_end, set_night_end) =
        text(|d| d.pay.night_end.clone().unwrap_or_else(|| "06:00".into()), |d, v| d.pay.night_end = Some(v));
    let invalid =
        move |field: &'static str| move || problem.with(|p| p.as_ref().is_some_and(|p| p.field == field)).then_some("true");
    let initial_zone = page.current.settings.time_zone.clone();

    let organisation = view! {
                <section class="settings-group" aria-labelledby="settings-organisation">
                    <h2 id="settings-organisation">"Organisation"</h2>
                    <label>"Name"
                        <input required maxlength="100" prop:value=name on:input=set_name aria-invalid=invalid("name")/>
                    </label>
                    <label>"Time zone"
                        <select on:change=set_zone prop:value=zone aria-invalid=invalid("time_zone")>
                            {crate::format::zone_options(&initial_zone)}
                        </select>
                        <span class="hint">"Weeks are counted in it; each location keeps its own zone for its shifts."</span>
                    </label>
                    <label>"Currency"
                        <input required maxlength="3" autocapitalize="characters" prop:value=currency on:input=set_currency
                            aria-invalid=invalid("currency")/>
                        <span class="hint">"Three letters, such as EUR. Pay rates without their own currency use it."</span>
                    </label>
                    <label>"Weeks start on"
                        <select prop:value=week_start on:change=set_week_start>
                            <option value="monday">"Monday"</option>
                            <option value="sunday">"Sunday"</option>
                        </select>
                        <span class="hint">"The calendar, weekly hours, overtime and timesheets all count from this day."</span>
                    </label>
                </section>
    }
    .into_any();
    let rules = view! {
                <section class="settings-group" aria-labelledby="settings-rules">
                    <h2 id="settings-rules">"Planning rules"</h2>
                    <p class="hint">"Shifts that break these are flagged on the calendar and the conflict board."</p>
                    <NumberField label="Least rest between shifts" unit="hours" field="rules.min_rest_hours" step="0.5" draft problem
                        get=|d| d.rules.min_rest_hours set=|d, v| d.rules.min_rest_hours = v/>
                    <NumberField label="Most hours in a week" unit="hours" field="rules.max_weekly_hours" step="0.5" draft problem
                        get=|d| d.rules.max_weekly_hours set=|d, v| d.rules.max_weekly_hours = v/>
                    <NumberField label="A break is needed after" unit="hours" field="rules.break_required_after_hours" step="0.5" draft problem
                        get=|d| d.rules.break_required_after_hours set=|d, v| d.rules.break_required_after_hours = v/>
                    <NumberField label="Break of at least" unit="minutes" field="rules.min_break_minutes" step="5" draft problem
                        get=|d| d.rules.min_break_minutes set=|d, v| d.rules.min_break_minutes = v/>
                </section>
    }
    .into_any();
    let pay = view! {
                <section class="settings-group" aria-labelledby="settings-pay">
                    <h2 id="settings-pay">"Pay premiums"</h2>
                    <p class="hint">"Multiples of each worker's hourly rate. Overtime wins over night, night over weekend."</p>
                    <NumberField label="Overtime after" unit="hours a week" field="rules.overtime_weekly_hours" step="0.5" draft problem
                        get=|d| d.rules.overtime_weekly_hours set=|d, v| d.rules.overtime_weekly_hours = v/>
                    <NumberField label="Overtime pays" unit="× the rate" field="pay.overtime_multiplier" step="0.05" draft problem
                        get=|d| d.pay.overtime_multiplier set=|d, v| d.pay.overtime_multiplier = v/>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || night_on.get() on:change=move |ev| night_on.set(event_target_checked(&ev))/>
                        "Nights are paid extra"
                    </label>
                    <div class="night" hidden=move || !night_on.get()>
                        <label>"Night from"
                            <input type="time" prop:value=night_start on:input=set_night_start aria-invalid=invalid("pay.night_start")/>
                        </label>
                        <label>"to"
                            <input type="time" prop:value=night_end on:input=set_night_end aria-invalid=invalid("pay.night_end")/>
                        </label>
                        <NumberField label="Night pays" unit="× the rate" field="pay.night_multiplier" step="0.05" draft problem
                            get=|d| d.pay.night_multiplier set=|d, v| d.pay.night_multiplier = v/>
                    </div>
                    <DayBoxes draft/>
                    <NumberField label="Weekend pays" unit="× the rate" field="pay.weekend_multiplier" step="0.05" draft problem
                        get=|d| d.pay.weekend_multiplier set=|d, v| d.pay.weekend_multiplier = v/>
                </section>
    }
    .into_any();
    view! {
        {(!may_change).then(|| view! { <p class="note">"Only administrators change these settings."</p> })}
        <form class="settings-form" on:submit=submit>
            <fieldset disabled=!may_change>
                {organisation}
                {rules}
                {pay}
            </fieldset>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p.sentence()}</p> })}
            {move || saved.get().map(|s| view! { <p class="saved" role="status">{s}</p> })}
            {may_change.then(|| view! {
                <button type="submit" disabled=move || saving.get()>{move || if saving.get() { "Saving…" } else { "Save settings" }}</button>
            })}
        </form>
    }
}
