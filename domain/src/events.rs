//! 町会・自治会 events. So far the RSVP rules (参加申込): a domain command the server decides,
//! never last-writer-wins. The event board itself (editing, browsing, calendar) arrives
//! with the events issue; an RSVP reads only an event's places (`capacity`, `reserved`)
//! and whether it is cancelled.
//!
//! The rules, in order of arrival: a party is confirmed while its whole headcount fits in
//! the places left, otherwise it waits; a confirmed party is never moved back to waiting;
//! whenever places free up, the waiting parties are walked in order and each one that fits
//! is confirmed. Capacity minus reserved places is never exceeded, whatever order the
//! RSVPs and cancellations arrive in.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::dates::{Day, parse_time};
use crate::sync::protocol::Refusal;

/// The sync collection of events (an association's scope, or public).
pub const EVENT_COLLECTION: &str = "event";
/// A resident's RSVP, written only by the server (the resident's own `user:` scope).
pub const RSVP_COLLECTION: &str = "rsvp";
/// The places taken at an event, written only by the server (the event's scope).
pub const PLACES_COLLECTION: &str = "event_places";
/// Most people in one party (adults and children together).
pub const MAX_PARTY: u32 = 20;

/// The id of an event's places record.
pub fn places_id(event_id: &str) -> String {
    format!("places-{event_id}")
}

/// What an event is about, as residents filter them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 防災
    DisasterPrep,
    /// 祭り・行事
    Festival,
    /// 清掃・美化
    Cleanup,
    /// 子育て
    Childcare,
    /// 高齢者
    Seniors,
    /// 学び
    Learning,
    /// フェスタ (練馬つながるフェスタ)
    Festa,
    /// その他
    Other,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::DisasterPrep,
        Category::Festival,
        Category::Cleanup,
        Category::Childcare,
        Category::Seniors,
        Category::Learning,
        Category::Festa,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::DisasterPrep => "disaster_prep",
            Category::Festival => "festival",
            Category::Cleanup => "cleanup",
            Category::Childcare => "childcare",
            Category::Seniors => "seniors",
            Category::Learning => "learning",
            Category::Festa => "festa",
            Category::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The name residents know, in Japanese.
    pub fn name_ja(self) -> &'static str {
        match self {
            Category::DisasterPrep => "防災",
            Category::Festival => "祭り・行事",
            Category::Cleanup => "清掃・美化",
            Category::Childcare => "子育て",
            Category::Seniors => "高齢者",
            Category::Learning => "学び",
            Category::Festa => "フェスタ",
            Category::Other => "その他",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Category::DisasterPrep => "Disaster preparedness",
            Category::Festival => "Festivals and gatherings",
            Category::Cleanup => "Clean-up",
            Category::Childcare => "Children and parents",
            Category::Seniors => "Seniors",
            Category::Learning => "Learning",
            Category::Festa => "Festa",
            Category::Other => "Other",
        }
    }
}

/// Longest title, in characters.
pub const TITLE_MAX: usize = 80;
/// Longest description, in characters.
pub const DESCRIPTION_MAX: usize = 4000;
/// Largest capacity.
pub const CAPACITY_MAX: u32 = 10_000;

/// An association's event (collection `event`). Published events live in the `public`
/// scope, where every signed-in resident reads them and only the association's editors
/// (and admins) write them; drafts live in the association's `editors:` scope until an
/// editor publishes them. All times are Japan's (Asia/Tokyo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The association that holds it.
    pub association_id: String,
    /// Its name as residents know it, e.g. 「桜台つつじ町会 防災訓練」.
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub category: Category,
    /// First day, `YYYY-MM-DD`.
    pub start_date: String,
    /// `HH:MM`; none for an all-day event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Last day, `YYYY-MM-DD` (the same as `start_date` for a one-day event).
    pub end_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// The place's name, e.g. 桜台公園.
    pub venue: String,
    #[serde(default)]
    pub address: String,
    /// The area (町丁目), e.g. 桜台一丁目.
    #[serde(default)]
    pub area: String,
    /// Whether residents say they come (参加申込).
    #[serde(default)]
    pub rsvp_needed: bool,
    /// People who can come; none means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Places kept back (for officers, say).
    #[serde(default)]
    pub reserved: u32,
    /// Who to ask, e.g. 「事務局 03-xxxx」.
    #[serde(default)]
    pub contact: String,
    /// Called off: kept on the board, marked 中止, and takes no RSVPs.
    #[serde(default)]
    pub cancelled: bool,
    /// The fair (つながるフェスタ) this is one programme of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fair_id: Option<String>,
}

