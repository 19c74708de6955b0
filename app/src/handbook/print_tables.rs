//! The print view's sections, each a plain table with the words of the handbook's own
//! pages: birth, growth, 乳幼児健診, vaccinations, pregnancy, lab results, 妊婦健診 and
//! notes. A
//! section shows only when the handbook has records of its kind.

use domain::{
    dates::Day,
    handbook::{
        NOTE_COLLECTION, Note,
        growth::Sex,
        records::{
            BIRTH_COLLECTION, Birth, DOSE_COLLECTION, Delivery, MEASUREMENT_COLLECTION,
            Measurement,
            checkups::{CHECKUP_COLLECTION, CHECKUP_NOTE_COLLECTION, Checkup, CheckupNote},
            prenatal::{PREGNANCY_COLLECTION, Pregnancy, Screen, VISIT_COLLECTION, Visit},
        },
        vaccinations::DoseRecord,
    },
    sync::view::Item,
};
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use super::{checkups::words as checkup_words, units, vaccines::words};
use crate::{browser, components::I18n, i18n::*, settings};

/// The bodies of one collection's records that read as `T`.
fn bodies<T: DeserializeOwned>(items: &[Item], collection: &str) -> Vec<T> {
    items
        .iter()
        .filter(|item| item.record.collection == collection)
        .filter_map(|item| serde_json::from_value(item.record.body.clone()).ok())
        .collect()
}

fn day(i18n: I18n, day: Day) -> String {
    browser::format_day(
        &day.to_string(),
        settings::lang(i18n.get_locale_untracked()),
    )
}

