//! The service worker, seen from the page: register `/sw.js`, notice when a new
//! version has been downloaded and is waiting, and switch to it only when the person
//! says so — never mixing two versions of the app in one page.

use gloo_events::EventListener;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// What the shell shows about app updates.
#[derive(Clone, Copy)]
pub struct Updates {
    /// A new version is installed and waiting for the person's go-ahead.
    pub ready: RwSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    reload_requested: StoredValue<bool>,
    /// The listeners on the worker container, the registration and the worker being
    /// installed; registering again (after sign-out) replaces them.
    listeners: StoredValue<Listeners, LocalStorage>,
}

#[derive(Default)]
struct Listeners {
    controller_change: Option<EventListener>,
    update_found: Option<EventListener>,
    state_change: Option<EventListener>,
}

impl Updates {
    pub fn new() -> Updates {
        Updates {
            ready: RwSignal::new(false),
            registration: StoredValue::new_local(None),
            reload_requested: StoredValue::new(false),
            listeners: StoredValue::new_local(Listeners::default()),
        }
    }

    /// Registers the service worker (where the browser has them) and starts watching
    /// for updates. Does nothing on browsers without service workers.
    pub fn register(self) {
        let Some(container) = container() else {
            return;
        };
        let on_controller_change = EventListener::new(&container, "controllerchange", move |_| {
            // Also fires when the very first worker takes control: reload only when asked.
            if self.reload_requested.get_value() {
                let _ = gloo_utils::window().location().reload();
            }
        });
        self.listeners
            .update_value(|l| l.controller_change = Some(on_controller_change));

        wasm_bindgen_futures::spawn_local(async move {
            let Ok(registration) = JsFuture::from(container.register("/sw.js")).await else {
                return;
            };
            // Not a registration (a browser or test harness that blocks workers resolves
            // `register` with nothing): no updates to watch.
            let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
                return;
            };
            self.registration.set_value(Some(registration.clone()));
            if registration.waiting().is_some() && container.controller().is_some() {
                self.ready.set(true);
            }
            let watched = registration.clone();
            let on_update_found = EventListener::new(&registration, "updatefound", move |_| {
                self.watch_installing(&watched)
            });
            self.listeners
                .update_value(|l| l.update_found = Some(on_update_found));
        });
    }

    fn watch_installing(self, registration: &ServiceWorkerRegistration) {
        let Some(worker) = registration.installing() else {
            return;
        };
        let watched = worker.clone();
        let active = registration.clone();
        let on_state_change = EventListener::new(&worker, "statechange", move |_| {
            // An update waits beside an active worker of the same registration; a first
            // install (also after sign-out re-registers the worker) does not.
            let has_controller = container().is_some_and(|c| c.controller().is_some());
            if watched.state() == ServiceWorkerState::Installed
                && has_controller
                && active.active().is_some()
            {
                self.ready.set(true);
            }
        });
        self.listeners
            .update_value(|l| l.state_change = Some(on_state_change));
    }

    /// Asks the waiting worker to take over; the page reloads when it has.
    pub fn apply(self) {
        let waiting = self
            .registration
            .with_value(|r| r.as_ref().and_then(ServiceWorkerRegistration::waiting));
        if let Some(worker) = waiting {
            self.reload_requested.set_value(true);
            let _ = worker.post_message(&JsValue::from_str("SKIP_WAITING"));
        }
    }
}

impl Default for Updates {
    fn default() -> Self {
        Updates::new()
    }
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let supported = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).ok()?;
    supported.then(|| navigator.service_worker())
}