fn text_ok(text: &str, min: usize, max: usize, lines: bool) -> bool {
    let chars = text.chars().count();
    (min..=max).contains(&chars)
        && text.trim() == text
        && !text
            .chars()
            .any(|c| c.is_control() && !(lines && c == '\n'))
}

impl Event {
    /// Checks every field; the first problem found, as a person would fix them top down.
    pub fn validate(&self) -> Result<(), ErrorCode> {
        if !crate::sync::commands::valid_id(&self.association_id) {
            return Err(ErrorCode::BadRequest);
        }
        if !text_ok(&self.title, 1, TITLE_MAX, false) {
            return Err(ErrorCode::EventTitleInvalid);
        }
        if !text_ok(&self.description, 0, DESCRIPTION_MAX, true) {
            return Err(ErrorCode::EventDescriptionInvalid);
        }
        self.span().ok_or(ErrorCode::EventDatesInvalid)?;
        if !text_ok(&self.venue, 1, 80, false) {
            return Err(ErrorCode::EventVenueInvalid);
        }
        if !text_ok(&self.address, 0, 120, false)
            || !text_ok(&self.area, 0, 40, false)
            || !text_ok(&self.contact, 0, 120, false)
        {
            return Err(ErrorCode::EventDetailsInvalid);
        }
        let places_ok = match self.capacity {
            Some(capacity) => (1..=CAPACITY_MAX).contains(&capacity) && self.reserved <= capacity,
            None => self.reserved == 0,
        };
        if !places_ok || (!self.rsvp_needed && self.capacity.is_some()) {
            return Err(ErrorCode::EventPlacesInvalid);
        }
        if self
            .fair_id
            .as_deref()
            .is_some_and(|id| !crate::sync::commands::valid_id(id))
        {
            return Err(ErrorCode::BadRequest);
        }
        Ok(())
    }

    /// Start and end as (day, minutes after midnight); all-day events run from 0:00 of
    /// the first day to 24:00 of the last. `None` when a date or time is not real, only
    /// one of the times is given, or the end is not after the start.
    pub fn span(&self) -> Option<((Day, u32), (Day, u32))> {
        let start_day = Day::parse(&self.start_date)?;
        let end_day = Day::parse(&self.end_date)?;
        let (start, end) = match (&self.start_time, &self.end_time) {
            (None, None) => (0, 24 * 60),
            (Some(s), Some(e)) => (parse_time(s)?, parse_time(e)?),
            _ => return None,
        };
        ((start_day, start) < (end_day, end)).then_some(((start_day, start), (end_day, end)))
    }

    pub fn all_day(&self) -> bool {
        self.start_time.is_none()
    }

    /// The text word search looks in, folded once.
    pub fn search_text(&self) -> String {
        crate::search::fold(&format!(
            "{} {} {} {} {} {}",
            self.title,
            self.description,
            self.venue,
            self.address,
            self.area,
            self.category.name_ja()
        ))
    }

    /// Whether a change from `before` moves the event in time or place, which those who
    /// RSVP'd are told about.
    pub fn moved_from(&self, before: &Event) -> bool {
        self.start_date != before.start_date
            || self.start_time != before.start_time
            || self.end_date != before.end_date
            || self.end_time != before.end_time
            || self.venue != before.venue
            || self.address != before.address
    }

    /// An address as a plain maps link (no map tiles are kept offline).
    pub fn map_url(&self) -> Option<String> {
        let place = if self.address.is_empty() {
            return None;
        } else {
            &self.address
        };
        let mut query = String::new();
        for b in place.bytes() {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                query.push(b as char);
            } else {
                query.push_str(&format!("%{b:02X}"));
            }
        }
        Some(format!(
            "https://www.google.com/maps/search/?api=1&query={query}"
        ))
    }
}

