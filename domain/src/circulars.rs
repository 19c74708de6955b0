//! 回覧板: an association's circulars. An editor posts a notice (title, text, an optional
//! due date and an optional picture or PDF) to the association's scope, where members and
//! editors read it. Opening one sends the `read_circular` command; the server counts the
//! reads per household and writes back who has read what (collections below).
//!
//! A household is what a paper 回覧板 visits: members who share a family count as one;
//! a member in no family is a household alone. Editors send circulars, so they are not
//! counted as households and their own reads change no count.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::dates::Day;
use crate::sync::commands::valid_id;

/// The sync collection of circulars, always in their association's `association:` scope.
pub const CIRCULAR_COLLECTION: &str = "circular";
/// "I have read it": one per reader and circular, in the reader's own `user:` scope, so
/// every device of theirs shows it as read. Written by the server only.
pub const READ_COLLECTION: &str = "circular_read";
/// Households read out of households reached, in the association's scope (members may
/// see the counts). Written by the server only.
pub const TALLY_COLLECTION: &str = "circular_tally";
/// Which households have read, with their members' names, in the association's
/// `editors:` scope (names are for editors only). Written by the server only.
pub const READERS_COLLECTION: &str = "circular_readers";

/// Longest title, in characters.
pub const TITLE_MAX: usize = 80;
/// Longest text, in characters.
pub const BODY_MAX: usize = 8000;
/// Largest attachment: 5 MiB.
pub const ATTACHMENT_MAX_BYTES: u64 = 5 * 1024 * 1024;
/// Longest attachment file name, in characters.
pub const NAME_MAX: usize = 120;

/// The id of a circular's tally record.
pub fn tally_id(circular_id: &str) -> String {
    format!("tally-{circular_id}")
}

/// The id of a circular's readers record.
pub fn readers_id(circular_id: &str) -> String {
    format!("readers-{circular_id}")
}

/// A circular (collection `circular`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Circular {
    /// The association that sends it; its scope must be `association:<this id>`.
    pub association_id: String,
    /// e.g. 「12月の資源回収について」.
    pub title: String,
    /// The notice itself; lines are kept.
    #[serde(default)]
    pub body: String,
    /// The day it was posted, `YYYY-MM-DD` (Japan): the archive's month comes from it.
    pub posted_on: String,
    /// A day to answer or act by, `YYYY-MM-DD`, on or after `posted_on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<AttachmentRef>,
}

/// An uploaded file a circular points at (`GET /api/attachments/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    pub id: String,
    pub kind: Kind,
    /// Its size in bytes.
    pub bytes: u64,
    /// The file name the editor chose, shown on the link.
    pub name: String,
}

/// What an attachment may be, judged by its first bytes, never by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Jpeg, Kind::Png, Kind::Webp, Kind::Pdf];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpeg",
            Kind::Png => "png",
            Kind::Webp => "webp",
            Kind::Pdf => "pdf",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The Content-Type it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
            Kind::Pdf => "application/pdf",
        }
    }

    pub fn is_image(self) -> bool {
        self != Kind::Pdf
    }

    /// How the kind is named to a person (the same in both languages).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Webp => "WebP",
            Kind::Pdf => "PDF",
        }
    }
}

/// The kind of a file from its first bytes: JPEG `FF D8 FF`, the whole 8-byte PNG
/// signature, `RIFF....WEBP`, `%PDF-` at the start. Anything else (HEIC, a text file
/// renamed `.png`, a PDF with bytes before its header) is `None`.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(Kind::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Kind::Png),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some(Kind::Webp),
        [b'%', b'P', b'D', b'F', b'-', ..] => Some(Kind::Pdf),
        _ => None,
    }
}

/// Checks an upload: its size first (a huge file is refused for that, whatever it is),
/// then its content.
pub fn check_upload(bytes: &[u8]) -> Result<Kind, ErrorCode> {
    if bytes.len() as u64 > ATTACHMENT_MAX_BYTES {
        return Err(ErrorCode::AttachmentTooLarge);
    }
    sniff(bytes).ok_or(ErrorCode::AttachmentInvalid)
}

/// The field a problem is in, so a form can show the message beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Body,
    DueDate,
    Attachment,
    /// Set by the app, not typed: a wrong one is a bug, not a person's mistake.
    Other,
}

fn text_ok(text: &str, min: usize, max: usize, lines: bool) -> bool {
    let chars = text.chars().count();
    (min..=max).contains(&chars)
        && text.trim() == text
        && !text
            .chars()
            .any(|c| c.is_control() && !(lines && c == '\n'))
}

