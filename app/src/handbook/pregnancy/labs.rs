//! 検査の記録: blood group, the screening tests and the rubella titre, as results come
//! back. Stored in the pregnancy record, so they need the dates first.

use domain::{
    handbook::records::prenatal::{
        BloodGroup, Labs as LabResults, PREGNANCY_COLLECTION, Rh, Screen,
    },
    sync::protocol::Scope,
};
use leptos::prelude::*;

use super::Stored;
use crate::handbook::units;
use crate::{
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    settings,
    sync::Sync,
};

const GROUPS: [(BloodGroup, &str); 4] = [
    (BloodGroup::A, "A"),
    (BloodGroup::B, "B"),
    (BloodGroup::O, "O"),
    (BloodGroup::AB, "AB"),
];

/// The screening tests' names, in the order of [`screens`].
fn screen_name(i18n: leptos_i18n::I18nContext<Locale>, index: usize) -> String {
    match index {
        0 => t_string!(i18n, labs_screen_irregular),
        1 => t_string!(i18n, labs_screen_hbs),
        2 => t_string!(i18n, labs_screen_hcv),
        3 => t_string!(i18n, labs_screen_htlv1),
        _ => t_string!(i18n, labs_screen_syphilis),
    }
    .to_string()
}

fn screens(labs: &LabResults) -> [Option<Screen>; 5] {
    [
        labs.irregular_antibodies,
        labs.hbs_antigen,
        labs.hcv_antibody,
        labs.htlv1_antibody,
        labs.syphilis,
    ]
}

