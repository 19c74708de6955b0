//! The shipped data parses into the rules the files state; broken files are errors;
//! records are checked for shape and travel as JSON.

use super::build::shipped;
use super::*;

fn d(text: &str) -> Day {
    Day::parse(text).unwrap()
}

#[test]
fn the_shipped_files_parse_into_versioned_rules() {
    let (vaccines, doses) = shipped();
    let parsed = Rules::parse(VERSION, vaccines, doses).expect("the shipped data parses");
    assert_eq!(&parsed, rules(), "rules() is the same, read once");
    assert_eq!(parsed.version, "jp_routine_2024_2025");
    // The newest change in the files: PCV20 in, PCV13 out.
    assert_eq!(parsed.valid_from, d("2024-10-01"));
    assert_eq!(parsed.vaccines.len(), 12);
    let dose_rows: usize = parsed
        .vaccines
        .iter()
        .flat_map(|v| &v.variants)
        .map(|v| v.doses.len())
        .sum();
    assert_eq!(dose_rows, 44, "every dose row is read");
    for v in &parsed.vaccines {
        assert!(!v.name_ja.is_empty() && !v.name_en.is_empty(), "{}", v.id);
    }

    let v = |id: &str| parsed.vaccine(id).unwrap();
    assert_eq!(v("dpt_ipv_hib").routine_since, Some(d("2024-04-01")));
    assert!(v("dpt_ipv").legacy && v("hib").legacy && !v("dpt_ipv_hib").legacy);
    let pcv = v("pcv");
    assert_eq!(pcv.product("PCV15").unwrap().from, Some(d("2024-04-01")));
    assert_eq!(pcv.product("PCV20").unwrap().from, Some(d("2024-10-01")));
    assert_eq!(pcv.product("PCV13").unwrap().last, Some(d("2024-09-30")));
    assert!(pcv.product("PCV13").unwrap().routine_on(d("2024-09-30")));
    assert!(!pcv.product("PCV13").unwrap().routine_on(d("2024-10-01")));
    assert_eq!(pcv.variants.len(), 4);
    assert_eq!(
        pcv.variants[0].doses[3].not_before,
        [Age::Months(12)],
        "the booster's 12 months (実施要領)"
    );

    for (id, end) in [("rota_rv1", 168), ("rota_rv5", 224)] {
        let rota = v(id);
        assert!(rota.oral && !rota.injected_live);
        assert_eq!(rota.born_from, Some(d("2020-08-01")));
        assert_eq!(rota.phases[0].from, Age::Days(42), "出生6週0日後");
        assert_eq!(rota.phases[0].until, Until::Through(Age::Days(end)));
        let first = &rota.variants[0].doses[0];
        assert_eq!(
            first.deadlines,
            [Deadline {
                until: Until::Through(Age::Days(104)),
                leave_out: false
            }],
            "初回接種は出生14週6日後までに"
        );
    }
    let live: Vec<&str> = parsed
        .vaccines
        .iter()
        .filter(|v| v.injected_live)
        .map(|v| v.id.as_str())
        .collect();
    assert_eq!(live, ["bcg", "mr", "varicella"]);
    let mr2 = v("mr").phase(2);
    assert!(mr2.year_before_school);
    assert_eq!(mr2.from, Age::Months(60));
    // The hepatitis B third dose counts from the first, not the second.
    assert_eq!(
        v("hepb").variants[0].doses[2].min_interval,
        Some(Interval {
            anchor: Anchor::Dose(1),
            amount: Amount::Days(139)
        })
    );
}

