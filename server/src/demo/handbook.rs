//! The demo family's handbook (練馬 さくら, born about eight months before the day of
//! seeding): the birth record, the growth measured at each checkup so far (with the
//! checkups' findings and the parent's records, `checkups.rs`) and every vaccination dose
//! due so far. Nothing here is made up where the domain knows better:
//! the measurements are WHO 2006's values at a fixed centile for the day's age
//! (`who2006().value_at_percentile`), and each dose is given on the first day the
//! vaccination rules recommend it, given the doses before it (`vaccinations::schedule`).
//! Records have fixed ids and are written only when missing.

use anyhow::{Context, anyhow};
use domain::{
    dates::Day,
    handbook::{
        growth::{Indicator, Sex, who2006},
        pregnancy::GestationalAge,
        records::{
            BIRTH_COLLECTION, Birth, DOSE_COLLECTION, Delivery, MEASUREMENT_COLLECTION,
            Measurement, birth_record_id,
        },
        vaccinations::{DoseRecord, Status, rules, schedule},
    },
    sync::protocol::Scope,
};

use crate::{
    db::{self, Db},
    sync,
};

/// How many months old the demo child is on the day the family is first seeded.
pub(super) const AGE_MONTHS: i32 = 8;

/// The centiles the demo child grows along: weight, length, head circumference.
const CENTILES: [(Indicator, f64); 3] = [
    (Indicator::WeightForAge, 50.0),
    (Indicator::LengthHeightForAge, 60.0),
    (Indicator::HeadCircumferenceForAge, 50.0),
];

/// The checkups (乳幼児健診) with a measurement: (months, days after those months, note).
const CHECKUPS: [(i32, i64, &str); 4] = [
    (0, 14, "2週間健診"),
    (1, 0, "1か月健診"),
    (3, 15, "3〜4か月健診"),
    (6, 15, "6〜7か月健診"),
];

/// Of the two rotavirus courses the rules offer, the demo child had Rotarix.
const NOT_CHOSEN: &[&str] = &["rota_rv5"];

/// The demo child's birthday for a family first seeded on `today`.
pub(super) fn birth_date(today: Day) -> Day {
    today.add_months(-AGE_MONTHS)
}

