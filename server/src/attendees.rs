//! `GET /api/events/{id}/attendees.csv`: an event's attendee list for its association's
//! editors (and admins), as a file Excel in Japan opens as it is: UTF-8 with a BOM (without
//! it Excel reads Shift_JIS and shows 文字化け), CRLF line ends, Japanese headers, and a
//! totals row. Names are residents' own words: a cell that starts like a formula is
//! prefixed with `'` so a spreadsheet shows it as text (CSV injection, CWE-1236). Only
//! what an editor needs at the door: no contact details, never health data.

use axum::{
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use domain::{
    ErrorCode,
    accounts::Role,
    events::{EVENT_COLLECTION, Event, show_code},
    sync::protocol::Scope,
};
use sqlx::Row;

use crate::{AppState, audit, db, error::AppError, sessions::CurrentUser, sync};

/// The byte order mark that tells Excel the file is UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The header line, in the columns' order.
pub const HEADERS: [&str; 7] = [
    "受付番号",
    "氏名",
    "大人",
    "子ども",
    "状態",
    "受付済み",
    "申込日時",
];

/// A text cell as a spreadsheet will show it: one starting with `=`, `+`, `-`, `@`
/// (or their full-width forms), a tab or a carriage return gets a leading `'`, so it is
/// never read as a formula.
pub fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            format!("'{cell}")
        }
        _ => cell.to_owned(),
    }
}

/// A stored time (RFC 3339 UTC) as Japan's wall clock, `2026-12-01 09:30`. Japan keeps
/// no daylight saving time, so the fixed +09:00 is Asia/Tokyo whatever the host's tzdata.
fn tokyo(stored: &str) -> String {
    db::parse_timestamp(stored)
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// RFC 8187 `attr-char` percent-encoding, for `filename*=UTF-8''…`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One party as the export reads it.
pub struct Line {
    pub code: String,
    pub name: String,
    pub adults: u32,
    pub children: u32,
    /// `confirmed`, `waitlisted` or `cancelled`, as stored.
    pub status: String,
    pub position: Option<u32>,
    pub checked_in: bool,
    /// RFC 3339 UTC.
    pub created_at: String,
}

/// The file's bytes: BOM, header line, one line per party in order of arrival, and a
/// totals row of the confirmed parties (people are counted, waiting parties and arrivals
/// are counted in parties, 組).
pub fn write(lines: &[Line]) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    let fail = |e: csv::Error| AppError::Other(anyhow::Error::from(e));
    writer.write_record(HEADERS).map_err(fail)?;
    let (mut parties, mut adults, mut children, mut waiting, mut arrived) = (0, 0, 0, 0, 0);
    for line in lines {
        let status = match (line.status.as_str(), line.position) {
            ("confirmed", _) => {
                parties += 1;
                adults += line.adults;
                children += line.children;
                "参加確定".to_owned()
            }
            ("waitlisted", position) => {
                waiting += 1;
                match position {
                    Some(n) => format!("キャンセル待ち {n}番目"),
                    None => "キャンセル待ち".to_owned(),
                }
            }
            _ => "キャンセル".to_owned(),
        };
        if line.checked_in {
            arrived += 1;
        }
        writer
            .write_record([
                defuse(&show_code(&line.code)),
                defuse(&line.name),
                line.adults.to_string(),
                line.children.to_string(),
                status,
                if line.checked_in { "済" } else { "" }.to_owned(),
                tokyo(&line.created_at),
            ])
            .map_err(fail)?;
    }
    writer
        .write_record([
            "合計（参加確定）".to_owned(),
            format!("{parties}組"),
            adults.to_string(),
            children.to_string(),
            format!("キャンセル待ち {waiting}組"),
            format!("受付済み {arrived}組"),
            String::new(),
        ])
        .map_err(fail)?;
    writer
        .into_inner()
        .map_err(|e| AppError::Other(anyhow::anyhow!("csv: {e}")))
}

/// The attendee list of an event as a CSV file, for its association's editors and admins.
#[utoipa::path(
    get,
    path = "/api/events/{id}/attendees.csv",
    tag = "events",
    params(("id" = String, Path, description = "The event")),
    responses(
        (status = 200, description = "UTF-8 CSV with a BOM and CRLF line ends: 受付番号, 氏名, 大人, 子ども, 状態, 受付済み, 申込日時, then a totals row", content_type = "text/csv"),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: the event can be seen, but not its attendees", body = domain::ApiError),
        (status = 404, description = "No such event, or one the caller cannot see", body = domain::ApiError),
    )
)]
pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let row = sqlx::query(
        "SELECT scope, body FROM sync_records WHERE id = $1 AND collection = $2 AND deleted = 0",
    )
    .bind(&id)
    .bind(EVENT_COLLECTION)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::Code(ErrorCode::NotFound))?;
    let scope = Scope(row.try_get("scope")?);
    let event: Event = serde_json::from_str(&row.try_get::<String, _>("body")?)
        .map_err(|_| AppError::Code(ErrorCode::NotFound))?;
    if !user.has_role(Role::Admin) {
        let reach = sync::reach(&state.db, &user).await?;
        if !reach.editor_of.contains(&event.association_id) {
            // An event on the board may be seen but its list is the editors'; a draft
            // of another association is not there at all for this caller.
            return Err(AppError::Code(if reach.read.contains(&scope) {
                ErrorCode::Forbidden
            } else {
                ErrorCode::NotFound
            }));
        }
    }
    let rows = sqlx::query(
        "SELECT r.code, u.display_name, r.adults, r.children, r.status, r.position, \
         r.checked_in, r.created_at FROM rsvps r JOIN users u ON u.id = r.user_id \
         WHERE r.event_id = $1 ORDER BY r.arrived",
    )
    .bind(&id)
    .fetch_all(&state.db.pool)
    .await?;
    let lines = rows
        .iter()
        .map(|row| {
            Ok(Line {
                code: row.try_get("code")?,
                name: row.try_get("display_name")?,
                adults: row.try_get::<i32, _>("adults")?.max(0) as u32,
                children: row.try_get::<i32, _>("children")?.max(0) as u32,
                status: row.try_get("status")?,
                position: row
                    .try_get::<Option<i32>, _>("position")?
                    .map(|p| p.max(0) as u32),
                checked_in: row.try_get::<i32, _>("checked_in")? != 0,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let bytes = write(&lines)?;
    audit::record(
        &state.db,
        audit::Event {
            actor: Some(&user),
            action: "attendees.export",
            object_type: "event",
            object_id: &id,
            outcome: audit::Outcome::Allowed,
        },
    )
    .await?;
    let disposition = format!(
        "attachment; filename=\"attendees.csv\"; filename*=UTF-8''{}",
        percent_encode(&format!("{}.csv", event.title))
    );
    let disposition =
        HeaderValue::from_str(&disposition).map_err(|e| AppError::Other(anyhow::Error::from(e)))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_look_like_formulas_are_shown_as_text() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for start in ["+", "-", "@", "\t", "\r", "＝"] {
            assert_eq!(defuse(&format!("{start}1")), format!("'{start}1"));
        }
        assert_eq!(defuse("練馬 花子"), "練馬 花子");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn times_are_japans_and_file_names_are_percent_encoded() {
        assert_eq!(tokyo("2026-11-30T15:05:00.000Z"), "2026-12-01 00:05");
        assert_eq!(
            percent_encode("防災 訓練.csv"),
            "%E9%98%B2%E7%81%BD%20%E8%A8%93%E7%B7%B4.csv"
        );
    }
}