/// What a resident is told about an event they RSVP'd to (collection `notice`, in their
/// own `user:` scope; written by the server only, deleted by the resident once read).
pub const NOTICE_COLLECTION: &str = "notice";
/// An event's attendee list for its association's editors (collection
/// `event_attendees`, in the association's `editors:` scope; written by the server only).
pub const ATTENDEES_COLLECTION: &str = "event_attendees";

/// The id of an event's attendee list.
pub fn attendees_id(event_id: &str) -> String {
    format!("attendees-{event_id}")
}

/// Why a resident is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The date, time or place changed.
    Moved,
    /// The event was called off.
    Cancelled,
    /// A place freed up: their waiting party is now confirmed.
    Promoted,
}

/// How `new` differs from `old` in a way those who RSVP'd must hear of.
pub fn change(old: &Event, new: &Event) -> Option<Change> {
    if new.cancelled && !old.cancelled {
        Some(Change::Cancelled)
    } else if new.moved_from(old) {
        Some(Change::Moved)
    } else {
        None
    }
}

/// An in-app notice about an event (collection `notice`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub change: Change,
    pub event_id: String,
    /// The event as it is now: its title, first day and start time, place.
    pub title: String,
    pub start_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    pub venue: String,
}

impl Notice {
    pub fn about(change: Change, event_id: &str, event: &Event) -> Notice {
        Notice {
            change,
            event_id: event_id.to_owned(),
            title: event.title.clone(),
            start_date: event.start_date.clone(),
            start_time: event.start_time.clone(),
            venue: event.venue.clone(),
        }
    }
}

/// One party on an event's attendee list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub rsvp_id: String,
    /// The resident's display name.
    pub name: String,
    pub adults: u32,
    pub children: u32,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// The check-in code shown on the resident's RSVP.
    pub code: String,
    pub checked_in: bool,
}

/// An event's attendee list (collection `event_attendees`), in order of arrival.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendees {
    pub event_id: String,
    pub parties: Vec<Attendee>,
}

/// Letters and digits of a check-in code: no I, L, O, U, 0 or 1, which a person reads
/// or says wrongly.
pub const CODE_ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A check-in code from six random bytes: 6 characters, shown as `K7M-4QX`.
pub fn check_in_code(random: [u8; 6]) -> String {
    random
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// A code as a person types it, in the stored form: full-width letters, spaces and
/// dashes allowed, any case.
pub fn normalise_code(typed: &str) -> String {
    crate::search::fold(typed)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A code as shown: `K7M-4QX`.
pub fn show_code(code: &str) -> String {
    if code.len() == 6 && code.is_ascii() {
        format!("{}-{}", &code[..3], &code[3..])
    } else {
        code.to_owned()
    }
}

/// What an RSVP needs of an event's body; other fields are the event board's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Places {
    /// People who can come; none means no limit.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Places kept back (for the association's officers, say): never offered.
    #[serde(default)]
    pub reserved: u32,
    #[serde(default)]
    pub cancelled: bool,
}

impl From<&Event> for Places {
    fn from(event: &Event) -> Places {
        Places {
            capacity: event.capacity,
            reserved: event.reserved,
            cancelled: event.cancelled,
        }
    }
}

impl Places {
    /// Places offered to residents; `None` without a limit.
    pub fn offered(&self) -> Option<u32> {
        self.capacity.map(|c| c.saturating_sub(self.reserved))
    }
}

/// Where a party stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 参加確定.
    Confirmed,
    /// キャンセル待ち.
    Waitlisted,
    Cancelled,
}

/// An RSVP as the resident's phone receives it (collection `rsvp`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rsvp {
    pub event_id: String,
    pub adults: u32,
    pub children: u32,
    pub status: Status,
    /// Place in the waiting list from 1, while waitlisted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// The check-in code to show at the door (`K7M-4QX`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// The places taken at an event, as everyone who sees the event receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taken {
    pub event_id: String,
    /// People confirmed.
    pub confirmed: u32,
    /// Parties waiting.
    pub waitlisted: u32,
    /// Places still offered; `None` without a limit.
    pub left: Option<u32>,
}

/// One party's RSVP on the server, kept in order of arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The RSVP's id (a UUIDv7 the resident's phone made).
    pub id: String,
    pub user_id: String,
    pub adults: u32,
    pub children: u32,
    pub status: Status,
    pub position: Option<u32>,
}

