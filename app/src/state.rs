//! What the server hands to every server function and SSR render.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use mosaic::services::Caller;
use sqlx::PgPool;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// Until sign-in exists, every request acts as the demo organisation's administrator.
    pub caller: Caller,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
