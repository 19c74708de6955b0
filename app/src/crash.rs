//! What a person sees when the app panics: a Rust panic is a bug, but it must not leave a
//! dead page. The panic is logged as before (`console_error_panic_hook`) and a notice in
//! the person's language asks them to reload, with a button that reloads by a plain form
//! submission: it needs no more of the WASM, which may no longer run after the panic.

use domain::Lang;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::{
    browser,
    i18n::{Locale, td_string},
    settings,
};

/// The id of the notice, so that a second panic does not draw a second one.
pub const NOTICE_ID: &str = "crash-notice";

/// Logs every panic and shows the notice.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(settings::load_lang());
    }));
}

/// Draws the notice at the top of the page in `lang`, once.
pub fn show(lang: Lang) {
    let Some(document) = browser::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id(NOTICE_ID).is_some() {
        return;
    }
    let (message, reload) = match lang {
        Lang::Ja => (
            td_string!(Locale::ja, crash_message),
            td_string!(Locale::ja, crash_reload),
        ),
        Lang::En => (
            td_string!(Locale::en, crash_message),
            td_string!(Locale::en, crash_reload),
        ),
    };
    let _ = draw(&document, message, reload);
}

fn draw(document: &Document, message: &str, reload: &str) -> Option<()> {
    let notice = element(
        document,
        "div",
        &[
            ("id", NOTICE_ID),
            ("class", "crash-notice"),
            ("role", "alert"),
        ],
    )?;
    let text = element(document, "p", &[])?;
    text.set_text_content(Some(message));
    // A GET form to this very page: submitting it is a reload the browser does itself.
    let path = browser::window()?.location().pathname().ok()?;
    let form = element(document, "form", &[("method", "get"), ("action", &path)])?;
    let button = element(
        document,
        "button",
        &[("type", "submit"), ("class", "button")],
    )?;
    button.set_text_content(Some(reload));
    form.append_child(&button).ok()?;
    notice.append_child(&text).ok()?;
    notice.append_child(&form).ok()?;
    document.body()?.prepend_with_node_1(&notice).ok()?;
    let button: web_sys::HtmlElement = button.dyn_into().ok()?;
    button.focus().ok()
}

fn element(document: &Document, tag: &str, attributes: &[(&str, &str)]) -> Option<Element> {
    let element = document.create_element(tag).ok()?;
    for (name, value) in attributes {
        element.set_attribute(name, value).ok()?;
    }
    Some(element)
}
