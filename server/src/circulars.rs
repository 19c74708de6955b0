//! 回覧板 on the server: the `read_circular` command, decided inside the push's
//! transaction, and the files attached to circulars. A read is kept once per person
//! (`circular_reads`); each read, and each circular posted or edited, rewrites the
//! counts per household: `circular_tally` in the association's scope (members see how
//! many households have read) and `circular_readers` in its `editors:` scope (editors
//! see which households, by name, have not). Households and the counting rules are
//! `domain::circulars`.

use std::collections::{BTreeMap, BTreeSet};

use axum::{
    Json,
    body::Bytes,
    extract::{FromRequest, Path, Request, State, rejection::BytesRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::{
    ErrorCode,
    associations::AssociationRole,
    circulars::{
        self, CIRCULAR_COLLECTION, Circular, Kind, Member, READ_COLLECTION, READERS_COLLECTION,
        Read, TALLY_COLLECTION, Uploaded,
    },
    sync::protocol::{Outcome, Refusal, Scope},
};
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::{
    AppState, associations,
    db::{self, Db},
    error::AppError,
    sessions::CurrentUser,
    sync::{Reach, write_record},
};

/// The policy an attachment is served with: no script, no connection, only itself.
pub const ATTACHMENT_CSP: &str = "default-src 'none'; object-src 'self'; img-src 'self'; \
     style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The largest upload the attachment route reads (the domain's limit).
pub const UPLOAD_LIMIT: usize = circulars::ATTACHMENT_MAX_BYTES as usize;

fn refused(reason: Refusal) -> Outcome {
    Outcome::Refused { reason }
}

/// A live circular's association.
async fn association_of(
    tx: &mut Transaction<'static, Any>,
    circular_id: &str,
) -> Result<Option<(Scope, String)>, AppError> {
    let row = sqlx::query(
        "SELECT scope FROM sync_records WHERE id = $1 AND collection = $2 AND deleted = 0",
    )
    .bind(circular_id)
    .bind(circulars::CIRCULAR_COLLECTION)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let scope = Scope(row.try_get("scope")?);
    match scope.parts() {
        ("association", id) => {
            let id = id.to_owned();
            Ok(Some((scope, id)))
        }
        _ => Ok(None),
    }
}

/// Decides `read_circular`: the reader must see the circular (a member or an editor of
/// its association). The first read is kept and echoed to the reader's devices as a
/// `circular_read` record; a repeat changes nothing.
pub async fn decide(
    tx: &mut Transaction<'static, Any>,
    user: &CurrentUser,
    reach: &Reach,
    client_id: &str,
    circular_id: &str,
    seq: &mut i64,
) -> Result<Outcome, AppError> {
    let Some((scope, association_id)) = association_of(tx, circular_id).await? else {
        return Ok(refused(Refusal::Validation));
    };
    if !reach.read.contains(&scope) {
        return Ok(refused(Refusal::Permission));
    }
    let read_at = db::now();
    let first = sqlx::query(
        "INSERT INTO circular_reads (circular_id, user_id, read_at) VALUES ($1, $2, $3) \
         ON CONFLICT (circular_id, user_id) DO NOTHING",
    )
    .bind(circular_id)
    .bind(&user.id)
    .bind(&read_at)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if !first {
        return Ok(Outcome::Applied { version: 0 });
    }
    let read = Read {
        circular_id: circular_id.to_owned(),
        read_at,
    };
    let body = serde_json::to_string(&read).map_err(anyhow::Error::from)?;
    // Written once per reader and circular (the insert above decides), so a fresh id
    // is unique; the body names the circular.
    let id = domain::sync::ids::read_id(&uuid::Uuid::now_v7().to_string());
    let own = Scope::of("user", &user.id);
    write_record(tx, &id, READ_COLLECTION, &own, &body, false, client_id, seq).await?;
    // Editors send circulars: their reads change no count.
    if !reach.editor_of.contains(&association_id) {
        write_counts(tx, client_id, seq, circular_id, &association_id).await?;
    }
    Ok(Outcome::Applied {
        version: *seq as u64,
    })
}

/// Rewrites a circular's counts: the tally for members, the households by name for
/// editors.
pub async fn write_counts(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    seq: &mut i64,
    circular_id: &str,
    association_id: &str,
) -> Result<(), AppError> {
    let rows = sqlx::query(
        "SELECT m.user_id, u.display_name, f.family_id, r.user_id AS reader \
         FROM association_members m JOIN users u ON u.id = m.user_id \
         LEFT JOIN family_members f ON f.user_id = m.user_id \
         LEFT JOIN circular_reads r ON r.user_id = m.user_id AND r.circular_id = $2 \
         WHERE m.association_id = $1 AND m.role = $3 ORDER BY m.user_id",
    )
    .bind(association_id)
    .bind(circular_id)
    .bind(AssociationRole::Member.as_str())
    .fetch_all(&mut **tx)
    .await?;
    let mut members: BTreeMap<String, Member> = BTreeMap::new();
    for row in rows {
        let user_id: String = row.try_get("user_id")?;
        let family: Option<String> = row.try_get("family_id")?;
        let read = row.try_get::<Option<String>, _>("reader")?.is_some();
        let member = members.entry(user_id.clone()).or_insert_with(|| Member {
            user_id,
            name: String::new(),
            families: Vec::new(),
            read,
        });
        member.name = row.try_get("display_name")?;
        member.families.extend(family);
    }
    let members: Vec<Member> = members.into_values().collect();
    let readers = circulars::readers(circular_id, &members);
    let tally = serde_json::to_string(&readers.tally()).map_err(anyhow::Error::from)?;
    let association = Scope::of("association", association_id);
    let id = circulars::tally_id(circular_id);
    write_record(
        tx,
        &id,
        TALLY_COLLECTION,
        &association,
        &tally,
        false,
        client_id,
        seq,
    )
    .await?;
    let list = serde_json::to_string(&readers).map_err(anyhow::Error::from)?;
    let editors = Scope::of("editors", association_id);
    let id = circulars::readers_id(circular_id);
    write_record(
        tx,
        &id,
        READERS_COLLECTION,
        &editors,
        &list,
        false,
        client_id,
        seq,
    )
    .await
}

/// How long an uploaded file waits for the circular that names it (the upload needs a
/// signal, the circular may sit in the editor's outbox a while) before it counts as
/// unused.
const UNUSED_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// Deletes the association's attachments that no live circular names any more
/// (withdrawn, or replaced in an edit), once [`UNUSED_AFTER`] has passed since their
/// upload: a member can no longer fetch a withdrawn circular's file, and the database
/// does not keep files nobody can reach.
async fn forget_unused_attachments(
    tx: &mut Transaction<'static, Any>,
    association_id: &str,
) -> Result<(), AppError> {
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM sync_records WHERE collection = $1 AND scope = $2 AND deleted = 0",
    )
    .bind(CIRCULAR_COLLECTION)
    .bind(&Scope::of("association", association_id).0)
    .fetch_all(&mut **tx)
    .await?;
    let named: BTreeSet<String> = bodies
        .iter()
        .filter_map(|body| serde_json::from_str::<Circular>(body).ok())
        .filter_map(|circular| circular.attachment.map(|a| a.id))
        .collect();
    let before = db::timestamp(jiff::Timestamp::now() - UNUSED_AFTER);
    let old: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM attachments WHERE association_id = $1 AND created_at < $2",
    )
    .bind(association_id)
    .bind(&before)
    .fetch_all(&mut **tx)
    .await?;
    for id in old.into_iter().filter(|id| !named.contains(id)) {
        sqlx::query("DELETE FROM attachments WHERE id = $1")
            .bind(&id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// After circulars were posted, edited or deleted in a push: fresh counts for the live
/// ones, the counts of deleted ones deleted too, and files no circular names any more
/// forgotten.
pub async fn after_writes(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    seq: &mut i64,
    changed: Vec<(String, Option<String>)>,
) -> Result<(), AppError> {
    let mut associations = BTreeSet::new();
    for (circular_id, association_id) in changed {
        match association_id {
            Some(association_id) => {
                write_counts(tx, client_id, seq, &circular_id, &association_id).await?;
                associations.insert(association_id);
            }
            None => {
                let scope: Option<String> =
                    sqlx::query_scalar("SELECT scope FROM sync_records WHERE id = $1")
                        .bind(&circular_id)
                        .fetch_optional(&mut **tx)
                        .await?;
                if let Some(scope) = scope.map(Scope)
                    && let ("association", id) = scope.parts()
                {
                    associations.insert(id.to_owned());
                }
                for (id, collection) in [
                    (circulars::tally_id(&circular_id), TALLY_COLLECTION),
                    (circulars::readers_id(&circular_id), READERS_COLLECTION),
                ] {
                    let scope: Option<String> =
                        sqlx::query_scalar("SELECT scope FROM sync_records WHERE id = $1")
                            .bind(&id)
                            .fetch_optional(&mut **tx)
                            .await?;
                    if let Some(scope) = scope {
                        write_record(
                            tx,
                            &id,
                            collection,
                            &Scope(scope),
                            "null",
                            true,
                            client_id,
                            seq,
                        )
                        .await?;
                    }
                }
            }
        }
    }
    for association_id in associations {
        forget_unused_attachments(tx, &association_id).await?;
    }
    Ok(())
}

/// An attachment as a circular may point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub association_id: String,
    pub kind: Kind,
    pub bytes: u64,
}

/// The stored attachments among `ids` (a push checks the ones its circulars name).
pub async fn attachments(
    tx: &mut Transaction<'static, Any>,
    ids: &[String],
) -> Result<BTreeMap<String, Stored>, AppError> {
    let mut found = BTreeMap::new();
    for id in ids {
        let row = sqlx::query("SELECT association_id, kind, bytes FROM attachments WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        if let Some(row) = row
            && let Some(kind) = Kind::parse(&row.try_get::<String, _>("kind")?)
        {
            found.insert(
                id.clone(),
                Stored {
                    association_id: row.try_get("association_id")?,
                    kind,
                    bytes: row.try_get::<i64, _>("bytes")?.max(0) as u64,
                },
            );
        }
    }
    Ok(found)
}

/// Uploads a file for a circular (the association's editors). The body is the file
/// itself, at most 5 MiB; what it is comes from its first bytes, never from its name
/// or the Content-Type sent.
#[utoipa::path(
    put,
    path = "/api/associations/{id}/attachments",
    tag = "circulars",
    params(("id" = String, Path, description = "The association's id")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The file: a JPEG, PNG or WebP picture or a PDF, at most 5 MiB"),
    responses(
        (status = 201, description = "Stored; a circular may now point at it", body = Uploaded),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: not this association's editor", body = domain::ApiError),
        (status = 404, description = "No such association", body = domain::ApiError),
        (status = 413, description = "`attachment_too_large`", body = domain::ApiError),
        (status = 415, description = "`attachment_invalid`: not a picture or PDF by its content", body = domain::ApiError),
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    request: Request,
) -> Result<(StatusCode, Json<Uploaded>), AppError> {
    if !association_exists(&state.db, &id).await? {
        return Err(AppError::Code(ErrorCode::NotFound));
    }
    if associations::role_in(&state.db, &id, &user.id).await? != Some(AssociationRole::Editor) {
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    // Read only now, after the checks, within the route's body limit.
    let bytes = match Bytes::from_request(request, &state).await {
        Ok(bytes) => bytes,
        Err(BytesRejection::FailedToBufferBody(e))
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
        {
            return Err(AppError::Code(ErrorCode::AttachmentTooLarge));
        }
        Err(_) => return Err(AppError::Code(ErrorCode::BadRequest)),
    };
    let kind = circulars::check_upload(&bytes)?;
    let uploaded = Uploaded {
        id: uuid::Uuid::now_v7().to_string(),
        kind,
        bytes: bytes.len() as u64,
    };
    let digest = Sha256::digest(&bytes);
    let sha256: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query(
        "INSERT INTO attachments (id, association_id, kind, bytes, sha256, content, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&uploaded.id)
    .bind(&id)
    .bind(kind.as_str())
    .bind(uploaded.bytes as i64)
    .bind(&sha256)
    .bind(bytes.to_vec())
    .bind(&user.id)
    .bind(db::now())
    .execute(&state.db.pool)
    .await?;
    Ok((StatusCode::CREATED, Json(uploaded)))
}

async fn association_exists(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT id FROM associations WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// A circular's attachment (the association's members and editors; for anyone else it
/// does not exist). Served with the type its content showed at upload, never sniffed
/// again by the browser; private to this browser, checked again on every use.
#[utoipa::path(
    get,
    path = "/api/attachments/{id}",
    tag = "circulars",
    params(("id" = String, Path, description = "The attachment's id")),
    responses(
        (status = 200, description = "The file: image/jpeg, image/png, image/webp or application/pdf", content_type = "application/octet-stream"),
        (status = 304, description = "Not changed since the copy with this ETag"),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 404, description = "No such attachment, or not yours to see", body = domain::ApiError),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let row = sqlx::query("SELECT association_id, kind, sha256 FROM attachments WHERE id = $1")
        .bind(&id)
        .fetch_optional(&state.db.pool)
        .await?;
    let Some(row) = row else {
        return Err(AppError::Code(ErrorCode::NotFound));
    };
    let association_id: String = row.try_get("association_id")?;
    if associations::role_in(&state.db, &association_id, &user.id)
        .await?
        .is_none()
    {
        return Err(AppError::Code(ErrorCode::NotFound));
    }
    let kind = Kind::parse(&row.try_get::<String, _>("kind")?)
        .ok_or_else(|| anyhow::anyhow!("an attachment of unknown kind"))?;
    let etag = format!("\"{}\"", row.try_get::<String, _>("sha256")?);
    let mut response = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let content: Vec<u8> = sqlx::query_scalar("SELECT content FROM attachments WHERE id = $1")
            .bind(&id)
            .fetch_one(&state.db.pool)
            .await?;
        let mut response = content.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("inline"),
        );
        // The file is a document of its own when opened: it may show itself (Chromium's
        // PDF viewer is an object and styles its page inline) and nothing else.
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(ATTACHMENT_CSP),
        );
        response
    };
    let headers = response.headers_mut();
    // `private`: never kept by a shared cache; `no-cache`: the browser asks again each
    // time (a 304 when unchanged), so a member who left stops getting it. The app's
    // service worker keeps its own copy for reading offline.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    Ok(response)
}
