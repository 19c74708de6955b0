//! 町会・自治会 events on the server. So far the RSVP commands (参加申込 and its
//! cancellation), decided by `domain::events` inside the push's transaction: pushes run
//! one after another (they hold the sync counter's row), so two RSVPs can never both take
//! the last place. Each decision writes the RSVPs it changed (`rsvp` records in their
//! owners' `user:` scopes) and the event's places (`event_places`, the event's scope).

use domain::{
    events::{self, EVENT_COLLECTION, PLACES_COLLECTION, Party, Places, RSVP_COLLECTION, Status},
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

/// An event's scope and places; `None` when there is no such live event.
async fn event(
    tx: &mut Transaction<'static, Any>,
    event_id: &str,
) -> Result<Option<(Scope, Places)>, AppError> {
    let row = sqlx::query(
        "SELECT scope, body FROM sync_records WHERE id = $1 AND collection = $2 AND deleted = 0",
    )
    .bind(event_id)
    .bind(EVENT_COLLECTION)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let body: String = row.try_get("body")?;
    // An event body the RSVP rules cannot read (a negative capacity, say) takes no RSVPs.
    let Ok(places) = serde_json::from_str::<Places>(&body) else {
        return Ok(None);
    };
    Ok(Some((Scope(row.try_get("scope")?), places)))
}

/// An event's parties in order of arrival.
async fn parties(
    tx: &mut Transaction<'static, Any>,
    event_id: &str,
) -> Result<Vec<Party>, AppError> {
    let rows = sqlx::query(
        "SELECT id, user_id, adults, children, status, position FROM rsvps \
         WHERE event_id = $1 ORDER BY arrived",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Party {
                id: row.try_get("id")?,
                user_id: row.try_get("user_id")?,
                adults: row.try_get::<i32, _>("adults")?.max(0) as u32,
                children: row.try_get::<i32, _>("children")?.max(0) as u32,
                status: status_from(&row.try_get::<String, _>("status")?),
                position: row
                    .try_get::<Option<i32>, _>("position")?
                    .map(|p| p.max(0) as u32),
            })
        })
        .collect()
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
    let (event_id, scope, places, mut parties, changed) = match command {
        Command::Rsvp {
            rsvp_id,
            event_id,
            adults,
            children,
        } => {
            let Some((scope, places)) = event(tx, &event_id).await? else {
                return Ok(refused(Refusal::Validation));
            };
            if !reach.read.contains(&scope) {
                return Ok(refused(Refusal::Permission));
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
            let mut parties = parties(tx, &event_id).await?;
            let new = Party {
                id: rsvp_id,
                user_id: user.id.clone(),
                adults,
                children,
                status: Status::Waitlisted,
                position: None,
            };
            match events::rsvp(&places, &mut parties, new) {
                Ok(changed) => {
                    let party = parties.last().expect("the new party was added");
                    sqlx::query(
                        "INSERT INTO rsvps (id, event_id, user_id, adults, children, status, \
                         position, arrived, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
                    .execute(&mut **tx)
                    .await?;
                    (event_id, Some(scope), places, parties, changed)
                }
                Err(reason) => return Ok(refused(reason)),
            }
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
            let (scope, places) = match event(tx, &event_id).await? {
                Some((scope, places)) => (Some(scope), places),
                None => (
                    None,
                    Places {
                        capacity: Some(0),
                        ..Places::default()
                    },
                ),
            };
            let mut parties = parties(tx, &event_id).await?;
            match events::cancel(&places, &mut parties, &rsvp_id, &user.id) {
                Ok(changed) => (event_id, scope, places, parties, changed),
                Err(reason) => return Ok(refused(reason)),
            }
        }
    };
    if changed.is_empty() {
        return Ok(Outcome::Applied { version: 0 });
    }
    for index in changed {
        let party = &mut parties[index];
        sqlx::query("UPDATE rsvps SET status = $1, position = $2 WHERE id = $3")
            .bind(status_text(party.status))
            .bind(party.position.map(|p| p as i32))
            .bind(&party.id)
            .execute(&mut **tx)
            .await?;
        let body = serde_json::to_string(&party.rsvp(&event_id)).map_err(anyhow::Error::from)?;
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
    }
    if let Some(scope) = scope {
        let taken = events::taken(&event_id, &places, &parties);
        let body = serde_json::to_string(&taken).map_err(anyhow::Error::from)?;
        let id = events::places_id(&event_id);
        write_record(
            tx,
            &id,
            PLACES_COLLECTION,
            &scope,
            &body,
            false,
            client_id,
            seq,
        )
        .await?;
    }
    Ok(Outcome::Applied {
        version: *seq as u64,
    })
}
