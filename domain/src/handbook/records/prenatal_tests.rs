//! The pregnancy's records as a mother enters them: slips of units refused with their
//! code, the rest kept as typed.

use super::*;

fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

fn visit() -> Visit {
    Visit {
        date: day("2026-11-20"),
        weight_g: Some(56_400),
        systolic: Some(112),
        diastolic: Some(68),
        urine_protein: Some(Dipstick::Negative),
        urine_glucose: Some(Dipstick::Trace),
        oedema: None,
        fundal_height_mm: Some(180),
        abdominal_girth_mm: Some(820),
        next_visit: Some(day("2026-12-04")),
        facility: "練馬区立病院".into(),
        note: "特になし".into(),
    }
}

#[test]
fn a_visit_reads_back_as_written_with_the_papers_symbols() {
    let json = serde_json::to_value(visit()).unwrap();
    assert_eq!(json["urine_protein"], "-");
    assert_eq!(json["urine_glucose"], "+-");
    assert_eq!(json["next_visit"], "2026-12-04");
    assert!(json.get("oedema").is_none());
    assert_eq!(serde_json::from_value::<Visit>(json).unwrap(), visit());
    assert_eq!(Dipstick::Trace.symbol(), "±");
}

#[test]
fn impossible_visits_are_refused() {
    let with = |change: fn(&mut Visit)| {
        let mut v = visit();
        change(&mut v);
        v.validate()
    };
    for (what, result) in [
        ("weight in kg typed as g", with(|v| v.weight_g = Some(56))),
        ("pressure upside down", with(|v| v.systolic = Some(60))),
        ("only one pressure", with(|v| v.diastolic = None)),
        (
            "fundal height in m",
            with(|v| v.fundal_height_mm = Some(5_000)),
        ),
        (
            "next visit before this",
            with(|v| v.next_visit = Some(day("2026-11-01"))),
        ),
        ("control character", with(|v| v.note = "a\u{0}".into())),
    ] {
        assert_eq!(result, Err(ErrorCode::PrenatalVisitInvalid), "{what}");
    }
    let mut lines = visit();
    lines.note = "1行目\n2行目".into();
    assert_eq!(lines.validate(), Ok(()), "a note may have lines");
}

#[test]
fn a_visit_belongs_to_the_pregnancy_and_to_the_past() {
    let due = day("2027-04-26"); // 0w0d on 2026-07-20
    let today = day("2026-12-05");
    assert_eq!(visit().check_for(due, today), Ok(()));
    let mut later = visit();
    later.date = day("2026-12-06");
    later.next_visit = None;
    assert_eq!(
        later.check_for(due, today),
        Err(ErrorCode::PregnancyDatesInvalid)
    );
    let mut before = visit();
    before.date = day("2026-07-19");
    assert_eq!(
        before.check_for(due, today),
        Err(ErrorCode::PregnancyDatesInvalid)
    );
}

#[test]
fn the_pregnancy_record_keeps_dates_body_and_labs_in_range() {
    let mut p = Pregnancy {
        last_period: Some(day("2026-07-20")),
        due_date: None,
        height_mm: Some(1_580),
        weight_before_g: Some(52_000),
        labs: Labs {
            blood_group: Some(BloodGroup::AB),
            rh: Some(Rh::Negative),
            rubella_hi: Some(32),
            hemoglobin_dg: Some(118),
            ..Labs::default()
        },
    };
    assert_eq!(p.validate(), Ok(()));
    assert_eq!(
        p.due(),
        Some(day("2027-04-26")),
        "Naegele when no date is given"
    );
    p.due_date = Some(day("2027-04-30"));
    assert_eq!(p.due(), Some(day("2027-04-30")), "the doctor's date wins");

    let mut wrong = p.clone();
    wrong.due_date = Some(day("2026-07-01"));
    assert_eq!(wrong.validate(), Err(ErrorCode::PregnancyDatesInvalid));
    let mut none = p.clone();
    none.last_period = None;
    none.due_date = None;
    assert_eq!(none.validate(), Err(ErrorCode::PregnancyDatesInvalid));
    let mut metres = p.clone();
    metres.height_mm = Some(2);
    assert_eq!(metres.validate(), Err(ErrorCode::BodySizeInvalid));
    for titre in [3, 24, 8192] {
        let mut lab = p.clone();
        lab.labs.rubella_hi = Some(titre);
        assert_eq!(lab.validate(), Err(ErrorCode::LabResultInvalid), "{titre}");
    }
    let mut below = p.clone();
    below.labs.rubella_hi = Some(0);
    assert_eq!(below.validate(), Ok(()), "0 is 「8倍未満」");
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["labs"]["blood_group"], "AB");
    assert_eq!(json["labs"]["rh"], "negative");
}
