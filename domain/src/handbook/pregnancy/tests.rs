use super::*;

fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

#[test]
fn naegele_adds_280_days_to_the_last_period() {
    assert_eq!(naegele(day("2026-01-01")), day("2026-10-08"));
    // Across a leap day: 2027-06-01 + 280 = 2028-03-07 (2028-02-29 exists).
    assert_eq!(naegele(day("2027-06-01")), day("2028-03-07"));
    assert_eq!(naegele(day("2026-06-01")), day("2027-03-08"));
}

#[test]
fn gestational_age_counts_weeks_and_days_from_the_due_date() {
    let due = day("2026-10-08");
    let on = |d: &str| gestational_age_on(due, day(d)).map(|g| (g.weeks(), g.days()));
    assert_eq!(on("2026-01-01"), Some((0, 0)), "the last period is 0w0d");
    assert_eq!(on("2026-01-07"), Some((0, 6)));
    assert_eq!(on("2026-01-08"), Some((1, 0)));
    assert_eq!(on("2026-03-12"), Some((10, 0)));
    assert_eq!(on("2026-05-25"), Some((20, 4)));
    assert_eq!(on("2026-10-08"), Some((40, 0)), "the due date is 40w0d");
    assert_eq!(on("2026-10-22"), Some((42, 0)));
    assert_eq!(on("2026-12-31"), None, "beyond 45w0d");
    assert_eq!(on("2025-12-31"), None, "before 0w0d");
    assert_eq!(on("2026-11-12").map(|(w, _)| w), Some(45));
}

#[test]
fn gestational_ages_are_weeks_and_days_up_to_45_weeks() {
    let ga = GestationalAge::new(36, 6).unwrap();
    assert_eq!((ga.weeks(), ga.days(), ga.total_days()), (36, 6, 258));
    assert_eq!(GestationalAge::new(36, 7), None);
    assert_eq!(
        GestationalAge::new(45, 0).map(|g| g.total_days()),
        Some(315)
    );
    assert_eq!(GestationalAge::new(45, 1), None);
    assert_eq!(GestationalAge::new(u32::MAX, 0), None);
    assert_eq!(serde_json::to_string(&ga).unwrap(), "258");
    assert!(serde_json::from_str::<GestationalAge>("316").is_err());
}

#[test]
fn a_due_date_comes_from_the_last_period_or_the_doctor() {
    let today = day("2026-03-01");
    assert_eq!(
        due_date(Some(day("2026-01-01")), None, today),
        Ok(Entry::Accepted(DueDate {
            day: day("2026-10-08"),
            basis: DueDateBasis::LastPeriod
        }))
    );
    assert_eq!(
        due_date(None, Some(day("2026-10-01")), today),
        Ok(Entry::Accepted(DueDate {
            day: day("2026-10-01"),
            basis: DueDateBasis::Given
        }))
    );
    // Both, and the same: nothing to confirm.
    assert_eq!(
        due_date(Some(day("2026-01-01")), Some(day("2026-10-08")), today)
            .unwrap()
            .value()
            .basis,
        DueDateBasis::Given
    );
}

#[test]
fn a_given_due_date_other_than_naegeles_asks_for_confirmation() {
    let today = day("2026-03-01");
    let entry = due_date(Some(day("2026-01-01")), Some(day("2026-10-15")), today).unwrap();
    assert_eq!(
        entry,
        Entry::NeedsConfirmation {
            value: DueDate {
                day: day("2026-10-15"),
                basis: DueDateBasis::Given
            },
            reasons: vec![Unusual::DueDateDiffersFromLastPeriod { days: 7 }],
        }
    );
    let earlier = due_date(Some(day("2026-01-01")), Some(day("2026-09-24")), today).unwrap();
    assert!(matches!(
        earlier,
        Entry::NeedsConfirmation { ref reasons, .. }
            if reasons == &[Unusual::DueDateDiffersFromLastPeriod { days: -14 }]
    ));
}

