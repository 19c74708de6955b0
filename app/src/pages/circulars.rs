//! 回覧板: an association's circulars, read on the phone (the circulars work fills this).

use leptos::prelude::*;

use super::{ComingSoon, Id};
use crate::i18n::*;

#[component]
pub fn Circulars() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, circulars_title)}</h1>
        {move || view! { <ComingSoon items=vec![t_string!(i18n, events_item_circulars).to_string()] /> }}
    }
}

#[component]
pub fn CircularPage(id: Id) -> impl IntoView {
    let _ = id;
    view! { <Circulars /> }
}
