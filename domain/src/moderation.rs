//! Moderation of the event board and circulars: any resident may report an event or a
//! circular with a reason; once [`HIDE_AFTER`] different residents have reported it,
//! it is hidden until an admin has looked at it; admins hide or show it again, with a
//! reason kept in the audit log.
//!
//! What residents' phones receive is a `moderation` record (id [`moderation_id`]) in
//! the target's own scope, written by the server only: whether the target is hidden and
//! who decided, never who reported it or why. Each reporter gets a `report` record in
//! their own `user:` scope, so every device of theirs shows 「報告済み」.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::events::EVENT_COLLECTION;

/// The sync collection of moderation decisions (the target's scope; server-written).
pub const MODERATION_COLLECTION: &str = "moderation";
/// A resident's own reports (their `user:` scope; server-written).
pub const REPORT_COLLECTION: &str = "report";
/// The sync collection circulars live in (an association's scope).
pub const CIRCULAR_COLLECTION: &str = "circular";
/// Longest reason, in characters.
pub const REASON_MAX: usize = 400;
/// Different residents whose reports hide a target that no admin has reviewed.
pub const HIDE_AFTER: usize = 3;

/// The id of a target's moderation record.
pub fn moderation_id(target_id: &str) -> String {
    format!("mod-{target_id}")
}

/// What can be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Event,
    Circular,
}

impl Kind {
    /// The sync collection the target lives in.
    pub fn collection(self) -> &'static str {
        match self {
            Kind::Event => EVENT_COLLECTION,
            Kind::Circular => CIRCULAR_COLLECTION,
        }
    }

    /// The kind of a record of this collection, if it can be reported.
    pub fn of_collection(collection: &str) -> Option<Kind> {
        [Kind::Event, Kind::Circular]
            .into_iter()
            .find(|k| k.collection() == collection)
    }
}

/// A reason a person gave (a report's, or an admin's decision's): 1–400 characters,
/// not only spaces, no control characters but line breaks.
pub fn check_reason(reason: &str) -> Result<(), ErrorCode> {
    let chars = reason.chars().count();
    let ok = !reason.trim().is_empty()
        && chars <= REASON_MAX
        && !reason.chars().any(|c| c.is_control() && c != '\n');
    if ok {
        Ok(())
    } else {
        Err(ErrorCode::ReportReasonInvalid)
    }
}

/// Who decided a moderation record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// Enough residents reported it; no admin has looked yet.
    Reports,
    /// An admin reviewed it.
    Admin,
}

/// A moderation record's body (collection `moderation`): what every reader of the
/// target learns. No reporter, no reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Moderation {
    pub target_id: String,
    pub hidden: bool,
    pub by: By,
}

impl Moderation {
    /// Who hides the target now, `None` if it is shown: the one rule for "is this
    /// hidden" that the board and the server's checks share.
    pub fn hidden_by(&self) -> Option<By> {
        self.hidden.then_some(self.by)
    }
}

/// A reporter's own record (collection `report`): that they reported this target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub target_id: String,
}

/// The moderation record to write after a report, if the target is to be hidden now:
/// when at least [`HIDE_AFTER`] different residents have open reports on it, unless it
/// is hidden already or an admin has reviewed it (an admin's decision stands; later
/// reports wait for the admin, who sees them in the list).
pub fn after_report(
    target_id: &str,
    current: Option<&Moderation>,
    open_reporters: usize,
) -> Option<Moderation> {
    let reviewed_or_hidden = current.is_some_and(|m| m.hidden || m.by == By::Admin);
    (!reviewed_or_hidden && open_reporters >= HIDE_AFTER).then(|| Moderation {
        target_id: target_id.to_owned(),
        hidden: true,
        by: By::Reports,
    })
}

/// `POST /api/admin/moderation/{target_id}`: an admin hides or shows a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub hidden: bool,
    /// Why, in 1–400 characters; kept in the audit log.
    pub reason: String,
}

/// `GET /api/admin/reports`: one target with open reports, or hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportedTarget {
    pub target_id: String,
    pub kind: Kind,
    /// The target's title as it is now (empty if it has none).
    pub title: String,
    /// The target has been deleted by its writers.
    pub deleted: bool,
    pub hidden: bool,
    /// Who decided the current state; none while nobody has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<By>,
    /// Open reports (different residents) since the last review.
    pub reports: u32,
    /// Their reasons, oldest first.
    pub reasons: Vec<String>,
    /// The newest open report, RFC 3339 UTC; none without open reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reported_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_has_1_to_400_characters_of_real_words() {
        assert_eq!(check_reason("内容がまちがっている"), Ok(()));
        assert_eq!(check_reason(&"あ".repeat(400)), Ok(()));
        assert_eq!(check_reason("二行目\nもある"), Ok(()));
        for bad in ["", "   ", "\n", "ベル\u{7}", "タブ\tも"] {
            assert_eq!(
                check_reason(bad),
                Err(ErrorCode::ReportReasonInvalid),
                "{bad:?}"
            );
        }
        assert_eq!(
            check_reason(&"あ".repeat(401)),
            Err(ErrorCode::ReportReasonInvalid)
        );
    }

    #[test]
    fn the_third_different_reporter_hides_the_target() {
        assert_eq!(after_report("e1", None, 1), None);
        assert_eq!(after_report("e1", None, 2), None);
        assert_eq!(
            after_report("e1", None, 3),
            Some(Moderation {
                target_id: "e1".into(),
                hidden: true,
                by: By::Reports
            })
        );
        assert!(after_report("e1", None, 7).is_some());
    }

    #[test]
    fn a_hidden_or_reviewed_target_is_not_hidden_again_by_reports() {
        let hidden = Moderation {
            target_id: "e1".into(),
            hidden: true,
            by: By::Reports,
        };
        assert_eq!(after_report("e1", Some(&hidden), 5), None);
        let left_visible = Moderation {
            target_id: "e1".into(),
            hidden: false,
            by: By::Admin,
        };
        assert_eq!(after_report("e1", Some(&left_visible), 10), None);
    }

    #[test]
    fn events_and_circulars_can_be_reported_nothing_else() {
        assert_eq!(Kind::of_collection("event"), Some(Kind::Event));
        assert_eq!(Kind::of_collection("circular"), Some(Kind::Circular));
        assert_eq!(Kind::of_collection("handbook_note"), None);
        assert_eq!(moderation_id("e1"), "mod-e1");
    }
}
