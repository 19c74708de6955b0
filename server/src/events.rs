//! 町会・自治会 events on the server: the commands on an event's parties (参加申込, its
//! cancellation, and 受付 by an editor), decided by `domain::events` inside the push's
//! transaction. Pushes run one after another (they hold the sync counter's row), so two
//! RSVPs can never both take the last place. Each decision writes the RSVPs it changed
//! (`rsvp` records in their owners' `user:` scopes, with the check-in code), the event's
//! places (`event_places`, the event's scope), the attendee list (`event_attendees`, the
//! association's `editors:` scope) and a notice to each party a cancellation promoted.
//! Edits that move an event, or call it off, notify its parties too ([`notify_changed`]).

use domain::{
    events::{
        self, ATTENDEES_COLLECTION, Attendee, Attendees, Change, EVENT_COLLECTION, Event,
        NOTICE_COLLECTION, Notice, PLACES_COLLECTION, Party, Places, RSVP_COLLECTION, Status,
    },
    sync::{
        commands::Command,
        protocol::{Outcome, Refusal, Scope},
    },
};
use sqlx::{Any, Row, Transaction};

use crate::{
    db,
    error::AppError,
    sessions::CurrentUser,
    sync::{Reach, write_record},
};

fn refused(reason: Refusal) -> Outcome {
    Outcome::Refused { reason }
}

/// Who may write an event on the board (its public scope): admins, and the editors of
/// the association it belongs to. An event belongs to the association its first write
/// named, for ever: `owner` is `None` for a new id, `Some(owner)` for a stored one (its
/// tombstone too), and a write never moves an event to another association. An event
/// deleted before owners were kept (`Some(None)`) is left to admins.
pub fn may_write_on_board(reach: &Reach, owner: Option<Option<&str>>, new: Option<&str>) -> bool {
    let admin = reach.write.contains(&Scope::public());
    match owner {
        None => new.is_some_and(|a| admin || reach.editor_of.contains(a)),
        Some(Some(owner)) => {
            new.is_none_or(|a| a == owner) && (admin || reach.editor_of.contains(owner))
        }
        Some(None) => admin,
    }
}

fn status_text(status: Status) -> &'static str {
    match status {
        Status::Confirmed => "confirmed",
        Status::Waitlisted => "waitlisted",
        Status::Cancelled => "cancelled",
    }
}

fn status_from(text: &str) -> Status {
    match text {
        "confirmed" => Status::Confirmed,
        "waitlisted" => Status::Waitlisted,
        _ => Status::Cancelled,
    }
}

/// A live event's scope and body; `None` when there is no such event (or its body is not
/// an event the rules can read).
async fn event(
    tx: &mut Transaction<'static, Any>,
    event_id: &str,
) -> Result<Option<(Scope, Event)>, AppError> {
    let row = sqlx::query(
        "SELECT scope, body FROM sync_records WHERE id = $1 AND collection = $2 AND deleted = 0",
    )
    .bind(event_id)
    .bind(EVENT_COLLECTION)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let body: String = row.try_get("body")?;
    let Ok(event) = serde_json::from_str::<Event>(&body) else {
        return Ok(None);
    };
    Ok(Some((Scope(row.try_get("scope")?), event)))
}

/// A party as kept in `rsvps`, with what only the server and the editors see.
struct Kept {
    party: Party,
    code: String,
    checked_in: bool,
    name: String,
}

/// An event's parties in order of arrival.
async fn parties(
    tx: &mut Transaction<'static, Any>,
    event_id: &str,
) -> Result<Vec<Kept>, AppError> {
    let rows = sqlx::query(
        "SELECT r.id, r.user_id, r.adults, r.children, r.status, r.position, r.code, \
         r.checked_in, u.display_name FROM rsvps r JOIN users u ON u.id = r.user_id \
         WHERE r.event_id = $1 ORDER BY r.arrived",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Kept {
                party: Party {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    adults: row.try_get::<i32, _>("adults")?.max(0) as u32,
                    children: row.try_get::<i32, _>("children")?.max(0) as u32,
                    status: status_from(&row.try_get::<String, _>("status")?),
                    position: row
                        .try_get::<Option<i32>, _>("position")?
                        .map(|p| p.max(0) as u32),
                },
                code: row.try_get("code")?,
                checked_in: row.try_get::<i32, _>("checked_in")? != 0,
                name: row.try_get("display_name")?,
            })
        })
        .collect()
}

