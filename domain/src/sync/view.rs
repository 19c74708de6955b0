//! What a page shows from the sync store: the records of one collection in one scope as
//! last pulled, with this device's pending changes on top (see [`overlay`]), each marked
//! pending or sent. And the ids new records get.
//!
//! A page that shows many records (the event board: thousands) reads them with
//! [`newest`] and [`parsed_items`]: the stored JSON text is read once, each body stays
//! text until it is parsed straight into the page's type, and only the records a pending
//! change touches go through [`overlay`]. Same records, same order, same marks as
//! [`items`].

use std::{
    borrow::Cow,
    collections::{BTreeMap, BTreeSet, btree_map::Entry},
};

use serde::{Deserialize, de::DeserializeOwned};
use serde_json::value::RawValue;

use super::{
    client::overlay,
    protocol::{Mutation, Op, Record, Scope},
};

/// One record as the person sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub record: Record,
    /// A change to it waits in the outbox (「送信待ち」).
    pub pending: bool,
}

/// The records of `collection` in `scope`, pulled ones with pending changes applied and
/// pending new ones added, newest id first (ids are UUIDv7, so newest created first).
/// Only the records it keeps are copied out of `records`.
pub fn items(
    records: &[Record],
    pending: &[Mutation],
    collection: &str,
    scope: &Scope,
) -> Vec<Item> {
    let mut by_id: BTreeMap<String, Option<Record>> = records
        .iter()
        .filter(|r| r.collection == collection && &r.scope == scope)
        .map(|r| (r.id.clone(), Some(r.clone())))
        .collect();
    for mutation in pending {
        if let Op::Put {
            id,
            collection: c,
            scope: s,
            ..
        } = &mutation.op
            && c == collection
            && s == scope
        {
            by_id.entry(id.clone()).or_insert(None);
        }
    }
    let mut items: Vec<Item> = by_id
        .into_iter()
        .filter_map(|(id, base)| {
            let touched = pending
                .iter()
                .any(|m| m.op.record_id() == Some(id.as_str()));
            let view = overlay(base, pending, &id)?;
            // A pending change may have moved the record out of this list.
            (view.collection == collection && &view.scope == scope).then_some(Item {
                record: view,
                pending: touched,
            })
        })
        .collect();
    items.reverse();
    items
}

/// A [`Record`] as stored on the phone, read from its JSON text with the body left as
/// text (borrowed from that text).
#[derive(Debug, Deserialize)]
pub struct Stored<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub collection: Cow<'a, str>,
    #[serde(borrow)]
    pub scope: Cow<'a, str>,
    pub version: u64,
    pub deleted: bool,
    #[serde(borrow)]
    pub body: &'a RawValue,
}

impl Stored<'_> {
    /// The record, its body parsed.
    pub fn to_record(&self) -> Result<Record, serde_json::Error> {
        Ok(Record {
            id: self.id.clone().into_owned(),
            collection: self.collection.clone().into_owned(),
            scope: Scope(self.scope.clone().into_owned()),
            version: self.version,
            deleted: self.deleted,
            body: serde_json::from_str(self.body.get())?,
        })
    }
}

/// The newest copy (the highest version) of each record in `texts`, each a JSON array of
/// records (a stored chunk's, or loose records'), in id order. Of copies with the same
/// version, the one read first stays.
pub fn newest(texts: &[String]) -> Result<Vec<Stored<'_>>, serde_json::Error> {
    let mut newest: BTreeMap<Cow<'_, str>, Stored<'_>> = BTreeMap::new();
    for text in texts {
        for stored in serde_json::from_str::<Vec<Stored<'_>>>(text)? {
            match newest.entry(stored.id.clone()) {
                Entry::Vacant(slot) => {
                    slot.insert(stored);
                }
                Entry::Occupied(mut slot) => {
                    if slot.get().version < stored.version {
                        slot.insert(stored);
                    }
                }
            }
        }
    }
    Ok(newest.into_values().collect())
}

/// [`items`] of records read with [`newest`]; only that collection's bodies are parsed.
pub fn stored_items(
    stored: &[Stored<'_>],
    pending: &[Mutation],
    collection: &str,
    scope: &Scope,
) -> Result<Vec<Item>, serde_json::Error> {
    let records = stored
        .iter()
        .filter(|s| s.collection == collection)
        .map(Stored::to_record)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(items(&records, pending, collection, scope))
}

/// One record as the person sees it, its body parsed into `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    pub id: String,
    pub scope: Scope,
    pub value: T,
    /// A change to it waits in the outbox (「送信待ち」).
    pub pending: bool,
}

