//! 回覧板: the circulars of the person's associations, read on the phone. The list puts
//! unread ones first and can be searched by words and by month (the archive); opening
//! one marks it read (the `read_circular` command, queued offline like any change).
//! Editors send circulars from here, and see on each one which households have read
//! it and which have not.

use std::collections::BTreeSet;

use domain::{
    accounts::AssociationMembership,
    associations::AssociationRole,
    circulars::{
        self, ATTACHMENT_MAX_BYTES, AttachmentRef, BODY_MAX, CIRCULAR_COLLECTION, Circular, Field,
        READ_COLLECTION, READERS_COLLECTION, Read, Readers, TALLY_COLLECTION, TITLE_MAX, Tally,
    },
    search,
    sync::{commands::Command, protocol::Scope},
};
use leptos::{html, prelude::*};

use super::{Id, Page, RequireSignIn};
use crate::{
    account::Account,
    api, browser,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    settings,
    shell::Link,
    sync::Sync,
    sync_bar::SyncBadge,
    tasks::spawn_owned,
};

/// Whether the person has read a circular.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum ReadState {
    Unread,
    /// Opened on this phone; the server has not been told yet (送信待ち).
    Pending,
    Read,
}

/// One circular as the pages show it.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    id: String,
    circular: Circular,
    /// The circular itself waits to be sent (an editor's new one).
    pending: bool,
    read: ReadState,
    /// Its folded words, for search.
    folded: String,
}

/// The circulars of one association with the person's read marks, unread first, then
/// newest first.
async fn load(association_id: &str, user_id: &str) -> Result<Vec<Entry>, String> {
    let scope = Scope::of("association", association_id);
    let items = Sync::items(CIRCULAR_COLLECTION, &scope)
        .await
        .map_err(|e| e.0)?;
    let read: BTreeSet<String> = Sync::items(READ_COLLECTION, &Scope::of("user", user_id))
        .await
        .map_err(|e| e.0)?
        .into_iter()
        .filter_map(|item| serde_json::from_value::<Read>(item.record.body).ok())
        .map(|r| r.circular_id)
        .collect();
    let queued: BTreeSet<String> = Sync::pending_commands()
        .await
        .map_err(|e| e.0)?
        .into_iter()
        .filter_map(|command| match command {
            Command::ReadCircular { circular_id } => Some(circular_id),
            _ => None,
        })
        .collect();
    let mut entries: Vec<Entry> = items
        .into_iter()
        .filter_map(|item| {
            let circular: Circular = serde_json::from_value(item.record.body).ok()?;
            let id = item.record.id;
            let read = if read.contains(&id) {
                ReadState::Read
            } else if queued.contains(&id) {
                ReadState::Pending
            } else {
                ReadState::Unread
            };
            Some(Entry {
                folded: circular.search_text(),
                id,
                circular,
                pending: item.pending,
                read,
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        let unread = |e: &Entry| e.read != ReadState::Unread;
        (unread(a), &b.circular.posted_on, &b.id).cmp(&(unread(b), &a.circular.posted_on, &a.id))
    });
    Ok(entries)
}

/// A file's size in words: 350 KB, 1.2 MB.
fn size_text(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[component]
pub fn Circulars() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, circulars_title)}</h1>
        <p class="lead">{t!(i18n, circulars_lead)}</p>
        <RequireSignIn>
            <Boards />
        </RequireSignIn>
    }
}

/// One board per association the person belongs to.
#[component]
fn Boards() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let memberships = Memo::new(move |_| {
        account
            .me()
            .map(|me| (me.id, me.associations))
            .unwrap_or_default()
    });
    move || {
        let (user_id, associations) = memberships.get();
        if associations.is_empty() {
            return view! { <p class="card">{t!(i18n, circulars_no_association)}</p> }.into_any();
        }
        associations
            .into_iter()
            .map(|membership| view! { <Board membership user_id=user_id.clone() /> })
            .collect_view()
            .into_any()
    }
}

