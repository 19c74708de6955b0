//! The pregnancy's dates and the body before it: what they mean today (出産予定日,
//! 妊娠N週M日, BMI and the weight-gain guide), and the form guardians fill in.

use domain::{
    dates::Day,
    handbook::{
        pregnancy::{
            BmiClass, BodySize, Entry, Unusual, WeightGainGuide, due_date, gestational_age_on,
        },
        records::prenatal::{PREGNANCY_COLLECTION, Pregnancy, Visit},
    },
    sync::{protocol::Scope, view::Item},
};
use leptos::prelude::*;

use super::Stored;
use crate::handbook::units;
use crate::{
    browser,
    components::SyncBadge,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    settings,
    sync::Sync,
};

/// What the dates say today, in sentences.
#[component]
pub fn Summary(stored: RwSignal<Option<Stored>>, visits: RwSignal<Vec<Item>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let lang = settings::lang(i18n.get_locale());
        let Some(Stored { pregnancy, pending }) = stored.get() else {
            return view! { <p class="card">{t!(i18n, pregnancy_none)}</p> }.into_any();
        };
        let today = Day::parse(&browser::today());
        let due = pregnancy.due();
        let due_line = due.map(|due| {
            let basis = if pregnancy.due_date.is_some() {
                t_string!(i18n, pregnancy_basis_given).to_string()
            } else {
                t_string!(i18n, pregnancy_basis_last_period).to_string()
            };
            let day = browser::format_day(&due.to_string(), lang);
            t_string!(i18n, pregnancy_due_line, day = day, basis = basis).to_string()
        });
        let week_line = due
            .zip(today)
            .and_then(|(due, today)| gestational_age_on(due, today))
            .map(|age| {
                t_string!(
                    i18n,
                    pregnancy_week_line,
                    weeks = age.weeks(),
                    days = age.days()
                )
                .to_string()
            });
        let body = pregnancy
            .height_mm
            .zip(pregnancy.weight_before_g)
            .map(|(h, w)| BodySize {
                height_cm: f64::from(h) / 10.0,
                weight_kg: f64::from(w) / 1000.0,
            });
        let bmi_line = body.map(|body| {
            let bmi = body.bmi();
            let class = match BmiClass::of(bmi) {
                BmiClass::Underweight => t_string!(i18n, pregnancy_bmi_under).to_string(),
                BmiClass::Normal => t_string!(i18n, pregnancy_bmi_normal).to_string(),
                BmiClass::Obese1 => t_string!(i18n, pregnancy_bmi_obese1).to_string(),
                BmiClass::Obese2OrMore => t_string!(i18n, pregnancy_bmi_obese2).to_string(),
            };
            let guide = match BmiClass::of(bmi).weight_gain_guide() {
                WeightGainGuide::Range { min_kg, max_kg } => {
                    t_string!(i18n, pregnancy_gain_range, min = min_kg, max = max_kg).to_string()
                }
                WeightGainGuide::Individual { upper_kg } => {
                    t_string!(i18n, pregnancy_gain_individual, upper = upper_kg).to_string()
                }
            };
            t_string!(
                i18n,
                pregnancy_bmi_line,
                bmi = format!("{bmi:.1}"),
                class = class,
                guide = guide
            )
            .to_string()
        });
        let gained = pregnancy.weight_before_g.and_then(|before| {
            let latest = visits.with(|items| {
                items
                    .iter()
                    .filter_map(|item| {
                        serde_json::from_value::<Visit>(item.record.body.clone()).ok()
                    })
                    .filter_map(|visit| visit.weight_g.map(|w| (visit.date, w)))
                    .max_by_key(|(date, _)| *date)
            })?;
            let change = f64::from(latest.1) / 1000.0 - f64::from(before) / 1000.0;
            Some(t_string!(i18n, pregnancy_gain_so_far, kg = format!("{change:+.1}")).to_string())
        });
        view! {
            <section class="card pregnancy-summary" aria-labelledby="pregnancy-summary">
                <h2 id="pregnancy-summary">
                    {t!(i18n, pregnancy_summary_title)} " " <SyncBadge pending />
                </h2>
                {week_line.map(|line| view! { <p class="pregnancy-week" data-testid="pregnancy-week">{line}</p> })}
                {due_line.map(|line| view! { <p>{line}</p> })}
                {bmi_line.map(|line| view! { <p>{line}</p> })}
                {gained.map(|line| view! { <p>{line}</p> })}
                <p class="note">{t!(i18n, pregnancy_gain_note)}</p>
            </section>
        }
        .into_any()
    }
}

