//! One child's growth (`/handbook/{family}/growth`): the birth record (出生時の記録,
//! `birth.rs`), the measurements (`form.rs` to write one, `list.rs` to correct or delete
//! them) and the chart against the reference percentiles (`chart.rs`, drawn by
//! `svg.rs`) with its data table (`table.rs`), the accessible reading of the chart.
//! Everything is read from and written to the sync store on this phone first, so it works
//! offline.
//!
//! The child's birth day comes with `/api/me`'s family summary, which the phone keeps, so
//! ages are counted offline too.

mod birth;
mod chart;
mod form;
mod list;
mod svg;
mod table;

use domain::{
    accounts::FamilySummary,
    dates::Day,
    families::FamilyRole,
    handbook::records::{
        BIRTH_COLLECTION, Birth, MEASUREMENT_COLLECTION, Measurement, Unusual, birth_record_id,
    },
    sync::protocol::Scope,
};
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::{
    components::{I18n, RequireSignIn},
    form::FormError,
    i18n::*,
    routing::{Link, Page},
    settings,
    sync::Sync,
    tasks::spawn_owned,
};

crate::module_pages!(growth, pages);

fn pages(page: crate::routing::Page) -> AnyView {
    match page {
        crate::routing::Page::ChildGrowth(family) => ChildGrowth(ChildGrowthProps {
            family: family.to_string(),
        })
        .into_any(),
        _ => crate::components::not_found::NotFound().into_any(),
    }
}

/// `/handbook/{family}/growth`.
#[component]
pub fn ChildGrowth(family: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, growth_title)}</h1>
        <RequireSignIn>
            <ForFamily family=family.clone() />
        </RequireSignIn>
    }
}

/// The page for a family the person may read; for any other, a plain word on why not.
#[component]
fn ForFamily(family: String) -> impl IntoView {
    fn denied() -> AnyView {
        let i18n = use_i18n();
        view! {
            <section class="card">
                <p>{t!(i18n, growth_not_member)}</p>
                <p><Link page=Page::Handbook class="text-link">{t!(i18n, growth_back)}</Link></p>
            </section>
        }
        .into_any()
    }
    view! {
        <crate::handbook::child::ForChild
            family
            show=|family| view! { <Growth family /> }.into_any()
            denied
        />
    }
}

/// One record of a collection as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Saved<T> {
    pub id: String,
    pub version: u64,
    /// Waits in the outbox (「送信待ち」).
    pub pending: bool,
    pub body: T,
}

/// What the parts of the page share.
#[derive(Clone, Copy)]
pub(super) struct State {
    pub family_id: StoredValue<String>,
    pub scope: StoredValue<Scope>,
    pub guardian: bool,
    /// The child's birth day, once known.
    pub born: RwSignal<Option<Day>>,
    pub birth: RwSignal<Option<Saved<Birth>>>,
    /// Newest measurement day first.
    pub measurements: RwSignal<Vec<Saved<Measurement>>>,
    /// The birth form is open (a guardian correcting the record).
    pub editing_birth: RwSignal<bool>,
}

impl State {
    /// The sex on the birth record, which the chart needs.
    pub fn sex(self) -> Option<domain::handbook::growth::Sex> {
        self.birth.with(|b| b.as_ref().map(|b| b.body.sex))
    }
}

async fn read<T: DeserializeOwned>(
    collection: &str,
    scope: &Scope,
) -> Result<Vec<Saved<T>>, String> {
    let items = Sync::items(collection, scope).await.map_err(|e| e.0)?;
    Ok(items
        .into_iter()
        .filter_map(|item| {
            let body = serde_json::from_value(item.record.body).ok()?;
            Some(Saved {
                id: item.record.id,
                version: item.record.version,
                pending: item.pending,
                body,
            })
        })
        .collect())
}

