//! 手帳を書き出す and 手帳を読み込む: the whole handbook of a family as one JSON file
//! (`domain::handbook::export`, docs/handbook-format.md), made on this phone from the
//! sync store, and such a file read back into a new family. The import creates the
//! family through the API, then writes every record through the sync store like a
//! record typed by hand, so it is saved on this phone first and synced from there.

use domain::{
    accounts::FamilySummary,
    families::NewFamily,
    handbook::export::{Family, HandbookFile, parse},
    sync::{
        collections::{CLINICIAN_COLLECTION, HANDBOOK_COLLECTIONS},
        protocol::Scope,
    },
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::{
    account::state::Account,
    api, browser,
    components::I18n,
    form::{FormDone, FormError},
    i18n::*,
    settings,
    sync::Sync,
};

/// The handbook of `family` as a file, from what this phone holds (changes not yet
/// sent included).
async fn handbook_file(family: &FamilySummary) -> Result<HandbookFile, String> {
    let scope = Scope::of("family", &family.id);
    let mut records = Vec::new();
    for collection in HANDBOOK_COLLECTIONS {
        let items = Sync::items(collection, &scope).await.map_err(|e| e.0)?;
        records.extend(
            items
                .into_iter()
                .map(|item| (item.record.collection, item.record.id, item.record.body)),
        );
    }
    let exported_at = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    let child = Family {
        id: family.id.clone(),
        child_name: family.child_name.clone(),
        child_birth_date: family.child_birth_date.clone(),
    };
    Ok(HandbookFile::new(child, exported_at, records))
}

/// 「手帳を書き出す」: saves `handbook-YYYY-MM-DD.json` (no name or health data in the
/// file's name).
#[component]
pub fn Export(family: FamilySummary) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let family = StoredValue::new(family);
    let export = move |_| {
        error.set(None);
        let family = family.get_value();
        leptos::task::spawn_local(async move {
            let saved = match handbook_file(&family).await {
                Ok(file) => {
                    let name = format!("handbook-{}.json", browser::today());
                    browser::save_file(&name, "application/json", &file.to_json()).is_ok()
                }
                Err(_) => false,
            };
            if !saved {
                error.set(Some(t_string!(i18n, vaccines_calendar_failed).to_string()));
            }
        });
    };
    view! {
        <button type="button" class="button secondary" data-testid="handbook-export" on:click=export>
            {t!(i18n, handbook_export)}
        </button>
        <FormError error />
    }
}

/// What a kind of record is called on screen (the collection's own name for a kind this
/// screen has no words for yet).
fn kind_words(i18n: I18n, collection: &str) -> String {
    use domain::handbook::{NOTE_COLLECTION, records::*};
    match collection {
        NOTE_COLLECTION => t_string!(i18n, notes_title),
        prenatal::PREGNANCY_COLLECTION => t_string!(i18n, pregnancy_title),
        prenatal::VISIT_COLLECTION => t_string!(i18n, visits_title),
        BIRTH_COLLECTION => t_string!(i18n, growth_birth_title),
        MEASUREMENT_COLLECTION => t_string!(i18n, growth_measure_title),
        DOSE_COLLECTION => t_string!(i18n, vaccines_title),
        checkups::CHECKUP_COLLECTION => {
            return format!(
                "{}（{}）",
                t_string!(i18n, checkups_title),
                t_string!(i18n, checkups_findings)
            );
        }
        checkups::CHECKUP_NOTE_COLLECTION => {
            return format!(
                "{}（{}）",
                t_string!(i18n, checkups_title),
                t_string!(i18n, notes_title)
            );
        }
        other => other,
    }
    .to_owned()
}

/// The text of the file chosen in `input`.
async fn read_chosen(input: &web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?;
    text.as_string()
}

/// 「手帳を読み込む」: choose a file, see what it holds, and import it as a new family.
#[component]
pub fn Import() -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let account = Account::get();
    let chosen = RwSignal::new(None::<HandbookFile>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        error.set(None);
        done.set(None);
        chosen.set(None);
        leptos::task::spawn_local(async move {
            let lang = settings::lang(i18n.get_locale_untracked());
            let text = read_chosen(&input).await.unwrap_or_default();
            input.set_value("");
            match parse(&text) {
                Ok(file) => chosen.set(Some(file)),
                Err(code) => error.set(Some(code.message(lang).to_owned())),
            }
        });
    };
    let import = move |_| {
        let Some(file) = chosen.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let form = NewFamily {
                child_name: file.family.child_name.clone(),
                child_birth_date: file.family.child_birth_date.clone(),
            };
            let result = match api::create_family(&form).await {
                Ok(family) => {
                    let mut failed = None;
                    // The health centre's findings are theirs to write: a guardian's
                    // import cannot vouch for them, so they stay in the file (the preview
                    // said so) instead of being refused one by one after the import.
                    let records = file.remap(&family.id, browser::new_record_id);
                    let records = records
                        .into_iter()
                        .filter(|r| r.collection != CLINICIAN_COLLECTION);
                    for record in records {
                        let put = sync.put(
                            Some(record.id),
                            &record.collection,
                            record.scope,
                            record.body,
                        );
                        if let Err(e) = put.await {
                            failed =
                                Some(t_string!(i18n, growth_save_failed, reason = e.0).to_string());
                            break;
                        }
                    }
                    account.refresh();
                    failed.map_or(Ok(()), Err)
                }
                Err(e) => Err(e.message()),
            };
            match result {
                Ok(()) => {
                    chosen.set(None);
                    done.set(Some(t_string!(i18n, handbook_import_done).to_string()));
                }
                Err(message) => error.set(Some(message)),
            }
            pending.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="handbook-import-heading" data-testid="handbook-import">
            <h2 id="handbook-import-heading">{t!(i18n, handbook_import)}</h2>
            <label class="file-field">
                <span class="visually-hidden">{t!(i18n, handbook_import)}</span>
                <input id="handbook-file" type="file" accept="application/json,.json" on:change=on_change />
            </label>
            {move || chosen.get().map(|file| {
                let lang = settings::lang(i18n.get_locale_untracked());
                let name = file.family.child_name.clone();
                let born = browser::format_day(&file.family.child_birth_date, lang);
                view! {
                    <div class="import-preview" data-testid="import-preview">
                        <p>{t_string!(i18n, notes_child, name = name).to_string()}</p>
                        <dl>
                            <dt>{t_string!(i18n, field_birth_date)}</dt>
                            <dd>{born}</dd>
                        </dl>
                        <ul>
                            {file.counts().into_iter().filter(|(c, _)| *c != CLINICIAN_COLLECTION).map(|(collection, n)| view! {
                                <li>{t_string!(i18n, handbook_import_count, what = kind_words(i18n, collection), n = n).to_string()}</li>
                            }).collect_view()}
                        </ul>
                        {file.counts().into_iter().find(|(c, _)| *c == CLINICIAN_COLLECTION).map(|(_, n)| view! {
                            <p class="note" data-testid="import-clinician">{t_string!(i18n, handbook_import_clinician, n = n).to_string()}</p>
                        })}
                        <div class="note-actions">
                            <button type="button" class="button" on:click=import
                                aria-disabled=move || pending.get().then_some("true")>
                                {move || if pending.get() { t_string!(i18n, form_sending) } else { t_string!(i18n, handbook_import_yes) }}
                            </button>
                            <button type="button" class="button secondary" on:click=move |_| chosen.set(None)>
                                {t!(i18n, notes_cancel)}
                            </button>
                        </div>
                    </div>
                }
            })}
            <FormError error />
            <FormDone done />
        </section>
    }
}
