//! The editor's event form: write an event on the phone (offline too), keep it as a
//! draft the association's editors share (`editors:` scope), publish it to the board
//! (`public` scope), or change a published one. Every field is checked by
//! `domain::events::Event::validate`, the same rule the server applies.

use domain::{
    ErrorCode,
    associations::AssociationRole,
    events::{CAPACITY_MAX, Category, DESCRIPTION_MAX, EVENT_COLLECTION, Event, TITLE_MAX},
    sync::protocol::Scope,
};
use leptos::prelude::*;

use super::{
    board::Listed,
    cache::use_board,
    words::{category_name, lang},
};
use crate::{
    account::state::Account,
    components::RequireSignIn,
    form::{FormError, Submit, begin_submit},
    i18n::*,
    routing::{Id, Page},
    routing::{Link, Router},
    sync::Sync,
};

#[component]
pub fn EventNew() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, event_new_title)}</h1>
        <RequireSignIn>
            <EventForm existing=None />
        </RequireSignIn>
    }
}

#[component]
pub fn EventEdit(id: Id) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = use_board();
    let id = id.to_string();
    // Read once when the board is ready: a sync while typing must not reset the form.
    let found = Memo::new(move |_| {
        loaded
            .ready
            .get()
            .then(|| loaded.board.with_untracked(|b| b.event(&id).cloned()))
    });
    view! {
        <h1>{t!(i18n, event_edit_title)}</h1>
        <RequireSignIn>
            {move || match found.get() {
                None => view! { <p role="status">{t!(i18n, gate_checking)}</p> }.into_any(),
                Some(None) => view! { <p class="card">{t!(i18n, event_not_here)}</p> }.into_any(),
                Some(Some(listed)) => view! { <EventForm existing=Some(listed) /> }.into_any(),
            }}
        </RequireSignIn>
    }
}

/// Which field an error is about, to mark it and move the focus there.
fn field_of(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::EventTitleInvalid => "event-title",
        ErrorCode::EventDescriptionInvalid => "event-description",
        ErrorCode::EventDatesInvalid => "event-start-date",
        ErrorCode::EventVenueInvalid => "event-venue",
        ErrorCode::EventDetailsInvalid => "event-address",
        ErrorCode::EventPlacesInvalid => "event-capacity",
        _ => "event-association",
    }
}

