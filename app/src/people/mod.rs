//! `/people`: an administrator's roster of workers ([`roster`]), and the organisation's members and
//! invitations. Inviting someone makes a one-time link, shown once, to send them; an unanswered
//! invitation can be sent again (a new link) or withdrawn, and a member who cannot sign in can be given a
//! link to choose a new password.

mod positions;
mod roster;
mod worker_panel;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::views::people::{InvitationStatus, InvitationView, MemberView};
use serde::{Deserialize, Serialize};

/// Everything the page lists, read at once.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PeopleView {
    pub members: Vec<MemberView>,
    pub invitations: Vec<InvitationView>,
    /// Workers no member is linked to yet, as an invited worker may be.
    pub unlinked_workers: Vec<(String, String)>,
    pub locations: Vec<(String, String)>,
}

#[server(prefix = "/rpc")]
pub async fn load_people() -> Result<PeopleView, ServerFnError> {
    use mosaic::services::{invitations, locations, members, workers};
    let (caller, pool) = crate::auth::signed_in()?;
    let shown = crate::auth::shown;
    let members = members::list(&pool, &caller).await.map_err(shown)?;
    let invitations = invitations::list(&pool, &caller).await.map_err(shown)?;
    let linked: Vec<_> = members
        .iter()
        .filter_map(|m| m.worker_id)
        .chain(invitations.iter().filter(|i| i.status == InvitationStatus::Open).filter_map(|i| i.worker_id))
        .collect();
    let unlinked_workers = workers::search(&pool, &caller, "", 500)
        .await
        .map_err(shown)?
        .into_iter()
        .filter(|w| !linked.contains(&w.id))
        .map(|w| (w.id.to_string(), w.name))
        .collect();
    let locations =
        locations::list(&pool, &caller).await.map_err(shown)?.into_iter().map(|l| (l.id.to_string(), l.name)).collect();
    Ok(PeopleView { members, invitations, unlinked_workers, locations })
}

/// Invites a person; answers the link to send them. (JSON, so an empty list of locations still arrives.)
#[server(prefix = "/rpc", endpoint = "invite_person", input = Json)]
pub async fn invite_person(
    email: String,
    name: String,
    role: String,
    worker_id: Option<String>,
    location_ids: Vec<String>,
) -> Result<String, ServerFnError> {
    use mosaic::services::invitations::{self, NewInvitation};
    let (caller, pool) = crate::auth::signed_in()?;
    let role = mosaic::access::Role::parse(&role)
        .ok_or_else(|| ServerFnError::new("role: must be admin, manager, scheduler or worker"))?;
    let worker_id = match worker_id.filter(|w| !w.is_empty()) {
        Some(w) => Some(w.parse().map_err(|_| ServerFnError::new("worker_id: not a worker id"))?),
        None => None,
    };
    let location_ids = location_ids
        .iter()
        .map(|l| l.parse().map_err(|_| ServerFnError::new("location_ids: not a location id")))
        .collect::<Result<Vec<_>, _>>()?;
    let issued = invitations::invite(&pool, &caller, NewInvitation { email, name, role, worker_id, location_ids })
        .await
        .map_err(crate::auth::shown)?;
    link_to("join", &issued.secret)
}

#[server(prefix = "/rpc")]
pub async fn resend_invitation(id: String) -> Result<String, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let id = id.parse().map_err(|_| ServerFnError::new("id: not an invitation id"))?;
    let issued = mosaic::services::invitations::resend(&pool, &caller, id).await.map_err(crate::auth::shown)?;
    link_to("join", &issued.secret)
}

#[server(prefix = "/rpc")]
pub async fn revoke_invitation(id: String) -> Result<(), ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let id = id.parse().map_err(|_| ServerFnError::new("id: not an invitation id"))?;
    mosaic::services::invitations::revoke(&pool, &caller, id).await.map_err(crate::auth::shown)?;
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn issue_password_link(user_id: String) -> Result<String, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let user = user_id.parse().map_err(|_| ServerFnError::new("user_id: not a member id"))?;
    let issued = mosaic::services::password_links::issue(&pool, &caller, user).await.map_err(crate::auth::shown)?;
    link_to("password", &issued.secret)
}

