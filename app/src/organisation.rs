//! The signed-in person's organisation as the screens need it: its name, zone, currency and first weekday.

use leptos::prelude::*;
use mosaic::views::OrganisationView;

#[server(prefix = "/rpc")]
pub async fn this_organisation() -> Result<OrganisationView, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::organisations::settings(&pool, &caller).await.map_err(crate::auth::shown)
}
