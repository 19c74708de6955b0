//! The client side of sync: write locally first (record change and outbox entry in one
//! store transaction), push the outbox, pull pages of changes. Storage and network are
//! traits: the app gives IndexedDB and `fetch`, the tests give memory and a faulty
//! simulated network.

#![allow(async_fn_in_trait)] // single-threaded (WASM): the futures need not be Send.

use std::{
    collections::BTreeSet,
    future::{Future, poll_fn},
    pin::pin,
    task::Poll,
};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::commands::Command;
use super::protocol::{
    Mutation, Op, Outcome, PullRequest, PullResponse, PushRequest, PushResponse, Record, Scope,
};

/// What the client keeps besides records and the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub client_id: String,
    /// The id the next local mutation gets (gap-free from 1).
    pub next_mutation_id: u64,
    /// The last pulled page's cursor.
    pub cursor: u64,
    /// The scopes whose records this client holds.
    pub scopes: BTreeSet<Scope>,
}

impl Meta {
    pub fn new(client_id: impl Into<String>) -> Meta {
        Meta {
            client_id: client_id.into(),
            next_mutation_id: 1,
            cursor: 0,
            scopes: BTreeSet::new(),
        }
    }
}

/// A refused or conflicting mutation, kept for the person to see and act on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub mutation: Mutation,
    pub outcome: Outcome,
}

/// Changes applied to the store all together or not at all (one IndexedDB transaction).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Server records to store (replacing any with the same id).
    pub put: Vec<Record>,
    /// Server records to forget (deleted on the server).
    pub delete: Vec<String>,
    /// Scopes whose every record is to be forgotten (the user lost access).
    pub drop_scopes: Vec<Scope>,
    /// Mutations to add to the outbox as they are (ids already given). Local writes go
    /// through [`Store::enqueue`] instead, which gives the id.
    pub enqueue: Vec<Mutation>,
    /// Outbox entries the server has answered.
    pub dequeue: Vec<u64>,
    /// Refusals and conflicts to show.
    pub notices: Vec<Notice>,
    /// A new pull cursor for the meta row. Only the named fields of the meta row change:
    /// a pull never writes back a `next_mutation_id` read before a local write.
    pub cursor: Option<u64>,
    /// The scopes now held, for the meta row.
    pub scopes: Option<BTreeSet<Scope>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// No answer (offline, timeout, server down): try again later.
    Unreachable,
    /// Signed out: sync stops until the person signs in.
    Unauthenticated,
    /// Anything else the server said.
    Server(String),
}

/// Durable storage on the device.
pub trait Store {
    async fn meta(&self) -> Result<Meta, StoreError>;
    /// The outbox in mutation order.
    async fn outbox(&self) -> Result<Vec<Mutation>, StoreError>;
    /// The server's version of a record, as last pulled.
    async fn record(&self, id: &str) -> Result<Option<Record>, StoreError>;
    async fn commit(&self, batch: Batch) -> Result<(), StoreError>;
    /// Queues a local change under the next mutation id and advances the counter, all
    /// in one store transaction, so two writers (two tabs, or a write during a pull)
    /// never get the same id.
    async fn enqueue(&self, op: Op) -> Result<Mutation, StoreError>;
}

/// The network.
pub trait Transport {
    async fn push(&self, request: PushRequest) -> Result<PushResponse, TransportError>;
    async fn pull(&self, request: PullRequest) -> Result<PullResponse, TransportError>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    Store(StoreError),
    Transport(TransportError),
    /// The server has lost mutations it once acknowledged (restored from a backup).
    ServerBehind {
        last_mutation_id: u64,
    },
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> SyncError {
        SyncError::Store(e)
    }
}

impl From<TransportError> for SyncError {
    fn from(e: TransportError) -> SyncError {
        SyncError::Transport(e)
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub pushed: usize,
    pub pulled: usize,
    pub refused_or_conflicting: usize,
    /// Scopes the server no longer shows this person, dropped from the store.
    pub dropped: usize,
}

impl SyncReport {
    /// Whether the store may have changed: something was sent (and left the outbox),
    /// pulled or dropped. A sync that found nothing new, or could not reach the server,
    /// changed nothing, so the app need not read its records again.
    pub fn changed(&self) -> bool {
        self.pushed > 0 || self.pulled > 0 || self.dropped > 0
    }
}

/// Most mutations per push request.
pub const PUSH_BATCH: usize = 50;

/// The sync engine over a store and a transport. It keeps no state of its own: every
/// step reads the store, so a crash between any two steps loses nothing.
pub struct Engine<S, T> {
    pub store: S,
    pub transport: T,
}

impl<S: Store, T: Transport> Engine<S, T> {
    pub fn new(store: S, transport: T) -> Engine<S, T> {
        Engine { store, transport }
    }

