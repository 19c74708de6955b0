//! 問題を報告: the button and short form under an event or a circular, and the helpers
//! pages use to leave out what moderation hid (`domain::moderation`). A report is a
//! domain command saved on this phone first: 「送信待ち」 until it is sent, then
//! 「報告しました」; the server's `report` record in the person's own scope makes every
//! device of theirs show 「報告済み」.

use domain::{
    moderation::{self, Kind, REASON_MAX, REPORT_COLLECTION},
    sync::{commands::Command, protocol::Scope},
};
use leptos::prelude::*;

use crate::{
    account::state::Account,
    browser,
    components::SyncBadge,
    form::{FormError, Submit, begin_submit},
    i18n::*,
    settings,
    sync::Sync,
    tasks::spawn_owned,
};

/// Where the person's report on this target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not reported (or the report was refused: the sync bar says why).
    None,
    /// Saved on this phone, waiting to be sent.
    Waiting,
    /// The server has it.
    Reported,
}

/// A 「問題を報告」 button that opens a short form with a reason; 「報告済み」 once the
/// person has reported this target, on any of their devices.
#[component]
pub fn ReportButton(
    /// The event's or the circular's record id.
    target_id: String,
    /// What is reported, for the words of the form.
    kind: Kind,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let account = Account::get();
    let state = RwSignal::new(State::None);
    let just_sent = RwSignal::new(false);
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    {
        let target_id = target_id.clone();
        Effect::new(move |_| {
            sync.revision.track();
            let Some(me) = account.me() else { return };
            let target_id = target_id.clone();
            spawn_owned(async move {
                let scope = Scope::of("user", &me.id);
                let reported = Sync::items(REPORT_COLLECTION, &scope)
                    .await
                    .unwrap_or_default()
                    .iter()
                    .any(|item| item.record.body["target_id"] == target_id.as_str());
                let waiting = Sync::pending_commands()
                    .await
                    .unwrap_or_default()
                    .iter()
                    .any(|c| matches!(c, Command::Report { target_id: t, .. } if *t == target_id));
                state.set(match (reported, waiting) {
                    (true, _) => State::Reported,
                    (false, true) => State::Waiting,
                    (false, false) => State::None,
                });
            });
        });
    }
    let form_id = format!("report-{target_id}");
    let reason_id = format!("report-reason-{target_id}");
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        let text = reason.get_untracked().trim().to_owned();
        if let Err(code) = moderation::check_reason(&text) {
            let lang = settings::lang(i18n.get_locale_untracked());
            error.set(Some(code.message(lang).to_owned()));
            return;
        }
        error.set(None);
        pending.set(true);
        let command = Command::Report {
            report_id: browser::new_record_id(),
            target_id: target_id.clone(),
            reason: text,
        };
        leptos::task::spawn_local(async move {
            match sync.command(&command).await {
                Ok(()) => {
                    open.set(false);
                    reason.set(String::new());
                    just_sent.set(true);
                    state.set(State::Waiting);
                }
                Err(e) => error.set(Some(
                    t_string!(i18n, report_save_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    let presets = move || {
        [
            t_string!(i18n, report_preset_wrong).to_string(),
            t_string!(i18n, report_preset_inappropriate).to_string(),
            t_string!(i18n, report_preset_advert).to_string(),
        ]
    };
    let title = move || match kind {
        Kind::Event => t_string!(i18n, report_title_event).to_string(),
        Kind::Circular => t_string!(i18n, report_title_circular).to_string(),
    };
    move || match (state.get(), open.get()) {
        (State::Reported, _) => view! {
            <p class="report-state" role="status">
                <span class="badge">{t_string!(i18n, report_done)}</span>
                " "
                {move || just_sent.get().then(|| t_string!(i18n, report_sent))}
            </p>
        }
        .into_any(),
        (State::Waiting, _) => view! {
            <p class="report-state" role="status">
                <SyncBadge pending=true />
                " "
                {t_string!(i18n, report_pending)}
            </p>
        }
        .into_any(),
        (State::None, false) => view! {
            <button
                type="button"
                class="button secondary"
                aria-expanded="false"
                aria-controls=form_id.clone()
                on:click={
                    let focus = reason_id.clone();
                    move |_| {
                        open.set(true);
                        // The field exists once the form has been drawn.
                        let focus = focus.clone();
                        request_animation_frame(move || browser::focus_field(&focus));
                    }
                }
            >
                {t_string!(i18n, report_button)}
            </button>
        }
        .into_any(),
        (State::None, true) => view! {
            <form id=form_id.clone() class="note-form card" on:submit=on_submit.clone() novalidate>
                <h3>{title}</h3>
                <p>{t_string!(i18n, report_explain)}</p>
                <fieldset class="choices">
                    <legend class="choices-title">{t_string!(i18n, report_presets)}</legend>
                    {presets()
                        .into_iter()
                        .map(|words| {
                            let chosen = words.clone();
                            view! {
                                <button
                                    type="button"
                                    class="button secondary"
                                    on:click=move |_| reason.set(chosen.clone())
                                >
                                    {words}
                                </button>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="field">
                    <label for=reason_id.clone()>{t_string!(i18n, report_reason)}</label>
                    <textarea
                        id=reason_id.clone()
                        rows="3"
                        maxlength=REASON_MAX.to_string()
                        aria-invalid=move || error.get().is_some().then_some("true")
                        prop:value=move || reason.get()
                        on:input=move |e| reason.set(event_target_value(&e))
                    ></textarea>
                </div>
                <FormError error />
                <div class="note-actions">
                    <Submit pending>{move || t_string!(i18n, report_send)}</Submit>
                    <button type="button" class="button secondary" on:click=move |_| {
                        open.set(false);
                        error.set(None);
                    }>
                        {t_string!(i18n, report_cancel)}
                    </button>
                </div>
            </form>
        }
        .into_any(),
    }
}
