//! つながるカレッジねりま: the community college (arrives with the college issue).

use leptos::prelude::*;

use crate::components::ComingSoon;
use crate::i18n::*;

#[component]
pub fn College() -> impl IntoView {
    let i18n = use_i18n();
    let items = move || {
        vec![
            t_string!(i18n, college_item_fields).to_string(),
            t_string!(i18n, college_item_apply).to_string(),
            t_string!(i18n, college_item_attendance).to_string(),
            t_string!(i18n, college_item_matching).to_string(),
        ]
    };
    view! {
        <h1>{t!(i18n, college_title)}</h1>
        <p class="lead">{t!(i18n, college_lead)}</p>
        {move || view! { <ComingSoon items=items() /> }}
    }
}
