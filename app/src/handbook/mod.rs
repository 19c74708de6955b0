//! 電子母子手帳: the mother–child health handbook. Its pages are WASM chunks of their
//! own (`routing::module_pages!`): the handbook page with the notes here, and each of
//! one child's pages — the pregnancy, growth, checkups, vaccinations — a chunk
//! apart, so opening one fetches neither of the others (each module chunk stays under DESIGN.md's 150 KB gzip).

mod centre;
pub mod checkups;
mod child;
mod export;
mod fields;
pub mod growth;
mod page;
pub mod pregnancy;
mod print;
mod print_tables;
mod units;
pub mod vaccines;

use leptos::prelude::*;

use crate::routing::Page;

crate::module_pages!(handbook, pages);

fn pages(page: Page) -> AnyView {
    match page {
        Page::Handbook => page::Handbook().into_any(),
        Page::HealthCentre => centre::HealthCentre().into_any(),
        Page::HandbookPrint(family) => print::Print(print::PrintProps {
            family: family.to_string(),
        })
        .into_any(),
        _ => crate::components::not_found::NotFound().into_any(),
    }
}
