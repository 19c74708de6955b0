//! The records' checks as a parent meets them: impossible values refused with their
//! code, rare ones returned for confirmation, everything else accepted.

use super::*;

fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

fn birth() -> Birth {
    Birth {
        sex: Sex::Female,
        time: Some("04:32".into()),
        gestation: GestationalAge::new(39, 2),
        weight_g: Some(3_120),
        length_mm: Some(492),
        head_mm: Some(335),
        chest_mm: Some(320),
        delivery: Some(Delivery::Vaginal),
        facility: "練馬区立病院".into(),
    }
}

fn measured(on: &str, weight_g: Option<u32>, length_mm: Option<u32>) -> Measurement {
    Measurement {
        measured_on: day(on),
        weight_g,
        length_mm,
        head_mm: None,
        note: String::new(),
    }
}

#[test]
fn a_usual_birth_record_is_accepted_as_it_is() {
    let born = day("2026-04-10");
    assert_eq!(birth().check_on(born, day("2026-12-05")), Ok(vec![]));
    let json = serde_json::to_value(birth()).unwrap();
    assert_eq!(json["gestation"], 275, "39w2d as days");
    assert_eq!(serde_json::from_value::<Birth>(json).unwrap(), birth());
}

#[test]
fn impossible_birth_records_are_refused() {
    let born = day("2026-04-10");
    let today = day("2026-12-05");
    let with = |change: fn(&mut Birth)| {
        let mut b = birth();
        change(&mut b);
        b.check_on(born, today)
    };
    for (what, result) in [
        ("0 g", with(|b| b.weight_g = Some(0))),
        ("50 kg", with(|b| b.weight_g = Some(50_000))),
        ("length in cm, not mm", with(|b| b.length_mm = Some(49))),
        ("head 2 m", with(|b| b.head_mm = Some(2_000))),
        ("a time of 25:00", with(|b| b.time = Some("25:00".into()))),
        (
            "20 weeks",
            with(|b| b.gestation = GestationalAge::new(20, 0)),
        ),
        (
            "control character",
            with(|b| b.facility = "病院\u{7}".into()),
        ),
    ] {
        assert_eq!(result, Err(ErrorCode::BirthRecordInvalid), "{what}");
    }
    assert_eq!(
        birth().check_on(day("2026-12-06"), today),
        Err(ErrorCode::BirthInFuture)
    );
}

#[test]
fn rare_but_possible_births_ask_for_confirmation() {
    let born = day("2026-04-10");
    let today = day("2026-12-05");
    let mut early = birth();
    early.weight_g = Some(860);
    early.gestation = GestationalAge::new(26, 3);
    assert_eq!(
        early.check_on(born, today),
        Ok(vec![Unusual::BirthWeight, Unusual::Gestation])
    );
    let mut big = birth();
    big.weight_g = Some(5_200);
    assert_eq!(big.check_on(born, today), Ok(vec![Unusual::BirthWeight]));
}

#[test]
fn a_measurement_needs_a_value_a_day_in_the_childs_life_and_plausible_units() {
    let born = day("2026-04-10");
    let today = day("2026-12-05");
    let b = birth();
    // About the WHO median for a girl of 7 months: 7.6 kg, 66.4 cm.
    let usual = measured("2026-11-10", Some(7_600), Some(664));
    assert_eq!(usual.check_for(born, Some(&b), today), Ok(vec![]));
    assert_eq!(
        usual.values(),
        vec![
            (Indicator::WeightForAge, 7.6),
            (Indicator::LengthHeightForAge, 66.4)
        ]
    );
    assert_eq!(
        measured("2026-11-10", None, None).check_for(born, Some(&b), today),
        Err(ErrorCode::MeasurementInvalid)
    );
    assert_eq!(
        measured("2026-11-10", Some(76_000), None).check_for(born, Some(&b), today),
        Err(ErrorCode::MeasurementInvalid),
        "76 kg: grams typed for tens of grams"
    );
    assert_eq!(
        measured("2026-04-09", Some(3_000), None).check_for(born, Some(&b), today),
        Err(ErrorCode::MeasurementDateInvalid),
        "before the birth"
    );
    assert_eq!(
        measured("2026-12-06", Some(7_600), None).check_for(born, Some(&b), today),
        Err(ErrorCode::MeasurementDateInvalid),
        "tomorrow"
    );
}

#[test]
fn a_measurement_far_from_the_curves_asks_for_confirmation_not_refusal() {
    let born = day("2026-04-10");
    let today = day("2026-12-05");
    let b = birth();
    // 15 kg at 7 months is far above WHO's 97th centile (about 9.6 kg), but a typing
    // slip or a very large baby: the parent confirms.
    let heavy = measured("2026-11-10", Some(15_000), None);
    assert_eq!(
        heavy.check_for(born, Some(&b), today),
        Ok(vec![Unusual::FarFromCurves(Indicator::WeightForAge)])
    );
    // Without a birth record the sex is unknown: no curve to compare with.
    assert_eq!(heavy.check_for(born, None, today), Ok(vec![]));
}
