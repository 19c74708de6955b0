//! Where the person is: every page by its path (`Page`), the `Router` that changes
//! the page over the History API, and `Link`. Below every page and the shell, so a page
//! never imports the shell and modules never import each other's pages. Routing is a
//! `Page` enum rather than a router crate (~60 KB gzip): see ARCHITECTURE.md, "Size".

use std::fmt;

use leptos::{ev, prelude::*};

use crate::{browser, i18n::*};

/// Every page, by the path it lives at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Handbook,
    Events,
    College,
    Settings,
    Install,
    SignIn,
    SignUp,
    Account,
    /// `/families/{id}`: one child's family.
    Family(Id),
    /// `/handbook/{family id}/growth`: one child's birth record, growth chart and
    /// measurements.
    ChildGrowth(Id),
    /// `/handbook/{family id}/vaccines`: one child's vaccination schedule and records.
    ChildVaccines(Id),
    /// `/handbook/{family id}/pregnancy`: the pregnancy's dates, check-ups and tests.
    Pregnancy(Id),
    /// `/handbook/{family id}/checkups`: one child's 乳幼児健診, findings and the parent's
    /// record for each age.
    ChildCheckups(Id),
    /// `/health-centre`: health staff's list of the handbooks shared with them.
    HealthCentre,
    /// `/handbook/{family id}/print`: the whole handbook as plain tables, for paper.
    HandbookPrint(Id),
    /// `/events/{id}`: one event (or a fair and its programmes).
    Event(Id),
    /// `/events/new`: an editor writes a new event.
    EventNew,
    /// `/events/{id}/edit`: an editor changes an event or a draft.
    EventEdit(Id),
    /// `/circulars`: the association's circulars (回覧板), unread first.
    Circulars,
    /// `/circulars/{id}`: one circular.
    Circular(Id),
    Admin,
    NotFound,
}

impl Page {
    /// The pages at a fixed path (all but those with an id in their path).
    pub const FIXED: [Page; 14] = [
        Page::Home,
        Page::Handbook,
        Page::Events,
        Page::EventNew,
        Page::Circulars,
        Page::College,
        Page::Settings,
        Page::Install,
        Page::SignIn,
        Page::SignUp,
        Page::Account,
        Page::Admin,
        Page::HealthCentre,
        Page::NotFound,
    ];

