//! The service worker, seen from the page: register `/sw.js`, notice when a new
//! version has been downloaded and is waiting, and switch to it only when the person
//! says so — never mixing two versions of the app in one page.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// What the shell shows about app updates.
#[derive(Clone, Copy)]
pub struct Updates {
    /// A new version is installed and waiting for the person's go-ahead.
    pub ready: RwSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    reload_requested: StoredValue<bool>,
}

impl Updates {
    pub fn new() -> Updates {
        Updates {
            ready: RwSignal::new(false),
            registration: StoredValue::new_local(None),
            reload_requested: StoredValue::new(false),
        }
    }

    /// Registers the service worker (where the browser has them) and starts watching
    /// for updates. Does nothing on browsers without service workers.
    pub fn register(self) {
        let Some(container) = container() else {
            return;
        };
        let on_controller_change = Closure::<dyn FnMut()>::new(move || {
            // Also fires when the very first worker takes control: reload only when asked.
            if self.reload_requested.get_value()
                && let Some(window) = web_sys::window()
            {
                let _ = window.location().reload();
            }
        });
        container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
        on_controller_change.forget();

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
            let on_update_found = {
                let registration = registration.clone();
                Closure::<dyn FnMut()>::new(move || self.watch_installing(&registration))
            };
            registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
            on_update_found.forget();
        });
    }

    fn watch_installing(self, registration: &ServiceWorkerRegistration) {
        let Some(worker) = registration.installing() else {
            return;
        };
        let watched = worker.clone();
        let active = registration.clone();
        let on_state_change = Closure::<dyn FnMut()>::new(move || {
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
        worker.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
        on_state_change.forget();
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
