//! The organisation's positions on `/people`: each with its colour and how many hold it; adding one,
//! renaming or recolouring it, retiring it and bringing it back.

use super::roster::said;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos::task::spawn_local;
use mosaic::views::positions::PositionView;

#[server(prefix = "/rpc")]
pub async fn load_positions() -> Result<Vec<PositionView>, ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    mosaic::services::positions::list(&pool, &caller).await.map_err(crate::auth::shown)
}

#[server(prefix = "/rpc", endpoint = "add_position", input = Json)]
pub async fn add_position(name: String, colour: String) -> Result<(), ServerFnError> {
    use mosaic::services::positions::{self, NewPosition};
    let (caller, pool) = crate::auth::signed_in()?;
    let colour = Some(colour).filter(|c| !c.trim().is_empty());
    positions::create(&pool, &caller, NewPosition { name, colour }).await.map_err(crate::auth::shown)?;
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "edit_position", input = Json)]
pub async fn edit_position(id: String, version: i32, name: String, colour: String) -> Result<(), ServerFnError> {
    use mosaic::services::positions::{self, PositionPatch};
    let (caller, pool) = crate::auth::signed_in()?;
    let id = crate::forms::parse_id(&id, "position")?;
    let patch = PositionPatch { expected_version: version, name: Some(name), colour: Some(colour) };
    positions::update(&pool, &caller, id, patch).await.map_err(crate::auth::shown)?;
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "retire_position", input = Json)]
pub async fn retire_position(id: String, version: i32, retired: bool) -> Result<(), ServerFnError> {
    let (caller, pool) = crate::auth::signed_in()?;
    let id = crate::forms::parse_id(&id, "position")?;
    mosaic::services::positions::set_retired(&pool, &caller, id, version, retired, chrono::Utc::now())
        .await
        .map_err(crate::auth::shown)?;
    Ok(())
}

/// A position's name on its own colour, as the calendar draws it.
#[component]
pub fn PositionChip(name: String, colour: String) -> impl IntoView {
    let style = format!("background:{colour};color:{}", mosaic::position_colour::text_on(&colour));
    view! { <span class="position-chip" style=style>{name}</span> }
}

/// `on_changed` hears of every change, which the roster's chips and filter follow.
#[component]
pub fn Positions(on_changed: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let reads = RwSignal::new(0u32);
    let positions = Resource::new(move || reads.get(), |_| load_positions());
    let notice = RwSignal::new(None::<String>);
    let settled = move |result: Result<(), ServerFnError>| match result {
        Ok(()) => {
            notice.set(None);
            reads.update(|n| *n += 1);
            on_changed();
        }
        Err(e) => notice.set(Some(said(&e))),
    };
    let name = RwSignal::new(String::new());
    let colour = RwSignal::new(String::new());
    // Until one is picked, the colour the server gives a new position: the palette's next.
    let shown_colour = move || {
        let picked = colour.get();
        if !picked.is_empty() {
            return picked;
        }
        let count = positions.get().and_then(Result::ok).map(|list| list.len()).unwrap_or(0);
        mosaic::position_colour::PALETTE[count % mosaic::position_colour::PALETTE.len()].to_string()
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, c) = (name.get_untracked(), colour.get_untracked());
        spawn_local(async move {
            let result = add_position(n, c).await;
            if result.is_ok() {
                name.set(String::new());
                colour.set(String::new());
            }
            settled(result);
        });
    };
    view! {
        <section class="positions" aria-labelledby="positions-title">
            <h2 id="positions-title">"Positions"</h2>
            <p class="hint">"A shift can ask for a position; only someone who holds it can work it. The calendar draws each shift in its position's colour."</p>
            {move || notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
            <Transition fallback=|| view! { <p class="loading">"Loading positions…"</p> }>
                {move || Suspend::new(async move {
                    match positions.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No positions yet."</p> }.into_any(),
                        Ok(list) => {
                            let items = list.into_iter().map(|p| view! { <PositionItem position=p settled/> }).collect_view();
                            view! { <ul class="position-list">{items}</ul> }.into_any()
                        }
                        Err(e) => view! { <p class="error" role="alert">{said(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <form class="inline add-position" on:submit=add>
                <label>"New position"
                    <input required maxlength="80" placeholder="Barista" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label>"Colour"
                    <input type="color" prop:value=shown_colour on:input=move |ev| colour.set(event_target_value(&ev))/>
                </label>
                <button type="submit">"Add position"</button>
            </form>
        </section>
    }
}

#[component]
fn PositionItem(
    position: PositionView,
    settled: impl Fn(Result<(), ServerFnError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let name = RwSignal::new(position.name.clone());
    let colour = RwSignal::new(position.colour.clone());
    let (id, version) = (position.id.to_string(), position.version);
    let retired = position.retired_from.is_some();
    let save = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (id, n, c) = (id.clone(), name.get_untracked(), colour.get_untracked());
            spawn_local(async move { settled(edit_position(id, version, n, c).await) });
        }
    };
    let toggle_retired = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn_local(async move { settled(retire_position(id, version, !retired).await) });
        }
    };
    let holders = match position.holders {
        0 => "nobody holds it yet".to_string(),
        1 => "1 worker holds it".to_string(),
        n => format!("{n} workers hold it"),
    };
    let label = position.name.clone();
    view! {
        <li aria-label=label class:retired=retired>
            <PositionChip name=position.name.clone() colour=position.colour.clone()/>
            <span class="muted">{holders}{retired.then_some(" · retired")}</span>
            <span class="actions">
                <button type="button" class="secondary" on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
                <button type="button" class="secondary" on:click=toggle_retired>{if retired { "Restore" } else { "Retire" }}</button>
            </span>
            {move || editing.get().then(|| view! {
                <form class="inline" on:submit=save.clone()>
                    <label>"Name" <input required maxlength="80" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                    <label>"Colour" <input type="color" prop:value=move || colour.get() on:input=move |ev| colour.set(event_target_value(&ev))/></label>
                    <button type="submit">"Save"</button>
                </form>
            })}
        </li>
    }
}
