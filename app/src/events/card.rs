//! One event in a list (`EventCard`), and the state words beside it (`EventBadges`).

use std::{collections::BTreeMap, sync::Arc};

use domain::{associations::Association, events::Status, moderation::By};
use leptos::prelude::*;

use super::{
    board::{Board, Listed, Mine},
    words::{category_name, lang, when},
};
use crate::{
    i18n::*,
    routing::{Id, Link, Page},
};

/// The state words shown beside an event: 中止, 下書き, 送信待ち, the person's RSVP, places.
#[component]
pub(super) fn EventBadges(listed: Listed, board: Arc<Board>) -> impl IntoView {
    let i18n = use_i18n();
    let mut badges: Vec<(String, &'static str)> = Vec::new();
    if listed.event.cancelled {
        badges.push((t_string!(i18n, event_cancelled).to_string(), "badge alert"));
    }
    if listed.is_draft() {
        badges.push((t_string!(i18n, event_draft).to_string(), "badge"));
    }
    match listed.hidden {
        Some(By::Reports) => {
            badges.push((t_string!(i18n, event_hidden).to_string(), "badge alert"));
        }
        Some(By::Admin) => {
            badges.push((
                t_string!(i18n, event_hidden_by_admin).to_string(),
                "badge alert",
            ));
        }
        None => {}
    }
    if listed.pending {
        badges.push((t_string!(i18n, badge_pending).to_string(), "badge pending"));
    }
    match board.mine.get(&listed.id) {
        Some(Mine::Waiting { .. }) => {
            badges.push((t_string!(i18n, rsvp_sending).to_string(), "badge pending"));
        }
        Some(Mine::Decided { rsvp, .. }) if rsvp.status == Status::Confirmed => {
            badges.push((t_string!(i18n, rsvp_confirmed).to_string(), "badge good"));
        }
        Some(Mine::Decided { rsvp, .. }) if rsvp.status == Status::Waitlisted => {
            let n = rsvp.position.unwrap_or(0);
            badges.push((
                t_string!(i18n, rsvp_waitlisted, n = n).to_string(),
                "badge pending",
            ));
        }
        _ => {
            if let (false, Some(taken)) = (listed.event.cancelled, board.places.get(&listed.id)) {
                match taken.left {
                    Some(0) => badges.push((t_string!(i18n, event_full).to_string(), "badge")),
                    Some(n) => badges.push((
                        t_string!(i18n, event_places_left, n = n).to_string(),
                        "badge",
                    )),
                    None => {}
                }
            }
        }
    }
    view! {
        <span class="event-badges">
            {badges
                .into_iter()
                .map(|(text, class)| view! { <span class=class>{text}</span> })
                .collect_view()}
        </span>
    }
}

/// One event in a list.
#[component]
pub(super) fn EventCard(
    listed: Listed,
    board: Arc<Board>,
    names: BTreeMap<String, Association>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = lang(i18n);
    let page = match Id::parse(&listed.id) {
        Some(id) if listed.is_draft() => Page::EventEdit(id),
        Some(id) => Page::Event(id),
        None => Page::Events,
    };
    let association = names
        .get(&listed.event.association_id)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let event = listed.event.clone();
    let title = event.title.clone();
    let place = if association.is_empty() {
        event.venue.clone()
    } else {
        format!("{} ・ {association}", event.venue)
    };
    view! {
        <li class="event-card" data-testid="event-card">
            <h3><Link page=page class="event-link">{title}</Link></h3>
            <p class="event-when">{when(&event, lang)}</p>
            <p class="event-place">{place}</p>
            <p class="event-tags">
                <span class="badge category">{category_name(event.category, lang)}</span>
                <EventBadges listed=listed.clone() board=board />
            </p>
        </li>
    }
}
