//! The app shell in a real browser (headless Chromium via wasm-bindgen-test-runner):
//! mount it, act as a person would, and check what the page shows.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets effects and the browser's event loop run.
async fn tick() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}

/// A fresh start: no stored settings, at the home page, the app mounted in its own box.
async fn mount_app() -> (Element, impl Drop) {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"))
        .unwrap();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone().unchecked_into(), app::shell::App);
    tick().await;
    (root, handle)
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

/// Clicks what matches `selector`, then lets the app react.
async fn tap(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
    tick().await;
}

#[wasm_bindgen_test]
async fn the_shell_starts_in_japanese_with_the_three_modules_and_a_way_to_settings() {
    let (root, _app) = mount_app().await;
    assert_eq!(text(&root, "main h1"), "ようこそ");
    let nav = text(&root, "nav.bottom-nav");
    for label in ["母子手帳", "イベント", "回覧板", "カレッジ"] {
        assert!(nav.contains(label), "{label} missing from {nav}");
    }
    assert_eq!(text(&root, "header a[href='/settings']"), "設定");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_tap_on_the_bottom_bar_changes_the_page_and_the_address() {
    let (root, _app) = mount_app().await;
    tap(&root, "nav a[href='/events']").await;
    assert_eq!(text(&root, "main h1"), "イベント・回覧板");
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    assert_eq!(path, "/events");
    let current = root
        .query_selector("nav a[aria-current='page']")
        .unwrap()
        .unwrap();
    assert_eq!(current.get_attribute("href").as_deref(), Some("/events"));
    root.remove();
}

#[wasm_bindgen_test]
async fn choosing_english_relabels_the_app_and_is_stored_on_the_device() {
    let (root, _app) = mount_app().await;
    tap(&root, "header a[href='/settings']").await;
    tap(&root, "input[name='language'][value='en']").await;
    assert_eq!(text(&root, "main h1"), "Settings");
    assert!(text(&root, "nav.bottom-nav").contains("Handbook"));
    assert!(text(&root, "p.saved").contains("Saved on this phone"));
    assert_eq!(app::settings::load_lang(), domain::Lang::En);
    root.remove();
}

#[wasm_bindgen_test]
async fn choosing_a_text_size_sets_it_on_the_whole_page() {
    let (root, _app) = mount_app().await;
    tap(&root, "header a[href='/settings']").await;
    tap(&root, "input[name='text-size'][value='extra-large']").await;
    let html = document().document_element().unwrap();
    assert_eq!(
        html.get_attribute("data-text-size").as_deref(),
        Some("extra-large")
    );
    assert_eq!(
        app::settings::load_text_size(),
        domain::settings::TextSize::ExtraLarge
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_task_a_page_started_ends_when_the_page_goes() {
    use leptos::prelude::*;
    use std::{cell::Cell, rc::Rc};

    let ran = Rc::new(Cell::new(false));
    let page = Owner::new();
    page.with(|| {
        let shown = StoredValue::new(1);
        let ran = ran.clone();
        app::tasks::spawn_owned(async move {
            tick().await;
            // Reading a value of a page that has gone would panic here.
            ran.set(shown.get_value() == 1);
        });
    });
    page.cleanup();
    tick().await;
    tick().await;
    assert!(!ran.get(), "the task went on after its page had gone");

    // A page that stays lets its task finish.
    let page = Owner::new();
    page.with(|| {
        let shown = StoredValue::new(1);
        let ran = ran.clone();
        app::tasks::spawn_owned(async move {
            tick().await;
            ran.set(shown.get_value() == 1);
        });
    });
    tick().await;
    tick().await;
    assert!(ran.get(), "the task of a page still shown did not finish");
    drop(page);
}

#[wasm_bindgen_test]
fn a_panic_shows_a_notice_in_the_persons_language_with_a_reload_button() {
    let notice = || document().get_element_by_id(app::crash::NOTICE_ID);
    app::crash::show(domain::Lang::En);
    let shown = notice().expect("the notice is drawn");
    assert_eq!(shown.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        text(&shown, "p"),
        "Something went wrong. Please reload the page."
    );
    assert_eq!(text(&shown, "form button"), "Reload");
    let form = shown.query_selector("form").unwrap().unwrap();
    assert_eq!(form.get_attribute("method").as_deref(), Some("get"));
    let here = web_sys::window().unwrap().location().pathname().unwrap();
    assert_eq!(form.get_attribute("action"), Some(here));
    // A second panic draws no second notice.
    app::crash::show(domain::Lang::Ja);
    assert_eq!(
        document()
            .query_selector_all(&format!("#{}", app::crash::NOTICE_ID))
            .unwrap()
            .length(),
        1
    );
    shown.remove();

    app::crash::show(domain::Lang::Ja);
    let shown = notice().expect("the notice is drawn");
    assert_eq!(
        text(&shown, "p"),
        "問題が起きました。再読み込みしてください。"
    );
    assert_eq!(text(&shown, "form button"), "再読み込みする");
    shown.remove();
}
