//! One event: when and where (with a plain maps link), places left, and the RSVP
//! (参加申込) made on the phone first — 「送信待ち」 until the server decides, then
//! 「参加確定」 with the check-in code to show at the door, or 「キャンセル待ち N番目」.
//! A fair (つながるフェスタ) lists its venues and their programmes. The association's
//! editors also get their tools (`editor_tools.rs`); `said.rs` keeps what the page said.

mod editor_tools;
mod said;

use std::sync::Arc;

use domain::{
    events::{self, Event, MAX_PARTY, Status},
    moderation::{By, Kind},
    sync::commands::Command,
};
use leptos::prelude::*;

use self::{editor_tools::EditorTools, said::Said};
use super::{
    board::{self, Board, Listed, Mine},
    cache::{Loaded, use_board},
    card::{EventBadges, EventCard},
    report::ReportButton,
    words::{category_name, lang, when},
};
use crate::{
    account::state::Account,
    browser,
    components::{RequireSignIn, calendar_links::AddToCalendar},
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    routing::Link,
    routing::{Id, Page},
    sync::Sync,
};

#[component]
pub fn EventPage(id: Id) -> impl IntoView {
    view! {
        <RequireSignIn heading=|i18n| t_string!(i18n, event_title)>
            <EventView id=id.to_string() />
        </RequireSignIn>
    }
}

#[component]
fn EventView(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = use_board();
    // Drawn again only when something this page shows changes, not on every sync (a
    // code being typed at the door must not be wiped by an unrelated pull).
    let found = {
        let id = id.clone();
        Memo::new(move |_| loaded.board.with(|b| focus(b, &id)))
    };
    // Hidden after residents' reports (the third reporter lands here at once), or by an
    // admin.
    let withheld = Memo::new(move |_| loaded.board.with(|b| b.withheld.get(&id).copied()));
    let said = Said::default();
    move || {
        let Some((listed, board)) = found.get() else {
            return if loaded.ready.get() {
                view! {
                    <h1>{t!(i18n, event_title)}</h1>
                    <p class="card">
                        {move || match withheld.get() {
                            Some(By::Reports) => t_string!(i18n, event_withheld),
                            Some(By::Admin) => t_string!(i18n, event_withheld_by_admin),
                            None => t_string!(i18n, event_not_here),
                        }}
                    </p>
                    <p><Link page=Page::Events class="text-link">{t!(i18n, event_back)}</Link></p>
                }
                .into_any()
            } else {
                view! {
                    <h1>{t!(i18n, event_title)}</h1>
                    <p role="status">{t!(i18n, gate_checking)}</p>
                }
                .into_any()
            };
        };
        view! { <EventBody listed board=Arc::new(board) loaded said /> }.into_any()
    }
}

/// The part of the board one event's page shows: the event, its fair and programmes,
/// their places and the person's RSVPs, and its attendee list.
fn focus(board: &Board, id: &str) -> Option<(Listed, Board)> {
    let listed = board.event(id)?.clone();
    let related: Vec<Listed> = board
        .events
        .iter()
        .filter(|l| {
            l.id == id
                || l.event.fair_id.as_deref() == Some(id)
                || listed.event.fair_id.as_deref() == Some(l.id.as_str())
        })
        .cloned()
        .collect();
    let keep = |event_id: &String| related.iter().any(|l| &l.id == event_id) || event_id == id;
    let part = Board {
        places: board
            .places
            .iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        mine: board
            .mine
            .iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        attendees: board
            .attendees
            .iter()
            .filter(|(k, _)| *k == id)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        checking_in: board.checking_in.clone(),
        withheld: Default::default(),
        events: related,
        drafts: Vec::new(),
        notices: Vec::new(),
    };
    Some((listed, part))
}