impl Circular {
    /// The first problem, top down as the form shows the fields.
    pub fn problem(&self) -> Option<(Field, ErrorCode)> {
        if !valid_id(&self.association_id) {
            return Some((Field::Other, ErrorCode::BadRequest));
        }
        let Some(posted) = Day::parse(&self.posted_on) else {
            return Some((Field::Other, ErrorCode::BadRequest));
        };
        if !text_ok(&self.title, 1, TITLE_MAX, false) {
            return Some((Field::Title, ErrorCode::CircularInvalid));
        }
        if !text_ok(&self.body, 0, BODY_MAX, true) {
            return Some((Field::Body, ErrorCode::CircularInvalid));
        }
        if let Some(due) = &self.due_date
            && Day::parse(due).is_none_or(|due| due < posted)
        {
            return Some((Field::DueDate, ErrorCode::CircularDueDateInvalid));
        }
        if let Some(attachment) = &self.attachment
            && let Err(code) = attachment.validate()
        {
            return Some((Field::Attachment, code));
        }
        None
    }

    pub fn validate(&self) -> Result<(), ErrorCode> {
        match self.problem() {
            Some((_, code)) => Err(code),
            None => Ok(()),
        }
    }

    /// The text word search looks in, folded once: title, text and the file's name.
    pub fn search_text(&self) -> String {
        let name = self.attachment.as_ref().map_or("", |a| a.name.as_str());
        crate::search::fold(&format!("{} {} {}", self.title, self.body, name))
    }

    /// The archive's month, `YYYY-MM`.
    pub fn month(&self) -> &str {
        self.posted_on.get(..7).unwrap_or("")
    }
}

impl AttachmentRef {
    pub fn validate(&self) -> Result<(), ErrorCode> {
        if self.bytes > ATTACHMENT_MAX_BYTES {
            return Err(ErrorCode::AttachmentTooLarge);
        }
        if !valid_id(&self.id) || self.bytes == 0 || !text_ok(&self.name, 1, NAME_MAX, false) {
            return Err(ErrorCode::AttachmentInvalid);
        }
        Ok(())
    }
}

/// A file name cut to what a circular keeps: control characters dropped, trimmed, at
/// most [`NAME_MAX`] characters; `fallback` when nothing is left.
pub fn clean_name(name: &str, fallback: &str) -> String {
    let kept: String = name.chars().filter(|c| !c.is_control()).collect();
    let cut: String = kept.trim().chars().take(NAME_MAX).collect();
    let cut = cut.trim().to_owned();
    if cut.is_empty() {
        fallback.to_owned()
    } else {
        cut
    }
}

/// What the upload route answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Uploaded {
    pub id: String,
    pub kind: Kind,
    pub bytes: u64,
}

/// A reader's own mark (collection `circular_read`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Read {
    pub circular_id: String,
    /// When the server first recorded it (RFC 3339, UTC).
    pub read_at: String,
}

/// The counts members may see (collection `circular_tally`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub circular_id: String,
    pub households_read: u32,
    pub households_total: u32,
}

/// One household on an editor's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    /// Its members' display names, in order.
    pub names: Vec<String>,
    /// Whether any of them has opened the circular.
    pub read: bool,
}

/// Who has read a circular (collection `circular_readers`, editors only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readers {
    pub circular_id: String,
    pub households_read: u32,
    pub households_total: u32,
    /// Households that have not read first, then those that have; by name within each.
    pub households: Vec<Household>,
}

/// A member as the count sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: String,
    pub name: String,
    /// The families they belong to.
    pub families: Vec<String>,
    pub read: bool,
}

