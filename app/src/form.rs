//! The pieces every form is built from: a labelled field with its hint and its error
//! (linked for screen readers), a password field with a show button, a form-level
//! error, and a submit button that says when it is sending. Errors are words in an
//! alert; nothing here has a time limit.

use leptos::{ev, prelude::*};

use crate::i18n::*;

/// A labelled input. Its hint and its error are read out with it (`aria-describedby`).
#[component]
pub fn Field(
    /// The input's id; the hint and error ids are made from it.
    id: &'static str,
    /// What the person types, kept in step with the input.
    value: RwSignal<String>,
    /// The error to show under the field, in words, if any.
    error: RwSignal<Option<String>>,
    /// The input's `type`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The input's `autocomplete` token (`username`, `current-password`, …).
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Plain words under the label on what to type.
    #[prop(optional, into)]
    hint: Option<ViewFn>,
    /// The label.
    children: Children,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            describe(
                has_hint.then_some(&hint_id),
                error.get().is_some(),
                &error_id,
            )
        }
    };
    view! {
        <div class="field">
            <label for=id>{children()}</label>
            {hint.map(|hint| view! { <p id=hint_id class="field-hint">{hint.run()}</p> })}
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |e| value.set(event_target_value(&e))
            />
            <FieldError id=error_id error />
        </div>
    }
}

/// A password input with a 「表示」 button (`aria-pressed`) that shows what was typed.
#[component]
pub fn PasswordField(
    id: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<String>>,
    /// `current-password` to sign in, `new-password` for a new one.
    autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(false);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            describe(
                has_hint.then_some(&hint_id),
                error.get().is_some(),
                &error_id,
            )
        }
    };
    view! {
        <div class="field">
            <label for=id>{children()}</label>
            {hint.map(|hint| view! { <p id=hint_id class="field-hint">{hint.run()}</p> })}
            <div class="password-row">
                <input
                    id=id
                    name=id
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    autocapitalize="off"
                    spellcheck="false"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=described_by
                    prop:value=move || value.get()
                    on:input=move |e| value.set(event_target_value(&e))
                />
                <button
                    type="button"
                    class="button secondary"
                    aria-pressed=move || if shown.get() { "true" } else { "false" }
                    aria-controls=id
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    {t_string!(i18n, form_show_password)}
                </button>
            </div>
            <FieldError id=error_id error />
        </div>
    }
}

fn describe(hint_id: Option<&String>, has_error: bool, error_id: &str) -> Option<String> {
    let ids: Vec<&str> = hint_id
        .map(String::as_str)
        .into_iter()
        .chain(has_error.then_some(error_id))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The error under one field, announced when it appears.
#[component]
fn FieldError(id: String, error: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! { <p id=id.clone() class="field-error" role="alert">{message}</p> }
        })
    }
}

/// An error about the whole form (the network, too many tries…), announced when it
/// appears.
#[component]
pub fn FormError(error: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|message| view! { <p class="form-error" role="alert">{message}</p> })
    }
}

/// A confirmation after a form went through, e.g. 「パスワードを変更しました」.
#[component]
pub fn FormDone(done: RwSignal<Option<String>>) -> impl IntoView {
    view! { <p class="form-done" role="status">{move || done.get()}</p> }
}

/// The submit button: 「送信中…」 while the request is on its way. It stays focusable
/// (no `disabled`), and a second press is ignored by the form's handler.
#[component]
pub fn Submit(
    /// Whether the form is being sent.
    pending: RwSignal<bool>,
    /// The button's words when not sending.
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="button" aria-disabled=move || pending.get().then_some("true")>
            {move || if pending.get() {
                t_string!(i18n, form_sending).into_any()
            } else {
                children().into_any()
            }}
        </button>
    }
}

/// Stops the browser from loading a page for a submitted form; true when the form is
/// already being sent and this press should be ignored.
pub fn begin_submit(event: &ev::SubmitEvent, pending: RwSignal<bool>) -> bool {
    event.prevent_default();
    pending.get_untracked()
}
