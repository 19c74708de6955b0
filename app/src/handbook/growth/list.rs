//! The measurements, newest day first, each marked 「送信待ち」 or 「送信済み」; a guardian
//! corrects (直す) or deletes (消す, after a question) one, on this phone first.

use domain::handbook::{growth::Indicator, records::Measurement};
use leptos::prelude::*;

use super::{Saved, State, form::MeasurementForm, what};
use crate::handbook::units;
use crate::{
    browser,
    components::SyncBadge,
    form::{FormError, Submit, begin_submit},
    i18n::*,
    settings,
    sync::Sync,
};

#[component]
pub(super) fn MeasurementList(state: State) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h3>{t!(i18n, growth_list_title)}</h3>
        <Show
            when=move || !state.measurements.with(Vec::is_empty)
            fallback=move || view! { <p>{t!(i18n, growth_list_empty)}</p> }
        >
            <ul class="note-list" data-testid="measurements">
                <For
                    each=move || state.measurements.get()
                    key=|m| (m.id.clone(), m.version, m.pending, m.body.measured_on, m.body.weight_g, m.body.length_mm, m.body.head_mm, m.body.note.clone())
                    children=move |m| view! { <MeasurementItem state saved=m /> }
                />
            </ul>
        </Show>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Show,
    Edit,
    ConfirmDelete,
}

/// 「体重 7.25 kg・身長 68.5 cm」.
pub(super) fn values_words(i18n: crate::components::I18n, m: &Measurement) -> String {
    let mut parts = Vec::new();
    for (indicator, value) in [
        (Indicator::WeightForAge, m.weight_g.map(units::kg)),
        (Indicator::LengthHeightForAge, m.length_mm.map(units::cm)),
        (Indicator::HeadCircumferenceForAge, m.head_mm.map(units::cm)),
    ] {
        if let Some(value) = value {
            parts.push(format!(
                "{} {value} {}",
                what(i18n, indicator),
                indicator.unit()
            ));
        }
    }
    parts.join(t_string!(i18n, growth_separator))
}

#[component]
fn MeasurementItem(state: State, saved: Saved<Measurement>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let mode = RwSignal::new(Mode::Show);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let day = saved.body.measured_on.to_string();
    let when = move || browser::format_day(&day, settings::lang(i18n.get_locale()));
    let values = {
        let body = saved.body.clone();
        move || values_words(i18n, &body)
    };
    let values_id = format!("values-{}", saved.id);
    let delete = {
        let id = saved.id.clone();
        move |event: leptos::ev::SubmitEvent| {
            if begin_submit(&event, pending) {
                return;
            }
            pending.set(true);
            let id = id.clone();
            leptos::task::spawn_local(async move {
                if let Err(e) = sync.delete(&id).await {
                    error.set(Some(
                        t_string!(i18n, growth_save_failed, reason = e.0).to_string(),
                    ));
                }
                pending.set(false);
            });
        }
    };
    let described = values_id.clone();
    let note = saved.body.note.clone();
    view! {
        <li class="note-item">
            <p class="note-meta">
                <span>{when}</span>
                <SyncBadge pending=saved.pending />
            </p>
            <p class="note-text" id=values_id>{values}</p>
            {(!note.is_empty()).then(|| view! { <p class="note">{note}</p> })}
            {move || match (state.guardian, mode.get()) {
                (false, _) => ().into_any(),
                (true, Mode::Show) => view! {
                    <div class="note-actions">
                        <button type="button" class="button secondary" aria-describedby=described.clone() on:click=move |_| mode.set(Mode::Edit)>
                            {t!(i18n, growth_edit)}
                        </button>
                        <button type="button" class="button secondary" aria-describedby=described.clone() on:click=move |_| mode.set(Mode::ConfirmDelete)>
                            {t!(i18n, growth_delete)}
                        </button>
                    </div>
                }
                .into_any(),
                (true, Mode::Edit) => view! {
                    <MeasurementForm state editing=Some(saved.clone()) on_close=Callback::new(move |()| mode.set(Mode::Show)) />
                }
                .into_any(),
                (true, Mode::ConfirmDelete) => view! {
                    <form class="note-form" on:submit=delete.clone()>
                        <p role="alert">{t!(i18n, growth_delete_confirm)}</p>
                        <FormError error />
                        <div class="note-actions">
                            <Submit pending>{t!(i18n, growth_delete_yes)}</Submit>
                            <button type="button" class="button secondary" on:click=move |_| mode.set(Mode::Show)>
                                {t!(i18n, growth_cancel)}
                            </button>
                        </div>
                    </form>
                }
                .into_any(),
            }}
        </li>
    }
}
