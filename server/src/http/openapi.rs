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
        super::locations::list, super::locations::create, super::locations::show, super::locations::parent,
        super::locations::children, super::locations::set_parent, super::locations::end_membership,
        super::employments::create, super::employments::show, super::employments::set_end,
        super::schedules::list, super::schedules::create, super::schedules::show, super::schedules::publish, super::schedules::archive,
        super::shifts::list, super::shifts::create, super::shifts::show, super::shifts::update, super::shifts::cancel,
        super::shifts::add_break, super::shifts::add_work_period, super::shifts::organisation_week,
        super::attention::list,
        super::changes::list,
    ),
    tags(
        (name = "shifts", description = "Plan, move, resize, reassign and cancel shifts"),
        (name = "schedules", description = "A location's plan for a period: draft, published, archived"),
    )
)]
pub struct ApiDoc;

pub fn router() -> Router<ApiState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
