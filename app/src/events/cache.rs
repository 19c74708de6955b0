//! The board kept in memory between pages: read once per store revision, shared by
//! whoever waits for it, read ahead when the browser is idle (`read_board_ahead`, set up
//! by the shell), and handed to pages as signals (`use_board`).

use std::{cell::RefCell, collections::BTreeMap, sync::Arc};

use domain::{accounts::Me, associations::Association};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;

use super::board::{self, Board};
use crate::{account::state::Account, browser, sync::Sync, tasks::spawn_owned};

/// The board as this phone holds it, read again whenever the store changes; with the
/// association names (kept from the last time online). Shared (`Arc`), not copied, by the
/// cards that draw it: a board of 2,000 events copied for each card took seconds.
#[derive(Clone, Copy)]
pub struct Loaded {
    pub board: RwSignal<Arc<Board>>,
    pub ready: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    pub names: RwSignal<BTreeMap<String, Association>>,
}

/// A read of the board, shared by whoever waits for it (a page, the read ahead).
type Read = Shared<LocalBoxFuture<'static, Result<Arc<Board>, String>>>;

thread_local! {
    /// The board for whom, at which store revision ([`Sync::revision`]): read, or being
    /// read. A page that opens the board while the store has not changed since draws it at
    /// once, or waits for the read under way, instead of reading thousands of records
    /// again (with 2,000 events in headless Chromium the read was most of the time the
    /// board took to open: `e2e/bench/event-board.mjs`).
    static BOARD: RefCell<Option<(Me, u64, Read)>> = const { RefCell::new(None) };
}

/// The read of the board for `me` at `revision`, if there is one (done or under way).
fn read_for(me: &Me, revision: u64) -> Option<Read> {
    BOARD.with(|board| {
        board
            .borrow()
            .as_ref()
            .filter(|(whose, at, _)| whose == me && *at == revision)
            .map(|(_, _, read)| read.clone())
    })
}

/// The board for `me` at `revision`, if it has been read already.
fn kept(me: &Me, revision: u64) -> Option<Arc<Board>> {
    read_for(me, revision)?.peek()?.as_ref().ok().cloned()
}

/// The read of the board for `me` at `revision`: the one done or under way, else one
/// started now (its requests go to IndexedDB at once, before anyone waits).
fn board_at(me: &Me, revision: u64) -> Read {
    if let Some(read) = read_for(me, revision)
        && !matches!(read.peek(), Some(Err(_)))
    {
        return read;
    }
    browser::mark("tsunagaru-board-start");
    let reading = board::start(me);
    let read = async move {
        let board = reading.finish().await.map(Arc::new);
        // How long reading the board from the store took (`e2e/bench/event-board.mjs`):
        // from the start of the read (the mark) to the board.
        if board.is_ok() {
            browser::measure("tsunagaru-board-load", "tsunagaru-board-start");
        }
        board
    }
    .boxed_local()
    .shared();
    BOARD.with(|board| *board.borrow_mut() = Some((me.clone(), revision, read.clone())));
    read
}

/// Keeps the board read ahead, set up once by the shell: after the app opens its store,
/// and after each change to it, the board is read again when the browser is idle, so that
/// opening イベント draws it at once rather than reading thousands of records first
/// (with 2,000 events, the first open after a reload took a median 103 ms this way, 64 ms
/// read ahead: `e2e/bench/event-board.mjs`). Forgotten at sign-out.
pub fn read_board_ahead() {
    let sync = Sync::get();
    let account = Account::get();
    Effect::new(move |_| {
        let revision = sync.revision.get();
        let Some(me) = account.me() else {
            BOARD.with(|board| board.borrow_mut().take());
            return;
        };
        browser::when_idle(2_000, move || {
            // Changed again since: a later read ahead is on its way.
            if sync.revision.get_untracked() != revision {
                return;
            }
            let read = board_at(&me, revision);
            // An error (the store not open yet, or closed at sign-out) is the page's to
            // show when it reads the board itself.
            leptos::task::spawn_local(async move {
                let _ = read.await;
            });
        });
    });
}

pub fn use_board() -> Loaded {
    let sync = Sync::get();
    let account = Account::get();
    let (me, revision) = untrack(|| (account.me(), sync.revision.get()));
    let kept_now = me.as_ref().and_then(|me| kept(me, revision));
    // Not read yet: the read starts now, before the page is drawn, so IndexedDB works on
    // it while it is (the effect below waits for it).
    if let (Some(me), None) = (&me, &kept_now) {
        // Its requests are made now; the effect below takes the same read and waits.
        let _started = board_at(me, revision);
    }
    let loaded = Loaded {
        ready: RwSignal::new(kept_now.is_some()),
        board: RwSignal::new(kept_now.unwrap_or_default()),
        error: RwSignal::new(None),
        names: RwSignal::new(board::association_names()),
    };
    // The revision of the board shown: a slow read of an older one does not replace it.
    let shown = StoredValue::new(0u64);
    Effect::new(move |_| {
        let revision = sync.revision.get();
        let Some(me) = account.me() else { return };
        if let Some(board) = kept(&me, revision) {
            // Read at this revision already: the store has not changed since. Marked for
            // `e2e/bench/event-board.mjs`, which tells such opens from reads.
            browser::mark("tsunagaru-board-kept");
            shown.set_value(revision);
            if !loaded
                .board
                .with_untracked(|shown| Arc::ptr_eq(shown, &board))
            {
                loaded.board.set(board);
            }
            if loaded.error.with_untracked(Option::is_some) {
                loaded.error.set(None);
            }
            if !loaded.ready.get_untracked() {
                loaded.ready.set(true);
            }
            return;
        }
        let read = board_at(&me, revision);
        // Ends with the page (and with this run of the effect): `shown` and `loaded` are
        // the page's and are gone with it.
        spawn_owned(async move {
            let read = read.await;
            if revision < shown.get_value() {
                return;
            }
            shown.set_value(revision);
            match read {
                Ok(board) => {
                    loaded.board.set(board);
                    loaded.error.set(None);
                }
                Err(error) => loaded.error.set(Some(error)),
            }
            loaded.ready.set(true);
        });
    });
    spawn_owned(async move {
        if let Some(names) = board::refresh_association_names().await {
            loaded.names.set(names);
        }
    });
    loaded
}