/// A section: its heading, and a table of `head` columns (none: a table of label and
/// value rows, the label a row header).
fn section(title: String, head: Vec<String>, rows: Vec<Vec<String>>) -> AnyView {
    if rows.is_empty() {
        return ().into_any();
    }
    let by_label = head.is_empty();
    view! {
        <section class="print-section">
            <h3>{title}</h3>
            <table class="print-table">
                {(!by_label).then(|| view! {
                    <thead><tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                })}
                <tbody>
                    {rows.into_iter().map(|row| {
                        let mut cells = row.into_iter();
                        let first = cells.next().unwrap_or_default();
                        view! {
                            <tr>
                                {if by_label {
                                    view! { <th scope="row">{first}</th> }.into_any()
                                } else {
                                    view! { <td>{first}</td> }.into_any()
                                }}
                                {cells.map(|c| view! { <td>{c}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

/// Label and value rows for the values that are there.
fn facts(pairs: Vec<(&str, Option<String>)>) -> Vec<Vec<String>> {
    pairs
        .into_iter()
        .filter_map(|(label, value)| {
            value
                .filter(|v| !v.is_empty())
                .map(|v| vec![label.to_owned(), v])
        })
        .collect()
}

fn birth(i18n: I18n, items: &[Item]) -> AnyView {
    let Some(b) = bodies::<Birth>(items, BIRTH_COLLECTION).into_iter().next() else {
        return ().into_any();
    };
    let sex = match b.sex {
        Sex::Male => t_string!(i18n, growth_sex_male),
        Sex::Female => t_string!(i18n, growth_sex_female),
    };
    let delivery = b.delivery.map(|d| match d {
        Delivery::Vaginal => t_string!(i18n, growth_delivery_vaginal).to_owned(),
        Delivery::Assisted => t_string!(i18n, growth_delivery_assisted).to_owned(),
        Delivery::Caesarean => t_string!(i18n, growth_delivery_caesarean).to_owned(),
    });
    let gestation = b.gestation.map(|g| {
        t_string!(
            i18n,
            growth_gestation_value,
            weeks = g.weeks(),
            days = g.days()
        )
        .to_string()
    });
    let rows = facts(vec![
        (t_string!(i18n, growth_sex), Some(sex.to_owned())),
        (t_string!(i18n, growth_time), b.time.clone()),
        (t_string!(i18n, growth_gestation), gestation),
        (
            t_string!(i18n, growth_birth_weight),
            b.weight_g.map(|g| g.to_string()),
        ),
        (
            t_string!(i18n, growth_birth_length),
            b.length_mm.map(units::cm),
        ),
        (t_string!(i18n, growth_birth_head), b.head_mm.map(units::cm)),
        (
            t_string!(i18n, growth_birth_chest),
            b.chest_mm.map(units::cm),
        ),
        (t_string!(i18n, growth_delivery), delivery),
        (t_string!(i18n, growth_facility), Some(b.facility.clone())),
    ]);
    section(
        t_string!(i18n, growth_birth_title).to_owned(),
        Vec::new(),
        rows,
    )
}

fn growth(i18n: I18n, items: &[Item]) -> AnyView {
    let mut measured = bodies::<Measurement>(items, MEASUREMENT_COLLECTION);
    // Records of one day in the order of their values, not of their ids, so the same
    // handbook prints the same after an import.
    measured.sort_by_key(|m| (m.measured_on, m.weight_g, m.length_mm, m.head_mm));
    let head = [
        t_string!(i18n, growth_measured_on),
        t_string!(i18n, growth_weight_kg),
        t_string!(i18n, growth_length_cm),
        t_string!(i18n, growth_head_cm),
        t_string!(i18n, growth_note),
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = measured
        .into_iter()
        .map(|m| {
            vec![
                day(i18n, m.measured_on),
                m.weight_g.map(units::kg).unwrap_or_default(),
                m.length_mm.map(units::cm).unwrap_or_default(),
                m.head_mm.map(units::cm).unwrap_or_default(),
                m.note,
            ]
        })
        .collect();
    section(t_string!(i18n, growth_measure_title).to_owned(), head, rows)
}

fn doses(i18n: I18n, items: &[Item]) -> AnyView {
    let lang = settings::lang(i18n.get_locale_untracked());
    let mut given = bodies::<DoseRecord>(items, DOSE_COLLECTION);
    given.sort_by(|a, b| (a.date, &a.vaccine, a.dose).cmp(&(b.date, &b.vaccine, b.dose)));
    let head = [
        t_string!(i18n, vaccines_given_on),
        t_string!(i18n, vaccines_field_vaccine),
        t_string!(i18n, vaccines_field_dose),
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = given
        .into_iter()
        .map(|d| {
            let mut vaccine = vec![words::vaccine_name(&d.vaccine, lang)];
            if let Some(product) = &d.product {
                vaccine
                    .push(t_string!(i18n, vaccines_product, product = product.clone()).to_string());
            }
            if !d.lot_number.is_empty() {
                vaccine.push(t_string!(i18n, vaccines_lot, lot = d.lot_number.clone()).to_string());
            }
            if !d.facility.is_empty() {
                vaccine.push(
                    t_string!(i18n, vaccines_facility, facility = d.facility.clone()).to_string(),
                );
            }
            vec![
                day(i18n, d.date),
                vaccine.join(t_string!(i18n, growth_separator)),
                words::dose_label(d.dose, lang),
            ]
        })
        .collect();
    section(
        t_string!(i18n, vaccines_records_title).to_owned(),
        head,
        rows,
    )
}

fn pregnancy(i18n: I18n, items: &[Item]) -> AnyView {
    let Some(p) = bodies::<Pregnancy>(items, PREGNANCY_COLLECTION)
        .into_iter()
        .next()
    else {
        return ().into_any();
    };
    let basis = if p.due_date.is_some() {
        t_string!(i18n, pregnancy_basis_given)
    } else {
        t_string!(i18n, pregnancy_basis_last_period)
    };
    let due = p.due().map(|due| {
        t_string!(
            i18n,
            pregnancy_due_line,
            day = day(i18n, due),
            basis = basis
        )
        .to_string()
    });
    let dates = facts(vec![
        (
            t_string!(i18n, pregnancy_last_period),
            p.last_period.map(|d| day(i18n, d)),
        ),
        (
            t_string!(i18n, pregnancy_height),
            p.height_mm.map(units::cm),
        ),
        (
            t_string!(i18n, pregnancy_weight_before),
            p.weight_before_g.map(units::kg),
        ),
    ]);
    let screen = |s: Option<Screen>| {
        s.map(|s| match s {
            Screen::Negative => t_string!(i18n, labs_negative).to_owned(),
            Screen::Positive => t_string!(i18n, labs_positive).to_owned(),
        })
    };
    let labs = &p.labs;
    let rubella = labs.rubella_hi.map(|t| match t {
        0 => t_string!(i18n, labs_rubella_below).to_string(),
        t => t_string!(i18n, labs_rubella_times, titre = t).to_string(),
    });
    let rh = labs.rh.map(|rh| match rh {
        domain::handbook::records::prenatal::Rh::Positive => t_string!(i18n, labs_positive),
        domain::handbook::records::prenatal::Rh::Negative => t_string!(i18n, labs_negative),
    });
    let lab_rows = facts(vec![
        (
            t_string!(i18n, labs_blood_group),
            labs.blood_group.map(|g| format!("{g:?}")),
        ),
        (t_string!(i18n, labs_rh), rh.map(str::to_owned)),
        (
            t_string!(i18n, labs_screen_irregular),
            screen(labs.irregular_antibodies),
        ),
        (t_string!(i18n, labs_screen_hbs), screen(labs.hbs_antigen)),
        (t_string!(i18n, labs_screen_hcv), screen(labs.hcv_antibody)),
        (
            t_string!(i18n, labs_screen_htlv1),
            screen(labs.htlv1_antibody),
        ),
        (t_string!(i18n, labs_screen_syphilis), screen(labs.syphilis)),
        (t_string!(i18n, labs_rubella), rubella),
        (
            t_string!(i18n, labs_hemoglobin),
            labs.hemoglobin_dg.map(|h| format!("{}.{}", h / 10, h % 10)),
        ),
    ]);
    view! {
        {due.map(|due| view! { <p>{due}</p> })}
        {section(t_string!(i18n, pregnancy_dates_title).to_owned(), Vec::new(), dates)}
        {section(t_string!(i18n, labs_title).to_owned(), Vec::new(), lab_rows)}
    }
    .into_any()
}

fn visits(i18n: I18n, items: &[Item]) -> AnyView {
    let mut visits = bodies::<Visit>(items, VISIT_COLLECTION);
    visits.sort_by_key(|v| (v.date, v.weight_g));
    let head = [
        t_string!(i18n, visits_date),
        t_string!(i18n, visits_weight),
        t_string!(i18n, visits_pressure),
        t_string!(i18n, visits_protein),
        t_string!(i18n, visits_glucose),
        t_string!(i18n, visits_oedema),
        t_string!(i18n, visits_fundal),
        t_string!(i18n, visits_girth),
        t_string!(i18n, visits_note),
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = visits
        .into_iter()
        .map(|v| {
            let pressure = v.systolic.zip(v.diastolic).map(|(s, d)| format!("{s}/{d}"));
            let mut notes = Vec::new();
            if let Some(next) = v.next_visit {
                notes.push(t_string!(i18n, visits_fact_next, day = day(i18n, next)).to_string());
            }
            notes.extend([v.facility, v.note].into_iter().filter(|t| !t.is_empty()));
            vec![
                day(i18n, v.date),
                v.weight_g.map(units::kg).unwrap_or_default(),
                pressure.unwrap_or_default(),
                v.urine_protein
                    .map(|d| d.symbol().to_owned())
                    .unwrap_or_default(),
                v.urine_glucose
                    .map(|d| d.symbol().to_owned())
                    .unwrap_or_default(),
                v.oedema.map(|d| d.symbol().to_owned()).unwrap_or_default(),
                v.fundal_height_mm.map(units::cm).unwrap_or_default(),
                v.abdominal_girth_mm.map(units::cm).unwrap_or_default(),
                notes.join(t_string!(i18n, growth_separator)),
            ]
        })
        .collect();
    section(t_string!(i18n, visits_title).to_owned(), head, rows)
}

fn checkups(i18n: I18n, items: &[Item]) -> AnyView {
    let lang = settings::lang(i18n.get_locale_untracked());
    let mut found = bodies::<Checkup>(items, CHECKUP_COLLECTION);
    found.sort_by_key(|c| (c.date, c.age, c.weight_g));
    let head = [
        t_string!(i18n, checkups_date),
        t_string!(i18n, checkups_age),
        t_string!(i18n, growth_weight_kg),
        t_string!(i18n, growth_length_cm),
        t_string!(i18n, growth_head_cm),
        t_string!(i18n, checkups_judgement),
        t_string!(i18n, checkups_facility),
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = found
        .into_iter()
        .map(|c| {
            vec![
                day(i18n, c.date),
                checkup_words::age(c.age, lang).to_owned(),
                c.weight_g.map(units::kg).unwrap_or_default(),
                c.length_mm.map(units::cm).unwrap_or_default(),
                c.head_mm.map(units::cm).unwrap_or_default(),
                checkup_words::judgement(c.judgement, lang).to_owned(),
                c.facility,
            ]
        })
        .collect();
    let mut notes = bodies::<CheckupNote>(items, CHECKUP_NOTE_COLLECTION);
    notes.sort_by_key(|n| n.age);
    let parent_rows = notes
        .into_iter()
        .map(|n| {
            let mut lines: Vec<String> = (n.milestones.iter())
                .map(|(m, d)| format!("{}: {}", checkup_words::milestone(*m, lang), day(i18n, *d)))
                .collect();
            if !n.notes.is_empty() {
                lines.push(n.notes.clone());
            }
            vec![
                checkup_words::age(n.age, lang).to_owned(),
                lines.join(" / "),
            ]
        })
        .collect();
    let title = t_string!(i18n, checkups_title);
    view! {
        {section(format!("{title}: {}", t_string!(i18n, checkups_findings)), head, rows)}
        {section(format!("{title}: {}", t_string!(i18n, notes_title)), Vec::new(), parent_rows)}
    }
    .into_any()
}

fn notes(i18n: I18n, items: &[Item]) -> AnyView {
    let mut notes = bodies::<Note>(items, NOTE_COLLECTION);
    notes.sort_by(|a, b| (&a.written_on, &a.text).cmp(&(&b.written_on, &b.text)));
    let lang = settings::lang(i18n.get_locale_untracked());
    let rows = notes
        .into_iter()
        .map(|n| {
            let day = browser::format_day(&n.written_on, lang);
            let by = t_string!(i18n, notes_by, day = day, author = n.author).to_string();
            vec![by, n.text]
        })
        .collect();
    section(t_string!(i18n, notes_title).to_owned(), Vec::new(), rows)
}

/// Every section, drawn again when the records change.
#[component]
pub fn Sections(items: RwSignal<Vec<Item>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        i18n.get_locale();
        items.with(|items| {
            view! {
                {birth(i18n, items)}
                {growth(i18n, items)}
                {checkups(i18n, items)}
                {doses(i18n, items)}
                {pregnancy(i18n, items)}
                {visits(i18n, items)}
                {notes(i18n, items)}
            }
        })
    }
}
