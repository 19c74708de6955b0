//! How to add the app to the home screen. On iOS this matters most: Safari may evict
//! the storage of sites that are not installed, and with it unsynced records.

use leptos::prelude::*;

use crate::{browser, i18n::*};

#[component]
pub fn Install() -> impl IntoView {
    let i18n = use_i18n();
    let standalone = browser::is_standalone();
    view! {
        <h1>{t!(i18n, install_title)}</h1>
        <Show when=move || standalone>
            <p class="notice" role="status">{t!(i18n, install_done)}</p>
        </Show>
        <p class="lead">{t!(i18n, install_why)}</p>
        <p class="notice">{t!(i18n, install_why_ios)}</p>
        <section class="card" aria-labelledby="install-ios">
            <h2 id="install-ios">{t!(i18n, install_ios_heading)}</h2>
            <ol class="steps">
                <li>{t!(i18n, install_ios_1)}</li>
                <li>{t!(i18n, install_ios_2)}</li>
                <li>{t!(i18n, install_ios_3)}</li>
                <li>{t!(i18n, install_ios_4)}</li>
            </ol>
        </section>
        <section class="card" aria-labelledby="install-android">
            <h2 id="install-android">{t!(i18n, install_android_heading)}</h2>
            <ol class="steps">
                <li>{t!(i18n, install_android_1)}</li>
                <li>{t!(i18n, install_android_2)}</li>
                <li>{t!(i18n, install_android_3)}</li>
                <li>{t!(i18n, install_android_4)}</li>
            </ol>
        </section>
    }
}
