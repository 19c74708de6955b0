//! 町会・自治会: the event board, one event, the editors' form, circulars (回覧板) and
//! reports. The board as this phone holds it (`board`) is read ahead once the app has
//! started (`platform`). The event pages are a WASM chunk of their own
//! (`routing::module_pages!`), the circulars another (`circulars::draw`).

pub mod board;
pub mod cache;
mod card;
pub mod circulars;
mod event;
mod form;
mod list;
mod report;
mod words;

use leptos::prelude::*;

use crate::routing::{Page, localized};

crate::module_pages!(events, pages);

fn pages(page: Page) -> AnyView {
    match page {
        Page::Events => localized(|| list::Events().into_any()),
        Page::Event(id) => {
            localized(move || event::EventPage(event::EventPageProps { id }).into_any())
        }
        Page::EventNew => localized(|| form::EventNew().into_any()),
        Page::EventEdit(id) => {
            localized(move || form::EventEdit(form::EventEditProps { id }).into_any())
        }
        _ => crate::components::not_found::NotFound().into_any(),
    }
}
