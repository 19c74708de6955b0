//! What a page shows from the sync store: the records of one collection in one scope as
//! last pulled, with this device's pending changes on top (see [`overlay`]), each marked
//! pending or sent. And the ids new records get.

use std::collections::BTreeMap;

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
