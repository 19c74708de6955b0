//! The start page: what the app is, a way into each module, and how to install it.

use leptos::prelude::*;

use crate::routing::Page;
use crate::{i18n::*, routing::Link};

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, home_title)}</h1>
        <p class="lead">{t!(i18n, home_lead)}</p>
        <ul class="module-list">
            <li><Link page=Page::Handbook class="module-link">{t!(i18n, handbook_title)}</Link></li>
            <li><Link page=Page::Events class="module-link">{t!(i18n, events_title)}</Link></li>
            <li><Link page=Page::College class="module-link">{t!(i18n, college_title)}</Link></li>
        </ul>
        <p><Link page=Page::Install class="text-link">{t!(i18n, home_install)}</Link></p>
    }
}
