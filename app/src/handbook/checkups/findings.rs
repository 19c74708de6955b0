//! The clinician's findings: one checkup as the handbook prints it, and the form health
//! staff fill in at the health centre (saved on the tablet first, synced, audited by
//! the server).

use domain::{
    dates::Day,
    handbook::records::checkups::{
        CHECKUP_COLLECTION, CHECKUP_NOTES_MAX_CHARS, Checkup, CheckupAge, Feeding, Judgement,
        Nutrition, Teeth,
    },
    sync::{protocol::Scope, view::Item},
};
use leptos::prelude::*;

use super::words;
use crate::handbook::units;
use crate::{
    browser,
    components::SyncBadge,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    settings,
    sync::Sync,
};

/// One checkup's findings.
#[component]
pub fn Findings(item: Item, born: Day) -> impl IntoView {
    let i18n = use_i18n();
    let Ok(c) = serde_json::from_value::<Checkup>(item.record.body) else {
        return ().into_any();
    };
    let facts = move || {
        let lang = settings::lang(i18n.get_locale());
        let mut facts: Vec<String> = Vec::new();
        let sizes = [
            (c.weight_g.map(units::kg), t_string!(i18n, growth_weight_kg)),
            (
                c.length_mm.map(units::cm),
                t_string!(i18n, growth_length_cm),
            ),
            (c.head_mm.map(units::cm), t_string!(i18n, growth_head_cm)),
            (
                c.chest_mm.map(units::cm),
                t_string!(i18n, growth_birth_chest),
            ),
        ];
        for (value, label) in sizes {
            if let Some(value) = value {
                facts.push(format!("{label}: {value}"));
            }
        }
        if let Some(n) = c.nutrition {
            let label = t_string!(i18n, checkups_nutrition);
            facts.push(format!("{label}: {}", words::nutrition(n, lang)));
        }
        if let Some(f) = c.feeding {
            let label = t_string!(i18n, checkups_feeding);
            facts.push(format!("{label}: {}", words::feeding(f, lang)));
        }
        if !c.development.is_empty() {
            let label = t_string!(i18n, checkups_development);
            facts.push(format!("{label}: {}", c.development));
        }
        if let Some(t) = c.teeth {
            facts.push(
                t_string!(
                    i18n,
                    checkups_teeth_value,
                    erupted = t.erupted,
                    decayed = t.decayed
                )
                .to_string(),
            );
        }
        facts
    };
    let heading = move || {
        let lang = settings::lang(i18n.get_locale());
        let day = browser::format_day(&c.date.to_string(), lang);
        let (months, days) =
            units::months_and_days(c.date.days_from_epoch() - born.days_from_epoch());
        let age = t_string!(i18n, growth_age_value, months = months, days = days);
        format!("{day}（{age}）")
    };
    let judgement = move || {
        let lang = settings::lang(i18n.get_locale());
        format!(
            "{}: {}",
            t_string!(i18n, checkups_judgement),
            words::judgement(c.judgement, lang)
        )
    };
    view! {
        <li class="visit-item" data-testid="checkup-finding">
            <p class="note-meta"><strong>{heading}</strong> <SyncBadge pending=item.pending /></p>
            <p class="checkup-judgement"><strong>{judgement}</strong></p>
            <ul class="visit-facts">{move || facts().into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
            {(!c.facility.is_empty()).then(|| view! { <p>{c.facility.clone()}</p> })}
            {(!c.notes.is_empty()).then(|| view! { <p class="note-text">{c.notes.clone()}</p> })}
        </li>
    }
    .into_any()
}

/// The form health staff fill in for one checkup. The age is the one the child last
/// reached unless chosen otherwise; every value but the judgement is optional.
#[component]
pub fn FindingsForm(scope: Scope, born: Day, today: Day) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let current = CheckupAge::current(born, today).unwrap_or(CheckupAge::Weeks2);
    let age = RwSignal::new(current.as_str().to_owned());
    let date = RwSignal::new(today.to_string());
    let weight = RwSignal::new(String::new());
    let length = RwSignal::new(String::new());
    let head = RwSignal::new(String::new());
    let chest = RwSignal::new(String::new());
    let nutrition = RwSignal::new(String::new());
    let feeding = RwSignal::new(String::new());
    let development = RwSignal::new(String::new());
    let erupted = RwSignal::new(String::new());
    let decayed = RwSignal::new(String::new());
    let judgement = RwSignal::new(String::new());
    let facility = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let chosen_age = move || {
        CheckupAge::ALL
            .into_iter()
            .find(|a| a.as_str() == age.get())
            .unwrap_or(current)
    };
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        let lang = settings::lang(i18n.get_locale_untracked());
        done.set(None);
        let invalid = domain::ErrorCode::CheckupInvalid.message(lang).to_owned();
        let Some(day) = Day::parse(date.get_untracked().trim()) else {
            error.set(Some(
                domain::ErrorCode::CheckupDateInvalid
                    .message(lang)
                    .to_owned(),
            ));
            return;
        };
        let Some(judged) = Judgement::ALL
            .into_iter()
            .find(|j| format!("{j:?}") == judgement.get_untracked())
        else {
            error.set(Some(
                t_string!(i18n, checkups_judgement_required).to_string(),
            ));
            return;
        };
        let age = untrack(chosen_age);
        let read = (|| {
            let teeth = match units::parse_whole(&erupted.get_untracked())? {
                Some(n) if age.has_teeth() => Some(Teeth {
                    erupted: n.min(255) as u8,
                    decayed: units::parse_whole(&decayed.get_untracked())?
                        .unwrap_or(0)
                        .min(255) as u8,
                }),
                _ => None,
            };
            Ok::<Checkup, ()>(Checkup {
                age,
                date: day,
                weight_g: units::parse_kg(&weight.get_untracked())?,
                length_mm: units::parse_cm(&length.get_untracked())?,
                head_mm: units::parse_cm(&head.get_untracked())?,
                chest_mm: units::parse_cm(&chest.get_untracked())?,
                nutrition: Nutrition::ALL
                    .into_iter()
                    .find(|n| format!("{n:?}") == nutrition.get_untracked()),
                feeding: Feeding::ALL
                    .into_iter()
                    .find(|f| format!("{f:?}") == feeding.get_untracked()),
                development: development.get_untracked().trim().to_owned(),
                teeth,
                judgement: judged,
                notes: notes.get_untracked().trim().to_owned(),
                facility: facility.get_untracked().trim().to_owned(),
            })
        })();
        let Ok(checkup) = read else {
            error.set(Some(invalid));
            return;
        };
        if let Err(code) = checkup.check_for(born, Day::parse(&browser::today()).unwrap_or(today)) {
            error.set(Some(code.message(lang).to_owned()));
            return;
        }
        let Ok(body) = serde_json::to_value(&checkup) else {
            return;
        };
        error.set(None);
        pending.set(true);
        let scope = scope.clone();
        leptos::task::spawn_local(async move {
            match sync.put(None, CHECKUP_COLLECTION, scope, body).await {
                Ok(_) => {
                    for field in [
                        weight,
                        length,
                        head,
                        chest,
                        development,
                        erupted,
                        decayed,
                        notes,
                        judgement,
                        nutrition,
                        feeding,
                    ] {
                        field.set(String::new());
                    }
                    done.set(Some(t_string!(i18n, growth_saved).to_string()));
                }
                Err(e) => error.set(Some(
                    t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    let text = crate::handbook::fields::text_input;
    let lang = move || settings::lang(i18n.get_locale());
    let choice = move |id: &'static str,
                       value: RwSignal<String>,
                       options: Vec<(String, &'static str)>| {
        view! {
            <select id=id name=id prop:value=move || value.get() on:change=move |e| value.set(event_target_value(&e))>
                <option value="">{t!(i18n, checkups_not_chosen)}</option>
                {options.into_iter().map(|(v, label)| view! { <option value=v>{label}</option> }).collect_view()}
            </select>
        }
    };
    view! {
        <form class="visit-form card" on:submit=on_submit novalidate>
            <h2>{t!(i18n, checkups_new)}</h2>
            <p class="note">{t!(i18n, checkups_staff_note)}</p>
            <div class="field">
                <label for="checkup-age">{t!(i18n, checkups_age)}</label>
                <select id="checkup-age" name="checkup-age" prop:value=move || age.get()
                    on:change=move |e| age.set(event_target_value(&e))>
                    {move || CheckupAge::ALL.into_iter().map(|a| view! {
                        <option value=a.as_str()>{words::age(a, lang())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field"><label for="checkup-date">{t!(i18n, checkups_date)}</label>{text("checkup-date", "date", "none", date)}</div>
            <div class="field"><label for="checkup-weight">{t!(i18n, growth_weight_kg)}</label>{text("checkup-weight", "text", "decimal", weight)}</div>
            <div class="field"><label for="checkup-length">{t!(i18n, growth_length_cm)}</label>{text("checkup-length", "text", "decimal", length)}</div>
            <div class="field"><label for="checkup-head">{t!(i18n, growth_head_cm)}</label>{text("checkup-head", "text", "decimal", head)}</div>
            <div class="field"><label for="checkup-chest">{t!(i18n, growth_birth_chest)}</label>{text("checkup-chest", "text", "decimal", chest)}</div>
            <div class="field">
                <label for="checkup-nutrition">{t!(i18n, checkups_nutrition)}</label>
                {move || choice("checkup-nutrition", nutrition, Nutrition::ALL.into_iter().map(|n| (format!("{n:?}"), words::nutrition(n, lang()))).collect())}
            </div>
            <div class="field">
                <label for="checkup-feeding">{t!(i18n, checkups_feeding)}</label>
                {move || choice("checkup-feeding", feeding, Feeding::ALL.into_iter().map(|f| (format!("{f:?}"), words::feeding(f, lang()))).collect())}
            </div>
            <div class="field"><label for="checkup-development">{t!(i18n, checkups_development)}</label>{text("checkup-development", "text", "text", development)}</div>
            <Show when=move || chosen_age().has_teeth()>
                <div class="field"><label for="checkup-teeth">{t!(i18n, checkups_teeth)}</label>{text("checkup-teeth", "text", "numeric", erupted)}</div>
                <div class="field"><label for="checkup-decayed">{t!(i18n, checkups_decayed)}</label>{text("checkup-decayed", "text", "numeric", decayed)}</div>
            </Show>
            <fieldset class="field">
                <legend>{t!(i18n, checkups_judgement)}</legend>
                {move || Judgement::ALL.into_iter().map(|j| {
                    let value = format!("{j:?}");
                    let id = format!("checkup-judgement-{value}");
                    let checked = value.clone();
                    view! {
                        <label class="choice">
                            <input type="radio" id=id name="checkup-judgement" value=value.clone()
                                prop:checked=move || judgement.get() == checked
                                on:change=move |_| judgement.set(value.clone()) />
                            {words::judgement(j, lang())}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field"><label for="checkup-facility">{t!(i18n, checkups_facility)}</label>{text("checkup-facility", "text", "text", facility)}</div>
            <div class="field">
                <label for="checkup-notes">{t!(i18n, checkups_notes)}</label>
                <textarea id="checkup-notes" name="checkup-notes" rows="3" maxlength=CHECKUP_NOTES_MAX_CHARS.to_string()
                    prop:value=move || notes.get() on:input=move |e| notes.set(event_target_value(&e))></textarea>
            </div>
            <FormError error />
            <Submit pending>{t!(i18n, checkups_save)}</Submit>
            <FormDone done />
        </form>
    }
}
