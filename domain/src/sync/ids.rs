//! Record ids, one rule for both sides: a client makes its own (UUIDv7s; any 1–64
//! letters, digits and dashes), and the server derives the ids of the records it writes
//! itself (moderation, places, attendee lists, notices, tallies…) under prefixes that no
//! client id may take, so no client can make a record the server will later overwrite.

/// The prefixes of the ids the server derives; a client id never starts with one.
pub const SERVER_PREFIXES: [&str; 7] = [
    "mod-",
    "places-",
    "attendees-",
    "tally-",
    "readers-",
    "notice-",
    "read-",
];

/// An id as either side writes it: 1–64 letters, digits and dashes.
pub fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Whether `id` is in the server's own namespace.
pub fn is_server_id(id: &str) -> bool {
    SERVER_PREFIXES.iter().any(|prefix| id.starts_with(prefix))
}

/// An id a client may give a record it makes (a put, an RSVP, a report).
pub fn is_client_id(id: &str) -> bool {
    valid_id(id) && !is_server_id(id)
}

/// The id of a notice to a resident about an event, unique by the version it is
/// written at; at most 64 characters.
pub fn notice_id(version: i64, event_id: &str) -> String {
    format!("notice-{version}-{event_id}")
        .chars()
        .take(64)
        .collect()
}

/// The id of a resident's read receipt of a circular, from a fresh unique value.
pub fn read_id(unique: &str) -> String {
    format!("read-{unique}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circulars::{readers_id, tally_id};
    use crate::events::{attendees_id, places_id};
    use crate::moderation::moderation_id;

    #[test]
    fn no_client_id_reaches_an_id_the_server_derives() {
        let uuid = "0193a8f2-7c1e-7b3a-9f00-1234567890ab";
        assert!(is_client_id(uuid));
        assert!(is_client_id("ev-1"));
        for id in [
            moderation_id(uuid),
            places_id(uuid),
            attendees_id(uuid),
            tally_id(uuid),
            readers_id(uuid),
            notice_id(7, uuid),
            read_id(uuid),
        ] {
            assert!(is_server_id(&id), "{id}");
            assert!(!is_client_id(&id), "{id}");
        }
        assert!(!is_client_id("mod-ev-1"));
        assert!(!is_client_id("no spaces"));
        assert!(!is_client_id(""));
        assert!(!is_client_id(&"a".repeat(65)));
    }
}