impl Party {
    pub fn headcount(&self) -> u32 {
        self.adults + self.children
    }

    pub fn rsvp(&self, event_id: &str) -> Rsvp {
        Rsvp {
            event_id: event_id.to_owned(),
            adults: self.adults,
            children: self.children,
            status: self.status,
            position: self.position,
            code: None,
        }
    }
}

/// A headcount a person can send: at least one, at most [`MAX_PARTY`].
pub fn check_headcount(adults: u32, children: u32) -> Result<(), Refusal> {
    match adults.checked_add(children) {
        Some(n) if (1..=MAX_PARTY).contains(&n) => Ok(()),
        _ => Err(Refusal::Validation),
    }
}

/// The places taken now.
pub fn taken(event_id: &str, places: &Places, parties: &[Party]) -> Taken {
    let confirmed: u32 = parties
        .iter()
        .filter(|p| p.status == Status::Confirmed)
        .map(Party::headcount)
        .sum();
    Taken {
        event_id: event_id.to_owned(),
        confirmed,
        waitlisted: parties
            .iter()
            .filter(|p| p.status == Status::Waitlisted)
            .count() as u32,
        left: places.offered().map(|n| n.saturating_sub(confirmed)),
    }
}

/// Confirms each waiting party, in order, whose headcount fits, and numbers the rest.
/// Returns the indexes of the parties whose status or position changed.
fn settle(places: &Places, parties: &mut [Party]) -> Vec<usize> {
    let mut left = places.offered().map(|offered| {
        let confirmed: u32 = parties
            .iter()
            .filter(|p| p.status == Status::Confirmed)
            .map(Party::headcount)
            .sum();
        offered.saturating_sub(confirmed)
    });
    let mut changed = Vec::new();
    let mut position = 0;
    for (index, party) in parties.iter_mut().enumerate() {
        if party.status != Status::Waitlisted {
            continue;
        }
        let fits = left.is_none_or(|left| party.headcount() <= left);
        let before = (party.status, party.position);
        if fits {
            party.status = Status::Confirmed;
            party.position = None;
            left = left.map(|left| left - party.headcount());
        } else {
            position += 1;
            party.position = Some(position);
        }
        if before != (party.status, party.position) {
            changed.push(index);
        }
    }
    changed
}

/// A new RSVP: appended to the event's parties and settled. Refused when the event is
/// cancelled, the headcount is not sendable, the user already has a live RSVP there, or
/// the party could never fit even in an empty event. Returns the indexes of the parties
/// to write back (the new one always among them).
pub fn rsvp(places: &Places, parties: &mut Vec<Party>, new: Party) -> Result<Vec<usize>, Refusal> {
    if places.cancelled {
        return Err(Refusal::Closed);
    }
    check_headcount(new.adults, new.children)?;
    if parties
        .iter()
        .any(|p| (p.user_id == new.user_id && p.status != Status::Cancelled) || p.id == new.id)
    {
        return Err(Refusal::Validation);
    }
    if places.offered().is_some_and(|n| new.headcount() > n) {
        return Err(Refusal::Full);
    }
    parties.push(Party {
        status: Status::Waitlisted,
        position: None,
        ..new
    });
    let index = parties.len() - 1;
    let mut changed = settle(places, parties);
    if !changed.contains(&index) {
        changed.push(index);
    }
    Ok(changed)
}

