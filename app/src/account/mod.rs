//! Accounts: who the person is on this phone (`state`, in the first download, since
//! the shell and sync need it), and the pages for signing in and up, the account, a
//! child's family and the ward's admin, which are a WASM chunk of their own
//! (`routing::module_pages!`).

mod admin;
mod family;
mod page;
mod sign_in;
pub mod state;

use leptos::prelude::*;

use crate::routing::{Page, localized};

crate::module_pages!(account, pages);

fn pages(page: Page) -> AnyView {
    match page {
        Page::SignIn => localized(|| sign_in::SignIn().into_any()),
        Page::SignUp => localized(|| sign_in::SignUp().into_any()),
        Page::Account => localized(|| page::AccountPage().into_any()),
        Page::Family(id) => {
            localized(move || family::FamilyPage(family::FamilyPageProps { id }).into_any())
        }
        Page::Admin => localized(|| admin::Admin().into_any()),
        _ => crate::components::not_found::NotFound().into_any(),
    }
}
