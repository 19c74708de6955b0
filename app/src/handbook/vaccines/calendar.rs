//! カレンダーに入れる: a calendar file of the next days, made on this phone (works with
//! no signal) and saved through a Blob's object URL. The events say only 「お子さんの
//! 予定（つながる）」: no vaccine, no child's name (`ics.rs`).

use leptos::prelude::*;

use super::{State, ics, plan};
use crate::{
    browser,
    form::{FormDone, FormError},
    i18n::*,
};

const FILE_NAME: &str = "tsunagaru.ics";

#[component]
pub fn Calendar(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let done = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let days = Memo::new(move |_| plan::reminder_days(&state.plan.get(), state.today));
    let save = move |_| {
        done.set(None);
        error.set(None);
        let iso = js_sys::Date::new_0().to_iso_string().as_string();
        let Some(stamp) = iso.as_deref().and_then(ics::stamp) else {
            error.set(Some(t_string!(i18n, vaccines_calendar_failed).to_string()));
            return;
        };
        let words = ics::Words {
            summary: t_string!(i18n, vaccines_calendar_summary),
            description: t_string!(i18n, vaccines_calendar_description),
        };
        let text = ics::calendar(
            &days.get_untracked(),
            &state.family.get_value(),
            &stamp,
            &words,
        );
        match browser::save_file(FILE_NAME, "text/calendar;charset=utf-8", &text) {
            Ok(()) => done.set(Some(t_string!(i18n, vaccines_calendar_done).to_string())),
            Err(_) => error.set(Some(t_string!(i18n, vaccines_calendar_failed).to_string())),
        }
    };
    view! {
        <section class="card" aria-labelledby="vaccines-calendar-heading">
            <h2 id="vaccines-calendar-heading">{t!(i18n, vaccines_calendar_title)}</h2>
            <Show
                when=move || !days.with(Vec::is_empty)
                fallback=move || view! { <p>{t!(i18n, vaccines_calendar_none)}</p> }
            >
                <p>{t!(i18n, vaccines_calendar_lead)}</p>
                <button type="button" class="button secondary" on:click=save>
                    {t!(i18n, vaccines_calendar_button)}
                </button>
            </Show>
            <FormError error />
            <FormDone done />
        </section>
    }
}
