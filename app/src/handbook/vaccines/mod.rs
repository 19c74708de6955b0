//! One child's vaccinations (予防接種): the schedule the rules in `domain` give from the
//! birth date and the doses recorded, what to have next, the guardians' records (saved
//! on the phone first, synced to the family) and a calendar file of the next days.
//!
//! `FamilySummary` (in `/api/me`) carries no birth date, so the page reads it from
//! `GET /api/families/{id}` and keeps it in local storage (forgotten at sign-out with
//! the rest), so the page opens with no signal once it has been opened with one.

mod calendar;
mod form;
mod ics;
mod plan;
mod records;
mod schedule;
pub(super) mod words;

use domain::{
    accounts::FamilySummary,
    dates::Day,
    families::FamilyRole,
    handbook::{
        records::DOSE_COLLECTION,
        vaccinations::{DoseRecord, DoseStatus, schedule as schedule_of},
    },
    sync::protocol::Scope,
};
use leptos::prelude::*;

use crate::{
    browser,
    components::RequireSignIn,
    form::FormError,
    i18n::*,
    routing::{Link, Page},
    sync::Sync,
    tasks::spawn_owned,
};

crate::module_pages!(vaccines, pages);

fn pages(page: crate::routing::Page) -> AnyView {
    match page {
        crate::routing::Page::ChildVaccines(family) => ChildVaccines(ChildVaccinesProps {
            family: family.to_string(),
        })
        .into_any(),
        _ => crate::components::not_found::NotFound().into_any(),
    }
}

/// One dose record as the phone holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub id: String,
    pub record: DoseRecord,
    /// A change to it waits to be sent (「送信待ち」).
    pub pending: bool,
}

/// What the page's parts share.
#[derive(Clone, Copy)]
pub struct State {
    pub family: StoredValue<String>,
    pub scope: StoredValue<Scope>,
    pub birth: Day,
    pub today: Day,
    pub guardian: bool,
    pub saved: RwSignal<Vec<Saved>>,
    /// The schedule as the records stand.
    pub plan: Memo<Vec<DoseStatus>>,
}

impl State {
    /// The records but the one being corrected.
    pub fn others(self, except: Option<&str>) -> Vec<DoseRecord> {
        self.saved.with_untracked(|saved| {
            saved
                .iter()
                .filter(|s| Some(s.id.as_str()) != except)
                .map(|s| s.record.clone())
                .collect()
        })
    }
}

/// `/handbook/{family}/vaccines`.
#[component]
pub fn ChildVaccines(family: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, vaccines_title)}</h1>
        <RequireSignIn>
            <Member family=family.clone() />
        </RequireSignIn>
        <p><Link page=Page::Handbook class="text-link">{t_string!(i18n, vaccines_back)}</Link></p>
    }
}

/// The family as the person's account lists it; a family they are not in is a
/// sentence, never a page of someone else's data.
#[component]
fn Member(family: String) -> impl IntoView {
    fn denied() -> AnyView {
        let i18n = use_i18n();
        view! { <p class="card" role="status">{t_string!(i18n, vaccines_not_member)}</p> }
            .into_any()
    }
    view! {
        <crate::handbook::child::ForChild
            family
            show=|summary| view! { <Birth summary /> }.into_any()
            denied
        />
    }
}

/// The child's birth date, from `/api/me`'s family summary (kept on the phone); an app
/// that kept an older summary without it says so until the next sign-in check.
#[component]
fn Birth(summary: FamilySummary) -> impl IntoView {
    let i18n = use_i18n();
    match Day::parse(&summary.child_birth_date) {
        Some(birth) => view! { <Book summary=summary.clone() birth /> }.into_any(),
        None => view! {
            <p class="form-error" role="alert">{t_string!(i18n, vaccines_birth_unknown)}</p>
        }
        .into_any(),
    }
}

/// The page itself, once the birth date is known.
#[component]
fn Book(summary: FamilySummary, birth: Day) -> impl IntoView {
    let i18n = use_i18n();
    let today = Day::parse(&browser::today()).unwrap_or(birth);
    let name = summary.child_name.clone();
    let heading = move || t_string!(i18n, vaccines_child, name = name.clone()).to_string();
    if birth > today {
        return view! {
            <p class="lead">{heading}</p>
            <p class="card" data-testid="vaccines-before-birth">{t_string!(i18n, vaccines_before_birth)}</p>
        }
        .into_any();
    }
    let sync = Sync::get();
    let scope = Scope::of("family", &summary.id);
    let saved: RwSignal<Vec<Saved>> = RwSignal::new(Vec::new());
    let load_error = RwSignal::new(None::<String>);
    let plan = Memo::new(move |_| {
        let records: Vec<DoseRecord> = saved.with(|s| s.iter().map(|s| s.record.clone()).collect());
        schedule_of(birth, &records, today)
    });
    let state = State {
        family: StoredValue::new(summary.id.clone()),
        scope: StoredValue::new(scope.clone()),
        birth,
        today,
        guardian: summary.role == FamilyRole::Guardian,
        saved,
        plan,
    };
    Effect::new(move |_| {
        sync.revision.track();
        let scope = scope.clone();
        spawn_owned(async move {
            match Sync::items(DOSE_COLLECTION, &scope).await {
                Ok(items) => {
                    let mut list: Vec<Saved> = items
                        .into_iter()
                        .filter_map(|item| {
                            let record = serde_json::from_value(item.record.body).ok()?;
                            Some(Saved {
                                id: item.record.id,
                                record,
                                pending: item.pending,
                            })
                        })
                        .collect();
                    list.sort_by_key(|s| std::cmp::Reverse(s.record.date));
                    saved.set(list);
                    load_error.set(None);
                }
                Err(error) => load_error.set(Some(error.0)),
            }
        });
    });
    view! {
        <p class="lead">{heading}</p>
        <p>{t_string!(i18n, vaccines_lead)}</p>
        <FormError error=load_error />
        <schedule::Next state />
        <calendar::Calendar state />
        {if state.guardian {
            view! { <form::NewDose state /> }.into_any()
        } else {
            view! { <p class="card note" data-testid="vaccines-viewer">{t_string!(i18n, vaccines_viewer)}</p> }
                .into_any()
        }}
        <records::Records state />
        <schedule::Whole state />
    }
    .into_any()
}
