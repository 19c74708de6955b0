//! Accounts: sign-up and sign-in values, the signed-in user as the app sees them, and the
//! rules for log-in names and passwords that the app checks as you type and the server
//! checks again.

use serde::{Deserialize, Serialize};

use crate::{
    ErrorCode,
    associations::AssociationRole,
    families::{FamilyRole, fold_fullwidth},
};

/// Fewest characters in a password (ASVS 6.2.1 asks for at least 8; we ask 10).
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Most characters in a password: long passphrases welcome, unbounded input is not.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Log-in names: an email address or a user name of 3–64 characters.
pub const LOGIN_MIN_CHARS: usize = 3;
pub const LOGIN_MAX_CHARS: usize = 64;
/// The name other family or association members see.
pub const DISPLAY_NAME_MAX_CHARS: usize = 40;

/// `POST /api/auth/sign-up`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUp {
    /// An email address or a user name (letters, digits, `.`, `_`, `-`, `@`, `+`).
    pub login: String,
    /// What others in your family or association see, e.g. 練馬 花子.
    pub display_name: String,
    pub password: String,
}

/// `POST /api/auth/sign-in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    pub login: String,
    pub password: String,
}

/// `POST /api/me/password`. Every other session of the account ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// The answer to `POST /api/me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChanged {
    /// The person had a private calendar address, and it stopped working with the old
    /// password (so the page can tell them to make a new one).
    pub calendar_feed_stopped: bool,
}

/// A ward-level role granted by an admin. Every account is also a resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 保健相談所: reads and writes the handbooks of families that consented.
    HealthStaff,
    /// Runs つながるカレッジねりま.
    CollegeStaff,
    /// Grants roles, creates associations, moderates, reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::HealthStaff, Role::CollegeStaff, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::HealthStaff => "health_staff",
            Role::CollegeStaff => "college_staff",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }
}

/// `GET /api/me`: the signed-in user and what they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub families: Vec<FamilySummary>,
    pub associations: Vec<AssociationMembership>,
}

impl Me {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A family (one child's handbook) the user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilySummary {
    pub id: String,
    pub child_name: String,
    /// `YYYY-MM-DD`: the day of birth, or the due date before it. The handbook's pages
    /// count ages and schedules from it, offline too (`/api/me` is kept on the phone).
    #[serde(default)]
    pub child_birth_date: String,
    pub role: FamilyRole,
}

/// An association the user is a member or an editor of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssociationMembership {
    pub association_id: String,
    pub name: String,
    pub role: AssociationRole,
}

/// One signed-in device, as listed on the account page (`GET /api/me/sessions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// A public id for ending this session; never the cookie's secret.
    pub id: String,
    /// A coarse device description from the browser, e.g. "Chrome / Android".
    pub device: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub last_seen_at: String,
    /// When it ends at the latest, even if used every day.
    pub expires_at: String,
    /// The session this request came with.
    pub current: bool,
}

/// Folds a typed log-in name to its stored form: full-width letters from a Japanese
/// keyboard become ASCII, surrounding spaces go, and case does not matter.
pub fn normalize_login(login: &str) -> String {
    fold_fullwidth(login).trim().to_lowercase()
}

/// Checks a log-in name and returns its normalized form.
pub fn validate_login(login: &str) -> Result<String, ErrorCode> {
    let login = normalize_login(login);
    let chars = login.chars().count();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-@+".contains(c);
    let email_ok = match login.split_once('@') {
        None => true,
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.contains('@'),
    };
    if !(LOGIN_MIN_CHARS..=LOGIN_MAX_CHARS).contains(&chars)
        || !login.chars().all(allowed)
        || !email_ok
    {
        return Err(ErrorCode::LoginInvalid);
    }
    Ok(login)
}

/// Checks a new password: long enough, not absurdly long, not a well-known password and
/// not the log-in name itself. Spaces and any script are welcome (passphrases).
pub fn validate_password(password: &str, login: &str) -> Result<(), ErrorCode> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(ErrorCode::PasswordTooShort);
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(ErrorCode::PasswordTooLong);
    }
    let folded = normalize_login(password);
    if COMMON_PASSWORDS.contains(&folded.as_str()) || is_one_repeated_char(&folded) {
        return Err(ErrorCode::PasswordTooCommon);
    }
    let login = normalize_login(login);
    if !login.is_empty() && (folded == login || folded.contains(&login) && login.len() >= 6) {
        return Err(ErrorCode::PasswordLikeLogin);
    }
    Ok(())
}

