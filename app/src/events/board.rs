//! The 町会 event board as this phone holds it: the published events, the drafts of the
//! associations this person edits, the places left, their own RSVPs (with what is still
//! waiting to be sent), notices, and, for editors, attendee lists. Read from the sync
//! store in one pass; the pages filter and draw it.

use std::{
    collections::{BTreeMap, HashMap},
    sync::OnceLock,
};

use domain::{
    accounts::Me,
    associations::{Association, AssociationRole},
    events::{
        ATTENDEES_COLLECTION, Attendees, EVENT_COLLECTION, Event, NOTICE_COLLECTION, Notice,
        PLACES_COLLECTION, RSVP_COLLECTION, Rsvp, Status, Taken,
    },
    moderation::{By, MODERATION_COLLECTION, Moderation},
    sync::{
        commands::Command,
        protocol::{Mutation, Scope},
        view::{self, Item, Parsed},
    },
};

use crate::{
    api, browser,
    sync::{Sync, commands},
    sync_store::ScopesRead,
};

/// An event on the board (or a draft).
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: String,
    pub event: Event,
    pub scope: Scope,
    /// A change to it waits to be sent (「送信待ち」).
    pub pending: bool,
    /// Hidden by moderation, and by whom: residents' reports, until an admin looks, or
    /// an admin (only its association's editors still see it, marked so).
    pub hidden: Option<By>,
    /// Its words, folded for search ([`domain::search`]): made the first time a search
    /// asks, not for each of thousands of events while the board is read.
    folded: OnceLock<String>,
}

/// Equal when what is listed is: the folded words follow from the event.
impl PartialEq for Listed {
    fn eq(&self, other: &Listed) -> bool {
        self.id == other.id
            && self.event == other.event
            && self.scope == other.scope
            && self.pending == other.pending
            && self.hidden == other.hidden
    }
}

impl Listed {
    pub fn new(id: String, event: Event, scope: Scope, pending: bool) -> Listed {
        Listed {
            id,
            event,
            scope,
            pending,
            hidden: None,
            folded: OnceLock::new(),
        }
    }

    pub fn is_draft(&self) -> bool {
        self.scope != Scope::public()
    }

