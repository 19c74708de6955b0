//! The demo family's second pregnancy, about 20 weeks on the day of seeding: a handbook of
//! its own (one 母子健康手帳 per child; the child's name is 未定 and its "birth date" the due
//! date), with the pregnancy record and the 妊婦健診 visits so far. The values are a
//! believable demo, not reference data; the weight-gain guide the page compares them with
//! comes from `domain::handbook::pregnancy`.

use anyhow::{Context, anyhow};
use domain::{
    dates::Day,
    handbook::{
        pregnancy::TERM_DAYS,
        records::prenatal::{
            BloodGroup, Dipstick, Labs, PREGNANCY_COLLECTION, Pregnancy, Rh, Screen,
            VISIT_COLLECTION, Visit, pregnancy_record_id,
        },
    },
};

use super::handbook::{DemoRecord, write_missing};
use crate::db::{self, Db};

/// How far the pregnancy is on the day the family is first seeded: 20 weeks 3 days.
pub(super) const DAYS_PREGNANT: i64 = 20 * 7 + 3;

/// The due date for a family first seeded on `today` (Naegele: 280 days after the last
/// period).
pub(super) fn due_date(today: Day) -> Day {
    today.add_days(i64::from(TERM_DAYS) - DAYS_PREGNANT)
}

/// The visits so far: (weeks pregnant, weight g, systolic, diastolic, fundal height mm).
const VISITS: [(i64, u32, u16, u16, Option<u32>); 4] = [
    (8, 52_300, 106, 64, None),
    (12, 52_800, 110, 66, None),
    (16, 54_000, 108, 68, Some(150)),
    (20, 55_400, 112, 68, Some(180)),
];

fn records(family: &str, due: Day, today: Day) -> anyhow::Result<Vec<DemoRecord>> {
    let last_period = due.add_days(-i64::from(TERM_DAYS));
    let pregnancy = Pregnancy {
        last_period: Some(last_period),
        due_date: None,
        height_mm: Some(1_580),
        weight_before_g: Some(52_000),
        labs: Labs {
            blood_group: Some(BloodGroup::A),
            rh: Some(Rh::Positive),
            irregular_antibodies: Some(Screen::Negative),
            hbs_antigen: Some(Screen::Negative),
            hcv_antibody: Some(Screen::Negative),
            htlv1_antibody: Some(Screen::Negative),
            syphilis: Some(Screen::Negative),
            rubella_hi: Some(32),
            hemoglobin_dg: Some(121),
        },
    };
    pregnancy
        .validate()
        .map_err(|code| anyhow!("the demo pregnancy is invalid: {code:?}"))?;
    let mut out = vec![(
        pregnancy_record_id(family),
        PREGNANCY_COLLECTION,
        serde_json::to_string(&pregnancy)?,
    )];
    for (n, (weeks, weight_g, systolic, diastolic, fundal)) in VISITS.into_iter().enumerate() {
        let date = last_period.add_days(weeks * 7);
        if date > today {
            continue;
        }
        let visit = Visit {
            date,
            weight_g: Some(weight_g),
            systolic: Some(systolic),
            diastolic: Some(diastolic),
            urine_protein: Some(Dipstick::Negative),
            urine_glucose: Some(Dipstick::Negative),
            oedema: Some(Dipstick::Negative),
            fundal_height_mm: fundal,
            abdominal_girth_mm: None,
            next_visit: Some(date.add_days(if weeks < 20 { 28 } else { 14 })),
            facility: "デモ産院（練馬区）".into(),
            note: String::new(),
        };
        visit
            .check_for(due, today)
            .map_err(|code| anyhow!("demo visit {n} is invalid: {code:?}"))?;
        out.push((
            format!("{family}-visit-{n}"),
            VISIT_COLLECTION,
            serde_json::to_string(&visit)?,
        ));
    }
    Ok(out)
}

/// Writes the pregnancy's records that are missing, for the due date the family has.
pub(super) async fn seed_pregnancy(db: &Db, family: &str) -> anyhow::Result<usize> {
    let due: Option<String> =
        sqlx::query_scalar("SELECT child_birth_date FROM families WHERE id = $1")
            .bind(family)
            .fetch_optional(&db.pool)
            .await?;
    let Some(due) = due else {
        return Ok(0);
    };
    let due = Day::parse(&due).context("the demo pregnancy's due date")?;
    let today = Day::parse(&db::today_tokyo()).context("today in Tokyo")?;
    write_missing(db, family, records(family, due, today)?).await
}

#[cfg(test)]
mod tests {
    use domain::{
        handbook::pregnancy::gestational_age_on,
        sync::{collections, protocol::Scope},
    };

    use super::*;

    #[test]
    fn the_demo_pregnancy_is_twenty_weeks_with_every_visit_so_far_valid() {
        let today = Day::parse("2026-12-06").unwrap();
        let due = due_date(today);
        let age = gestational_age_on(due, today).unwrap();
        assert_eq!((age.weeks(), age.days()), (20, 3));
        let family = "0193a6f0-0000-7000-8000-00000000f002";
        let records = records(family, due, today).unwrap();
        assert_eq!(
            records.len(),
            1 + VISITS.len(),
            "every visit is in the past"
        );
        let scope = Scope::of("family", family);
        for (id, collection, body) in &records {
            let body: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(
                collections::check(collection, id, &scope, &body),
                Ok(()),
                "{id}"
            );
        }
        // Seeded four weeks earlier, the 20-week visit is still to come.
        let earlier = records_for_day(family, due, today.add_days(-28));
        assert_eq!(earlier, 1 + VISITS.len() - 1);
    }

    fn records_for_day(family: &str, due: Day, today: Day) -> usize {
        records(family, due, today).unwrap().len()
    }
}
