//! Async work started by what is on screen. A page's signals are disposed when the page
//! goes (a link followed, the sign-in gate opening); a task of that page that went on
//! after an `.await` and read one of them panicked ("already been disposed") and left
//! wasm's task queue borrowed, so nothing async ran in that tab again. A page's reads
//! therefore end with the page; a person's writes run to their end and only *set*
//! signals afterwards (setting a disposed signal does nothing).

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::on_cleanup;

/// Runs `task` until it ends or until the reactive owner it was started under (a page,
/// a component, an effect's run) is cleaned up, whichever comes first; a task that is
/// waiting when its owner goes is dropped there and never polled again.
pub fn spawn_owned(task: impl Future<Output = ()> + 'static) {
    let (handle, registration) = AbortHandle::new_pair();
    on_cleanup(move || handle.abort());
    leptos::task::spawn_local(async move {
        let _ = Abortable::new(task, registration).await;
    });
}
