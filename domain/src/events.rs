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
    if parties[index].user_id != user_id {
        return Err(Refusal::Permission);
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
            Err(Refusal::Permission)
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
