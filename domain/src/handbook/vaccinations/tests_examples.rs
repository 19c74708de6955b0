//! The worked examples, with every expected day derived by hand from the data
//! files (row by row) and the counting rules in `mod.rs`:
//! - age "生後N月" = same day of the month N months on; "に至るまで"/"未満" = the day before;
//! - "出生N週D日後" = birth + 7N + D days, inclusive;
//! - "N日以上" after day X = X + N + 1; "N月以上" after X = (X + 1 day) + N months.

use super::*;

fn d(text: &str) -> Day {
    Day::parse(text).unwrap()
}

fn rec(date: &str, vaccine: &str, dose: u8, product: Option<&str>) -> DoseRecord {
    DoseRecord::new(d(date), vaccine, dose, product, "", "").unwrap()
}

/// One row as `vaccine dose Status earliest due due_until overdue_from last_eligible`.
fn row(s: &DoseStatus) -> String {
    let opt = |d: Option<Day>| d.map_or("-".to_owned(), |d| d.to_string());
    format!(
        "{} {} {:?} {} {} {} {} {}",
        s.vaccine,
        s.dose,
        s.status,
        s.earliest,
        s.due,
        opt(s.due_until),
        opt(s.overdue_from),
        s.last_eligible
    )
}

fn rows(birth: &str, records: &[DoseRecord], today: &str) -> Vec<String> {
    schedule(d(birth), records, d(today))
        .iter()
        .map(row)
        .collect()
}

