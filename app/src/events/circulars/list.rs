//! The circulars of the person's associations, unread first, searched by words and month.

use std::collections::BTreeSet;

use domain::{accounts::AssociationMembership, associations::AssociationRole, search};
use leptos::prelude::*;

use super::{Entry, ReadState, form::CircularForm, load};
use crate::{
    account::state::Account, browser, components::SyncBadge, form::FormError, i18n::*,
    routing::Link, settings, sync::Sync, tasks::spawn_owned,
};
use crate::{
    components::RequireSignIn,
    routing::{Id, Page},
};

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
pub(super) fn ReadBadge(read: ReadState) -> impl IntoView {
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
