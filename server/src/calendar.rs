//! Calendar files (.ics, RFC 5545) of the event board: one published event to download,
//! a subscribable feed per association, and a person's private "my RSVPs" feed behind a
//! secret address. Only published events are ever exported here — never drafts, hidden
//! events or anything from the handbook — and a feed secret never reaches a log.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::Engine;
use domain::{
    ErrorCode,
    calendar::{CalendarFeed, CalendarFeedStatus},
    events::{EVENT_COLLECTION, Event},
};
use icalendar::{Calendar, Component, EventLike, Property};
use sqlx::Row;

use crate::{AppState, db, error::AppError, sessions, sessions::CurrentUser};

pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";
/// Where private feeds live; the rest of such a path is the secret.
pub const FEED_PREFIX: &str = "/api/cal/u/";
/// The moderation records that hide an event: `mod-<event id>` with `"hidden": true`.
const MODERATION_COLLECTION: &str = "moderation";
const TZID: &str = "Asia/Tokyo";
/// Japan has kept +09:00 all year since 1951, so one STANDARD block covers every date.
/// The icalendar crate cannot write a VTIMEZONE, so it goes in as text.
const VTIMEZONE_TOKYO: &str = "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\n\
    DTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\n\
    END:STANDARD\r\nEND:VTIMEZONE\r\n";
/// RFC 5545 §3.1: a content line is at most 75 octets, not counting its CRLF.
const LINE_LIMIT: usize = 75;

/// A published event as the board stores it.
struct Published {
    id: String,
    version: i64,
    updated_at: String,
    event: Event,
}

/// What a private feed adds about the person's own RSVP.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rsvp {
    None,
    Confirmed,
    Waitlisted,
}

