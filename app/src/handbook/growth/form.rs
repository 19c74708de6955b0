//! A measurement (身体発育の記録) written by a guardian: a new one, or one corrected from
//! the list. Checked against the child's birth day and the reference curves
//! (`Measurement::check_for`) before it is saved on this phone.

use domain::{
    dates::Day,
    handbook::records::{MEASUREMENT_COLLECTION, MEASUREMENT_NOTE_MAX_CHARS, Measurement, Unusual},
};
use leptos::prelude::*;

use super::{ConfirmUnusual, Saved, State, code_words};
use crate::handbook::units;
use crate::{
    browser,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    sync::Sync,
};

/// A labelled text input with an optional hint (read out with it).
#[component]
pub(super) fn Entry(
    #[prop(into)] id: String,
    value: RwSignal<String>,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    /// `inputmode`: `decimal` or `numeric` brings up the number keys on a phone.
    #[prop(optional)]
    mode: Option<&'static str>,
    #[prop(optional)] max: Option<usize>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.as_ref().map(|_| hint_id.clone());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p id=hint_id class="field-hint">{hint}</p> })}
            <input
                id=id.clone()
                name=id
                type=kind
                inputmode=mode
                autocomplete="off"
                maxlength=max.map(|m| m.to_string())
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |e| value.set(event_target_value(&e))
            />
        </div>
    }
}

#[component]
pub(super) fn MeasurementForm(
    state: State,
    /// The measurement being corrected; `None` for a new one.
    editing: Option<Saved<Measurement>>,
    /// After a correction was saved or given up.
    #[prop(optional)]
    on_close: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let prefix = editing
        .as_ref()
        .map_or_else(|| "measure".to_owned(), |m| format!("measure-{}", m.id));
    let old = editing.as_ref().map(|m| m.body.clone());
    let text = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let day = text(Some(
        old.as_ref()
            .map_or_else(browser::today, |m| m.measured_on.to_string()),
    ));
    let weight = text(old.as_ref().and_then(|m| m.weight_g).map(units::kg));
    let length = text(old.as_ref().and_then(|m| m.length_mm).map(units::cm));
    let head = text(old.as_ref().and_then(|m| m.head_mm).map(units::cm));
    let note = text(old.as_ref().map(|m| m.note.clone()));
    let id = editing.map(|m| m.id);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let unusual = RwSignal::new(Vec::<Unusual>::new());
    let read = move || -> Result<Measurement, String> {
        let number =
            |value: RwSignal<String>, label: &str, parse: fn(&str) -> Result<Option<u32>, ()>| {
                parse(&value.get_untracked()).map_err(|()| {
                    t_string!(i18n, growth_number_invalid, field = label.to_owned()).to_string()
                })
            };
        let measured_on = Day::parse(&day.get_untracked())
            .ok_or_else(|| code_words(i18n, domain::ErrorCode::MeasurementDateInvalid))?;
        Ok(Measurement {
            measured_on,
            weight_g: number(weight, t_string!(i18n, growth_weight_kg), units::parse_kg)?,
            length_mm: number(length, t_string!(i18n, growth_length_cm), units::parse_cm)?,
            head_mm: number(head, t_string!(i18n, growth_head_cm), units::parse_cm)?,
            note: note.get_untracked().trim().to_owned(),
        })
    };
    let save = {
        let id = id.clone();
        move |confirmed: bool| {
            done.set(None);
            let Some(born) = state.born.get_untracked() else {
                error.set(Some(t_string!(i18n, growth_born_unknown).to_string()));
                return;
            };
            let measurement = match read() {
                Ok(m) => m,
                Err(message) => {
                    unusual.set(Vec::new());
                    error.set(Some(message));
                    return;
                }
            };
            let today = Day::parse(&browser::today()).unwrap_or(born);
            let birth = state
                .birth
                .with_untracked(|b| b.as_ref().map(|b| b.body.clone()));
            match measurement.check_for(born, birth.as_ref(), today) {
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
            let Ok(body) = serde_json::to_value(&measurement) else {
                return;
            };
            error.set(None);
            unusual.set(Vec::new());
            pending.set(true);
            let id = id.clone();
            let scope = state.scope.get_value();
            leptos::task::spawn_local(async move {
                let new = id.is_none();
                match sync.put(id, MEASUREMENT_COLLECTION, scope, body).await {
                    Ok(_) if new => {
                        for field in [weight, length, head, note] {
                            field.set(String::new());
                        }
                        done.set(Some(t_string!(i18n, growth_saved).to_string()));
                    }
                    Ok(_) => {
                        if let Some(close) = on_close {
                            close.run(());
                        }
                    }
                    Err(e) => error.set(Some(
                        t_string!(i18n, growth_save_failed, reason = e.0).to_string(),
                    )),
                }
                pending.set(false);
            });
        }
    };
    let on_submit = {
        let save = save.clone();
        move |event: leptos::ev::SubmitEvent| {
            if !begin_submit(&event, pending) {
                save(false);
            }
        }
    };
    let confirm = Callback::new(move |()| save(true));
    let is_new = id.is_none();
    view! {
        <form class="form" on:submit=on_submit novalidate data-testid="measure-form">
            {is_new.then(|| view! { <p class="field-hint">{t!(i18n, growth_measure_lead)}</p> })}
            <Entry id=format!("{prefix}-day") value=day kind="date" label=t_string!(i18n, growth_measured_on) />
            <Entry id=format!("{prefix}-weight") value=weight mode="decimal" label=t_string!(i18n, growth_weight_kg) hint=t_string!(i18n, growth_kg_hint) />
            <Entry id=format!("{prefix}-length") value=length mode="decimal" label=t_string!(i18n, growth_length_cm) hint=t_string!(i18n, growth_length_hint) />
            <Entry id=format!("{prefix}-head") value=head mode="decimal" label=t_string!(i18n, growth_head_cm) hint=t_string!(i18n, growth_cm_hint) />
            <Entry id=format!("{prefix}-note") value=note max=MEASUREMENT_NOTE_MAX_CHARS label=t_string!(i18n, growth_note) />
            <FormError error />
            <ConfirmUnusual unusual on_confirm=confirm />
            <div class="note-actions">
                <Submit pending>
                    {move || if is_new { t_string!(i18n, growth_measure_save) } else { t_string!(i18n, growth_measure_update) }}
                </Submit>
                {on_close.map(|close| view! {
                    <button type="button" class="button secondary" on:click=move |_| close.run(())>
                        {t!(i18n, growth_cancel)}
                    </button>
                })}
            </div>
            <FormDone done />
        </form>
    }
}
