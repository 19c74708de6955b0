//! 電子母子手帳: the mother–child health handbook. Its pages are a WASM chunk of
//! their own (`routing::module_pages!`).

mod growth;
mod page;
mod pregnancy;
mod vaccines;

use leptos::prelude::*;

use crate::routing::Page;

crate::module_pages!(handbook, pages);

fn pages(page: Page) -> AnyView {
    match page {
        Page::Handbook => page::Handbook().into_any(),
        Page::ChildGrowth(family) => growth::ChildGrowth(growth::ChildGrowthProps {
            family: family.to_string(),
        })
        .into_any(),
        Page::Pregnancy(family) => pregnancy::PregnancyPage(pregnancy::PregnancyPageProps {
            family: family.to_string(),
        })
        .into_any(),
        Page::ChildVaccines(family) => vaccines::ChildVaccines(vaccines::ChildVaccinesProps {
            family: family.to_string(),
        })
        .into_any(),
        _ => crate::components::not_found::NotFound().into_any(),
    }
}