/// Which published events a calendar file holds.
#[derive(Clone, Copy)]
enum Selection<'a> {
    /// One event, by id.
    One(&'a str),
    /// An association's events.
    Association(&'a str),
    /// The events a person has a live RSVP for (confirmed or waiting), by user id.
    RsvpsOf(&'a str),
}

/// Published events: public scope, not deleted, not hidden by a moderator (whether or not
/// any moderation record exists), with the person's RSVP for [`Selection::RsvpsOf`].
/// Ordered by start.
async fn published(
    state: &AppState,
    selection: Selection<'_>,
) -> Result<Vec<(Published, Rsvp)>, AppError> {
    let (rsvp_column, join, filter, bind) = match selection {
        Selection::One(id) => ("", "", "AND r.id = $1", Some(id)),
        Selection::Association(_) => ("", "", "", None),
        Selection::RsvpsOf(user_id) => (
            ", x.status AS rsvp",
            "JOIN rsvps x ON x.event_id = r.id AND x.user_id = $1 \
             AND x.status IN ('confirmed', 'waitlisted')",
            "",
            Some(user_id),
        ),
    };
    let sql = format!(
        "SELECT r.id, r.version, r.updated_at, r.body, m.body AS moderation{rsvp_column} \
         FROM sync_records r \
         LEFT JOIN sync_records m ON m.id = 'mod-' || r.id \
              AND m.collection = '{MODERATION_COLLECTION}' AND m.deleted = 0 \
         {join} \
         WHERE r.collection = '{EVENT_COLLECTION}' AND r.scope = 'public' AND r.deleted = 0 \
         {filter}"
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    if let Some(value) = bind {
        query = query.bind(value.to_owned());
    }
    let rows = query.fetch_all(&state.db.pool).await?;
    let mut events: Vec<(Published, Rsvp)> = Vec::new();
    for row in rows {
        let id: String = row.try_get("id")?;
        if let Some(moderation) = row.try_get::<Option<String>, _>("moderation")?
            && hidden(&moderation)
        {
            continue;
        }
        // A body this server cannot read (an older or newer shape) is left out rather
        // than failing the whole feed.
        let Ok(event) = serde_json::from_str::<Event>(&row.try_get::<String, _>("body")?) else {
            continue;
        };
        if let Selection::Association(association) = selection
            && event.association_id != association
        {
            continue;
        }
        let rsvp = if rsvp_column.is_empty() {
            Rsvp::None
        } else if row.try_get::<String, _>("rsvp")? == "confirmed" {
            Rsvp::Confirmed
        } else {
            Rsvp::Waitlisted
        };
        if event.span().is_none() || events.iter().any(|(e, _)| e.id == id) {
            continue;
        }
        events.push((
            Published {
                id,
                version: row.try_get("version")?,
                updated_at: row.try_get("updated_at")?,
                event,
            },
            rsvp,
        ));
    }
    events.sort_by(|(a, _), (b, _)| {
        (&a.event.start_date, &a.event.start_time, &a.id).cmp(&(
            &b.event.start_date,
            &b.event.start_time,
            &b.id,
        ))
    });
    Ok(events)
}

/// Whether a moderation record's body hides its event.
fn hidden(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("hidden").and_then(serde_json::Value::as_bool))
        .unwrap_or(false)
}

/// The site's address for links inside calendar files: the configured public origin,
/// else the request's `Host` (plain http only for this machine itself).
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(origin) = &state.security.public_origin {
        return origin.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let local =
        host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]");
    format!("{}://{host}", if local { "http" } else { "https" })
}

/// `2026-12-06` → `20261206`.
fn ics_date(date: &str) -> String {
    date.replace('-', "")
}

/// `2026-12-06`, `09:00` → `20261206T090000`.
fn ics_local(date: &str, time: &str) -> String {
    format!("{}T{}00", ics_date(date), time.replace(':', ""))
}

/// The day after `date`, `YYYYMMDD`: DTEND of an all-day event is exclusive.
fn day_after(date: &str) -> Option<String> {
    let date: jiff::civil::Date = date.parse().ok()?;
    Some(date.tomorrow().ok()?.strftime("%Y%m%d").to_string())
}

/// Text as a property value may carry it: lines end in LF (the crate escapes those),
/// and no other control characters.
fn plain(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect()
}

/// TEXT escaping (RFC 5545 §3.3.11) for properties the crate does not know as TEXT.
fn escape_text(text: &str) -> String {
    plain(text)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// One VEVENT. UID, DTSTAMP and SEQUENCE are set here, so the same record always
/// gives the same text (the crate would otherwise invent a UID and stamp the time).
fn vevent(published: &Published, origin: &str, rsvp: Rsvp) -> Option<icalendar::Event> {
    let e = &published.event;
    let page = format!("{origin}/events/{}", published.id);
    let stamp = db::parse_timestamp(&published.updated_at)?
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let mut summary = plain(&e.title);
    if rsvp == Rsvp::Waitlisted && !e.cancelled {
        summary = format!("【キャンセル待ち】{summary}");
    }
    // Some calendar apps show no STATUS at all: say it in the title too.
    if e.cancelled {
        summary = format!("【中止】{summary}");
    }
    let location = [e.venue.as_str(), e.address.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let description = if e.description.is_empty() {
        page.clone()
    } else {
        format!("{}\n\n{page}", plain(&e.description))
    };
    let (start, end) = match (&e.start_time, &e.end_time) {
        (Some(start), Some(end)) => (
            Property::new("DTSTART", ics_local(&e.start_date, start))
                .add_parameter("TZID", TZID)
                .done(),
            Property::new("DTEND", ics_local(&e.end_date, end))
                .add_parameter("TZID", TZID)
                .done(),
        ),
        _ => (
            Property::new("DTSTART", ics_date(&e.start_date))
                .add_parameter("VALUE", "DATE")
                .done(),
            Property::new("DTEND", day_after(&e.end_date)?)
                .add_parameter("VALUE", "DATE")
                .done(),
        ),
    };
    let status = if e.cancelled {
        icalendar::EventStatus::Cancelled
    } else if rsvp == Rsvp::Waitlisted {
        icalendar::EventStatus::Tentative
    } else {
        icalendar::EventStatus::Confirmed
    };
    Some(
        icalendar::Event::new()
            .uid(&format!("{}@tsunagaru", published.id))
            .add_property("DTSTAMP", stamp)
            .sequence(u32::try_from(published.version).unwrap_or(u32::MAX))
            .append_property(start)
            .append_property(end)
            .summary(&summary)
            .location(&plain(&location))
            .description(&description)
            .url(&page)
            .status(status)
            .add_property("CATEGORIES", e.category.name_ja())
            .done(),
    )
}

/// A whole calendar file: header, the Tokyo VTIMEZONE, the events; CRLF line ends and
/// lines folded at 75 octets, never inside a UTF-8 character.
fn calendar(name: Option<&str>, feed: bool, events: Vec<icalendar::Event>) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Tsunagaru//Event Board//JA"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"));
    if let Some(name) = name {
        let name = escape_text(name);
        cal.append_property(Property::new("NAME", &name))
            .append_property(Property::new("X-WR-CALNAME", &name));
    }
    cal.append_property(Property::new("X-WR-TIMEZONE", TZID));
    if feed {
        // Calendar apps ask again about once an hour (RFC 7986; Apple's older name).
        cal.append_property(
            Property::new("REFRESH-INTERVAL", "PT1H")
                .add_parameter("VALUE", "DURATION")
                .done(),
        )
        .append_property(Property::new("X-PUBLISHED-TTL", "PT1H"));
    }
    for event in events {
        cal.push(event);
    }
    let text = cal.done().to_string();
    let text = match text
        .find("\r\nBEGIN:VEVENT\r\n")
        .or_else(|| text.rfind("\r\nEND:VCALENDAR"))
    {
        Some(at) => format!("{}\r\n{VTIMEZONE_TOKYO}{}", &text[..at], &text[at + 2..]),
        None => text,
    };
    fold(&unfold(&text))
}

/// Joins folded lines back together.
fn unfold(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "")
}

/// Folds every line longer than 75 octets: the first part at most 75 octets, each
/// continuation a space and at most 74 more, cut only between UTF-8 characters. (The
/// crate folds too, but lets a last continuation line reach 76 octets; so the text is
/// unfolded and folded again here.)
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 24);
    for line in text.split_terminator("\r\n") {
        let mut rest = line;
        let mut limit = LINE_LIMIT;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            limit = LINE_LIMIT - 1;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

fn ics(body: String, download: Option<&str>) -> Response {
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
        body,
    )
        .into_response();
    if let Some(title) = download {
        let value = format!(
            "attachment; filename=\"event.ics\"; filename*=UTF-8''{}.ics",
            percent_encode(title)
        );
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
    }
    response
}

