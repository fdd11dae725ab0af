//! The Mosaic server: configuration, sign-in, the JSON API and the Leptos routes on one axum router.

pub mod auth;
pub mod config;
pub mod http;
pub mod live;
pub mod operator;

use app::state::AppState;
use app::{shell, App};
use axum::middleware;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_http::CompressionLevel;

/// Every route the server answers: `/api/v1` (JSON), sign-in and the calendar feed, the server-rendered
/// pages, their server functions and the built site's static files — all behind one authentication step.
pub fn router(state: AppState, secure_cookies: bool) -> Router {
    let auth = auth::AuthState { pool: state.pool.clone(), secure_cookies, sign_up: state.sign_up };
    let routes = generate_route_list(App);
    let api = http::api_router(http::ApiState { pool: state.pool.clone(), feed: live::Feed::new(state.pool.clone()) });
    let pages = Router::new()
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .layer(middleware::from_fn_with_state(auth.clone(), auth::pages_need_sign_in));
    Router::new()
        .nest("/api/v1", api)
        .merge(auth::routes(auth.clone()))
        .merge(pages)
        .layer(middleware::from_fn_with_state(auth, auth::authenticate))
        // Compressing on the fly at the default level took 300 ms of a 2,000-worker week page (600 ms to
        // the last byte, against 280 ms uncompressed); the fastest level costs ~20 ms for a 1.1 MB rather
        // than 0.74 MB page, and serves the WASM bundle just as quickly.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        // A bug that panics in a handler still answers, with the API's JSON 500, instead of dropping the
        // connection without a word.
        .layer(CatchPanicLayer::custom(http::error::answer_panic))
        .layer(TraceLayer::new_for_http())
}