/// What [`items`] then parsing each body into `T` gives (a body `T` refuses is left
/// out), for records read with [`newest`]: each body of `collection` is parsed once,
/// straight from its text, and only records a pending change touches are overlaid.
pub fn parsed_items<T: DeserializeOwned>(
    stored: &[Stored<'_>],
    pending: &[Mutation],
    collection: &str,
    scope: &Scope,
) -> Result<Vec<Parsed<T>>, serde_json::Error> {
    let touched: BTreeSet<&str> = pending.iter().filter_map(|m| m.op.record_id()).collect();
    let ours = |s: &&Stored<'_>| s.collection == collection && s.scope == scope.0.as_str();
    let mut shown: Vec<Parsed<T>> = stored
        .iter()
        .filter(ours)
        .filter(|s| !s.deleted && !touched.contains(&*s.id))
        .filter_map(|s| {
            Some(Parsed {
                value: serde_json::from_str(s.body.get()).ok()?,
                id: s.id.clone().into_owned(),
                scope: scope.clone(),
                pending: false,
            })
        })
        .collect();
    let changed = stored
        .iter()
        .filter(ours)
        .filter(|s| touched.contains(&*s.id))
        .map(Stored::to_record)
        .collect::<Result<Vec<_>, _>>()?;
    shown.extend(
        items(&changed, pending, collection, scope)
            .into_iter()
            .filter_map(|item| {
                Some(Parsed {
                    value: T::deserialize(&item.record.body).ok()?,
                    id: item.record.id,
                    scope: item.record.scope,
                    pending: item.pending,
                })
            }),
    );
    // As `items`: newest id first.
    shown.sort_unstable_by(|a, b| b.id.cmp(&a.id));
    Ok(shown)
}

/// A UUIDv7 (RFC 9562) from a Unix time in milliseconds and 10 random bytes: sortable by
/// creation time, unique without asking the server.
pub fn new_record_id(unix_ms: u64, random: [u8; 10]) -> String {
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&unix_ms.to_be_bytes()[2..]);
    bytes[6..].copy_from_slice(&random);
    bytes[6] = 0x70 | (bytes[6] & 0x0f);
    bytes[8] = 0x80 | (bytes[8] & 0x3f);
    uuid_text(u128::from_be_bytes(bytes))
}

