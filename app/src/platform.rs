//! What the shell starts right after the first paint, from a WASM chunk of its own: the
//! check with the server of who is signed in (`Account::refresh`), the sync engine over
//! the phone's store (`Sync::start`: its triggers, opening the store, syncing) and the
//! board read ahead. The shell holds only their state (signals); every call from the
//! first download into this code goes through [`spawn`], so the engine, the store, the
//! API client and JSON are not in the first download (see ARCHITECTURE.md, "Size").
//! Module pages call `Sync` and `Account` directly: their code is in chunks anyway.

use std::cell::Cell;

use leptos::prelude::*;

use crate::{
    account::state::Account, events::cache::read_board_ahead, routing::ChunkError, sync::Sync,
};

/// A call from the shell into the platform.
pub enum Task {
    /// After the first paint, and when the network is back: the first time, starts
    /// everything (in `owner`, the shell's, which the triggers live in); afterwards asks
    /// the server again who is signed in.
    Start {
        owner: Owner,
        account: Account,
        sync: Sync,
    },
    /// 「今すぐ同期」.
    SyncNow(Sync),
    /// 「確認しました」 on a notice.
    Dismiss(Sync, f64),
}

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

fn run(task: Task) {
    match task {
        Task::Start {
            owner,
            account,
            sync,
        } => {
            account.refresh();
            if !STARTED.replace(true) {
                owner.with(|| {
                    sync.start();
                    read_board_ahead();
                });
            }
        }
        Task::SyncNow(sync) => sync.now(),
        Task::Dismiss(sync, key) => sync.dismiss(key),
    }
}

/// Runs `task` in the platform's chunk, fetching it first if this page has not yet. A
/// chunk that cannot be fetched (no network before it was ever cached) drops the task;
/// the next one tries again (the shell sends `Start` again when the network is back).
pub fn spawn(task: Task) {
    leptos::task::spawn_local(async move {
        let _ = in_chunk(task).await;
    });
}

#[cfg(split)]
#[allow(unsafe_code, improper_ctypes_definitions)]
#[leptos::wasm_split::wasm_split(platform, wasm_split_path = ::leptos::wasm_split, fallible)]
fn in_chunk(task: Task) -> Result<(), ChunkError> {
    run(task);
    Ok(())
}

#[cfg(not(split))]
async fn in_chunk(task: Task) -> Result<(), ChunkError> {
    run(task);
    Ok(())
}
