//! The sign-in page: a plain HTML form posted to `/auth/sign-in`, so it works before the WASM loads and
//! the password never passes through page scripts.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let (error, email, next, question, role) = query.with_untracked(|q| {
        (q.get("error"), q.get("email").unwrap_or_default(), q.get("next").unwrap_or_default(), q.get("question"), q.get("role"))
    });
    let message = error.map(|e| match e.as_str() {
        "throttled" => "Too many failed attempts for this account. Wait a quarter of an hour, then try again.",
        "missing" => "Enter your email and password.",
        "not_member" => "Your password is right, but you are not a member of that organisation (or of any, any more).",
        "sign_up_closed" => {
            "New organisations are not created on this server. Ask its operator or your organisation for an invitation."
        }
        _ => "That email and password do not match an account.",
    });
    match question {
        Some(organisation) => view! {
            <MembershipQuestion organisation email next role=role.unwrap_or_default()/>
        }
        .into_any(),
        None => view! {
            <section class="sign-in" aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">"Sign in"</h1>
                {message.map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <form method="post" action="/auth/sign-in">
                    <Credentials email password_label="Password"/>
                    <details class="organisation">
                        <summary>"In more than one organisation?"</summary>
                        <label>
                            "Organisation (leave empty for your first)"
                            <input name="organisation" autocomplete="organization" placeholder="e.g. demo"/>
                        </label>
                    </details>
                    <input type="hidden" name="next" value=next/>
                    <button type="submit">"Sign in"</button>
                </form>
                <SignUpLink/>
            </section>
        }
        .into_any(),
    }
}

/// Asked after a right password when an organisation has added the person: nothing of theirs is shared
/// and nothing is granted until they accept. The password is asked again so that the answer, like the
/// sign-in, proves who gives it (the page holds no session yet).
#[component]
fn MembershipQuestion(organisation: String, email: String, next: String, role: String) -> impl IntoView {
    let role = match role.as_str() {
        "admin" => "an administrator",
        "manager" => "a manager",
        "scheduler" => "a scheduler",
        _ => "a worker",
    };
    let title = format!("Join “{organisation}”?");
    let explanation = format!(
        "The organisation “{organisation}” has added you as {role}. Until you accept, they see only the name they \
         gave you, and you are not part of their organisation."
    );
    view! {
        <section class="sign-in membership-question" aria-labelledby="question-title">
            <h1 id="question-title">{title}</h1>
            <p>{explanation}</p>
            <form method="post" action="/auth/sign-in">
                <Credentials email password_label="Password (again, to answer)"/>
                <input type="hidden" name="organisation" value=organisation/>
                <input type="hidden" name="next" value=next/>
                <div class="answers">
                    <button type="submit" name="answer" value="accept">"Accept and sign in"</button>
                    <button type="submit" name="answer" value="decline" class="secondary">"Decline"</button>
                    <button type="submit" name="answer" value="later" class="secondary">"Not now"</button>
                </div>
            </form>
        </section>
    }
}

/// The email and password fields every sign-in form posts.
#[component]
fn Credentials(email: String, password_label: &'static str) -> impl IntoView {
    view! {
        <label>
            "Email"
            <input type="email" name="email" autocomplete="username" required value=email/>
        </label>
        <label>
            {password_label}
            <input type="password" name="password" autocomplete="current-password" required/>
        </label>
    }
}

/// "Create an organisation", where this server lets a visitor make one.
#[component]
fn SignUpLink() -> impl IntoView {
    let open = Resource::new(|| (), |_| crate::sign_up::sign_up_open());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                open.await.unwrap_or(false).then(|| view! {
                    <p class="switch">"New to Mosaic? " <a href="/sign-up">"Create your organisation"</a></p>
                })
            })}
        </Suspense>
    }
}