/// The link's address on the host the request came to.
#[cfg(feature = "ssr")]
fn link_to(page: &str, secret: &str) -> Result<String, ServerFnError> {
    let parts = use_context::<axum::http::request::Parts>().ok_or_else(|| ServerFnError::new("no request to read"))?;
    Ok(crate::links::absolute_url(&parts.headers, &format!("/{page}/{secret}")))
}

/// A link just made, to copy and send: it is shown this once.
#[derive(Clone, Debug, PartialEq)]
struct MadeLink {
    what: String,
    url: String,
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let reads = RwSignal::new(0u32);
    let people = Resource::new(move || reads.get(), |_| load_people());
    let made = RwSignal::new(None::<MadeLink>);
    let notice = RwSignal::new(None::<String>);
    let reload = move || reads.update(|n| *n += 1);
    view! {
        <section class="people" aria-labelledby="people-title">
            <h1 id="people-title">"People"</h1>
            {move || made.get().map(|link| view! { <LinkToSend link/> })}
            <roster::Roster on_imported=reload/>
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
            <Transition fallback=|| view! { <p class="loading">"Loading people…"</p> }>
                {move || Suspend::new(async move {
                    match people.await {
                        Ok(people) => view! {
                            <InviteForm people=people.clone() made notice on_done=reload/>
                            <Invitations invitations=people.invitations made notice on_done=reload/>
                            <Members members=people.members made notice/>
                        }
                        .into_any(),
                        Err(e) => view! { <p class="error" role="alert">{said(e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn said(e: ServerFnError) -> String {
    e.to_string().replace("error running server function: ", "")
}

#[component]
fn LinkToSend(link: MadeLink) -> impl IntoView {
    let url = link.url.clone();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let url = url.clone();
        let clipboard = window().navigator().clipboard();
        spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&url)).await.is_ok() {
                copied.set(true);
            }
        });
    };
    view! {
        <div class="made-link" role="status">
            <p><strong>{link.what}</strong>" Send this link; it is shown only now, works once, and expires in 7 days."</p>
            <div class="link-row">
                <input readonly aria-label="Link to send" value=link.url on:focus=|ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                }/>
                <button type="button" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
            </div>
        </div>
    }
}

#[component]
fn InviteForm(
    people: PeopleView,
    made: RwSignal<Option<MadeLink>>,
    notice: RwSignal<Option<String>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("worker".to_string());
    let worker = RwSignal::new(String::new());
    let chosen_locations = RwSignal::new(Vec::<String>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (email_value, name_value, role_value) = (email.get_untracked(), name.get_untracked(), role.get_untracked());
        let worker_value = (role_value == "worker").then(|| worker.get_untracked()).filter(|w| !w.is_empty());
        let locations = if role_value == "scheduler" { chosen_locations.get_untracked() } else { vec![] };
        spawn_local(async move {
            match invite_person(email_value.clone(), name_value.clone(), role_value, worker_value, locations).await {
                Ok(url) => {
                    notice.set(None);
                    made.set(Some(MadeLink { what: format!("{name_value} is invited ({email_value})."), url }));
                    email.set(String::new());
                    name.set(String::new());
                    on_done();
                }
                Err(e) => notice.set(Some(said(e))),
            }
        });
    };
    let worker_options = people
        .unlinked_workers
        .iter()
        .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> })
        .collect_view();
    let location_boxes = people
        .locations
        .iter()
        .map(|(id, name)| {
            let id = id.clone();
            let toggle = {
                let id = id.clone();
                move |ev| {
                    let on = event_target_checked(&ev);
                    chosen_locations.update(|all| {
                        all.retain(|l| l != &id);
                        if on {
                            all.push(id.clone());
                        }
                    });
                }
            };
            view! { <label class="check"><input type="checkbox" value=id on:change=toggle/>{name.clone()}</label> }
        })
        .collect_view();
    view! {
        <section class="invite" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite someone"</h2>
            <form on:submit=submit>
                <label>"Email"
                    <input type="email" required prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
                <label>"Name"
                    <input required maxlength="200" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label>"Role"
                    <select prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="worker">"Worker — sees and clocks their own shifts"</option>
                        <option value="scheduler">"Scheduler — plans drafts at their locations"</option>
                        <option value="manager">"Manager — publishes, keeps time and pay"</option>
                        <option value="admin">"Administrator — also manages people"</option>
                    </select>
                </label>
                <label hidden=move || role.get() != "worker">"Worker"
                    <select on:change=move |ev| worker.set(event_target_value(&ev))>
                        <option value="">"A new worker, with this name"</option>
                        {worker_options}
                    </select>
                </label>
                <fieldset class="locations" hidden=move || role.get() != "scheduler">
                    <legend>"Plans drafts at"</legend>
                    {location_boxes}
                </fieldset>
                <button type="submit">"Invite"</button>
            </form>
        </section>
    }
}

#[component]
fn Invitations(
    invitations: Vec<InvitationView>,
    made: RwSignal<Option<MadeLink>>,
    notice: RwSignal<Option<String>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if invitations.is_empty() {
        return view! { <section class="invitations"><h2>"Invitations"</h2><p class="empty">"No invitations yet."</p></section> }
            .into_any();
    }
    let rows = invitations
        .into_iter()
        .map(|invitation| {
            let unanswered = matches!(invitation.status, InvitationStatus::Open | InvitationStatus::Expired);
            let (id, who) = (invitation.id.to_string(), format!("{} ({})", invitation.name, invitation.email));
            let resend = {
                let (id, who) = (id.clone(), who.clone());
                move |_| {
                    let (id, who) = (id.clone(), who.clone());
                    spawn_local(async move {
                        match resend_invitation(id).await {
                            Ok(url) => {
                                notice.set(None);
                                made.set(Some(MadeLink {
                                    what: format!("A new link for {who}; the old one no longer works."),
                                    url,
                                }));
                                on_done();
                            }
                            Err(e) => notice.set(Some(said(e))),
                        }
                    });
                }
            };
            let revoke = move |_| {
                let id = id.clone();
                spawn_local(async move {
                    match revoke_invitation(id).await {
                        Ok(()) => on_done(),
                        Err(e) => notice.set(Some(said(e))),
                    }
                });
            };
            let status = match invitation.status {
                InvitationStatus::Open => format!("open until {}", invitation.expires_at.format("%-d %b %Y")),
                InvitationStatus::Expired => "expired".to_string(),
                InvitationStatus::Accepted => "accepted".to_string(),
                InvitationStatus::Revoked => "withdrawn".to_string(),
            };
            view! {
                <tr>
                    <td>{invitation.name}<br/><span class="muted">{invitation.email}</span></td>
                    <td>{invitation.role.as_str()}</td>
                    <td>{status}</td>
                    <td class="actions">
                        {unanswered.then(|| view! {
                            <button type="button" on:click=resend.clone()>"Send again"</button>
                            <button type="button" class="secondary" on:click=revoke.clone()>"Withdraw"</button>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="invitations" aria-labelledby="invitations-title">
            <h2 id="invitations-title">"Invitations"</h2>
            <table>
                <thead><tr><th>"Person"</th><th>"Role"</th><th>"Status"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn Members(members: Vec<MemberView>, made: RwSignal<Option<MadeLink>>, notice: RwSignal<Option<String>>) -> impl IntoView {
    let rows = members
        .into_iter()
        .map(|member| {
            let (id, who) = (member.user_id.to_string(), member.name.clone());
            let link = move |_| {
                let (id, who) = (id.clone(), who.clone());
                spawn_local(async move {
                    match issue_password_link(id).await {
                        Ok(url) => {
                            notice.set(None);
                            made.set(Some(MadeLink { what: format!("A password link for {who}."), url }));
                        }
                        Err(e) => notice.set(Some(said(e))),
                    }
                });
            };
            let role = if member.pending {
                format!("{} (not accepted yet)", member.role.as_str())
            } else {
                member.role.as_str().to_string()
            };
            view! {
                <tr>
                    <td>{member.name}<br/><span class="muted">{member.email}</span></td>
                    <td>{role}</td>
                    <td class="actions"><button type="button" class="secondary" on:click=link>"Password link"</button></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="members" aria-labelledby="members-title">
            <h2 id="members-title">"Members"</h2>
            <table>
                <thead><tr><th>"Person"</th><th>"Role"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