    /// Queues a create or replace. Returns once the store has committed it: then, and only
    /// then, the app may say 「この端末に保存済み」.
    pub async fn put(
        &self,
        id: &str,
        collection: &str,
        scope: Scope,
        body: Value,
    ) -> Result<Mutation, StoreError> {
        let base_version = self.store.record(id).await?.map_or(0, |r| r.version);
        self.enqueue(Op::Put {
            id: id.into(),
            collection: collection.into(),
            scope,
            base_version,
            body,
        })
        .await
    }

    /// Queues a deletion.
    pub async fn delete(&self, id: &str) -> Result<Mutation, StoreError> {
        let base_version = self.store.record(id).await?.map_or(0, |r| r.version);
        self.enqueue(Op::Delete {
            id: id.into(),
            base_version,
        })
        .await
    }

    /// Queues a domain command for the server to decide.
    pub async fn command(&self, command: &Command) -> Result<Mutation, StoreError> {
        self.enqueue(command.op()).await
    }

    async fn enqueue(&self, op: Op) -> Result<Mutation, StoreError> {
        self.store.enqueue(op).await
    }

    /// Pushes the whole outbox, then pulls until there is nothing more.
    pub async fn sync(&self) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        self.sync_into(&mut report).await?;
        Ok(report)
    }

    /// [`Engine::sync`], counting into `report` as it goes: what a sync that failed
    /// half-way did before it failed is counted too.
    pub async fn sync_into(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        self.push(report).await?;
        self.pull(report).await
    }

    async fn push(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        loop {
            let outbox = self.store.outbox().await?;
            if outbox.is_empty() {
                return Ok(());
            }
            let client_id = self.store.meta().await?.client_id;
            let batch: Vec<Mutation> = outbox.into_iter().take(PUSH_BATCH).collect();
            let response = self
                .transport
                .push(PushRequest {
                    client_id,
                    mutations: batch.clone(),
                })
                .await?;
            let results = match response {
                PushResponse::Done { results } => results,
                PushResponse::Gap { last_mutation_id } => {
                    return Err(SyncError::ServerBehind { last_mutation_id });
                }
            };
            let mut answered = Batch::default();
            for result in results {
                let Some(mutation) = batch.iter().find(|m| m.id == result.mutation_id) else {
                    continue;
                };
                answered.dequeue.push(mutation.id);
                if !matches!(result.outcome, Outcome::Applied { .. }) {
                    report.refused_or_conflicting += 1;
                    answered.notices.push(Notice {
                        mutation: mutation.clone(),
                        outcome: result.outcome,
                    });
                }
            }
            if answered.dequeue.is_empty() {
                return Err(SyncError::Transport(TransportError::Server(
                    "the push was not answered".into(),
                )));
            }
            report.pushed += answered.dequeue.len();
            self.store.commit(answered).await?;
        }
    }

    /// Pulls pages until there is no more. While one page is written to the store, the
    /// next is already being fetched; each page and its cursor are still committed in
    /// order, so a failure anywhere leaves the store at the last whole page.
    async fn pull(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let meta = self.store.meta().await?;
        let client_id = meta.client_id;
        let mut held = meta.scopes;
        let mut cursor = meta.cursor;
        let request = |cursor: u64, held: &BTreeSet<Scope>| PullRequest {
            client_id: client_id.clone(),
            cursor,
            scopes: held.iter().cloned().collect(),
        };
        let mut page = self.transport.pull(request(cursor, &held)).await?;
        loop {
            let visible: BTreeSet<Scope> = page.scopes.iter().cloned().collect();
            // The server's cursor, even when it is lower: when the records of a scope
            // this phone does not hold yet do not fit in one page, the server pages
            // through everything from the start instead (docs/sync.md).
            cursor = page.cursor;
            let mut batch = Batch {
                drop_scopes: held.difference(&visible).cloned().collect(),
                cursor: Some(cursor),
                scopes: Some(visible.clone()),
                ..Batch::default()
            };
            held = visible;
            report.dropped += batch.drop_scopes.len();
            report.pulled += page.records.len();
            for record in page.records {
                if record.deleted {
                    batch.delete.push(record.id);
                } else {
                    batch.put.push(record);
                }
            }
            if !page.has_more {
                self.store.commit(batch).await?;
                return Ok(());
            }
            let (committed, next) = join(
                self.store.commit(batch),
                self.transport.pull(request(cursor, &held)),
            )
            .await;
            committed?;
            page = next?;
        }
    }
}

