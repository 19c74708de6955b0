//! The parent's record for one checkup age (保護者の記録): the day each milestone of the
//! age was reached, はい/いいえ to the form's questions, and notes. Shown in words;
//! guardians open the form to write or correct it. One record per age
//! (`checkup_note_id`), so two phones write the same record.

use std::collections::BTreeMap;

use domain::{
    dates::Day,
    handbook::records::checkups::{
        CHECKUP_NOTE_COLLECTION, CHECKUP_NOTES_MAX_CHARS, CheckupAge, CheckupNote, Milestone,
        checkup_note_id,
    },
    sync::{protocol::Scope, view::Item},
};
use leptos::prelude::*;

use super::words;
use crate::{
    browser,
    components::SyncBadge,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    settings,
    sync::Sync,
};

fn read(item: Option<&Item>) -> Option<CheckupNote> {
    serde_json::from_value(item?.record.body.clone()).ok()
}

#[component]
pub fn ParentRecord(
    age: CheckupAge,
    family: String,
    scope: Scope,
    note: Memo<Option<Item>>,
    editable: bool,
    born: Day,
    today: Day,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let shown = move || {
        let lang = settings::lang(i18n.get_locale());
        let item = note.get();
        let Some(record) = read(item.as_ref()) else {
            return view! { <p>{t!(i18n, checkups_parent_none)}</p> }.into_any();
        };
        let pending = item.is_some_and(|i| i.pending);
        let mut lines: Vec<String> = Vec::new();
        for (milestone, day) in &record.milestones {
            lines.push(format!(
                "{}: {}",
                words::milestone(*milestone, lang),
                browser::format_day(&day.to_string(), lang)
            ));
        }
        for q in age.questions() {
            if let Some(yes) = record.answers.get(q.id) {
                let answer = if *yes {
                    t_string!(i18n, checkups_yes)
                } else {
                    t_string!(i18n, checkups_no)
                };
                lines.push(format!("{} {answer}", words::question(q, lang)));
            }
        }
        view! {
            <p class="note-meta"><SyncBadge pending /></p>
            <ul class="visit-facts" data-testid="checkup-parent">
                {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ul>
            {(!record.notes.is_empty()).then(|| view! { <p class="note-text">{record.notes.clone()}</p> })}
        }
        .into_any()
    };
    view! {
        <h3>{t!(i18n, notes_title)}</h3>
        <Show
            when=move || editing.get()
            fallback=move || view! {
                {shown}
                {editable.then(|| view! {
                    <button type="button" class="button secondary" on:click=move |_| editing.set(true)>
                        {t!(i18n, checkups_parent_write)}
                    </button>
                })}
            }
        >
            <ParentForm age family=family.clone() scope=scope.clone() note editing born today />
        </Show>
    }
}

/// The form, filled with the record as it stands when it opens.
#[component]
fn ParentForm(
    age: CheckupAge,
    family: String,
    scope: Scope,
    note: Memo<Option<Item>>,
    editing: RwSignal<bool>,
    born: Day,
    today: Day,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let record = note.with_untracked(|n| read(n.as_ref()));
    let milestones: Vec<(Milestone, RwSignal<String>)> = Milestone::at(age)
        .map(|m| {
            let day = record.as_ref().and_then(|r| r.milestones.get(&m));
            (
                m,
                RwSignal::new(day.map(Day::to_string).unwrap_or_default()),
            )
        })
        .collect();
    let answers: Vec<(&'static str, RwSignal<String>)> = age
        .questions()
        .iter()
        .map(|q| {
            let answer = record.as_ref().and_then(|r| r.answers.get(q.id));
            let text = answer
                .map(|yes| if *yes { "yes" } else { "no" })
                .unwrap_or("");
            (q.id, RwSignal::new(text.to_owned()))
        })
        .collect();
    let notes = RwSignal::new(record.map(|r| r.notes).unwrap_or_default());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let id = checkup_note_id(&family, age);
    let (to_read, answers_read) = (milestones.clone(), answers.clone());
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        let lang = settings::lang(i18n.get_locale_untracked());
        let mut days = BTreeMap::new();
        for (milestone, text) in &to_read {
            let text = text.get_untracked();
            if text.trim().is_empty() {
                continue;
            }
            let Some(day) = Day::parse(text.trim()) else {
                error.set(Some(
                    domain::ErrorCode::CheckupDateInvalid
                        .message(lang)
                        .to_owned(),
                ));
                return;
            };
            days.insert(*milestone, day);
        }
        let answers = answers_read
            .iter()
            .filter_map(|(id, value)| match value.get_untracked().as_str() {
                "yes" => Some(((*id).to_owned(), true)),
                "no" => Some(((*id).to_owned(), false)),
                _ => None,
            })
            .collect();
        let record = CheckupNote {
            age,
            milestones: days,
            answers,
            notes: notes.get_untracked().trim().to_owned(),
        };
        let today = Day::parse(&browser::today()).unwrap_or(today);
        if let Err(code) = record.check_for(born, today) {
            error.set(Some(code.message(lang).to_owned()));
            return;
        }
        let Ok(body) = serde_json::to_value(&record) else {
            return;
        };
        error.set(None);
        pending.set(true);
        let (scope, id) = (scope.clone(), id.clone());
        leptos::task::spawn_local(async move {
            match sync
                .put(Some(id), CHECKUP_NOTE_COLLECTION, scope, body)
                .await
            {
                Ok(_) => {
                    done.set(Some(t_string!(i18n, growth_saved).to_string()));
                    editing.set(false);
                }
                Err(e) => error.set(Some(
                    t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    let lang = move || settings::lang(i18n.get_locale());
    let prefix = age.as_str();
    view! {
        <form class="visit-form" on:submit=on_submit novalidate data-testid="checkup-parent-form">
            {milestones.into_iter().map(|(m, value)| {
                let id = format!("milestone-{prefix}-{m:?}");
                view! {
                    <div class="field">
                        <label for=id.clone()>{move || words::milestone(m, lang())}</label>
                        <input id=id.clone() name=id type="date" prop:value=move || value.get()
                            on:input=move |e| value.set(event_target_value(&e)) />
                    </div>
                }
            }).collect_view()}
            {age.questions().iter().zip(answers).map(|(q, (_, value))| {
                let name = format!("question-{}", q.id);
                let option = move |v: &'static str, label: AnyView| {
                    let id = format!("{name}-{v}");
                    view! {
                        <label class="choice">
                            <input type="radio" id=id name=name.clone() value=v
                                prop:checked=move || value.get() == v
                                on:change=move |_| value.set(v.to_owned()) />
                            {label}
                        </label>
                    }
                };
                view! {
                    <fieldset class="field">
                        <legend>{move || words::question(q, lang())}</legend>
                        {option("yes", t!(i18n, checkups_yes).into_any())}
                        {option("no", t!(i18n, checkups_no).into_any())}
                        {option("", t!(i18n, checkups_unanswered).into_any())}
                    </fieldset>
                }
            }).collect_view()}
            <div class="field">
                <label for=format!("checkup-note-{prefix}")>{t!(i18n, checkups_notes)}</label>
                <textarea id=format!("checkup-note-{prefix}") rows="3" maxlength=CHECKUP_NOTES_MAX_CHARS.to_string()
                    prop:value=move || notes.get() on:input=move |e| notes.set(event_target_value(&e))></textarea>
            </div>
            <FormError error />
            <div class="note-actions">
                <Submit pending>{t!(i18n, checkups_parent_save)}</Submit>
                <button type="button" class="button secondary" on:click=move |_| editing.set(false)>
                    {t!(i18n, notes_cancel)}
                </button>
            </div>
            <FormDone done />
        </form>
    }
}
