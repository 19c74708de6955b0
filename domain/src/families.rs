//! Families: the people who share one child's 電子母子手帳. Guardians read and write,
//! viewers (a grandparent, say) only read. Others join with a one-time invite code.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// How long an invite code stays valid.
pub const INVITE_VALID_DAYS: i64 = 7;
/// Characters of an invite code, without look-alikes (no 0/O, 1/I/L).
pub const INVITE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// An invite code is this many characters, shown as two groups of four: `K7QF-3M9X`.
pub const INVITE_CODE_CHARS: usize = 8;
pub const CHILD_NAME_MAX_CHARS: usize = 40;

/// A member's part in a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FamilyRole {
    /// 保護者: reads and writes the handbook, invites, manages consent.
    Guardian,
    /// 閲覧のみ: reads the handbook.
    Viewer,
}

impl FamilyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            FamilyRole::Guardian => "guardian",
            FamilyRole::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<FamilyRole> {
        match text {
            "guardian" => Some(FamilyRole::Guardian),
            "viewer" => Some(FamilyRole::Viewer),
            _ => None,
        }
    }
}

/// `POST /api/families`: start a handbook for a child; you become its first guardian.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFamily {
    pub child_name: String,
    /// `YYYY-MM-DD`; may be a due date in the coming months.
    pub child_birth_date: String,
}

/// `PUT /api/families/{id}/child`: the child's name and birth date.
pub type ChildUpdate = NewFamily;

/// A family as its members (and consented health staff) see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Family {
    pub id: String,
    pub child_name: String,
    pub child_birth_date: String,
    /// The guardians let the ward's health centre (保健相談所) read and write this handbook.
    pub health_centre_consent: bool,
    /// The caller's part, or none for health staff.
    pub my_role: Option<FamilyRole>,
    pub members: Vec<FamilyMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyMember {
    pub user_id: String,
    pub display_name: String,
    pub role: FamilyRole,
}

/// `PUT /api/families/{id}/consent` (guardians only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    pub health_centre: bool,
}

/// `POST /api/families/{id}/invites` (guardians only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvite {
    pub role: FamilyRole,
}

/// A fresh invite code: shown once to the guardian, who passes it on by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    /// `XXXX-XXXX`; typing it in lower case, full-width or without the dash also works.
    pub code: String,
    pub role: FamilyRole,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

/// `POST /api/invites/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvite {
    pub code: String,
}

/// Turns full-width ASCII (what a Japanese keyboard often types: `ＡＢＣ１２３`, `－`)
/// and the ideographic space into their plain forms.
pub fn fold_fullwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            'ー' | '―' | '‐' | '−' => '-',
            _ => c,
        })
        .collect()
}

/// Reads a typed invite code in any form and returns its canonical `XXXX-XXXX`, or
/// `invite_invalid` when it cannot be one.
pub fn normalize_invite_code(typed: &str) -> Result<String, ErrorCode> {
    let plain: String = fold_fullwidth(typed)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if plain.len() != INVITE_CODE_CHARS || !plain.bytes().all(|b| INVITE_ALPHABET.contains(&b)) {
        return Err(ErrorCode::InviteInvalid);
    }
    Ok(format!("{}-{}", &plain[..4], &plain[4..]))
}

/// Formats eight alphabet indices (from a random source) as an invite code.
pub fn invite_code_from(random: [u8; INVITE_CODE_CHARS]) -> String {
    let plain: String = random
        .iter()
        .map(|r| INVITE_ALPHABET[usize::from(*r) % INVITE_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &plain[..4], &plain[4..])
}

/// Checks the child's name (a nickname or 未定 before birth is fine).
pub fn validate_child_name(name: &str) -> Result<String, ErrorCode> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > CHILD_NAME_MAX_CHARS || name.chars().any(char::is_control) {
        return Err(ErrorCode::ChildNameInvalid);
    }
    Ok(name.to_owned())
}

/// Checks a `YYYY-MM-DD` birth (or due) date against `today` (also `YYYY-MM-DD`): a real
/// calendar day, not before 1990 and at most 10 months ahead (a due date).
pub fn validate_birth_date(date: &str, today: &str) -> Result<String, ErrorCode> {
    let date = fold_fullwidth(date).trim().to_owned();
    let (y, m, d) = parse_ymd(&date).ok_or(ErrorCode::BirthDateInvalid)?;
    let (ty, tm, _) = parse_ymd(today).ok_or(ErrorCode::BirthDateInvalid)?;
    let months_ahead = (y - ty) * 12 + (m as i32 - tm as i32);
    if y < 1990 || months_ahead > 10 || d > days_in_month(y, m) {
        return Err(ErrorCode::BirthDateInvalid);
    }
    Ok(date)
}

fn parse_ymd(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && d >= 1).then_some((y, m, d))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_codes_are_read_however_they_are_typed() {
        assert_eq!(normalize_invite_code("k7qf-3m9x").unwrap(), "K7QF-3M9X");
        assert_eq!(normalize_invite_code(" K7QF 3M9X ").unwrap(), "K7QF-3M9X");
        assert_eq!(
            normalize_invite_code("Ｋ７ＱＦー３Ｍ９Ｘ").unwrap(),
            "K7QF-3M9X"
        );
        assert_eq!(
            normalize_invite_code("K7QF-3M9"),
            Err(ErrorCode::InviteInvalid)
        );
        // 0, O, 1, I and L are never in a code.
        assert_eq!(
            normalize_invite_code("K7QF-3M0X"),
            Err(ErrorCode::InviteInvalid)
        );
    }

    #[test]
    fn generated_codes_read_back_unchanged() {
        let code = invite_code_from([0, 1, 2, 3, 250, 251, 252, 255]);
        assert_eq!(normalize_invite_code(&code).unwrap(), code);
    }

    #[test]
    fn birth_dates_are_real_days_and_due_dates_are_near() {
        let today = "2026-11-27";
        assert_eq!(
            validate_birth_date("2025-02-28", today).unwrap(),
            "2025-02-28"
        );
        assert_eq!(
            validate_birth_date("２０２６－０５－０１", today).unwrap(),
            "2026-05-01"
        );
        assert_eq!(
            validate_birth_date("2024-02-29", today).unwrap(),
            "2024-02-29"
        );
        assert_eq!(
            validate_birth_date("2027-08-01", today).unwrap(),
            "2027-08-01"
        );
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-1",
            "1989-12-31",
            "2027-11-01",
            "soon",
        ] {
            assert_eq!(
                validate_birth_date(bad, today),
                Err(ErrorCode::BirthDateInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn child_names_are_trimmed_and_bounded() {
        assert_eq!(validate_child_name(" 練馬 さくら ").unwrap(), "練馬 さくら");
        assert_eq!(validate_child_name(""), Err(ErrorCode::ChildNameInvalid));
    }
}
