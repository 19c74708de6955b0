//! 回覧板を出す: the editors' form for a new circular.

use domain::{
    circulars::{
        self, ATTACHMENT_MAX_BYTES, AttachmentRef, BODY_MAX, CIRCULAR_COLLECTION, Circular, Field,
        TITLE_MAX,
    },
    sync::protocol::Scope,
};
use leptos::{html, prelude::*};

use crate::{
    api, browser,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    settings,
    sync::Sync,
};

/// 回覧板を出す: saved on this phone and synced; an attachment is uploaded first, which
/// needs a connection.
#[component]
pub(super) fn CircularForm(association_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let title_error = RwSignal::new(None::<String>);
    let body_error = RwSignal::new(None::<String>);
    let due_error = RwSignal::new(None::<String>);
    let file_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let file_input: NodeRef<html::Input> = NodeRef::new();
    let ids = |name: &str| format!("circular-{name}-{association_id}");
    let (title_id, body_id, due_id, file_id) = (ids("title"), ids("body"), ids("due"), ids("file"));
    let scope = Scope::of("association", &association_id);
    let on_submit = {
        let field_ids = [
            title_id.clone(),
            body_id.clone(),
            due_id.clone(),
            file_id.clone(),
        ];
        move |event: leptos::ev::SubmitEvent| {
            if begin_submit(&event, pending) {
                return;
            }
            let lang = settings::lang(i18n.get_locale_untracked());
            for signal in [title_error, body_error, due_error, file_error, error, done] {
                signal.set(None);
            }
            let due_text = due.get_untracked();
            let circular = Circular {
                association_id: association_id.clone(),
                title: title.get_untracked().trim().to_owned(),
                body: body.get_untracked().trim().to_owned(),
                posted_on: browser::today(),
                due_date: (!due_text.is_empty()).then_some(due_text),
                attachment: None,
            };
            if let Some((field, code)) = circular.problem() {
                let (signal, id) = match field {
                    Field::Title => (title_error, &field_ids[0]),
                    Field::Body => (body_error, &field_ids[1]),
                    Field::DueDate => (due_error, &field_ids[2]),
                    Field::Attachment => (file_error, &field_ids[3]),
                    Field::Other => (error, &field_ids[0]),
                };
                signal.set(Some(code.message(lang).to_owned()));
                browser::focus_field(id);
                return;
            }
            let file = file_input
                .get_untracked()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = &file {
                let problem = if file.size() > ATTACHMENT_MAX_BYTES as f64 {
                    Some(
                        domain::ErrorCode::AttachmentTooLarge
                            .message(lang)
                            .to_owned(),
                    )
                } else if !browser::is_online() {
                    Some(t_string!(i18n, circulars_form_file_offline).to_string())
                } else {
                    None
                };
                if let Some(problem) = problem {
                    file_error.set(Some(problem));
                    browser::focus_field(&field_ids[3]);
                    return;
                }
            }
            pending.set(true);
            let scope = scope.clone();
            let file_id = field_ids[3].clone();
            leptos::task::spawn_local(async move {
                let mut circular = circular;
                if let Some(file) = file {
                    match api::upload_attachment(&circular.association_id, &file).await {
                        Ok(uploaded) => {
                            circular.attachment = Some(AttachmentRef {
                                id: uploaded.id,
                                kind: uploaded.kind,
                                bytes: uploaded.bytes,
                                name: circulars::clean_name(&file.name(), uploaded.kind.label()),
                            });
                        }
                        Err(e) => {
                            file_error.set(Some(e.message()));
                            pending.set(false);
                            browser::focus_field(&file_id);
                            return;
                        }
                    }
                }
                let Ok(value) = serde_json::to_value(&circular) else {
                    pending.set(false);
                    return;
                };
                match sync.put(None, CIRCULAR_COLLECTION, scope, value).await {
                    Ok(_) => {
                        title.set(String::new());
                        body.set(String::new());
                        due.set(String::new());
                        if let Some(input) = file_input.try_get_untracked().flatten() {
                            input.set_value("");
                        }
                        done.set(Some(t_string!(i18n, circulars_form_done).to_string()));
                    }
                    Err(e) => error.set(Some(
                        t_string!(i18n, circulars_form_failed, reason = e.0).to_string(),
                    )),
                }
                pending.set(false);
            });
        }
    };
    view! {
        <details class="circular-form-box">
            <summary class="button secondary">{t!(i18n, circulars_form_heading)}</summary>
            <form class="form circular-form" on:submit=on_submit novalidate>
                <LabelledField id=title_id.clone() error=title_error label=move || t_string!(i18n, circulars_form_title) hint=move || t_string!(i18n, circulars_form_title_hint)>
                    <input
                        id=title_id.clone()
                        type="text"
                        maxlength=TITLE_MAX.to_string()
                        aria-invalid=move || title_error.get().is_some().then_some("true")
                        aria-describedby=described(&title_id, title_error)
                        prop:value=move || title.get()
                        on:input=move |e| title.set(event_target_value(&e))
                    />
                </LabelledField>
                <LabelledField id=body_id.clone() error=body_error label=move || t_string!(i18n, circulars_form_body) hint=move || t_string!(i18n, circulars_form_body_hint)>
                    <textarea
                        id=body_id.clone()
                        rows="6"
                        maxlength=BODY_MAX.to_string()
                        aria-invalid=move || body_error.get().is_some().then_some("true")
                        aria-describedby=described(&body_id, body_error)
                        prop:value=move || body.get()
                        on:input=move |e| body.set(event_target_value(&e))
                    ></textarea>
                </LabelledField>
                <LabelledField id=due_id.clone() error=due_error label=move || t_string!(i18n, circulars_form_due) hint=move || t_string!(i18n, circulars_form_due_hint)>
                    <input
                        id=due_id.clone()
                        type="date"
                        aria-invalid=move || due_error.get().is_some().then_some("true")
                        aria-describedby=described(&due_id, due_error)
                        prop:value=move || due.get()
                        on:input=move |e| due.set(event_target_value(&e))
                    />
                </LabelledField>
                <LabelledField id=file_id.clone() error=file_error label=move || t_string!(i18n, circulars_form_file) hint=move || t_string!(i18n, circulars_form_file_hint)>
                    <input
                        id=file_id.clone()
                        type="file"
                        accept="image/jpeg,image/png,image/webp,application/pdf"
                        node_ref=file_input
                        aria-invalid=move || file_error.get().is_some().then_some("true")
                        aria-describedby=described(&file_id, file_error)
                    />
                </LabelledField>
                <FormError error />
                <Submit pending>{t!(i18n, circulars_form_submit)}</Submit>
                <FormDone done />
            </form>
        </details>
    }
}

/// The `aria-describedby` of a field: its hint, and its error while there is one.
fn described(
    id: &str,
    error: RwSignal<Option<String>>,
) -> impl Fn() -> String + Send + std::marker::Sync + use<> {
    let (hint, err) = (format!("{id}-hint"), format!("{id}-error"));
    move || match error.get() {
        Some(_) => format!("{hint} {err}"),
        None => hint.clone(),
    }
}

/// A field's frame: the label, the hint under it, the control (children), and the error
/// under the control, with the ids [`described`] points at.
#[component]
fn LabelledField(
    /// The control's id; the hint's and the error's are made from it.
    id: String,
    error: RwSignal<Option<String>>,
    /// The label's words.
    label: impl Fn() -> &'static str + Send + std::marker::Sync + 'static,
    /// Plain words on what to enter.
    hint: impl Fn() -> &'static str + Send + std::marker::Sync + 'static,
    /// The control.
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <p id=format!("{id}-hint") class="field-hint">{hint}</p>
            {children()}
            {move || error.get().map(|message| {
                view! { <p id=error_id.clone() class="field-error" role="alert">{message}</p> }
            })}
        </div>
    }
}
