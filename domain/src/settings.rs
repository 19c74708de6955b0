//! Settings a person keeps on their own phone (not synced): language and text size.

use serde::{Deserialize, Serialize};

/// The three text sizes offered on the settings page (標準 / 大 / 特大).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextSize {
    #[default]
    Standard,
    Large,
    ExtraLarge,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Standard, TextSize::Large, TextSize::ExtraLarge];

    /// The root font size in CSS pixels. 18 px is the floor for every text on every page.
    pub fn root_px(self) -> u8 {
        match self {
            TextSize::Standard => 18,
            TextSize::Large => 22,
            TextSize::ExtraLarge => 26,
        }
    }

    /// The key used in local storage and in `data-text-size` on `<html>`.
    pub fn key(self) -> &'static str {
        match self {
            TextSize::Standard => "standard",
            TextSize::Large => "large",
            TextSize::ExtraLarge => "extra-large",
        }
    }

    pub fn from_key(key: &str) -> Option<TextSize> {
        TextSize::ALL.into_iter().find(|size| size.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_text_is_eighteen_pixels_and_sizes_only_grow() {
        assert_eq!(TextSize::default().root_px(), 18);
        let px: Vec<u8> = TextSize::ALL.iter().map(|s| s.root_px()).collect();
        assert!(px.windows(2).all(|w| w[0] < w[1]), "{px:?}");
    }

    #[test]
    fn stored_keys_round_trip_and_match_serde() {
        for size in TextSize::ALL {
            assert_eq!(TextSize::from_key(size.key()), Some(size));
            let json = serde_json::to_string(&size).unwrap();
            assert_eq!(json, format!("\"{}\"", size.key()));
        }
        assert_eq!(TextSize::from_key("huge"), None);
    }
}