#[component]
pub fn Labs(
    record_id: String,
    scope: Scope,
    stored: RwSignal<Option<Stored>>,
    guardian: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let group = RwSignal::new(String::new());
    let rh = RwSignal::new(String::new());
    let screen_values: [RwSignal<String>; 5] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let rubella = RwSignal::new(String::new());
    let hemoglobin = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let filled = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(Stored { pregnancy, .. }) = stored.get()
            && !filled.get_value()
        {
            filled.set_value(true);
            let labs = &pregnancy.labs;
            group.set(
                GROUPS
                    .iter()
                    .find(|(g, _)| Some(*g) == labs.blood_group)
                    .map(|(_, n)| (*n).to_owned())
                    .unwrap_or_default(),
            );
            rh.set(match labs.rh {
                Some(Rh::Positive) => "+".into(),
                Some(Rh::Negative) => "-".into(),
                None => String::new(),
            });
            for (signal, value) in screen_values.iter().zip(screens(labs)) {
                signal.set(match value {
                    Some(Screen::Negative) => "-".into(),
                    Some(Screen::Positive) => "+".into(),
                    None => String::new(),
                });
            }
            rubella.set(labs.rubella_hi.map(|t| t.to_string()).unwrap_or_default());
            hemoglobin.set(
                labs.hemoglobin_dg
                    .map(|h| units::cm(u32::from(h)))
                    .unwrap_or_default(),
            );
        }
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        let lang = settings::lang(i18n.get_locale_untracked());
        done.set(None);
        let Some(mut pregnancy) = stored.get_untracked().map(|s| s.pregnancy) else {
            error.set(Some(t_string!(i18n, visits_need_due).to_string()));
            return;
        };
        let screen = |s: RwSignal<String>| match s.get_untracked().as_str() {
            "-" => Some(Screen::Negative),
            "+" => Some(Screen::Positive),
            _ => None,
        };
        let invalid = domain::ErrorCode::LabResultInvalid.message(lang).to_owned();
        let Ok(hb) = units::parse_scaled(&hemoglobin.get_untracked(), 1) else {
            error.set(Some(invalid));
            return;
        };
        let [irregular, hbs, hcv, htlv1, syphilis] = screen_values;
        pregnancy.labs = LabResults {
            blood_group: GROUPS
                .iter()
                .find(|(_, n)| *n == group.get_untracked())
                .map(|(g, _)| *g),
            rh: match rh.get_untracked().as_str() {
                "+" => Some(Rh::Positive),
                "-" => Some(Rh::Negative),
                _ => None,
            },
            irregular_antibodies: screen(irregular),
            hbs_antigen: screen(hbs),
            hcv_antibody: screen(hcv),
            htlv1_antibody: screen(htlv1),
            syphilis: screen(syphilis),
            rubella_hi: rubella.get_untracked().parse().ok(),
            hemoglobin_dg: hb.map(|h| h.min(u32::from(u16::MAX)) as u16),
        };
        if let Err(code) = pregnancy.validate() {
            error.set(Some(code.message(lang).to_owned()));
            return;
        }
        let Ok(body) = serde_json::to_value(&pregnancy) else {
            return;
        };
        error.set(None);
        pending.set(true);
        let (id, scope) = (record_id.clone(), scope.clone());
        leptos::task::spawn_local(async move {
            match sync.put(Some(id), PREGNANCY_COLLECTION, scope, body).await {
                Ok(_) => done.set(Some(t_string!(i18n, notes_saved).to_string())),
                Err(e) => error.set(Some(
                    t_string!(i18n, notes_save_failed, reason = e.0).to_string(),
                )),
            }
            pending.set(false);
        });
    };
    let select = move |id: String, value: RwSignal<String>, options: Vec<(String, String)>| {
        view! {
            <select id=id.clone() name=id disabled=!guardian prop:value=move || value.get() on:change=move |e| value.set(event_target_value(&e))>
                <option value="">{t!(i18n, labs_not_yet)}</option>
                {options.into_iter().map(|(v, label)| view! { <option value=v>{label}</option> }).collect_view()}
            </select>
        }
    };
    let negative_positive = move || {
        vec![
            ("-".to_owned(), t_string!(i18n, labs_negative).to_string()),
            ("+".to_owned(), t_string!(i18n, labs_positive).to_string()),
        ]
    };
    let titres: Vec<(String, String)> = std::iter::once((
        "0".to_owned(),
        t_string!(i18n, labs_rubella_below).to_string(),
    ))
    .chain((3..=12).map(|p| {
        let t = 1u16 << p;
        (
            t.to_string(),
            t_string!(i18n, labs_rubella_times, titre = t).to_string(),
        )
    }))
    .collect();
    view! {
        <form class="card labs-form" on:submit=on_submit novalidate aria-labelledby="labs-title">
            <h2 id="labs-title">{t!(i18n, labs_title)}</h2>
            {(!guardian).then(|| view! { <p class="note">{t!(i18n, notes_viewer)}</p> })}
            <div class="field">
                <label for="labs-group">{t!(i18n, labs_blood_group)}</label>
                {select("labs-group".into(), group, GROUPS.iter().map(|(_, n)| ((*n).to_owned(), (*n).to_owned())).collect())}
            </div>
            <div class="field">
                <label for="labs-rh">{t!(i18n, labs_rh)}</label>
                {select("labs-rh".into(), rh, vec![("+".into(), "Rh(+)".into()), ("-".into(), "Rh(−)".into())])}
            </div>
            {screen_values.into_iter().enumerate().map(|(i, value)| view! {
                <div class="field">
                    <label for=format!("labs-screen-{i}")>{screen_name(i18n, i)}</label>
                    {select(format!("labs-screen-{i}"), value, negative_positive())}
                </div>
            }).collect_view()}
            <div class="field">
                <label for="labs-rubella">{t!(i18n, labs_rubella)}</label>
                {select("labs-rubella".into(), rubella, titres)}
            </div>
            <div class="field">
                <label for="labs-hb">{t!(i18n, labs_hemoglobin)}</label>
                <input id="labs-hb" name="labs-hb" type="text" inputmode="decimal" autocomplete="off" disabled=!guardian
                    prop:value=move || hemoglobin.get() on:input=move |e| hemoglobin.set(event_target_value(&e)) />
            </div>
            <FormError error />
            {guardian.then(|| view! { <Submit pending>{t!(i18n, labs_save)}</Submit> })}
            <FormDone done />
        </form>
    }
}
