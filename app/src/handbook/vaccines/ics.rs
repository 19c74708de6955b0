//! The calendar file (.ics, RFC 5545) of the days a child can next be vaccinated, made
//! on the phone. It holds no health data (DESIGN.md: never in calendar files): one
//! all-day event per day with a neutral summary the caller gives — no vaccine, no child's
//! name. Written by hand rather than with the `icalendar` crate: a dozen lines of fixed
//! shape, while the crate brings `chrono` and `uuid` into the WASM and its folding lets
//! a line reach 76 octets (the server folds its output again, `server/src/calendar.rs`).

use domain::dates::Day;

/// What every event in the file says.
pub struct Words<'a> {
    pub summary: &'a str,
    pub description: &'a str,
}

/// The file: one all-day VEVENT per day. `uid_key` makes each event's UID (with the
/// day), so a second download of the same child's days updates the same events;
/// `stamp` is DTSTAMP, UTC as `YYYYMMDDTHHMMSSZ`.
pub fn calendar(days: &[Day], uid_key: &str, stamp: &str, words: &Words) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Tsunagaru//Handbook//JA".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
    ];
    for day in days {
        lines.push("BEGIN:VEVENT".to_owned());
        lines.push(format!("UID:{}-{}@tsunagaru", compact(*day), safe(uid_key)));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", compact(*day)));
        lines.push(format!("DTEND;VALUE=DATE:{}", compact(day.add_days(1))));
        lines.push(format!("SUMMARY:{}", escape(words.summary)));
        lines.push(format!("DESCRIPTION:{}", escape(words.description)));
        lines.push("TRANSP:TRANSPARENT".to_owned());
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line) + "\r\n").collect()
}

/// `YYYYMMDD`.
fn compact(day: Day) -> String {
    format!("{:04}{:02}{:02}", day.year, day.month, day.day)
}

/// Only letters, digits and `-` in a UID's key.
fn safe(key: &str) -> String {
    key.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded (RFC 5545 3.1): no line longer than 75 octets, each
/// continuation starting with one space, never splitting a UTF-8 character.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out
}

/// DTSTAMP from a JavaScript ISO time (`2026-12-06T00:01:02.123Z` → `20261206T000102Z`).
pub fn stamp(iso: &str) -> Option<String> {
    let b = iso.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        iso.get(range.clone())
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
            .map(str::to_owned)
    };
    if b.len() < 20 || b[10] != b'T' || !iso.ends_with('Z') {
        return None;
    }
    Some(format!(
        "{}{}{}T{}{}{}Z",
        digits(0..4)?,
        digits(5..7)?,
        digits(8..10)?,
        digits(11..13)?,
        digits(14..16)?,
        digits(17..19)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    const WORDS: Words = Words {
        summary: "お子さんの予定（つながる）",
        description: "くわしくは、つながるの手帳で確かめてください。",
    };

    #[test]
    fn one_all_day_event_per_day_with_crlf_lines() {
        let text = calendar(
            &[day("2026-12-06"), day("2027-01-31")],
            "0193a6f0-0000-7000-8000-00000000f001",
            "20261206T000102Z",
            &WORDS,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 2);
        assert_eq!(text.matches("END:VEVENT\r\n").count(), 2);
        assert!(text.contains("DTSTART;VALUE=DATE:20261206\r\nDTEND;VALUE=DATE:20261207\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20270131\r\nDTEND;VALUE=DATE:20270201\r\n"));
        assert!(text.contains("UID:20261206-0193a6f0-0000-7000-8000-00000000f001@tsunagaru\r\n"));
        assert!(text.contains("DTSTAMP:20261206T000102Z\r\n"));
        assert!(text.contains("SUMMARY:お子さんの予定（つながる）\r\n"));
        // No bare line feed anywhere.
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    }

    #[test]
    fn no_days_is_a_calendar_without_events() {
        let text = calendar(&[], "x", "20261206T000102Z", &WORDS);
        assert!(!text.contains("VEVENT"));
        assert!(text.contains("END:VCALENDAR"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        let text = calendar(
            &[day("2026-12-06")],
            "k",
            "20261206T000102Z",
            &Words {
                summary: "Your child's appointment, Tsunagaru; see\nthe app",
                description: "",
            },
        );
        assert!(
            text.contains("SUMMARY:Your child's appointment\\, Tsunagaru\\; see\\nthe app\r\n")
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let long = format!("DESCRIPTION:{}", "予防".repeat(40));
        let folded = fold(&long);
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, long);
        assert_eq!(fold("SHORT:line"), "SHORT:line");
        let ascii = "X".repeat(200);
        let folded = fold(&ascii);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.split("\r\n").next().unwrap().len(), 75);
    }

    #[test]
    fn the_stamp_comes_from_an_iso_time() {
        assert_eq!(
            stamp("2026-12-06T00:01:02.123Z").as_deref(),
            Some("20261206T000102Z")
        );
        assert_eq!(stamp("not a time"), None);
        assert_eq!(stamp("2026-12-06T00:01:02.123+09:00"), None);
    }

    #[test]
    fn the_uid_key_keeps_only_safe_characters() {
        let text = calendar(
            &[day("2026-12-06")],
            "a b\r\nc;d",
            "20261206T000102Z",
            &WORDS,
        );
        assert!(text.contains("UID:20261206-abcd@tsunagaru\r\n"));
    }
}