/// A child born 2024-05-15 (a Wednesday), nothing given yet, seen on the day of birth.
#[test]
fn a_child_born_2024_05_15() {
    let expected = [
        // B型肝炎: eligible from birth "生後1歳に至るまで" → last 2025-05-14. Dose 1 standard
        // 2..9 months → 2024-07-15 .. 2025-02-14, overdue 2025-02-15. Dose 2 "1回目から27日
        // 以上" → 2024-05-15 + 28 = 06-12; dose 3 "1回目から139日以上" → + 140 = 10-02. The
        // data names no window for doses 2 and 3 ("標準的には生後3か月", "7～8か月").
        "hepb 1 Upcoming 2024-05-15 2024-07-15 2025-02-14 2025-02-15 2025-05-14",
        "hepb 2 Upcoming 2024-06-12 2024-06-12 - - 2025-05-14",
        "hepb 3 Upcoming 2024-10-02 2024-10-02 - - 2025-05-14",
        // Rotarix: from 出生6週0日後 = day 42 = 06-26; standard from 2 months (07-15) to
        // 14週6日後 = day 104 = 08-27, which is also the first dose's last day (notes_ja), so
        // it is never "overdue", only no longer eligible. Dose 2: + 28 days = 07-24, by
        // 24週0日後 = day 168 = 10-30. Listed with RotaTeq until one is recorded.
        "rota_rv1 1 Upcoming 2024-06-26 2024-07-15 2024-08-27 - 2024-08-27",
        "rota_rv1 2 Upcoming 2024-07-24 2024-07-24 2024-10-30 - 2024-10-30",
        // RotaTeq: the same first dose; doses 2 and 3 each 28 days on (07-24, 08-21), by
        // 32週0日後 = day 224 = 12-25.
        "rota_rv5 1 Upcoming 2024-06-26 2024-07-15 2024-08-27 - 2024-08-27",
        "rota_rv5 2 Upcoming 2024-07-24 2024-07-24 2024-12-25 - 2024-12-25",
        "rota_rv5 3 Upcoming 2024-08-21 2024-08-21 2024-12-25 - 2024-12-25",
        // 5種混合 (routine since 2024-04-01, before this child was born): 2..90 months →
        // 2024-07-15 .. 2031-11-14. Dose 1 standard to 7 months (12-14). Doses 2, 3: "20日
        // 以上" → + 21 days (08-05, 08-26), standard "20日から56日まで" → + 21 .. + 57 days
        // (08-05..09-10, 08-26..10-01). Dose 4: "初回接種終了後6月以上" → 08-27 + 6 months
        // = 2025-02-27, standard 6..18 months → 2025-02-27 .. 2026-02-27.
        "dpt_ipv_hib 1 Upcoming 2024-07-15 2024-07-15 2024-12-14 2024-12-15 2031-11-14",
        "dpt_ipv_hib 2 Upcoming 2024-08-05 2024-08-05 2024-09-10 2024-09-11 2031-11-14",
        "dpt_ipv_hib 3 Upcoming 2024-08-26 2024-08-26 2024-10-01 2024-10-02 2031-11-14",
        "dpt_ipv_hib 4 Upcoming 2025-02-27 2025-02-27 2026-02-27 2026-02-28 2031-11-14",
        // 小児用肺炎球菌, start at 2..7 months (standard): 2..60 months → last 2029-05-14.
        // Doses 2, 3 "前回から27日以上" → + 28 (08-12, 09-09). Dose 4 "3回目から60日以上"
        // → 11-09, but not before 12 months (2025-05-15, 実施要領); standard 12..15 months.
        "pcv 1 Upcoming 2024-07-15 2024-07-15 2024-12-14 2024-12-15 2029-05-14",
        "pcv 2 Upcoming 2024-08-12 2024-08-12 - - 2029-05-14",
        "pcv 3 Upcoming 2024-09-09 2024-09-09 - - 2029-05-14",
        "pcv 4 Upcoming 2025-05-15 2025-05-15 2025-08-14 2025-08-15 2029-05-14",
        // BCG: from birth to 1 year; standard "生後5月に達した時から生後8月に達するまで".
        "bcg 1 Upcoming 2024-05-15 2024-10-15 2025-01-14 2025-01-15 2025-05-14",
        // MR 第1期 12..24 months: the standard window is the whole eligibility, so never
        // overdue. 第2期: 5..7 years and the year before school: the sixth birthday
        // 2030-05-15 is after April 1, so school starts 2031-04-01 and 年長 is
        // 2030-04-01 .. 2031-03-31.
        "mr 1 Upcoming 2025-05-15 2025-05-15 2026-05-14 - 2026-05-14",
        "mr 2 Upcoming 2030-04-01 2030-04-01 - - 2031-03-31",
        // 水痘 12..36 months; dose 1 standard 12..15 months; dose 2 "1回目から3か月以上" →
        // 2025-05-16 + 3 months = 08-16, standard 6..12 months → 11-16 .. 2026-05-16.
        "varicella 1 Upcoming 2025-05-15 2025-05-15 2025-08-14 2025-08-15 2027-05-14",
        "varicella 2 Upcoming 2025-08-16 2025-11-16 2026-05-16 2026-05-17 2027-05-14",
        // 日本脳炎 第1期 from 6 months (2024-11-15) to 90 months; standard 3..4 years. Dose 2
        // "6日以上" → + 7 days from the earliest dose 1 (11-22); its window "6日から28日まで"
        // counts from dose 1's standard day 2027-05-15 → 05-22 .. 06-13. Dose 3 "2回目から
        // 6か月以上" → 2024-11-23 + 6 months = 2025-05-23; standard 4..5 years ("おおむね1年"
        // names no window). 第2期 9..13 years, standard 9..10.
        "je 1 Upcoming 2024-11-15 2027-05-15 2028-05-14 2028-05-15 2031-11-14",
        "je 2 Upcoming 2024-11-22 2027-05-22 2027-06-13 2027-06-14 2031-11-14",
        "je 3 Upcoming 2025-05-23 2028-05-15 2029-05-14 2029-05-15 2031-11-14",
        "je 4 Upcoming 2033-05-15 2033-05-15 2034-05-14 2034-05-15 2037-05-14",
        // DT 第2期: 11..13 years, standard 11..12.
        "dt 1 Upcoming 2035-05-15 2035-05-15 2036-05-14 2036-05-15 2037-05-14",
    ];
    assert_eq!(rows("2024-05-15", &[], "2024-05-15"), expected);
}

