//! Any path the app does not know.

use leptos::prelude::*;

use crate::routing::Page;
use crate::{i18n::*, routing::Link};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, not_found_title)}</h1>
        <p class="lead">{t!(i18n, not_found_lead)}</p>
        <p><Link page=Page::Home class="button">{t!(i18n, not_found_home)}</Link></p>
    }
}
