//! One circular: marked read when opened, its attachment, and for editors the households
//! that have read it and a way to withdraw it.

use domain::{
    accounts::AssociationMembership,
    associations::AssociationRole,
    circulars::{self, AttachmentRef, READERS_COLLECTION, Readers, TALLY_COLLECTION, Tally},
    sync::{commands::Command, protocol::Scope},
};
use leptos::prelude::*;

use super::{Entry, ReadState, list::ReadBadge, load, size_text};
use crate::{
    account::state::Account,
    browser,
    components::SyncBadge,
    form::{FormError, Submit, begin_submit},
    i18n::*,
    routing::Link,
    settings,
    sync::Sync,
    tasks::spawn_owned,
};
use crate::{
    components::{RequireSignIn, picture::Picture},
    routing::{Id, Page},
};

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
                Ok(()) => crate::routing::navigate(Page::Circulars),
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
