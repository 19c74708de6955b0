//! The pregnancy (妊娠中の経過): the due date and 妊娠N週M日, the body before pregnancy
//! with the weight-gain guide for its BMI class, the lab results, and each 妊婦健診
//! visit. Saved on this phone first and synced to the family
//! (`domain::handbook::records::prenatal`); guardians write, viewers read.

mod dates;
mod gain_chart;
mod labs;
mod visits;

use domain::{
    accounts::FamilySummary,
    families::FamilyRole,
    handbook::records::prenatal::{
        PREGNANCY_COLLECTION, Pregnancy, VISIT_COLLECTION, pregnancy_record_id,
    },
    sync::{client::StoreError, protocol::Scope, view::Item},
};
use leptos::prelude::*;

use crate::{components::RequireSignIn, form::FormError, i18n::*, sync::Sync, tasks::spawn_owned};

crate::module_pages!(pregnancy, pages);

fn pages(page: crate::routing::Page) -> AnyView {
    match page {
        crate::routing::Page::Pregnancy(family) => PregnancyPage(PregnancyPageProps {
            family: family.to_string(),
        })
        .into_any(),
        _ => crate::components::not_found::NotFound().into_any(),
    }
}

/// `/handbook/{family}/pregnancy`.
#[component]
pub fn PregnancyPage(family: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, pregnancy_title)}</h1>
        <p class="lead">{t!(i18n, pregnancy_lead)}</p>
        <RequireSignIn>
            <Member family=family.clone() />
        </RequireSignIn>
    }
}

/// The page for a family the person is in; a plain sentence for any other.
#[component]
fn Member(family: String) -> impl IntoView {
    fn denied() -> AnyView {
        let i18n = use_i18n();
        view! { <p class="card">{t!(i18n, pregnancy_not_member)}</p> }.into_any()
    }
    fn show(summary: FamilySummary) -> AnyView {
        let i18n = use_i18n();
        view! {
            <p class="pregnancy-child">
                {t_string!(i18n, notes_child, name = summary.child_name.clone()).to_string()}
            </p>
            <Records family=summary.id.clone() guardian=summary.role == FamilyRole::Guardian />
        }
        .into_any()
    }
    view! { <crate::handbook::child::ForChild family show denied /> }
}

/// The pregnancy record as stored here, and whether a change to it waits to be sent.
#[derive(Clone, PartialEq)]
pub(super) struct Stored {
    pub pregnancy: Pregnancy,
    pub pending: bool,
}

#[component]
fn Records(family: String, guardian: bool) -> impl IntoView {
    let sync = Sync::get();
    let scope = Scope::of("family", &family);
    let record_id = pregnancy_record_id(&family);
    let stored: RwSignal<Option<Stored>> = RwSignal::new(None);
    let visits: RwSignal<Vec<Item>> = RwSignal::new(Vec::new());
    let load_error = RwSignal::new(None::<String>);
    {
        let (scope, record_id) = (scope.clone(), record_id.clone());
        Effect::new(move |_| {
            sync.revision.track();
            let (scope, record_id) = (scope.clone(), record_id.clone());
            spawn_owned(async move {
                match read(&scope, &record_id).await {
                    Ok((found, read_visits)) => {
                        stored.set(found);
                        visits.set(read_visits);
                        load_error.set(None);
                    }
                    Err(error) => load_error.set(Some(error.0)),
                }
            });
        });
    }
    let due = Memo::new(move |_| stored.with(|s| s.as_ref().and_then(|s| s.pregnancy.due())));
    view! {
        <FormError error=load_error />
        <dates::Summary stored visits />
        <gain_chart::GainChart stored visits />
        {guardian.then(|| view! {
            <dates::DatesForm record_id=record_id.clone() scope=scope.clone() stored />
        })}
        <visits::Visits scope=scope.clone() visits due guardian />
        <labs::Labs record_id scope stored guardian />
    }
}

async fn read(scope: &Scope, record_id: &str) -> Result<(Option<Stored>, Vec<Item>), StoreError> {
    let found = Sync::items(PREGNANCY_COLLECTION, scope)
        .await?
        .into_iter()
        .find(|item| item.record.id == record_id)
        .and_then(|item| {
            let pending = item.pending;
            serde_json::from_value(item.record.body)
                .ok()
                .map(|pregnancy| Stored { pregnancy, pending })
        });
    let visits = Sync::items(VISIT_COLLECTION, scope).await?;
    Ok((found, visits))
}