    fn fixed_path(self) -> Option<&'static str> {
        Some(match self {
            Page::Home => "/",
            Page::Handbook => "/handbook",
            Page::Events => "/events",
            Page::EventNew => "/events/new",
            Page::Circulars => "/circulars",
            Page::College => "/college",
            Page::Settings => "/settings",
            Page::Install => "/install",
            Page::SignIn => "/sign-in",
            Page::SignUp => "/sign-up",
            Page::Account => "/account",
            Page::Admin => "/admin",
            Page::HealthCentre => "/health-centre",
            Page::NotFound => "/not-found",
            Page::Family(_)
            | Page::ChildGrowth(_)
            | Page::ChildVaccines(_)
            | Page::Pregnancy(_)
            | Page::ChildCheckups(_)
            | Page::HandbookPrint(_)
            | Page::Event(_)
            | Page::EventEdit(_)
            | Page::Circular(_) => {
                return None;
            }
        })
    }

    pub fn path(self) -> String {
        match self {
            Page::Family(id) => format!("/families/{id}"),
            Page::ChildGrowth(id) => format!("/handbook/{id}/growth"),
            Page::ChildVaccines(id) => format!("/handbook/{id}/vaccines"),
            Page::Pregnancy(id) => format!("/handbook/{id}/pregnancy"),
            Page::ChildCheckups(id) => format!("/handbook/{id}/checkups"),
            Page::HandbookPrint(id) => format!("/handbook/{id}/print"),
            Page::Event(id) => format!("/events/{id}"),
            Page::EventEdit(id) => format!("/events/{id}/edit"),
            Page::Circular(id) => format!("/circulars/{id}"),
            page => page.fixed_path().unwrap_or("/").to_owned(),
        }
    }

    /// The page at a path; a trailing slash does not matter, an unknown path is `NotFound`.
    pub fn from_path(path: &str) -> Page {
        let path = path.trim_end_matches('/');
        let path = if path.is_empty() { "/" } else { path };
        if let Some(id) = path.strip_prefix("/families/") {
            return Id::parse(id).map_or(Page::NotFound, Page::Family);
        }
        if let Some(rest) = path.strip_prefix("/handbook/") {
            let (id, section) = rest.split_once('/').unwrap_or((rest, ""));
            return match (Id::parse(id), section) {
                (Some(id), "growth") => Page::ChildGrowth(id),
                (Some(id), "vaccines") => Page::ChildVaccines(id),
                (Some(id), "pregnancy") => Page::Pregnancy(id),
                (Some(id), "checkups") => Page::ChildCheckups(id),
                (Some(id), "print") => Page::HandbookPrint(id),
                _ => Page::NotFound,
            };
        }
        if let Some(id) = path
            .strip_prefix("/events/")
            .and_then(|p| p.strip_suffix("/edit"))
        {
            return Id::parse(id).map_or(Page::NotFound, Page::EventEdit);
        }
        if let Some(id) = path.strip_prefix("/events/").and_then(Id::parse) {
            return Page::Event(id);
        }
        if let Some(id) = path.strip_prefix("/circulars/") {
            return Id::parse(id).map_or(Page::NotFound, Page::Circular);
        }
        Page::FIXED
            .into_iter()
            .find(|page| page.fixed_path() == Some(path))
            .unwrap_or(Page::NotFound)
    }

    /// Pages for signing in or up: after them, the person goes back to where they were.
    pub fn is_sign_in(self) -> bool {
        matches!(self, Page::SignIn | Page::SignUp)
    }

    /// The page's name, for its heading and the document title.
    pub fn title(self, i18n: leptos_i18n::I18nContext<Locale>) -> String {
        match self {
            Page::Home => t_string!(i18n, home_title).to_string(),
            Page::Handbook | Page::HandbookPrint(_) => t_string!(i18n, handbook_title).to_string(),
            Page::ChildGrowth(_) => t_string!(i18n, growth_title).to_string(),
            Page::ChildVaccines(_) => t_string!(i18n, vaccines_title).to_string(),
            Page::Pregnancy(_) => t_string!(i18n, pregnancy_title).to_string(),
            Page::ChildCheckups(_) => t_string!(i18n, checkups_title).to_string(),
            Page::HealthCentre => t_string!(i18n, centre_title).to_string(),
            Page::Events => t_string!(i18n, events_title).to_string(),
            Page::Event(_) => t_string!(i18n, event_title).to_string(),
            Page::EventNew => t_string!(i18n, event_new_title).to_string(),
            Page::EventEdit(_) => t_string!(i18n, event_edit_title).to_string(),
            Page::Circulars | Page::Circular(_) => t_string!(i18n, circulars_title).to_string(),
            Page::College => t_string!(i18n, college_title).to_string(),
            Page::Settings => t_string!(i18n, settings_title).to_string(),
            Page::Install => t_string!(i18n, install_title).to_string(),
            Page::SignIn => t_string!(i18n, sign_in_title).to_string(),
            Page::SignUp => t_string!(i18n, sign_up_title).to_string(),
            Page::Account => t_string!(i18n, account_title).to_string(),
            Page::Family(_) => t_string!(i18n, family_title).to_string(),
            Page::Admin => t_string!(i18n, admin_title).to_string(),
            Page::NotFound => t_string!(i18n, not_found_title).to_string(),
        }
    }
}

/// A page whose words are fixed when it is drawn (cheaper than a reactive string each),
/// drawn again when the language changes: at start, when the person's choice replaces
/// the browser's language. (The language itself is changed only on the settings page.)
pub fn localized(page: impl Fn() -> AnyView + Send + Sync + 'static) -> AnyView {
    let i18n = use_i18n();
    let page: std::sync::Arc<dyn Fn() -> AnyView + Send + Sync> = std::sync::Arc::new(page);
    (move || {
        i18n.get_locale();
        page()
    })
    .into_any()
}

/// The error a module's `draw` gives when its WASM chunk could not be fetched (no
/// signal before it was ever kept, or the server gone); trying again fetches it anew.
pub use leptos::wasm_split::SplitLoaderError as ChunkError;