#[component]
fn Growth(family: FamilySummary) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let state = State {
        family_id: StoredValue::new(family.id.clone()),
        scope: StoredValue::new(Scope::of("family", &family.id)),
        guardian: family.role == FamilyRole::Guardian,
        born: RwSignal::new(Day::parse(&family.child_birth_date)),
        birth: RwSignal::new(None),
        measurements: RwSignal::new(Vec::new()),
        editing_birth: RwSignal::new(false),
    };
    let load_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        sync.revision.track();
        let scope = state.scope.get_value();
        let birth_id = birth_record_id(&state.family_id.get_value());
        spawn_owned(async move {
            let births = read::<Birth>(BIRTH_COLLECTION, &scope).await;
            let measured = read::<Measurement>(MEASUREMENT_COLLECTION, &scope).await;
            match (births, measured) {
                (Ok(births), Ok(mut measured)) => {
                    let birth = births.into_iter().find(|b| b.id == birth_id);
                    if state.birth.with_untracked(|b| b != &birth) {
                        state.birth.set(birth);
                    }
                    measured.sort_by_key(|m| std::cmp::Reverse(m.body.measured_on));
                    if state.measurements.with_untracked(|m| m != &measured) {
                        state.measurements.set(measured);
                    }
                    load_error.set(None);
                }
                (Err(error), _) | (_, Err(error)) => load_error.set(Some(error)),
            }
        });
    });
    let name = family.child_name.clone();
    view! {
        <p class="lead">{move || t_string!(i18n, growth_child, name = name.clone()).to_string()}</p>
        <p><Link page=Page::Handbook class="text-link">{t!(i18n, growth_back)}</Link></p>
        {(!state.guardian).then(|| view! { <p class="note">{t!(i18n, growth_viewer)}</p> })}
        {move || state.born.get().is_none()
            .then(|| view! { <p class="card" role="status">{t!(i18n, growth_born_unknown)}</p> })}
        <FormError error=load_error />
        <birth::BirthSection state />
        <chart::ChartSection state />
        <section class="card" aria-labelledby="measure-heading">
            <h2 id="measure-heading">{t!(i18n, growth_measure_title)}</h2>
            {state.guardian.then(|| view! { <form::MeasurementForm state editing=None /> })}
            <list::MeasurementList state />
        </section>
    }
}

/// The error code's words in the person's language.
pub(super) fn code_words(i18n: I18n, code: domain::ErrorCode) -> String {
    code.message(settings::lang(i18n.get_locale_untracked()))
        .to_owned()
}

/// 「体重」, 「身長」, 「頭囲」.
pub(super) fn what(i18n: I18n, indicator: domain::handbook::growth::Indicator) -> &'static str {
    use domain::handbook::growth::Indicator;
    match indicator {
        Indicator::WeightForAge => t_string!(i18n, growth_what_weight),
        Indicator::LengthHeightForAge => t_string!(i18n, growth_what_length),
        Indicator::HeadCircumferenceForAge => t_string!(i18n, growth_what_head),
    }
}

/// A rare value in words, for the question before saving it.
pub(super) fn unusual_words(i18n: I18n, unusual: Unusual) -> String {
    match unusual {
        Unusual::BirthWeight => t_string!(i18n, growth_unusual_birth_weight).to_string(),
        Unusual::Gestation => t_string!(i18n, growth_unusual_gestation).to_string(),
        Unusual::FarFromCurves(indicator) => {
            t_string!(i18n, growth_unusual_far, what = what(i18n, indicator)).to_string()
        }
    }
}

/// The question before saving rare values: what is rare, 「このまま保存する」 and 「直す」.
#[component]
pub(super) fn ConfirmUnusual(
    unusual: RwSignal<Vec<Unusual>>,
    /// Saves as entered.
    on_confirm: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let found = unusual.get();
        (!found.is_empty()).then(|| {
            view! {
                <div class="confirm" role="alert" data-testid="growth-confirm">
                    <p>{t!(i18n, growth_confirm_lead)}</p>
                    <ul>
                        {found.into_iter().map(|u| view! { <li>{unusual_words(i18n, u)}</li> }).collect_view()}
                    </ul>
                    <button type="button" class="button" on:click=move |_| on_confirm.run(())>
                        {t!(i18n, growth_confirm_save)}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| unusual.set(Vec::new())>
                        {t!(i18n, growth_fix)}
                    </button>
                </div>
            }
        })
    }
}
