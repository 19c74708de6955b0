//! The sync bar under the header, for a signed-in person: where their changes are, in
//! words (「この端末に保存済み」「送信待ち N件」「送信済み」「送れませんでした（理由）」),
//! a 「今すぐ同期」 button, and the changes the server did not accept with what to do.

use domain::{
    handbook::{NOTE_COLLECTION, Note},
    sync::{
        client::Notice,
        protocol::{Op, Outcome, Refusal},
    },
};
use leptos::prelude::*;

use crate::{
    account::state::Account,
    i18n::*,
    platform::{self, Task},
    sync::{Phase, Sync},
};

#[component]
pub fn SyncBar() -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let account = Account::get();
    let state = move || match (sync.phase.get(), sync.pending.get()) {
        (Phase::Syncing, _) => "syncing",
        (Phase::Opening, _) => "opening",
        (Phase::Synced, 0) => "synced",
        (Phase::Unreachable | Phase::NeedsSignIn | Phase::Failed(_), _) => "failed",
        (_, 0) => "saved",
        _ => "pending",
    };
    let text = move || {
        let pending = sync.pending.get();
        let first = match sync.phase.get() {
            Phase::Opening => return t_string!(i18n, sync_opening).to_string(),
            Phase::Synced if pending == 0 => t_string!(i18n, sync_sent).to_string(),
            _ if pending == 0 => t_string!(i18n, sync_saved_here).to_string(),
            _ => t_string!(i18n, sync_pending, count = pending).to_string(),
        };
        let second = match sync.phase.get() {
            Phase::Syncing => t_string!(i18n, sync_sending).to_string(),
            Phase::Unreachable => t_string!(i18n, sync_unreachable).to_string(),
            Phase::NeedsSignIn => t_string!(i18n, sync_needs_sign_in).to_string(),
            Phase::Failed(reason) if reason.is_empty() => {
                t_string!(i18n, sync_failed_plain).to_string()
            }
            Phase::Failed(reason) => t_string!(i18n, sync_failed, reason = reason).to_string(),
            _ => String::new(),
        };
        if second.is_empty() {
            first
        } else {
            format!("{first}　{second}")
        }
    };
    view! {
        <Show when=move || account.me().is_some()>
            <section class="sync-bar" data-testid="sync-status" data-state=state>
                <p class="sync-text" role="status">{text}</p>
                <button
                    type="button"
                    class="button secondary"
                    aria-busy=move || (sync.phase.get() == Phase::Syncing).to_string()
                    on:click=move |_| platform::spawn(Task::SyncNow(sync))
                >
                    {t!(i18n, sync_now)}
                </button>
            </section>
            <Notices />
        </Show>
    }
}

/// The changes the server refused or kept as conflicts, until the person says 確認しました.
#[component]
fn Notices() -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    view! {
        <Show when=move || !sync.notices.with(Vec::is_empty)>
            <section class="card notices" aria-labelledby="notices-title">
                <h2 id="notices-title">
                    {move || t_string!(i18n, sync_notices_title, count = sync.notices.with(Vec::len)).to_string()}
                </h2>
                <ul class="notice-list">
                    <For
                        each=move || sync.notices.get()
                        key=|(key, _)| *key as u64
                        children=move |(key, notice)| {
                            let (what, content) = describe(&notice);
                            let what = what.unwrap_or_else(|| t_string!(i18n, sync_notice_change).to_string());
                            let reason = move || reason(i18n, &notice.outcome);
                            view! {
                                <li class="notice">
                                    <p class="notice-what">{what}</p>
                                    <p>{reason}</p>
                                    {content.map(|c| view! { <blockquote class="notice-content">{c}</blockquote> })}
                                    <button type="button" class="button secondary" on:click=move |_| platform::spawn(Task::Dismiss(sync, key))>
                                        {t!(i18n, sync_notice_ok)}
                                    </button>
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
        </Show>
    }
}

/// What was changed (the kind of record) and what the person wrote, when it is text.
fn describe(notice: &Notice) -> (Option<String>, Option<String>) {
    let i18n = use_i18n();
    match &notice.mutation.op {
        Op::Put {
            collection, body, ..
        } if collection == NOTE_COLLECTION => (
            Some(t_string!(i18n, notes_title).to_string()),
            serde_json::from_value::<Note>(body.clone())
                .ok()
                .map(|n| n.text),
        ),
        Op::Delete { .. } | Op::Put { .. } | Op::Command { .. } => (None, None),
    }
}

fn reason(i18n: leptos_i18n::I18nContext<Locale>, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Conflict { .. } => t_string!(i18n, sync_notice_conflict),
        Outcome::Refused { reason } => match reason {
            Refusal::Validation => t_string!(i18n, sync_notice_validation),
            Refusal::Permission => t_string!(i18n, sync_notice_permission),
            Refusal::Full => t_string!(i18n, sync_notice_full),
            Refusal::Closed => t_string!(i18n, sync_notice_closed),
            Refusal::UnknownCommand => t_string!(i18n, sync_notice_unknown),
            Refusal::QuotaExceeded => t_string!(i18n, sync_notice_quota),
            Refusal::Unreadable => t_string!(i18n, sync_notice_unreadable),
        },
        Outcome::Applied { .. } => "",
    }
    .to_string()
}