fn is_one_repeated_char(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|first| chars.all(|c| c == first))
}

/// Checks the name others see and returns it trimmed.
pub fn validate_display_name(name: &str) -> Result<String, ErrorCode> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > DISPLAY_NAME_MAX_CHARS || name.chars().any(char::is_control) {
        return Err(ErrorCode::DisplayNameInvalid);
    }
    Ok(name.to_owned())
}

/// Well-known passwords of 10 or more characters (lower case), from the public
/// breached-password top lists. Short ones are refused by length already.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "0123456789",
    "0987654321",
    "9876543210",
    "12345678910",
    "123456789a",
    "1234567890a",
    "a123456789",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "asdfghjkl;",
    "asdfghjkl1",
    "zxcvbnm123",
    "password12",
    "password123",
    "password1234",
    "password!1",
    "passw0rd12",
    "p@ssw0rd12",
    "p@ssword123",
    "iloveyou12",
    "iloveyou123",
    "sunshine12",
    "princess12",
    "football12",
    "baseball12",
    "welcome123",
    "welcome1234",
    "letmein123",
    "administrator",
    "admin12345",
    "admin123456",
    "changeme123",
    "trustno1234",
    "dragon1234",
    "monkey1234",
    "abc1234567",
    "abcd123456",
    "abcdefghij",
    "abcdefg123",
    "aaaaaaaaaa",
    "1111111111",
    "0000000000",
    "1212121212",
    "1231231231",
    "1234512345",
    "1122334455",
    "5555555555",
    "7777777777",
    "8888888888",
    "9999999999",
    "qazwsxedcrfv",
    "superman123",
    "pokemon123",
    "doraemon123",
    "sakura1234",
    "tokyo12345",
    "nerima1234",
    "tsunagaru1",
    "tsunagaru123",
    "tsunagaru1234",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_fold_fullwidth_and_case() {
        assert_eq!(validate_login(" Ｔａｎａｋａ ").unwrap(), "tanaka");
        assert_eq!(
            validate_login("Hanako@Example.JP").unwrap(),
            "hanako@example.jp"
        );
        assert_eq!(validate_login("ab"), Err(ErrorCode::LoginInvalid));
        assert_eq!(validate_login("練馬"), Err(ErrorCode::LoginInvalid));
        assert_eq!(validate_login("a b c"), Err(ErrorCode::LoginInvalid));
        assert_eq!(validate_login("x@nodot"), Err(ErrorCode::LoginInvalid));
        assert_eq!(
            validate_login(&"a".repeat(65)),
            Err(ErrorCode::LoginInvalid)
        );
    }

    #[test]
    fn passwords_need_length_and_must_not_be_common() {
        assert_eq!(
            validate_password("short", "hanako"),
            Err(ErrorCode::PasswordTooShort)
        );
        assert_eq!(
            validate_password("123456789", "hanako"),
            Err(ErrorCode::PasswordTooShort)
        );
        assert_eq!(
            validate_password("Password123", "hanako"),
            Err(ErrorCode::PasswordTooCommon)
        );
        assert_eq!(
            validate_password("ｑｗｅｒｔｙｕｉｏｐ", "hanako"),
            Err(ErrorCode::PasswordTooCommon)
        );
        assert_eq!(
            validate_password("zzzzzzzzzzzz", "hanako"),
            Err(ErrorCode::PasswordTooCommon)
        );
        assert_eq!(
            validate_password("hanako@example.jp", "hanako@example.jp"),
            Err(ErrorCode::PasswordLikeLogin)
        );
        assert_eq!(
            validate_password(&"あ".repeat(129), "hanako"),
            Err(ErrorCode::PasswordTooLong)
        );
        assert_eq!(
            validate_password("さくらの花が さく 季節", "hanako"),
            Ok(())
        );
        assert_eq!(validate_password("correct horse battery", "hanako"), Ok(()));
    }

    #[test]
    fn the_common_list_only_holds_passwords_long_enough_to_matter() {
        for common in COMMON_PASSWORDS {
            assert!(common.chars().count() >= PASSWORD_MIN_CHARS, "{common}");
            assert_eq!(*common, common.to_lowercase());
        }
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(validate_display_name("  練馬 花子 ").unwrap(), "練馬 花子");
        assert_eq!(
            validate_display_name("   "),
            Err(ErrorCode::DisplayNameInvalid)
        );
        assert_eq!(
            validate_display_name(&"名".repeat(41)),
            Err(ErrorCode::DisplayNameInvalid)
        );
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.as_str())
            );
        }
    }
}
