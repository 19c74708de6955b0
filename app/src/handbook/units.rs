//! What a person types into the handbook's forms (growth, pregnancy), read into whole grams and millimetres,
//! and those written back for the screen. Full-width digits (typed with a Japanese
//! keyboard) are read like ASCII ones.

use domain::handbook::growth::DAYS_PER_MONTH;

/// The text with full-width digits and points made ASCII, spaces trimmed.
fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            c => c,
        })
        .collect()
}

/// A number with at most `decimals` digits after the point, times `10^decimals`:
/// `"49.5"` with 1 is 495. Empty is `Ok(None)`; anything else that is not such a
/// number is `Err(())`.
pub fn parse_scaled(text: &str, decimals: u32) -> Result<Option<u32>, ()> {
    let text = fold(text);
    if text.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 6
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > decimals as usize
        || (text.contains('.') && fraction.is_empty())
    {
        return Err(());
    }
    let scale = 10u32.pow(decimals);
    let whole: u32 = whole.parse().map_err(|_| ())?;
    let padded = format!("{fraction:0<width$}", width = decimals as usize);
    let fraction: u32 = if decimals == 0 {
        0
    } else {
        padded.parse().map_err(|_| ())?
    };
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction))
        .map(Some)
        .ok_or(())
}

/// Centimetres with one decimal, as millimetres.
pub fn parse_cm(text: &str) -> Result<Option<u32>, ()> {
    parse_scaled(text, 1)
}

/// Kilograms with up to three decimals, as grams.
pub fn parse_kg(text: &str) -> Result<Option<u32>, ()> {
    parse_scaled(text, 3)
}

/// A whole number (grams, weeks, days).
pub fn parse_whole(text: &str) -> Result<Option<u32>, ()> {
    parse_scaled(text, 0)
}

/// Millimetres as centimetres with one decimal: 495 is `49.5`.
pub fn cm(mm: u32) -> String {
    format!("{}.{}", mm / 10, mm % 10)
}

/// Grams as kilograms, without trailing zeros but with at least one decimal: 7250 is
/// `7.25`, 7000 is `7.0`.
pub fn kg(grams: u32) -> String {
    let fraction = format!("{:03}", grams % 1000);
    let fraction = fraction.trim_end_matches('0');
    let fraction = if fraction.is_empty() { "0" } else { fraction };
    format!("{}.{fraction}", grams / 1000)
}

/// An age in days as whole months and the days after them (months of 30.4375 days, as
/// the reference tables count them).
pub fn months_and_days(days: i64) -> (i64, i64) {
    let months = (days as f64 / DAYS_PER_MONTH).floor() as i64;
    let rest = days - (months as f64 * DAYS_PER_MONTH).round() as i64;
    (months, rest.max(0))
}

/// A centile for the table: whole numbers, `<1` and `>99` at the ends.
pub fn percentile(p: f64) -> String {
    if p < 1.0 {
        "<1".to_owned()
    } else if p > 99.0 {
        ">99".to_owned()
    } else {
        format!("{}", p.round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centimetres_and_kilograms_are_read_into_whole_units() {
        assert_eq!(parse_cm("49.5"), Ok(Some(495)));
        assert_eq!(parse_cm(" 49 "), Ok(Some(490)));
        assert_eq!(parse_cm("４９．５"), Ok(Some(495)));
        assert_eq!(parse_cm(""), Ok(None));
        assert_eq!(parse_cm("49.55"), Err(()));
        assert_eq!(parse_cm("49."), Err(()));
        assert_eq!(parse_cm("-3"), Err(()));
        assert_eq!(parse_cm("abc"), Err(()));
        assert_eq!(parse_kg("7.25"), Ok(Some(7250)));
        assert_eq!(parse_kg("3.125"), Ok(Some(3125)));
        assert_eq!(parse_kg("50"), Ok(Some(50_000)));
        assert_eq!(parse_kg("3.1255"), Err(()));
        assert_eq!(parse_whole("3000"), Ok(Some(3000)));
        assert_eq!(parse_whole("30.5"), Err(()));
        assert_eq!(parse_whole("9999999"), Err(()));
    }

    #[test]
    fn whole_units_are_written_back_as_typed() {
        assert_eq!(cm(495), "49.5");
        assert_eq!(cm(490), "49.0");
        assert_eq!(kg(7250), "7.25");
        assert_eq!(kg(7000), "7.0");
        assert_eq!(kg(3125), "3.125");
        assert_eq!(kg(50), "0.05");
    }

    #[test]
    fn ages_are_months_and_days() {
        assert_eq!(months_and_days(0), (0, 0));
        assert_eq!(months_and_days(45), (1, 15));
        assert_eq!(months_and_days(366), (12, 1));
        assert_eq!(percentile(0.4), "<1");
        assert_eq!(percentile(99.6), ">99");
        assert_eq!(percentile(49.6), "50");
    }
}
