//! `/sign-up`: creating an organisation and its first administrator. A plain HTML form posted to
//! `/auth/sign-up`, like sign-in, so it works before the WASM loads and the password never passes
//! through page scripts. The server decides whether the page is offered at all (`MOSAIC_SIGNUP`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Currencies offered first; any three-letter code is taken.
const COMMON_CURRENCIES: [&str; 12] = ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD", "JPY"];

/// Whether this server lets a visitor create an organisation now; the sign-in page links here if so.
#[server(prefix = "/rpc")]
pub async fn sign_up_open() -> Result<bool, ServerFnError> {
    let state =
        use_context::<crate::state::AppState>().ok_or_else(|| ServerFnError::new("the server has no application state"))?;
    state.sign_up.allows_now(&state.pool).await.map_err(crate::auth::shown)
}

/// What went wrong with the last attempt, in the words of the field it concerns. The server sends only
/// the field and a code; the text is the page's own.
fn problem(field: &str, error: &str) -> &'static str {
    match (field, error) {
        (_, "email_taken") => "That email already has an account. Use another email for this organisation's administrator.",
        ("organisation_name", _) => "Give the organisation a name of 1 to 100 characters.",
        ("time_zone", _) => "Choose a time zone from the list.",
        ("currency", _) => "Give a three-letter currency code, such as EUR or USD.",
        ("admin_name", _) => "Give your name (1 to 200 characters).",
        ("admin_email", _) => "Give an email address like name@example.com.",
        ("admin_password", _) => "Choose a password of at least 12 characters.",
        _ => "Something in the form could not be taken; check each field and try again.",
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let kept = move |name: &str| query.with_untracked(|q| q.get(name).unwrap_or_default());
    let (field, error) = query.with_untracked(|q| (q.get("field").unwrap_or_default(), q.get("error")));
    let message = error.map(|error| problem(&field, &error));
    let invalid = move |name: &'static str| (field == name).then_some("true");
    let chosen_zone = RwSignal::new(kept("time_zone"));
    // Until someone chooses, the zone is the browser's own: the likeliest answer for a business setting
    // itself up from its own office.
    Effect::new(move |_| {
        if chosen_zone.get_untracked().is_empty() {
            chosen_zone.set(browser_time_zone().unwrap_or_else(|| "UTC".to_string()));
        }
    });
    let currency = match kept("currency") {
        c if c.is_empty() => "EUR".to_string(),
        c => c,
    };
    let zones = move || crate::format::zone_options(&chosen_zone.get());
    let sunday_first = kept("week_starts_on") == "sunday";
    view! {
        <section class="sign-in sign-up" aria-labelledby="sign-up-title">
            <h1 id="sign-up-title">"Create your organisation"</h1>
            <p class="lead">"Set up Mosaic for your business. You become its first administrator and can invite everyone else."</p>
            {message.map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <form method="post" action="/auth/sign-up">
                <fieldset>
                    <legend>"Your organisation"</legend>
                    <label>
                        "Name"
                        <input name="organisation_name" required maxlength="100" autocomplete="organization"
                            value=kept("organisation_name") aria-invalid=invalid("organisation_name")/>
                    </label>
                    <label>
                        "Time zone"
                        <select name="time_zone" required aria-invalid=invalid("time_zone")
                            on:change=move |ev| chosen_zone.set(event_target_value(&ev))>
                            {zones}
                        </select>
                        <span class="hint">"Weeks, rest periods, overtime and pay are counted in it. Each location can have its own."</span>
                    </label>
                    <label>
                        "Currency"
                        <input name="currency" required maxlength="3" list="currencies" value=currency
                            autocapitalize="characters" aria-invalid=invalid("currency")/>
                        <datalist id="currencies">
                            {COMMON_CURRENCIES.iter().map(|c| view! { <option value=*c/> }).collect_view()}
                        </datalist>
                    </label>
                    <label>
                        "Weeks start on"
                        <select name="week_starts_on">
                            <option value="monday" selected=!sunday_first>"Monday"</option>
                            <option value="sunday" selected=sunday_first>"Sunday"</option>
                        </select>
                        <span class="hint">"The calendar, weekly hours, overtime and timesheets all count weeks from this day."</span>
                    </label>
                </fieldset>
                <fieldset>
                    <legend>"You, its administrator"</legend>
                    <label>
                        "Your name"
                        <input name="admin_name" required maxlength="200" autocomplete="name"
                            value=kept("admin_name") aria-invalid=invalid("admin_name")/>
                    </label>
                    <label>
                        "Email"
                        <input type="email" name="admin_email" required autocomplete="username"
                            value=kept("admin_email") aria-invalid=invalid("admin_email")/>
                    </label>
                    <label>
                        "Password"
                        <input type="password" name="admin_password" required minlength="12" autocomplete="new-password"
                            aria-invalid=invalid("admin_password")/>
                        <span class="hint">"At least 12 characters."</span>
                    </label>
                </fieldset>
                <button type="submit">"Create organisation"</button>
            </form>
            <p class="switch">"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
        </section>
    }
}

/// The zone the browser runs in (`Intl.DateTimeFormat().resolvedOptions().timeZone`), in the browser only.
fn browser_time_zone() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
        let zone = js_sys::Reflect::get(&options, &"timeZone".into()).ok()?.as_string()?;
        zone.parse::<chrono_tz::Tz>().ok().map(|_| zone)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}
