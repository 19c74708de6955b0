//! One child's vaccinations: the schedule from the rules in `domain` and the doses
//! given. (Being built: see issue 16.)

use leptos::prelude::*;

use crate::i18n::*;

/// `/handbook/{family}/vaccines`.
#[component]
pub fn ChildVaccines(family: String) -> impl IntoView {
    let i18n = use_i18n();
    let _ = family;
    view! { <h1>{t!(i18n, vaccines_title)}</h1> }
}
