//! Thin, failure-tolerant wrappers over the few browser APIs the shell needs. Each
//! returns a plain value instead of a `JsValue` error: a private-mode browser that
//! refuses storage must not break the app. Local storage is reached through `web_sys`
//! itself rather than `gloo-storage`: that crate keeps every value as JSON (the settings
//! are plain text such as `en`, as phones already hold them), and it throws where the
//! browser refuses storage. The document and window come from `gloo-utils` (the app runs
//! only in a window).

use std::{cell::RefCell, rc::Rc};

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

/// Deletes a value from local storage, if storage is available.
pub fn local_remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Every key in local storage.
pub fn local_keys() -> Vec<String> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect()
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
    let _ = gloo_utils::document_element().set_attribute(name, value);
}

pub fn set_title(title: &str) {
    gloo_utils::document().set_title(title);
}

/// The element with this id, if it is one that can take focus.
fn focusable(id: &str) -> Option<HtmlElement> {
    gloo_utils::document()
        .get_element_by_id(id)?
        .dyn_into::<HtmlElement>()
        .ok()
}

/// Moves keyboard and screen-reader focus to the element with this id.
pub fn focus(id: &str) {
    if let Some(element) = focusable(id) {
        let _ = element.focus();
    }
    gloo_utils::window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// True when the app runs from the home screen rather than in a browser tab.
pub fn is_standalone() -> bool {
    window()
        .and_then(|w| w.match_media("(display-mode: standalone)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Moves keyboard and screen-reader focus to a form field, without scrolling the page
/// to its top.
pub fn focus_field(id: &str) {
    if let Some(element) = focusable(id) {
        let _ = element.focus();
    }
}

/// Focuses the first element matching a CSS `selector`, where it is (no scrolling to the
/// top, unlike [`focus`]).
pub fn focus_first(selector: &str) {
    if let Some(element) = gloo_utils::document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// A `performance.mark`: where a timing that benchmarks read starts.
pub fn mark(name: &str) {
    if let Some(performance) = window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A `performance.measure` named `name`, from the latest mark `start` until now.
pub fn measure(name: &str, start: &str) {
    if let Some(performance) = window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark(name, start);
    }
}

/// Runs `work` when the browser is idle (at the latest after `within_ms`), or after a
/// short wait where there is no `requestIdleCallback` (Safari).
pub fn when_idle(within_ms: u32, work: impl FnOnce() + 'static) {
    let window = gloo_utils::window();
    if js_sys::Reflect::has(&window, &"requestIdleCallback".into()).unwrap_or(false) {
        let callback = wasm_bindgen::closure::Closure::once_into_js(work);
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(within_ms);
        let _ = window.request_idle_callback_with_options(callback.unchecked_ref(), &options);
    } else {
        gloo_timers::callback::Timeout::new(within_ms.min(300), work).forget();
    }
}

/// Runs `work` once the page's first content has been painted (the browser's
/// `first-contentful-paint`), or after `within_ms` where that is never reported (a tab
/// opened in the background, a browser without paint timing).
pub fn after_first_paint(within_ms: u32, work: impl FnOnce() + 'static) {
    const FIRST_CONTENT: &str = "first-contentful-paint";
    let work = Rc::new(RefCell::new(Some(work)));
    let run = move || {
        if let Some(work) = work.borrow_mut().take() {
            work();
        }
    };
    let performance = window().and_then(|w| w.performance());
    if performance.is_some_and(|p| p.get_entries_by_name(FIRST_CONTENT).length() > 0) {
        gloo_timers::callback::Timeout::new(0, run).forget();
        return;
    }
    let on_paint = {
        let run = run.clone();
        wasm_bindgen::closure::Closure::<
            dyn FnMut(web_sys::PerformanceObserverEntryList, web_sys::PerformanceObserver),
        >::new(
            move |entries: web_sys::PerformanceObserverEntryList,
                  observer: web_sys::PerformanceObserver| {
                if entries.get_entries_by_name(FIRST_CONTENT).length() > 0 {
                    observer.disconnect();
                    run();
                }
            },
        )
    };
    if let Ok(observer) = web_sys::PerformanceObserver::new(on_paint.as_ref().unchecked_ref()) {
        let options = web_sys::PerformanceObserverInit::new(&js_sys::Array::of1(&"paint".into()));
        observer.observe(&options);
    }
    // Once per page: the observer keeps it until the first paint.
    on_paint.forget();
    gloo_timers::callback::Timeout::new(within_ms, run).forget();
}

/// Today on this phone's calendar, `YYYY-MM-DD`.
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// A calendar day (`YYYY-MM-DD`) in words: 2026年5月1日, May 1, 2026.
pub fn format_day(day: &str, lang: domain::Lang) -> String {
    format_with(day, lang, Style::Day)
}

/// A moment (RFC 3339) in this phone's time zone: 2026年5月1日 14:05.
pub fn format_moment(moment: &str, lang: domain::Lang) -> String {
    format_with(moment, lang, Style::Moment)
}

/// A month (`YYYY-MM`) in words: 2026年11月, November 2026.
pub fn format_month(month: &str, lang: domain::Lang) -> String {
    let day = format!("{month}-01");
    let text = format_with(&day, lang, Style::Month);
    if text == day { month.to_owned() } else { text }
}

/// The three ways the app writes dates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Day,
    Moment,
    Month,
}

impl Style {
    /// `Intl.DateTimeFormat`'s options.
    fn options(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Style::Day => &[("dateStyle", "long"), ("timeZone", "UTC")],
            Style::Moment => &[("dateStyle", "long"), ("timeStyle", "short")],
            Style::Month => &[("year", "numeric"), ("month", "long"), ("timeZone", "UTC")],
        }
    }
}

/// A language and style, with its `Intl.DateTimeFormat`'s bound `format`.
type Format = (domain::Lang, Style, js_sys::Function);

thread_local! {
    /// One `Intl.DateTimeFormat`'s bound `format` per language and style: making one is
    /// what costs (`Date.toLocaleString` with options makes one every call, ~0.1 ms,
    /// which a list of 100 days paid 100 times).
    static FORMATS: std::cell::RefCell<Vec<Format>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn format_with(text: &str, lang: domain::Lang, style: Style) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(text));
    if date.get_time().is_nan() {
        return text.to_owned();
    }
    let format = FORMATS.with(|formats| {
        if let Some((_, _, f)) = formats
            .borrow()
            .iter()
            .find(|(l, s, _)| *l == lang && *s == style)
        {
            return f.clone();
        }
        let options = js_sys::Object::new();
        for (key, value) in style.options() {
            let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
        }
        let locales = js_sys::Array::of1(&lang.tag().into());
        let f = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
        formats.borrow_mut().push((lang, style, f.clone()));
        f
    });
    format
        .call1(&wasm_bindgen::JsValue::NULL, &date)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| text.to_owned())
}

/// The document, if there is one.
pub fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// `n` bytes from the browser's cryptographic random source.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    if let Some(crypto) = window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

/// A random id of 32 hexadecimal digits (128 bits), e.g. this device's sync client id.
pub fn random_hex_id() -> String {
    random_bytes::<16>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new record id: a UUIDv7 from the clock and the random source.
pub fn new_record_id() -> String {
    domain::sync::view::new_record_id(js_sys::Date::now() as u64, random_bytes())
}

/// Offers `text` as a file named `name` to save, made on this phone (no network, and
/// nothing of it in any URL but the Blob's own, revoked soon after).
pub fn save_file(name: &str, mime: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::{JsCast, JsValue};
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = gloo_utils::document()
        .create_element("a")?
        .dyn_into()
        .map_err(JsValue::from)?;
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    gloo_utils::body().append_child(&link)?;
    link.click();
    link.remove();
    // The browser has the file once the click is handled; the URL can go a little later.
    gloo_timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