/// The same child on 2024-09-20, after doses on the standard days.
#[test]
fn the_same_child_at_four_months() {
    let records = [
        rec("2024-07-15", "hepb", 1, None),
        rec("2024-08-12", "hepb", 2, None),
        rec("2024-07-15", "rota_rv1", 1, None),
        rec("2024-08-12", "rota_rv1", 2, None),
        rec("2024-07-15", "dpt_ipv_hib", 1, None),
        rec("2024-08-12", "dpt_ipv_hib", 2, None),
        rec("2024-07-15", "pcv", 1, Some("PCV15")),
        rec("2024-08-12", "pcv", 2, Some("PCV15")),
    ];
    let all = schedule(d("2024-05-15"), &records, d("2024-09-20"));
    let got: Vec<String> = all
        .iter()
        .filter(|s| s.status != Status::Done && s.earliest < d("2025-06-01"))
        .map(row)
        .collect();
    assert_eq!(
        got,
        [
            // 1回目 2024-07-15 + 140 days.
            "hepb 3 Upcoming 2024-12-02 2024-12-02 - - 2025-05-14",
            // RotaTeq is gone: the course is Rotarix, and it is complete.
            // 08-12 + 21 = 09-02; window to 08-12 + 57 = 10-08: due today.
            "dpt_ipv_hib 3 Due 2024-09-02 2024-09-02 2024-10-08 2024-10-09 2031-11-14",
            // Dose 3 could be given today at the earliest: 09-21 + 6 months.
            "dpt_ipv_hib 4 Upcoming 2025-03-21 2025-03-21 2026-03-21 2026-03-22 2031-11-14",
            "pcv 3 Due 2024-09-09 2024-09-09 - - 2029-05-14",
            "pcv 4 Upcoming 2025-05-15 2025-05-15 2025-08-14 2025-08-15 2029-05-14",
            "bcg 1 Upcoming 2024-05-15 2024-10-15 2025-01-14 2025-01-15 2025-05-14",
            "mr 1 Upcoming 2025-05-15 2025-05-15 2026-05-14 - 2026-05-14",
            "varicella 1 Upcoming 2025-05-15 2025-05-15 2025-08-14 2025-08-15 2027-05-14",
            "je 1 Upcoming 2024-11-15 2027-05-15 2028-05-14 2028-05-15 2031-11-14",
            "je 2 Upcoming 2024-11-22 2027-05-22 2027-06-13 2027-06-14 2031-11-14",
            "je 3 Upcoming 2025-05-23 2028-05-15 2029-05-14 2029-05-15 2031-11-14",
        ]
    );
    assert!(all.iter().all(|s| s.vaccine != "rota_rv5"));
    let pcv3 = all
        .iter()
        .find(|s| s.vaccine == "pcv" && s.dose == 3)
        .unwrap();
    assert_eq!(
        pcv3.products,
        ["PCV15"],
        "continue with the product started"
    );
    let birth = d("2024-05-15");
    assert_eq!(
        check(&rec("2024-08-30", "dpt_ipv_hib", 3, None), birth, &records),
        [
            Warning::TooEarly {
                earliest: d("2024-09-02")
            },
            Warning::IntervalTooShort {
                other_dose: 2,
                other_date: d("2024-08-12")
            }
        ]
    );
    assert_eq!(
        check(&rec("2024-09-02", "dpt_ipv_hib", 3, None), birth, &records),
        []
    );
    assert_eq!(
        check(&rec("2024-10-01", "pcv", 3, Some("PCV20")), birth, &records),
        [Warning::ProductSwitch {
            started_with: "PCV15".into()
        }]
    );
    assert_eq!(
        check(&rec("2024-09-30", "pcv", 3, Some("PCV20")), birth, &records),
        [
            Warning::ProductNotRoutine,
            Warning::ProductSwitch {
                started_with: "PCV15".into()
            }
        ],
        "PCV20 is routine from 2024-10-01"
    );
    assert_eq!(
        check(&rec("2024-09-20", "rota_rv5", 1, None), birth, &records),
        [
            Warning::OtherSeries {
                chosen: "rota_rv1".into()
            },
            Warning::NotEligible {
                last_eligible: Some(d("2024-08-27"))
            }
        ]
    );
    assert_eq!(
        check(&rec("2024-09-20", "hepb", 2, None), birth, &records),
        [Warning::Duplicate {
            given_on: d("2024-08-12")
        }]
    );
}

