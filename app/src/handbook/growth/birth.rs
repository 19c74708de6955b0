//! 出生時の記録: the form for guardians (one record per handbook, under
//! `birth_record_id`), and what everyone else reads.

use domain::{
    ErrorCode,
    dates::Day,
    handbook::{
        growth::Sex,
        pregnancy::GestationalAge,
        records::{
            BIRTH_COLLECTION, Birth, Delivery, FACILITY_MAX_CHARS, Unusual, birth_record_id,
        },
    },
};
use leptos::prelude::*;

use super::{ConfirmUnusual, State, code_words, form::Entry};
use crate::handbook::units;
use crate::{
    browser,
    components::{I18n, SyncBadge},
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    sync::Sync,
};

#[component]
pub(super) fn BirthSection(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let done = RwSignal::new(None::<String>);
    let content = move || {
        let has = state.birth.with(Option::is_some);
        if state.guardian && (!has || state.editing_birth.get()) {
            view! { <BirthForm state done /> }.into_any()
        } else if has {
            view! {
                <BirthFacts state />
                {state.guardian.then(|| view! {
                    <button
                        type="button"
                        class="button secondary"
                        on:click=move |_| {
                            done.set(None);
                            state.editing_birth.set(true);
                        }
                    >
                        {t!(i18n, growth_birth_edit)}
                    </button>
                })}
            }
            .into_any()
        } else {
            view! { <p>{t!(i18n, growth_birth_none)}</p> }.into_any()
        }
    };
    view! {
        <section class="card" aria-labelledby="birth-heading" id="birth">
            <h2 id="birth-heading">{t!(i18n, growth_birth_title)}</h2>
            {content}
            <FormDone done />
        </section>
    }
}

fn sex_words(i18n: I18n, sex: Sex) -> &'static str {
    match sex {
        Sex::Male => t_string!(i18n, growth_sex_male),
        Sex::Female => t_string!(i18n, growth_sex_female),
    }
}

fn delivery_words(i18n: I18n, delivery: Delivery) -> &'static str {
    match delivery {
        Delivery::Vaginal => t_string!(i18n, growth_delivery_vaginal),
        Delivery::Assisted => t_string!(i18n, growth_delivery_assisted),
        Delivery::Caesarean => t_string!(i18n, growth_delivery_caesarean),
    }
}

/// The record as a list of facts (viewers; guardians until they press 「直す」).
#[component]
fn BirthFacts(state: State) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let Some(saved) = state.birth.get() else {
            return ().into_any();
        };
        let b = saved.body;
        let mut rows: Vec<(&'static str, String)> = vec![(
            t_string!(i18n, growth_sex),
            sex_words(i18n, b.sex).to_owned(),
        )];
        if let Some(time) = b.time {
            rows.push((t_string!(i18n, growth_time), time));
        }
        if let Some(g) = b.gestation {
            rows.push((
                t_string!(i18n, growth_gestation),
                t_string!(
                    i18n,
                    growth_gestation_value,
                    weeks = g.weeks(),
                    days = g.days()
                )
                .to_string(),
            ));
        }
        if let Some(w) = b.weight_g {
            rows.push((t_string!(i18n, growth_birth_weight), w.to_string()));
        }
        for (label, value) in [
            (t_string!(i18n, growth_birth_length), b.length_mm),
            (t_string!(i18n, growth_birth_head), b.head_mm),
            (t_string!(i18n, growth_birth_chest), b.chest_mm),
        ] {
            if let Some(mm) = value {
                rows.push((label, units::cm(mm)));
            }
        }
        if let Some(d) = b.delivery {
            rows.push((
                t_string!(i18n, growth_delivery),
                delivery_words(i18n, d).to_owned(),
            ));
        }
        if !b.facility.is_empty() {
            rows.push((t_string!(i18n, growth_facility), b.facility));
        }
        view! {
            <p><SyncBadge pending=saved.pending /></p>
            <dl class="facts" data-testid="birth-facts">
                {rows.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
        }
        .into_any()
    }
}

