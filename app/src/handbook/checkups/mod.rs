//! 乳幼児健診 (`/handbook/{family}/checkups`): for each checkup age the child has reached,
//! the clinician's findings (`findings.rs`: health staff enter them, with the family's
//! consent) and the parent's own record (`parent.rs`: milestones, the form's questions,
//! notes; guardians write it). A chunk of its own; everything is read from the sync
//! store on this phone, so it opens offline.

mod findings;
mod parent;
pub(super) mod words;

use domain::{
    dates::Day,
    handbook::records::checkups::{CHECKUP_COLLECTION, CHECKUP_NOTE_COLLECTION, CheckupAge},
    sync::{protocol::Scope, view::Item},
};
use leptos::prelude::*;

use super::child::{self, Child, Lookup, Reader};
use crate::{
    browser,
    components::RequireSignIn,
    form::FormError,
    i18n::*,
    routing::{Id, Link, Page},
    settings,
    sync::Sync,
    tasks::spawn_owned,
};

crate::module_pages!(checkups, pages);

fn pages(page: Page) -> AnyView {
    match page {
        Page::ChildCheckups(family) => ChildCheckups(ChildCheckupsProps {
            family: family.to_string(),
        })
        .into_any(),
        _ => crate::components::not_found::NotFound().into_any(),
    }
}

/// `/handbook/{family}/checkups`.
#[component]
pub fn ChildCheckups(family: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, checkups_title)}</h1>
        <p class="lead">{t!(i18n, checkups_lead)}</p>
        <RequireSignIn>
            <ForChild family=family.clone() />
        </RequireSignIn>
    }
}

#[component]
fn ForChild(family: String) -> impl IntoView {
    let i18n = use_i18n();
    let found = child::lookup(family);
    move || match found.get() {
        Lookup::Looking => ().into_any(),
        Lookup::NotAllowed => view! {
            <section class="card">
                <p>{t!(i18n, growth_not_member)}</p>
                <p><Link page=Page::Handbook class="text-link">{t!(i18n, growth_back)}</Link></p>
            </section>
        }
        .into_any(),
        Lookup::Offline => view! { <p class="card">{t!(i18n, centre_offline)}</p> }.into_any(),
        Lookup::Found(child) => view! { <Checkups child /> }.into_any(),
    }
}

/// The ages to show: each one reached by `today`, and any other with a record, newest
/// first.
fn ages_shown(born: Day, today: Day, with_records: &[CheckupAge]) -> Vec<CheckupAge> {
    let mut ages: Vec<CheckupAge> = CheckupAge::ALL
        .into_iter()
        .filter(|age| age.reached(born) <= today || with_records.contains(age))
        .collect();
    ages.reverse();
    ages
}

fn age_of(item: &Item) -> Option<CheckupAge> {
    serde_json::from_value(item.record.body.get("age")?.clone()).ok()
}

