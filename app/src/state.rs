//! What the server hands to every server function and SSR render. Who is asking is not here: it is
//! decided per request and read with [`crate::auth::signed_in`].

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use mosaic::services::sign_up::SignUpPolicy;
use sqlx::PgPool;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// Who may create an organisation here (`MOSAIC_SIGNUP`).
    pub sign_up: SignUpPolicy,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