/// RFC 8187 `attr-char` kept, every other byte as `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One published event as a calendar file to download.
#[utoipa::path(
    get,
    path = "/api/events/{id}/calendar.ics",
    tag = "calendar",
    params(("id" = String, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The event as an iCalendar file (attachment `event.ics`)",
         content_type = "text/calendar", body = String),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 404, description = "`not_found`: no such published event (drafts, deleted and hidden events included)",
         body = domain::ApiError),
    ),
    security(("session" = []))
)]
pub async fn event_file(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let origin = origin(&state, &headers);
    let (event, _) = published(&state, Selection::One(&id))
        .await?
        .into_iter()
        .next()
        .ok_or(ErrorCode::NotFound)?;
    let vevent = vevent(&event, &origin, Rsvp::None).ok_or(ErrorCode::NotFound)?;
    Ok(ics(
        calendar(None, false, vec![vevent]),
        Some(&event.event.title),
    ))
}

/// `<something>.ics` → `<something>`: the router cannot match a parameter followed by a
/// suffix, so the feed routes take the whole last segment.
fn without_ics(file: &str) -> Result<&str, AppError> {
    file.strip_suffix(".ics")
        .filter(|s| !s.is_empty())
        .ok_or(AppError::Code(ErrorCode::NotFound))
}

/// An association's published events, to subscribe to in a calendar app. Public, like
/// the notices on the association's board: calendar apps cannot sign in.
#[utoipa::path(
    get,
    path = "/api/cal/associations/{file}",
    tag = "calendar",
    params(("file" = String, Path, description = "`<association id>.ics`")),
    responses(
        (status = 200, description = "The association's published events as an iCalendar feed",
         content_type = "text/calendar", body = String),
        (status = 404, description = "`not_found`: no such association", body = domain::ApiError),
    )
)]
pub async fn association_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let id = without_ics(&file)?;
    let name: String = sqlx::query_scalar("SELECT name FROM associations WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let origin = origin(&state, &headers);
    let events = published(&state, Selection::Association(id))
        .await?
        .iter()
        .filter_map(|(e, rsvp)| vevent(e, &origin, *rsvp))
        .collect();
    Ok(ics(
        calendar(Some(&format!("{name} 行事")), true, events),
        None,
    ))
}