/// 出産予定日 and the body before pregnancy. A due date that is not Naegele's, or an
/// unusual height or weight, is asked about once (「このまま保存する」) instead of refused.
#[component]
pub fn DatesForm(
    record_id: String,
    scope: Scope,
    stored: RwSignal<Option<Stored>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let last_period = RwSignal::new(String::new());
    let given_due = RwSignal::new(String::new());
    let height = RwSignal::new(String::new());
    let weight = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let confirm = RwSignal::new(None::<Vec<String>>);
    // The form starts from what is stored, once it is read.
    let filled = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(Stored { pregnancy, .. }) = stored.get()
            && !filled.get_value()
        {
            filled.set_value(true);
            let day = |d: Option<Day>| d.map(|d| d.to_string()).unwrap_or_default();
            last_period.set(day(pregnancy.last_period));
            given_due.set(day(pregnancy.due_date));
            height.set(pregnancy.height_mm.map(units::cm).unwrap_or_default());
            weight.set(pregnancy.weight_before_g.map(units::kg).unwrap_or_default());
        }
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        let lang = settings::lang(i18n.get_locale_untracked());
        done.set(None);
        let confirmed = confirm.get_untracked().is_some();
        let today = Day::parse(&browser::today()).unwrap_or(Day {
            year: 2026,
            month: 1,
            day: 1,
        });
        let read_day = |text: String| -> Result<Option<Day>, ()> {
            let text = text.trim().to_owned();
            if text.is_empty() {
                Ok(None)
            } else {
                Day::parse(&text).map(Some).ok_or(())
            }
        };
        let dates = read_day(last_period.get_untracked())
            .and_then(|lmp| Ok((lmp, read_day(given_due.get_untracked())?)));
        let Ok((lmp, given)) = dates else {
            error.set(Some(
                domain::ErrorCode::PregnancyDatesInvalid
                    .message(lang)
                    .to_owned(),
            ));
            return;
        };
        let mut unusual: Vec<Unusual> = Vec::new();
        match due_date(lmp, given, today) {
            Err(code) => {
                error.set(Some(code.message(lang).to_owned()));
                return;
            }
            Ok(Entry::NeedsConfirmation { reasons, .. }) => unusual.extend(reasons),
            Ok(Entry::Accepted(_)) => {}
        }
        let (Ok(height_mm), Ok(weight_g)) = (
            units::parse_cm(&height.get_untracked()),
            units::parse_kg(&weight.get_untracked()),
        ) else {
            error.set(Some(
                domain::ErrorCode::BodySizeInvalid.message(lang).to_owned(),
            ));
            return;
        };
        if let (Some(h), Some(w)) = (height_mm, weight_g) {
            match BodySize::check(f64::from(h) / 10.0, f64::from(w) / 1000.0) {
                Err(code) => {
                    error.set(Some(code.message(lang).to_owned()));
                    return;
                }
                Ok(Entry::NeedsConfirmation { reasons, .. }) => unusual.extend(reasons),
                Ok(Entry::Accepted(_)) => {}
            }
        }
        if !unusual.is_empty() && !confirmed {
            error.set(None);
            confirm.set(Some(
                unusual.iter().map(|u| unusual_words(i18n, *u)).collect(),
            ));
            return;
        }
        let labs = stored
            .with_untracked(|s| s.as_ref().map(|s| s.pregnancy.labs.clone()))
            .unwrap_or_default();
        let pregnancy = Pregnancy {
            last_period: lmp,
            due_date: given,
            height_mm,
            weight_before_g: weight_g,
            labs,
        };
        if let Err(code) = pregnancy.validate() {
            error.set(Some(code.message(lang).to_owned()));
            return;
        }
        let Ok(body) = serde_json::to_value(&pregnancy) else {
            return;
        };
        error.set(None);
        confirm.set(None);
        pending.set(true);
        let (id, scope) = (record_id.clone(), scope.clone());
        leptos::task::spawn_local(async move {
            match sync.put(Some(id), PREGNANCY_COLLECTION, scope, body).await {
                Ok(_) => done.set(Some(t_string!(i18n, notes_saved).to_string())),
                Err(e) => error.set(Some(
                    t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    let input =
        move |id: &'static str, kind: &'static str, value: RwSignal<String>, mode: &'static str| {
            view! {
                <input
                    id=id
                    name=id
                    type=kind
                    inputmode=mode
                    autocomplete="off"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    prop:value=move || value.get()
                    on:input=move |e| { value.set(event_target_value(&e)); confirm.set(None); }
                />
            }
        };
    view! {
        <form class="card pregnancy-form" on:submit=on_submit novalidate aria-labelledby="pregnancy-dates">
            <h2 id="pregnancy-dates">{t!(i18n, pregnancy_dates_title)}</h2>
            <div class="field">
                <label for="pregnancy-last-period">{t!(i18n, pregnancy_last_period)}</label>
                {input("pregnancy-last-period", "date", last_period, "none")}
            </div>
            <div class="field">
                <label for="pregnancy-due">{t!(i18n, pregnancy_due_given)}</label>
                <p class="field-hint">{t!(i18n, pregnancy_due_hint)}</p>
                {input("pregnancy-due", "date", given_due, "none")}
            </div>
            <div class="field">
                <label for="pregnancy-height">{t!(i18n, pregnancy_height)}</label>
                {input("pregnancy-height", "text", height, "decimal")}
            </div>
            <div class="field">
                <label for="pregnancy-weight">{t!(i18n, pregnancy_weight_before)}</label>
                {input("pregnancy-weight", "text", weight, "decimal")}
            </div>
            <FormError error />
            {move || confirm.get().map(|reasons| view! {
                <div class="confirm" role="alert">
                    <p>{t!(i18n, pregnancy_confirm)}</p>
                    <ul>{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                </div>
            })}
            <Submit pending>
                {move || if confirm.get().is_some() {
                    t_string!(i18n, pregnancy_save_anyway)
                } else {
                    t_string!(i18n, pregnancy_save)
                }}
            </Submit>
            <FormDone done />
        </form>
    }
}

fn unusual_words(i18n: leptos_i18n::I18nContext<Locale>, unusual: Unusual) -> String {
    match unusual {
        Unusual::DueDateDiffersFromLastPeriod { days } => {
            t_string!(i18n, pregnancy_unusual_due, days = days.abs()).to_string()
        }
        Unusual::HeightUnusual => t_string!(i18n, pregnancy_unusual_height).to_string(),
        Unusual::WeightUnusual => t_string!(i18n, pregnancy_unusual_weight).to_string(),
    }
}