#[component]
fn EventBody(listed: Listed, board: Arc<Board>, loaded: Loaded, said: Said) -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let event = listed.event.clone();
    let id = listed.id.clone();
    let lang = lang(i18n);
    let names = loaded.names.get_untracked();
    let association = names
        .get(&event.association_id)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let edits = account
        .me()
        .is_some_and(|me| board::edited(&me).contains(&event.association_id));
    let mine = board.mine.get(&id).cloned();
    let registered = mine.as_ref().is_some_and(Mine::live);
    let taken = board.places.get(&id).cloned();
    let places = event.capacity.map(|capacity| {
        let offered = capacity - event.reserved;
        match (registered, taken.as_ref().and_then(|t| t.left)) {
            // Once registered, the person needs their own standing, not the count.
            (true, _) => t_string!(i18n, event_capacity, n = offered).to_string(),
            (false, Some(0)) => t_string!(i18n, event_capacity_full, n = offered).to_string(),
            (false, Some(left)) => {
                t_string!(i18n, event_capacity_left, n = offered, left = left).to_string()
            }
            (false, None) => t_string!(i18n, event_capacity, n = offered).to_string(),
        }
    });
    let programmes: Vec<Listed> = board
        .events
        .iter()
        .filter(|l| l.event.fair_id.as_deref() == Some(id.as_str()))
        .cloned()
        .collect();
    let fair = event
        .fair_id
        .as_ref()
        .and_then(|fair| board.events.iter().find(|l| &l.id == fair))
        .cloned();
    let map = event.map_url();
    view! {
        <h1>{event.title.clone()}</h1>
        <p class="event-tags">
            <span class="badge category">{category_name(event.category, lang)}</span>
            <EventBadges listed=listed.clone() board=board.clone() />
        </p>
        {fair.map(|fair| {
            let page = Id::parse(&fair.id).map_or(Page::Events, Page::Event);
            view! {
                <p>
                    <Link page=page class="text-link">
                        {t_string!(i18n, event_part_of, fair = fair.event.title.clone()).to_string()}
                    </Link>
                </p>
            }
        })}
        <dl class="facts event-facts">
            <dt>{t!(i18n, event_when)}</dt>
            <dd data-testid="event-when">{when(&event, lang)}</dd>
            <dt>{t!(i18n, event_where)}</dt>
            <dd>
                {event.venue.clone()}
                {(!event.address.is_empty()).then(|| view! { <br />{event.address.clone()} })}
            </dd>
            {(!event.area.is_empty()).then(|| view! {
                <dt>{t!(i18n, event_area)}</dt>
                <dd>{event.area.clone()}</dd>
            })}
            {(!association.is_empty()).then(|| view! {
                <dt>{t!(i18n, event_by)}</dt>
                <dd>{association.clone()}</dd>
            })}
            {places.map(|places| view! {
                <dt>{t!(i18n, event_places)}</dt>
                <dd data-testid="event-places">{places}</dd>
            })}
            {(!event.contact.is_empty()).then(|| view! {
                <dt>{t!(i18n, event_contact)}</dt>
                <dd>{event.contact.clone()}</dd>
            })}
        </dl>
        {map.map(|url| view! {
            <p>
                <a class="text-link" href=url target="_blank" rel="noopener noreferrer">
                    {t!(i18n, event_map)}
                </a>
            </p>
        })}
        {(!listed.is_draft()).then(|| view! { <AddToCalendar event_id=id.clone() /> })}
        {(!event.description.is_empty()).then(|| view! {
            <p class="event-description">{event.description.clone()}</p>
        })}
        {(!programmes.is_empty()).then(|| view! { <Programmes programmes board=board.clone() loaded /> })}
        {(!listed.is_draft() && event.rsvp_needed).then(|| view! {
            <Rsvp event_id=id.clone() event=event.clone() mine=mine.clone() left=taken.and_then(|t| t.left) said />
        })}
        {(!listed.is_draft() && !event.rsvp_needed && !event.cancelled).then(|| view! {
            <p class="card">{t!(i18n, event_no_rsvp)}</p>
        })}
        {(!listed.is_draft() && !edits).then(|| view! {
            <ReportButton target_id=id.clone() kind=Kind::Event />
        })}
        {edits.then(|| view! { <EditorTools listed=listed.clone() attendees=board.attendees.get(&id).cloned() checking_in=board.checking_in.clone() said /> })}
        <p><Link page=Page::Events class="text-link">{t!(i18n, event_back)}</Link></p>
    }
}

