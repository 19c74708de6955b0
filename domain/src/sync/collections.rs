//! What each sync collection may hold: the server checks every pushed body here, and the
//! app checks the same before saving. Only the collections a client writes are accepted
//! ([`CLIENT_COLLECTIONS`]); any other name is refused, so no one can store data the
//! domain does not know.

use serde_json::Value;

use super::protocol::{Refusal, Scope};
use crate::circulars::{CIRCULAR_COLLECTION, Circular};
use crate::events::{EVENT_COLLECTION, Event};
use crate::handbook::records::checkups::{
    CHECKUP_COLLECTION, CHECKUP_NOTE_COLLECTION, CHECKUP_NOTE_ID_PREFIX, Checkup, CheckupNote,
    checkup_note_id,
};
use crate::handbook::records::prenatal::{
    PREGNANCY_COLLECTION, PREGNANCY_ID_PREFIX, Pregnancy, VISIT_COLLECTION, Visit,
};
use crate::handbook::records::{
    BIRTH_COLLECTION, BIRTH_ID_PREFIX, Birth, DOSE_COLLECTION, MEASUREMENT_COLLECTION, Measurement,
};
use crate::handbook::vaccinations::DoseRecord;
use crate::handbook::{NOTE_COLLECTION, Note};

/// The collections a client may put; the others are written by the server only.
pub const CLIENT_COLLECTIONS: [&str; 10] = [
    NOTE_COLLECTION,
    PREGNANCY_COLLECTION,
    VISIT_COLLECTION,
    BIRTH_COLLECTION,
    MEASUREMENT_COLLECTION,
    DOSE_COLLECTION,
    CHECKUP_COLLECTION,
    CHECKUP_NOTE_COLLECTION,
    EVENT_COLLECTION,
    CIRCULAR_COLLECTION,
];

/// The handbook's collections: health data, always in a family's scope.
pub const HANDBOOK_COLLECTIONS: [&str; 8] = [
    NOTE_COLLECTION,
    PREGNANCY_COLLECTION,
    VISIT_COLLECTION,
    BIRTH_COLLECTION,
    MEASUREMENT_COLLECTION,
    DOSE_COLLECTION,
    CHECKUP_COLLECTION,
    CHECKUP_NOTE_COLLECTION,
];

/// The one handbook collection health staff write (with the family's consent), and
/// guardians do not: the clinician's checkup findings.
pub const CLINICIAN_COLLECTION: &str = CHECKUP_COLLECTION;

/// The collections with one record per family, and the prefix of that record's id.
const ONE_PER_FAMILY: [(&str, &str); 2] = [
    (BIRTH_COLLECTION, BIRTH_ID_PREFIX),
    (PREGNANCY_COLLECTION, PREGNANCY_ID_PREFIX),
];

