//! 町会・自治会 event board and circulars (the module arrives with the events issue).

use leptos::prelude::*;

use super::ComingSoon;
use crate::i18n::*;

#[component]
pub fn Events() -> impl IntoView {
    let i18n = use_i18n();
    let items = move || {
        vec![
            t_string!(i18n, events_item_browse).to_string(),
            t_string!(i18n, events_item_rsvp).to_string(),
            t_string!(i18n, events_item_circulars).to_string(),
            t_string!(i18n, events_item_calendar).to_string(),
        ]
    };
    view! {
        <h1>{t!(i18n, events_title)}</h1>
        <p class="lead">{t!(i18n, events_lead)}</p>
        {move || view! { <ComingSoon items=items() /> }}
    }
}

#[component]
pub fn EventPage(id: super::Id) -> impl IntoView {
    let _ = id;
    view! { <Events /> }
}

#[component]
pub fn EventNew() -> impl IntoView {
    view! { <Events /> }
}

#[component]
pub fn EventEdit(id: super::Id) -> impl IntoView {
    let _ = id;
    view! { <Events /> }
}
