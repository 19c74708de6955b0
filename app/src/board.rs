//! The 町会 event board as this phone holds it: the published events, the drafts of the
//! associations this person edits, the places left, their own RSVPs (with what is still
//! waiting to be sent), notices, and, for editors, attendee lists. Read from the sync
//! store in one pass; the pages filter and draw it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use domain::{
    accounts::Me,
    associations::{Association, AssociationRole},
    events::{
        ATTENDEES_COLLECTION, Attendees, EVENT_COLLECTION, Event, NOTICE_COLLECTION, Notice,
        PLACES_COLLECTION, RSVP_COLLECTION, Rsvp, Status, Taken,
    },
    moderation::MODERATION_COLLECTION,
    sync::{commands::Command, protocol::Scope, view::Item},
};

use crate::{api, browser, pages::report::hidden_targets, sync::Sync};

/// An event on the board (or a draft).
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub id: String,
    pub event: Event,
    pub scope: Scope,
    /// A change to it waits to be sent (「送信待ち」).
    pub pending: bool,
    /// Its words, folded for search ([`domain::search`]).
    pub folded: String,
    /// Hidden after residents' reports, until an admin looks (only its association's
    /// editors still see it, marked so).
    pub hidden: bool,
}

impl Listed {
    pub fn is_draft(&self) -> bool {
        self.scope != Scope::public()
    }
}

/// Where this person stands at an event.
#[derive(Debug, Clone, PartialEq)]
pub enum Mine {
    /// Sent from this phone; the server has not decided yet (「送信待ち」).
    Waiting {
        rsvp_id: String,
        adults: u32,
        children: u32,
    },
    /// Decided by the server; `cancelling` when a cancellation waits to be sent.
    Decided {
        rsvp_id: String,
        rsvp: Rsvp,
        cancelling: bool,
    },
}