/// Groups members into households (members sharing a family, directly or through a
/// chain of families, are one) and counts those where anyone has read.
pub fn readers(circular_id: &str, members: &[Member]) -> Readers {
    // Union-find over the members; a family links everyone in it.
    let mut parent: Vec<usize> = (0..members.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first_in_family: std::collections::BTreeMap<&str, usize> = Default::default();
    for (i, member) in members.iter().enumerate() {
        for family in &member.families {
            match first_in_family.get(family.as_str()) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    first_in_family.insert(family, i);
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..members.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut households: Vec<Household> = groups
        .into_values()
        .map(|group| {
            let mut names: Vec<String> = group.iter().map(|&i| members[i].name.clone()).collect();
            names.sort();
            Household {
                names,
                read: group.iter().any(|&i| members[i].read),
            }
        })
        .collect();
    households.sort_by(|a, b| (a.read, &a.names).cmp(&(b.read, &b.names)));
    let read = households.iter().filter(|h| h.read).count() as u32;
    Readers {
        circular_id: circular_id.to_owned(),
        households_read: read,
        households_total: households.len() as u32,
        households,
    }
}

impl Readers {
    pub fn tally(&self) -> Tally {
        Tally {
            circular_id: self.circular_id.clone(),
            households_read: self.households_read,
            households_total: self.households_total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn circular() -> Circular {
        Circular {
            association_id: "a1".into(),
            title: "12月の資源回収".into(),
            body: "12月5日（土）8時までに\n集積所へ出してください。".into(),
            posted_on: "2026-11-27".into(),
            due_date: Some("2026-12-05".into()),
            attachment: Some(AttachmentRef {
                id: "0193-x".into(),
                kind: Kind::Pdf,
                bytes: 2048,
                name: "回収日程.pdf".into(),
            }),
        }
    }

    #[test]
    fn a_good_circular_passes_and_each_field_is_checked() {
        assert_eq!(circular().validate(), Ok(()));
        let with = |f: fn(&mut Circular)| {
            let mut c = circular();
            f(&mut c);
            c.problem()
        };
        assert_eq!(
            with(|c| c.title = String::new()),
            Some((Field::Title, ErrorCode::CircularInvalid))
        );
        assert_eq!(
            with(|c| c.title = "あ".repeat(TITLE_MAX + 1)),
            Some((Field::Title, ErrorCode::CircularInvalid))
        );
        assert_eq!(with(|c| c.title = "あ".repeat(TITLE_MAX)), None);
        assert_eq!(
            with(|c| c.title = "改行\nあり".into()),
            Some((Field::Title, ErrorCode::CircularInvalid))
        );
        assert_eq!(with(|c| c.body = String::new()), None);
        assert_eq!(
            with(|c| c.body = "あ".repeat(BODY_MAX + 1)),
            Some((Field::Body, ErrorCode::CircularInvalid))
        );
        assert_eq!(
            with(|c| c.due_date = Some("2026-11-26".into())),
            Some((Field::DueDate, ErrorCode::CircularDueDateInvalid)),
            "a due date before the posting day"
        );
        assert_eq!(
            with(|c| c.due_date = Some("2026-02-30".into())),
            Some((Field::DueDate, ErrorCode::CircularDueDateInvalid))
        );
        assert_eq!(with(|c| c.due_date = None), None);
        assert_eq!(
            with(|c| c.attachment.as_mut().unwrap().bytes = ATTACHMENT_MAX_BYTES + 1),
            Some((Field::Attachment, ErrorCode::AttachmentTooLarge))
        );
        assert_eq!(
            with(|c| c.attachment.as_mut().unwrap().name = String::new()),
            Some((Field::Attachment, ErrorCode::AttachmentInvalid))
        );
        assert_eq!(
            with(|c| c.posted_on = "27/11/2026".into()),
            Some((Field::Other, ErrorCode::BadRequest))
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(circular()).unwrap();
        json["urgent"] = true.into();
        assert!(serde_json::from_value::<Circular>(json).is_err());
    }

    #[test]
    fn files_are_judged_by_their_first_bytes() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
        assert_eq!(sniff(&png), Some(Kind::Png));
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G']), None, "a cut signature");
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), None, "a sound file");
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(Kind::Pdf));
        assert_eq!(sniff(b" %PDF-1.7\n"), None, "bytes before the header");
        assert_eq!(sniff(b"\0\0\0\x18ftypheic"), None, "HEIC");
        assert_eq!(sniff(b"hello, this is text named photo.png"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(
            check_upload(&vec![0xFF; ATTACHMENT_MAX_BYTES as usize + 1]),
            Err(ErrorCode::AttachmentTooLarge)
        );
        assert_eq!(check_upload(b"text"), Err(ErrorCode::AttachmentInvalid));
        assert_eq!(check_upload(b"%PDF-1.4"), Ok(Kind::Pdf));
    }

    #[test]
    fn search_finds_title_text_and_file_name_and_the_month_is_the_posting_days() {
        let c = circular();
        let text = c.search_text();
        for query in ["資源回収", "集積所", "回収日程", "12月 集積所"] {
            assert!(
                crate::search::matches(&text, &crate::search::terms(query)),
                "{query}"
            );
        }
        assert!(!crate::search::matches(
            &text,
            &crate::search::terms("防災")
        ));
        assert_eq!(c.month(), "2026-11");
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_name("  回覧.pdf \n", "file"), "回覧.pdf");
        assert_eq!(clean_name("\u{7}", "file"), "file");
        assert_eq!(clean_name(&"あ".repeat(200), "f").chars().count(), NAME_MAX);
    }

    fn member(id: &str, families: &[&str], read: bool) -> Member {
        Member {
            user_id: id.into(),
            name: id.to_uppercase(),
            families: families.iter().map(|f| f.to_string()).collect(),
            read,
        }
    }

    #[test]
    fn members_sharing_a_family_are_one_household_and_any_read_counts_for_it() {
        let members = [
            member("a", &["f1"], false),
            member("b", &["f1"], true),
            member("c", &[], false),
            member("d", &["f2"], false),
            // e links f2 and f3: d, e and f are one household.
            member("e", &["f2", "f3"], false),
            member("f", &["f3"], false),
            member("g", &[], true),
        ];
        let list = readers("c1", &members);
        assert_eq!(list.households_total, 4);
        assert_eq!(list.households_read, 2);
        let names: Vec<(Vec<String>, bool)> = list
            .households
            .iter()
            .map(|h| (h.names.clone(), h.read))
            .collect();
        assert_eq!(
            names,
            vec![
                (vec!["C".to_owned()], false),
                (vec!["D".to_owned(), "E".to_owned(), "F".to_owned()], false),
                (vec!["A".to_owned(), "B".to_owned()], true),
                (vec!["G".to_owned()], true),
            ],
            "unread first"
        );
        assert_eq!(
            list.tally(),
            Tally {
                circular_id: "c1".into(),
                households_read: 2,
                households_total: 4
            }
        );
        assert_eq!(readers("c1", &[]).households_total, 0);
    }
}
