//! `/handbook/{family}/print`: the whole handbook of one family as plain tables, for
//! paper (A4, or A5 like the paper 母子健康手帳). The print stylesheet in app.css hides
//! the app's frame; 「印刷する」 opens the browser's print dialog. Read from the sync
//! store, so it works offline.

use domain::{
    accounts::FamilySummary,
    sync::{collections::HANDBOOK_COLLECTIONS, protocol::Scope, view::Item},
};
use leptos::prelude::*;

use super::print_tables::Sections;
use crate::{
    account::state::Account,
    browser,
    components::RequireSignIn,
    form::FormError,
    i18n::*,
    routing::{Link, Page},
    settings,
    sync::Sync,
    tasks::spawn_owned,
};

#[component]
pub fn Print(family: String) -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let found = Memo::new(move |_| {
        account
            .me()
            .and_then(|me| me.families.into_iter().find(|f| f.id == family))
    });
    view! {
        <h1>{t!(i18n, handbook_title)}</h1>
        <RequireSignIn>
            {move || match found.get() {
                Some(family) => view! { <Sheet family /> }.into_any(),
                None => view! {
                    <section class="card">
                        <p>{t!(i18n, growth_not_member)}</p>
                        <p><Link page=Page::Handbook class="text-link">{t!(i18n, growth_back)}</Link></p>
                    </section>
                }
                .into_any(),
            }}
        </RequireSignIn>
    }
}

/// The paper sizes offered, and the class that picks each one's `@page`.
const PAPERS: [(&str, &str); 2] = [("A4", ""), ("A5", "print-a5")];

#[component]
fn Sheet(family: FamilySummary) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let items = RwSignal::new(Vec::<Item>::new());
    let load_error = RwSignal::new(None::<String>);
    let paper = RwSignal::new(PAPERS[0].1);
    let scope = StoredValue::new(Scope::of("family", &family.id));
    Effect::new(move |_| {
        sync.revision.track();
        let scope = scope.get_value();
        spawn_owned(async move {
            let mut all = Vec::new();
            for collection in HANDBOOK_COLLECTIONS {
                match Sync::items(collection, &scope).await {
                    Ok(found) => all.extend(found),
                    Err(error) => {
                        load_error.set(Some(error.0));
                        return;
                    }
                }
            }
            items.set(all);
            load_error.set(None);
        });
    });
    let print = move |_| {
        if let Some(window) = browser::window() {
            let _ = window.print();
        }
    };
    let name = family.child_name.clone();
    let born = family.child_birth_date.clone();
    view! {
        <div class="print-tools">
            <p><Link page=Page::Handbook class="text-link">{t!(i18n, growth_back)}</Link></p>
            <fieldset class="choices">
                <legend class="choices-title">{t!(i18n, handbook_paper)}</legend>
                {PAPERS.into_iter().map(|(label, class)| view! {
                    <label class="choice">
                        <input type="radio" name="paper" value=label
                            prop:checked=move || paper.get() == class
                            on:change=move |_| paper.set(class) />
                        {label}
                    </label>
                }).collect_view()}
            </fieldset>
            <button type="button" class="button" data-testid="print" on:click=print>
                {t!(i18n, handbook_print)}
            </button>
        </div>
        <FormError error=load_error />
        <article class=move || format!("print-sheet {}", paper.get()) data-testid="print-sheet">
            <h2>{move || t_string!(i18n, notes_child, name = name.clone()).to_string()}</h2>
            <p>
                {t!(i18n, field_birth_date)}
                " "
                {move || browser::format_day(&born, settings::lang(i18n.get_locale()))}
            </p>
            <Sections items />
        </article>
    }
}
