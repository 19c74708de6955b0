//! The handbook as one file (`docs/handbook-format.md`): every record of a family's
//! handbook collections, with the child's name and birth day, so a family that moves or
//! changes phones keeps it in an open format and can read it back into a new account.
//! Generic over [`HANDBOOK_COLLECTIONS`]: a collection added there is written and read
//! with no change here. A file is checked whole before anything is imported, with the
//! same checks the server runs on push, so an import is all or nothing. Ids the domain
//! derives from the family (`birth-<family>`, `pregnancy-<family>` and any like them)
//! end with the family's id: an import puts the new family's id in its place.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ErrorCode;
use crate::dates::Day;
use crate::families::validate_child_name;
use crate::sync::collections::{HANDBOOK_COLLECTIONS, check};
use crate::sync::ids::{is_client_id, valid_id};
use crate::sync::protocol::Scope;

/// The `format` every handbook file names, so another JSON file is not taken for one.
pub const FORMAT: &str = "tsunagaru-handbook";
/// The version this app writes and reads. It changes only when a field changes its
/// meaning or goes away; a new collection or a new optional field does not change it
/// (an older app refuses such a record as unknown instead of dropping it).
pub const VERSION: u32 = 1;

/// One handbook file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandbookFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`] when written by this app.
    pub version: u32,
    /// When it was written, RFC 3339 in UTC (information only).
    pub exported_at: String,
    pub family: Family,
    /// Every record, in [`HANDBOOK_COLLECTIONS`]' order, then by id.
    pub records: Vec<FileRecord>,
}

/// The family the handbook was written from, and the child it is for: what a new
/// family is created with on import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// The family's id where it was exported (the end of the ids derived from it).
    pub id: String,
    pub child_name: String,
    /// `YYYY-MM-DD`: the day of birth, or the due date before it.
    pub child_birth_date: String,
}

/// One record as the family's sync collection holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRecord {
    pub collection: String,
    pub id: String,
    pub body: Value,
}

/// A record ready to be written into the new family (through the sync store).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    pub collection: String,
    pub id: String,
    pub scope: Scope,
    pub body: Value,
}

impl HandbookFile {
    /// The file of a family's handbook: `records` are `(collection, id, body)`, those of
    /// collections that are not the handbook's left out.
    pub fn new(
        family: Family,
        exported_at: String,
        records: impl IntoIterator<Item = (String, String, Value)>,
    ) -> HandbookFile {
        let mut records: Vec<FileRecord> = records
            .into_iter()
            .filter(|(collection, _, _)| HANDBOOK_COLLECTIONS.contains(&collection.as_str()))
            .map(|(collection, id, body)| FileRecord {
                collection,
                id,
                body,
            })
            .collect();
        records.sort_by(|a, b| (rank(&a.collection), &a.id).cmp(&(rank(&b.collection), &b.id)));
        HandbookFile {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at,
            family,
            records,
        }
    }

    /// The file's text: indented JSON, readable in any text editor.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// How many records of each collection, in [`HANDBOOK_COLLECTIONS`]' order; only
    /// collections that have some.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        HANDBOOK_COLLECTIONS
            .iter()
            .map(|c| {
                (
                    *c,
                    self.records.iter().filter(|r| r.collection == *c).count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// The records for a new family `family_id`: a record whose id was derived from the
    /// old family (it ends with its id) under the same id derived from the new one, every
    /// other record under a fresh id from `new_id` (so the same file imported twice makes
    /// two handbooks, never a clash).
    pub fn remap(&self, family_id: &str, mut new_id: impl FnMut() -> String) -> Vec<ImportRecord> {
        let scope = Scope::of("family", family_id);
        self.records
            .iter()
            .map(|record| ImportRecord {
                id: match record.id.strip_suffix(self.family.id.as_str()) {
                    Some(derived) => format!("{derived}{family_id}"),
                    None => new_id(),
                },
                collection: record.collection.clone(),
                scope: scope.clone(),
                body: record.body.clone(),
            })
            .collect()
    }
}

/// Where a collection comes in the file.
fn rank(collection: &str) -> usize {
    HANDBOOK_COLLECTIONS
        .iter()
        .position(|c| *c == collection)
        .unwrap_or(usize::MAX)
}

/// Reads a handbook file, checking all of it: the format and version
/// (`handbook_file_version` for a version this app cannot read), the child, and every
/// record with the server's own check (`handbook_file_unknown` for a kind of record this
/// version does not know; `handbook_file_invalid` for anything else that is wrong).
pub fn parse(text: &str) -> Result<HandbookFile, ErrorCode> {
    let invalid = ErrorCode::HandbookFileInvalid;
    let value: Value = serde_json::from_str(text).map_err(|_| invalid)?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(invalid);
    }
    // Before the shape: a newer version may have fields this one does not know.
    match value.get("version").and_then(Value::as_u64) {
        None => return Err(invalid),
        Some(version) if version != u64::from(VERSION) => {
            return Err(ErrorCode::HandbookFileVersion);
        }
        Some(_) => {}
    }
    let file: HandbookFile = serde_json::from_value(value).map_err(|_| invalid)?;
    let name_ok = validate_child_name(&file.family.child_name)
        .is_ok_and(|name| name == file.family.child_name);
    let family_ok = valid_id(&file.family.id) && file.family.id.len() >= 8;
    if !family_ok || !name_ok || Day::parse(&file.family.child_birth_date).is_none() {
        return Err(invalid);
    }
    // Checked in the scope it was written in: the ids derived from the family too.
    let scope = Scope::of("family", &file.family.id);
    let mut ids = BTreeSet::new();
    for record in &file.records {
        let collection = record.collection.as_str();
        if !HANDBOOK_COLLECTIONS.contains(&collection) {
            return Err(ErrorCode::HandbookFileUnknown);
        }
        if !is_client_id(&record.id) || !ids.insert(record.id.as_str()) {
            return Err(invalid);
        }
        check(collection, &record.id, &scope, &record.body).map_err(|_| invalid)?;
    }
    Ok(file)
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