/// Runs two futures at once and waits for both (one task, no threads).
async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut done_a, mut done_b) = (None, None);
    poll_fn(|cx| {
        if done_a.is_none()
            && let Poll::Ready(out) = a.as_mut().poll(cx)
        {
            done_a = Some(out);
        }
        if done_b.is_none()
            && let Poll::Ready(out) = b.as_mut().poll(cx)
        {
            done_b = Some(out);
        }
        if done_a.is_some() && done_b.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    match (done_a, done_b) {
        (Some(a), Some(b)) => (a, b),
        _ => unreachable!("both are ready"),
    }
}

/// What the person sees for one record: the server's version with this device's pending
/// changes on top, in order. A pulled change never hides a pending local write.
pub fn overlay(base: Option<Record>, pending: &[Mutation], id: &str) -> Option<Record> {
    let mut view = base.filter(|r| !r.deleted);
    for mutation in pending {
        match &mutation.op {
            Op::Put {
                id: pid,
                collection,
                scope,
                body,
                ..
            } if pid == id => {
                let version = view.as_ref().map_or(0, |r| r.version);
                view = Some(Record {
                    id: pid.clone(),
                    collection: collection.clone(),
                    scope: scope.clone(),
                    version,
                    deleted: false,
                    body: body.clone(),
                });
            }
            Op::Delete { id: did, .. } if did == id => view = None,
            _ => {}
        }
    }
    view
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    fn record(id: &str, version: u64, v: i64, deleted: bool) -> Record {
        Record {
            id: id.into(),
            collection: "note".into(),
            scope: Scope::public(),
            version,
            deleted,
            body: json!({"v": v}),
        }
    }

    /// A pending change to one of two records: put a value or delete.
    fn pending_op() -> impl Strategy<Value = (bool, Option<i64>)> {
        (any::<bool>(), proptest::option::of(0i64..100))
    }

    fn mutations(ops: &[(bool, Option<i64>)]) -> Vec<Mutation> {
        ops.iter()
            .enumerate()
            .map(|(i, (first, value))| {
                let id = if *first { "a" } else { "b" }.to_owned();
                let op = match value {
                    Some(v) => Op::Put {
                        id,
                        collection: "note".into(),
                        scope: Scope::public(),
                        base_version: 0,
                        body: json!({"v": v}),
                    },
                    None => Op::Delete {
                        id,
                        base_version: 0,
                    },
                };
                Mutation {
                    id: i as u64 + 1,
                    op,
                }
            })
            .collect()
    }

    proptest! {
        /// What a person sees for a record with pending changes is the last pending
        /// change, whatever the server's version says (a pull never hides a local write).
        #[test]
        fn the_last_pending_change_wins_over_any_pulled_version(
            base in proptest::option::of((1u64..50, 0i64..100, any::<bool>())),
            ops in proptest::collection::vec(pending_op(), 0..8),
        ) {
            let base = base.map(|(version, v, deleted)| record("a", version, v, deleted));
            let pending = mutations(&ops);
            let view = overlay(base.clone(), &pending, "a");
            let last_for_a = ops.iter().rev().find(|(first, _)| *first);
            match last_for_a {
                Some((_, Some(v))) => prop_assert_eq!(view.map(|r| r.body), Some(json!({"v": v}))),
                Some((_, None)) => prop_assert!(view.is_none()),
                None => prop_assert_eq!(view, base.filter(|r| !r.deleted)),
            }
        }

        /// Changes to other records never affect this one.
        #[test]
        fn pending_changes_to_other_records_change_nothing(
            v in 0i64..100,
            ops in proptest::collection::vec((Just(false), proptest::option::of(0i64..100)), 0..8),
        ) {
            let base = record("a", 3, v, false);
            prop_assert_eq!(overlay(Some(base.clone()), &mutations(&ops), "a"), Some(base));
        }
    }
}