/// The events a person has said they come to (or waits for), behind the secret address
/// of their private feed. An unknown or revoked secret is a plain 404.
#[utoipa::path(
    get,
    path = "/api/cal/u/{file}",
    tag = "calendar",
    params(("file" = String, Path, description = "`<feed secret>.ics`, as `POST /api/me/calendar-feed` gave it")),
    responses(
        (status = 200, description = "The person's RSVP'd events as an iCalendar feed",
         content_type = "text/calendar", body = String),
        (status = 404, description = "`not_found`: no such feed (never made, or stopped)", body = domain::ApiError),
    )
)]
pub async fn rsvp_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = without_ics(&file)?;
    if !token_shape(token) {
        return Err(AppError::Code(ErrorCode::NotFound));
    }
    let user_id: String =
        sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1")
            .bind(sessions::token_hash(token))
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or(ErrorCode::NotFound)?;
    let origin = origin(&state, &headers);
    let events = published(&state, Selection::RsvpsOf(&user_id))
        .await?
        .iter()
        .filter_map(|(e, rsvp)| vevent(e, &origin, *rsvp))
        .collect();
    Ok(ics(calendar(Some("つながる 参加予定"), true, events), None))
}

/// 32 random bytes in base64url without padding: 43 characters.
fn token_shape(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether the signed-in person has a private feed running, and since when.
#[utoipa::path(
    get,
    path = "/api/me/calendar-feed",
    tag = "calendar",
    responses(
        (status = 200, description = "The private feed's state (its address is never shown again)",
         body = CalendarFeedStatus),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
    ),
    security(("session" = []))
)]
pub async fn feed_status(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<CalendarFeedStatus>, AppError> {
    let created_at: Option<String> =
        sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE user_id = $1")
            .bind(&user.id)
            .fetch_optional(&state.db.pool)
            .await?;
    Ok(Json(CalendarFeedStatus { created_at }))
}

/// Makes the signed-in person's private "my RSVPs" feed, replacing any earlier one (whose
/// address stops working). The address is in this answer only.
#[utoipa::path(
    post,
    path = "/api/me/calendar-feed",
    tag = "calendar",
    responses(
        (status = 201, description = "The new feed; its address is shown this once", body = CalendarFeed),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`cross_site_request`", body = domain::ApiError),
    ),
    security(("session" = []))
)]
pub async fn create_feed(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<(StatusCode, Json<CalendarFeed>), AppError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|_| AppError::Code(ErrorCode::Internal))?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, \
         created_at = excluded.created_at",
    )
    .bind(&user.id)
    .bind(sessions::token_hash(&token))
    .bind(db::now())
    .execute(&state.db.pool)
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CalendarFeed {
            url: format!("{FEED_PREFIX}{token}.ics"),
        }),
    ))
}

/// Stops the signed-in person's private feed: its address answers 404 from now on.
#[utoipa::path(
    delete,
    path = "/api/me/calendar-feed",
    tag = "calendar",
    responses(
        (status = 204, description = "Stopped (or there was none)"),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`cross_site_request`", body = domain::ApiError),
    ),
    security(("session" = []))
)]
pub async fn revoke_feed(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<StatusCode, AppError> {
    sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(&user.id)
        .execute(&state.db.pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A request path as logs may show it: a private feed's secret is replaced.
pub fn loggable_path(path: &str) -> &str {
    if path.starts_with(FEED_PREFIX) {
        "/api/cal/u/{redacted}"
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        assert!(text.ends_with("\r\n"));
        text.split_terminator("\r\n").collect()
    }

    #[test]
    fn folding_keeps_every_line_within_75_octets_and_whole_characters() {
        // 150 octets: the crate's own folding would leave a 76-octet last line here.
        let ascii = format!("DESCRIPTION:{}\r\n", "x".repeat(138));
        let japanese = format!("SUMMARY:{}\r\n", "桜台つつじ町会の防災訓練、".repeat(20));
        for text in [ascii, japanese] {
            let folded = fold(&text);
            for line in lines(&folded) {
                assert!(line.len() <= LINE_LIMIT, "{} octets: {line}", line.len());
            }
            assert_eq!(unfold(&folded), text);
        }
    }

    #[test]
    fn a_feed_path_is_redacted_in_logs_and_others_are_not() {
        assert_eq!(
            loggable_path("/api/cal/u/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG.ics"),
            "/api/cal/u/{redacted}"
        );
        assert_eq!(
            loggable_path("/api/events/e-1/calendar.ics"),
            "/api/events/e-1/calendar.ics"
        );
    }

    #[test]
    fn an_all_day_event_ends_the_day_after_its_last_day() {
        assert_eq!(day_after("2026-12-31").as_deref(), Some("20270101"));
        assert_eq!(day_after("2028-02-28").as_deref(), Some("20280229"));
    }
}