#[test]
fn impossible_pregnancy_dates_are_refused() {
    let today = day("2026-03-01");
    let refused = Err(ErrorCode::PregnancyDatesInvalid);
    assert_eq!(due_date(None, None, today), refused, "nothing entered");
    assert_eq!(
        due_date(Some(day("2026-03-02")), None, today),
        refused,
        "a last period tomorrow"
    );
    assert_eq!(
        due_date(Some(day("2026-01-01")), Some(day("2026-01-01")), today),
        refused,
        "a due date on the last period"
    );
    // 45w0d after the last period is the last day accepted.
    let lmp = day("2025-12-01");
    assert!(due_date(Some(lmp), Some(lmp.add_days(315)), today).is_ok());
    assert_eq!(
        due_date(Some(lmp), Some(lmp.add_days(316)), today),
        refused,
        "more than 45 weeks after the last period"
    );
    // A due date 280 days ahead means 0w0d today; one day more, not pregnant yet.
    assert!(due_date(None, Some(today.add_days(280)), today).is_ok());
    assert_eq!(due_date(None, Some(today.add_days(281)), today), refused);
    // A past pregnancy may be entered.
    assert!(due_date(Some(day("2020-01-01")), None, today).is_ok());
}

#[test]
fn bmi_classes_start_exactly_at_18_5_25_and_30() {
    assert_eq!(BmiClass::of(18.4), BmiClass::Underweight);
    assert_eq!(BmiClass::of(18.5), BmiClass::Normal);
    assert_eq!(BmiClass::of(24.9), BmiClass::Normal);
    assert_eq!(BmiClass::of(25.0), BmiClass::Obese1);
    assert_eq!(BmiClass::of(29.9), BmiClass::Obese1);
    assert_eq!(BmiClass::of(30.0), BmiClass::Obese2OrMore);
    assert_eq!(BmiClass::of(45.0), BmiClass::Obese2OrMore);
}

#[test]
fn each_class_has_the_2021_weight_gain_guide() {
    let range = |min_kg, max_kg| WeightGainGuide::Range { min_kg, max_kg };
    assert_eq!(BmiClass::Underweight.weight_gain_guide(), range(12, 15));
    assert_eq!(BmiClass::Normal.weight_gain_guide(), range(10, 13));
    assert_eq!(BmiClass::Obese1.weight_gain_guide(), range(7, 10));
    assert_eq!(
        BmiClass::Obese2OrMore.weight_gain_guide(),
        WeightGainGuide::Individual { upper_kg: 5 }
    );
}

#[test]
fn bmi_is_weight_over_height_squared_to_one_decimal() {
    let bmi = |h, w| BodySize::check(h, w).unwrap().value().bmi();
    assert_eq!(bmi(160.0, 51.2), 20.0);
    // 47.36 / 1.6² = 18.5 exactly: ふつう, not やせ.
    assert_eq!(bmi(160.0, 47.36), 18.5);
    assert_eq!(BmiClass::of(bmi(160.0, 47.36)), BmiClass::Normal);
    // 63.95 / 1.6² = 24.98…, shown as 25.0, so 肥満(1度) as shown.
    assert_eq!(bmi(160.0, 63.95), 25.0);
    assert_eq!(BmiClass::of(bmi(160.0, 63.95)), BmiClass::Obese1);
    assert_eq!(bmi(150.0, 67.5), 30.0);
    assert_eq!(BmiClass::of(bmi(150.0, 67.5)), BmiClass::Obese2OrMore);
}

#[test]
fn impossible_sizes_are_refused_and_unusual_ones_confirmed() {
    let refused = Err(ErrorCode::BodySizeInvalid);
    assert_eq!(BodySize::check(1.58, 52.0), refused, "height in metres");
    assert_eq!(BodySize::check(158.0, 52_000.0), refused, "weight in grams");
    assert_eq!(BodySize::check(f64::NAN, 52.0), refused);
    assert_eq!(BodySize::check(158.0, -3.0), refused);
    assert!(matches!(
        BodySize::check(158.0, 52.0),
        Ok(Entry::Accepted(BodySize { .. }))
    ));
    assert!(matches!(
        BodySize::check(125.0, 160.0),
        Ok(Entry::NeedsConfirmation { ref reasons, .. })
            if reasons == &[Unusual::HeightUnusual, Unusual::WeightUnusual]
    ));
    assert!(matches!(
        BodySize::check(205.0, 80.0),
        Ok(Entry::NeedsConfirmation { ref reasons, .. }) if reasons == &[Unusual::HeightUnusual]
    ));
}
