//! A handbook file reads back as written, refuses what it cannot vouch for, and imports
//! under the new family's ids.

use serde_json::json;

use super::*;
use crate::handbook::records::prenatal::{PREGNANCY_COLLECTION, VISIT_COLLECTION};
use crate::handbook::records::{BIRTH_COLLECTION, DOSE_COLLECTION, MEASUREMENT_COLLECTION};
use crate::handbook::{NOTE_COLLECTION, Note};

const OLD: &str = "0193a3b4-7c2d-7e8f-9a0b-1c2d3e4f5a6b";
const NEW: &str = "0193a3b4-0000-7000-8000-000000000001";

fn record(collection: &str, id: &str, body: Value) -> (String, String, Value) {
    (collection.to_owned(), id.to_owned(), body)
}

/// さくら's handbook with a record of every kind.
fn sakura() -> HandbookFile {
    HandbookFile::new(
        Family {
            id: OLD.into(),
            child_name: "練馬 さくら".into(),
            child_birth_date: "2026-04-03".into(),
        },
        "2026-12-06T03:00:00Z".into(),
        [
            record(
                MEASUREMENT_COLLECTION,
                "m2",
                json!({"measured_on": "2026-08-01", "weight_g": 6900, "length_mm": 640}),
            ),
            record(
                DOSE_COLLECTION,
                "d1",
                json!({"date": "2026-06-03", "vaccine": "hepb", "dose": 1, "lot_number": "A12"}),
            ),
            record(
                BIRTH_COLLECTION,
                &format!("birth-{OLD}"),
                json!({"sex": "female", "weight_g": 3120, "gestation": 275, "facility": "練馬病院"}),
            ),
            record(
                MEASUREMENT_COLLECTION,
                "m1",
                json!({"measured_on": "2026-05-01", "weight_g": 4200, "note": "1か月健診"}),
            ),
            record(
                NOTE_COLLECTION,
                "n1",
                serde_json::to_value(Note::new("よく眠る", "2026-11-27", "花子").unwrap()).unwrap(),
            ),
            record(
                PREGNANCY_COLLECTION,
                &format!("pregnancy-{OLD}"),
                json!({"last_period": "2025-06-27", "height_mm": 1580, "labs": {"blood_group": "A", "rh": "positive"}}),
            ),
            record(
                VISIT_COLLECTION,
                "v1",
                json!({"date": "2025-11-20", "weight_g": 56000, "systolic": 112, "diastolic": 68, "urine_protein": "-"}),
            ),
            record("event", "e1", json!({"not": "the handbook's"})),
        ],
    )
}

#[test]
fn a_handbook_file_reads_back_as_it_was_written() {
    let file = sakura();
    assert_eq!(file.format, "tsunagaru-handbook");
    assert_eq!(file.version, 1);
    let collections: Vec<&str> = file.records.iter().map(|r| r.collection.as_str()).collect();
    assert_eq!(
        collections,
        [
            NOTE_COLLECTION,
            PREGNANCY_COLLECTION,
            VISIT_COLLECTION,
            BIRTH_COLLECTION,
            MEASUREMENT_COLLECTION,
            MEASUREMENT_COLLECTION,
            DOSE_COLLECTION
        ],
        "the handbook's records only, in the handbook's order, then by id"
    );
    assert_eq!(parse(&file.to_json()), Ok(file.clone()));
    assert_eq!(
        file.counts(),
        [
            (NOTE_COLLECTION, 1),
            (PREGNANCY_COLLECTION, 1),
            (VISIT_COLLECTION, 1),
            (BIRTH_COLLECTION, 1),
            (MEASUREMENT_COLLECTION, 2),
            (DOSE_COLLECTION, 1)
        ]
    );
}

#[test]
fn an_import_takes_the_new_familys_ids_and_fresh_ones() {
    let file = sakura();
    let mut n = 0;
    let imported = file.remap(NEW, || {
        n += 1;
        format!("fresh-{n}")
    });
    assert_eq!(imported.len(), file.records.len());
    let scope = Scope::of("family", NEW);
    for (record, from) in imported.iter().zip(&file.records) {
        assert_eq!(record.scope, scope);
        assert_eq!(record.collection, from.collection);
        assert_eq!(record.body, from.body, "nothing in a body changes");
        assert!(!record.id.contains(OLD), "{}", record.id);
        assert_eq!(
            check(&record.collection, &record.id, &record.scope, &record.body),
            Ok(()),
            "the server takes {} {}",
            record.collection,
            record.id
        );
    }
    let ids: Vec<&str> = imported.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "fresh-1",
            &format!("pregnancy-{NEW}"),
            "fresh-2",
            &format!("birth-{NEW}"),
            "fresh-3",
            "fresh-4",
            "fresh-5"
        ]
    );
}