/// What the form holds, as typed.
#[derive(Clone, Copy)]
struct Typed {
    sex: RwSignal<Option<Sex>>,
    time: RwSignal<String>,
    weeks: RwSignal<String>,
    days: RwSignal<String>,
    weight: RwSignal<String>,
    length: RwSignal<String>,
    head: RwSignal<String>,
    chest: RwSignal<String>,
    delivery: RwSignal<String>,
    facility: RwSignal<String>,
}

impl Typed {
    fn from(birth: Option<&Birth>) -> Typed {
        let text = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
        Typed {
            sex: RwSignal::new(birth.map(|b| b.sex)),
            time: text(birth.and_then(|b| b.time.clone())),
            weeks: text(
                birth
                    .and_then(|b| b.gestation)
                    .map(|g| g.weeks().to_string()),
            ),
            days: text(
                birth
                    .and_then(|b| b.gestation)
                    .map(|g| g.days().to_string()),
            ),
            weight: text(birth.and_then(|b| b.weight_g).map(|w| w.to_string())),
            length: text(birth.and_then(|b| b.length_mm).map(units::cm)),
            head: text(birth.and_then(|b| b.head_mm).map(units::cm)),
            chest: text(birth.and_then(|b| b.chest_mm).map(units::cm)),
            delivery: text(
                birth
                    .and_then(|b| b.delivery)
                    .map(|d| d.as_str().to_owned()),
            ),
            facility: text(birth.map(|b| b.facility.clone())),
        }
    }

    /// The record, or the words of what is wrong.
    fn read(self, i18n: I18n) -> Result<Birth, String> {
        let Some(sex) = self.sex.get_untracked() else {
            return Err(t_string!(i18n, growth_sex_required).to_string());
        };
        let number =
            |value: RwSignal<String>, label: &str, parse: fn(&str) -> Result<Option<u32>, ()>| {
                parse(&value.get_untracked()).map_err(|()| {
                    t_string!(i18n, growth_number_invalid, field = label.to_owned()).to_string()
                })
            };
        let weeks = number(
            self.weeks,
            t_string!(i18n, growth_gestation),
            units::parse_whole,
        )?;
        let days = number(
            self.days,
            t_string!(i18n, growth_gestation),
            units::parse_whole,
        )?;
        let gestation = match (weeks, days) {
            (None, None) => None,
            (weeks, days) => Some(
                GestationalAge::new(weeks.unwrap_or(0), days.unwrap_or(0))
                    .ok_or_else(|| code_words(i18n, ErrorCode::BirthRecordInvalid))?,
            ),
        };
        let time = self.time.get_untracked();
        Ok(Birth {
            sex,
            time: (!time.trim().is_empty()).then(|| time.trim().to_owned()),
            gestation,
            weight_g: number(
                self.weight,
                t_string!(i18n, growth_birth_weight),
                units::parse_whole,
            )?,
            length_mm: number(
                self.length,
                t_string!(i18n, growth_birth_length),
                units::parse_cm,
            )?,
            head_mm: number(
                self.head,
                t_string!(i18n, growth_birth_head),
                units::parse_cm,
            )?,
            chest_mm: number(
                self.chest,
                t_string!(i18n, growth_birth_chest),
                units::parse_cm,
            )?,
            delivery: Delivery::ALL
                .into_iter()
                .find(|d| d.as_str() == self.delivery.get_untracked()),
            facility: self.facility.get_untracked().trim().to_owned(),
        })
    }
}

