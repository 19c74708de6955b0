//! 設定: language and text size, kept on this device. Every change says that it was
//! saved, in words, so nobody wonders whether it "took".

use domain::{Lang, settings::TextSize};
use leptos::prelude::*;

use crate::routing::Page;
use crate::{i18n::*, routing::Link, settings, sync, tasks::spawn_owned};

#[component]
pub fn Settings() -> impl IntoView {
    let i18n = use_i18n();
    let text_size = RwSignal::new(settings::load_text_size());
    let saved = RwSignal::new(false);

    let choose_lang = move |lang: Lang| {
        i18n.set_locale(settings::locale(lang));
        saved.set(settings::save_lang(lang));
    };
    let choose_size = move |size: TextSize| {
        text_size.set(size);
        settings::apply_text_size(size);
        saved.set(settings::save_text_size(size));
    };
    let size_label = move |size: TextSize| match size {
        TextSize::Standard => t_string!(i18n, size_standard),
        TextSize::Large => t_string!(i18n, size_large),
        TextSize::ExtraLarge => t_string!(i18n, size_extra_large),
    };

    view! {
        <h1>{t!(i18n, settings_title)}</h1>
        <p class="lead">{t!(i18n, settings_lead)}</p>
        <fieldset class="card choices">
            <legend class="choices-title">{t!(i18n, settings_language)}</legend>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    let checked = move || settings::lang(i18n.get_locale()) == lang;
                    view! {
                        <label class="choice" lang=lang.tag()>
                            <input
                                type="radio"
                                name="language"
                                value=lang.tag()
                                prop:checked=checked
                                on:change=move |_| choose_lang(lang)
                            />
                            <span>{move || language_name(i18n, lang)}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        <fieldset class="card choices">
            <legend class="choices-title">{t!(i18n, settings_text_size)}</legend>
            {TextSize::ALL
                .into_iter()
                .map(|size| {
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name="text-size"
                                value=size.key()
                                prop:checked=move || text_size.get() == size
                                on:change=move |_| choose_size(size)
                            />
                            <span>{move || size_label(size)}</span>
                        </label>
                    }
                })
                .collect_view()}
            <p class="sample">{t!(i18n, settings_sample)}</p>
        </fieldset>
        <p class="saved" role="status">
            <Show when=move || saved.get()>{t!(i18n, settings_saved)}</Show>
        </p>
        <StorageUse />
        <p><Link page=Page::Install class="text-link">{t!(i18n, settings_install)}</Link></p>
    }
}

/// この端末のデータ: how much space the app uses, and whether the browser may evict it.
#[component]
fn StorageUse() -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(None::<Option<(f64, bool)>>);
    spawn_owned(async move { state.set(Some(sync::storage_state().await)) });
    // Whole numbers only: `{:.1}` on a float would bring the float formatting code
    // (~5 KB) into the first download for this one line.
    let size = move |bytes: f64| {
        if bytes < 1024.0 * 1024.0 {
            format!("{} KB", (bytes / 1024.0).ceil() as u64)
        } else {
            let tenths = (bytes / (1024.0 * 1024.0 / 10.0)).round() as u64;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    };
    view! {
        <section class="card" aria-labelledby="storage-title" data-testid="storage">
            <h2 id="storage-title">{t!(i18n, storage_title)}</h2>
            {move || match state.get() {
                None => None,
                Some(None) => Some(view! { <p>{t!(i18n, storage_unknown)}</p> }.into_any()),
                Some(Some((used, persisted))) => Some(view! {
                    <p>{t_string!(i18n, storage_used, size = size(used)).to_string()}</p>
                    <p>{if persisted {
                        t_string!(i18n, storage_persistent)
                    } else {
                        t_string!(i18n, storage_not_persistent)
                    }}</p>
                }.into_any()),
            }}
        </section>
    }
}

/// Each language is named in itself (the same in every locale file), so a person can
/// find their own.
fn language_name(i18n: leptos_i18n::I18nContext<Locale>, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => t_string!(i18n, lang_name_ja),
        Lang::En => t_string!(i18n, lang_name_en),
    }
}
