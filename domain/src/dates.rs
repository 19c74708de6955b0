//! Calendar days and clock times as the app types them (`YYYY-MM-DD`, `HH:MM`), in
//! Japan's time (Asia/Tokyo has had no daylight saving since 1951, so a local time is
//! UTC+9 all year). Pure arithmetic: no clock is read here.

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// Reads `YYYY-MM-DD`; `None` unless it is a real day between 1900 and 2200.
    pub fn parse(text: &str) -> Option<Day> {
        let b = text.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return None;
        }
        let day = Day {
            year: text[0..4].parse().ok()?,
            month: text[5..7].parse().ok()?,
            day: text[8..10].parse().ok()?,
        };
        let real = (1900..=2200).contains(&day.year)
            && (1..=12).contains(&day.month)
            && (1..=days_in_month(day.year, day.month)).contains(&day.day);
        real.then_some(day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_from_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }

    pub fn add_days(self, days: i64) -> Day {
        Day::from_days(self.days_from_epoch() + days)
    }

    /// The day `months` calendar months later (earlier if negative), as Japanese law counts
    /// ages and periods (年齢計算ニ関スル法律, 民法 143 条): the same day of the month, so
    /// "生後2か月" of a child born 2024-05-15 is 2024-07-15. When that month has no such day,
    /// the period ends on the month's last day and the next period starts the day after, so
    /// the answer is the 1st of the following month: 2024-01-31 plus one month is
    /// 2024-03-01, 2024-02-29 plus twelve months is 2025-03-01.
    pub fn add_months(self, months: i32) -> Day {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(months);
        let year = index.div_euclid(12) as i32;
        let month = index.rem_euclid(12) as u32 + 1;
        if self.day <= days_in_month(year, month) {
            Day {
                year,
                month,
                day: self.day,
            }
        } else if month == 12 {
            Day {
                year: year + 1,
                month: 1,
                day: 1,
            }
        } else {
            Day {
                year,
                month: month + 1,
                day: 1,
            }
        }
    }

    /// 0 = Sunday … 6 = Saturday.
    pub fn weekday(self) -> u32 {
        (self.days_from_epoch() + 4).rem_euclid(7) as u32
    }

    /// The day of a Unix time (milliseconds) in Japan.
    pub fn in_japan(unix_ms: f64) -> Day {
        let days = ((unix_ms / 1000.0 + 9.0 * 3600.0) / 86_400.0).floor() as i64;
        Day::from_days(days)
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Reads `HH:MM` (00:00–23:59) as minutes after midnight.
pub fn parse_time(text: &str) -> Option<u32> {
    let b = text.as_bytes();
    if b.len() != 5 || b[2] != b':' || !b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit) {
        return None;
    }
    let (h, m): (u32, u32) = (text[..2].parse().ok()?, text[3..].parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// `Day` is `YYYY-MM-DD` in JSON wherever it stands (a map's values too), like [`ymd`].
impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ymd::serialize(self, s)
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        ymd::deserialize(d)
    }
}

/// `Day` as `YYYY-MM-DD` in JSON: `#[serde(with = "ymd")]`.
pub mod ymd {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::Day;

    pub fn serialize<S: Serializer>(day: &Day, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(day)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let text = String::deserialize(d)?;
        Day::parse(&text).ok_or_else(|| D::Error::custom("expected YYYY-MM-DD"))
    }
}

/// `Option<Day>` as `YYYY-MM-DD` or absent: `#[serde(default, with = "ymd_option")]`.
pub mod ymd_option {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::Day;

    pub fn serialize<S: Serializer>(day: &Option<Day>, s: S) -> Result<S::Ok, S::Error> {
        match day {
            Some(day) => s.collect_str(day),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Day>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => Day::parse(&text)
                .map(Some)
                .ok_or_else(|| D::Error::custom("expected YYYY-MM-DD")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_real_and_count_from_the_epoch() {
        assert_eq!(Day::parse("2028-02-29").map(|d| d.day), Some(29));
        assert_eq!(Day::parse("2027-02-29"), None);
        assert_eq!(Day::parse("2026-13-01"), None);
        assert_eq!(Day::parse("2026-1-01"), None);
        let d = Day::parse("2026-11-27").unwrap();
        assert_eq!(d.weekday(), 5, "a Friday");
        assert_eq!(Day::from_days(d.days_from_epoch()), d);
        assert_eq!(d.add_days(5).to_string(), "2026-12-02");
        assert_eq!(Day::parse("1970-01-01").unwrap().days_from_epoch(), 0);
        // 2026-11-27 15:30 UTC is already the 28th in Tokyo.
        assert_eq!(Day::in_japan(1_795_793_400_000.0).to_string(), "2026-11-28");
        assert_eq!(parse_time("09:30"), Some(570));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("9:30"), None);
    }

    #[test]
    fn months_keep_the_day_or_roll_to_the_first() {
        let add = |d: &str, m| Day::parse(d).unwrap().add_months(m).to_string();
        assert_eq!(add("2024-05-15", 2), "2024-07-15");
        assert_eq!(add("2024-05-15", 90), "2031-11-15");
        assert_eq!(add("2024-01-31", 1), "2024-03-01");
        assert_eq!(add("2023-01-29", 1), "2023-03-01", "no 29 February in 2023");
        assert_eq!(add("2024-01-29", 1), "2024-02-29");
        assert_eq!(add("2024-02-29", 12), "2025-03-01");
        assert_eq!(add("2024-10-31", 2), "2024-12-31");
        assert_eq!(add("2024-12-31", 2), "2025-03-01");
        assert_eq!(add("2024-11-30", -1), "2024-10-30");
        assert_eq!(add("2024-03-31", 0), "2024-03-31");
    }
}
