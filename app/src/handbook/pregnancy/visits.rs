//! 妊婦健診: each visit, newest first, with 妊娠N週M日 on its day; guardians add one
//! (saved here first) or delete one after a question.

use domain::{
    dates::Day,
    handbook::{
        pregnancy::gestational_age_on,
        records::prenatal::{Dipstick, VISIT_COLLECTION, VISIT_NOTE_MAX_CHARS, Visit},
    },
    sync::{protocol::Scope, view::Item},
};
use leptos::prelude::*;

use crate::handbook::units;
use crate::{
    browser,
    components::SyncBadge,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    settings,
    sync::Sync,
};

#[component]
pub fn Visits(
    scope: Scope,
    visits: RwSignal<Vec<Item>>,
    due: Memo<Option<Day>>,
    guardian: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card visits" aria-labelledby="visits-title">
            <h2 id="visits-title">{t!(i18n, visits_title)}</h2>
            {guardian.then(|| view! { <VisitForm scope due /> })}
            <Show
                when=move || !visits.with(Vec::is_empty)
                fallback=move || view! { <p>{t!(i18n, visits_empty)}</p> }
            >
                <ul class="visit-list" data-testid="visits">
                    <For
                        each=move || {
                            let mut items = visits.get();
                            items.sort_by_key(|item| std::cmp::Reverse(item.record.body["date"].as_str().map(str::to_owned)));
                            items
                        }
                        key=|item| (item.record.id.clone(), item.record.version, item.pending)
                        children=move |item| view! { <VisitItem item due guardian /> }
                    />
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn VisitItem(item: Item, due: Memo<Option<Day>>, guardian: bool) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let Ok(visit) = serde_json::from_value::<Visit>(item.record.body) else {
        return ().into_any();
    };
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = item.record.id;
    let heading = move || {
        let lang = settings::lang(i18n.get_locale());
        let day = browser::format_day(&visit.date.to_string(), lang);
        match due
            .get()
            .and_then(|due| gestational_age_on(due, visit.date))
        {
            Some(age) => t_string!(
                i18n,
                visits_heading,
                day = day,
                weeks = age.weeks(),
                days = age.days()
            )
            .to_string(),
            None => day,
        }
    };
    let mut facts: Vec<String> = Vec::new();
    if let Some(w) = visit.weight_g {
        facts.push(t_string!(i18n, visits_fact_weight, kg = units::kg(w)).to_string());
    }
    if let (Some(s), Some(d)) = (visit.systolic, visit.diastolic) {
        facts.push(t_string!(i18n, visits_fact_pressure, upper = s, lower = d).to_string());
    }
    if let Some(p) = visit.urine_protein {
        facts.push(t_string!(i18n, visits_fact_protein, value = p.symbol()).to_string());
    }
    if let Some(g) = visit.urine_glucose {
        facts.push(t_string!(i18n, visits_fact_glucose, value = g.symbol()).to_string());
    }
    if let Some(o) = visit.oedema {
        facts.push(t_string!(i18n, visits_fact_oedema, value = o.symbol()).to_string());
    }
    if let Some(f) = visit.fundal_height_mm {
        facts.push(t_string!(i18n, visits_fact_fundal, cm = units::cm(f)).to_string());
    }
    if let Some(g) = visit.abdominal_girth_mm {
        facts.push(t_string!(i18n, visits_fact_girth, cm = units::cm(g)).to_string());
    }
    let next = visit.next_visit.map(|next| {
        let lang = settings::lang(i18n.get_locale_untracked());
        t_string!(
            i18n,
            visits_fact_next,
            day = browser::format_day(&next.to_string(), lang)
        )
        .to_string()
    });
    let delete = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let id = id.clone();
        leptos::task::spawn_local(async move {
            if let Err(e) = sync.delete(&id).await {
                error.set(Some(
                    t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                ));
            }
        });
    };
    view! {
        <li class="visit-item">
            <p class="note-meta"><strong>{heading}</strong> <SyncBadge pending=item.pending /></p>
            <ul class="visit-facts">{facts.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
            {(!visit.facility.is_empty()).then(|| view! { <p>{visit.facility.clone()}</p> })}
            {(!visit.note.is_empty()).then(|| view! { <p class="note-text">{visit.note.clone()}</p> })}
            {next.map(|n| view! { <p>{n}</p> })}
            {guardian.then(|| view! {
                <Show
                    when=move || asking.get()
                    fallback=move || view! {
                        <button type="button" class="button secondary" on:click=move |_| asking.set(true)>
                            {t!(i18n, notes_delete)}
                        </button>
                    }
                >
                    <form class="note-form" on:submit=delete.clone()>
                        <p role="alert">{t!(i18n, visits_delete_confirm)}</p>
                        <FormError error />
                        <div class="note-actions">
                            <button type="submit" class="button">{t!(i18n, notes_delete_yes)}</button>
                            <button type="button" class="button secondary" on:click=move |_| asking.set(false)>
                                {t!(i18n, notes_cancel)}
                            </button>
                        </div>
                    </form>
                </Show>
            })}
        </li>
    }
    .into_any()
}