    /// Its words, folded for search ([`domain::search`]).
    pub fn folded(&self) -> &str {
        self.folded.get_or_init(|| self.event.search_text())
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
    /// Published events left out because moderation hides them from this person (and by
    /// whom), so their page can say why rather than "not found".
    pub withheld: BTreeMap<String, By>,
}

impl Board {
    pub fn event(&self, id: &str) -> Option<&Listed> {
        self.events
            .iter()
            .chain(&self.drafts)
            .find(|listed| listed.id == id)
    }
}

/// A record's body as `T`; the few records other than events are read this way (events,
/// thousands, are parsed straight from their stored text: [`view::parsed_items`]).
fn parse<T: serde::de::DeserializeOwned>(item: &Item) -> Option<T> {
    T::deserialize(&item.record.body).ok()
}

fn listed(items: Vec<Parsed<Event>>) -> Vec<Listed> {
    items
        .into_iter()
        .map(|item| Listed::new(item.id, item.value, item.scope, item.pending))
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

/// Reads the board from this phone's store: every scope it shows and the outbox in one
/// read, each event's body parsed once, straight into an [`Event`].
pub async fn load(me: &Me) -> Result<Board, String> {
    start(me).finish().await
}

/// [`load`] started now: the store's requests are made at once, so IndexedDB works on
/// them while the page is drawn.
pub fn start(me: &Me) -> Reading {
    let public = Scope::public();
    let own = Scope::of("user", &me.id);
    let mine = edited(me);
    let editors: Vec<Scope> = mine.iter().map(|a| Scope::of("editors", a)).collect();
    let scopes: Vec<Scope> = [public.clone(), own.clone()]
        .into_iter()
        .chain(editors.iter().cloned())
        .collect();
    Reading {
        read: Sync::read(&scopes).map_err(|e| e.0),
        public,
        own,
        mine,
        editors,
    }
}

/// A read of the board under way ([`start`]).
pub struct Reading {
    read: Result<ScopesRead, String>,
    public: Scope,
    own: Scope,
    mine: Vec<String>,
    editors: Vec<Scope>,
}

impl Reading {
    pub async fn finish(self) -> Result<Board, String> {
        let (texts, outbox) = self.read?.finish().await.map_err(|e| e.0)?;
        load_from(
            &texts,
            &outbox,
            &self.public,
            &self.own,
            &self.mine,
            &self.editors,
        )
        .map_err(|e| format!("stored data could not be read: {e}"))
    }
}

/// The board from the stored records of the public scope, the person's own, and the
/// editors' scope of each association they edit (`texts`, in that order), with the outbox.
fn load_from(
    texts: &[Vec<String>],
    outbox: &[Mutation],
    public: &Scope,
    own: &Scope,
    mine: &[String],
    editors: &[Scope],
) -> Result<Board, serde_json::Error> {
    let read = |n: usize| view::newest(texts.get(n).map_or(&[][..], Vec::as_slice));
    let mut board = Board::default();
    let shared = read(0)?;
    let hidden = hidden_targets(&view::stored_items(
        &shared,
        outbox,
        MODERATION_COLLECTION,
        public,
    )?);
    let mut events = listed(view::parsed_items(
        &shared,
        outbox,
        EVENT_COLLECTION,
        public,
    )?);
    events.retain_mut(|l| {
        l.hidden = hidden.get(&l.id).copied();
        let shown = l.hidden.is_none() || mine.contains(&l.event.association_id);
        if let (false, Some(by)) = (shown, l.hidden) {
            board.withheld.insert(l.id.clone(), by);
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
    for item in view::stored_items(&shared, outbox, PLACES_COLLECTION, public)? {
        if let Some(taken) = parse::<Taken>(&item) {
            board.places.insert(taken.event_id.clone(), taken);
        }
    }
    let pending = commands(outbox);
    let cancelling: Vec<&str> = pending
        .iter()
        .filter_map(|c| match c {
            Command::CancelRsvp { rsvp_id } => Some(rsvp_id.as_str()),
            _ => None,
        })
        .collect();
    let personal = read(1)?;
    for item in view::stored_items(&personal, outbox, RSVP_COLLECTION, own)? {
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
    for item in view::stored_items(&personal, outbox, NOTICE_COLLECTION, own)? {
        if item.pending {
            // Being dismissed: gone for the person already.
            continue;
        }
        if let Some(notice) = parse::<Notice>(&item) {
            board.notices.push((item.record.id, notice));
        }
    }
    for (n, scope) in editors.iter().enumerate() {
        let stored = read(2 + n)?;
        board.drafts.extend(listed(view::parsed_items(
            &stored,
            outbox,
            EVENT_COLLECTION,
            scope,
        )?));
        for item in view::stored_items(&stored, outbox, ATTENDEES_COLLECTION, scope)? {
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

/// The targets hidden now among a scope's records (`Moderation::hidden_by` is the rule),
/// with who hid them: residents' reports waiting for an admin, or an admin's decision.
/// Deleted records and records of other collections hide nothing.
fn hidden_targets(items: &[Item]) -> BTreeMap<String, By> {
    items
        .iter()
        .filter(|item| item.record.collection == MODERATION_COLLECTION && !item.record.deleted)
        .filter_map(|item| serde_json::from_value::<Moderation>(item.record.body.clone()).ok())
        .filter_map(|m| Some((m.hidden_by()?, m.target_id)))
        .map(|(by, target)| (target, by))
        .collect()
}

#[cfg(test)]
mod tests {
    use domain::sync::protocol::Record;
    use serde_json::json;

    use super::*;

    fn item(id: &str, body: serde_json::Value, deleted: bool) -> Item {
        Item {
            record: Record {
                id: id.into(),
                collection: MODERATION_COLLECTION.into(),
                scope: Scope::public(),
                version: 1,
                deleted,
                body,
            },
            pending: false,
        }
    }

    #[test]
    fn only_targets_moderation_hides_now_are_left_out() {
        let items = [
            item(
                "mod-e1",
                json!({"target_id": "e1", "hidden": true, "by": "reports"}),
                false,
            ),
            item(
                "mod-e2",
                json!({"target_id": "e2", "hidden": false, "by": "admin"}),
                false,
            ),
            item(
                "mod-e3",
                json!({"target_id": "e3", "hidden": true, "by": "admin"}),
                true,
            ),
            item("mod-e4", json!({"unexpected": 1}), false),
        ];
        assert_eq!(
            hidden_targets(&items),
            BTreeMap::from([("e1".to_owned(), By::Reports)])
        );
    }
}