#[component]
fn EventForm(existing: Option<Listed>) -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let sync = Sync::get();
    // Captured now: after an `await` there is no reactive owner to find it from.
    let router = Router::get();
    let loaded = use_board();
    let mine: Vec<(String, String)> = account
        .me()
        .map(|me| {
            me.associations
                .into_iter()
                .filter(|a| a.role == AssociationRole::Editor)
                .map(|a| (a.association_id, a.name))
                .collect()
        })
        .unwrap_or_default();
    if mine.is_empty() {
        return view! { <p class="card">{t!(i18n, event_form_not_editor)}</p> }.into_any();
    }
    let start = existing.as_ref().map(|l| l.event.clone());
    let text = |f: fn(&Event) -> String| RwSignal::new(start.as_ref().map(f).unwrap_or_default());
    let association = RwSignal::new(
        start
            .as_ref()
            .map(|e| e.association_id.clone())
            .unwrap_or_else(|| mine[0].0.clone()),
    );
    let title = text(|e| e.title.clone());
    let description = text(|e| e.description.clone());
    let category = RwSignal::new(start.as_ref().map_or(Category::Festival, |e| e.category));
    let start_date = text(|e| e.start_date.clone());
    let end_date = text(|e| e.end_date.clone());
    let all_day = RwSignal::new(start.as_ref().is_some_and(Event::all_day));
    let start_time = text(|e| e.start_time.clone().unwrap_or_default());
    let end_time = text(|e| e.end_time.clone().unwrap_or_default());
    let venue = text(|e| e.venue.clone());
    let address = text(|e| e.address.clone());
    let area = text(|e| e.area.clone());
    let contact = text(|e| e.contact.clone());
    let rsvp_needed = RwSignal::new(start.as_ref().is_none_or(|e| e.rsvp_needed));
    let capacity = text(|e| e.capacity.map(|c| c.to_string()).unwrap_or_default());
    let reserved = text(|e| {
        if e.reserved > 0 {
            e.reserved.to_string()
        } else {
            String::new()
        }
    });
    let fair = text(|e| e.fair_id.clone().unwrap_or_default());
    let error = RwSignal::new(None::<(String, &'static str)>);
    let form_error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let published = existing.as_ref().is_some_and(|l| !l.is_draft());
    let existing_id = existing.as_ref().map(|l| l.id.clone());
    let existing_scope = existing.as_ref().map(|l| l.scope.clone());
    // Fairs of the chosen association this event can be a programme of.
    let this_id = existing_id.clone();
    let fairs = Memo::new(move |_| {
        let association = association.get();
        loaded.board.with(|b| {
            b.events
                .iter()
                .filter(|l| {
                    l.event.association_id == association
                        && l.event.category == Category::Festa
                        && l.event.fair_id.is_none()
                        && Some(&l.id) != this_id.as_ref()
                })
                .map(|l| (l.id.clone(), l.event.title.clone()))
                .collect::<Vec<_>>()
        })
    });

    let build = move || -> Result<Event, ErrorCode> {
        let number = |s: RwSignal<String>| -> Result<Option<u32>, ErrorCode> {
            let t = s.get_untracked();
            let t = t.trim();
            if t.is_empty() {
                Ok(None)
            } else {
                t.parse()
                    .map(Some)
                    .map_err(|_| ErrorCode::EventPlacesInvalid)
            }
        };
        let needed = rsvp_needed.get_untracked();
        let time = |s: RwSignal<String>| {
            (!all_day.get_untracked()).then(|| s.get_untracked().trim().to_owned())
        };
        let start = start_date.get_untracked().trim().to_owned();
        let end = end_date.get_untracked().trim().to_owned();
        let event = Event {
            association_id: association.get_untracked(),
            title: title.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
            category: category.get_untracked(),
            end_date: if end.is_empty() { start.clone() } else { end },
            start_date: start,
            start_time: time(start_time),
            end_time: time(end_time),
            venue: venue.get_untracked().trim().to_owned(),
            address: address.get_untracked().trim().to_owned(),
            area: area.get_untracked().trim().to_owned(),
            rsvp_needed: needed,
            capacity: if needed { number(capacity)? } else { None },
            reserved: if needed {
                number(reserved)?.unwrap_or(0)
            } else {
                0
            },
            contact: contact.get_untracked().trim().to_owned(),
            cancelled: existing.as_ref().is_some_and(|l| l.event.cancelled),
            fair_id: Some(fair.get_untracked()).filter(|f| !f.is_empty()),
        };
        event.validate()?;
        Ok(event)
    };
    // Save: `publish` puts it on the board; otherwise it stays (or becomes) a draft.
    let save = move |publish: bool| {
        form_error.set(None);
        let event = match build() {
            Ok(event) => event,
            Err(code) => {
                let message = code.message(lang(i18n)).to_owned();
                let field = field_of(code);
                error.set(Some((message, field)));
                crate::browser::focus_field(field);
                return;
            }
        };
        error.set(None);
        let Ok(body) = serde_json::to_value(&event) else {
            return;
        };
        pending.set(true);
        let existing_id = existing_id.clone();
        let existing_scope = existing_scope.clone();
        leptos::task::spawn_local(async move {
            let drafts = Scope::of("editors", &event.association_id);
            let was_draft = existing_scope
                .as_ref()
                .is_some_and(|s| *s != Scope::public());
            let result = match (publish, existing_id) {
                // A draft becomes a new record on the board (a record never changes
                // scope), and the draft goes.
                (true, Some(id)) if was_draft => {
                    match sync
                        .put(None, EVENT_COLLECTION, Scope::public(), body)
                        .await
                    {
                        Ok(new_id) => sync.delete(&id).await.map(|()| (new_id, true)),
                        Err(e) => Err(e),
                    }
                }
                (true, id) => sync
                    .put(id, EVENT_COLLECTION, Scope::public(), body)
                    .await
                    .map(|id| (id, true)),
                (false, id) => sync
                    .put(id, EVENT_COLLECTION, drafts, body)
                    .await
                    .map(|id| (id, false)),
            };
            pending.set(false);
            match result {
                Ok((id, true)) => router.go(Id::parse(&id).map_or(Page::Events, Page::Event)),
                Ok((_, false)) => router.go(Page::Events),
                Err(e) => form_error.set(Some(
                    t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                )),
            }
        });
    };
    let invalid = move |field: &'static str| {
        move || {
            error
                .with(|e| e.as_ref().is_some_and(|(_, f)| *f == field))
                .then_some("true")
        }
    };
    let message_for = move |field: &'static str| {
        move || {
            error.with(|e| e.as_ref().filter(|(_, f)| *f == field).map(|(m, _)| {
            view! { <p id=format!("{field}-error") class="field-error" role="alert">{m.clone()}</p> }
        }))
        }
    };
    let input = move |id: &'static str,
                      kind: &'static str,
                      value: RwSignal<String>,
                      label: String,
                      max: usize| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=id type=kind maxlength=(max > 0).then(|| max.to_string())
                    aria-invalid=invalid(id) aria-describedby=format!("{id}-error")
                    prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e)) />
                {message_for(id)}
            </div>
        }
    };
    let on_submit = {
        let save = save.clone();
        move |e: leptos::ev::SubmitEvent| {
            if begin_submit(&e, pending) {
                return;
            }
            save(true);
        }
    };
    let lang_now = lang(i18n);
    view! {
        <form class="form event-form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="event-association">{t!(i18n, event_form_association)}</label>
                <select id="event-association" disabled=published on:change=move |e| association.set(event_target_value(&e))>
                    {mine.into_iter().map(|(id, name)| {
                        let selected = association.get_untracked() == id;
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            {input("event-title", "text", title, t_string!(i18n, event_form_title).to_string(), TITLE_MAX)}
            <div class="field">
                <label for="event-category">{t!(i18n, event_form_category)}</label>
                <select id="event-category" on:change=move |e| {
                    if let Some(c) = Category::parse(&event_target_value(&e)) { category.set(c) }
                }>
                    {Category::ALL.into_iter().map(|c| {
                        let selected = category.get_untracked() == c;
                        view! { <option value=c.as_str() selected=selected>{category_name(c, lang_now)}</option> }
                    }).collect_view()}
                </select>
            </div>
            {input("event-start-date", "date", start_date, t_string!(i18n, event_form_start_date).to_string(), 0)}
            <label class="choice">
                <input type="checkbox" prop:checked=move || all_day.get() on:change=move |e| all_day.set(event_target_checked(&e)) />
                {t!(i18n, event_form_all_day)}
            </label>
            {move || (!all_day.get()).then(|| view! {
                {input("event-start-time", "time", start_time, t_string!(i18n, event_form_start_time).to_string(), 0)}
                {input("event-end-time", "time", end_time, t_string!(i18n, event_form_end_time).to_string(), 0)}
            })}
            <div class="field">
                <label for="event-end-date">{t!(i18n, event_form_end_date)}</label>
                <p id="event-end-date-hint" class="field-hint">{t!(i18n, event_form_end_date_hint)}</p>
                <input id="event-end-date" type="date" aria-describedby="event-end-date-hint"
                    prop:value=move || end_date.get() on:input=move |e| end_date.set(event_target_value(&e)) />
            </div>
            {input("event-venue", "text", venue, t_string!(i18n, event_form_venue).to_string(), 80)}
            {input("event-address", "text", address, t_string!(i18n, event_form_address).to_string(), 120)}
            {input("event-area", "text", area, t_string!(i18n, event_form_area).to_string(), 40)}
            <div class="field">
                <label for="event-description">{t!(i18n, event_form_description)}</label>
                <textarea id="event-description" rows="6" maxlength=DESCRIPTION_MAX.to_string()
                    aria-invalid=invalid("event-description") aria-describedby="event-description-error"
                    prop:value=move || description.get() on:input=move |e| description.set(event_target_value(&e))></textarea>
                {message_for("event-description")}
            </div>
            <label class="choice">
                <input type="checkbox" prop:checked=move || rsvp_needed.get() on:change=move |e| rsvp_needed.set(event_target_checked(&e)) />
                {t!(i18n, event_form_rsvp)}
            </label>
            {move || rsvp_needed.get().then(|| view! {
                <div class="field">
                    <label for="event-capacity">{t!(i18n, event_form_capacity)}</label>
                    <p id="event-capacity-hint" class="field-hint">
                        {t_string!(i18n, event_form_capacity_hint, max = CAPACITY_MAX).to_string()}
                    </p>
                    <input id="event-capacity" type="number" inputmode="numeric" min="1" max=CAPACITY_MAX.to_string()
                        aria-invalid=invalid("event-capacity") aria-describedby="event-capacity-hint event-capacity-error"
                        prop:value=move || capacity.get() on:input=move |e| capacity.set(event_target_value(&e)) />
                    {message_for("event-capacity")}
                </div>
                <div class="field">
                    <label for="event-reserved">{t!(i18n, event_form_reserved)}</label>
                    <p id="event-reserved-hint" class="field-hint">{t!(i18n, event_form_reserved_hint)}</p>
                    <input id="event-reserved" type="number" inputmode="numeric" min="0" aria-describedby="event-reserved-hint"
                        prop:value=move || reserved.get() on:input=move |e| reserved.set(event_target_value(&e)) />
                </div>
            })}
            {input("event-contact", "text", contact, t_string!(i18n, event_form_contact).to_string(), 120)}
            {move || {
                let fairs = fairs.get();
                (!fairs.is_empty()).then(|| view! {
                    <div class="field">
                        <label for="event-fair">{t!(i18n, event_form_fair)}</label>
                        <select id="event-fair" on:change=move |e| fair.set(event_target_value(&e))>
                            <option value="">{t!(i18n, event_form_fair_none)}</option>
                            {fairs.into_iter().map(|(id, title)| {
                                let selected = fair.get_untracked() == id;
                                view! { <option value=id selected=selected>{title}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                })
            }}
            {message_for("event-association")}
            <p class="note">{t!(i18n, event_form_offline)}</p>
            <div class="page-actions">
                <Submit pending>
                    {if published { t!(i18n, event_form_save) .into_any() } else { t!(i18n, event_form_publish).into_any() }}
                </Submit>
                {(!published).then(|| view! {
                    <button type="button" class="button secondary" on:click=move |_| {
                        if !pending.get_untracked() { save(false) }
                    }>
                        {t!(i18n, event_form_draft)}
                    </button>
                })}
            </div>
            <FormError error=form_error />
        </form>
        <p><Link page=Page::Events class="text-link">{t!(i18n, event_back)}</Link></p>
    }
    .into_any()
}
