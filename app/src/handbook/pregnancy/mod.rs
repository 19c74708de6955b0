//! The pregnancy (妊娠中の経過): the due date and 妊娠N週M日, the body before pregnancy
//! with the weight-gain guide for its BMI class, the lab results, and each 妊婦健診
//! visit. Saved on this phone first and synced to the family
//! (`domain::handbook::records::prenatal`); guardians write, viewers read.

mod dates;
mod gain_chart;
mod labs;
mod visits;

use domain::{
    families::{FamilyRole, fold_fullwidth},
    handbook::records::prenatal::{
        PREGNANCY_COLLECTION, Pregnancy, VISIT_COLLECTION, pregnancy_record_id,
    },
    sync::{client::StoreError, protocol::Scope, view::Item},
};
use leptos::prelude::*;

use crate::{
    account::state::Account, components::RequireSignIn, form::FormError, i18n::*, sync::Sync,
    tasks::spawn_owned,
};

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
    let i18n = use_i18n();
    let account = Account::get();
    let found = Memo::new(move |_| {
        account
            .me()
            .and_then(|me| me.families.into_iter().find(|f| f.id == family))
    });
    move || match found.get() {
        None => view! { <p class="card">{t!(i18n, pregnancy_not_member)}</p> }.into_any(),
        Some(summary) => view! {
            <p class="pregnancy-child">
                {t_string!(i18n, notes_child, name = summary.child_name.clone()).to_string()}
            </p>
            <Records family=summary.id.clone() guardian=summary.role == FamilyRole::Guardian />
        }
        .into_any(),
    }
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

/// A decimal number as typed (full-width digits too), in whole `1/per_unit` units:
/// `scaled("52.4", 1000)` is 52,400 (grams from kilograms). Empty is `Ok(None)`; anything
/// that is not a number is `Err(())`.
pub(super) fn scaled(text: &str, per_unit: u32) -> Result<Option<u32>, ()> {
    let text = fold_fullwidth(text).trim().replace('．', ".");
    if text.is_empty() {
        return Ok(None);
    }
    let value: f64 = text.parse().map_err(|_| ())?;
    let scaled = (value * f64::from(per_unit)).round();
    if !value.is_finite() || !(0.0..=f64::from(u32::MAX)).contains(&scaled) {
        return Err(());
    }
    Ok(Some(scaled as u32))
}

/// The other way: 52,400 g as "52.4" kg.
pub(super) fn unscaled(value: u32, per_unit: u32) -> String {
    let whole = value / per_unit;
    let rest = value % per_unit;
    if rest == 0 {
        return whole.to_string();
    }
    let digits = per_unit.to_string().len() - 1;
    let fraction = format!("{rest:0digits$}");
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::{scaled, unscaled};

    #[test]
    fn numbers_are_read_as_typed_and_written_back_the_same() {
        assert_eq!(scaled("52.4", 1000), Ok(Some(52_400)));
        assert_eq!(scaled("５２．４", 1000), Ok(Some(52_400)));
        assert_eq!(scaled(" 158 ", 10), Ok(Some(1_580)));
        assert_eq!(scaled("", 10), Ok(None));
        assert_eq!(scaled("abc", 10), Err(()));
        assert_eq!(scaled("-3", 10), Err(()));
        assert_eq!(unscaled(52_400, 1000), "52.4");
        assert_eq!(unscaled(52_000, 1000), "52");
        assert_eq!(unscaled(52_050, 1000), "52.05");
        assert_eq!(unscaled(1_585, 10), "158.5");
    }
}
