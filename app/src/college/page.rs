//! つながるカレッジねりま: the community college (arrives with the college issue).

use leptos::prelude::*;

use crate::components::ComingSoon;
use crate::i18n::*;

/// A build label, compiled in only when `TSUNAGARU_COLLEGE_MARK` is set: `cargo xtask test`
/// sets it for a second build whose only change is this module's code, which the update
/// test (e2e/tests/update_chunk.spec.ts) deploys over the first. Unset in every other
/// build, where the heading carries no such attribute.
const BUILD_MARK: Option<&str> = option_env!("TSUNAGARU_COLLEGE_MARK");

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
        <h1 data-build=BUILD_MARK>{t!(i18n, college_title)}</h1>
        <p class="lead">{t!(i18n, college_lead)}</p>
        {move || view! { <ComingSoon items=items() /> }}
    }
}
