//! One child's growth: the birth record (出生時の記録), the measurements and the chart
//! against the reference percentiles. (Being built: see issue 16.)

use leptos::prelude::*;

use crate::i18n::*;

/// `/handbook/{family}/growth`.
#[component]
pub fn ChildGrowth(family: String) -> impl IntoView {
    let i18n = use_i18n();
    let _ = family;
    view! { <h1>{t!(i18n, growth_title)}</h1> }
}
