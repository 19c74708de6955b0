//! A picture that tries again when it could not be loaded.

use leptos::prelude::*;

use crate::{browser, i18n::*};

/// A circular's picture. One that could not be loaded (no signal when the page was
/// drawn, or the signal only just back) says so and is loaded again when the signal
/// returns, and a few times while the phone believes it has one: a picture must not
/// stay broken until the person thinks of reloading the page.
#[component]
pub fn Picture(url: String, alt: String) -> impl IntoView {
    /// Tries while online before waiting for the next `online` event.
    const TRIES: u32 = 5;
    let i18n = use_i18n();
    let attempt = RwSignal::new(0u32);
    let failed = RwSignal::new(false);
    let again = move || {
        failed.set(false);
        attempt.update(|n| *n += 1);
    };
    let online = window_event_listener(leptos::ev::online, move |_| {
        if failed.get_untracked() {
            again();
        }
    });
    on_cleanup(move || online.remove());
    let on_error = move |_| {
        failed.set(true);
        if browser::is_online() && attempt.get_untracked() < TRIES {
            set_timeout(
                move || {
                    if failed.try_get_untracked() == Some(true) {
                        again();
                    }
                },
                std::time::Duration::from_secs(2),
            );
        }
    };
    view! {
        // A new element for each try: the browser fetches it again.
        {move || {
            attempt.track();
            view! { <img class="circular-image" src=url.clone() alt=alt.clone() on:error=on_error /> }
        }}
        <Show when=move || failed.get()>
            <p class="note" role="status">{t!(i18n, circulars_image_retry)}</p>
        </Show>
    }
}
