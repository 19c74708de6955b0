//! 回覧板: the circulars of the person's associations, read on the phone. The list puts
//! unread ones first and can be searched by words and by month (the archive); opening
//! one marks it read (the `read_circular` command, queued offline like any change).
//! Editors send circulars from here, and see on each one which households have read
//! it and which have not. The list is `list.rs`, one circular `page.rs`, the
//! editors' form `form.rs`. They are a WASM chunk of their own, apart from the event
//! pages (`routing::module_pages!`).

mod form;
mod list;
mod page;

use leptos::prelude::*;

use crate::routing::Page;

crate::module_pages!(circulars, pages);

fn pages(page: Page) -> AnyView {
    match page {
        Page::Circulars => list::Circulars().into_any(),
        Page::Circular(id) => page::CircularPage(page::CircularPageProps { id }).into_any(),
        _ => crate::components::not_found::NotFound().into_any(),
    }
}

use std::collections::BTreeSet;

use domain::{
    circulars::{CIRCULAR_COLLECTION, Circular, READ_COLLECTION, Read},
    sync::{commands::Command, protocol::Scope},
};

use crate::sync::Sync;

/// Whether the person has read a circular.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum ReadState {
    Unread,
    /// Opened on this phone; the server has not been told yet (送信待ち).
    Pending,
    Read,
}

/// One circular as the pages show it.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    id: String,
    circular: Circular,
    /// The circular itself waits to be sent (an editor's new one).
    pending: bool,
    read: ReadState,
    /// Its folded words, for search.
    folded: String,
}

/// The circulars of one association with the person's read marks, unread first, then
/// newest first.
async fn load(association_id: &str, user_id: &str) -> Result<Vec<Entry>, String> {
    let scope = Scope::of("association", association_id);
    let items = Sync::items(CIRCULAR_COLLECTION, &scope)
        .await
        .map_err(|e| e.0)?;
    let read: BTreeSet<String> = Sync::items(READ_COLLECTION, &Scope::of("user", user_id))
        .await
        .map_err(|e| e.0)?
        .into_iter()
        .filter_map(|item| serde_json::from_value::<Read>(item.record.body).ok())
        .map(|r| r.circular_id)
        .collect();
    let queued: BTreeSet<String> = Sync::pending_commands()
        .await
        .map_err(|e| e.0)?
        .into_iter()
        .filter_map(|command| match command {
            Command::ReadCircular { circular_id } => Some(circular_id),
            _ => None,
        })
        .collect();
    let mut entries: Vec<Entry> = items
        .into_iter()
        .filter_map(|item| {
            let circular: Circular = serde_json::from_value(item.record.body).ok()?;
            let id = item.record.id;
            let read = if read.contains(&id) {
                ReadState::Read
            } else if queued.contains(&id) {
                ReadState::Pending
            } else {
                ReadState::Unread
            };
            Some(Entry {
                folded: circular.search_text(),
                id,
                circular,
                pending: item.pending,
                read,
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        let unread = |e: &Entry| e.read != ReadState::Unread;
        (unread(a), &b.circular.posted_on, &b.id).cmp(&(unread(b), &a.circular.posted_on, &a.id))
    });
    Ok(entries)
}

/// A file's size in words: 350 KB, 1.2 MB.
fn size_text(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}
