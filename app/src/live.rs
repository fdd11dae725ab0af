//! Following the change log from the browser: one `EventSource` on `/api/v1/changes/stream` per screen,
//! starting from the cursor the screen's data was read at. Each change reaches the screen once, in log
//! order; after a drop the browser waits (doubling, with jitter, up to 30 s) and reconnects from the
//! last change it received, so nothing is missed. A screen too far behind is asked to read its data afresh.

use leptos::prelude::*;
use mosaic::views::ChangeView;

/// Whether the screen is following the log, for the badge that says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveStatus {
    Connecting,
    Live,
    /// Connected, but changes others committed are waiting behind a long transaction on the server.
    Delayed,
    /// The stream dropped; the browser is waiting to reconnect.
    Reconnecting,
}

impl LiveStatus {
    pub fn label(self) -> &'static str {
        match self {
            LiveStatus::Connecting => "Connecting…",
            LiveStatus::Live => "Live",
            LiveStatus::Delayed => "Delayed",
            LiveStatus::Reconnecting => "Reconnecting…",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LiveStatus::Connecting => "connecting",
            LiveStatus::Live => "live",
            LiveStatus::Delayed => "delayed",
            LiveStatus::Reconnecting => "reconnecting",
        }
    }
}

/// Says whether the screen is live, and the latest change someone else made.
#[component]
pub fn LiveBadge(status: RwSignal<LiveStatus>, activity: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <p class="live" data-live=move || status.get().as_str()>
            <span class="live-state">{move || status.get().label()}</span>
            <span class="live-activity" aria-live="polite">{move || activity.get()}</span>
        </p>
    }
}

/// Follows the log after `after` for as long as the calling component lives: `on_change` gets each
/// change the user may see, `on_reload` is called when the screen should read its data afresh.
/// Does nothing while rendering on the server.
pub fn follow(
    after: String,
    status: RwSignal<LiveStatus>,
    on_change: impl Fn(ChangeView) + 'static,
    on_reload: impl Fn() + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        let connection = browser::Connection::new(after, status, Box::new(on_change), Box::new(on_reload));
        let held = StoredValue::new_local(Some(connection.clone()));
        // Opened once the page is interactive; effects never run on the server.
        Effect::new(move |_| {
            held.with_value(|c| {
                if let Some(c) = c {
                    browser::open(c);
                }
            })
        });
        on_cleanup(move || {
            held.update_value(|c| {
                if let Some(c) = c.take() {
                    browser::close(&c);
                }
            })
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (after, status, on_change, on_reload);
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::LiveStatus;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Event, EventSource, MessageEvent};
    use mosaic::views::ChangeView;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;

    const FIRST_RETRY_MS: f64 = 500.0;
    const LONGEST_RETRY_MS: f64 = 30_000.0;

    type Listener = Closure<dyn FnMut(Event)>;

    pub struct Connection {
        /// The last cursor received: where a reconnect starts.
        after: RefCell<String>,
        source: RefCell<Option<EventSource>>,
        /// Kept alive while the source is open; dropped on close, which also breaks the cycle through them.
        listeners: RefCell<Vec<Listener>>,
        failures: Cell<u32>,
        closed: Cell<bool>,
        status: RwSignal<LiveStatus>,
        on_change: Box<dyn Fn(ChangeView)>,
        on_reload: Box<dyn Fn()>,
    }

    impl Connection {
        pub fn new(
            after: String,
            status: RwSignal<LiveStatus>,
            on_change: Box<dyn Fn(ChangeView)>,
            on_reload: Box<dyn Fn()>,
        ) -> Rc<Connection> {
            Rc::new(Connection {
                after: RefCell::new(after),
                source: RefCell::new(None),
                listeners: RefCell::new(vec![]),
                failures: Cell::new(0),
                closed: Cell::new(false),
                status,
                on_change,
                on_reload,
            })
        }
    }

    pub fn open(connection: &Rc<Connection>) {
        if connection.closed.get() || connection.source.borrow().is_some() {
            return;
        }
        let url = format!("/api/v1/changes/stream?after={}", connection.after.borrow());
        let Ok(source) = EventSource::new(&url) else {
            return retry_later(connection);
        };
        let mut listeners = vec![];
        let handlers: [(&str, fn(&Rc<Connection>, &MessageEvent)); 5] =
            [("ready", on_ready), ("change", on_change), ("reload", on_reload), ("delayed", on_delayed), ("live", on_live)];
        for (name, handle) in handlers {
            let c = connection.clone();
            let listener: Listener = Closure::new(move |event: Event| {
                if let Ok(message) = event.dyn_into::<MessageEvent>() {
                    let cursor = message.last_event_id();
                    if !cursor.is_empty() {
                        *c.after.borrow_mut() = cursor;
                    }
                    handle(&c, &message);
                }
            });
            let _ = source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
            listeners.push(listener);
        }
        let c = connection.clone();
        let on_error: Listener = Closure::new(move |_: Event| {
            // The browser would reconnect on its own at a fixed pace; Mosaic backs off instead.
            drop_source(&c);
            c.status.set(LiveStatus::Reconnecting);
            retry_later(&c);
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        listeners.push(on_error);
        *connection.source.borrow_mut() = Some(source);
        *connection.listeners.borrow_mut() = listeners;
    }

    pub fn close(connection: &Rc<Connection>) {
        connection.closed.set(true);
        drop_source(connection);
    }

    fn drop_source(connection: &Rc<Connection>) {
        if let Some(source) = connection.source.borrow_mut().take() {
            source.set_onerror(None);
            source.close();
        }
        // Dropping a listener while it runs is not allowed: let the current event finish first.
        let listeners = std::mem::take(&mut *connection.listeners.borrow_mut());
        set_timeout(move || drop(listeners), Duration::ZERO);
    }

    fn retry_later(connection: &Rc<Connection>) {
        let failures = connection.failures.get();
        connection.failures.set(failures.saturating_add(1));
        let ceiling = (FIRST_RETRY_MS * 2f64.powi(failures.min(16) as i32)).min(LONGEST_RETRY_MS);
        // Jitter, so browsers cut off together do not all come back in the same instant.
        let wait = ceiling * (0.5 + js_sys::Math::random() / 2.0);
        let c = connection.clone();
        set_timeout(move || open(&c), Duration::from_millis(wait as u64));
    }

    fn on_ready(connection: &Rc<Connection>, _: &MessageEvent) {
        connection.failures.set(0);
        connection.status.set(LiveStatus::Live);
    }

    fn on_delayed(connection: &Rc<Connection>, _: &MessageEvent) {
        connection.status.set(LiveStatus::Delayed);
    }

    fn on_live(connection: &Rc<Connection>, _: &MessageEvent) {
        connection.status.set(LiveStatus::Live);
    }

    fn on_change(connection: &Rc<Connection>, message: &MessageEvent) {
        let Some(data) = message.data().as_string() else { return };
        match serde_json::from_str::<ChangeView>(&data) {
            Ok(change) => (connection.on_change)(change),
            // A change this bundle cannot read (a newer server): read the screen afresh rather than miss it.
            Err(_) => (connection.on_reload)(),
        }
    }

    fn on_reload(connection: &Rc<Connection>, _: &MessageEvent) {
        (connection.on_reload)();
    }
}
