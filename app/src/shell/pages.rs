//! Which part of the app draws which page. Home, settings, install and the 404 page are
//! the shell's own, in the first download. Every other page belongs to a module whose
//! pages are a WASM chunk of their own (`routing::module_pages!`): `Chunk` fetches it
//! the first time, saying so in words, and offers to try again if it cannot.

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::{home, install, settings};
use crate::{
    account, college,
    components::not_found,
    events, handbook,
    i18n::*,
    routing::{ChunkError, Page},
};

/// The module a page belongs to (its WASM chunk), `None` for the shell's own pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Handbook,
    /// One child's pages in the handbook, each a chunk apart from the handbook page.
    Pregnancy,
    Growth,
    Checkups,
    Vaccines,
    Events,
    /// The events module's circulars (回覧板): a chunk apart from the event pages.
    Circulars,
    College,
    Account,
}

impl Module {
    pub fn of(page: Page) -> Option<Module> {
        match page {
            Page::Home | Page::Settings | Page::Install | Page::NotFound => None,
            Page::Handbook | Page::HealthCentre | Page::HandbookPrint(_) => Some(Module::Handbook),
            Page::Pregnancy(_) => Some(Module::Pregnancy),
            Page::ChildGrowth(_) => Some(Module::Growth),
            Page::ChildCheckups(_) => Some(Module::Checkups),
            Page::ChildVaccines(_) => Some(Module::Vaccines),
            Page::Events | Page::Event(_) | Page::EventNew | Page::EventEdit(_) => {
                Some(Module::Events)
            }
            Page::Circulars | Page::Circular(_) => Some(Module::Circulars),
            Page::College => Some(Module::College),
            Page::SignIn | Page::SignUp | Page::Account | Page::Family(_) | Page::Admin => {
                Some(Module::Account)
            }
        }
    }
}

/// The page, drawn by the shell or by its module.
pub fn view(page: Page) -> AnyView {
    match Module::of(page) {
        None => match page {
            Page::Home => home::Home().into_any(),
            Page::Settings => settings::Settings().into_any(),
            Page::Install => install::Install().into_any(),
            _ => not_found::NotFound().into_any(),
        },
        Some(module) => view! { <Chunk module page /> }.into_any(),
    }
}

async fn draw(module: Module, page: Page) -> Result<AnyView, ChunkError> {
    match module {
        Module::Handbook => handbook::draw(page).await,
        Module::Pregnancy => handbook::pregnancy::draw(page).await,
        Module::Growth => handbook::growth::draw(page).await,
        Module::Checkups => handbook::checkups::draw(page).await,
        Module::Vaccines => handbook::vaccines::draw(page).await,
        Module::Events => events::draw(page).await,
        Module::Circulars => events::circulars::draw(page).await,
        Module::College => college::draw(page).await,
        Module::Account => account::draw(page).await,
    }
}

/// A module's page: 「読み込み中…」 while its chunk is fetched (only the first time:
/// then it is in memory, and in the service worker's cache for later visits); if the
/// chunk cannot be fetched, a plain message and a button to try again.
#[component]
fn Chunk(module: Module, page: Page) -> impl IntoView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0_u32);
    let loading = move || {
        view! { <p class="chunk-loading" role="status">{t_string!(i18n, loading)}</p> }
    };
    view! {
        <Suspense fallback=loading>
            {move || {
                attempt.track();
                let drawn = SendWrapper::new(draw(module, page));
                Suspend::new(async move {
                    match drawn.await {
                        Ok(view) => view,
                        Err(_) => view! { <ChunkFailed attempt /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ChunkFailed(attempt: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" role="alert" data-testid="chunk-failed">
            <p>{t_string!(i18n, chunk_failed)}</p>
            <p>
                <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>
                    {t_string!(i18n, chunk_retry)}
                </button>
            </p>
        </section>
    }
}
