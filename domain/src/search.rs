//! Word search that works for Japanese: no word splitting (Japanese has no spaces), just
//! substring matching on folded text. Folding makes the forms a person may type match
//! the forms written: full-width letters and digits (ＡＢＣ１２３) as half-width,
//! katakana as hiragana (マツリ finds まつり), half-width katakana (ﾏﾂﾘ) as full-width,
//! and Latin letters in lower case. A query of several words (split at spaces, full-width
//! spaces too) matches text that holds every one of them.

/// Half-width katakana U+FF66..=U+FF9D as full-width, in code point order.
const HALF_KANA: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// Text in the form search compares.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{FF66}'..='\u{FF9D}' => {
                let full = HALF_KANA.chars().nth(c as usize - 0xFF66).unwrap_or(c);
                // A following half-width (semi-)voiced mark joins the kana: ｶﾞ → ガ.
                let voices = matches!(full, 'カ'..='ト' | 'ハ'..='ホ' | 'ウ');
                match chars.peek() {
                    Some('\u{FF9E}') if full == 'ウ' => {
                        chars.next();
                        'ヴ'
                    }
                    Some('\u{FF9E}') if voices => {
                        chars.next();
                        char::from_u32(full as u32 + 1).unwrap_or(full)
                    }
                    Some('\u{FF9F}') if matches!(full, 'ハ'..='ホ') => {
                        chars.next();
                        char::from_u32(full as u32 + 2).unwrap_or(full)
                    }
                    _ => full,
                }
            }
            _ => c,
        };
        let c = match c {
            // Katakana ァ..ヶ as hiragana ぁ..ゖ.
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        };
        out.extend(c.to_lowercase());
    }
    out
}

/// The words of a query, folded; empty when the query is only spaces.
pub fn terms(query: &str) -> Vec<String> {
    fold(query).split_whitespace().map(str::to_owned).collect()
}

/// Whether folded text holds every term.
pub fn matches(folded: &str, terms: &[String]) -> bool {
    terms.iter().all(|t| folded.contains(t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_a_person_types_find_the_forms_written() {
        let text = fold("練馬つながるフェスタ２０２６ 桜台ﾏﾂﾘ ｶﾞｰﾃﾞﾝ Park");
        for query in [
            "フェスタ",
            "ふぇすた",
            "2026",
            "まつり",
            "マツリ",
            "がーでん",
            "park",
            "ＰＡＲＫ",
        ] {
            assert!(matches(&text, &terms(query)), "{query}");
        }
        assert!(
            matches(&text, &terms("練馬　桜台")),
            "a full-width space splits words"
        );
        assert!(
            !matches(&text, &terms("練馬 防災")),
            "every word must be there"
        );
        assert!(terms(" 　 ").is_empty());
    }
}