/// A fair's programmes, by venue (the ward's libraries, say).
#[component]
fn Programmes(programmes: Vec<Listed>, board: Arc<Board>, loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let mut venues: Vec<(String, Vec<Listed>)> = Vec::new();
    for listed in programmes {
        match venues.iter_mut().find(|(v, _)| *v == listed.event.venue) {
            Some((_, list)) => list.push(listed),
            None => venues.push((listed.event.venue.clone(), vec![listed])),
        }
    }
    let names = loaded.names.get_untracked();
    view! {
        <section class="card" aria-labelledby="programmes-heading">
            <h2 id="programmes-heading">{t!(i18n, event_programmes)}</h2>
            <p>{t_string!(i18n, event_programmes_lead, n = venues.len()).to_string()}</p>
            {venues.into_iter().map(|(venue, list)| view! {
                <h3 class="month-day">{venue}</h3>
                <ul class="event-list" data-testid="programme">
                    {list.into_iter().map(|listed| view! {
                        <EventCard listed board=board.clone() names=names.clone() />
                    }).collect_view()}
                </ul>
            }).collect_view()}
        </section>
    }
}

/// The RSVP: a form, or where the person stands and a way to cancel.
#[component]
fn Rsvp(
    event_id: String,
    event: Event,
    mine: Option<Mine>,
    left: Option<u32>,
    said: Said,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let adults = RwSignal::new(String::from("1"));
    let children = RwSignal::new(String::from("0"));
    let pending = RwSignal::new(false);
    let (error, done) = (said.rsvp_error, said.rsvp_done);
    let confirm_cancel = RwSignal::new(false);
    let send = {
        let event_id = event_id.clone();
        move |e: leptos::ev::SubmitEvent| {
            if begin_submit(&e, pending) {
                return;
            }
            let count = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().ok();
            let (Some(a), Some(c)) = (count(adults), count(children)) else {
                error.set(Some(
                    t_string!(i18n, rsvp_headcount_invalid, max = MAX_PARTY).to_string(),
                ));
                return;
            };
            if events::check_headcount(a, c).is_err() {
                error.set(Some(
                    t_string!(i18n, rsvp_headcount_invalid, max = MAX_PARTY).to_string(),
                ));
                return;
            }
            error.set(None);
            pending.set(true);
            let command = Command::Rsvp {
                rsvp_id: browser::new_record_id(),
                event_id: event_id.clone(),
                adults: a,
                children: c,
            };
            leptos::task::spawn_local(async move {
                match sync.command(&command).await {
                    Ok(()) => done.set(Some(t_string!(i18n, rsvp_saved).to_string())),
                    Err(e) => error.set(Some(
                        t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                    )),
                }
                pending.set(false);
            });
        }
    };
    let cancel = move |rsvp_id: String| {
        move |e: leptos::ev::SubmitEvent| {
            if begin_submit(&e, pending) {
                return;
            }
            pending.set(true);
            let command = Command::CancelRsvp {
                rsvp_id: rsvp_id.clone(),
            };
            leptos::task::spawn_local(async move {
                if let Err(e) = sync.command(&command).await {
                    error.set(Some(
                        t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                    ));
                }
                confirm_cancel.set(false);
                pending.set(false);
            });
        }
    };
    let cancel_form = move |rsvp_id: String| {
        view! {
            {move || if confirm_cancel.get() {
                view! {
                    <form class="note-form" on:submit=cancel(rsvp_id.clone())>
                        <p role="alert">{t!(i18n, rsvp_cancel_confirm)}</p>
                        <div class="note-actions">
                            <Submit pending>{t!(i18n, rsvp_cancel_yes)}</Submit>
                            <button type="button" class="button secondary" on:click=move |_| confirm_cancel.set(false)>
                                {t!(i18n, notes_cancel)}
                            </button>
                        </div>
                    </form>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button secondary" on:click=move |_| confirm_cancel.set(true)>
                        {t!(i18n, rsvp_cancel)}
                    </button>
                }.into_any()
            }}
        }
    };
    let party =
        move |a: u32, c: u32| t_string!(i18n, rsvp_party, adults = a, children = c).to_string();
    let body = match mine {
        _ if event.cancelled => view! { <p role="status">{t!(i18n, rsvp_event_cancelled)}</p> }.into_any(),
        Some(Mine::Waiting { adults: a, children: c, .. }) => view! {
            <p class="rsvp-state pending" role="status" data-testid="rsvp-state">{t!(i18n, rsvp_sending)}</p>
            <p>{party(a, c)}</p>
            <p>{t!(i18n, rsvp_sending_lead)}</p>
        }
        .into_any(),
        Some(Mine::Decided { rsvp_id, rsvp, cancelling }) if rsvp.status != Status::Cancelled => {
            if cancelling {
                view! {
                    <p class="rsvp-state pending" role="status" data-testid="rsvp-state">{t!(i18n, rsvp_cancel_sending)}</p>
                }
                .into_any()
            } else if rsvp.status == Status::Confirmed {
                let code = rsvp.code.as_deref().map(events::show_code).unwrap_or_default();
                view! {
                    <p class="rsvp-state good" role="status" data-testid="rsvp-state">{t!(i18n, rsvp_confirmed)}</p>
                    <p>{party(rsvp.adults, rsvp.children)}</p>
                    <p>{t!(i18n, rsvp_code_lead)}</p>
                    <p class="check-in-code" data-testid="check-in-code" aria-label=move || t_string!(i18n, rsvp_code_label)>{code}</p>
                    {cancel_form(rsvp_id)}
                }
                .into_any()
            } else {
                let n = rsvp.position.unwrap_or(0);
                view! {
                    <p class="rsvp-state pending" role="status" data-testid="rsvp-state">
                        {t_string!(i18n, rsvp_waitlisted, n = n).to_string()}
                    </p>
                    <p>{party(rsvp.adults, rsvp.children)}</p>
                    <p>{t!(i18n, rsvp_waitlisted_lead)}</p>
                    {cancel_form(rsvp_id)}
                }
                .into_any()
            }
        }
        _ => view! {
            {(left == Some(0)).then(|| view! { <p>{t!(i18n, rsvp_full_lead)}</p> })}
            <form class="form rsvp-form" on:submit=send novalidate>
                <div class="field">
                    <label for="rsvp-adults">{t!(i18n, rsvp_adults)}</label>
                    <input id="rsvp-adults" type="number" inputmode="numeric" min="0" max=MAX_PARTY.to_string()
                        prop:value=move || adults.get() on:input=move |e| adults.set(event_target_value(&e)) />
                </div>
                <div class="field">
                    <label for="rsvp-children">{t!(i18n, rsvp_children)}</label>
                    <input id="rsvp-children" type="number" inputmode="numeric" min="0" max=MAX_PARTY.to_string()
                        prop:value=move || children.get() on:input=move |e| children.set(event_target_value(&e)) />
                </div>
                <Submit pending>{t!(i18n, rsvp_send)}</Submit>
            </form>
        }
        .into_any(),
    };
    view! {
        <section class="card rsvp" aria-labelledby="rsvp-heading">
            <h2 id="rsvp-heading">{t!(i18n, rsvp_heading)}</h2>
            {body}
            <FormError error />
            <FormDone done />
        </section>
    }
}
