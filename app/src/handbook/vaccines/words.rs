//! The page in words: a vaccine's name in the person's language, a dose's number and
//! status, days, and what the rules say about a record. The handbook keeps its own few
//! date words (the events module's are not imported): days come from the browser's
//! `Intl` (`browser::format_day`).

use domain::{
    Lang,
    dates::Day,
    handbook::vaccinations::{Status, Warning, rules},
};

use super::plan::Refusal;
use crate::{
    browser,
    components::I18n,
    i18n::{Locale, td_string},
    settings,
};

pub fn lang(i18n: I18n) -> Lang {
    settings::lang(i18n.get_locale())
}

fn locale(lang: Lang) -> Locale {
    settings::locale(lang)
}

/// A vaccine's name from the rules (the id itself if the rules do not know it).
pub fn vaccine_name(id: &str, lang: Lang) -> String {
    rules()
        .vaccine(id)
        .map(|v| match lang {
            Lang::Ja => v.name_ja.clone(),
            Lang::En => v.name_en.clone(),
        })
        .unwrap_or_else(|| id.to_owned())
}

/// 2回目, Dose 2.
pub fn dose_label(n: u8, lang: Lang) -> String {
    let locale = locale(lang);
    td_string!(locale, vaccines_dose, n = n).to_string()
}

/// 2026年12月6日, December 6, 2026.
pub fn day(day: Day, lang: Lang) -> String {
    browser::format_day(&day.to_string(), lang)
}

/// A status in plain words.
pub fn status(status: Status, lang: Lang) -> &'static str {
    let locale = locale(lang);
    match status {
        Status::Done => td_string!(locale, vaccines_status_done),
        Status::Due => td_string!(locale, vaccines_status_due),
        Status::Upcoming => td_string!(locale, vaccines_status_upcoming),
        Status::Overdue => td_string!(locale, vaccines_status_overdue),
        Status::NoLongerEligible => td_string!(locale, vaccines_status_not_eligible),
        Status::NotNeeded => td_string!(locale, vaccines_status_not_needed),
    }
}

/// The class that colours a status's badge (the words say it too).
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Done => "badge good",
        Status::Due => "badge",
        Status::Overdue => "badge alert",
        Status::Upcoming => "badge category",
        Status::NoLongerEligible | Status::NotNeeded => "badge category",
    }
}

/// The recommended window: "from … to …" or "from …".
pub fn window(from: Day, until: Option<Day>, lang: Lang) -> String {
    let locale = locale(lang);
    match until {
        Some(until) => td_string!(
            locale,
            vaccines_window_range,
            from = day(from, lang),
            until = day(until, lang)
        )
        .to_string(),
        None => td_string!(locale, vaccines_window_from, from = day(from, lang)).to_string(),
    }
}

/// Why a record is refused, in a sentence.
pub fn refusal(refusal: &Refusal, lang: Lang) -> String {
    let locale = locale(lang);
    match refusal {
        Refusal::InFuture => td_string!(locale, vaccines_refuse_future).to_string(),
        Refusal::TooYoung { earliest } => td_string!(
            locale,
            vaccines_refuse_too_young,
            day = day(*earliest, lang)
        )
        .to_string(),
        Refusal::Duplicate { given_on } => td_string!(
            locale,
            vaccines_refuse_duplicate,
            day = day(*given_on, lang)
        )
        .to_string(),
        Refusal::NoSuchDose => td_string!(locale, vaccines_refuse_no_such_dose).to_string(),
        Refusal::Invalid => domain::ErrorCode::DoseInvalid.message(lang).to_owned(),
    }
}

/// What the rules say against a record, in a sentence.
pub fn warning(warning: &Warning, lang: Lang) -> String {
    let locale = locale(lang);
    match warning {
        Warning::TooEarly { earliest } => {
            td_string!(locale, vaccines_warn_too_early, day = day(*earliest, lang)).to_string()
        }
        Warning::IntervalTooShort {
            other_dose,
            other_date,
        } => td_string!(
            locale,
            vaccines_warn_interval,
            dose = other_dose,
            day = day(*other_date, lang)
        )
        .to_string(),
        Warning::NotEligible {
            last_eligible: Some(last),
        } => td_string!(locale, vaccines_warn_not_eligible, day = day(*last, lang)).to_string(),
        Warning::NotEligible {
            last_eligible: None,
        } => td_string!(locale, vaccines_warn_never_eligible).to_string(),
        Warning::NotNeeded => td_string!(locale, vaccines_warn_not_needed).to_string(),
        Warning::OtherSeries { chosen } => td_string!(
            locale,
            vaccines_warn_other_series,
            name = vaccine_name(chosen, lang)
        )
        .to_string(),
        Warning::LiveVaccineGap { other, other_date } => td_string!(
            locale,
            vaccines_warn_live_gap,
            name = vaccine_name(other, lang),
            day = day(*other_date, lang)
        )
        .to_string(),
        Warning::ProductNotRoutine => {
            td_string!(locale, vaccines_warn_product_not_routine).to_string()
        }
        Warning::ProductSwitch { started_with } => td_string!(
            locale,
            vaccines_warn_product_switch,
            name = started_with.clone()
        )
        .to_string(),
        Warning::Duplicate { given_on } => refusal(
            &Refusal::Duplicate {
                given_on: *given_on,
            },
            lang,
        ),
        Warning::NoSuchDose => refusal(&Refusal::NoSuchDose, lang),
        Warning::UnknownVaccine | Warning::UnknownProduct => refusal(&Refusal::Invalid, lang),
    }
}