/// An association's circulars: the form (editors), the count of unread ones, the search
/// and the list.
#[component]
fn Board(membership: AssociationMembership, user_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let entries: RwSignal<Vec<Entry>> = RwSignal::new(Vec::new());
    let load_error = RwSignal::new(None::<String>);
    {
        let (association_id, user_id) = (membership.association_id.clone(), user_id.clone());
        Effect::new(move |_| {
            sync.revision.track();
            let (association_id, user_id) = (association_id.clone(), user_id.clone());
            spawn_owned(async move {
                match load(&association_id, &user_id).await {
                    Ok(list) => {
                        entries.set(list);
                        load_error.set(None);
                    }
                    Err(reason) => load_error.set(Some(
                        t_string!(i18n, circulars_load_failed, reason = reason).to_string(),
                    )),
                }
            });
        });
    }
    let words = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let months = Memo::new(move |_| {
        let set: BTreeSet<String> = entries.with(|list| {
            list.iter()
                .map(|e| e.circular.month().to_owned())
                .filter(|m| !m.is_empty())
                .collect()
        });
        set.into_iter().rev().collect::<Vec<String>>()
    });
    let searching = move || !words.with(|w| w.trim().is_empty()) || !month.with(String::is_empty);
    let shown = Memo::new(move |_| {
        let terms = search::terms(&words.get());
        let month = month.get();
        entries.with(|list| {
            list.iter()
                .filter(|e| search::matches(&e.folded, &terms))
                .filter(|e| month.is_empty() || e.circular.month() == month)
                .cloned()
                .collect::<Vec<Entry>>()
        })
    });
    let unread =
        move || entries.with(|list| list.iter().filter(|e| e.read == ReadState::Unread).count());
    let key = membership.association_id.clone();
    let heading_id = format!("board-{key}");
    let labelled_by = heading_id.clone();
    let words_id = format!("words-{key}");
    let words_hint = format!("{words_id}-hint");
    let month_id = format!("month-{key}");
    let editor = membership.role == AssociationRole::Editor;
    view! {
        <section class="card board" aria-labelledby=labelled_by>
            <h2 id=heading_id>{membership.name.clone()}</h2>
            {editor.then(|| view! {
                <p class="note">{t!(i18n, circulars_editor_note)}</p>
                <CircularForm association_id=membership.association_id.clone() />
            })}
            <FormError error=load_error />
            <p class="unread-summary" data-testid="unread-summary">
                {move || match unread() {
                    0 => t_string!(i18n, circulars_all_read_by_me).to_string(),
                    count => t_string!(i18n, circulars_unread_count, count = count).to_string(),
                }}
            </p>
            <form class="search" role="search" on:submit=|e| e.prevent_default()>
                <h3>{t!(i18n, circulars_search_heading)}</h3>
                <div class="field">
                    <label for=words_id.clone()>{t!(i18n, circulars_search_words)}</label>
                    <p id=words_hint.clone() class="field-hint">{t!(i18n, circulars_search_words_hint)}</p>
                    <input
                        id=words_id
                        type="search"
                        aria-describedby=words_hint
                        prop:value=move || words.get()
                        on:input=move |e| words.set(event_target_value(&e))
                    />
                </div>
                <div class="field">
                    <label for=month_id.clone()>{t!(i18n, circulars_search_month)}</label>
                    <select
                        id=month_id
                        prop:value=move || month.get()
                        on:change=move |e| month.set(event_target_value(&e))
                    >
                        <option value="">{t!(i18n, circulars_all_months)}</option>
                        {move || {
                            let lang = settings::lang(i18n.get_locale());
                            months
                                .get()
                                .into_iter()
                                .map(|m| {
                                    let label = browser::format_month(&m, lang);
                                    view! { <option value=m>{label}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <p role="status" class="search-result">
                    {move || {
                        if !searching() {
                            return String::new();
                        }
                        match shown.with(Vec::len) {
                            0 => t_string!(i18n, circulars_no_match).to_string(),
                            count => t_string!(i18n, circulars_found, count = count).to_string(),
                        }
                    }}
                </p>
            </form>
            <Show
                when=move || !entries.with(Vec::is_empty)
                fallback=move || view! { <p>{t!(i18n, circulars_empty)}</p> }
            >
                <ul class="circular-list" data-testid="circulars" aria-label=move || t_string!(i18n, circulars_list_label)>
                    <For
                        each=move || shown.get()
                        key=|e| (e.id.clone(), e.read, e.pending)
                        children=move |entry| view! { <CircularItem entry /> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// 「未読」, 「既読」 or 「既読」 with 「送信待ち」, in words as well as colour.
#[component]
fn ReadBadge(read: ReadState) -> impl IntoView {
    let i18n = use_i18n();
    match read {
        ReadState::Unread => view! {
            <span class="badge unread" data-testid="read-badge">{t!(i18n, circulars_unread)}</span>
        }
        .into_any(),
        ReadState::Pending => view! {
            <span class="badge" data-testid="read-badge">{t!(i18n, circulars_read)}</span>
            <SyncBadge pending=true />
        }
        .into_any(),
        ReadState::Read => view! {
            <span class="badge" data-testid="read-badge">{t!(i18n, circulars_read)}</span>
        }
        .into_any(),
    }
}

#[component]
fn CircularItem(entry: Entry) -> impl IntoView {
    let i18n = use_i18n();
    let Some(id) = Id::parse(&entry.id) else {
        return ().into_any();
    };
    let circular = entry.circular;
    let posted = circular.posted_on.clone();
    let due = circular.due_date.clone();
    let lang = move || settings::lang(i18n.get_locale());
    view! {
        <li class="circular-item" class:unread=entry.read == ReadState::Unread>
            <Link page=Page::Circular(id) class="circular-link">
                <span class="circular-title">{circular.title}</span>
                <span class="circular-meta">
                    <ReadBadge read=entry.read />
                    {entry.pending.then(|| view! { <SyncBadge pending=true /> })}
                    <span>
                        {move || t_string!(i18n, circulars_posted, day = browser::format_day(&posted, lang())).to_string()}
                    </span>
                    {due.map(|due| view! {
                        <span class="circular-due">
                            {move || t_string!(i18n, circulars_due, day = browser::format_day(&due, lang())).to_string()}
                        </span>
                    })}
                    {circular.attachment.is_some().then(|| view! {
                        <span>{t!(i18n, circulars_has_attachment)}</span>
                    })}
                </span>
            </Link>
        </li>
    }
    .into_any()
}

/// What the circular page found on this phone.
#[derive(Debug, Clone, PartialEq)]
struct Opened {
    entry: Entry,
    membership: AssociationMembership,
    tally: Option<Tally>,
    /// For editors only.
    readers: Option<Readers>,
}

async fn open(
    id: &str,
    user_id: &str,
    memberships: &[AssociationMembership],
) -> Result<Option<Opened>, String> {
    for membership in memberships {
        let association = &membership.association_id;
        let Some(entry) = load(association, user_id)
            .await?
            .into_iter()
            .find(|e| e.id == id)
        else {
            continue;
        };
        let scope = Scope::of("association", association);
        let tally_id = circulars::tally_id(id);
        let tally = Sync::items(TALLY_COLLECTION, &scope)
            .await
            .map_err(|e| e.0)?
            .into_iter()
            .find(|item| item.record.id == tally_id)
            .and_then(|item| serde_json::from_value(item.record.body).ok());
        let readers = if membership.role == AssociationRole::Editor {
            let readers_id = circulars::readers_id(id);
            Sync::items(READERS_COLLECTION, &Scope::of("editors", association))
                .await
                .map_err(|e| e.0)?
                .into_iter()
                .find(|item| item.record.id == readers_id)
                .and_then(|item| serde_json::from_value(item.record.body).ok())
        } else {
            None
        };
        return Ok(Some(Opened {
            entry,
            membership: membership.clone(),
            tally,
            readers,
        }));
    }
    Ok(None)
}

#[component]
pub fn CircularPage(id: Id) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <RequireSignIn heading=|i18n| t_string!(i18n, circulars_title)>
            <Reading id=id.to_string() />
        </RequireSignIn>
        <p><Link page=Page::Circulars class="text-link">{t!(i18n, circulars_back)}</Link></p>
    }
}

/// One circular. Opening it marks it read, once.
#[component]
fn Reading(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let account = Account::get();
    // None while looking; Some(None) when this phone does not have it.
    let opened: RwSignal<Option<Option<Opened>>> = RwSignal::new(None);
    let load_error = RwSignal::new(None::<String>);
    let marked = StoredValue::new(false);
    {
        let id = id.clone();
        Effect::new(move |_| {
            sync.revision.track();
            let Some(me) = account.me() else { return };
            let id = id.clone();
            spawn_owned(async move {
                match open(&id, &me.id, &me.associations).await {
                    Ok(found) => {
                        let unread = found
                            .as_ref()
                            .is_some_and(|o| o.entry.read == ReadState::Unread);
                        opened.set(Some(found));
                        load_error.set(None);
                        if unread && !marked.get_value() {
                            marked.set_value(true);
                            // A write: it runs to its end even if the page goes meanwhile.
                            let command = Command::ReadCircular { circular_id: id };
                            leptos::task::spawn_local(async move {
                                if let Err(e) = sync.command(&command).await {
                                    load_error.set(Some(
                                        t_string!(i18n, circulars_load_failed, reason = e.0)
                                            .to_string(),
                                    ));
                                }
                            });
                        }
                    }
                    Err(reason) => load_error.set(Some(
                        t_string!(i18n, circulars_load_failed, reason = reason).to_string(),
                    )),
                }
            });
        });
    }
    move || match opened.get() {
        None => view! {
            <h1>{t!(i18n, circulars_title)}</h1>
            <FormError error=load_error />
        }
        .into_any(),
        Some(None) => view! {
            <h1>{t!(i18n, circulars_title)}</h1>
            <FormError error=load_error />
            <p class="card">{t!(i18n, circulars_not_found)}</p>
        }
        .into_any(),
        Some(Some(found)) => view! {
            <FormError error=load_error />
            <Shown found />
        }
        .into_any(),
    }
}

#[component]
fn Shown(found: Opened) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || settings::lang(i18n.get_locale());
    let Opened {
        entry,
        membership,
        tally,
        readers,
    } = found;
    let circular = entry.circular;
    let posted = circular.posted_on.clone();
    let due = circular.due_date.clone();
    let editor = membership.role == AssociationRole::Editor;
    let read = entry.read;
    view! {
        <h1>{circular.title.clone()}</h1>
        <article class="card circular">
            <p class="circular-meta">
                <span>{membership.name}</span>
                {entry.pending.then(|| view! { <SyncBadge pending=true /> })}
                <span>
                    {move || t_string!(i18n, circulars_posted, day = browser::format_day(&posted, lang())).to_string()}
                </span>
            </p>
            {due.map(|due| view! {
                <p class="circular-due">
                    {move || t_string!(i18n, circulars_due, day = browser::format_day(&due, lang())).to_string()}
                </p>
            })}
            <p class="circular-body">{circular.body.clone()}</p>
            {circular.attachment.map(|attachment| view! { <Attachment attachment /> })}
        </article>
        <section class="card" aria-labelledby="read-heading">
            <h2 id="read-heading" class="read-state" data-testid="read-state">
                <ReadBadge read />
            </h2>
            <p>
                {match read {
                    ReadState::Read => t!(i18n, circulars_read_sent).into_any(),
                    _ => t!(i18n, circulars_read_saved).into_any(),
                }}
            </p>
            {tally.map(|tally| view! {
                <p data-testid="tally">
                    {move || t_string!(
                        i18n,
                        circulars_tally,
                        total = tally.households_total,
                        read = tally.households_read
                    ).to_string()}
                </p>
            })}
        </section>
        {editor.then(|| view! {
            <ReadersList readers />
            <Withdraw id=entry.id.clone() />
        })}
    }
}

/// For editors: take a circular back (a deletion, synced like any change); the server
/// then deletes its counts too.
#[component]
fn Withdraw(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let confirm = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let withdraw = move |e: leptos::ev::SubmitEvent| {
        if begin_submit(&e, pending) {
            return;
        }
        pending.set(true);
        let id = id.clone();
        leptos::task::spawn_local(async move {
            match sync.delete(&id).await {
                Ok(()) => crate::shell::navigate(Page::Circulars),
                Err(e) => error.set(Some(
                    t_string!(i18n, circulars_withdraw_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="withdraw-heading">
            <h2 id="withdraw-heading">{t!(i18n, circulars_withdraw_heading)}</h2>
            <p>{t!(i18n, circulars_withdraw_note)}</p>
            {move || if confirm.get() {
                view! {
                    <form class="note-form" on:submit=withdraw.clone()>
                        <p role="alert">{t!(i18n, circulars_withdraw_confirm)}</p>
                        <div class="note-actions">
                            <Submit pending>{t!(i18n, circulars_withdraw_yes)}</Submit>
                            <button type="button" class="button secondary" on:click=move |_| confirm.set(false)>
                                {t!(i18n, notes_cancel)}
                            </button>
                        </div>
                    </form>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="button secondary" on:click=move |_| confirm.set(true)>
                        {t!(i18n, circulars_withdraw)}
                    </button>
                }
                .into_any()
            }}
            <FormError error />
        </section>
    }
}

/// The picture shown in place, or the PDF as a link; both kept for offline reading once
/// opened (public/sw.js).
#[component]
fn Attachment(attachment: AttachmentRef) -> impl IntoView {
    let i18n = use_i18n();
    let url = format!("/api/attachments/{}", attachment.id);
    let name = attachment.name.clone();
    let size = size_text(attachment.bytes);
    view! {
        <section class="attachment" aria-labelledby="attachment-heading">
            <h2 id="attachment-heading">{t!(i18n, circulars_attachment_heading)}</h2>
            {attachment.kind.is_image().then(|| view! {
                <Picture url=url.clone() alt=attachment.name.clone() />
            })}
            <p>
                <a class="button secondary" href=url data-testid="attachment-link">
                    {move || if attachment.kind.is_image() {
                        t_string!(i18n, circulars_open_image, name = name.clone(), size = size.clone()).to_string()
                    } else {
                        t_string!(i18n, circulars_open_pdf, name = name.clone(), size = size.clone()).to_string()
                    }}
                </a>
            </p>
            <p class="note">{t!(i18n, circulars_attachment_offline)}</p>
        </section>
    }
}

/// A circular's picture. One that could not be loaded (no signal when the page was
/// drawn, or the signal only just back) says so and is loaded again when the signal
/// returns, and a few times while the phone believes it has one: a picture must not
/// stay broken until the person thinks of reloading the page.
#[component]
fn Picture(url: String, alt: String) -> impl IntoView {
    /// Tries while online before waiting for the next `online` event.
    const TRIES: u32 = 5;
    let i18n = use_i18n();
    let attempt = RwSignal::new(0u32);
    let failed = RwSignal::new(false);
    let again = move || {
        failed.set(false);
        attempt.update(|n| *n += 1);
    };
    let online = window_event_listener(leptos::ev::online, move |_| {
        if failed.get_untracked() {
            again();
        }
    });
    on_cleanup(move || online.remove());
    let on_error = move |_| {
        failed.set(true);
        if browser::is_online() && attempt.get_untracked() < TRIES {
            set_timeout(
                move || {
                    if failed.try_get_untracked() == Some(true) {
                        again();
                    }
                },
                std::time::Duration::from_secs(2),
            );
        }
    };
    view! {
        // A new element for each try: the browser fetches it again.
        {move || {
            attempt.track();
            view! { <img class="circular-image" src=url.clone() alt=alt.clone() on:error=on_error /> }
        }}
        <Show when=move || failed.get()>
            <p class="note" role="status">{t!(i18n, circulars_image_retry)}</p>
        </Show>
    }
}

/// Which households have read it and which have not (editors only).
#[component]
fn ReadersList(readers: Option<Readers>) -> impl IntoView {
    let i18n = use_i18n();
    let body = match readers {
        None => view! { <p>{t!(i18n, circulars_readers_waiting)}</p> }.into_any(),
        Some(readers) => {
            let (read, not_read): (Vec<_>, Vec<_>) =
                readers.households.into_iter().partition(|h| h.read);
            let names = |households: Vec<circulars::Household>| {
                households
                    .into_iter()
                    .map(|h| view! { <li>{h.names.join("・")}</li> })
                    .collect_view()
            };
            let (read_count, not_read_count) = (read.len(), not_read.len());
            view! {
                <h3>{move || t_string!(i18n, circulars_not_read_heading, count = not_read_count).to_string()}</h3>
                {if not_read.is_empty() {
                    view! { <p>{t!(i18n, circulars_everyone_read)}</p> }.into_any()
                } else {
                    view! { <ul class="household-list" data-testid="not-read">{names(not_read)}</ul> }.into_any()
                }}
                <h3>{move || t_string!(i18n, circulars_read_heading, count = read_count).to_string()}</h3>
                {if read.is_empty() {
                    view! { <p>{t!(i18n, circulars_nobody_read)}</p> }.into_any()
                } else {
                    view! { <ul class="household-list" data-testid="have-read">{names(read)}</ul> }.into_any()
                }}
            }
            .into_any()
        }
    };
    view! {
        <section class="card readers" aria-labelledby="readers-heading">
            <h2 id="readers-heading">{t!(i18n, circulars_readers_heading)}</h2>
            <p class="note">{t!(i18n, circulars_household_note)}</p>
            {body}
        </section>
    }
}

/// 回覧板を出す: saved on this phone and synced; an attachment is uploaded first, which
/// needs a connection.
#[component]
fn CircularForm(association_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let title_error = RwSignal::new(None::<String>);
    let body_error = RwSignal::new(None::<String>);
    let due_error = RwSignal::new(None::<String>);
    let file_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let file_input: NodeRef<html::Input> = NodeRef::new();
    let ids = |name: &str| format!("circular-{name}-{association_id}");
    let (title_id, body_id, due_id, file_id) = (ids("title"), ids("body"), ids("due"), ids("file"));
    let scope = Scope::of("association", &association_id);
    let on_submit = {
        let field_ids = [
            title_id.clone(),
            body_id.clone(),
            due_id.clone(),
            file_id.clone(),
        ];
        move |event: leptos::ev::SubmitEvent| {
            if begin_submit(&event, pending) {
                return;
            }
            let lang = settings::lang(i18n.get_locale_untracked());
            for signal in [title_error, body_error, due_error, file_error, error, done] {
                signal.set(None);
            }
            let due_text = due.get_untracked();
            let circular = Circular {
                association_id: association_id.clone(),
                title: title.get_untracked().trim().to_owned(),
                body: body.get_untracked().trim().to_owned(),
                posted_on: browser::today(),
                due_date: (!due_text.is_empty()).then_some(due_text),
                attachment: None,
            };
            if let Some((field, code)) = circular.problem() {
                let (signal, id) = match field {
                    Field::Title => (title_error, &field_ids[0]),
                    Field::Body => (body_error, &field_ids[1]),
                    Field::DueDate => (due_error, &field_ids[2]),
                    Field::Attachment => (file_error, &field_ids[3]),
                    Field::Other => (error, &field_ids[0]),
                };
                signal.set(Some(code.message(lang).to_owned()));
                browser::focus_field(id);
                return;
            }
            let file = file_input
                .get_untracked()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = &file {
                let problem = if file.size() > ATTACHMENT_MAX_BYTES as f64 {
                    Some(
                        domain::ErrorCode::AttachmentTooLarge
                            .message(lang)
                            .to_owned(),
                    )
                } else if !browser::is_online() {
                    Some(t_string!(i18n, circulars_form_file_offline).to_string())
                } else {
                    None
                };
                if let Some(problem) = problem {
                    file_error.set(Some(problem));
                    browser::focus_field(&field_ids[3]);
                    return;
                }
            }
            pending.set(true);
            let scope = scope.clone();
            let file_id = field_ids[3].clone();
            leptos::task::spawn_local(async move {
                let mut circular = circular;
                if let Some(file) = file {
                    match api::upload_attachment(&circular.association_id, &file).await {
                        Ok(uploaded) => {
                            circular.attachment = Some(AttachmentRef {
                                id: uploaded.id,
                                kind: uploaded.kind,
                                bytes: uploaded.bytes,
                                name: circulars::clean_name(&file.name(), uploaded.kind.label()),
                            });
                        }
                        Err(e) => {
                            file_error.set(Some(e.message()));
                            pending.set(false);
                            browser::focus_field(&file_id);
                            return;
                        }
                    }
                }
                let Ok(value) = serde_json::to_value(&circular) else {
                    pending.set(false);
                    return;
                };
                match sync.put(None, CIRCULAR_COLLECTION, scope, value).await {
                    Ok(_) => {
                        title.set(String::new());
                        body.set(String::new());
                        due.set(String::new());
                        if let Some(input) = file_input.try_get_untracked().flatten() {
                            input.set_value("");
                        }
                        done.set(Some(t_string!(i18n, circulars_form_done).to_string()));
                    }
                    Err(e) => error.set(Some(
                        t_string!(i18n, circulars_form_failed, reason = e.0).to_string(),
                    )),
                }
                pending.set(false);
            });
        }
    };
    view! {
        <details class="circular-form-box">
            <summary class="button secondary">{t!(i18n, circulars_form_heading)}</summary>
            <form class="form circular-form" on:submit=on_submit novalidate>
                <LabelledField id=title_id.clone() error=title_error label=move || t_string!(i18n, circulars_form_title) hint=move || t_string!(i18n, circulars_form_title_hint)>
                    <input
                        id=title_id.clone()
                        type="text"
                        maxlength=TITLE_MAX.to_string()
                        aria-invalid=move || title_error.get().is_some().then_some("true")
                        aria-describedby=described(&title_id, title_error)
                        prop:value=move || title.get()
                        on:input=move |e| title.set(event_target_value(&e))
                    />
                </LabelledField>
                <LabelledField id=body_id.clone() error=body_error label=move || t_string!(i18n, circulars_form_body) hint=move || t_string!(i18n, circulars_form_body_hint)>
                    <textarea
                        id=body_id.clone()
                        rows="6"
                        maxlength=BODY_MAX.to_string()
                        aria-invalid=move || body_error.get().is_some().then_some("true")
                        aria-describedby=described(&body_id, body_error)
                        prop:value=move || body.get()
                        on:input=move |e| body.set(event_target_value(&e))
                    ></textarea>
                </LabelledField>
                <LabelledField id=due_id.clone() error=due_error label=move || t_string!(i18n, circulars_form_due) hint=move || t_string!(i18n, circulars_form_due_hint)>
                    <input
                        id=due_id.clone()
                        type="date"
                        aria-invalid=move || due_error.get().is_some().then_some("true")
                        aria-describedby=described(&due_id, due_error)
                        prop:value=move || due.get()
                        on:input=move |e| due.set(event_target_value(&e))
                    />
                </LabelledField>
                <LabelledField id=file_id.clone() error=file_error label=move || t_string!(i18n, circulars_form_file) hint=move || t_string!(i18n, circulars_form_file_hint)>
                    <input
                        id=file_id.clone()
                        type="file"
                        accept="image/jpeg,image/png,image/webp,application/pdf"
                        node_ref=file_input
                        aria-invalid=move || file_error.get().is_some().then_some("true")
                        aria-describedby=described(&file_id, file_error)
                    />
                </LabelledField>
                <FormError error />
                <Submit pending>{t!(i18n, circulars_form_submit)}</Submit>
                <FormDone done />
            </form>
        </details>
    }
}

/// The `aria-describedby` of a field: its hint, and its error while there is one.
fn described(
    id: &str,
    error: RwSignal<Option<String>>,
) -> impl Fn() -> String + Send + std::marker::Sync + use<> {
    let (hint, err) = (format!("{id}-hint"), format!("{id}-error"));
    move || match error.get() {
        Some(_) => format!("{hint} {err}"),
        None => hint.clone(),
    }
}

/// A field's frame: the label, the hint under it, the control (children), and the error
/// under the control, with the ids [`described`] points at.
#[component]
fn LabelledField(
    /// The control's id; the hint's and the error's are made from it.
    id: String,
    error: RwSignal<Option<String>>,
    /// The label's words.
    label: impl Fn() -> &'static str + Send + std::marker::Sync + 'static,
    /// Plain words on what to enter.
    hint: impl Fn() -> &'static str + Send + std::marker::Sync + 'static,
    /// The control.
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <p id=format!("{id}-hint") class="field-hint">{hint}</p>
            {children()}
            {move || error.get().map(|message| {
                view! { <p id=error_id.clone() class="field-error" role="alert">{message}</p> }
            })}
        </div>
    }
}