/// Defines a module's `draw(page)`: every page of the module, behind one function.
/// The dist build (`cargo xtask dist`, `--cfg split`) makes it a split point, so the
/// module's pages are in a WASM chunk of their own, fetched the first time one of them
/// is opened (see ARCHITECTURE.md, "Modules and chunks"). Elsewhere (tests, `trunk
/// serve`) it is a plain function. `$chunk` names the chunk.
#[macro_export]
macro_rules! module_pages {
    ($chunk:ident, $pages:path) => {
        /// Draws one of this module's pages: see `routing::module_pages!`.
        #[cfg(split)]
        #[allow(unsafe_code, improper_ctypes_definitions)]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn draw(
            page: $crate::routing::Page,
        ) -> Result<::leptos::prelude::AnyView, $crate::routing::ChunkError> {
            Ok($pages(page))
        }

        /// Draws one of this module's pages: see `routing::module_pages!`.
        #[cfg(not(split))]
        pub async fn draw(
            page: $crate::routing::Page,
        ) -> Result<::leptos::prelude::AnyView, $crate::routing::ChunkError> {
            Ok($pages(page))
        }
    };
}

/// A server id (a UUID) in a page's path, kept as a number so that `Page` stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id(u128);

impl Id {
    /// Reads the text form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case).
    pub fn parse(text: &str) -> Option<Id> {
        let dashes_right = text.len() == 36
            && text
                .char_indices()
                .all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) == (c == '-'));
        let hex: String = text.chars().filter(|c| *c != '-').collect();
        if !dashes_right || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u128::from_str_radix(&hex, 16).ok().map(Id)
    }
}

/// The text form the server uses: lower case, with dashes.
impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&domain::sync::view::uuid_text(self.0))
    }
}

/// Which page is showing, and where the person was before signing in. Provided as
/// context; the page changes only through [`Router::go`] (or [`navigate`]).
#[derive(Clone, Copy)]
pub struct Router {
    current: RwSignal<Page>,
    before_sign_in: StoredValue<Option<Page>>,
    announcement: RwSignal<String>,
}

impl Router {
    /// The router of the shell, showing `current`; `announcement` is the status line
    /// under the header.
    pub fn new(current: RwSignal<Page>, announcement: RwSignal<String>) -> Router {
        Router {
            current,
            before_sign_in: StoredValue::new(None),
            announcement,
        }
    }

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

#[cfg(test)]
mod tests {
    use super::{Id, Page};

    const FAMILY: &str = "0193a3b4-7c2d-7e8f-9a0b-1c2d3e4f5a6b";

    #[test]
    fn every_page_is_found_again_by_its_own_path() {
        let id = Id::parse(FAMILY).unwrap();
        let with_ids = [
            Page::Family(id),
            Page::ChildGrowth(id),
            Page::ChildVaccines(id),
            Page::Pregnancy(id),
            Page::ChildCheckups(id),
            Page::HandbookPrint(id),
            Page::Event(id),
            Page::EventEdit(id),
            Page::Circular(id),
        ];
        for page in Page::FIXED.into_iter().chain(with_ids) {
            assert_eq!(Page::from_path(&page.path()), page);
        }
    }

    #[test]
    fn ids_in_paths_read_back_as_the_server_wrote_them() {
        assert_eq!(Id::parse(FAMILY).unwrap().to_string(), FAMILY);
        assert_eq!(
            Id::parse(&FAMILY.to_uppercase()).unwrap().to_string(),
            FAMILY
        );
        assert_eq!(Page::from_path("/families/nope"), Page::NotFound);
        assert_eq!(
            Page::from_path(&format!("/families/{FAMILY}x")),
            Page::NotFound
        );
        assert_eq!(
            Page::from_path("/families/+193a3b4-7c2d-7e8f-9a0b-1c2d3e4f5a6b"),
            Page::NotFound
        );
    }

    #[test]
    fn trailing_slashes_do_not_matter_and_unknown_paths_are_not_found() {
        assert_eq!(Page::from_path(""), Page::Home);
        assert_eq!(Page::from_path("/events/"), Page::Events);
        assert_eq!(Page::from_path("/nowhere"), Page::NotFound);
        assert_eq!(Page::from_path("/events/extra"), Page::NotFound);
        assert_eq!(
            Page::from_path(&format!("/handbook/{FAMILY}/elsewhere")),
            Page::NotFound
        );
        assert_eq!(
            Page::from_path(&format!("/handbook/{FAMILY}")),
            Page::NotFound
        );
    }
}
