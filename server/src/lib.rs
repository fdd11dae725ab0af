//! The Mosaic server: configuration, sign-in, the JSON API and the Leptos routes on one axum router.

pub mod auth;
pub mod config;
pub mod http;

use app::state::AppState;
use app::{shell, App};
use axum::middleware;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Every route the server answers: `/api/v1` (JSON), sign-in and the calendar feed, the server-rendered
/// pages, their server functions and the built site's static files — all behind one authentication step.
pub fn router(state: AppState, secure_cookies: bool) -> Router {
    let auth = auth::AuthState { pool: state.pool.clone(), secure_cookies };
    let routes = generate_route_list(App);
    let api = http::api_router(http::ApiState { pool: state.pool.clone() });
    let pages = Router::new()
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .layer(middleware::from_fn(auth::pages_need_sign_in));
    Router::new()
        .nest("/api/v1", api)
        .merge(auth::routes(auth.clone()))
        .merge(pages)
        .layer(middleware::from_fn_with_state(auth, auth::authenticate))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