/// A child born 2023-12-10 who started 4種混合 and ヒブ (with PCV13) before April 2024.
#[test]
fn a_child_who_started_4_shu_before_april_2024() {
    let birth = "2023-12-10";
    let records = [
        // 2 months = 2024-02-10; 2nd doses: ヒブ and PCV "27日以上" → 02-10 + 28 = 03-09
        // (2024 is a leap year), 4種混合 "20日以上" → 03-02 at the earliest.
        rec("2024-02-10", "dpt_ipv", 1, None),
        rec("2024-02-10", "hib", 1, None),
        rec("2024-02-10", "pcv", 1, Some("PCV13")),
        rec("2024-03-09", "dpt_ipv", 2, None),
        rec("2024-03-09", "hib", 2, None),
        rec("2024-03-09", "pcv", 2, Some("PCV13")),
    ];
    let all = schedule(d(birth), &records, d("2024-04-15"));
    assert!(all.iter().all(|s| s.vaccine != "dpt_ipv_hib"), "no 5種混合");
    let series: Vec<String> = all
        .iter()
        .filter(|s| ["dpt_ipv", "hib", "pcv"].contains(&s.vaccine.as_str()) && s.dose > 2)
        .map(row)
        .collect();
    assert_eq!(
        series,
        [
            // 03-09 + 28 = 04-06; PCV13 is still routine on the day it could be given.
            "pcv 3 Due 2024-04-06 2024-04-06 - - 2028-12-09",
            // "3回目から60日以上" from today (04-15 + 61 = 06-15) is before 12 months:
            // 2024-12-10.
            "pcv 4 Upcoming 2024-12-10 2024-12-10 2025-03-09 2025-03-10 2028-12-09",
            // 4種混合 dose 3: 03-09 + 21 = 03-30, window to 03-09 + 57 = 05-05. Dose 4
            // "初回完了後6か月以上" from today: 04-16 + 6 months = 10-16; window "1年から
            // 1年6か月" = 2025-04-16 .. 2025-10-16. Eligible to 7歳6か月 (2031-06-09).
            "dpt_ipv 3 Due 2024-03-30 2024-03-30 2024-05-05 2024-05-06 2031-06-09",
            "dpt_ipv 4 Upcoming 2024-10-16 2025-04-16 2025-10-16 2025-10-17 2031-06-09",
            // ヒブ (start 2..7 months): dose 3 03-09 + 28 = 04-06, window "27日から56日まで"
            // to 05-05; it must be before 12 months (2024-12-09) or is left out. Dose 4
            // "初回終了後7か月以上" from today: 04-16 + 7 months = 11-16, to 13 months.
            "hib 3 Due 2024-04-06 2024-04-06 2024-05-05 2024-05-06 2028-12-09",
            "hib 4 Upcoming 2024-11-16 2024-11-16 2025-05-16 2025-05-17 2028-12-09",
        ]
    );
    let pcv = |n: u8| {
        all.iter()
            .find(|s| s.vaccine == "pcv" && s.dose == n)
            .unwrap()
    };
    assert_eq!(pcv(3).products, ["PCV13"]);
    // PCV13 left the routine on 2024-10-01; the data allows 13 → 20 (and says nothing on
    // 13 → 15): every routine product, the newest first.
    assert_eq!(pcv(4).products, ["PCV20", "PCV15"]);
    let b = d(birth);
    assert_eq!(
        check(&rec("2024-04-15", "dpt_ipv_hib", 3, None), b, &records),
        [Warning::OtherSeries {
            chosen: "dpt_ipv".into()
        }]
    );
    assert_eq!(
        check(&rec("2024-04-15", "dpt_ipv", 3, None), b, &records),
        []
    );

    // On the first birthday, ヒブ dose 3 was never given: it is left out, and the booster
    // counts from dose 2 (03-10 + 7 months = 10-10, window to 03-10 + 13 months).
    let later = schedule(b, &records, d("2024-12-10"));
    let hib: Vec<String> = later
        .iter()
        .filter(|s| s.vaccine == "hib")
        .map(row)
        .collect();
    assert_eq!(
        hib[2],
        "hib 3 NotNeeded 2024-04-06 2024-04-06 2024-05-05 2024-05-06 2028-12-09"
    );
    assert_eq!(
        hib[3],
        "hib 4 Due 2024-10-10 2024-10-10 2025-04-10 2025-04-11 2028-12-09"
    );
    assert_eq!(
        check(&rec("2024-12-10", "hib", 3, None), b, &records),
        [Warning::NotNeeded]
    );

    // A child of the same age who had nothing before April starts on 5種混合, from the
    // day it became routine (2 months would be 2024-02-10).
    let fresh = schedule(b, &[], d("2024-04-15"));
    assert!(
        fresh
            .iter()
            .all(|s| s.vaccine != "dpt_ipv" && s.vaccine != "hib")
    );
    assert_eq!(
        row(fresh.iter().find(|s| s.vaccine == "dpt_ipv_hib").unwrap()),
        "dpt_ipv_hib 1 Due 2024-04-01 2024-04-01 2024-07-09 2024-07-10 2031-06-09"
    );
    // ...and 4種混合 started after April is not its course.
    assert_eq!(
        check(&rec("2024-04-15", "dpt_ipv", 1, None), b, &[]),
        [Warning::OtherSeries {
            chosen: "dpt_ipv_hib".into()
        }]
    );
}

