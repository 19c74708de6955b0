use super::*;

fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

fn findings(age: CheckupAge, date: &str) -> Checkup {
    Checkup {
        age,
        date: day(date),
        weight_g: Some(7_800),
        length_mm: Some(680),
        head_mm: Some(430),
        chest_mm: Some(440),
        nutrition: Some(Nutrition::Good),
        feeding: Some(Feeding::Mixed),
        development: "年齢相応".into(),
        teeth: None,
        judgement: Judgement::Healthy,
        notes: String::new(),
        facility: "練馬区保健相談所".into(),
    }
}

#[test]
fn checkup_ages_are_reached_in_order_and_the_current_one_is_the_last_reached() {
    let born = day("2026-04-05");
    assert_eq!(CheckupAge::Weeks2.reached(born), day("2026-04-19"));
    assert_eq!(CheckupAge::Months3to4.reached(born), day("2026-07-05"));
    assert_eq!(CheckupAge::Year1Months6.reached(born), day("2027-10-05"));
    assert!(
        CheckupAge::ALL
            .windows(2)
            .all(|w| w[0].reached(born) < w[1].reached(born))
    );
    assert_eq!(CheckupAge::current(born, day("2026-04-10")), None);
    assert_eq!(
        CheckupAge::current(born, day("2026-12-06")),
        Some(CheckupAge::Months6to7)
    );
    assert_eq!(
        CheckupAge::current(born, day("2027-01-05")),
        Some(CheckupAge::Months9to10)
    );
}

#[test]
fn findings_keep_to_what_a_child_can_have_and_teeth_come_from_one_and_a_half() {
    let ok = findings(CheckupAge::Months6to7, "2026-10-20");
    assert_eq!(ok.validate(), Ok(()));
    let wrong: [(&str, Checkup); 6] = [
        (
            "50 kg",
            Checkup {
                weight_g: Some(90_000),
                ..ok.clone()
            },
        ),
        (
            "no length",
            Checkup {
                length_mm: Some(10),
                ..ok.clone()
            },
        ),
        (
            "teeth at 6 months",
            Checkup {
                teeth: Some(Teeth {
                    erupted: 2,
                    decayed: 0,
                }),
                ..ok.clone()
            },
        ),
        (
            "long notes",
            Checkup {
                notes: "あ".repeat(501),
                ..ok.clone()
            },
        ),
        (
            "control characters",
            Checkup {
                development: "a\u{7}".into(),
                ..ok.clone()
            },
        ),
        (
            "padded facility",
            Checkup {
                facility: " 保健所".into(),
                ..ok.clone()
            },
        ),
    ];
    for (what, checkup) in wrong {
        assert_eq!(checkup.validate(), Err(ErrorCode::CheckupInvalid), "{what}");
    }
    let older = Checkup {
        teeth: Some(Teeth {
            erupted: 16,
            decayed: 1,
        }),
        ..findings(CheckupAge::Year1Months6, "2027-10-10")
    };
    assert_eq!(older.validate(), Ok(()));
    let more_decayed = Checkup {
        teeth: Some(Teeth {
            erupted: 2,
            decayed: 3,
        }),
        ..older
    };
    assert_eq!(more_decayed.validate(), Err(ErrorCode::CheckupInvalid));
}

#[test]
fn a_checkup_before_the_birth_or_after_today_is_refused() {
    let born = day("2026-04-05");
    let today = day("2026-12-06");
    let before = findings(CheckupAge::Weeks2, "2026-04-01");
    assert_eq!(
        before.check_for(born, today),
        Err(ErrorCode::CheckupDateInvalid)
    );
    let after = findings(CheckupAge::Months9to10, "2027-01-10");
    assert_eq!(
        after.check_for(born, today),
        Err(ErrorCode::CheckupDateInvalid)
    );
    let fine = findings(CheckupAge::Months6to7, "2026-11-01");
    assert_eq!(fine.check_for(born, today), Ok(()));
}

#[test]
fn the_parents_record_takes_its_own_ages_milestones_and_questions() {
    let born = day("2026-04-05");
    let today = day("2026-12-06");
    let mut note = CheckupNote {
        age: CheckupAge::Months6to7,
        milestones: BTreeMap::from([(Milestone::RollOver, day("2026-09-20"))]),
        answers: BTreeMap::from([("m6_reach".to_owned(), true)]),
        notes: "よく笑う".into(),
    };
    assert_eq!(note.check_for(born, today), Ok(()));
    note.milestones
        .insert(Milestone::WalkAlone, day("2026-10-01"));
    assert_eq!(
        note.validate(),
        Err(ErrorCode::CheckupInvalid),
        "a milestone of 1 y 6 m"
    );
    note.milestones.remove(&Milestone::WalkAlone);
    note.answers.insert("y3_name".into(), true);
    assert_eq!(
        note.validate(),
        Err(ErrorCode::CheckupInvalid),
        "a question of 3 y"
    );
    note.answers.remove("y3_name");
    note.milestones
        .insert(Milestone::SitAlone, day("2027-02-01"));
    assert_eq!(
        note.check_for(born, today),
        Err(ErrorCode::CheckupDateInvalid)
    );
}

#[test]
fn every_question_id_is_unique_and_every_milestone_has_an_age_with_a_record() {
    let mut ids: Vec<&str> = CheckupAge::ALL
        .iter()
        .flat_map(|age| age.questions().iter().map(|q| q.id))
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count);
    assert!(count >= 25);
    let asked: usize = CheckupAge::ALL
        .iter()
        .map(|a| Milestone::at(*a).count())
        .sum();
    assert_eq!(asked, 7);
}

#[test]
fn records_read_back_as_written_with_days_as_text() {
    let note = CheckupNote {
        age: CheckupAge::Months3to4,
        milestones: BTreeMap::from([(Milestone::HeadControl, day("2026-07-20"))]),
        answers: BTreeMap::new(),
        notes: String::new(),
    };
    let json = serde_json::to_value(&note).unwrap();
    assert_eq!(json["age"], "3-4m");
    assert_eq!(json["milestones"]["head_control"], "2026-07-20");
    assert_eq!(serde_json::from_value::<CheckupNote>(json).unwrap(), note);
    assert_eq!(
        checkup_note_id("f1", CheckupAge::Months3to4),
        "checkup-note-3-4m-f1"
    );
}
