//! 受けた接種を記録する: the guardians' form, for a new record and for correcting one.
//! Before saving, the rules judge the record (`plan::judge`): a date after today, a
//! dose before the age the rules allow, a duplicate or a dose the child's schedule does
//! not have are refused in words; other warnings (too soon after a dose, the 27-day rule
//! between live vaccines…) are shown, and the person saves with 「このまま記録する」 or
//! changes the entry. Saved on this phone first (`Sync::put`), synced later.

use domain::{
    ErrorCode,
    dates::Day,
    handbook::{
        records::DOSE_COLLECTION,
        vaccinations::{DoseRecord, FACILITY_MAX_CHARS, LOT_MAX_CHARS, rules},
    },
};
use leptos::{ev, prelude::*};

use super::{
    Saved, State,
    plan::{self, Verdict},
    words,
};
use crate::{
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    sync::Sync,
};

/// The most doses any schedule of a vaccine has.
fn most_doses(vaccine: &str) -> u8 {
    rules()
        .vaccine(vaccine)
        .and_then(|v| v.variants.iter().map(|x| x.doses.len()).max())
        .map_or(1, |n| n.clamp(1, 8) as u8)
}

fn products(vaccine: &str) -> Vec<String> {
    rules()
        .vaccine(vaccine)
        .map(|v| v.products.iter().map(|p| p.name.clone()).collect())
        .unwrap_or_default()
}

/// The form for a new record, with what to have next chosen already.
#[component]
pub fn NewDose(state: State) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="vaccines-form-heading">
            <h2 id="vaccines-form-heading">{t!(i18n, vaccines_form_title)}</h2>
            <p>{t!(i18n, vaccines_form_lead)}</p>
            <DoseForm state editing=None on_close=None />
        </section>
    }
}