/// A child born 2024-05-15 with no rotavirus dose by 出生14週6日後 (day 104 = 2024-08-27).
#[test]
fn a_child_who_missed_the_rotavirus_window() {
    let birth = d("2024-05-15");
    let rota = |records: &[DoseRecord], today: &str| -> Vec<String> {
        schedule(birth, records, d(today))
            .iter()
            .filter(|s| s.vaccine.starts_with("rota"))
            .map(row)
            .collect()
    };
    // Day 104 itself: the first dose may still be given; dose 2 would then be 28 days on.
    assert_eq!(
        rota(&[], "2024-08-27")[..2],
        [
            "rota_rv1 1 Due 2024-06-26 2024-07-15 2024-08-27 - 2024-08-27",
            "rota_rv1 2 Upcoming 2024-09-24 2024-09-24 2024-10-30 - 2024-10-30",
        ]
    );
    // Day 105: no first dose may be given, so no course at all, with either product.
    assert_eq!(
        rota(&[], "2024-08-28"),
        [
            "rota_rv1 1 NoLongerEligible 2024-06-26 2024-07-15 2024-08-27 - 2024-08-27",
            "rota_rv1 2 NoLongerEligible 2024-09-25 2024-09-25 2024-10-30 - 2024-10-30",
            "rota_rv5 1 NoLongerEligible 2024-06-26 2024-07-15 2024-08-27 - 2024-08-27",
            "rota_rv5 2 NoLongerEligible 2024-09-25 2024-09-25 2024-12-25 - 2024-12-25",
            "rota_rv5 3 NoLongerEligible 2024-10-23 2024-10-23 2024-12-25 - 2024-12-25",
        ]
    );
    assert_eq!(
        check(&rec("2024-08-28", "rota_rv1", 1, None), birth, &[]),
        [Warning::NotEligible {
            last_eligible: Some(d("2024-08-27"))
        }]
    );
    // A first dose on day 104 and no second by 24週0日後 (day 168 = 10-30).
    let first = [rec("2024-08-27", "rota_rv1", 1, None)];
    assert_eq!(
        rota(&first, "2024-10-31"),
        [
            "rota_rv1 1 Done 2024-06-26 2024-07-15 2024-08-27 - 2024-08-27",
            "rota_rv1 2 NoLongerEligible 2024-09-24 2024-09-24 2024-10-30 - 2024-10-30",
        ]
    );
    // Rotavirus is oral: no 27-day rule against BCG the day after.
    let bcg = rec("2024-08-28", "bcg", 1, None);
    assert_eq!(check(&bcg, birth, &first), []);
}

/// The 27-day rule between injected live vaccines, and PCV's dose 3 left out.
#[test]
fn live_vaccines_and_a_late_second_pcv_dose() {
    let birth = d("2024-05-15");
    let earliest = |records: &[DoseRecord], vaccine: &str| {
        schedule(birth, records, d("2025-05-15"))
            .into_iter()
            .find(|s| s.vaccine == vaccine && s.dose == 1)
            .unwrap()
            .earliest
    };
    // MR on 2025-05-20: 水痘 may be given the same day, or from 05-20 + 28 = 06-17.
    let mr = [rec("2025-05-20", "mr", 1, None)];
    assert_eq!(earliest(&mr, "varicella"), d("2025-05-20"));
    assert_eq!(
        check(&rec("2025-05-20", "varicella", 1, None), birth, &mr),
        []
    );
    assert_eq!(
        check(&rec("2025-06-17", "varicella", 1, None), birth, &mr),
        []
    );
    assert_eq!(
        check(&rec("2025-06-16", "varicella", 1, None), birth, &mr),
        [Warning::LiveVaccineGap {
            other: "mr".into(),
            other_date: d("2025-05-20")
        }]
    );
    // BCG at 11 months (2025-05-01): MR not before 05-29.
    let bcg = [rec("2025-05-01", "bcg", 1, None)];
    assert_eq!(earliest(&bcg, "mr"), d("2025-05-29"));
    // 5種混合 is not live: no rule against MR.
    assert_eq!(
        check(&rec("2025-05-02", "dpt_ipv_hib", 4, None), birth, &bcg).len(),
        0
    );

    // PCV: dose 2 after the first birthday leaves dose 3 out ("2回目が生後12月を超えた場合
    // 3回目は行わない"); the booster counts from dose 2: 2025-05-20 + 61 = 07-20.
    let pcv = [
        rec("2024-11-01", "pcv", 1, None),
        rec("2025-05-20", "pcv", 2, None),
    ];
    let rows: Vec<String> = schedule(birth, &pcv, d("2025-05-21"))
        .iter()
        .filter(|s| s.vaccine == "pcv" && s.dose > 2)
        .map(row)
        .collect();
    assert_eq!(
        rows,
        [
            "pcv 3 NotNeeded 2025-06-17 2025-06-17 - - 2029-05-14",
            "pcv 4 Upcoming 2025-07-20 2025-07-20 2025-08-14 2025-08-15 2029-05-14",
        ]
    );
    assert_eq!(
        check(&rec("2025-06-20", "pcv", 3, None), birth, &pcv),
        [Warning::NotNeeded]
    );
}
