//! 電子母子手帳: the mother–child health handbook page: for each family, the links to the
//! child's pages (pregnancy, growth, checkups, vaccinations) and the guardians' notes
//! (保護者の記録), written on the phone first and synced to the family. Health staff get
//! a link to the handbooks shared with the health centre.

use domain::{
    families::FamilyRole,
    handbook::{NOTE_COLLECTION, NOTE_MAX_CHARS, Note},
    sync::{protocol::Scope, view::Item},
};
use leptos::prelude::*;

use crate::components::RequireSignIn;
use crate::routing::{Id, Link, Page};
use crate::{
    account::state::Account,
    browser,
    components::SyncBadge,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    settings,
    sync::Sync,
    tasks::spawn_owned,
};

#[component]
pub fn Handbook() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let staff = move || {
        account
            .me()
            .is_some_and(|me| me.has_role(domain::accounts::Role::HealthStaff))
    };
    view! {
        <h1>{t!(i18n, handbook_title)}</h1>
        <p class="lead">{t!(i18n, handbook_lead)}</p>
        <Show when=staff>
            <p><Link page=Page::HealthCentre class="module-link">{t!(i18n, centre_title)}</Link></p>
        </Show>
        <RequireSignIn>
            <Families />
            <super::export::Import />
        </RequireSignIn>
    }
}

/// One handbook per family the person belongs to.
#[component]
fn Families() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let families = Memo::new(move |_| account.me().map(|me| me.families).unwrap_or_default());
    move || {
        let families = families.get();
        if families.is_empty() {
            return view! { <p class="card">{t!(i18n, notes_no_family)}</p> }.into_any();
        }
        families
            .into_iter()
            .map(|family| {
                view! {
                    <Notes
                        family_id=family.id.clone()
                        child_name=family.child_name.clone()
                        guardian=family.role == FamilyRole::Guardian
                    >
                        <super::export::Export family=family.clone() />
                    </Notes>
                }
            })
            .collect_view()
            .into_any()
    }
}

