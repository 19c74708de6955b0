//! A text box bound to a signal, as the handbook's record forms use it (visits, checkup
//! findings): its id is its name, no autocomplete, and the keyboard chosen by `mode`.

use leptos::prelude::*;

pub fn text_input(
    id: &'static str,
    kind: &'static str,
    mode: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <input id=id name=id type=kind inputmode=mode autocomplete="off"
            prop:value=move || value.get()
            on:input=move |e| value.set(event_target_value(&e)) />
    }
}