/// Cancels a user's RSVP and confirms waiting parties that now fit. Cancelling twice is
/// the same as once (nothing to write). Someone else's RSVP is not theirs to cancel.
pub fn cancel(
    places: &Places,
    parties: &mut [Party],
    rsvp_id: &str,
    user_id: &str,
) -> Result<Vec<usize>, Refusal> {
    let Some(index) = parties.iter().position(|p| p.id == rsvp_id) else {
        return Err(Refusal::Validation);
    };
    // Someone else's party is answered as a missing one is, so ids cannot be probed.
    if parties[index].user_id != user_id {
        return Err(Refusal::Validation);
    }
    if parties[index].status == Status::Cancelled {
        return Ok(Vec::new());
    }
    parties[index].status = Status::Cancelled;
    parties[index].position = None;
    let mut changed = vec![index];
    changed.extend(settle(places, parties));
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn party(id: &str, user: &str, n: u32) -> Party {
        Party {
            id: id.into(),
            user_id: user.into(),
            adults: n,
            children: 0,
            status: Status::Waitlisted,
            position: None,
        }
    }

    fn limited(capacity: u32, reserved: u32) -> Places {
        Places {
            capacity: Some(capacity),
            reserved,
            cancelled: false,
        }
    }

    fn drill() -> Event {
        serde_json::from_value(serde_json::json!({
            "association_id": "a1",
            "title": "防災訓練",
            "category": "disaster_prep",
            "start_date": "2026-12-06",
            "start_time": "09:00",
            "end_date": "2026-12-06",
            "end_time": "11:30",
            "venue": "桜台公園",
            "address": "練馬区桜台1-2-3",
            "rsvp_needed": true,
            "capacity": 40,
            "reserved": 5,
        }))
        .unwrap()
    }

    #[test]
    fn an_event_is_checked_field_by_field() {
        let good = drill();
        assert_eq!(good.validate(), Ok(()));
        let with = |f: &dyn Fn(&mut Event)| {
            let mut e = good.clone();
            f(&mut e);
            e.validate()
        };
        assert_eq!(
            with(&|e| e.title = " ".into()),
            Err(ErrorCode::EventTitleInvalid)
        );
        assert_eq!(
            with(&|e| e.title = "あ".repeat(81)),
            Err(ErrorCode::EventTitleInvalid)
        );
        assert_eq!(
            with(&|e| e.end_time = Some("09:00".into())),
            Err(ErrorCode::EventDatesInvalid),
            "the end must be after the start"
        );
        assert_eq!(
            with(&|e| e.end_time = None),
            Err(ErrorCode::EventDatesInvalid),
            "both times or neither"
        );
        assert_eq!(
            with(&|e| e.start_date = "2026-02-30".into()),
            Err(ErrorCode::EventDatesInvalid)
        );
        assert_eq!(
            with(&|e| {
                e.start_time = None;
                e.end_time = None;
            }),
            Ok(()),
            "an all-day event on one day"
        );
        assert_eq!(
            with(&|e| e.reserved = 41),
            Err(ErrorCode::EventPlacesInvalid)
        );
        assert_eq!(
            with(&|e| e.capacity = Some(0)),
            Err(ErrorCode::EventPlacesInvalid)
        );
        assert_eq!(
            with(&|e| e.venue = String::new()),
            Err(ErrorCode::EventVenueInvalid)
        );
        assert_eq!(
            with(&|e| e.contact = "x".repeat(121)),
            Err(ErrorCode::EventDetailsInvalid)
        );
        let moved = with(&|e| e.venue = "桜台小学校".into());
        assert_eq!(moved, Ok(()));
        let mut other = good.clone();
        other.description = "持ち物: 軍手".into();
        assert!(!other.moved_from(&good), "a new description is not a move");
        other.start_time = Some("10:00".into());
        assert!(other.moved_from(&good));
        assert!(
            good.search_text().contains("防災"),
            "the category is searchable"
        );
        assert_eq!(
            good.map_url().as_deref(),
            Some(
                "https://www.google.com/maps/search/?api=1&query=%E7%B7%B4%E9%A6%AC%E5%8C%BA%E6%A1%9C%E5%8F%B01-2-3"
            )
        );
    }

    #[test]
    fn confirmed_while_places_remain_then_waitlisted_in_order() {
        let places = limited(6, 1);
        let mut parties = Vec::new();
        rsvp(&places, &mut parties, party("a", "u1", 3)).unwrap();
        rsvp(&places, &mut parties, party("b", "u2", 2)).unwrap();
        rsvp(&places, &mut parties, party("c", "u3", 2)).unwrap();
        rsvp(&places, &mut parties, party("d", "u4", 1)).unwrap();
        let status: Vec<_> = parties.iter().map(|p| (p.status, p.position)).collect();
        assert_eq!(
            status,
            [
                (Status::Confirmed, None),
                (Status::Confirmed, None),
                (Status::Waitlisted, Some(1)),
                (Status::Waitlisted, Some(2)),
            ]
        );
        assert_eq!(taken("e", &places, &parties).left, Some(0));
    }

    #[test]
    fn cancelling_promotes_the_first_waiting_party_that_fits() {
        let places = limited(5, 0);
        let mut parties = Vec::new();
        rsvp(&places, &mut parties, party("a", "u1", 2)).unwrap();
        rsvp(&places, &mut parties, party("b", "u2", 3)).unwrap();
        rsvp(&places, &mut parties, party("c", "u3", 3)).unwrap();
        rsvp(&places, &mut parties, party("d", "u4", 2)).unwrap();
        // a leaves: 2 places; c (3) still does not fit, d (2) does.
        let changed = cancel(&places, &mut parties, "a", "u1").unwrap();
        assert_eq!(changed, [0, 3], "c keeps its place: first in line");
        assert_eq!(parties[3].status, Status::Confirmed);
        assert_eq!(
            (parties[2].status, parties[2].position),
            (Status::Waitlisted, Some(1))
        );
        assert_eq!(cancel(&places, &mut parties, "a", "u1"), Ok(vec![]));
        assert_eq!(
            cancel(&places, &mut parties, "b", "u9"),
            Err(Refusal::Validation),
            "as for a party that does not exist"
        );
    }

    #[test]
    fn refusals_say_why() {
        let mut parties = Vec::new();
        let cancelled = Places {
            cancelled: true,
            ..limited(5, 0)
        };
        assert_eq!(
            rsvp(&cancelled, &mut parties, party("a", "u1", 1)),
            Err(Refusal::Closed)
        );
        let places = limited(5, 2);
        assert_eq!(
            rsvp(&places, &mut parties, party("a", "u1", 4)),
            Err(Refusal::Full)
        );
        assert_eq!(
            rsvp(&places, &mut parties, party("a", "u1", 0)),
            Err(Refusal::Validation)
        );
        rsvp(&places, &mut parties, party("a", "u1", 1)).unwrap();
        assert_eq!(
            rsvp(&places, &mut parties, party("b", "u1", 1)),
            Err(Refusal::Validation),
            "one live RSVP per person and event"
        );
        cancel(&places, &mut parties, "a", "u1").unwrap();
        rsvp(&places, &mut parties, party("b", "u1", 1)).unwrap();
        let unlimited = Places::default();
        let mut many = Vec::new();
        for i in 0..50 {
            rsvp(
                &unlimited,
                &mut many,
                party(&i.to_string(), &i.to_string(), 20),
            )
            .unwrap();
        }
        assert!(many.iter().all(|p| p.status == Status::Confirmed));
    }

    proptest! {
        /// Any interleaving of RSVPs and cancellations: the places offered are never
        /// exceeded, no waiting party would fit, the waiting list is numbered 1..n in
        /// order of arrival, and confirmed parties are never moved back.
        #[test]
        fn capacity_and_waitlist_hold_in_any_order(
            capacity in 0u32..30,
            reserved in 0u32..10,
            steps in prop::collection::vec((any::<bool>(), 0usize..12, 1u32..8), 1..60),
        ) {
            let places = limited(capacity, reserved);
            let offered = capacity.saturating_sub(reserved);
            let mut parties: Vec<Party> = Vec::new();
            for (n, (add, who, size)) in steps.into_iter().enumerate() {
                let before: Vec<Status> = parties.iter().map(|p| p.status).collect();
                let user = format!("u{who}");
                if add {
                    let _ = rsvp(&places, &mut parties, party(&format!("r{n}"), &user, size));
                } else if let Some(p) = parties.iter().find(|p| p.user_id == user && p.status != Status::Cancelled) {
                    let id = p.id.clone();
                    cancel(&places, &mut parties, &id, &user).unwrap();
                }
                for (p, was) in parties.iter().zip(before) {
                    prop_assert!(!(was == Status::Confirmed && p.status == Status::Waitlisted));
                }
                let t = taken("e", &places, &parties);
                prop_assert!(t.confirmed <= offered);
                let left = offered - t.confirmed;
                let waiting: Vec<&Party> = parties.iter().filter(|p| p.status == Status::Waitlisted).collect();
                for (i, p) in waiting.iter().enumerate() {
                    prop_assert!(p.headcount() > left);
                    prop_assert_eq!(p.position, Some(i as u32 + 1));
                }
            }
        }
    }
}