/// One record to write: (id, collection, body).
pub(super) type DemoRecord = (String, &'static str, String);

/// The birth record: female, 39w2d, 3,120 g, 49.2 cm; the head circumference is WHO's
/// median at birth.
fn birth(family: &str) -> anyhow::Result<(String, Birth)> {
    let head_cm = who2006()
        .value_at_percentile(Indicator::HeadCircumferenceForAge, Sex::Female, 0.0, 50.0)
        .context("WHO's head circumference at birth")?;
    let birth = Birth {
        sex: Sex::Female,
        time: Some("03:42".into()),
        gestation: GestationalAge::new(39, 2),
        weight_g: Some(3_120),
        length_mm: Some(492),
        head_mm: Some((head_cm * 10.0).round() as u32),
        chest_mm: None,
        delivery: Some(Delivery::Vaginal),
        facility: "デモ産院（練馬区）".into(),
    };
    Ok((birth_record_id(family), birth))
}

/// The measurements of the checkups held before `today`, each with a fixed id.
fn measurements(born: Day, today: Day) -> anyhow::Result<Vec<(String, Measurement)>> {
    let mut out = Vec::new();
    for (n, (months, days, note)) in CHECKUPS.iter().enumerate() {
        let on = born.add_months(*months).add_days(*days);
        if on >= today {
            break;
        }
        let age = (on.days_from_epoch() - born.days_from_epoch()) as f64;
        let mut values = [0u32; 3];
        for (value, (indicator, centile)) in values.iter_mut().zip(CENTILES) {
            let at = who2006()
                .value_at_percentile(indicator, Sex::Female, age, centile)
                .ok_or_else(|| anyhow!("no WHO value for {indicator:?} at {age} days"))?;
            // kg to g, cm to mm.
            let per_unit = if indicator == Indicator::WeightForAge {
                1_000.0
            } else {
                10.0
            };
            *value = (at * per_unit).round() as u32;
        }
        let measurement = Measurement {
            measured_on: on,
            weight_g: Some(values[0]),
            length_mm: Some(values[1]),
            head_mm: Some(values[2]),
            note: (*note).into(),
        };
        out.push((
            format!("0193a6f0-0000-7000-8000-00000f0a00{:02}", n + 1),
            measurement,
        ));
    }
    Ok(out)
}

/// Every dose due before `today`, each given on the first day the schedule recommends it
/// (the doses before it as given): the day is walked from the birth, and on each day the
/// doses the schedule calls due are given. Ids are fixed by vaccine and dose number.
fn doses(born: Day, today: Day) -> Vec<(String, DoseRecord)> {
    let mut given: Vec<DoseRecord> = Vec::new();
    let mut day = born;
    while day < today {
        let due: Vec<_> = schedule(born, &given, day)
            .into_iter()
            .filter(|d| {
                matches!(d.status, Status::Due | Status::Overdue)
                    && !NOT_CHOSEN.contains(&d.vaccine.as_str())
            })
            .collect();
        for dose in due {
            given.push(DoseRecord {
                date: day,
                lot_number: format!("DEMO-{:02}", given.len() + 1),
                facility: "デモ小児科（練馬区）".into(),
                product: dose.products.first().cloned(),
                vaccine: dose.vaccine,
                dose: dose.dose,
            });
        }
        day = day.add_days(1);
    }
    given
        .into_iter()
        .map(|record| {
            let vaccine = rules()
                .vaccines
                .iter()
                .position(|v| v.id == record.vaccine)
                .unwrap_or(99);
            (
                format!(
                    "0193a6f0-0000-7000-8000-00000f0d{vaccine:02}{:02}",
                    record.dose
                ),
                record,
            )
        })
        .collect()
}

/// Every handbook record of a child born on `born`, as seeded on `today`.
fn records(family: &str, born: Day, today: Day) -> anyhow::Result<Vec<DemoRecord>> {
    let (id, birth) = birth(family)?;
    birth
        .validate()
        .map_err(|code| anyhow!("the demo birth record is invalid: {code:?}"))?;
    let mut out = vec![(id, BIRTH_COLLECTION, serde_json::to_string(&birth)?)];
    let measured = measurements(born, today)?;
    for (id, measurement) in &measured {
        measurement
            .validate()
            .map_err(|code| anyhow!("demo measurement {id} is invalid: {code:?}"))?;
        out.push((
            id.clone(),
            MEASUREMENT_COLLECTION,
            serde_json::to_string(measurement)?,
        ));
    }
    out.extend(super::checkups::records(family, &measured)?);
    for (id, dose) in doses(born, today) {
        dose.validate()
            .map_err(|e| anyhow!("demo dose {id} is invalid: {e:?}"))?;
        out.push((id, DOSE_COLLECTION, serde_json::to_string(&dose)?));
    }
    Ok(out)
}

/// Writes the demo family's handbook records that are missing, in its scope, for the
/// child's birthday as the family has it; returns how many were added.
pub(super) async fn seed_handbook(db: &Db, family: &str) -> anyhow::Result<usize> {
    let born: Option<String> =
        sqlx::query_scalar("SELECT child_birth_date FROM families WHERE id = $1")
            .bind(family)
            .fetch_optional(&db.pool)
            .await?;
    let Some(born) = born else {
        return Ok(0);
    };
    let born = Day::parse(&born).context("the demo family's birth date")?;
    let today = Day::parse(&db::today_tokyo()).context("today in Tokyo")?;
    write_missing(db, family, records(family, born, today)?).await
}

/// Writes the records that are missing, in the family's scope; returns how many.
pub(super) async fn write_missing(
    db: &Db,
    family: &str,
    records: Vec<DemoRecord>,
) -> anyhow::Result<usize> {
    let scope = Scope::of("family", family);
    let mut added = 0;
    let mut tx = db.begin_write().await?;
    let mut seq = sync::take_counter(&mut tx)
        .await
        .map_err(|e| anyhow!("{e:?}"))?;
    for (id, collection, body) in records {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM sync_records WHERE id = $1")
                .bind(&id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            continue;
        }
        sync::write_record(
            &mut tx, &id, collection, &scope, &body, false, "demo", &mut seq,
        )
        .await
        .map_err(|e| anyhow!("{e:?}"))?;
        added += 1;
    }
    sync::store_counter(&mut tx, seq)
        .await
        .map_err(|e| anyhow!("{e:?}"))?;
    tx.commit().await?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use domain::{
        handbook::{
            records::{
                Unusual,
                checkups::{CHECKUP_COLLECTION, CHECKUP_NOTE_COLLECTION, Checkup, CheckupNote},
            },
            vaccinations::check,
        },
        sync::{collections, protocol::Scope},
    };

    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    const FAMILY: &str = "0193a6f0-0000-7000-8000-00000000f001";

    #[test]
    fn the_demo_handbook_is_what_a_guardian_could_have_pushed_and_agrees_with_the_rules() {
        for today in ["2026-12-06", "2026-02-28", "2027-07-31"] {
            let today = day(today);
            let born = birth_date(today);
            let scope = Scope::of("family", FAMILY);
            let records = records(FAMILY, born, today).unwrap();
            for (id, collection, body) in &records {
                let body: serde_json::Value = serde_json::from_str(body).unwrap();
                assert_eq!(
                    collections::check(collection, id, &scope, &body),
                    Ok(()),
                    "{id} {body}"
                );
                assert!(domain::sync::ids::is_client_id(id), "{id}");
            }
            let (_, birth) = birth(FAMILY).unwrap();
            assert_eq!(birth.check_on(born, today), Ok(Vec::<Unusual>::new()));
            let measured = measurements(born, today).unwrap();
            assert_eq!(measured.len(), 4, "every checkup up to 6–7 months");
            for (_, m) in &measured {
                assert_eq!(m.check_for(born, Some(&birth), today), Ok(Vec::new()));
            }
            // A finding and a parent's record for each checkup measured, dated in range.
            let checkups: Vec<_> = (records.iter())
                .filter(|r| r.1 == CHECKUP_COLLECTION)
                .map(|r| serde_json::from_str::<Checkup>(&r.2).unwrap())
                .collect();
            assert_eq!(checkups.len(), 4);
            assert!(checkups.iter().all(|c| c.check_for(born, today).is_ok()));
            let notes = (records.iter()).filter(|r| r.1 == CHECKUP_NOTE_COLLECTION);
            for (_, _, body) in notes {
                let note: CheckupNote = serde_json::from_str(body).unwrap();
                assert_eq!(note.check_for(born, today), Ok(()), "{note:?}");
            }
            let given = doses(born, today);
            let all: Vec<DoseRecord> = given.iter().map(|(_, d)| d.clone()).collect();
            for (n, (id, dose)) in given.iter().enumerate() {
                let others: Vec<DoseRecord> = all
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != n)
                    .map(|(_, d)| d.clone())
                    .collect();
                assert_eq!(check(dose, born, &others), [], "{id} {dose:?}");
                assert!(dose.date < today);
            }
            let ids: std::collections::BTreeSet<_> = records.iter().map(|r| &r.0).collect();
            assert_eq!(ids.len(), records.len(), "ids are unique");
            // The first-year course so far: 5種混合 ×3, PCV ×3, B型肝炎 ×2 or 3,
            // Rotarix ×2, BCG.
            let count = |v: &str| all.iter().filter(|d| d.vaccine == v).count();
            assert_eq!(count("dpt_ipv_hib"), 3, "{all:?}");
            assert_eq!(count("pcv"), 3);
            assert_eq!(count("rota_rv1"), 2);
            assert_eq!(count("rota_rv5"), 0);
            assert_eq!(count("bcg"), 1);
            assert!((2..=3).contains(&count("hepb")));
            // Nothing is overdue on the day of seeding: the demo family kept to time.
            let now = schedule(born, &all, today);
            assert!(now.iter().all(|d| d.status != Status::Overdue), "{now:?}");
        }
    }

    #[test]
    fn the_same_birthday_gives_the_same_records_whenever_it_is_seeded_again() {
        let born = day("2026-04-06");
        let early = records(FAMILY, born, day("2026-12-06")).unwrap();
        let later = records(FAMILY, born, day("2027-01-20")).unwrap();
        for record in &early {
            assert!(later.contains(record), "{record:?}");
        }
    }
}
