//! For the association's editors on an event's page: change or call off the event, the
//! attendee list with totals, check-in by code (works offline) and the CSV export.

use domain::{
    events::{self, Attendees, EVENT_COLLECTION, Status},
    sync::commands::Command,
};
use leptos::prelude::*;

use super::said::Said;
use crate::{
    events::board::Listed,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    routing::Link,
    routing::{Id, Page},
    sync::Sync,
};

/// For the association's editors: change or call off, the attendee list, check-in.
#[component]
pub(super) fn EditorTools(
    listed: Listed,
    attendees: Option<Attendees>,
    checking_in: Vec<String>,
    said: Said,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let id = listed.id.clone();
    let page = Id::parse(&id).map_or(Page::Events, Page::EventEdit);
    let confirm = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let call_off = {
        let listed = listed.clone();
        move |e: leptos::ev::SubmitEvent| {
            if begin_submit(&e, pending) {
                return;
            }
            let mut event = listed.event.clone();
            event.cancelled = true;
            let Ok(body) = serde_json::to_value(&event) else {
                return;
            };
            pending.set(true);
            let (id, scope) = (listed.id.clone(), listed.scope.clone());
            leptos::task::spawn_local(async move {
                if let Err(e) = sync.put(Some(id), EVENT_COLLECTION, scope, body).await {
                    error.set(Some(
                        t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                    ));
                }
                confirm.set(false);
                pending.set(false);
            });
        }
    };
    let cancelled = listed.event.cancelled;
    view! {
        <section class="card editor-tools" aria-labelledby="editor-heading">
            <h2 id="editor-heading">{t!(i18n, editor_heading)}</h2>
            <div class="page-actions">
                <Link page=page class="button secondary">{t!(i18n, editor_edit)}</Link>
                {(!cancelled && !listed.is_draft()).then(|| view! {
                    <button type="button" class="button secondary" on:click=move |_| confirm.set(true)>
                        {t!(i18n, editor_call_off)}
                    </button>
                })}
            </div>
            {move || confirm.get().then(|| view! {
                <form class="note-form" on:submit=call_off.clone()>
                    <p role="alert">{t!(i18n, editor_call_off_confirm)}</p>
                    <div class="note-actions">
                        <Submit pending>{t!(i18n, editor_call_off_yes)}</Submit>
                        <button type="button" class="button secondary" on:click=move |_| confirm.set(false)>
                            {t!(i18n, notes_cancel)}
                        </button>
                    </div>
                </form>
            })}
            <FormError error />
            {(!listed.is_draft() && listed.event.rsvp_needed).then(|| view! {
                <AttendeeList event_id=id.clone() attendees checking_in said />
            })}
        </section>
    }
}

/// The attendee list with totals, check-in by code, and the CSV export.
#[component]
fn AttendeeList(
    event_id: String,
    attendees: Option<Attendees>,
    checking_in: Vec<String>,
    said: Said,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let parties = attendees.map(|a| a.parties).unwrap_or_default();
    let confirmed: u32 = parties
        .iter()
        .filter(|p| p.status == Status::Confirmed)
        .map(|p| p.adults + p.children)
        .sum();
    let waiting = parties
        .iter()
        .filter(|p| p.status == Status::Waitlisted)
        .count();
    let arrived: u32 = parties
        .iter()
        .filter(|p| {
            p.status == Status::Confirmed && (p.checked_in || checking_in.contains(&p.rsvp_id))
        })
        .map(|p| p.adults + p.children)
        .sum();
    let pending = RwSignal::new(false);
    let Said {
        error, done, code, ..
    } = said;
    let check_in = {
        let parties = parties.clone();
        move |e: leptos::ev::SubmitEvent| {
            if begin_submit(&e, pending) {
                return;
            }
            let typed = events::normalise_code(&code.get_untracked());
            let Some(party) = parties
                .iter()
                .find(|p| p.code == typed && !typed.is_empty())
            else {
                error.set(Some(t_string!(i18n, checkin_unknown).to_string()));
                return;
            };
            if party.status != Status::Confirmed {
                error.set(Some(
                    t_string!(i18n, checkin_not_confirmed, name = party.name.clone()).to_string(),
                ));
                return;
            }
            error.set(None);
            pending.set(true);
            let command = Command::CheckIn {
                rsvp_id: party.rsvp_id.clone(),
            };
            let message = t_string!(
                i18n,
                checkin_done,
                name = party.name.clone(),
                n = party.adults + party.children
            )
            .to_string();
            leptos::task::spawn_local(async move {
                match sync.command(&command).await {
                    Ok(()) => {
                        code.set(String::new());
                        done.set(Some(message));
                    }
                    Err(e) => error.set(Some(
                        t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                    )),
                }
                pending.set(false);
            });
        }
    };
    let csv = format!("/api/events/{event_id}/attendees.csv");
    view! {
        <h3>{t!(i18n, attendees_heading)}</h3>
        <p data-testid="attendee-totals">
            {t_string!(i18n, attendees_totals, confirmed = confirmed, waiting = waiting, arrived = arrived).to_string()}
        </p>
        <form class="form" on:submit=check_in novalidate>
            <div class="field">
                <label for="check-in-code">{t!(i18n, checkin_label)}</label>
                <p id="check-in-hint" class="field-hint">{t!(i18n, checkin_hint)}</p>
                <input id="check-in-code" autocomplete="off" autocapitalize="characters" aria-describedby="check-in-hint"
                    prop:value=move || code.get() on:input=move |e| code.set(event_target_value(&e)) />
            </div>
            <Submit pending>{t!(i18n, checkin_send)}</Submit>
        </form>
        <FormError error />
        <FormDone done />
        {if parties.is_empty() {
            view! { <p>{t!(i18n, attendees_none)}</p> }.into_any()
        } else {
            view! {
                <ul class="attendee-list" data-testid="attendees">
                    {parties.into_iter().map(|p| {
                        let state = match p.status {
                            Status::Confirmed => t_string!(i18n, rsvp_confirmed).to_string(),
                            Status::Waitlisted => t_string!(i18n, rsvp_waitlisted, n = p.position.unwrap_or(0)).to_string(),
                            Status::Cancelled => t_string!(i18n, attendees_cancelled).to_string(),
                        };
                        let arrived = if p.checked_in {
                            t_string!(i18n, checkin_arrived).to_string()
                        } else if checking_in.contains(&p.rsvp_id) {
                            t_string!(i18n, checkin_arrived_pending).to_string()
                        } else {
                            String::new()
                        };
                        view! {
                            <li>
                                <span class="attendee-name">{p.name.clone()}</span>
                                {format!(" ・ {} ・ {state} {arrived}", t_string!(i18n, rsvp_party, adults = p.adults, children = p.children))}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <p><a class="text-link" href=csv download="attendees.csv">{t!(i18n, attendees_csv)}</a></p>
    }
}
