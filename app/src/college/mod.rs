//! つながるカレッジねりま: the community college. Its pages are a WASM chunk of their
//! own (`routing::module_pages!`).

mod page;

use leptos::prelude::*;

use crate::routing::Page;

crate::module_pages!(college, pages);

fn pages(page: Page) -> AnyView {
    match page {
        Page::College => page::College().into_any(),
        _ => crate::components::not_found::NotFound().into_any(),
    }
}
