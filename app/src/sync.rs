//! Offline sync on the phone (docs/sync.md): the engine from `domain::sync::client` over
//! the IndexedDB store ([`IdbStore`]) and `fetch` ([`FetchTransport`]), the triggers that
//! run it, and the state the sync bar shows.
//!
//! Every local write is committed to IndexedDB first (record change and outbox entry in
//! one transaction) and only then reported as 「この端末に保存済み」. A sync runs at app
//! start, after sign-in, on the `online` event, when the page becomes visible again,
//! after every local write, from 「今すぐ同期」 and on a timer: every 5 minutes after a
//! success, with exponential backoff and jitter after a failure. One sync at a time per
//! tab, and one at a time across tabs (Web Locks): the outbox is read inside the lock,
//! so two tabs never push the same changes. Tabs tell each other through a
//! BroadcastChannel when the store changed.

use std::{cell::RefCell, future::Future, rc::Rc};

use domain::sync::{
    client::{Engine, Notice, StoreError, SyncError, SyncReport, Transport, TransportError},
    protocol::{Mutation, PullRequest, PullResponse, PushRequest, PushResponse, Scope},
    view::{self, Item},
};
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::Promise;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue, closure::Closure, prelude::wasm_bindgen};
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use crate::{
    account::state::{Account, Session},
    api::{self, ApiError},
    browser,
    sync_store::{IdbStore, ScopesRead},
};

/// The IndexedDB database of one user's synced data (deleted at sign-out).
pub const DB_PREFIX: &str = "tsunagaru-sync-";
const LOCK_NAME: &str = "tsunagaru-sync";
const CHANNEL_NAME: &str = "tsunagaru-sync";
/// After a successful sync, the next one (changes made by others).
const PERIOD_MS: f64 = 5.0 * 60.0 * 1000.0;
/// The first retry after a failure; doubled at each failure, up to the period.
const RETRY_MS: f64 = 5_000.0;

/// `fetch` to `/api/sync/*`.
pub struct FetchTransport;

fn transport_error(error: ApiError) -> TransportError {
    match error {
        ApiError::Unreachable => TransportError::Unreachable,
        ApiError::Refused(body) if body.code == domain::ErrorCode::Unauthenticated => {
            TransportError::Unauthenticated
        }
        ApiError::Refused(body) => TransportError::Server(body.message),
    }
}

impl Transport for FetchTransport {
    async fn push(&self, request: PushRequest) -> Result<PushResponse, TransportError> {
        api::sync_push(&request).await.map_err(transport_error)
    }

    async fn pull(&self, request: PullRequest) -> Result<PullResponse, TransportError> {
        api::sync_pull(&request).await.map_err(transport_error)
    }
}

type LocalEngine = Engine<IdbStore, FetchTransport>;

struct Opened {
    user_id: String,
    engine: Rc<LocalEngine>,
}

thread_local! {
    /// The signed-in user's engine, once their store is open.
    static ENGINE: RefCell<Option<Opened>> = const { RefCell::new(None) };
}

fn engine() -> Option<Rc<LocalEngine>> {
    ENGINE.with(|e| e.borrow().as_ref().map(|o| o.engine.clone()))
}

/// Where sync stands, for the sync bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Nobody is signed in: nothing to sync.
    SignedOut,
    /// The store on this phone is being opened.
    Opening,
    /// Open, not synced yet in this visit.
    Idle,
    Syncing,
    /// Everything was sent and the latest changes received.
    Synced,
    /// No network or no answer: it will try again by itself.
    Unreachable,
    /// The session ended: sign in again to send.
    NeedsSignIn,
    /// Something else went wrong; the words say what.
    Failed(String),
}

/// The sync state and actions, provided as context by the shell.
#[derive(Clone, Copy)]
pub struct Sync {
    pub phase: RwSignal<Phase>,
    /// Changes waiting in the outbox.
    pub pending: RwSignal<usize>,
    /// Refused and conflicting changes, with their keys.
    pub notices: RwSignal<Vec<(f64, Notice)>>,
    /// Bumped whenever the store changed (here or in another tab): pages re-read.
    pub revision: RwSignal<u64>,
    running: StoredValue<bool>,
    again: StoredValue<bool>,
    failures: StoredValue<u32>,
    /// The next timed sync; dropping it cancels it.
    timer: StoredValue<Option<Timeout>, LocalStorage>,
    account: Account,
}