/// The form for one visit. Every value but the day is optional, as on the paper form.
#[component]
fn VisitForm(scope: Scope, due: Memo<Option<Day>>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let date = RwSignal::new(browser::today());
    let weight = RwSignal::new(String::new());
    let systolic = RwSignal::new(String::new());
    let diastolic = RwSignal::new(String::new());
    let protein = RwSignal::new(String::new());
    let glucose = RwSignal::new(String::new());
    let oedema = RwSignal::new(String::new());
    let fundal = RwSignal::new(String::new());
    let girth = RwSignal::new(String::new());
    let next = RwSignal::new(String::new());
    let facility = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        let lang = settings::lang(i18n.get_locale_untracked());
        done.set(None);
        let invalid = domain::ErrorCode::PrenatalVisitInvalid
            .message(lang)
            .to_owned();
        let Some(due) = due.get_untracked() else {
            error.set(Some(t_string!(i18n, visits_need_due).to_string()));
            return;
        };
        let Some(day) = Day::parse(date.get_untracked().trim()) else {
            error.set(Some(
                domain::ErrorCode::PregnancyDatesInvalid
                    .message(lang)
                    .to_owned(),
            ));
            return;
        };
        let next_text = next.get_untracked();
        let next_day = if next_text.trim().is_empty() {
            None
        } else {
            Day::parse(next_text.trim())
        };
        let pressure = |s: RwSignal<String>| {
            units::parse_whole(&s.get_untracked())
                .map(|v| v.map(|v| v.min(u32::from(u16::MAX)) as u16))
        };
        let dip = |s: RwSignal<String>| {
            Dipstick::ALL
                .into_iter()
                .find(|d| d.symbol() == s.get_untracked())
        };
        let read = (|| {
            Ok::<Visit, ()>(Visit {
                date: day,
                weight_g: units::parse_kg(&weight.get_untracked())?,
                systolic: pressure(systolic)?,
                diastolic: pressure(diastolic)?,
                urine_protein: dip(protein),
                urine_glucose: dip(glucose),
                oedema: dip(oedema),
                fundal_height_mm: units::parse_cm(&fundal.get_untracked())?,
                abdominal_girth_mm: units::parse_cm(&girth.get_untracked())?,
                next_visit: next_day,
                facility: facility.get_untracked().trim().to_owned(),
                note: note.get_untracked().trim().to_owned(),
            })
        })();
        let Ok(visit) = read else {
            error.set(Some(invalid));
            return;
        };
        let today = Day::parse(&browser::today()).unwrap_or(day);
        if let Err(code) = visit.check_for(due, today) {
            error.set(Some(code.message(lang).to_owned()));
            return;
        }
        let Ok(body) = serde_json::to_value(&visit) else {
            return;
        };
        error.set(None);
        pending.set(true);
        let scope = scope.clone();
        leptos::task::spawn_local(async move {
            match sync.put(None, VISIT_COLLECTION, scope, body).await {
                Ok(_) => {
                    for field in [
                        weight, systolic, diastolic, protein, glucose, oedema, fundal, girth, next,
                        note,
                    ] {
                        field.set(String::new());
                    }
                    done.set(Some(t_string!(i18n, notes_saved).to_string()));
                }
                Err(e) => error.set(Some(
                    t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    let text = crate::handbook::fields::text_input;
    let dipstick = move |id: &'static str, value: RwSignal<String>| {
        view! {
            <select id=id name=id prop:value=move || value.get() on:change=move |e| value.set(event_target_value(&e))>
                <option value="">{t!(i18n, visits_not_measured)}</option>
                {Dipstick::ALL.into_iter().map(|d| view! { <option value=d.symbol()>{d.symbol()}</option> }).collect_view()}
            </select>
        }
    };
    view! {
        <form class="visit-form" on:submit=on_submit novalidate>
            <h3>{t!(i18n, visits_new)}</h3>
            <div class="field"><label for="visit-date">{t!(i18n, visits_date)}</label>{text("visit-date", "date", "none", date)}</div>
            <div class="field"><label for="visit-weight">{t!(i18n, visits_weight)}</label>{text("visit-weight", "text", "decimal", weight)}</div>
            <fieldset class="field">
                <legend>{t!(i18n, visits_pressure)}</legend>
                <label for="visit-systolic">{t!(i18n, visits_systolic)}</label>{text("visit-systolic", "text", "numeric", systolic)}
                <label for="visit-diastolic">{t!(i18n, visits_diastolic)}</label>{text("visit-diastolic", "text", "numeric", diastolic)}
            </fieldset>
            <div class="field"><label for="visit-protein">{t!(i18n, visits_protein)}</label>{dipstick("visit-protein", protein)}</div>
            <div class="field"><label for="visit-glucose">{t!(i18n, visits_glucose)}</label>{dipstick("visit-glucose", glucose)}</div>
            <div class="field"><label for="visit-oedema">{t!(i18n, visits_oedema)}</label>{dipstick("visit-oedema", oedema)}</div>
            <div class="field"><label for="visit-fundal">{t!(i18n, visits_fundal)}</label>{text("visit-fundal", "text", "decimal", fundal)}</div>
            <div class="field"><label for="visit-girth">{t!(i18n, visits_girth)}</label>{text("visit-girth", "text", "decimal", girth)}</div>
            <div class="field"><label for="visit-next">{t!(i18n, visits_next)}</label>{text("visit-next", "date", "none", next)}</div>
            <div class="field"><label for="visit-facility">{t!(i18n, visits_facility)}</label>{text("visit-facility", "text", "text", facility)}</div>
            <div class="field">
                <label for="visit-note">{t!(i18n, visits_note)}</label>
                <textarea id="visit-note" name="visit-note" rows="3" maxlength=VISIT_NOTE_MAX_CHARS.to_string()
                    prop:value=move || note.get() on:input=move |e| note.set(event_target_value(&e))></textarea>
            </div>
            <FormError error />
            <Submit pending>{t!(i18n, visits_save)}</Submit>
            <FormDone done />
        </form>
    }
}
