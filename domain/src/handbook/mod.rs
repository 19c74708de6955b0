//! 電子母子手帳: the handbook's records. So far the guardians' notes (保護者の記録), the
//! page a paper 母子手帳 keeps for the family's own words; checkups, growth and vaccines
//! arrive with the handbook issue.

pub mod export;
pub mod growth;
pub mod pregnancy;
pub mod records;
pub mod vaccinations;

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// The sync collection of guardians' notes; always in a family's scope.
pub const NOTE_COLLECTION: &str = "handbook_note";
/// Longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 2000;

/// A guardian's note about the child, shared with the family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub text: String,
    /// The day it is about, `YYYY-MM-DD`.
    pub written_on: String,
    /// Who wrote it, as the family knows them (their display name).
    pub author: String,
}

impl Note {
    /// A note from what a guardian typed: the text trimmed, 1–2000 characters.
    pub fn new(text: &str, written_on: &str, author: &str) -> Result<Note, ErrorCode> {
        let note = Note {
            text: text.trim().to_owned(),
            written_on: written_on.to_owned(),
            author: author.to_owned(),
        };
        note.validate()?;
        Ok(note)
    }

    pub fn validate(&self) -> Result<(), ErrorCode> {
        let chars = self.text.chars().count();
        let text_ok = chars > 0
            && chars <= NOTE_MAX_CHARS
            && self.text.trim() == self.text
            && !self.text.chars().any(|c| c.is_control() && c != '\n');
        let author_chars = self.author.chars().count();
        if !text_ok || !(1..=40).contains(&author_chars) || !is_ymd(&self.written_on) {
            return Err(ErrorCode::NoteInvalid);
        }
        Ok(())
    }
}

fn is_ymd(date: &str) -> bool {
    let bytes = date.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
        && matches!(date[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(date[8..10].parse::<u8>(), Ok(1..=31))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_trimmed_and_checked() {
        let note = Note::new("  よく眠りました。\n熱なし  ", "2026-11-27", "練馬 花子").unwrap();
        assert_eq!(note.text, "よく眠りました。\n熱なし");
        assert_eq!(
            Note::new("   ", "2026-11-27", "花子"),
            Err(ErrorCode::NoteInvalid)
        );
        let long = "あ".repeat(NOTE_MAX_CHARS + 1);
        assert_eq!(
            Note::new(&long, "2026-11-27", "花子"),
            Err(ErrorCode::NoteInvalid)
        );
        assert!(Note::new(&long[3..], "2026-11-27", "花子").is_ok());
        assert_eq!(
            Note::new("ok", "2026-13-01", "花子"),
            Err(ErrorCode::NoteInvalid)
        );
        assert_eq!(
            Note::new("ok", "2026-11-27", ""),
            Err(ErrorCode::NoteInvalid)
        );
    }
}
