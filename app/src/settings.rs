//! The person's own settings (language, text size), kept in local storage on this
//! device only. They are preferences, not records, so they are not synced.

use domain::{Lang, settings::TextSize};

use crate::{browser, i18n::Locale};

const LANG_KEY: &str = "tsunagaru.lang";
const TEXT_SIZE_KEY: &str = "tsunagaru.text-size";
/// Every local storage key that holds a setting; signing out keeps these.
pub const KEYS: [&str; 2] = [LANG_KEY, TEXT_SIZE_KEY];

/// The chosen language; Japanese until the person picks another.
pub fn load_lang() -> Lang {
    browser::local_get(LANG_KEY)
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

/// Remembers the language; false when the browser refused to store it.
pub fn save_lang(lang: Lang) -> bool {
    browser::local_set(LANG_KEY, lang.tag())
}

pub fn load_text_size() -> TextSize {
    browser::local_get(TEXT_SIZE_KEY)
        .and_then(|key| TextSize::from_key(&key))
        .unwrap_or_default()
}

pub fn save_text_size(size: TextSize) -> bool {
    browser::local_set(TEXT_SIZE_KEY, size.key())
}

/// Text size is a CSS concern: `<html data-text-size=…>` sets the root font size.
pub fn apply_text_size(size: TextSize) {
    browser::set_root_attribute("data-text-size", size.key());
}

pub fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Ja => Locale::ja,
        Lang::En => Locale::en,
    }
}

pub fn lang(locale: Locale) -> Lang {
    match locale {
        Locale::ja => Lang::Ja,
        Locale::en => Lang::En,
    }
}
