//! 記録した接種: the doses recorded, newest first, each marked 「送信待ち」 or
//! 「送信済み」; guardians correct one (直す) or delete it (消す, after a question), on this
//! phone first like a new record.

use leptos::{ev, prelude::*};

use super::{Saved, State, form::DoseForm, words};
use crate::{
    components::SyncBadge,
    form::{FormError, Submit, begin_submit},
    i18n::*,
    sync::Sync,
};

#[component]
pub fn Records(state: State) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="vaccines-records-heading">
            <h2 id="vaccines-records-heading">{t!(i18n, vaccines_records_title)}</h2>
            <Show
                when=move || !state.saved.with(Vec::is_empty)
                fallback=move || view! { <p>{t!(i18n, vaccines_records_empty)}</p> }
            >
                <ul class="note-list" data-testid="dose-records">
                    <For
                        each=move || state.saved.get()
                        key=|saved| format!("{}{:?}{}", saved.id, saved.record, saved.pending)
                        children=move |saved| view! { <RecordItem saved state /> }
                    />
                </ul>
            </Show>
        </section>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Show,
    Edit,
    ConfirmDelete,
}

#[component]
fn RecordItem(saved: Saved, state: State) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let mode = RwSignal::new(Mode::Show);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let title_id = format!("record-{}", saved.id);
    let record = saved.record.clone();
    let title = move || {
        let lang = words::lang(i18n);
        format!(
            "{} {}",
            words::vaccine_name(&record.vaccine, lang),
            words::dose_label(record.dose, lang)
        )
    };
    let record = saved.record.clone();
    let details = move || {
        let lang = words::lang(i18n);
        let mut lines = vec![words::day(record.date, lang)];
        if let Some(product) = &record.product {
            lines.push(t_string!(i18n, vaccines_product, product = product.clone()).to_string());
        }
        if !record.lot_number.is_empty() {
            lines.push(t_string!(i18n, vaccines_lot, lot = record.lot_number.clone()).to_string());
        }
        if !record.facility.is_empty() {
            lines.push(
                t_string!(i18n, vaccines_facility, facility = record.facility.clone()).to_string(),
            );
        }
        lines.join("・")
    };
    let delete = {
        let id = saved.id.clone();
        move |event: ev::SubmitEvent| {
            if begin_submit(&event, pending) {
                return;
            }
            pending.set(true);
            let id = id.clone();
            leptos::task::spawn_local(async move {
                if let Err(e) = sync.delete(&id).await {
                    error.set(Some(
                        t_string!(i18n, vaccines_save_failed, reason = e.0).to_string(),
                    ));
                }
                pending.set(false);
            });
        }
    };
    let described = title_id.clone();
    let editing = saved.clone();
    let guardian = state.guardian;
    view! {
        <li class="note-item" data-testid="dose-record">
            <p class="note-meta">
                <strong id=title_id>{title}</strong>
                <SyncBadge pending=saved.pending />
            </p>
            <p class="note-text">{details}</p>
            {move || match (guardian, mode.get()) {
                (false, _) => ().into_any(),
                (true, Mode::Show) => view! {
                    <div class="note-actions">
                        <button
                            type="button"
                            class="button secondary"
                            aria-describedby=described.clone()
                            on:click=move |_| mode.set(Mode::Edit)
                        >
                            {t_string!(i18n, vaccines_edit)}
                        </button>
                        <button
                            type="button"
                            class="button secondary"
                            aria-describedby=described.clone()
                            on:click=move |_| mode.set(Mode::ConfirmDelete)
                        >
                            {t_string!(i18n, vaccines_delete)}
                        </button>
                    </div>
                }
                .into_any(),
                (true, Mode::Edit) => view! {
                    <h3>{t_string!(i18n, vaccines_edit_title)}</h3>
                    <DoseForm
                        state
                        editing=Some(editing.clone())
                        on_close=Some(Callback::new(move |_| mode.set(Mode::Show)))
                    />
                }
                .into_any(),
                (true, Mode::ConfirmDelete) => view! {
                    <form class="note-form" on:submit=delete.clone()>
                        <p role="alert">{t_string!(i18n, vaccines_delete_confirm)}</p>
                        <FormError error />
                        <div class="note-actions">
                            <Submit pending>{t_string!(i18n, vaccines_delete_yes)}</Submit>
                            <button type="button" class="button secondary" on:click=move |_| mode.set(Mode::Show)>
                                {t_string!(i18n, vaccines_cancel)}
                            </button>
                        </div>
                    </form>
                }
                .into_any(),
            }}
        </li>
    }
}
