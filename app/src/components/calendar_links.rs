//! カレンダー: the link that downloads one event as a calendar file, and the account
//! page's private "my RSVPs" feed for calendar apps. The files are made by the server
//! (`server/src/calendar.rs`); nothing here works offline, so both say so plainly.

use domain::calendar::CalendarFeedStatus;
use leptos::{ev, prelude::*};

use crate::{
    api, browser,
    form::{FormDone, FormError},
    i18n::*,
    settings,
};

/// Whether the browser believes it is online, kept current by its events.
fn online() -> RwSignal<bool> {
    let online = RwSignal::new(browser::is_online());
    let up = window_event_listener(ev::online, move |_| online.set(true));
    let down = window_event_listener(ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        up.remove();
        down.remove();
    });
    online
}

/// 「カレンダーに追加」: downloads a published event as `event.ics`, which the phone
/// offers to put in its calendar. Offline it is a sentence instead of a link that fails.
#[component]
pub fn AddToCalendar(
    /// The published event's id.
    event_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let online = online();
    let href = format!(
        "/api/events/{}/calendar.ics",
        String::from(js_sys::encode_uri_component(&event_id))
    );
    move || {
        if online.get() {
            view! {
                <a class="button secondary" href=href.clone() download="event.ics">
                    {t_string!(i18n, calendar_add)}
                </a>
            }
            .into_any()
        } else {
            view! { <p class="note">{t_string!(i18n, calendar_add_offline)}</p> }.into_any()
        }
    }
}

/// The account page's "my RSVPs" feed: make the private address (shown once, with a
/// webcal:// link to subscribe and a warning that it shows which events you joined),
/// make it again, or stop it.
#[component]
pub fn CalendarFeeds(
    /// Counted up when the password changed on the page: the address stopped with it.
    password_changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = LocalResource::new(api::calendar_feed_status);
    // The new address, full (https://…), only right after it was made.
    let address = RwSignal::new(None::<String>);
    Effect::new(move |before: Option<u32>| {
        let now = password_changed.get();
        if before.is_some_and(|before| before != now) {
            address.set(None);
            status.refetch();
        }
        now
    });
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None);
    let done = RwSignal::new(None);

    let create = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        done.set(None);
        leptos::task::spawn_local(async move {
            match api::create_calendar_feed().await {
                Ok(feed) => {
                    let origin = browser::window()
                        .and_then(|w| w.location().origin().ok())
                        .unwrap_or_default();
                    address.set(Some(format!("{origin}{}", feed.url)));
                    status.refetch();
                }
                Err(e) => error.set(Some(e.message())),
            }
            pending.set(false);
        });
    };
    let stop = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        done.set(None);
        leptos::task::spawn_local(async move {
            match api::stop_calendar_feed().await {
                Ok(()) => {
                    address.set(None);
                    done.set(Some(t_string!(i18n, calendar_feed_stopped).to_owned()));
                    status.refetch();
                }
                Err(e) => error.set(Some(e.message())),
            }
            pending.set(false);
        });
    };

    let active = move || {
        matches!(
            status.get(),
            Some(Ok(CalendarFeedStatus {
                created_at: Some(_)
            }))
        )
    };
    let state = move || {
        let lang = settings::lang(i18n.get_locale());
        match status.get() {
            None => view! { <p role="status">{t_string!(i18n, loading)}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
            Some(Ok(CalendarFeedStatus { created_at: None })) => {
                view! { <p>{t_string!(i18n, calendar_feed_none)}</p> }.into_any()
            }
            Some(Ok(CalendarFeedStatus { created_at: Some(when) })) => view! {
                <p>
                    {t_string!(i18n, calendar_feed_active, when = browser::format_moment(&when, lang))
                        .to_string()}
                </p>
            }
            .into_any(),
        }
    };
    let new_address = move || {
        address.get().map(|url| {
            let webcal = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .map(|rest| format!("webcal://{rest}"))
                .unwrap_or_else(|| url.clone());
            view! {
                <dl class="facts">
                    <dt>{t_string!(i18n, calendar_feed_url_label)}</dt>
                    <dd><code data-testid="calendar-feed-url">{url}</code></dd>
                </dl>
                <p class="note">{t_string!(i18n, calendar_feed_once)}</p>
                <p><a class="button" href=webcal>{t_string!(i18n, calendar_feed_subscribe)}</a></p>
                <p class="note">{t_string!(i18n, calendar_feed_google)}</p>
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="calendar-feed-heading">
            <h2 id="calendar-feed-heading">{t_string!(i18n, calendar_feed_title)}</h2>
            <p>{t_string!(i18n, calendar_feed_explain)}</p>
            <p class="notice">{t_string!(i18n, calendar_feed_warning)}</p>
            {state}
            {new_address}
            <FormError error />
            <FormDone done />
            <p>
                <button type="button" class="button" aria-disabled=move || pending.get().then_some("true") on:click=create>
                    {move || {
                        if pending.get() {
                            t_string!(i18n, form_sending)
                        } else if active() {
                            t_string!(i18n, calendar_feed_renew)
                        } else {
                            t_string!(i18n, calendar_feed_create)
                        }
                    }}
                </button>
            </p>
            <Show when=active>
                <p>
                    <button type="button" class="button danger" aria-disabled=move || pending.get().then_some("true") on:click=stop>
                        {move || {
                            if pending.get() {
                                t_string!(i18n, form_sending)
                            } else {
                                t_string!(i18n, calendar_feed_stop)
                            }
                        }}
                    </button>
                </p>
            </Show>
        </section>
    }
}