/// 保護者の記録 of one family: the form (guardians only) and the notes, newest first,
/// each marked 「送信待ち」 or 「送信済み」.
#[component]
fn Notes(
    family_id: String,
    child_name: String,
    guardian: bool,
    /// The handbook's tools (書き出す).
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let scope = Scope::of("family", &family_id);
    let notes: RwSignal<Vec<Item>> = RwSignal::new(Vec::new());
    let load_error = RwSignal::new(None::<String>);
    {
        let scope = scope.clone();
        Effect::new(move |_| {
            sync.revision.track();
            let scope = scope.clone();
            spawn_owned(async move {
                match Sync::items(NOTE_COLLECTION, &scope).await {
                    Ok(items) => {
                        notes.set(items);
                        load_error.set(None);
                    }
                    Err(error) => load_error.set(Some(error.0)),
                }
            });
        });
    }
    let heading_id = format!("notes-{family_id}");
    let labelled_by = heading_id.clone();
    view! {
        <section class="card notes" aria-labelledby=labelled_by>
            <h2 id=heading_id>{move || t_string!(i18n, notes_child, name = child_name.clone()).to_string()}</h2>
            {Id::parse(&family_id).map(|id| view! {
                <ul class="link-list" aria-label=move || t_string!(i18n, growth_links_label)>
                    <li><Link page=Page::Pregnancy(id) class="module-link">{t!(i18n, handbook_link_pregnancy)}</Link></li>
                    <li><Link page=Page::ChildGrowth(id) class="module-link">{t!(i18n, growth_title)}</Link></li>
                    <li><Link page=Page::ChildCheckups(id) class="module-link">{t!(i18n, checkups_title)}</Link></li>
                    <li><Link page=Page::ChildVaccines(id) class="module-link">{t!(i18n, vaccines_title)}</Link></li>
                    <li><Link page=Page::HandbookPrint(id) class="module-link">{t!(i18n, handbook_print)}</Link></li>
                </ul>
            })}
            <div class="note-actions">{children()}</div>
            <h3>{t!(i18n, notes_title)}</h3>
            <p>{t!(i18n, notes_lead)}</p>
            {if guardian {
                view! { <NoteForm family_id=family_id.clone() scope=scope.clone() /> }.into_any()
            } else {
                view! { <p class="note">{t!(i18n, notes_viewer)}</p> }.into_any()
            }}
            <FormError error=load_error />
            <Show
                when=move || !notes.with(Vec::is_empty)
                fallback=move || view! { <p>{t!(i18n, notes_empty)}</p> }
            >
                <ul class="note-list" data-testid="notes">
                    <For
                        each=move || notes.get()
                        key=|item| (item.record.id.clone(), item.record.version, item.pending)
                        children=move |item| view! { <NoteItem item guardian /> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// What a note in the list is showing: itself, its edit form, or the question before
/// deleting it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NoteMode {
    Show,
    Edit,
    ConfirmDelete,
}

/// One note; a guardian can correct it (直す) or delete it (消す, after a question).
/// Both are saved on this phone first and synced like a new note.
#[component]
fn NoteItem(item: Item, guardian: bool) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let Ok(note) = serde_json::from_value::<Note>(item.record.body) else {
        return ().into_any();
    };
    let id = item.record.id;
    let scope = item.record.scope;
    let mode = RwSignal::new(NoteMode::Show);
    let draft = RwSignal::new(note.text.clone());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let day = note.written_on.clone();
    let author = note.author.clone();
    let byline = move || {
        let lang = settings::lang(i18n.get_locale());
        t_string!(
            i18n,
            notes_by,
            day = browser::format_day(&day, lang),
            author = author.clone()
        )
        .to_string()
    };
    let field_id = format!("edit-{id}");
    let text_id = format!("text-{id}");
    let save = {
        let (id, scope, note) = (id.clone(), scope.clone(), note.clone());
        move |event: leptos::ev::SubmitEvent| {
            if begin_submit(&event, pending) {
                return;
            }
            let changed = match Note::new(&draft.get_untracked(), &note.written_on, &note.author) {
                Ok(changed) => changed,
                Err(code) => {
                    let lang = settings::lang(i18n.get_locale_untracked());
                    error.set(Some(code.message(lang).to_owned()));
                    return;
                }
            };
            let Ok(body) = serde_json::to_value(&changed) else {
                return;
            };
            error.set(None);
            pending.set(true);
            let (id, scope) = (id.clone(), scope.clone());
            leptos::task::spawn_local(async move {
                match sync.put(Some(id), NOTE_COLLECTION, scope, body).await {
                    Ok(_) => mode.set(NoteMode::Show),
                    Err(e) => error.set(Some(
                        t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                    )),
                }
                pending.set(false);
            });
        }
    };
    let delete = {
        let id = id.clone();
        move |event: leptos::ev::SubmitEvent| {
            if begin_submit(&event, pending) {
                return;
            }
            pending.set(true);
            let id = id.clone();
            leptos::task::spawn_local(async move {
                if let Err(e) = sync.delete(&id).await {
                    error.set(Some(
                        t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                    ));
                }
                pending.set(false);
            });
        }
    };
    let text = note.text.clone();
    let described = text_id.clone();
    view! {
        <li class="note-item">
            <p class="note-meta">
                <span>{byline}</span>
                <SyncBadge pending=item.pending />
            </p>
            <p class="note-text" id=text_id>{note.text}</p>
            {move || match (guardian, mode.get()) {
                (false, _) => ().into_any(),
                (true, NoteMode::Show) => view! {
                    <div class="note-actions">
                        <button
                            type="button"
                            class="button secondary"
                            aria-describedby=described.clone()
                            on:click={
                                let text = text.clone();
                                move |_| {
                                    draft.set(text.clone());
                                    error.set(None);
                                    mode.set(NoteMode::Edit);
                                }
                            }
                        >
                            {t!(i18n, notes_edit)}
                        </button>
                        <button
                            type="button"
                            class="button secondary"
                            aria-describedby=described.clone()
                            on:click=move |_| mode.set(NoteMode::ConfirmDelete)
                        >
                            {t!(i18n, notes_delete)}
                        </button>
                    </div>
                }
                .into_any(),
                (true, NoteMode::Edit) => view! {
                    <form class="note-form" on:submit=save.clone() novalidate>
                        <div class="field">
                            <label for=field_id.clone()>{t!(i18n, notes_edit_label)}</label>
                            <textarea
                                id=field_id.clone()
                                rows="4"
                                maxlength=NOTE_MAX_CHARS.to_string()
                                aria-invalid=move || error.get().is_some().then_some("true")
                                prop:value=move || draft.get()
                                on:input=move |e| draft.set(event_target_value(&e))
                            ></textarea>
                        </div>
                        <FormError error />
                        <div class="note-actions">
                            <Submit pending>{t!(i18n, notes_update)}</Submit>
                            <button type="button" class="button secondary" on:click=move |_| mode.set(NoteMode::Show)>
                                {t!(i18n, notes_cancel)}
                            </button>
                        </div>
                    </form>
                }
                .into_any(),
                (true, NoteMode::ConfirmDelete) => view! {
                    <form class="note-form" on:submit=delete.clone()>
                        <p role="alert">{t!(i18n, notes_delete_confirm)}</p>
                        <FormError error />
                        <div class="note-actions">
                            <Submit pending>{t!(i18n, notes_delete_yes)}</Submit>
                            <button type="button" class="button secondary" on:click=move |_| mode.set(NoteMode::Show)>
                                {t!(i18n, notes_cancel)}
                            </button>
                        </div>
                    </form>
                }
                .into_any(),
            }}
        </li>
    }
    .into_any()
}

#[component]
fn NoteForm(family_id: String, scope: Scope) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let account = Account::get();
    let text = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let field_id = format!("note-{family_id}");
    let hint_id = format!("{field_id}-hint");
    let error_id = format!("{field_id}-error");
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        done.set(None);
        let author = account.me().map(|me| me.display_name).unwrap_or_default();
        let note = match Note::new(&text.get_untracked(), &browser::today(), &author) {
            Ok(note) => note,
            Err(code) => {
                error.set(Some(
                    code.message(settings::lang(i18n.get_locale_untracked()))
                        .to_owned(),
                ));
                return;
            }
        };
        let Ok(body) = serde_json::to_value(&note) else {
            return;
        };
        error.set(None);
        pending.set(true);
        let scope = scope.clone();
        leptos::task::spawn_local(async move {
            match sync.put(None, NOTE_COLLECTION, scope, body).await {
                Ok(_) => {
                    text.set(String::new());
                    done.set(Some(t_string!(i18n, notes_saved).to_string()));
                }
                Err(e) => error.set(Some(
                    t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    view! {
        <form class="note-form" on:submit=on_submit novalidate>
            <div class="field">
                <label for=field_id.clone()>{t!(i18n, notes_label)}</label>
                <p id=hint_id class="field-hint">{t!(i18n, notes_hint)}</p>
                <textarea
                    id=field_id.clone()
                    name="note"
                    rows="4"
                    maxlength=NOTE_MAX_CHARS.to_string()
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=described_by
                    prop:value=move || text.get()
                    on:input=move |e| text.set(event_target_value(&e))
                ></textarea>
                {move || error.get().map(|message| {
                    view! { <p id=error_id.clone() class="field-error" role="alert">{message}</p> }
                })}
            </div>
            <Submit pending>{t!(i18n, notes_save)}</Submit>
            <FormDone done />
        </form>
    }
}