/// Checks a body for its collection, id and scope.
pub fn check(collection: &str, id: &str, scope: &Scope, body: &Value) -> Result<(), Refusal> {
    if super::commands::written_by_commands(collection) {
        return Err(Refusal::Permission);
    }
    let (kind, scope_id) = scope.parts();
    if HANDBOOK_COLLECTIONS.contains(&collection) && (kind != "family" || scope_id.is_empty()) {
        return Err(Refusal::Validation);
    }
    // One birth record and one pregnancy record per handbook, each under the id derived
    // from the family: no other record may take that id, and such a record takes no other.
    for (singleton, prefix) in ONE_PER_FAMILY {
        let family = id.strip_prefix(prefix);
        if (collection == singleton) != family.is_some() || family.is_some_and(|f| f != scope_id) {
            return Err(Refusal::Validation);
        }
    }
    if collection != CHECKUP_NOTE_COLLECTION && id.starts_with(CHECKUP_NOTE_ID_PREFIX) {
        return Err(Refusal::Validation);
    }
    fn read<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, Refusal> {
        serde_json::from_value(body.clone()).map_err(|_| Refusal::Validation)
    }
    match collection {
        NOTE_COLLECTION => read::<Note>(body)?
            .validate()
            .map_err(|_| Refusal::Validation),
        BIRTH_COLLECTION => read::<Birth>(body)?
            .validate()
            .map_err(|_| Refusal::Validation),
        PREGNANCY_COLLECTION => read::<Pregnancy>(body)?
            .validate()
            .map_err(|_| Refusal::Validation),
        VISIT_COLLECTION => read::<Visit>(body)?
            .validate()
            .map_err(|_| Refusal::Validation),
        MEASUREMENT_COLLECTION => read::<Measurement>(body)?
            .validate()
            .map_err(|_| Refusal::Validation),
        DOSE_COLLECTION => read::<DoseRecord>(body)?
            .validate()
            .map_err(|_| Refusal::Validation),
        CHECKUP_COLLECTION => read::<Checkup>(body)?
            .validate()
            .map_err(|_| Refusal::Validation),
        // The parent's record for an age lives under that age's id (one per age).
        CHECKUP_NOTE_COLLECTION => {
            let note = read::<CheckupNote>(body)?;
            note.validate().map_err(|_| Refusal::Validation)?;
            if id != checkup_note_id(scope_id, note.age) {
                return Err(Refusal::Validation);
            }
            Ok(())
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
        assert_eq!(check(NOTE_COLLECTION, "r1", &family, &good), Ok(()));
        assert_eq!(
            check(NOTE_COLLECTION, "r1", &Scope::public(), &good),
            Err(Refusal::Validation)
        );
        let extra = json!({"text": "x", "written_on": "2026-11-27", "author": "花子", "x": 1});
        assert_eq!(
            check(NOTE_COLLECTION, "r1", &family, &extra),
            Err(Refusal::Validation)
        );
        let empty = json!({"text": "", "written_on": "2026-11-27", "author": "花子"});
        assert_eq!(
            check(NOTE_COLLECTION, "r1", &family, &empty),
            Err(Refusal::Validation)
        );
        assert_eq!(
            check(crate::events::RSVP_COLLECTION, "r1", &family, &json!({})),
            Err(Refusal::Permission),
            "only the server writes RSVPs"
        );
        assert_eq!(
            check("other", "r1", &family, &json!([1])),
            Err(Refusal::Validation)
        );
        assert_eq!(
            check(
                "anything_at_all",
                "r1",
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
        assert_eq!(check(CIRCULAR_COLLECTION, "r1", &own, &body), Ok(()));
        for scope in [
            Scope::of("association", "a2"),
            Scope::of("editors", "a1"),
            Scope::public(),
        ] {
            assert_eq!(
                check(CIRCULAR_COLLECTION, "r1", &scope, &body),
                Err(Refusal::Validation),
                "{scope:?}"
            );
        }
        let untitled = json!({"association_id": "a1", "title": "", "posted_on": "2026-11-27"});
        assert_eq!(
            check(CIRCULAR_COLLECTION, "r1", &own, &untitled),
            Err(Refusal::Validation)
        );
        for server_only in [
            crate::circulars::READ_COLLECTION,
            crate::circulars::TALLY_COLLECTION,
            crate::circulars::READERS_COLLECTION,
        ] {
            assert_eq!(
                check(server_only, "r1", &own, &json!({})),
                Err(Refusal::Permission)
            );
        }
    }

    #[test]
    fn handbook_records_live_in_a_family_and_the_birth_record_under_its_own_id() {
        let family = Scope::of("family", "f1");
        let birth = json!({"sex": "female", "weight_g": 3120, "gestation": 275});
        assert_eq!(check(BIRTH_COLLECTION, "birth-f1", &family, &birth), Ok(()));
        for (id, scope) in [
            ("birth-f2", family.clone()),
            ("r1", family.clone()),
            ("birth-f1", Scope::of("user", "f1")),
            ("birth-", Scope::of("family", "")),
        ] {
            assert_eq!(
                check(BIRTH_COLLECTION, id, &scope, &birth),
                Err(Refusal::Validation),
                "{id} in {scope:?}"
            );
        }
        let note = json!({"text": "熱なし", "written_on": "2026-11-27", "author": "花子"});
        assert_eq!(
            check(NOTE_COLLECTION, "birth-f1", &family, &note),
            Err(Refusal::Validation),
            "no other record takes the birth record's id"
        );
        let heavy = json!({"sex": "male", "weight_g": 50000});
        assert_eq!(
            check(BIRTH_COLLECTION, "birth-f1", &family, &heavy),
            Err(Refusal::Validation),
            "50 kg is no newborn"
        );

        let pregnancy =
            json!({"last_period": "2026-07-20", "height_mm": 1580, "weight_before_g": 52000});
        assert_eq!(
            check(PREGNANCY_COLLECTION, "pregnancy-f1", &family, &pregnancy),
            Ok(())
        );
        for id in ["pregnancy-f2", "birth-f1", "p1"] {
            assert_eq!(
                check(PREGNANCY_COLLECTION, id, &family, &pregnancy),
                Err(Refusal::Validation),
                "{id}"
            );
        }
        let visit = json!({"date": "2026-11-20", "weight_g": 56000, "systolic": 112, "diastolic": 68, "urine_protein": "-", "urine_glucose": "+-"});
        assert_eq!(check(VISIT_COLLECTION, "v1", &family, &visit), Ok(()));
        let upside_down = json!({"date": "2026-11-20", "systolic": 60, "diastolic": 110});
        assert_eq!(
            check(VISIT_COLLECTION, "v1", &family, &upside_down),
            Err(Refusal::Validation)
        );
        assert_eq!(
            check(VISIT_COLLECTION, "pregnancy-f1", &family, &visit),
            Err(Refusal::Validation)
        );

        let measured = json!({"measured_on": "2026-06-01", "weight_g": 7400, "length_mm": 672});
        assert_eq!(
            check(MEASUREMENT_COLLECTION, "m1", &family, &measured),
            Ok(())
        );
        assert_eq!(
            check(MEASUREMENT_COLLECTION, "m1", &Scope::public(), &measured),
            Err(Refusal::Validation)
        );
        let nothing = json!({"measured_on": "2026-06-01"});
        assert_eq!(
            check(MEASUREMENT_COLLECTION, "m1", &family, &nothing),
            Err(Refusal::Validation)
        );

        let dose = json!({"date": "2026-03-01", "vaccine": "hepb", "dose": 1, "lot_number": "A12"});
        assert_eq!(check(DOSE_COLLECTION, "d1", &family, &dose), Ok(()));
        let unknown = json!({"date": "2026-03-01", "vaccine": "nonsense", "dose": 1});
        assert_eq!(
            check(DOSE_COLLECTION, "d1", &family, &unknown),
            Err(Refusal::Validation)
        );
        assert_eq!(
            check(
                DOSE_COLLECTION,
                "d1",
                &Scope::of("association", "a1"),
                &dose
            ),
            Err(Refusal::Validation)
        );
    }

    #[test]
    fn checkups_live_in_a_family_and_the_parents_record_under_its_ages_id() {
        let family = Scope::of("family", "f1");
        let findings =
            json!({"age": "6-7m", "date": "2026-10-20", "weight_g": 7800, "judgement": "healthy"});
        assert_eq!(check(CHECKUP_COLLECTION, "c1", &family, &findings), Ok(()));
        let teeth_too_early = json!({"age": "6-7m", "date": "2026-10-20", "teeth": {"erupted": 2}, "judgement": "healthy"});
        assert_eq!(
            check(CHECKUP_COLLECTION, "c1", &family, &teeth_too_early),
            Err(Refusal::Validation)
        );
        assert_eq!(
            check(CHECKUP_COLLECTION, "c1", &Scope::public(), &findings),
            Err(Refusal::Validation)
        );
        let note = json!({"age": "3-4m", "milestones": {"head_control": "2026-07-20"}, "answers": {"m3_smile": true}});
        assert_eq!(
            check(
                CHECKUP_NOTE_COLLECTION,
                "checkup-note-3-4m-f1",
                &family,
                &note
            ),
            Ok(())
        );
        for id in ["n1", "checkup-note-6-7m-f1", "checkup-note-3-4m-f2"] {
            assert_eq!(
                check(CHECKUP_NOTE_COLLECTION, id, &family, &note),
                Err(Refusal::Validation),
                "{id}"
            );
        }
        assert_eq!(
            check(
                CHECKUP_COLLECTION,
                "checkup-note-3-4m-f1",
                &family,
                &findings
            ),
            Err(Refusal::Validation),
            "another collection under a parent's record id"
        );
    }
}
