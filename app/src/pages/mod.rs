//! The app's pages. Routing is a `Page` enum over the History API (a few KB) rather
//! than a router crate (~60 KB gzip): see ARCHITECTURE.md, "Size".

mod college;
mod events;
mod handbook;
mod home;
mod install;
mod not_found;
mod settings;

use leptos::prelude::*;

use crate::i18n::*;

/// Every page, by the path it lives at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Handbook,
    Events,
    College,
    Settings,
    Install,
    NotFound,
}

impl Page {
    pub const ALL: [Page; 7] = [
        Page::Home,
        Page::Handbook,
        Page::Events,
        Page::College,
        Page::Settings,
        Page::Install,
        Page::NotFound,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Handbook => "/handbook",
            Page::Events => "/events",
            Page::College => "/college",
            Page::Settings => "/settings",
            Page::Install => "/install",
            Page::NotFound => "/not-found",
        }
    }

    /// The page at a path; a trailing slash does not matter, an unknown path is `NotFound`.
    pub fn from_path(path: &str) -> Page {
        let path = path.trim_end_matches('/');
        let path = if path.is_empty() { "/" } else { path };
        Page::ALL
            .into_iter()
            .find(|page| page.path() == path)
            .unwrap_or(Page::NotFound)
    }

    /// The page's name, for its heading and the document title.
    pub fn title(self, i18n: leptos_i18n::I18nContext<Locale>) -> String {
        match self {
            Page::Home => t_string!(i18n, home_title).to_string(),
            Page::Handbook => t_string!(i18n, handbook_title).to_string(),
            Page::Events => t_string!(i18n, events_title).to_string(),
            Page::College => t_string!(i18n, college_title).to_string(),
            Page::Settings => t_string!(i18n, settings_title).to_string(),
            Page::Install => t_string!(i18n, install_title).to_string(),
            Page::NotFound => t_string!(i18n, not_found_title).to_string(),
        }
    }

    pub fn view(self) -> AnyView {
        match self {
            Page::Home => home::Home().into_any(),
            Page::Handbook => handbook::Handbook().into_any(),
            Page::Events => events::Events().into_any(),
            Page::College => college::College().into_any(),
            Page::Settings => settings::Settings().into_any(),
            Page::Install => install::Install().into_any(),
            Page::NotFound => not_found::NotFound().into_any(),
        }
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
            <h2 id="coming-heading">{t!(i18n, coming_heading)}</h2>
            <ul class="coming-list">
                {items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
            </ul>
            <p class="note">{t!(i18n, coming_note)}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn every_page_is_found_again_by_its_own_path() {
        for page in Page::ALL {
            assert_eq!(Page::from_path(page.path()), page);
        }
    }

    #[test]
    fn trailing_slashes_do_not_matter_and_unknown_paths_are_not_found() {
        assert_eq!(Page::from_path(""), Page::Home);
        assert_eq!(Page::from_path("/events/"), Page::Events);
        assert_eq!(Page::from_path("/nowhere"), Page::NotFound);
        assert_eq!(Page::from_path("/events/extra"), Page::NotFound);
    }
}
