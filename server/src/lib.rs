//! The Mosaic server: configuration, the JSON API and the Leptos routes on one axum router.

pub mod config;
pub mod http;

use app::state::AppState;
use app::{shell, App};
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Every route the server answers: `/api/v1` (JSON), the server-rendered pages, their server functions
/// and the built site's static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let api = http::api_router(http::ApiState { pool: state.pool.clone(), caller: state.caller.clone() });
    let pages = Router::new()
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state);
    Router::new().nest("/api/v1", api).merge(pages).layer(CompressionLayer::new()).layer(TraceLayer::new_for_http())
}
