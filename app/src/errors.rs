//! A server function's refusal as the person should read it.

use leptos::prelude::ServerFnError;

/// The service's message without the server-function framing around it.
pub fn plain(e: &ServerFnError) -> String {
    e.to_string().replace("error running server function: ", "")
}

/// A form's answer under it: what was done (`true`, read out politely) or why it was refused (an alert).
#[leptos::component]
pub fn FormAnswer(said: leptos::prelude::RwSignal<Option<(bool, String)>>) -> impl leptos::IntoView {
    use leptos::prelude::*;
    move || {
        said.get().map(|(done, said)| {
            if done {
                view! { <p class="notice" role="status">{said}</p> }.into_any()
            } else {
                view! { <p class="error" role="alert">{said}</p> }.into_any()
            }
        })
    }
}
