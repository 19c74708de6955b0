//! Events in words: a category's name, a day, when an event is.

use domain::{
    Lang,
    dates::{Day, weekday_ja},
    events::{Category, Event},
};

use crate::{browser, components::I18n, settings};

pub(super) fn lang(i18n: I18n) -> Lang {
    settings::lang(i18n.get_locale())
}

/// A category's name in the person's language.
pub(super) fn category_name(category: Category, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => category.name_ja(),
        Lang::En => category.name_en(),
    }
}

pub(super) const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub(super) const WEEKDAYS_EN: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// A day in words: 12月6日（土）, Sat 6 Dec.
pub(super) fn day_words(day: Day, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "{}月{}日（{}）",
            day.month,
            day.day,
            weekday_ja(day.weekday())
        ),
        Lang::En => format!(
            "{} {} {}",
            WEEKDAYS_EN[day.weekday() as usize],
            day.day,
            MONTHS_EN[(day.month as usize + 11) % 12]
        ),
    }
}

/// When an event is, in words: 12月6日（土）9:00〜11:30, or over several days.
pub(super) fn when(event: &Event, lang: Lang) -> String {
    let Some(((start, _), (end, _))) = event.span() else {
        return event.start_date.clone();
    };
    let all_day = match lang {
        Lang::Ja => "終日",
        Lang::En => "all day",
    };
    let dash = match lang {
        Lang::Ja => "〜",
        Lang::En => "–",
    };
    let times = match (&event.start_time, &event.end_time) {
        (Some(s), Some(e)) if start == end => format!("{} {s}{dash}{e}", day_words(start, lang)),
        (Some(s), Some(e)) => format!(
            "{} {s}{dash}{} {e}",
            day_words(start, lang),
            day_words(end, lang)
        ),
        _ if start == end => format!("{} {all_day}", day_words(start, lang)),
        _ => format!("{}{dash}{}", day_words(start, lang), day_words(end, lang)),
    };
    if start.year != Day::parse(&browser::today()).map_or(start.year, |d| d.year) {
        format!(
            "{}{} {times}",
            start.year,
            if lang == Lang::Ja { "年" } else { "" }
        )
    } else {
        times
    }
}
