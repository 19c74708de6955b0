//! The app shell around every page: header with the network status, the update
//! banner, the page itself, and the bottom navigation to the three modules. Settings
//! sit in the header, where phones usually keep them. The shell's own pages (home,
//! settings, install) are here too; `pages` says which module draws every other page.

mod home;
mod install;
mod pages;
mod settings;

use leptos::{ev, prelude::*};

use crate::{
    account::state::Account,
    api, browser,
    i18n::*,
    platform::{self, Task},
    pwa::Updates,
    routing::{Link, Page, Router},
    sync::Sync,
    sync_bar::SyncBar,
};

#[component]
pub fn App() -> impl IntoView {
    leptos_meta::provide_meta_context();
    view! {
        <I18nContextProvider>
            <Shell />
        </I18nContextProvider>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    // leptos_i18n starts from the browser's languages in an effect of its own; this
    // effect runs after it (before the first paint) and applies the person's choice,
    // Japanese unless they chose otherwise.
    Effect::new(move |_| i18n.set_locale(crate::settings::locale(crate::settings::load_lang())));
    Effect::new(move |_| api::set_lang(crate::settings::lang(i18n.get_locale())));

    let current = RwSignal::new(Page::from_path(&browser::current_path()));
    let announcement = RwSignal::new(String::new());
    provide_context(Router::new(current, announcement));
    let popstate = window_event_listener(ev::popstate, move |_| {
        current.set(Page::from_path(&browser::current_path()));
    });
    on_cleanup(move || popstate.remove());

    Effect::new(move |_| {
        let title = format!(
            "{} | {}",
            current.get().title(i18n),
            t_string!(i18n, app_name)
        );
        browser::set_title(&title);
    });

    let updates = Updates::new();
    let account = Account::provide(updates);
    let sync = Sync::provide(account);
    // The rest of the app's machinery comes after the first paint: the service worker
    // (which then precaches every file) and the `platform`.
    let owner = Owner::current().unwrap_or_default();
    let start = move || {
        let owner = owner.clone();
        platform::spawn(Task::Start {
            owner,
            account,
            sync,
        })
    };
    let after_paint = start.clone();
    browser::after_first_paint(1_000, move || {
        updates.register();
        after_paint();
    });

    let online = RwSignal::new(browser::is_online());
    let up = window_event_listener(ev::online, move |_| {
        online.set(true);
        start();
    });
    let down = window_event_listener(ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        up.remove();
        down.remove();
    });

    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="top-bar">
            <Link page=Page::Home class="brand">{t!(i18n, app_name)}</Link>
            <Link page=Page::Settings class="header-link">
                <Icon path=ICON_SETTINGS />
                <span>{t!(i18n, nav_settings)}</span>
            </Link>
            <AccountLink account />
            <NetworkStatus online />
        </header>
        <Show when=move || !online.get()>
            <p class="offline-notice">{t!(i18n, offline_notice)}</p>
        </Show>
        <p class="announcement" role="status" data-testid="announcement">
            {move || announcement.get()}
        </p>
        <UpdateBanner updates />
        <SyncBar />
        <main id="main" tabindex="-1">
            {move || pages::view(current.get())}
        </main>
        <BottomNav />
    }
}

/// 「ログイン」 when signed out; the person's name, to their account page, when signed in.
#[component]
fn AccountLink(account: Account) -> impl IntoView {
    let i18n = use_i18n();
    move || match account.me() {
        Some(me) => view! {
            <Link page=Page::Account class="header-link account-link">
                <Icon path=ICON_PERSON />
                <span class="visually-hidden">{t!(i18n, header_account_prefix)}</span>
                <span class="account-name">{me.display_name}</span>
            </Link>
        }
        .into_any(),
        None => view! {
            <Link page=Page::SignIn class="header-link">
                <Icon path=ICON_PERSON />
                <span>{t!(i18n, sign_in_title)}</span>
            </Link>
        }
        .into_any(),
    }
}

/// 「オンライン」 or 「オフライン」, in words as well as colour.
#[component]
fn NetworkStatus(
    /// Whether the browser has a network connection.
    online: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="network" class:offline=move || !online.get() role="status" data-testid="network-status">
            <span class="dot" aria-hidden="true"></span>
            {move || if online.get() {
                t_string!(i18n, status_online)
            } else {
                t_string!(i18n, status_offline)
            }}
        </p>
    }
}

#[component]
fn UpdateBanner(updates: Updates) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || updates.ready.get()>
            <div class="update-banner" role="status">
                <p>{t!(i18n, update_ready)}</p>
                <button type="button" class="button" on:click=move |_| updates.apply()>
                    {t!(i18n, update_reload)}
                </button>
            </div>
        </Show>
    }
}

#[component]
fn BottomNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="bottom-nav" aria-label=move || t_string!(i18n, nav_label)>
            <Link page=Page::Handbook class="nav-item">
                <Icon path=ICON_HANDBOOK />
                <span>{t!(i18n, nav_handbook)}</span>
            </Link>
            <Link page=Page::Events class="nav-item">
                <Icon path=ICON_EVENTS />
                <span>{t!(i18n, nav_events)}</span>
            </Link>
            <Link page=Page::College class="nav-item">
                <Icon path=ICON_COLLEGE />
                <span>{t!(i18n, nav_college)}</span>
            </Link>
        </nav>
    }
}

/// A 24×24 outline icon, decorative: the label beside it says what it means.
#[component]
fn Icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path />
        </svg>
    }
}

const ICON_HANDBOOK: &str =
    "M5 3h11a3 3 0 0 1 3 3v15H8a3 3 0 0 1-3-3zM5 18a3 3 0 0 1 3-3h11M12 7v5M9.5 9.5h5";
const ICON_EVENTS: &str = "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5M8 14h3M8 17h6";
const ICON_COLLEGE: &str = "M2 9l10-5 10 5-10 5zM6 11v5c3 2.5 9 2.5 12 0v-5M22 9v6";
const ICON_PERSON: &str = "M12 4a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM4 21c0-4 3.6-7 8-7s8 3 8 7";
const ICON_SETTINGS: &str = "M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1";
