//! Events in words: a category's name, a day, when an event is. The words and their
//! order are the locale files' (`date_*`, `event_when_*`, `board_month_heading`).

use domain::{
    Lang,
    dates::Day,
    events::{Category, Event},
};

use crate::{
    browser,
    components::I18n,
    i18n::{Locale, td_string},
    settings,
};

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

/// A month's name (1 = January): 12, Dec.
fn month_name(month: u32, locale: Locale) -> &'static str {
    match month {
        1 => td_string!(locale, date_month_1),
        2 => td_string!(locale, date_month_2),
        3 => td_string!(locale, date_month_3),
        4 => td_string!(locale, date_month_4),
        5 => td_string!(locale, date_month_5),
        6 => td_string!(locale, date_month_6),
        7 => td_string!(locale, date_month_7),
        8 => td_string!(locale, date_month_8),
        9 => td_string!(locale, date_month_9),
        10 => td_string!(locale, date_month_10),
        11 => td_string!(locale, date_month_11),
        _ => td_string!(locale, date_month_12),
    }
}

/// A weekday's short name (0 = Sunday): 土, Sat.
pub(super) fn weekday_name(weekday: u32, lang: Lang) -> &'static str {
    let locale = settings::locale(lang);
    match weekday % 7 {
        0 => td_string!(locale, date_weekday_0),
        1 => td_string!(locale, date_weekday_1),
        2 => td_string!(locale, date_weekday_2),
        3 => td_string!(locale, date_weekday_3),
        4 => td_string!(locale, date_weekday_4),
        5 => td_string!(locale, date_weekday_5),
        _ => td_string!(locale, date_weekday_6),
    }
}

/// A day in words: 12月5日（土）, Sat 5 Dec.
pub(super) fn day_words(day: Day, lang: Lang) -> String {
    let locale = settings::locale(lang);
    td_string!(
        locale,
        date_day,
        month = month_name(day.month, locale),
        day = day.day,
        weekday = weekday_name(day.weekday(), lang)
    )
    .to_string()
}

/// A month's heading: 2026年12月, Dec 2026.
pub(super) fn month_heading(year: i32, month: u32, lang: Lang) -> String {
    let locale = settings::locale(lang);
    td_string!(
        locale,
        board_month_heading,
        year = year,
        month = month_name(month, locale)
    )
    .to_string()
}

/// When an event is, in words: 12月5日（土） 09:00〜11:30, or over several days; the
/// year only when it is not this year.
pub(super) fn when(event: &Event, lang: Lang) -> String {
    when_seen_on(event, lang, Day::parse(&browser::today()))
}

/// `when` as seen on `today` (none if the phone's date cannot be read: no year then).
fn when_seen_on(event: &Event, lang: Lang, today: Option<Day>) -> String {
    let Some(((start, _), (end, _))) = event.span() else {
        return event.start_date.clone();
    };
    let locale = settings::locale(lang);
    let (first_day, last_day) = (day_words(start, lang), day_words(end, lang));
    let times = match (&event.start_time, &event.end_time) {
        (Some(s), Some(e)) if start == end => td_string!(
            locale,
            event_when_times,
            day = first_day,
            start = s,
            end = e
        )
        .to_string(),
        (Some(s), Some(e)) => td_string!(
            locale,
            event_when_days_times,
            first_day = first_day,
            start = s,
            last_day = last_day,
            end = e
        )
        .to_string(),
        _ if start == end => td_string!(locale, event_when_all_day, day = first_day).to_string(),
        _ => td_string!(
            locale,
            event_when_days,
            first_day = first_day,
            last_day = last_day
        )
        .to_string(),
    };
    if today.is_some_and(|today| today.year != start.year) {
        td_string!(locale, event_when_year, year = start.year, when = times).to_string()
    } else {
        times
    }
}

#[cfg(test)]
mod tests {
    use domain::Lang::{En, Ja};
    use serde_json::json;

    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    /// An event from its dates and times (`None` for an all-day one).
    fn event(start: (&str, Option<&str>), end: (&str, Option<&str>)) -> Event {
        serde_json::from_value(json!({
            "association_id": "a1",
            "title": "防災訓練",
            "category": "disaster_prep",
            "start_date": start.0,
            "start_time": start.1,
            "end_date": end.0,
            "end_time": end.1,
            "venue": "桜台公園",
        }))
        .unwrap()
    }

