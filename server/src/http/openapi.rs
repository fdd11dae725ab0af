use super::ApiState;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Mosaic API", description = "Workforce scheduling on a temporal event-participation core."),
    paths(
        super::health::health,
        super::workers::search, super::workers::create, super::workers::show, super::workers::employments_of, super::workers::timeline,
        super::workers::update, super::workers::remove, super::workers::remove_now, super::workers::restore,
        super::locations::update, super::locations::close, super::locations::reopen, super::employments::list,
        super::schedules::set_period,
        super::locations::list, super::locations::create, super::locations::show, super::locations::parent,
        super::locations::children, super::locations::set_parent, super::locations::end_membership,
        super::employments::create, super::employments::show, super::employments::set_end,
        super::schedules::list, super::schedules::create, super::schedules::show, super::schedules::publish, super::schedules::archive, super::schedules::withdraw,
        super::shifts::list, super::shifts::create, super::shifts::copy_week, super::shifts::show, super::shifts::update, super::shifts::cancel, super::shifts::undo,
        super::shifts::add_break, super::shifts::set_breaks, super::shifts::add_work_period, super::shifts::organisation_week,
        super::templates::list, super::templates::create, super::templates::archive, super::templates::plan,
        super::attention::list, super::attention::show, super::attention::board, super::attention::acknowledge,
        super::attention::history, super::attention::cover,
        super::changes::list,
        super::changes::stream,
        super::time_travel::week, super::time_travel::organisation_week,
        super::timekeeping::my_clock, super::timekeeping::clock, super::timekeeping::correct, super::timekeeping::timesheet,
        super::timekeeping::approve, super::timekeeping::team_week, super::timekeeping::approve_several,
        super::pay::rates, super::pay::set_rate, super::pay::rate_on, super::pay::payroll, super::pay::payroll_csv,
        super::me::show, super::me::my_timeline, super::me::list_tokens, super::me::create_token, super::me::revoke_token,
        super::me::renew_calendar_link, super::me::revoke_calendar_link,
        super::members::list, super::members::add, super::members::show, super::members::update, super::members::remove,
        super::invitations::list, super::invitations::invite, super::invitations::resend, super::invitations::revoke,
        super::invitations::password_link,
        super::organisation::show, super::organisation::update,
        super::imports::check, super::imports::import, super::imports::template,
        super::imports::check_shifts, super::imports::import_shifts, super::imports::shifts_template, super::imports::export_week,
        super::positions::list, super::positions::create, super::positions::update, super::positions::retire,
        super::positions::restore, super::positions::set_held,
        super::time_off::list, super::time_off::request, super::time_off::show, super::time_off::approve,
        super::time_off::decline, super::time_off::cancel,
        super::availability::show, super::availability::set_pattern, super::availability::add_exception,
        super::availability::remove_exception,
        super::open_shifts::list, super::open_shifts::offer, super::open_shifts::show, super::open_shifts::withdraw,
        super::open_shifts::claim, super::open_shifts::assign, super::open_shifts::make_open, super::open_shifts::approve,
        super::open_shifts::decline, super::open_shifts::withdraw_claim, super::open_shifts::mine,
        super::swaps::offer, super::swaps::waiting, super::swaps::show, super::swaps::accept, super::swaps::refuse,
        super::swaps::approve, super::swaps::decline, super::swaps::withdraw, super::swaps::mine,
    ),
    modifiers(&BearerTokens),
    security(("bearer" = [])),
    tags(
        (name = "shifts", description = "Plan, move, resize, reassign and cancel shifts"),
        (name = "schedules", description = "A location's plan for a period: draft, published, archived"),
        (name = "me", description = "The caller: their timeline, API tokens and calendar link"),
        (name = "history", description = "Time travel: the schedule as it stood after any change in the log"),
        (name = "timekeeping", description = "Clocking in and out, corrections, timesheets and their approval"),
        (name = "pay", description = "Pay rates over time and the payroll of a pay period"),
        (name = "members", description = "People of the organisation and their roles (administrators)"),
        (name = "people", description = "Workers brought in from a roster file"),
        (name = "availability", description = "When workers can work: weekly patterns and one-off exceptions"),
        (name = "open shifts", description = "Places with no worker yet, offered to eligible workers, and their claims"),
        (name = "swaps", description = "Workers offering their shifts to colleagues, and managers approving the change of hands"),
        (name = "time off", description = "Workers' requests for time off, and managers' decisions"),
        (name = "positions", description = "The organisation's positions, their colours, and who holds which"),
        (name = "organisation", description = "The organisation's settings: zone, currency, first weekday, rules and pay premiums"),
    )
)]
pub struct ApiDoc;

/// Every route but `/health` and this document wants a personal API token (or a browser session).
struct BearerTokens;

impl utoipa::Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token from /me/tokens"))
                    .build(),
            ),
        );
    }
}

pub fn router() -> Router<ApiState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
