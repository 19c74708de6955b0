//! What the ward's admins see and change: accounts and their roles, and the audit log.

use serde::{Deserialize, Serialize};

use crate::accounts::Role;

/// One account in the admin's list (`GET /api/admin/users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub created_at: String,
}

/// `PUT /api/admin/users/{id}/roles`: the complete set of ward roles the account holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RolesUpdate {
    pub roles: Vec<Role>,
}

/// One row of the append-only audit log. It names people and objects by id and never
/// holds health values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// The acting account, if anyone was signed in.
    pub actor: Option<String>,
    /// A hash of the acting session's id, to tell one device from another.
    pub session: Option<String>,
    /// What happened, e.g. `family.read`, `role.grant`, `sign_in.rate_limited`.
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// `allowed`, `denied` or `failed`.
    pub outcome: String,
    /// Why, in the acting person's words, for decisions that need one (an admin hiding
    /// or showing a reported event or circular). Part of the hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// SHA-256 of the previous entry's hash and this entry's fields, hex.
    pub hash: String,
}

/// `GET /api/admin/audit`: a page of entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next, older page.
    pub next_before: Option<i64>,
}

/// `GET /api/admin/audit/verify`: whether the hash chain is whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditVerification {
    pub intact: bool,
    pub entries: i64,
    /// The first entry whose hash does not match, when the chain is broken.
    pub first_broken: Option<i64>,
}
