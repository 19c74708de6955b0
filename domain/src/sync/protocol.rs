//! The sync protocol's wire types: what a client pushes and pulls.
//! See docs/sync.md for the rules and invariants.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who may see a record: everyone, one user, one family, one association or one course.
/// Written `public`, `user:<id>`, `family:<id>`, `association:<id>`, `course:<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Scope(pub String);

impl Scope {
    pub fn public() -> Scope {
        Scope("public".into())
    }

    pub fn of(kind: &str, id: &str) -> Scope {
        Scope(format!("{kind}:{id}"))
    }

    /// The kind and the id (`("family", "0193…")`); `("public", "")` for public.
    pub fn parts(&self) -> (&str, &str) {
        self.0.split_once(':').unwrap_or((self.0.as_str(), ""))
    }
}

/// A record as the server holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Record {
    /// A UUIDv7 the client made.
    pub id: String,
    /// What kind of thing it is, e.g. `event`, `checkup`.
    pub collection: String,
    pub scope: Scope,
    /// Bumped by the server at every change; 0 never exists on the server.
    pub version: u64,
    /// A deleted record (a tombstone) so that clients learn of the deletion.
    pub deleted: bool,
    pub body: Value,
}

/// What a mutation does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Create or replace a record. `base_version` is the server version the client saw
    /// (0 for a new record): a different writer's newer version makes this a conflict.
    Put {
        id: String,
        collection: String,
        scope: Scope,
        base_version: u64,
        body: Value,
    },
    /// Delete a record (it becomes a tombstone).
    Delete { id: String, base_version: u64 },
    /// A domain command the server decides by its rules, never last-writer-wins:
    /// `rsvp {rsvp_id, event_id, adults, children}` or `cancel_rsvp {rsvp_id}` so far
    /// (`commands::Command`). Its effects come back as records in a pull.
    Command { name: String, args: Value },
}

impl Op {
    /// The record this mutation writes directly, if any.
    pub fn record_id(&self) -> Option<&str> {
        match self {
            Op::Put { id, .. } | Op::Delete { id, .. } => Some(id),
            Op::Command { .. } => None,
        }
    }
}

/// One change a client made, numbered without gaps per client from 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutation {
    pub id: u64,
    pub op: Op,
}

/// `POST /api/sync/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub client_id: String,
    /// In order, without gaps; may start at or below the server's last applied id
    /// (a retry): those are answered with their first outcome, not applied again.
    pub mutations: Vec<Mutation>,
}

/// Why the server refused a mutation. A refused mutation is still acknowledged, so one
/// bad write never blocks the ones after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The body does not pass the domain's checks.
    Validation,
    /// The user may not write in this scope (any more).
    Permission,
    /// A domain rule: no places left.
    Full,
    /// A domain rule: the deadline has passed or the thing is closed.
    Closed,
    /// The server does not know this command.
    UnknownCommand,
    /// The writer's records are at their limit (count or bytes); deleting some makes room.
    QuotaExceeded,
    /// Never sent by the server: a change saved on this phone that the phone can no
    /// longer read (sealed under a key its store no longer has, see the app's
    /// `sync_store::seal`), so it could not be sent.
    Unreadable,
}

/// What became of one mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Written; the record now has this version (0 for a command).
    Applied { version: u64 },
    /// Not written, for this reason.
    Refused { reason: Refusal },
    /// Another writer changed the record first: theirs stays, this write is kept in the
    /// user's conflicts for review.
    Conflict { current_version: u64 },
}

/// One mutation's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    pub mutation_id: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The answer to a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PushResponse {
    /// Every mutation of the request, in order, with its outcome.
    Done { results: Vec<MutationResult> },
    /// The batch skips ids: the server has applied up to `last_mutation_id`; send from
    /// the one after it.
    Gap { last_mutation_id: u64 },
}

/// `GET /api/sync/pull`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullRequest {
    pub client_id: String,
    /// The `cursor` of the last page applied; 0 at first.
    pub cursor: u64,
    /// The scopes whose records this client already holds.
    pub scopes: Vec<Scope>,
}

/// A page of changes in commit order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Records changed after the cursor, in the scopes the user may see now, plus every
    /// record of a scope the client did not hold yet.
    pub records: Vec<Record>,
    /// Every scope the user may see now: the client drops the data of any other.
    pub scopes: Vec<Scope>,
    pub cursor: u64,
    pub has_more: bool,
}