/// The file's text with `change` made to its JSON.
fn changed(change: impl FnOnce(&mut Value)) -> String {
    let mut value = serde_json::to_value(sakura()).unwrap();
    change(&mut value);
    value.to_string()
}

#[test]
fn a_file_of_another_version_is_refused_as_such() {
    for version in [json!(2), json!(0)] {
        let text = changed(|v| v["version"] = version.clone());
        assert_eq!(
            parse(&text),
            Err(ErrorCode::HandbookFileVersion),
            "{version}"
        );
    }
    let newer_shape = changed(|v| {
        v["version"] = json!(2);
        v["children"] = json!([]);
    });
    assert_eq!(
        parse(&newer_shape),
        Err(ErrorCode::HandbookFileVersion),
        "the version is read before the shape"
    );
    let unversioned = changed(|v| {
        v.as_object_mut()
            .unwrap()
            .remove("version")
            .map(drop)
            .unwrap()
    });
    assert_eq!(parse(&unversioned), Err(ErrorCode::HandbookFileInvalid));
}

#[test]
fn a_record_that_fails_its_check_refuses_the_whole_file() {
    let heavy_baby = changed(|v| v["records"][3]["body"]["weight_g"] = json!(50_000));
    assert_eq!(parse(&heavy_baby), Err(ErrorCode::HandbookFileInvalid));
    let no_values = changed(|v| v["records"][4]["body"] = json!({"measured_on": "2026-05-01"}));
    assert_eq!(parse(&no_values), Err(ErrorCode::HandbookFileInvalid));
    let extra_field = changed(|v| v["records"][0]["body"]["mood"] = json!("good"));
    assert_eq!(parse(&extra_field), Err(ErrorCode::HandbookFileInvalid));
    let not_an_object = changed(|v| v["records"][6]["body"] = json!([1, 2]));
    assert_eq!(parse(&not_an_object), Err(ErrorCode::HandbookFileInvalid));
}

#[test]
fn ids_and_one_per_family_records_are_checked() {
    let second_birth = changed(|v| {
        let birth = v["records"][3].clone();
        let mut again = birth.clone();
        again["id"] = json!("birth-other");
        v["records"].as_array_mut().unwrap().push(again);
    });
    assert_eq!(parse(&second_birth), Err(ErrorCode::HandbookFileInvalid));
    let same_id = changed(|v| v["records"][5]["id"] = json!("m1"));
    assert_eq!(parse(&same_id), Err(ErrorCode::HandbookFileInvalid));
    for id in [
        "",
        "has space",
        "notice-1",
        "birth-x",
        &format!("pregnancy-{OLD}"),
    ] {
        let text = changed(|v| v["records"][0]["id"] = json!(id));
        assert_eq!(parse(&text), Err(ErrorCode::HandbookFileInvalid), "{id:?}");
    }
}

#[test]
fn a_kind_of_record_this_version_does_not_know_is_refused_clearly() {
    for collection in ["handbook_checkup_someday", "event", "rsvp"] {
        let text = changed(|v| v["records"][0]["collection"] = json!(collection));
        assert_eq!(
            parse(&text),
            Err(ErrorCode::HandbookFileUnknown),
            "{collection}"
        );
    }
}

#[test]
fn other_files_and_broken_ones_are_not_handbooks() {
    for text in [
        "",
        "not json",
        "[]",
        r#"{"format": "something-else", "version": 1}"#,
        &changed(|v| v["format"] = json!("tsunagaru-board")),
        &changed(|v| v["family"]["child_name"] = json!("")),
        &changed(|v| v["family"]["child_birth_date"] = json!("2026-02-30")),
        &changed(|v| v["family"]["id"] = json!("")),
        &changed(|v| {
            v["family"]
                .as_object_mut()
                .unwrap()
                .remove("id")
                .map(drop)
                .unwrap()
        }),
        &changed(|v| v["records"] = json!({})),
        &changed(|v| v["surprise"] = json!(true)),
    ] {
        assert_eq!(
            parse(text),
            Err(ErrorCode::HandbookFileInvalid),
            "{text:.80}"
        );
    }
}

#[test]
fn an_empty_handbook_is_a_file_too() {
    let empty = HandbookFile::new(
        Family {
            id: OLD.into(),
            child_name: "未定".into(),
            child_birth_date: "2027-04-01".into(),
        },
        "2026-12-06T03:00:00Z".into(),
        [],
    );
    assert_eq!(parse(&empty.to_json()), Ok(empty.clone()));
    assert!(empty.counts().is_empty());
    assert!(empty.remap(NEW, String::new).is_empty());
}