#[component]
fn Checkups(child: Child) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let scope = Scope::of("family", &child.id);
    let found: RwSignal<Vec<Item>> = RwSignal::new(Vec::new());
    let notes: RwSignal<Vec<Item>> = RwSignal::new(Vec::new());
    let load_error = RwSignal::new(None::<String>);
    {
        let scope = scope.clone();
        Effect::new(move |_| {
            sync.revision.track();
            let scope = scope.clone();
            spawn_owned(async move {
                let read = async {
                    Ok::<_, domain::sync::client::StoreError>((
                        Sync::items(CHECKUP_COLLECTION, &scope).await?,
                        Sync::items(CHECKUP_NOTE_COLLECTION, &scope).await?,
                    ))
                };
                match read.await {
                    Ok((f, n)) => {
                        found.set(f);
                        notes.set(n);
                        load_error.set(None);
                    }
                    Err(error) => load_error.set(Some(error.0)),
                }
            });
        });
    }
    let Some(born) = child.born else {
        return view! { <p class="card">{t!(i18n, growth_born_unknown)}</p> }.into_any();
    };
    let today = Day::parse(&browser::today()).unwrap_or(born);
    let ages = Memo::new(move |_| {
        let mut with_records: Vec<CheckupAge> =
            found.with(|f| notes.with(|n| f.iter().chain(n).filter_map(age_of).collect()));
        with_records.dedup();
        ages_shown(born, today, &with_records)
    });
    let next = CheckupAge::ALL
        .into_iter()
        .find(|age| age.reached(born) > today)
        .map(|age| {
            let lang = settings::lang(i18n.get_locale_untracked());
            let day = browser::format_day(&age.reached(born).to_string(), lang);
            t_string!(i18n, checkups_next, age = words::age(age, lang), day = day).to_string()
        });
    let links = Id::parse(&child.id).map(|id| {
        view! {
            <ul class="link-list" aria-label=move || t_string!(i18n, growth_links_label)>
                <li><Link page=Page::ChildGrowth(id) class="module-link">{t!(i18n, growth_title)}</Link></li>
                <li><Link page=Page::Handbook class="module-link">{t!(i18n, growth_back)}</Link></li>
            </ul>
        }
    });
    let reader = child.reader;
    let name = child.name.clone();
    view! {
        <p class="pregnancy-child">
            {move || t_string!(i18n, notes_child, name = name.clone()).to_string()}
        </p>
        {links}
        <FormError error=load_error />
        {next.map(|n| view! { <p class="card" data-testid="checkups-next">{n}</p> })}
        {(reader == Reader::HealthStaff).then(|| view! {
            <findings::FindingsForm scope=scope.clone() born today />
        })}
        {(reader == Reader::Viewer).then(|| view! { <p class="note">{t!(i18n, growth_viewer)}</p> })}
        <For
            each=move || ages.get()
            key=|age| *age
            children=move |age| {
                let scope = scope.clone();
                let family = child.id.clone();
                view! { <AgeSection age family scope found notes reader born today /> }
            }
        />
    }
    .into_any()
}

/// One checkup age: its findings and the parent's record.
#[component]
fn AgeSection(
    age: CheckupAge,
    family: String,
    scope: Scope,
    found: RwSignal<Vec<Item>>,
    notes: RwSignal<Vec<Item>>,
    reader: Reader,
    born: Day,
    today: Day,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("checkup-{}", age.as_str());
    let labelled = heading_id.clone();
    let of_age = Memo::new(move |_| {
        found.with(|f| {
            let mut items: Vec<Item> = f
                .iter()
                .filter(|i| age_of(i) == Some(age))
                .cloned()
                .collect();
            items.sort_by_key(|i| {
                std::cmp::Reverse(i.record.body["date"].as_str().map(str::to_owned))
            });
            items
        })
    });
    let note =
        Memo::new(move |_| notes.with(|n| n.iter().find(|i| age_of(i) == Some(age)).cloned()));
    view! {
        <section class="card checkup" aria-labelledby=labelled data-testid="checkup-age">
            <h2 id=heading_id>
                {move || words::age(age, settings::lang(i18n.get_locale())).to_owned()}
            </h2>
            <h3>{t!(i18n, checkups_findings)}</h3>
            <Show
                when=move || !of_age.with(Vec::is_empty)
                fallback=move || view! { <p>{t!(i18n, checkups_findings_none)}</p> }
            >
                <ul class="visit-list" data-testid="checkup-findings">
                    <For
                        each=move || of_age.get()
                        key=|item| (item.record.id.clone(), item.record.version, item.pending)
                        children=move |item| view! { <findings::Findings item born /> }
                    />
                </ul>
            </Show>
            <parent::ParentRecord age family scope note editable=reader == Reader::Guardian born today />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ages_reached_are_shown_newest_first_with_any_other_that_has_a_record() {
        let born = Day::parse("2026-04-05").unwrap();
        let today = Day::parse("2026-12-06").unwrap();
        let shown = ages_shown(born, today, &[]);
        assert_eq!(shown.first(), Some(&CheckupAge::Months6to7));
        assert_eq!(shown.last(), Some(&CheckupAge::Weeks2));
        assert_eq!(shown.len(), 5);
        let early = ages_shown(born, today, &[CheckupAge::Months9to10]);
        assert_eq!(early.first(), Some(&CheckupAge::Months9to10));
    }
}
