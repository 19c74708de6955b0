//! Thin, failure-tolerant wrappers over the few browser APIs the shell needs. Each
//! returns a plain value instead of a `JsValue` error: a private-mode browser that
//! refuses storage must not break the app.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, Storage, Window};

pub fn window() -> Option<Window> {
    web_sys::window()
}

fn local_storage() -> Option<Storage> {
    window()?.local_storage().ok().flatten()
}

/// A value from local storage, if storage is available and holds it.
pub fn local_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores a value; false when the browser refused (private mode, quota).
pub fn local_set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// The path of the current address, e.g. `/events`.
pub fn current_path() -> String {
    window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".into())
}

/// Adds an entry to the session history without loading a page.
pub fn push_path(path: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
}

/// What the browser believes about the network (`navigator.onLine`).
pub fn is_online() -> bool {
    window().is_none_or(|w| w.navigator().on_line())
}

/// Sets an attribute on `<html>`.
pub fn set_root_attribute(name: &str, value: &str) {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute(name, value);
    }
}

pub fn set_title(title: &str) {
    if let Some(document) = window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

/// Moves keyboard and screen-reader focus to the element with this id.
pub fn focus(id: &str) {
    if let Some(element) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = element.focus();
    }
    if let Some(w) = window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// True when the app runs from the home screen rather than in a browser tab.
pub fn is_standalone() -> bool {
    window()
        .and_then(|w| w.match_media("(display-mode: standalone)").ok().flatten())
        .is_some_and(|m| m.matches())
}
