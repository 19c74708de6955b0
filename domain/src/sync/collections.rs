//! What each sync collection may hold: the server checks every pushed body here, and the
//! app checks the same before saving. Only the collections a client writes are accepted
//! ([`CLIENT_COLLECTIONS`]); any other name is refused, so no one can store data the
//! domain does not know.

use serde_json::Value;

use super::protocol::{Refusal, Scope};
use crate::circulars::{CIRCULAR_COLLECTION, Circular};
use crate::events::{EVENT_COLLECTION, Event};
use crate::handbook::{NOTE_COLLECTION, Note};

/// The collections a client may put; the others are written by the server only.
pub const CLIENT_COLLECTIONS: [&str; 3] = [NOTE_COLLECTION, EVENT_COLLECTION, CIRCULAR_COLLECTION];

/// Checks a body for its collection and scope.
pub fn check(collection: &str, scope: &Scope, body: &Value) -> Result<(), Refusal> {
    if super::commands::written_by_commands(collection) {
        return Err(Refusal::Permission);
    }
    match collection {
        NOTE_COLLECTION => {
            if scope.parts().0 != "family" {
                return Err(Refusal::Validation);
            }
            let note: Note =
                serde_json::from_value(body.clone()).map_err(|_| Refusal::Validation)?;
            note.validate().map_err(|_| Refusal::Validation)
        }
        EVENT_COLLECTION => {
            let event: Event =
                serde_json::from_value(body.clone()).map_err(|_| Refusal::Validation)?;
            event.validate().map_err(|_| Refusal::Validation)?;
            // Published on the board, or a draft its association's editors share.
            match scope.parts() {
                ("public", _) => Ok(()),
                ("editors", association) if association == event.association_id => Ok(()),
                _ => Err(Refusal::Validation),
            }
        }
        CIRCULAR_COLLECTION => {
            let circular: Circular =
                serde_json::from_value(body.clone()).map_err(|_| Refusal::Validation)?;
            circular.validate().map_err(|_| Refusal::Validation)?;
            // Sent to one association's members: only in that association's scope.
            match scope.parts() {
                ("association", association) if association == circular.association_id => Ok(()),
                _ => Err(Refusal::Validation),
            }
        }
        _ => Err(Refusal::Validation),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn notes_live_in_a_family_and_must_be_valid() {
        let family = Scope::of("family", "f1");
        let good = json!({"text": "熱なし", "written_on": "2026-11-27", "author": "花子"});
        assert_eq!(check(NOTE_COLLECTION, &family, &good), Ok(()));
        assert_eq!(
            check(NOTE_COLLECTION, &Scope::public(), &good),
            Err(Refusal::Validation)
        );
        let extra = json!({"text": "x", "written_on": "2026-11-27", "author": "花子", "x": 1});
        assert_eq!(
            check(NOTE_COLLECTION, &family, &extra),
            Err(Refusal::Validation)
        );
        let empty = json!({"text": "", "written_on": "2026-11-27", "author": "花子"});
        assert_eq!(
            check(NOTE_COLLECTION, &family, &empty),
            Err(Refusal::Validation)
        );
        assert_eq!(
            check(crate::events::RSVP_COLLECTION, &family, &json!({})),
            Err(Refusal::Permission),
            "only the server writes RSVPs"
        );
        assert_eq!(
            check("other", &family, &json!([1])),
            Err(Refusal::Validation)
        );
        assert_eq!(
            check(
                "anything_at_all",
                &Scope::of("user", "u1"),
                &json!({"x": 1})
            ),
            Err(Refusal::Validation),
            "a collection the domain does not know"
        );
    }

    #[test]
    fn circulars_live_in_their_own_associations_scope() {
        let body = json!({"association_id": "a1", "title": "回覧", "posted_on": "2026-11-27"});
        let own = Scope::of("association", "a1");
        assert_eq!(check(CIRCULAR_COLLECTION, &own, &body), Ok(()));
        for scope in [
            Scope::of("association", "a2"),
            Scope::of("editors", "a1"),
            Scope::public(),
        ] {
            assert_eq!(
                check(CIRCULAR_COLLECTION, &scope, &body),
                Err(Refusal::Validation),
                "{scope:?}"
            );
        }
        let untitled = json!({"association_id": "a1", "title": "", "posted_on": "2026-11-27"});
        assert_eq!(
            check(CIRCULAR_COLLECTION, &own, &untitled),
            Err(Refusal::Validation)
        );
        for server_only in [
            crate::circulars::READ_COLLECTION,
            crate::circulars::TALLY_COLLECTION,
            crate::circulars::READERS_COLLECTION,
        ] {
            assert_eq!(
                check(server_only, &own, &json!({})),
                Err(Refusal::Permission)
            );
        }
    }
}