/// The fields; `editing` is the record being corrected, `on_close` runs once it is saved
/// or the correction is dropped.
#[component]
pub fn DoseForm(
    state: State,
    editing: Option<Saved>,
    on_close: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let start = editing
        .as_ref()
        .map(|s| s.record.clone())
        .unwrap_or_else(|| {
            let next = plan::next(&state.plan.get_untracked());
            let (vaccine, dose) = next
                .first()
                .map(|d| (d.vaccine.clone(), d.dose))
                .unwrap_or_else(|| (rules().vaccines[0].id.clone(), 1));
            DoseRecord {
                date: state.today,
                vaccine,
                dose,
                product: None,
                lot_number: String::new(),
                facility: String::new(),
            }
        });
    let editing_id = StoredValue::new(editing.map(|s| s.id));
    let prefix = editing_id
        .with_value(|id| id.as_ref().map(|id| format!("dose-{id}")))
        .unwrap_or_else(|| "dose-new".to_owned());
    let vaccine = RwSignal::new(start.vaccine.clone());
    let dose = RwSignal::new(start.dose);
    let product = RwSignal::new(start.product.clone().unwrap_or_default());
    let date = RwSignal::new(start.date.to_string());
    let lot = RwSignal::new(start.lot_number.clone());
    let facility = RwSignal::new(start.facility.clone());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let refused = RwSignal::new(Vec::<String>::new());
    let asked = RwSignal::new(Vec::<String>::new());
    let clear = move || {
        refused.set(Vec::new());
        asked.set(Vec::new());
        error.set(None);
        done.set(None);
    };

    let save = move |record: DoseRecord| {
        let Ok(body) = serde_json::to_value(&record) else {
            return;
        };
        pending.set(true);
        let id = editing_id.get_value();
        let scope = state.scope.get_value();
        leptos::task::spawn_local(async move {
            match sync.put(id.clone(), DOSE_COLLECTION, scope, body).await {
                Ok(_) => {
                    asked.set(Vec::new());
                    if id.is_some() {
                        if let Some(close) = on_close {
                            close.run(());
                        }
                    } else {
                        lot.set(String::new());
                        facility.set(String::new());
                        done.set(Some(t_string!(i18n, vaccines_saved).to_string()));
                    }
                }
                Err(e) => error.set(Some(
                    t_string!(i18n, vaccines_save_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    let attempt = move |confirmed: bool| {
        if pending.get_untracked() {
            return;
        }
        let lang = words::lang(i18n);
        clear();
        let Some(day) = Day::parse(date.get_untracked().trim()) else {
            error.set(Some(t_string!(i18n, vaccines_date_missing).to_string()));
            return;
        };
        let product = product.get_untracked();
        let record = match DoseRecord::new(
            day,
            &vaccine.get_untracked(),
            dose.get_untracked(),
            (!product.is_empty()).then_some(product.as_str()),
            &lot.get_untracked(),
            &facility.get_untracked(),
        ) {
            Ok(record) => record,
            Err(_) => {
                error.set(Some(ErrorCode::DoseInvalid.message(lang).to_owned()));
                return;
            }
        };
        let others = editing_id.with_value(|id| state.others(id.as_deref()));
        match plan::judge(&record, state.birth, &others, state.today) {
            Verdict::Refuse(reasons) => {
                refused.set(reasons.iter().map(|r| words::refusal(r, lang)).collect());
            }
            Verdict::Confirm(warnings) if !confirmed => {
                asked.set(warnings.iter().map(|w| words::warning(w, lang)).collect());
            }
            _ => save(record),
        }
    };
    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        attempt(false);
    };

    let field = |name: &str| format!("{prefix}-{name}");
    let (vaccine_id, dose_id, product_id, date_id, lot_id, facility_id) = (
        field("vaccine"),
        field("dose"),
        field("product"),
        field("date"),
        field("lot"),
        field("facility"),
    );
    let product_label = product_id.clone();
    let vaccine_options = move || {
        let lang = words::lang(i18n);
        rules()
            .vaccines
            .iter()
            .map(|v| {
                let id = v.id.clone();
                let selected = id.clone();
                view! {
                    <option value=id prop:selected=move || vaccine.get() == selected>
                        {words::vaccine_name(&v.id, lang)}
                    </option>
                }
            })
            .collect_view()
    };
    let dose_options = move || {
        let lang = words::lang(i18n);
        (1..=most_doses(&vaccine.get()))
            .map(|n| {
                view! {
                    <option value=n.to_string() prop:selected=move || dose.get() == n>
                        {words::dose_label(n, lang)}
                    </option>
                }
            })
            .collect_view()
    };
    let product_field = move || {
        let choices = products(&vaccine.get());
        (!choices.is_empty()).then(|| {
            let id = product_label.clone();
            view! {
                <div class="field">
                    <label for=id.clone()>{t_string!(i18n, vaccines_field_product)}</label>
                    <select
                        id=id
                        on:change=move |e| {
                            product.set(event_target_value(&e));
                            clear();
                        }
                    >
                        <option value="" prop:selected=move || product.get().is_empty()>
                            {t_string!(i18n, vaccines_product_unknown)}
                        </option>
                        {choices
                            .into_iter()
                            .map(|name| {
                                let selected = name.clone();
                                view! {
                                    <option value=name.clone() prop:selected=move || product.get() == selected>
                                        {name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            }
        })
    };
    let text_input = move |id: String, value: RwSignal<String>, max: usize| {
        view! {
            <input
                id=id.clone()
                name=id
                type="text"
                autocomplete="off"
                maxlength=max.to_string()
                prop:value=move || value.get()
                on:input=move |e| {
                    value.set(event_target_value(&e));
                    clear();
                }
            />
        }
    };
    let editing = editing_id.with_value(Option::is_some);
    view! {
        <form class="note-form vax-form" on:submit=on_submit novalidate>
            <div class="field">
                <label for=vaccine_id.clone()>{t_string!(i18n, vaccines_field_vaccine)}</label>
                <select
                    id=vaccine_id
                    on:change=move |e| {
                        let chosen = event_target_value(&e);
                        if dose.get_untracked() > most_doses(&chosen) {
                            dose.set(1);
                        }
                        if !products(&chosen).contains(&product.get_untracked()) {
                            product.set(String::new());
                        }
                        vaccine.set(chosen);
                        clear();
                    }
                >
                    {vaccine_options}
                </select>
            </div>
            <div class="field">
                <label for=dose_id.clone()>{t_string!(i18n, vaccines_field_dose)}</label>
                <select
                    id=dose_id
                    on:change=move |e| {
                        dose.set(event_target_value(&e).parse().unwrap_or(1));
                        clear();
                    }
                >
                    {dose_options}
                </select>
            </div>
            {product_field}
            <div class="field">
                <label for=date_id.clone()>{t_string!(i18n, vaccines_field_date)}</label>
                <input
                    id=date_id
                    type="date"
                    max=state.today.to_string()
                    prop:value=move || date.get()
                    on:input=move |e| {
                        date.set(event_target_value(&e));
                        clear();
                    }
                />
            </div>
            <div class="field">
                <label for=lot_id.clone()>{t_string!(i18n, vaccines_field_lot)}</label>
                {text_input(lot_id.clone(), lot, LOT_MAX_CHARS)}
            </div>
            <div class="field">
                <label for=facility_id.clone()>{t_string!(i18n, vaccines_field_facility)}</label>
                {text_input(facility_id.clone(), facility, FACILITY_MAX_CHARS)}
            </div>
            {move || {
                let reasons = refused.get();
                (!reasons.is_empty()).then(|| view! {
                    <div class="form-error" role="alert" data-testid="dose-refused">
                        <p>{t_string!(i18n, vaccines_refused)}</p>
                        <ul>{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            {move || {
                let warnings = asked.get();
                (!warnings.is_empty()).then(|| view! {
                    <div class="vax-confirm" role="alert" data-testid="dose-confirm">
                        <p><strong>{t_string!(i18n, vaccines_confirm_title)}</strong></p>
                        <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                        <div class="note-actions">
                            <button type="button" class="button" on:click=move |_| attempt(true)>
                                {t_string!(i18n, vaccines_confirm_yes)}
                            </button>
                            <button type="button" class="button secondary" on:click=move |_| asked.set(Vec::new())>
                                {t_string!(i18n, vaccines_confirm_no)}
                            </button>
                        </div>
                    </div>
                })
            }}
            <FormError error />
            <div class="note-actions">
                <Submit pending>
                    {move || if editing {
                        t_string!(i18n, vaccines_update)
                    } else {
                        t_string!(i18n, vaccines_save)
                    }}
                </Submit>
                {editing.then(|| view! {
                    <button
                        type="button"
                        class="button secondary"
                        on:click=move |_| {
                            if let Some(close) = on_close {
                                close.run(());
                            }
                        }
                    >
                        {t_string!(i18n, vaccines_cancel)}
                    </button>
                })}
            </div>
            <FormDone done />
        </form>
    }
}