#[component]
fn BirthForm(state: State, done: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let typed = state
        .birth
        .with_untracked(|b| Typed::from(b.as_ref().map(|b| &b.body)));
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let unusual = RwSignal::new(Vec::<Unusual>::new());
    let save = move |confirmed: bool| {
        done.set(None);
        let Some(born) = state.born.get_untracked() else {
            error.set(Some(t_string!(i18n, growth_born_unknown).to_string()));
            return;
        };
        let birth = match typed.read(i18n) {
            Ok(birth) => birth,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        let today = Day::parse(&browser::today()).unwrap_or(born);
        match birth.check_on(born, today) {
            Err(code) => {
                unusual.set(Vec::new());
                error.set(Some(code_words(i18n, code)));
                return;
            }
            Ok(found) if !found.is_empty() && !confirmed => {
                error.set(None);
                unusual.set(found);
                return;
            }
            Ok(_) => {}
        }
        let Ok(body) = serde_json::to_value(&birth) else {
            return;
        };
        error.set(None);
        unusual.set(Vec::new());
        pending.set(true);
        let id = birth_record_id(&state.family_id.get_value());
        let scope = state.scope.get_value();
        leptos::task::spawn_local(async move {
            match sync.put(Some(id), BIRTH_COLLECTION, scope, body).await {
                Ok(_) => {
                    state.editing_birth.set(false);
                    done.set(Some(t_string!(i18n, growth_saved).to_string()));
                }
                Err(e) => error.set(Some(
                    t_string!(i18n, growth_save_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if !begin_submit(&event, pending) {
            save(false);
        }
    };
    let editing = state.birth.with_untracked(Option::is_some);
    let sex_choice = move |sex: Sex| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="birth-sex"
                    prop:checked=move || typed.sex.get() == Some(sex)
                    on:change=move |_| typed.sex.set(Some(sex))
                />
                {sex_words(i18n, sex)}
            </label>
        }
    };
    view! {
        <form class="form" on:submit=on_submit novalidate data-testid="birth-form">
            <fieldset class="choices">
                <legend class="choices-title">{t!(i18n, growth_sex)}</legend>
                <p class="field-hint">{t!(i18n, growth_sex_hint)}</p>
                {sex_choice(Sex::Female)}
                {sex_choice(Sex::Male)}
            </fieldset>
            <Entry id="birth-time" value=typed.time kind="time" label=t_string!(i18n, growth_time) />
            <fieldset class="choices">
                <legend class="choices-title">{t!(i18n, growth_gestation)}</legend>
                <Entry id="birth-weeks" value=typed.weeks mode="numeric" label=t_string!(i18n, growth_gestation_weeks) />
                <Entry id="birth-days" value=typed.days mode="numeric" label=t_string!(i18n, growth_gestation_days) />
            </fieldset>
            <Entry id="birth-weight" value=typed.weight mode="numeric" label=t_string!(i18n, growth_birth_weight) hint=t_string!(i18n, growth_birth_weight_hint) />
            <Entry id="birth-length" value=typed.length mode="decimal" label=t_string!(i18n, growth_birth_length) hint=t_string!(i18n, growth_cm_hint) />
            <Entry id="birth-head" value=typed.head mode="decimal" label=t_string!(i18n, growth_birth_head) />
            <Entry id="birth-chest" value=typed.chest mode="decimal" label=t_string!(i18n, growth_birth_chest) />
            <div class="field">
                <label for="birth-delivery">{t!(i18n, growth_delivery)}</label>
                <select id="birth-delivery" on:change=move |e| typed.delivery.set(event_target_value(&e))>
                    <option value="" selected=move || typed.delivery.get().is_empty()>{t!(i18n, growth_delivery_unknown)}</option>
                    {Delivery::ALL.into_iter().map(|d| view! {
                        <option value=d.as_str() selected=move || typed.delivery.get() == d.as_str()>{delivery_words(i18n, d)}</option>
                    }).collect_view()}
                </select>
            </div>
            <Entry id="birth-facility" value=typed.facility max=FACILITY_MAX_CHARS label=t_string!(i18n, growth_facility) />
            <FormError error />
            <ConfirmUnusual unusual on_confirm=Callback::new(move |()| save(true)) />
            <div class="note-actions">
                <Submit pending>{t!(i18n, growth_birth_save)}</Submit>
                {editing.then(|| view! {
                    <button type="button" class="button secondary" on:click=move |_| state.editing_birth.set(false)>
                        {t!(i18n, growth_cancel)}
                    </button>
                })}
            </div>
        </form>
    }
}
