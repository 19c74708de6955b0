//! The app's pages. Routing is a `Page` enum over the History API (a few KB) rather
//! than a router crate (~60 KB gzip): see ARCHITECTURE.md, "Size".

mod account;
mod admin;
mod calendar_links;
mod circulars;
mod college;
mod event;
mod event_form;
mod events;
pub use events::read_board_ahead;
mod family;
mod handbook;
mod home;
mod install;
mod not_found;
pub mod report;
mod settings;
mod sign_in;

use std::fmt;

use domain::{accounts::Role, associations::AssociationRole, families::FamilyRole};

use leptos::prelude::*;

use crate::{
    account::{Account, Session},
    i18n::*,
    shell::Link,
};

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
    pub const FIXED: [Page; 13] = [
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
            Page::NotFound => "/not-found",
            Page::Family(_) | Page::Event(_) | Page::EventEdit(_) | Page::Circular(_) => {
                return None;
            }
        })
    }

    pub fn path(self) -> String {
        match self {
            Page::Family(id) => format!("/families/{id}"),
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
            Page::Handbook => t_string!(i18n, handbook_title).to_string(),
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

    pub fn view(self) -> AnyView {
        match self {
            Page::Home => home::Home().into_any(),
            Page::Handbook => handbook::Handbook().into_any(),
            Page::Events => localized(|| events::Events().into_any()),
            Page::Event(id) => {
                localized(move || event::EventPage(event::EventPageProps { id }).into_any())
            }
            Page::EventNew => localized(|| event_form::EventNew().into_any()),
            Page::EventEdit(id) => localized(move || {
                event_form::EventEdit(event_form::EventEditProps { id }).into_any()
            }),
            Page::Circulars => circulars::Circulars().into_any(),
            Page::Circular(id) => {
                circulars::CircularPage(circulars::CircularPageProps { id }).into_any()
            }
            Page::College => college::College().into_any(),
            Page::Settings => settings::Settings().into_any(),
            Page::Install => install::Install().into_any(),
            Page::SignIn => localized(|| sign_in::SignIn().into_any()),
            Page::SignUp => localized(|| sign_in::SignUp().into_any()),
            Page::Account => localized(|| account::AccountPage().into_any()),
            Page::Family(id) => {
                localized(move || family::FamilyPage(family::FamilyPageProps { id }).into_any())
            }
            Page::Admin => localized(|| admin::Admin().into_any()),
            Page::NotFound => not_found::NotFound().into_any(),
        }
    }
}

/// A page whose words are fixed when it is drawn (cheaper than a reactive string each),
/// drawn again when the language changes: at start, when the person's choice replaces
/// the browser's language. (The language itself is changed only on the settings page.)
fn localized(page: impl Fn() -> AnyView + Send + Sync + 'static) -> AnyView {
    let i18n = use_i18n();
    let page: std::sync::Arc<dyn Fn() -> AnyView + Send + Sync> = std::sync::Arc::new(page);
    (move || {
        i18n.get_locale();
        page()
    })
    .into_any()
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

/// A page that is not built yet says what will come, instead of showing nothing.
#[component]
fn ComingSoon(
    /// The things this page will let a person do, in plain words.
    items: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card coming" aria-labelledby="coming-heading">
            <h2 id="coming-heading">{t_string!(i18n, coming_heading)}</h2>
            <ul class="coming-list">
                {items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
            </ul>
            <p class="note">{t_string!(i18n, coming_note)}</p>
        </section>
    }
}

type I18n = leptos_i18n::I18nContext<Locale>;

/// 保護者 or 閲覧のみ.
fn family_role_label(i18n: I18n, role: FamilyRole) -> &'static str {
    match role {
        FamilyRole::Guardian => t_string!(i18n, role_guardian),
        FamilyRole::Viewer => t_string!(i18n, role_viewer),
    }
}

/// A ward role, in words.
fn role_label(i18n: I18n, role: Role) -> &'static str {
    match role {
        Role::HealthStaff => t_string!(i18n, role_health_staff),
        Role::CollegeStaff => t_string!(i18n, role_college_staff),
        Role::Admin => t_string!(i18n, role_admin),
    }
}

/// 役員 or 会員.
fn association_role_label(i18n: I18n, role: AssociationRole) -> &'static str {
    match role {
        AssociationRole::Editor => t_string!(i18n, role_editor),
        AssociationRole::Member => t_string!(i18n, role_member),
    }
}

/// The errors that are about a new password's rules (shown under that field).
fn is_password_rule(code: domain::ErrorCode) -> bool {
    use domain::ErrorCode::*;
    matches!(
        code,
        PasswordTooShort | PasswordTooLong | PasswordTooCommon | PasswordLikeLogin
    )
}

/// Shows `children` to a signed-in person; to anyone else, a plain word on why not
/// and a way to sign in that comes back here afterwards. A page whose heading is drawn
/// only inside (an event's own title) gives `heading`, so it keeps its h1 when closed.
#[component]
fn RequireSignIn(
    #[prop(optional)] heading: Option<fn(I18n) -> &'static str>,
    children: ChildrenFn,
) -> impl IntoView {
    #[derive(Clone, Copy, PartialEq)]
    enum Gate {
        Waiting,
        SignedOut,
        Unreachable,
        Open,
    }
    let i18n = use_i18n();
    let account = Account::get();
    // Only a change of gate re-renders: the server confirming the copy kept on this
    // phone must not reset a form the person is filling in.
    let gate = Memo::new(move |_| match account.session() {
        Session::Checking(None) => Gate::Waiting,
        Session::SignedOut => Gate::SignedOut,
        Session::Offline(None) => Gate::Unreachable,
        _ => Gate::Open,
    });
    move || {
        match gate.get() {
        Gate::Open => children().into_any(),
        Gate::Waiting => view! {
            {heading.map(|h| view! { <h1>{h(i18n)}</h1> })}
            <p role="status">{t_string!(i18n, gate_checking)}</p>
        }
        .into_any(),
        closed => view! {
            {heading.map(|h| view! { <h1>{h(i18n)}</h1> })}
            <section class="card">
                <p>
                    {if closed == Gate::Unreachable {
                        t_string!(i18n, gate_unreachable)
                    } else {
                        t_string!(i18n, gate_signed_out)
                    }}
                </p>
                <p><Link page=Page::SignIn class="button">{t_string!(i18n, sign_in_title)}</Link></p>
                <p><Link page=Page::SignUp class="text-link">{t_string!(i18n, gate_sign_up)}</Link></p>
            </section>
        }
        .into_any(),
    }
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
    }
}