/// Changes one cell of a row (found by its start) in a copy of a file.
fn edit(file: &str, row_start: &str, from: &str, to: &str) -> String {
    file.lines()
        .map(|line| {
            if line.starts_with(row_start) {
                assert!(line.contains(from), "{line}");
                line.replacen(from, to, 1)
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_broken_file_is_an_error_naming_the_line() {
    let (vaccines, doses) = shipped();
    let bad_doses = [
        // min_interval_days must say what min_interval_ja says
        edit(doses, "hepb,standard,,2,", ",27,", ",28,"),
        // a timing phrase nobody has read
        edit(
            doses,
            "bcg,standard,,1,",
            "生後5月に達した時から",
            "生後5月ごろから",
        ),
        // doses out of order
        edit(doses, "mr,standard,第2期,2,", ",2,", ",3,"),
        // an interval phrase not understood
        edit(doses, "je,standard,1期初回,2,", "6日以上", "6日ほど"),
        // a vaccine the other file lacks
        edit(doses, "dt,standard,", "dt,", "td,"),
    ];
    for bad in &bad_doses {
        let e = Rules::parse(VERSION, vaccines, bad).unwrap_err();
        assert!(e.contains("line") || e.contains(':'), "{e}");
    }
    let bad_vaccines = [
        edit(vaccines, "hepb,", ",current,", ",retired,"),
        edit(vaccines, "varicella,", ",12,36,", ",12,48,"),
        edit(vaccines, "bcg,", "生後1歳に至るまで", "1歳ごろまで"),
        // BCG said to be oral while the code lists it as injected live
        edit(vaccines, "bcg,", ",12,,", ",12,経口,"),
    ];
    for bad in &bad_vaccines {
        assert!(Rules::parse(VERSION, bad, doses).is_err());
    }
    let no_column = vaccines.replacen("vaccine_id", "id", 1);
    assert!(Rules::parse(VERSION, &no_column, doses).is_err());
}

#[test]
fn a_record_is_checked_for_shape() {
    let day = d("2024-07-15");
    let r = DoseRecord::new(
        day,
        "pcv",
        1,
        Some("PCV20"),
        " AB123 ",
        " 練馬区立 保健相談所 ",
    )
    .unwrap();
    assert_eq!(r.lot_number, "AB123");
    assert_eq!(r.facility, "練馬区立 保健相談所");
    let new = |v: &str, n: u8, p: Option<&str>, lot: &str| DoseRecord::new(day, v, n, p, lot, "");
    assert_eq!(new("mumps", 1, None, ""), Err(RecordError::UnknownVaccine));
    assert_eq!(new("pcv", 0, None, ""), Err(RecordError::NoSuchDose));
    assert_eq!(new("pcv", 5, None, ""), Err(RecordError::NoSuchDose));
    assert_eq!(new("bcg", 2, None, ""), Err(RecordError::NoSuchDose));
    assert_eq!(
        new("pcv", 1, Some("PCV7"), ""),
        Err(RecordError::UnknownProduct)
    );
    assert_eq!(
        new("hepb", 1, Some("PCV20"), ""),
        Err(RecordError::UnknownProduct)
    );
    assert_eq!(
        new("hepb", 1, None, &"1".repeat(41)),
        Err(RecordError::LotNumber)
    );
    assert_eq!(new("hepb", 1, None, "A\u{7}1"), Err(RecordError::LotNumber));
    assert!(new("hepb", 3, None, &"1".repeat(40)).is_ok());
    let long = DoseRecord::new(day, "hepb", 1, None, "", &"あ".repeat(101));
    assert_eq!(long, Err(RecordError::Facility));
}

#[test]
fn a_record_travels_as_json() {
    let r = DoseRecord::new(d("2024-07-15"), "pcv", 1, Some("PCV15"), "X1", "A医院").unwrap();
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(
        json,
        r#"{"date":"2024-07-15","vaccine":"pcv","dose":1,"product":"PCV15","lot_number":"X1","facility":"A医院"}"#
    );
    assert_eq!(serde_json::from_str::<DoseRecord>(&json).unwrap(), r);
    let short = r#"{"date":"2024-07-15","vaccine":"bcg","dose":1}"#;
    assert_eq!(
        serde_json::from_str::<DoseRecord>(short)
            .unwrap()
            .lot_number,
        ""
    );
    assert!(
        serde_json::from_str::<DoseRecord>(r#"{"date":"2024-02-30","vaccine":"bcg","dose":1}"#)
            .is_err()
    );
    assert!(
        serde_json::from_str::<DoseRecord>(
            r#"{"date":"2024-07-15","vaccine":"bcg","dose":1,"x":1}"#
        )
        .is_err()
    );
}

#[test]
fn check_speaks_for_the_rules_it_knows() {
    let birth = d("2024-05-15");
    let rec = |date: &str, v: &str, n: u8| DoseRecord::new(d(date), v, n, None, "", "").unwrap();
    // Before 2 months: the first day allowed is the day the child is 2 months old.
    assert_eq!(
        check(&rec("2024-07-14", "dpt_ipv_hib", 1), birth, &[]),
        [Warning::TooEarly {
            earliest: d("2024-07-15")
        }]
    );
    // Past 7歳6か月 (2031-11-14 is the last day).
    assert_eq!(
        check(&rec("2031-11-15", "dpt_ipv_hib", 1), birth, &[]),
        [Warning::NotEligible {
            last_eligible: Some(d("2031-11-14"))
        }]
    );
    // A dose recorded before the one it must follow, for a later dose already saved.
    let later = [rec("2024-08-05", "dpt_ipv_hib", 2)];
    assert_eq!(
        check(&rec("2024-07-20", "dpt_ipv_hib", 1), birth, &later),
        [Warning::IntervalTooShort {
            other_dose: 2,
            other_date: d("2024-08-05")
        }]
    );
    // The PCV schedule depends on the first dose: dose 5 exists in none.
    let fifth = DoseRecord {
        dose: 5,
        ..rec("2024-09-01", "pcv", 1)
    };
    assert_eq!(check(&fifth, birth, &[]), [Warning::NoSuchDose]);
    // Started at 13 months, PCV has two doses 60 days apart and no third.
    let late = [rec("2025-06-20", "pcv", 1)];
    assert_eq!(
        check(&rec("2025-08-19", "pcv", 2), birth, &late),
        [
            Warning::TooEarly {
                earliest: d("2025-08-20")
            },
            Warning::IntervalTooShort {
                other_dose: 1,
                other_date: d("2025-06-20")
            }
        ]
    );
    assert_eq!(
        check(&rec("2025-12-01", "pcv", 3), birth, &late),
        [Warning::NoSuchDose]
    );
    // Rotavirus was not routine for children born before 2020-08-01.
    assert_eq!(
        check(&rec("2020-09-01", "rota_rv1", 1), d("2020-07-15"), &[]),
        [
            Warning::NotEligible {
                last_eligible: None
            },
            Warning::TooEarly {
                earliest: d("2020-10-01")
            }
        ]
    );
    assert!(
        schedule(d("2020-07-15"), &[], d("2020-09-01"))
            .iter()
            .all(|s| !s.vaccine.starts_with("rota"))
    );
    let unknown = DoseRecord {
        vaccine: "mumps".into(),
        ..rec("2025-06-01", "mr", 1)
    };
    assert_eq!(check(&unknown, birth, &[]), [Warning::UnknownVaccine]);
}

#[test]
fn the_year_before_school_follows_the_april_cut() {
    // Born 1 April: reaches six on 31 March and starts school that April.
    let mr2 = |birth: &str| {
        schedule(d(birth), &[], d(birth))
            .into_iter()
            .find(|s| s.vaccine == "mr" && s.dose == 2)
            .map(|s| (s.earliest.to_string(), s.last_eligible.to_string()))
            .unwrap()
    };
    assert_eq!(
        mr2("2019-04-01"),
        ("2024-04-01".into(), "2025-03-31".into())
    );
    assert_eq!(
        mr2("2019-04-02"),
        ("2025-04-01".into(), "2026-03-31".into())
    );
    assert_eq!(
        mr2("2020-02-29"),
        ("2025-04-01".into(), "2026-03-31".into())
    );
}
