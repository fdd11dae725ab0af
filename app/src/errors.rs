//! A server function's refusal as the person should read it.

use leptos::prelude::ServerFnError;

/// The service's message without the server-function framing around it.
pub fn plain(e: &ServerFnError) -> String {
    e.to_string().replace("error running server function: ", "")
}