    #[test]
    fn a_day_in_words() {
        assert_eq!(day_words(day("2026-12-05"), Ja), "12月5日（土）");
        assert_eq!(day_words(day("2026-12-05"), En), "Sat 5 Dec");
        assert_eq!(day_words(day("2027-01-01"), Ja), "1月1日（金）");
        assert_eq!(day_words(day("2027-01-01"), En), "Fri 1 Jan");
        // Every month and weekday: 2026-01-04 is a Sunday; a step of 29 days moves the
        // weekday by one and the month by about one.
        let ja = [
            "1月4日（日）",
            "2月2日（月）",
            "3月3日（火）",
            "4月1日（水）",
            "4月30日（木）",
            "5月29日（金）",
            "6月27日（土）",
            "7月26日（日）",
            "8月24日（月）",
            "9月22日（火）",
            "10月21日（水）",
            "11月19日（木）",
            "12月18日（金）",
        ];
        let en = [
            "Sun 4 Jan",
            "Mon 2 Feb",
            "Tue 3 Mar",
            "Wed 1 Apr",
            "Thu 30 Apr",
            "Fri 29 May",
            "Sat 27 Jun",
            "Sun 26 Jul",
            "Mon 24 Aug",
            "Tue 22 Sep",
            "Wed 21 Oct",
            "Thu 19 Nov",
            "Fri 18 Dec",
        ];
        for (i, (ja, en)) in ja.into_iter().zip(en).enumerate() {
            let d = day("2026-01-04").add_days(29 * i as i64);
            assert_eq!(day_words(d, Ja), ja);
            assert_eq!(day_words(d, En), en);
        }
    }

    #[test]
    fn weekday_names_and_month_headings() {
        let names: Vec<_> = (0..7).map(|w| weekday_name(w, Ja)).collect();
        assert_eq!(names, ["日", "月", "火", "水", "木", "金", "土"]);
        let names: Vec<_> = (0..7).map(|w| weekday_name(w, En)).collect();
        assert_eq!(names, ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]);
        let headings: Vec<_> = (1..=12).map(|m| month_heading(2026, m, Ja)).collect();
        assert_eq!(
            headings,
            [
                "2026年1月",
                "2026年2月",
                "2026年3月",
                "2026年4月",
                "2026年5月",
                "2026年6月",
                "2026年7月",
                "2026年8月",
                "2026年9月",
                "2026年10月",
                "2026年11月",
                "2026年12月",
            ]
        );
        let headings: Vec<_> = (1..=12).map(|m| month_heading(2027, m, En)).collect();
        assert_eq!(
            headings,
            [
                "Jan 2027", "Feb 2027", "Mar 2027", "Apr 2027", "May 2027", "Jun 2027", "Jul 2027",
                "Aug 2027", "Sep 2027", "Oct 2027", "Nov 2027", "Dec 2027",
            ]
        );
    }

    #[test]
    fn when_an_event_is() {
        let today = Some(day("2026-11-27"));
        let cases = [
            // One day, with times.
            (
                event(("2026-12-05", Some("09:00")), ("2026-12-05", Some("11:30"))),
                "12月5日（土） 09:00〜11:30",
                "Sat 5 Dec 09:00–11:30",
            ),
            // Over two days, with times.
            (
                event(("2026-12-05", Some("18:00")), ("2026-12-06", Some("09:00"))),
                "12月5日（土） 18:00〜12月6日（日） 09:00",
                "Sat 5 Dec 18:00–Sun 6 Dec 09:00",
            ),
            // One whole day.
            (
                event(("2026-12-05", None), ("2026-12-05", None)),
                "12月5日（土） 終日",
                "Sat 5 Dec all day",
            ),
            // Several whole days.
            (
                event(("2026-12-05", None), ("2026-12-07", None)),
                "12月5日（土）〜12月7日（月）",
                "Sat 5 Dec–Mon 7 Dec",
            ),
            // Next year: the year first.
            (
                event(("2027-01-09", None), ("2027-01-09", None)),
                "2027年 1月9日（土） 終日",
                "2027 Sat 9 Jan all day",
            ),
            (
                event(("2027-01-09", Some("10:00")), ("2027-01-09", Some("12:00"))),
                "2027年 1月9日（土） 10:00〜12:00",
                "2027 Sat 9 Jan 10:00–12:00",
            ),
            // Starting this year and ending the next: this year's start, no year.
            (
                event(("2026-12-31", None), ("2027-01-01", None)),
                "12月31日（木）〜1月1日（金）",
                "Thu 31 Dec–Fri 1 Jan",
            ),
            // A year before.
            (
                event(("2025-12-30", Some("23:00")), ("2025-12-31", Some("01:00"))),
                "2025年 12月30日（火） 23:00〜12月31日（水） 01:00",
                "2025 Tue 30 Dec 23:00–Wed 31 Dec 01:00",
            ),
            // Not a real span: the start date as written.
            (
                event(("2026-12-05", Some("09:00")), ("2026-12-05", None)),
                "2026-12-05",
                "2026-12-05",
            ),
        ];
        for (event, ja, en) in cases {
            assert_eq!(when_seen_on(&event, Ja, today), ja);
            assert_eq!(when_seen_on(&event, En, today), en);
        }
        // The phone's date unknown: no year.
        let next_year = event(("2027-01-09", None), ("2027-01-09", None));
        assert_eq!(when_seen_on(&next_year, Ja, None), "1月9日（土） 終日");
        assert_eq!(when_seen_on(&next_year, En, None), "Sat 9 Jan all day");
    }
}