/// A fresh check-in code.
fn new_code() -> Result<String, AppError> {
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(events::check_in_code(random))
}

/// Decides one command; its effects are written in `tx` with versions from `seq`.
pub async fn decide(
    tx: &mut Transaction<'static, Any>,
    user: &CurrentUser,
    reach: &Reach,
    client_id: &str,
    command: Command,
    seq: &mut i64,
) -> Result<Outcome, AppError> {
    match command {
        Command::Rsvp {
            rsvp_id,
            event_id,
            adults,
            children,
        } => {
            let Some((scope, event)) = event(tx, &event_id).await? else {
                return Ok(refused(Refusal::Validation));
            };
            if !reach.read.contains(&scope) || scope.parts().0 == "editors" {
                return Ok(refused(Refusal::Permission));
            }
            // Hidden pending an admin's review: nobody new signs up meanwhile.
            if !event.rsvp_needed || crate::moderation::is_hidden(tx, &event_id).await? {
                return Ok(refused(Refusal::Closed));
            }
            let id_taken = sqlx::query("SELECT id FROM sync_records WHERE id = $1")
                .bind(&rsvp_id)
                .fetch_optional(&mut **tx)
                .await?
                .is_some()
                || sqlx::query("SELECT id FROM rsvps WHERE id = $1")
                    .bind(&rsvp_id)
                    .fetch_optional(&mut **tx)
                    .await?
                    .is_some();
            if id_taken {
                return Ok(refused(Refusal::Validation));
            }
            let places = Places::from(&event);
            let mut rows = parties(tx, &event_id).await?;
            let mut parties: Vec<Party> = rows.iter().map(|r| r.party.clone()).collect();
            let new = Party {
                id: rsvp_id,
                user_id: user.id.clone(),
                adults,
                children,
                status: Status::Waitlisted,
                position: None,
            };
            let changed = match events::rsvp(&places, &mut parties, new) {
                Ok(changed) => changed,
                Err(reason) => return Ok(refused(reason)),
            };
            let party = parties.last().expect("the new party was added");
            let code = new_code()?;
            sqlx::query(
                "INSERT INTO rsvps (id, event_id, user_id, adults, children, status, \
                 position, arrived, created_at, code) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&party.id)
            .bind(&event_id)
            .bind(&party.user_id)
            .bind(party.adults as i32)
            .bind(party.children as i32)
            .bind(status_text(party.status))
            .bind(party.position.map(|p| p as i32))
            .bind(*seq + 1)
            .bind(db::now())
            .bind(&code)
            .execute(&mut **tx)
            .await?;
            rows.push(Kept {
                party: party.clone(),
                code,
                checked_in: false,
                name: user.display_name.clone(),
            });
            let own = rows.len() - 1;
            write_changes(
                tx,
                client_id,
                seq,
                &event_id,
                Some((&scope, &event)),
                &mut rows,
                parties,
                &changed,
                Some(own),
            )
            .await
        }
        Command::CancelRsvp { rsvp_id } => {
            let event_id: Option<String> =
                sqlx::query_scalar("SELECT event_id FROM rsvps WHERE id = $1")
                    .bind(&rsvp_id)
                    .fetch_optional(&mut **tx)
                    .await?;
            let Some(event_id) = event_id else {
                return Ok(refused(Refusal::Validation));
            };
            // A deleted event still takes cancellations; nobody is promoted there and its
            // places record is left as it was.
            let live = event(tx, &event_id).await?;
            let places = match &live {
                Some((_, event)) => Places::from(event),
                None => Places {
                    capacity: Some(0),
                    ..Places::default()
                },
            };
            let mut rows = parties(tx, &event_id).await?;
            let mut parties: Vec<Party> = rows.iter().map(|r| r.party.clone()).collect();
            let changed = match events::cancel(&places, &mut parties, &rsvp_id, &user.id) {
                Ok(changed) => changed,
                Err(reason) => return Ok(refused(reason)),
            };
            let own = parties.iter().position(|p| p.id == rsvp_id);
            let live = live.as_ref().map(|(scope, event)| (scope, event));
            write_changes(
                tx, client_id, seq, &event_id, live, &mut rows, parties, &changed, own,
            )
            .await
        }
        Command::CheckIn { rsvp_id } => {
            let row = sqlx::query("SELECT event_id, status, checked_in FROM rsvps WHERE id = $1")
                .bind(&rsvp_id)
                .fetch_optional(&mut **tx)
                .await?;
            let Some(row) = row else {
                return Ok(refused(Refusal::Validation));
            };
            let event_id: String = row.try_get("event_id")?;
            let Some((scope, event)) = event(tx, &event_id).await? else {
                return Ok(refused(Refusal::Validation));
            };
            // Another association's party is answered as a missing one is.
            if !reach.editor_of.contains(&event.association_id) {
                return Ok(refused(Refusal::Validation));
            }
            if status_from(&row.try_get::<String, _>("status")?) != Status::Confirmed {
                return Ok(refused(Refusal::Validation));
            }
            if row.try_get::<i32, _>("checked_in")? != 0 {
                return Ok(Outcome::Applied { version: 0 });
            }
            sqlx::query("UPDATE rsvps SET checked_in = 1 WHERE id = $1")
                .bind(&rsvp_id)
                .execute(&mut **tx)
                .await?;
            let rows = parties(tx, &event_id).await?;
            write_attendees(tx, client_id, seq, &event_id, &scope, &event, &rows).await?;
            Ok(Outcome::Applied {
                version: *seq as u64,
            })
        }
        // Decided by `moderation::decide`, which `sync::push` calls for it.
        Command::Report { .. } => Ok(refused(Refusal::UnknownCommand)),
        Command::ReadCircular { .. } => Ok(refused(Refusal::UnknownCommand)),
    }
}

/// Writes what a decision changed: the parties' rows and `rsvp` records, notices to
/// those a cancellation confirmed (not to `own`, the party that acted), and, while the
/// event lives, its places and attendee list.
#[allow(clippy::too_many_arguments)]
async fn write_changes(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    seq: &mut i64,
    event_id: &str,
    live: Option<(&Scope, &Event)>,
    rows: &mut [Kept],
    parties: Vec<Party>,
    changed: &[usize],
    own: Option<usize>,
) -> Result<Outcome, AppError> {
    if changed.is_empty() {
        return Ok(Outcome::Applied { version: 0 });
    }
    let was: Vec<Status> = rows.iter().map(|r| r.party.status).collect();
    for (row, party) in rows.iter_mut().zip(parties) {
        row.party = party;
    }
    for &index in changed {
        let row = &rows[index];
        let party = &row.party;
        sqlx::query("UPDATE rsvps SET status = $1, position = $2 WHERE id = $3")
            .bind(status_text(party.status))
            .bind(party.position.map(|p| p as i32))
            .bind(&party.id)
            .execute(&mut **tx)
            .await?;
        let mut rsvp = party.rsvp(event_id);
        rsvp.code = Some(row.code.clone()).filter(|c| !c.is_empty());
        let body = serde_json::to_string(&rsvp).map_err(anyhow::Error::from)?;
        let owner = Scope::of("user", &party.user_id);
        write_record(
            tx,
            &party.id,
            RSVP_COLLECTION,
            &owner,
            &body,
            false,
            client_id,
            seq,
        )
        .await?;
        let promoted = was.get(index) == Some(&Status::Waitlisted)
            && party.status == Status::Confirmed
            && own != Some(index);
        if let (true, Some((_, event))) = (promoted, live) {
            let notice = Notice::about(Change::Promoted, event_id, event);
            write_notice(tx, client_id, seq, &party.user_id, &notice).await?;
        }
    }
    if let Some((scope, event)) = live {
        let parties: Vec<Party> = rows.iter().map(|r| r.party.clone()).collect();
        let taken = events::taken(event_id, &Places::from(event), &parties);
        let body = serde_json::to_string(&taken).map_err(anyhow::Error::from)?;
        let id = events::places_id(event_id);
        write_record(
            tx,
            &id,
            PLACES_COLLECTION,
            scope,
            &body,
            false,
            client_id,
            seq,
        )
        .await?;
        write_attendees(tx, client_id, seq, event_id, scope, event, rows).await?;
    }
    Ok(Outcome::Applied {
        version: *seq as u64,
    })
}

/// Writes an event's attendee list for its association's editors (published events
/// only: a draft has no parties).
async fn write_attendees(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    seq: &mut i64,
    event_id: &str,
    scope: &Scope,
    event: &Event,
    rows: &[Kept],
) -> Result<(), AppError> {
    if *scope != Scope::public() {
        return Ok(());
    }
    let list = Attendees {
        event_id: event_id.to_owned(),
        parties: rows
            .iter()
            .map(|r| Attendee {
                rsvp_id: r.party.id.clone(),
                name: r.name.clone(),
                adults: r.party.adults,
                children: r.party.children,
                status: r.party.status,
                position: r.party.position,
                code: r.code.clone(),
                checked_in: r.checked_in,
            })
            .collect(),
    };
    let body = serde_json::to_string(&list).map_err(anyhow::Error::from)?;
    let editors = Scope::of("editors", &event.association_id);
    let id = events::attendees_id(event_id);
    write_record(
        tx,
        &id,
        ATTENDEES_COLLECTION,
        &editors,
        &body,
        false,
        client_id,
        seq,
    )
    .await
}

/// Writes a notice into a resident's own scope.
async fn write_notice(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    seq: &mut i64,
    user_id: &str,
    notice: &Notice,
) -> Result<(), AppError> {
    let body = serde_json::to_string(notice).map_err(anyhow::Error::from)?;
    let owner = Scope::of("user", user_id);
    // One id per event, resident and version, in the server's namespace.
    let id = domain::sync::ids::notice_id(*seq + 1, &notice.event_id);
    write_record(
        tx,
        &id,
        NOTICE_COLLECTION,
        &owner,
        &body,
        false,
        client_id,
        seq,
    )
    .await
}

/// Tells every party still on an event's list that it moved or was called off.
pub async fn notify_changed(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    seq: &mut i64,
    changes: Vec<(String, Event, Change)>,
) -> Result<(), AppError> {
    for (event_id, event, change) in changes {
        let users: Vec<String> = sqlx::query_scalar(
            "SELECT user_id FROM rsvps WHERE event_id = $1 AND status <> 'cancelled' ORDER BY arrived",
        )
        .bind(&event_id)
        .fetch_all(&mut **tx)
        .await?;
        let notice = Notice::about(change, &event_id, &event);
        for user_id in users {
            write_notice(tx, client_id, seq, &user_id, &notice).await?;
        }
    }
    Ok(())
}

/// An RSVP made outside a push (the demo data): decided by the same rules, in a
/// transaction of its own that holds the sync counter like a push.
pub async fn seed_rsvp(
    db: &crate::db::Db,
    user_id: &str,
    display_name: &str,
    rsvp_id: &str,
    event_id: &str,
    adults: u32,
    children: u32,
) -> Result<Outcome, AppError> {
    let user = CurrentUser {
        id: user_id.to_owned(),
        display_name: display_name.to_owned(),
        roles: Vec::new(),
        session_id: String::new(),
        token_hash: String::new(),
    };
    let mut reach = Reach::default();
    reach.read.insert(Scope::public());
    let mut tx = db.begin_write().await?;
    let mut seq = crate::sync::take_counter(&mut tx).await?;
    let command = Command::Rsvp {
        rsvp_id: rsvp_id.to_owned(),
        event_id: event_id.to_owned(),
        adults,
        children,
    };
    let outcome = decide(&mut tx, &user, &reach, "demo", command, &mut seq).await?;
    crate::sync::store_counter(&mut tx, seq).await?;
    tx.commit().await?;
    Ok(outcome)
}