impl Sync {
    /// Creates the context; nothing runs until [`Sync::start`].
    pub fn provide(account: Account) -> Sync {
        let sync = Sync {
            phase: RwSignal::new(Phase::SignedOut),
            pending: RwSignal::new(0),
            notices: RwSignal::new(Vec::new()),
            revision: RwSignal::new(0),
            running: StoredValue::new(false),
            again: StoredValue::new(false),
            failures: StoredValue::new(0),
            timer: StoredValue::new_local(None),
            account,
        };
        provide_context(sync);
        sync
    }

    /// Starts the triggers (once, from `platform`): opens the signed-in user's store and
    /// syncs at the moments the module's comment lists.
    pub fn start(self) {
        let (sync, account) = (self, self.account);
        // Open the signed-in user's store; sync once the server confirms the session.
        Effect::new(move |_| match account.session() {
            Session::SignedIn(me) => sync.open(me.id, true),
            Session::Checking(Some(me)) | Session::Offline(Some(me)) => sync.open(me.id, false),
            Session::Checking(None) | Session::Offline(None) => {}
            Session::SignedOut => sync.close(),
        });

        let online = window_event_listener(leptos::ev::online, move |_| sync.now());
        let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if !browser::document().is_some_and(|d| d.hidden()) {
                sync.now();
            }
        });
        let channel = web_sys::BroadcastChannel::new(CHANNEL_NAME)
            .ok()
            .map(|channel| {
                let listener = EventListener::new(&channel, "message", move |_| sync.reload());
                (channel, listener)
            });
        CHANNEL.with(|c| *c.borrow_mut() = channel);
        on_cleanup(move || {
            online.remove();
            visible.remove();
        });
    }

    pub fn get() -> Sync {
        expect_context::<Sync>()
    }

    fn open(self, user_id: String, then_sync: bool) {
        let same = ENGINE.with(|e| e.borrow().as_ref().is_some_and(|o| o.user_id == user_id));
        if same {
            if then_sync {
                self.now();
            }
            return;
        }
        self.close();
        self.phase.set(Phase::Opening);
        leptos::task::spawn_local(async move {
            let name = format!("{DB_PREFIX}{user_id}");
            match IdbStore::open(&name, browser::random_hex_id).await {
                Ok(store) => {
                    ENGINE.with(|e| {
                        *e.borrow_mut() = Some(Opened {
                            user_id,
                            engine: Rc::new(Engine::new(store, FetchTransport)),
                        })
                    });
                    self.phase.set(Phase::Idle);
                    self.reload();
                    request_persistence().await;
                    if then_sync {
                        self.now();
                    }
                }
                Err(error) => self.phase.set(Phase::Failed(error.0)),
            }
        });
    }

    /// Signs out safely: stops syncing and closes this phone's store first, so that
    /// deleting the phone's data is not held back by an open connection or a sync still
    /// writing. The store is opened again when signing out fails.
    pub async fn sign_out(self) -> Result<(), ApiError> {
        self.close();
        let result = self.account.sign_out().await;
        if result.is_err()
            && let Some(me) = untrack(|| self.account.me())
        {
            self.open(me.id, true);
        }
        result
    }

    fn close(self) {
        if let Some(opened) = ENGINE.with(|e| e.borrow_mut().take()) {
            opened.engine.store.close();
        }
        self.clear_timer();
        self.phase.set(Phase::SignedOut);
        self.pending.set(0);
        self.notices.set(Vec::new());
        self.revision.update(|r| *r += 1);
    }

    /// Re-reads the outbox size and notices, and tells pages to re-read their records.
    pub fn reload(self) {
        let Some(engine) = engine() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(n) = engine.store.pending_count().await {
                self.pending.set(n);
            }
            if let Ok(notices) = engine.store.keyed_notices().await {
                self.notices.set(notices);
            }
            self.revision.update(|r| *r += 1);
        });
    }

    /// Syncs now (or right after the sync that is running).
    pub fn now(self) {
        let Some(engine) = engine() else {
            return;
        };
        if self.running.get_value() {
            self.again.set_value(true);
            return;
        }
        self.running.set_value(true);
        self.clear_timer();
        self.phase.set(Phase::Syncing);
        leptos::task::spawn_local(async move {
            let result = exclusively(async move {
                browser::mark("tsunagaru-sync-start");
                let mut report = SyncReport::default();
                let result = engine.sync_into(&mut report).await;
                if result.is_ok() {
                    browser::measure("tsunagaru-sync", "tsunagaru-sync-start");
                }
                (result, report.changed())
            })
            .await;
            match result {
                Some((result, changed)) => self.finished(Some(result), changed),
                None => self.finished(None, false),
            }
        });
    }

    /// After a sync: `changed` when it sent, pulled or dropped anything (then pages read
    /// their records again; a sync that found nothing new, or no network, leaves them be).
    fn finished(self, result: Option<Result<(), SyncError>>, changed: bool) {
        let next = match result {
            Some(Ok(_)) => {
                self.failures.set_value(0);
                self.phase.set(Phase::Synced);
                PERIOD_MS
            }
            Some(Err(SyncError::Transport(TransportError::Unauthenticated))) => {
                self.phase.set(Phase::NeedsSignIn);
                self.account.refresh();
                self.backoff()
            }
            Some(Err(SyncError::Transport(TransportError::Unreachable))) => {
                self.phase.set(Phase::Unreachable);
                self.backoff()
            }
            Some(Err(SyncError::Transport(TransportError::Server(message)))) => {
                self.phase.set(Phase::Failed(message));
                self.backoff()
            }
            Some(Err(SyncError::Store(error))) => {
                self.phase.set(Phase::Failed(error.0));
                self.backoff()
            }
            Some(Err(SyncError::ServerBehind { .. })) => {
                self.phase.set(Phase::Failed(String::new()));
                self.backoff()
            }
            // The lock could not be taken (the browser refused): try again later.
            None => {
                self.phase.set(Phase::Idle);
                self.backoff()
            }
        };
        self.running.set_value(false);
        if changed {
            self.reload();
            broadcast();
        }
        if self.again.get_value() {
            self.again.set_value(false);
            self.now();
        } else {
            self.schedule(next);
        }
    }

    /// The wait before the next try after one more failure: 5 s doubling up to 5 min,
    /// times a random 0.5–1.5 so phones do not retry in step.
    fn backoff(self) -> f64 {
        let failures = self.failures.get_value().saturating_add(1);
        self.failures.set_value(failures);
        let base = (RETRY_MS * 2f64.powi(failures.min(16) as i32 - 1)).min(PERIOD_MS);
        base * (0.5 + js_sys::Math::random())
    }

    fn schedule(self, after_ms: f64) {
        let timer = Timeout::new(after_ms as u32, move || self.now());
        self.timer.set_value(Some(timer));
    }

    fn clear_timer(self) {
        self.timer.set_value(None);
    }

    /// Saves a record on this phone (new when `id` is `None`), then syncs. Returns the
    /// record's id once IndexedDB has committed the change and its outbox entry.
    pub async fn put(
        self,
        id: Option<String>,
        collection: &str,
        scope: Scope,
        body: Value,
    ) -> Result<String, StoreError> {
        let engine = engine().ok_or_else(|| StoreError("not signed in".into()))?;
        let id = id.unwrap_or_else(browser::new_record_id);
        engine.put(&id, collection, scope, body).await?;
        self.changed();
        Ok(id)
    }

    /// Queues a domain command (an RSVP, say) on this phone, then syncs. The server
    /// decides it; its effects come back as records in a later pull.
    pub async fn command(
        self,
        command: &domain::sync::commands::Command,
    ) -> Result<(), StoreError> {
        let engine = engine().ok_or_else(|| StoreError("not signed in".into()))?;
        engine.command(command).await?;
        self.changed();
        Ok(())
    }

    /// The commands waiting in this phone's outbox, oldest first (to show 「送信待ち」
    /// on what they will change).
    pub async fn pending_commands() -> Result<Vec<domain::sync::commands::Command>, StoreError> {
        let engine = engine().ok_or_else(|| StoreError("not signed in".into()))?;
        let pending = domain::sync::client::Store::outbox(&engine.store).await?;
        Ok(commands(&pending))
    }

    /// Deletes a record on this phone, then syncs.
    pub async fn delete(self, id: &str) -> Result<(), StoreError> {
        let engine = engine().ok_or_else(|| StoreError("not signed in".into()))?;
        engine.delete(id).await?;
        self.changed();
        Ok(())
    }

    fn changed(self) {
        self.reload();
        broadcast();
        self.now();
    }

    /// The records of a collection in a scope, with this phone's pending changes on top.
    pub async fn items(collection: &str, scope: &Scope) -> Result<Vec<Item>, StoreError> {
        let engine = engine().ok_or_else(|| StoreError("not signed in".into()))?;
        let records = engine.store.records_in(scope).await?;
        let pending = domain::sync::client::Store::outbox(&engine.store).await?;
        Ok(view::items(&records, &pending, collection, scope))
    }

    /// The pulled records of each of `scopes` as stored text (for
    /// [`domain::sync::view::newest`] and [`domain::sync::view::parsed_items`]) and the
    /// outbox, read from the store in one transaction.
    /// Started at once (see [`IdbStore::start_read`]); wait with [`ScopesRead::finish`].
    pub fn read(scopes: &[Scope]) -> Result<ScopesRead, StoreError> {
        let engine = engine().ok_or_else(|| StoreError("not signed in".into()))?;
        engine.store.start_read(scopes)
    }

    /// Forgets a notice the person has read.
    pub fn dismiss(self, key: f64) {
        let Some(engine) = engine() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let _ = engine.store.dismiss(key).await;
            self.reload();
            broadcast();
        });
    }
}

