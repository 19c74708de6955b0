//! 電子母子手帳: the mother–child health handbook (records arrive with the handbook issue).

use leptos::prelude::*;

use super::ComingSoon;
use crate::i18n::*;

#[component]
pub fn Handbook() -> impl IntoView {
    let i18n = use_i18n();
    let items = move || {
        vec![
            t_string!(i18n, handbook_item_checkups).to_string(),
            t_string!(i18n, handbook_item_growth).to_string(),
            t_string!(i18n, handbook_item_vaccines).to_string(),
            t_string!(i18n, handbook_item_family).to_string(),
        ]
    };
    view! {
        <h1>{t!(i18n, handbook_title)}</h1>
        <p class="lead">{t!(i18n, handbook_lead)}</p>
        {move || view! { <ComingSoon items=items() /> }}
    }
}
