//! The app shell around every page: header with the network status, the update
//! banner, the page itself, and the bottom navigation to the three modules. Settings
//! sit in the header, where phones usually keep them.

use leptos::{ev, prelude::*};

use crate::{
    account::Account, api, browser, i18n::*, pages::Page, pwa::Updates, settings, sync::Sync,
    sync_bar::SyncBar,
};

/// Which page is showing, and where the person was before signing in. Provided as
/// context; the page changes only through [`Router::go`] (or [`navigate`]).
#[derive(Clone, Copy)]
pub struct Router {
    current: RwSignal<Page>,
    before_sign_in: StoredValue<Option<Page>>,
    announcement: RwSignal<String>,
}

impl Router {
    pub fn get() -> Router {
        expect_context::<Router>()
    }

    /// The page showing (tracked).
    pub fn current(self) -> Page {
        self.current.get()
    }

    /// Shows `page`, records it in the session history, and moves focus to the page's
    /// content so that screen-reader and keyboard users land where sighted users look.
    pub fn go(self, page: Page) {
        let from = self.current.get_untracked();
        if page.is_sign_in() && !from.is_sign_in() {
            self.before_sign_in.set_value(Some(from));
        }
        self.announcement.set(String::new());
        if from != page {
            browser::push_path(&page.path());
            self.current.set(page);
        }
        browser::focus("main");
    }

    /// After signing in or up: back to the page the person came from, else the account.
    pub fn go_back_after_sign_in(self) {
        let back = self
            .before_sign_in
            .try_update_value(Option::take)
            .flatten()
            .filter(|page| !page.is_sign_in())
            .unwrap_or(Page::Account);
        self.go(back);
    }

    /// Says something to everyone, screen-reader users included (a status message
    /// under the header), until the next page.
    pub fn announce(self, message: String) {
        self.announcement.set(message);
    }
}

/// Shows `page` (see [`Router::go`]).
pub fn navigate(page: Page) {
    if let Some(router) = use_context::<Router>() {
        router.go(page);
    }
}

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
    Effect::new(move |_| i18n.set_locale(settings::locale(settings::load_lang())));
    Effect::new(move |_| api::set_lang(settings::lang(i18n.get_locale())));

    let current = RwSignal::new(Page::from_path(&browser::current_path()));
    let announcement = RwSignal::new(String::new());
    let router = Router {
        current,
        before_sign_in: StoredValue::new(None),
        announcement,
    };
    provide_context(router);
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
    updates.register();
    let account = Account::provide(updates);
    Sync::provide(account);
    crate::pages::read_board_ahead();

    let online = RwSignal::new(browser::is_online());
    let up = window_event_listener(ev::online, move |_| {
        online.set(true);
        account.refresh();
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
            {move || current.get().view()}
        </main>
        <BottomNav />
    }
}

/// A link to a page that changes the page in place instead of loading the document.
#[component]
pub fn Link(
    /// Where the link goes.
    page: Page,
    /// CSS class of the `<a>`.
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let router = use_context::<Router>();
    let aria_current = move || {
        router
            .is_some_and(|r| r.current() == page)
            .then_some("page")
    };
    let on_click = move |event: ev::MouseEvent| {
        let plain_click = event.button() == 0
            && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key());
        if plain_click {
            event.prevent_default();
            navigate(page);
        }
    };
    view! {
        <a href=page.path() class=class aria-current=aria_current on:click=on_click>
            {children()}
        </a>
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