/// A UUID in the text form the server and the URLs use: lower-case hex, 8-4-4-4-12.
pub fn uuid_text(uuid: u128) -> String {
    let hex = format!("{uuid:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record(id: &str, scope: &Scope, v: i64) -> Record {
        Record {
            id: id.into(),
            collection: "handbook_note".into(),
            scope: scope.clone(),
            version: 1,
            deleted: false,
            body: json!({ "v": v }),
        }
    }

    fn put(n: u64, id: &str, scope: &Scope, v: i64) -> Mutation {
        Mutation {
            id: n,
            op: Op::Put {
                id: id.into(),
                collection: "handbook_note".into(),
                scope: scope.clone(),
                base_version: 0,
                body: json!({ "v": v }),
            },
        }
    }

    #[test]
    fn pending_new_and_changed_records_are_shown_and_marked() {
        let family = Scope::of("family", "f1");
        let other = Scope::of("family", "f2");
        let records = vec![
            record("01", &family, 1),
            record("02", &family, 2),
            record("03", &other, 3),
        ];
        let pending = vec![
            put(1, "02", &family, 20),
            put(2, "04", &family, 4),
            Mutation {
                id: 3,
                op: Op::Delete {
                    id: "01".into(),
                    base_version: 1,
                },
            },
            put(4, "05", &other, 5),
        ];
        let shown = items(&records, &pending, "handbook_note", &family);
        let summary: Vec<(&str, &serde_json::Value, bool)> = shown
            .iter()
            .map(|i| (i.record.id.as_str(), &i.record.body, i.pending))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("04", &json!({"v": 4}), true),
                ("02", &json!({"v": 20}), true)
            ]
        );
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct V {
        v: i64,
    }

    /// `parsed_items` over text, against `items` over the records then parsing each body.
    fn both_ways(texts: &[String], pending: &[Mutation], collection: &str, scope: &Scope) {
        let stored = newest(texts).unwrap();
        let records: Vec<Record> = stored.iter().map(|s| s.to_record().unwrap()).collect();
        let expected: Vec<Parsed<V>> = items(&records, pending, collection, scope)
            .into_iter()
            .filter_map(|item| {
                Some(Parsed {
                    value: serde_json::from_value(item.record.body).ok()?,
                    id: item.record.id,
                    scope: item.record.scope,
                    pending: item.pending,
                })
            })
            .collect();
        assert_eq!(
            parsed_items::<V>(&stored, pending, collection, scope).unwrap(),
            expected
        );
        assert_eq!(
            stored_items(&stored, pending, collection, scope).unwrap(),
            items(&records, pending, collection, scope)
        );
    }

    #[test]
    fn the_newest_copy_is_read_and_bodies_parse_as_items_would() {
        let family = Scope::of("family", "f1");
        let old = record("01", &family, 1);
        let mut new = record("01", &family, 10);
        new.version = 2;
        let same = record("02", &family, 2);
        let mut same_later = record("02", &family, 20);
        same_later.version = same.version;
        let mut gone = record("03", &family, 3);
        gone.deleted = true;
        let mut odd = record("04", &family, 4);
        odd.body = json!({"w": 4});
        let mut other = record("05", &family, 5);
        other.collection = "other".into();
        let texts = vec![
            serde_json::to_string(&vec![&new, &same, &gone]).unwrap(),
            serde_json::to_string(&vec![&old, &same_later, &odd, &other]).unwrap(),
        ];
        let stored = newest(&texts).unwrap();
        let read: Vec<(&str, u64)> = stored.iter().map(|s| (&*s.id, s.version)).collect();
        assert_eq!(
            read,
            vec![("01", 2), ("02", 1), ("03", 1), ("04", 1), ("05", 1)]
        );
        assert_eq!(stored[0].to_record().unwrap(), new);
        assert_eq!(
            stored[1].to_record().unwrap(),
            same,
            "the first copy read stays"
        );
        both_ways(&texts, &[], "handbook_note", &family);
        let pending = vec![
            put(1, "02", &family, 21),
            put(2, "06", &family, 6),
            Mutation {
                id: 3,
                op: Op::Delete {
                    id: "01".into(),
                    base_version: 2,
                },
            },
        ];
        both_ways(&texts, &pending, "handbook_note", &family);
        both_ways(&texts, &pending, "other", &family);
        both_ways(&texts, &pending, "handbook_note", &Scope::public());
    }

    proptest::proptest! {
        #[test]
        fn parsed_items_are_items(
            copies in proptest::collection::vec(
                (0u8..6, 1u64..4, proptest::bool::ANY, 0u8..3, 0u8..2, 0i64..100), 0..24),
            ops in proptest::collection::vec((0u8..7, 0u8..3, proptest::bool::ANY, 0i64..100), 0..6),
            split in 0usize..24,
        ) {
            let scopes = [Scope::of("family", "f1"), Scope::public()];
            let records: Vec<Record> = copies
                .iter()
                .map(|&(id, version, deleted, collection, scope, v)| Record {
                    id: format!("0{id}"),
                    collection: ["handbook_note", "other", "handbook_note"][collection as usize].into(),
                    scope: scopes[scope as usize].clone(),
                    version,
                    deleted,
                    // Some bodies `V` refuses.
                    body: if v % 7 == 0 { json!({"w": v}) } else { json!({"v": v}) },
                })
                .collect();
            let split = split.min(records.len());
            let texts = vec![
                serde_json::to_string(&records[..split]).unwrap(),
                serde_json::to_string(&records[split..]).unwrap(),
            ];
            let pending: Vec<Mutation> = ops
                .iter()
                .enumerate()
                .map(|(n, &(id, kind, put_it, v))| Mutation {
                    id: n as u64 + 1,
                    op: if put_it {
                        Op::Put {
                            id: format!("0{id}"),
                            collection: ["handbook_note", "other", "handbook_note"][kind as usize].into(),
                            scope: scopes[kind as usize % 2].clone(),
                            base_version: 0,
                            body: json!({"v": v}),
                        }
                    } else {
                        Op::Delete { id: format!("0{id}"), base_version: 1 }
                    },
                })
                .collect();
            for scope in &scopes {
                for collection in ["handbook_note", "other"] {
                    both_ways(&texts, &pending, collection, scope);
                }
            }
        }
    }

    #[test]
    fn record_ids_are_version_7_and_sort_by_time() {
        let early = new_record_id(1_700_000_000_000, [0xff; 10]);
        let late = new_record_id(1_700_000_000_001, [0; 10]);
        assert_eq!(early.len(), 36);
        assert_eq!(&early[14..15], "7");
        assert!(matches!(&early[19..20], "8" | "9" | "a" | "b"));
        assert!(early < late);
        assert_eq!(&late[..13], "018bcfe5-6801");
    }
}
