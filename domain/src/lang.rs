//! The languages the product speaks. Japanese first; English for everyone else.

use serde::{Deserialize, Serialize};

/// A language the app and the API can answer in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The BCP 47 tag, as used in `<html lang>` and in stored settings.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Reads a stored or typed tag such as `ja`, `en-GB` or `EN`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the language for a server answer from an `Accept-Language` header:
    /// the supported language with the highest q-value, Japanese when none matches.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
                best = Some((lang, q));
            }
        }
        best.map(|(lang, _)| lang).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_is_the_default() {
        assert_eq!(Lang::default(), Lang::Ja);
        assert_eq!(Lang::from_accept_language(""), Lang::Ja);
        assert_eq!(Lang::from_accept_language("fr-FR, de;q=0.5"), Lang::Ja);
    }

    #[test]
    fn the_preferred_supported_language_wins() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("ja,en;q=0.8"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("en;q=0.4, ja;q=0.6"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("fr, en-GB;q=0.7"), Lang::En);
    }

    #[test]
    fn a_language_refused_with_q_zero_is_never_chosen() {
        assert_eq!(Lang::from_accept_language("en;q=0, ja;q=0.1"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("ja;q=0, en;q=0.1"), Lang::En);
    }

    #[test]
    fn tags_round_trip_and_unknown_tags_are_refused() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("ko"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