/// The commands among the outbox's changes, oldest first.
pub fn commands(outbox: &[Mutation]) -> Vec<domain::sync::commands::Command> {
    outbox
        .iter()
        .filter_map(|m| match &m.op {
            domain::sync::protocol::Op::Command { name, args } => {
                domain::sync::commands::Command::parse(name, args).ok()
            }
            _ => None,
        })
        .collect()
}

thread_local! {
    /// The channel to this app's other tabs, with the listener that re-reads the store
    /// when one says it changed.
    static CHANNEL: RefCell<Option<(web_sys::BroadcastChannel, EventListener)>> =
        const { RefCell::new(None) };
}

/// Tells this app's other tabs that the store changed.
fn broadcast() {
    CHANNEL.with(|c| {
        if let Some((channel, _)) = c.borrow().as_ref() {
            let _ = channel.post_message(&JsValue::from_str("changed"));
        }
    });
}

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (Web Locks). web-sys has it only behind an unstable cfg.
    type LockManager;
    #[wasm_bindgen(method, js_name = request)]
    fn request(this: &LockManager, name: &str, callback: &js_sys::Function) -> Promise;
}

/// Runs `work` while holding this origin's sync lock, waiting for another tab's sync to
/// end first. Without Web Locks, runs it at once. `None` if the browser refused the lock.
async fn exclusively<R: 'static>(work: impl Future<Output = R> + 'static) -> Option<R> {
    let locks = browser::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let Some(locks) = locks else {
        return Some(work.await);
    };
    let slot: Rc<RefCell<Option<R>>> = Rc::new(RefCell::new(None));
    let filled = slot.clone();
    let callback = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        future_to_promise(async move {
            let result = work.await;
            *filled.borrow_mut() = Some(result);
            Ok(JsValue::UNDEFINED)
        })
    });
    let promise = locks
        .unchecked_into::<LockManager>()
        .request(LOCK_NAME, callback.unchecked_ref());
    let _ = JsFuture::from(promise).await;
    slot.borrow_mut().take()
}

/// Asks the browser not to evict this site's storage (the handbook lives here).
async fn request_persistence() {
    let Some(storage) = browser::window().map(|w| w.navigator().storage()) else {
        return;
    };
    if let Ok(promise) = storage.persist() {
        let _ = JsFuture::from(promise).await;
    }
}

/// Storage used by this site in bytes, and whether the browser keeps it for sure.
pub async fn storage_state() -> Option<(f64, bool)> {
    let storage = browser::window()?.navigator().storage();
    let estimate: web_sys::StorageEstimate = JsFuture::from(storage.estimate().ok()?)
        .await
        .ok()?
        .unchecked_into();
    let persisted = JsFuture::from(storage.persisted().ok()?)
        .await
        .ok()?
        .as_bool()
        .unwrap_or(false);
    Some((estimate.get_usage().unwrap_or(0.0), persisted))
}
