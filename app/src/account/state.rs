//! Who is signed in on this phone. The server's session cookie is the truth (the app
//! never sees it); a small copy of `GET /api/me` is kept in local storage so the header
//! still says who is signed in with no signal. Signing out forgets everything the app
//! kept on the phone except the person's settings.

use domain::accounts::Me;
use indexed_db_futures::{factory::DBFactory, future::VoidRequest};
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::{
    api::{self, ApiError},
    browser,
    pwa::Updates,
    settings,
};

/// Where the copy of the signed-in user is kept. Deleted at sign-out.
const ME_KEY: &str = "tsunagaru.me";
/// The service worker's caches (public/sw.js): the app shell, kept at sign-out.
const SHELL_CACHE_PREFIX: &str = "tsunagaru-shell-";

/// What the app knows about the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// The server has not answered yet; the copy kept on this phone, if any.
    Checking(Option<Me>),
    /// The server could not be reached; the copy kept on this phone, if any.
    Offline(Option<Me>),
    SignedIn(Me),
    SignedOut,
}

impl Session {
    /// The user as last known, confirmed or from this phone's copy.
    pub fn me(&self) -> Option<&Me> {
        match self {
            Session::Checking(me) | Session::Offline(me) => me.as_ref(),
            Session::SignedIn(me) => Some(me),
            Session::SignedOut => None,
        }
    }
}

/// The signed-in state, provided as context by the shell.
#[derive(Clone, Copy)]
pub struct Account {
    session: RwSignal<Session>,
    updates: Updates,
}

impl Account {
    /// Starts from this phone's copy; `platform` then asks the server who is signed in.
    pub fn provide(updates: Updates) -> Account {
        let account = Account {
            session: RwSignal::new(Session::Checking(load_copy())),
            updates,
        };
        provide_context(account);
        account
    }

    pub fn get() -> Account {
        expect_context::<Account>()
    }

    /// The current state (tracked).
    pub fn session(self) -> Session {
        self.session.get()
    }

    /// The signed-in user as last known (tracked).
    pub fn me(self) -> Option<Me> {
        self.session.with(|s| s.me().cloned())
    }

    /// Asks the server again who is signed in (after start, sign-in, joining a family…).
    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            match api::me().await {
                Ok(me) => self.signed_in(me),
                Err(ApiError::Refused(body)) if body.code == domain::ErrorCode::Unauthenticated => {
                    browser::local_remove(ME_KEY);
                    self.session.set(Session::SignedOut);
                }
                Err(_) => self
                    .session
                    .update(|s| *s = Session::Offline(s.me().cloned().or_else(load_copy))),
            }
        });
    }

    /// The server said who is signed in: show it, and keep a copy for offline use.
    pub fn signed_in(self, me: Me) {
        if let Ok(json) = serde_json::to_string(&me) {
            browser::local_set(ME_KEY, &json);
        }
        self.session.set(Session::SignedIn(me));
    }

    /// Ends the session on the server, then forgets what this phone kept: the copy of
    /// the user, IndexedDB, caches other than the app shell, and local storage other
    /// than the settings. The service worker is registered again so the app still opens
    /// with no signal.
    pub async fn sign_out(self) -> Result<(), ApiError> {
        // The server's Clear-Site-Data also wipes local storage, settings included.
        let lang = settings::load_lang();
        let text_size = settings::load_text_size();
        match api::sign_out().await {
            Ok(()) => {}
            Err(ApiError::Refused(body)) if body.code == domain::ErrorCode::Unauthenticated => {}
            Err(error) => return Err(error),
        }
        forget_local_storage();
        settings::save_lang(lang);
        settings::save_text_size(text_size);
        self.session.set(Session::SignedOut);
        self.updates.register();
        // Not awaited: while the browser carries out the server's Clear-Site-Data it may
        // hold IndexedDB and Cache Storage calls back until its own wipe is done (seen in
        // Chromium under load: sign-out stuck on 送信中… for over 10 s).
        leptos::task::spawn_local(forget_stored_data());
        Ok(())
    }
}

fn load_copy() -> Option<Me> {
    browser::local_get(ME_KEY).and_then(|json| serde_json::from_str(&json).ok())
}

/// Deletes every local storage key but the settings.
fn forget_local_storage() {
    for key in browser::local_keys() {
        if !settings::KEYS.contains(&key.as_str()) {
            browser::local_remove(&key);
        }
    }
}

/// Deletes every IndexedDB database and every cache but the app shell's, for browsers
/// that do not carry out Clear-Site-Data. Failures are skipped: what can be deleted is.
/// Ends when every deletion has ended.
pub async fn forget_stored_data() {
    // Asked for first and waited for last: a deletion another tab holds back does not
    // keep the caches.
    let deletions = delete_databases().await;
    if let Some(window) = browser::window()
        && let Ok(caches) = window.caches()
        && let Ok(keys) = JsFuture::from(caches.keys()).await
    {
        for name in js_sys::Array::from(&keys)
            .iter()
            .filter_map(|k| k.as_string())
        {
            if !name.starts_with(SHELL_CACHE_PREFIX) {
                let _ = JsFuture::from(caches.delete(&name)).await;
            }
        }
    }
    for deletion in deletions {
        let _ = deletion.await;
    }
}

/// Asks to delete every IndexedDB database of this origin (all are the app's, whatever
/// their names), as `indexedDB.databases()` lists them. A connection this app holds open
/// closes itself when asked (`sync_store`), so it does not hold a deletion back.
async fn delete_databases() -> Vec<VoidRequest> {
    let Ok(factory) = DBFactory::new() else {
        return Vec::new();
    };
    let Ok(listing) = factory.databases() else {
        return Vec::new();
    };
    let Ok(databases) = listing.await else {
        return Vec::new();
    };
    databases
        .filter_map(Result::ok)
        .filter_map(|database| factory.delete_db(database.name()).ok())
        .collect()
}