impl Mine {
    /// A live RSVP (not cancelled, nor being cancelled).
    pub fn live(&self) -> bool {
        match self {
            Mine::Waiting { .. } => true,
            Mine::Decided {
                rsvp, cancelling, ..
            } => rsvp.status != Status::Cancelled && !cancelling,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Board {
    /// Published events, soonest first.
    pub events: Vec<Listed>,
    /// Drafts of the associations this person edits, newest first.
    pub drafts: Vec<Listed>,
    pub places: HashMap<String, Taken>,
    /// This person's RSVP at each event (the latest live one, else the latest).
    pub mine: HashMap<String, Mine>,
    pub notices: Vec<(String, Notice)>,
    /// Attendee lists of the events this person edits.
    pub attendees: HashMap<String, Attendees>,
    /// Check-ins typed on this phone and not sent yet, by RSVP id.
    pub checking_in: Vec<String>,
    /// Published events left out because moderation hides them from this person, so
    /// their page can say why rather than "not found".
    pub withheld: BTreeSet<String>,
}

impl Board {
    pub fn event(&self, id: &str) -> Option<&Listed> {
        self.events
            .iter()
            .chain(&self.drafts)
            .find(|listed| listed.id == id)
    }
}

fn parse<T: serde::de::DeserializeOwned>(item: &Item) -> Option<T> {
    T::deserialize(&item.record.body).ok()
}

fn listed(items: Vec<Item>) -> Vec<Listed> {
    items
        .into_iter()
        .filter_map(|item| {
            let event: Event = parse(&item)?;
            Some(Listed {
                folded: event.search_text(),
                id: item.record.id,
                scope: item.record.scope,
                pending: item.pending,
                hidden: false,
                event,
            })
        })
        .collect()
}

/// The associations this person edits.
pub fn edited(me: &Me) -> Vec<String> {
    me.associations
        .iter()
        .filter(|a| a.role == AssociationRole::Editor)
        .map(|a| a.association_id.clone())
        .collect()
}

/// Reads the board from this phone's store.
pub async fn load(me: &Me) -> Result<Board, String> {
    let public = Scope::public();
    let own = Scope::of("user", &me.id);
    let mut board = Board::default();
    let [events, places, moderation] = Sync::items_of(
        [EVENT_COLLECTION, PLACES_COLLECTION, MODERATION_COLLECTION],
        &public,
    )
    .await
    .map_err(|e| e.0)?;
    let hidden = hidden_targets(&moderation);
    let mine = edited(me);
    let mut events = listed(events);
    events.retain_mut(|l| {
        l.hidden = hidden.contains(&l.id);
        let shown = !l.hidden || mine.contains(&l.event.association_id);
        if !shown {
            board.withheld.insert(l.id.clone());
        }
        shown
    });
    events.sort_by(|a, b| {
        (&a.event.start_date, &a.event.start_time, &a.id).cmp(&(
            &b.event.start_date,
            &b.event.start_time,
            &b.id,
        ))
    });
    board.events = events;
    for item in places {
        if let Some(taken) = parse::<Taken>(&item) {
            board.places.insert(taken.event_id.clone(), taken);
        }
    }
    let pending = Sync::pending_commands().await.map_err(|e| e.0)?;
    let cancelling: Vec<&str> = pending
        .iter()
        .filter_map(|c| match c {
            Command::CancelRsvp { rsvp_id } => Some(rsvp_id.as_str()),
            _ => None,
        })
        .collect();
    let [rsvps, notices] = Sync::items_of([RSVP_COLLECTION, NOTICE_COLLECTION], &own)
        .await
        .map_err(|e| e.0)?;
    for item in rsvps {
        let Some(rsvp) = parse::<Rsvp>(&item) else {
            continue;
        };
        let mine = Mine::Decided {
            cancelling: cancelling.contains(&item.record.id.as_str()),
            rsvp_id: item.record.id,
            rsvp,
        };
        let event_id = match &mine {
            Mine::Decided { rsvp, .. } => rsvp.event_id.clone(),
            Mine::Waiting { .. } => continue,
        };
        // A live RSVP wins over an earlier cancelled one.
        if board.mine.get(&event_id).is_none_or(|old| !old.live()) {
            board.mine.insert(event_id, mine);
        }
    }
    for command in &pending {
        match command {
            Command::Rsvp {
                rsvp_id,
                event_id,
                adults,
                children,
            } if board.mine.get(event_id).is_none_or(|old| !old.live()) => {
                board.mine.insert(
                    event_id.clone(),
                    Mine::Waiting {
                        rsvp_id: rsvp_id.clone(),
                        adults: *adults,
                        children: *children,
                    },
                );
            }
            Command::CheckIn { rsvp_id } => board.checking_in.push(rsvp_id.clone()),
            _ => {}
        }
    }
    for item in notices {
        if item.pending {
            // Being dismissed: gone for the person already.
            continue;
        }
        if let Some(notice) = parse::<Notice>(&item) {
            board.notices.push((item.record.id, notice));
        }
    }
    for association in edited(me) {
        let editors = Scope::of("editors", &association);
        let [drafts, lists] = Sync::items_of([EVENT_COLLECTION, ATTENDEES_COLLECTION], &editors)
            .await
            .map_err(|e| e.0)?;
        board.drafts.extend(listed(drafts));
        for item in lists {
            if let Some(list) = parse::<Attendees>(&item) {
                board.attendees.insert(list.event_id.clone(), list);
            }
        }
    }
    Ok(board)
}

const ASSOCIATIONS_KEY: &str = "tsunagaru.associations";

/// Association names by id: kept on the phone from the last time it was online, so the
/// board reads offline; refreshed in the background.
pub fn association_names() -> BTreeMap<String, Association> {
    browser::local_get(ASSOCIATIONS_KEY)
        .and_then(|text| serde_json::from_str::<Vec<Association>>(&text).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect()
}

/// Fetches the associations and keeps them; `None` when offline or refused.
pub async fn refresh_association_names() -> Option<BTreeMap<String, Association>> {
    let list = api::associations().await.ok()?;
    if let Ok(text) = serde_json::to_string(&list) {
        browser::local_set(ASSOCIATIONS_KEY, &text);
    }
    Some(list.into_iter().map(|a| (a.id.clone(), a)).collect())
}
