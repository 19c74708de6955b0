//! カレンダーに入れる: a calendar file of the next days, made on this phone (works with
//! no signal) and saved through a Blob's object URL. The events say only 「お子さんの
//! 予定（つながる）」: no vaccine, no child's name (`ics.rs`).

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::{State, ics, plan};
use crate::{
    form::{FormDone, FormError},
    i18n::*,
};

const FILE_NAME: &str = "tsunagaru.ics";

#[component]
pub fn Calendar(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let done = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let days = Memo::new(move |_| plan::reminder_days(&state.plan.get(), state.today));
    let save = move |_| {
        done.set(None);
        error.set(None);
        let iso = js_sys::Date::new_0().to_iso_string().as_string();
        let Some(stamp) = iso.as_deref().and_then(ics::stamp) else {
            error.set(Some(t_string!(i18n, vaccines_calendar_failed).to_string()));
            return;
        };
        let words = ics::Words {
            summary: t_string!(i18n, vaccines_calendar_summary),
            description: t_string!(i18n, vaccines_calendar_description),
        };
        let text = ics::calendar(
            &days.get_untracked(),
            &state.family.get_value(),
            &stamp,
            &words,
        );
        match download(&text) {
            Ok(()) => done.set(Some(t_string!(i18n, vaccines_calendar_done).to_string())),
            Err(_) => error.set(Some(t_string!(i18n, vaccines_calendar_failed).to_string())),
        }
    };
    view! {
        <section class="card" aria-labelledby="vaccines-calendar-heading">
            <h2 id="vaccines-calendar-heading">{t!(i18n, vaccines_calendar_title)}</h2>
            <Show
                when=move || !days.with(Vec::is_empty)
                fallback=move || view! { <p>{t!(i18n, vaccines_calendar_none)}</p> }
            >
                <p>{t!(i18n, vaccines_calendar_lead)}</p>
                <button type="button" class="button secondary" on:click=save>
                    {t!(i18n, vaccines_calendar_button)}
                </button>
            </Show>
            <FormError error />
            <FormDone done />
        </section>
    }
}

/// Offers `text` as a file to save, without the network.
fn download(text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/calendar;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = gloo_utils::document()
        .create_element("a")?
        .dyn_into()
        .map_err(JsValue::from)?;
    link.set_href(&url);
    link.set_download(FILE_NAME);
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
