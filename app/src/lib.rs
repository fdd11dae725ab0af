#![recursion_limit = "256"]
//! Mosaic's screens: components, routes and the server functions behind them. The same crate renders on
//! the server (`ssr`) and hydrates in the browser (`hydrate`).

pub mod account;
pub mod auth;
pub mod conflicts;
pub mod errors;
pub mod file_import;
pub mod format;
#[cfg(feature = "ssr")]
pub mod forms;
pub mod history;
pub mod links;
pub mod live;
pub mod locations;
pub mod nav;
pub mod organisation;
pub mod people;
pub mod requests;
pub mod settings;
pub mod sign_in;
pub mod sign_up;
#[cfg(feature = "ssr")]
pub mod state;
pub mod timeline;
pub mod timesheets;
pub mod week;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, once the page has hydrated: browser tests wait for this mark.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/mosaic.css"/>
        <Title text="Mosaic"/>
        <Router>
            <nav::TopBar/>
            <main>
                <Routes fallback=|| view! { <p class="empty">"Page not found."</p> }>
                    <Route path=path!("") view=week::WeekPage ssr=SsrMode::Async/>
                    <Route path=path!("/me") view=timeline::TimelinePage ssr=SsrMode::Async/>
                    <Route path=path!("/conflicts") view=conflicts::ConflictBoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/requests") view=requests::RequestsPage ssr=SsrMode::Async/>
                    <Route path=path!("/history") view=history::HistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/timesheets") view=timesheets::TimesheetsPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=account::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=sign_in::SignInPage/>
                    <Route path=path!("/sign-up") view=sign_up::SignUpPage/>
                    <Route path=path!("/join/:secret") view=links::JoinPage/>
                    <Route path=path!("/password/:secret") view=links::PasswordLinkPage/>
                    <Route path=path!("/people") view=people::PeoplePage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=settings::SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/locations") view=locations::LocationsPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
