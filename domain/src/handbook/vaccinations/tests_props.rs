//! No schedule breaks its own rules: for random birth days and random valid histories,
//! every day the schedule proposes keeps the minimum ages, intervals, age limits and the
//! 27-day rule, and `check` accepts a dose on each proposed earliest day. The timing figure
//! is `cargo run --release -p domain --example vaccination_figures`.

use proptest::prelude::*;

use super::rules::LIVE_GAP;
use super::schedule::phase_limits;
use super::*;

const OPEN: [Status; 3] = [Status::Upcoming, Status::Due, Status::Overdue];

fn first_day() -> Day {
    Day::parse("2018-01-01").unwrap()
}

/// A valid history, built the way a family would: as time passes, a dose the schedule
/// says is due (or overdue) is given today, on its earliest day or in between; a record
/// is kept only if `check` has nothing to say. `legacy` first gives 4種混合 and ヒブ before
/// April 2024 where the child is old enough.
fn history(birth: Day, steps: &[(u16, u16, u8)], legacy: Option<u16>) -> (Vec<DoseRecord>, Day) {
    let mut records: Vec<DoseRecord> = Vec::new();
    let try_add = |r: DoseRecord, records: &mut Vec<DoseRecord>| {
        if check(&r, birth, records).is_empty() {
            records.push(r);
        }
    };
    if let Some(extra) = legacy {
        let day = birth.add_months(2).add_days(i64::from(extra % 120));
        if day < Day::parse("2024-04-01").unwrap() {
            for v in ["dpt_ipv", "hib"] {
                try_add(
                    DoseRecord::new(day, v, 1, None, "", "").unwrap(),
                    &mut records,
                );
            }
        }
    }
    let mut today = birth;
    for &(advance, pick, mode) in steps {
        today = today.add_days(i64::from(advance));
        let open: Vec<DoseStatus> = schedule(birth, &records, today)
            .into_iter()
            .filter(|s| matches!(s.status, Status::Due | Status::Overdue))
            .collect();
        if open.is_empty() {
            continue;
        }
        let s = &open[usize::from(pick) % open.len()];
        let span = today.days_from_epoch() - s.earliest.days_from_epoch();
        let (date, product) = match mode {
            0 => (
                today,
                s.products.get(usize::from(pick) % s.products.len().max(1)),
            ),
            1 => (s.earliest, None),
            _ => (s.earliest.add_days(span / 2), None),
        };
        let r = DoseRecord {
            date,
            vaccine: s.vaccine.clone(),
            dose: s.dose,
            product: product.cloned(),
            lot_number: String::new(),
            facility: String::new(),
        };
        try_add(r, &mut records);
    }
    (records, today)
}

fn others(records: &[DoseRecord], i: usize) -> Vec<DoseRecord> {
    let mut rest = records.to_vec();
    rest.remove(i);
    rest
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_schedule_breaks_its_own_rules(
        birth_offset in 0i64..(365 * 9),
        steps in proptest::collection::vec((0u16..150, any::<u16>(), 0u8..3), 0..60),
        legacy in proptest::option::of(any::<u16>()),
        later in 0u16..2000,
    ) {
        let birth = first_day().add_days(birth_offset);
        let (records, last_step) = history(birth, &steps, legacy);
        // The history is valid: each record passes against all the others.
        for (i, r) in records.iter().enumerate() {
            prop_assert_eq!(check(r, birth, &others(&records, i)), vec![], "{:?}", r);
        }
        let today = last_step.add_days(i64::from(later));
        let plan = schedule(birth, &records, today);
        for r in &records {
            prop_assert!(
                plan.iter().any(|s| s.vaccine == r.vaccine && s.dose == r.dose && s.given_on == Some(r.date)),
                "record {:?} not done in the schedule", r
            );
        }
        let live: Vec<Day> = records
            .iter()
            .filter(|r| INJECTED_LIVE.contains(&r.vaccine.as_str()))
            .map(|r| r.date)
            .collect();
        for s in plan.iter().filter(|s| OPEN.contains(&s.status)) {
            let v = rules().vaccine(&s.vaccine).unwrap();
            let (from, last) = phase_limits(v, s.phase, birth);
            // Minimum age and age limits.
            prop_assert!(s.earliest >= from && s.earliest >= birth, "{:?}", s);
            prop_assert!(s.earliest <= s.last_eligible && s.last_eligible <= last, "{:?}", s);
            // The windows are in order.
            prop_assert!(s.earliest <= s.due, "{:?}", s);
            if let Some(o) = s.overdue_from {
                prop_assert!(s.due <= o && o <= s.last_eligible, "{:?}", s);
            }
            if let Some(u) = s.due_until {
                prop_assert!(s.due <= u, "{:?}", s);
            }
            // The status says where today is.
            match s.status {
                Status::Upcoming => prop_assert!(today < s.due),
                Status::Due => prop_assert!(s.due <= today && s.overdue_from.is_none_or(|o| today < o)),
                _ => prop_assert!(s.overdue_from.is_some_and(|o| o <= today)),
            }
            prop_assert!(today <= s.last_eligible, "{:?}", s);
            // The 27-day rule against every injected live dose given on another day.
            if v.injected_live {
                for &r in &live {
                    prop_assert!(
                        s.earliest == r || s.earliest >= LIVE_GAP.after(r) || r >= LIVE_GAP.after(s.earliest),
                        "{:?} against live dose on {}", s, r
                    );
                }
            }
            // Intervals after recorded doses of the same vaccine: check says nothing.
            let dose = DoseRecord {
                date: s.earliest,
                vaccine: s.vaccine.clone(),
                dose: s.dose,
                product: None,
                lot_number: String::new(),
                facility: String::new(),
            };
            prop_assert_eq!(check(&dose, birth, &records), vec![], "{:?} with {:?}", s, records);
        }
    }

    /// Whatever is recorded, even nonsense, the schedule answers without a panic and
    /// keeps its days in order.
    #[test]
    fn any_records_give_an_orderly_schedule(
        birth_offset in 0i64..(365 * 9),
        raw in proptest::collection::vec((0usize..12, 1u8..6, 0i64..3000), 0..30),
        today_offset in 0i64..5000,
    ) {
        let birth = first_day().add_days(birth_offset);
        let ids: Vec<&str> = rules().vaccines.iter().map(|v| v.id.as_str()).collect();
        let records: Vec<DoseRecord> = raw
            .iter()
            .map(|&(v, dose, day)| DoseRecord {
                date: birth.add_days(day),
                vaccine: ids[v].to_owned(),
                dose,
                product: None,
                lot_number: String::new(),
                facility: String::new(),
            })
            .collect();
        let today = birth.add_days(today_offset);
        for s in schedule(birth, &records, today) {
            prop_assert!(s.earliest <= s.due);
            prop_assert!(s.overdue_from.is_none_or(|o| s.due <= o && o <= s.last_eligible));
        }
        for r in &records {
            let _ = check(r, birth, &records);
        }
    }
}
