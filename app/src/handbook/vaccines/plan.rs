//! The page's arithmetic, free of the browser: the schedule grouped by vaccine, what to
//! have next, and whether a record may be saved as it is (refused, asked about, or fine).

use domain::{
    dates::Day,
    handbook::vaccinations::{DoseRecord, DoseStatus, Status, Warning, check},
};

/// One vaccine's doses, in the schedule's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub vaccine: String,
    pub doses: Vec<DoseStatus>,
}

/// The schedule by vaccine, vaccines in the rules' order.
pub fn groups(schedule: &[DoseStatus]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for dose in schedule {
        match out.iter_mut().find(|g| g.vaccine == dose.vaccine) {
            Some(group) => group.doses.push(dose.clone()),
            None => out.push(Group {
                vaccine: dose.vaccine.clone(),
                doses: vec![dose.clone()],
            }),
        }
    }
    out
}

/// A dose still to be had (not given, not left out, not past its last day).
pub fn is_open(status: Status) -> bool {
    matches!(status, Status::Due | Status::Overdue | Status::Upcoming)
}

/// 次に受けるもの: the doses that can be had now, those past their recommended window
/// first, then by the window's start; when none can, the doses of the next day one can.
pub fn next(schedule: &[DoseStatus]) -> Vec<DoseStatus> {
    let mut now: Vec<DoseStatus> = schedule
        .iter()
        .filter(|d| matches!(d.status, Status::Due | Status::Overdue))
        .cloned()
        .collect();
    if !now.is_empty() {
        now.sort_by_key(|d| (d.status != Status::Overdue, d.due, d.earliest));
        return now;
    }
    let Some(first) = schedule
        .iter()
        .filter(|d| d.status == Status::Upcoming)
        .map(|d| d.due)
        .min()
    else {
        return Vec::new();
    };
    schedule
        .iter()
        .filter(|d| d.status == Status::Upcoming && d.due == first)
        .cloned()
        .collect()
}

/// The days a calendar file reminds of: for each dose still to be had, the start of its
/// recommended window (today if that has passed), one per day, in order.
pub fn reminder_days(schedule: &[DoseStatus], today: Day) -> Vec<Day> {
    let mut days: Vec<Day> = schedule
        .iter()
        .filter(|d| is_open(d.status))
        .map(|d| d.due.max(today))
        .filter(|day| *day <= schedule_last(schedule))
        .collect();
    days.sort();
    days.dedup();
    days
}

fn schedule_last(schedule: &[DoseStatus]) -> Day {
    schedule
        .iter()
        .map(|d| d.last_eligible)
        .max()
        .unwrap_or(Day {
            year: 2200,
            month: 12,
            day: 31,
        })
}

/// Why a record cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A day after today.
    InFuture,
    /// Before the age (or the vaccine's routine start) the rules allow: from `earliest`.
    TooYoung { earliest: Day },
    /// This vaccine's dose is already recorded.
    Duplicate { given_on: Day },
    /// The child's schedule has no such dose.
    NoSuchDose,
    /// A vaccine or product the rules do not know.
    Invalid,
}

/// What happens when the person saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Save,
    /// Possible, but the rules say something: the person confirms 「このまま記録する」.
    Confirm(Vec<Warning>),
    Refuse(Vec<Refusal>),
}

/// Judges `record` for a child born on `birth`, with the `others` already recorded (the
/// record itself left out when it is being corrected). A dose before the age the rules
/// allow is refused, told apart from one too soon after an earlier dose by checking it
/// again with no other records: only the age and the calendar can make that too early.
pub fn judge(record: &DoseRecord, birth: Day, others: &[DoseRecord], today: Day) -> Verdict {
    let mut refused = Vec::new();
    if record.date > today {
        refused.push(Refusal::InFuture);
    }
    let warnings = check(record, birth, others);
    let alone = check(record, birth, &[]);
    let mut confirm = Vec::new();
    for warning in warnings {
        match warning {
            Warning::TooEarly { earliest } if alone.contains(&warning) => {
                refused.push(Refusal::TooYoung { earliest });
            }
            Warning::Duplicate { given_on } => refused.push(Refusal::Duplicate { given_on }),
            Warning::NoSuchDose => refused.push(Refusal::NoSuchDose),
            Warning::UnknownVaccine | Warning::UnknownProduct => refused.push(Refusal::Invalid),
            other => confirm.push(other),
        }
    }
    if !refused.is_empty() {
        Verdict::Refuse(refused)
    } else if !confirm.is_empty() {
        Verdict::Confirm(confirm)
    } else {
        Verdict::Save
    }
}

#[cfg(test)]
mod tests {
    use domain::handbook::vaccinations::schedule;

    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    fn dose(date: &str, vaccine: &str, n: u8) -> DoseRecord {
        DoseRecord::new(day(date), vaccine, n, None, "AB123", "ねりま小児科").unwrap()
    }

    const BIRTH: &str = "2026-09-01";
    const TODAY: &str = "2026-12-06";

    #[test]
    fn the_schedule_is_grouped_by_vaccine_in_the_rules_order() {
        let plan = schedule(day(BIRTH), &[], day(TODAY));
        let groups = groups(&plan);
        let ids: Vec<&str> = groups.iter().map(|g| g.vaccine.as_str()).collect();
        assert_eq!(&ids[..2], &["hepb", "rota_rv1"]);
        assert_eq!(
            groups.iter().map(|g| g.doses.len()).sum::<usize>(),
            plan.len()
        );
        let hepb = &groups[0];
        assert_eq!(
            hepb.doses.iter().map(|d| d.dose).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        // No vaccine appears twice.
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len());
    }

    #[test]
    fn a_three_month_old_with_nothing_given_has_doses_due_now() {
        let plan = schedule(day(BIRTH), &[], day(TODAY));
        let next = next(&plan);
        assert!(!next.is_empty());
        assert!(
            next.iter()
                .all(|d| matches!(d.status, Status::Due | Status::Overdue))
        );
        assert!(next.iter().any(|d| d.vaccine == "hepb" && d.dose == 1));
        // Past its window first.
        let first_due = next.iter().position(|d| d.status == Status::Due);
        let last_overdue = next.iter().rposition(|d| d.status == Status::Overdue);
        if let (Some(due), Some(overdue)) = (first_due, last_overdue) {
            assert!(overdue < due);
        }
    }

    #[test]
    fn a_newborn_sees_the_first_day_something_can_be_had() {
        let plan = schedule(day("2026-12-01"), &[], day("2026-12-06"));
        let next = next(&plan);
        assert!(!next.is_empty());
        assert!(next.iter().all(|d| d.status == Status::Upcoming));
        let first = next[0].due;
        assert!(next.iter().all(|d| d.due == first));
        assert!(first > day("2026-12-06"));
    }

    #[test]
    fn reminders_are_one_a_day_from_today_for_open_doses_only() {
        let given = [dose("2026-11-01", "hepb", 1)];
        let plan = schedule(day(BIRTH), &given, day(TODAY));
        let days = reminder_days(&plan, day(TODAY));
        assert!(!days.is_empty());
        assert!(days.windows(2).all(|w| w[0] < w[1]));
        assert!(days.iter().all(|d| *d >= day(TODAY)));
        // Something is due now, so today is among them.
        assert_eq!(days[0], day(TODAY));
        let open = plan.iter().filter(|d| is_open(d.status)).count();
        assert!(days.len() <= open);
        // Nothing given, nothing left: no reminders.
        let done: Vec<DoseStatus> = plan
            .into_iter()
            .map(|mut d| {
                d.status = Status::Done;
                d
            })
            .collect();
        assert!(reminder_days(&done, day(TODAY)).is_empty());
    }

    #[test]
    fn a_dose_before_the_minimum_age_is_refused() {
        // 5種混合 from 2 months: 2026-11-01 for a child born 2026-09-01 (hepatitis B,
        // whose routine starts at birth, is allowed at 6 weeks).
        let record = dose("2026-10-15", "dpt_ipv_hib", 1);
        assert_eq!(
            judge(&dose("2026-10-15", "hepb", 1), day(BIRTH), &[], day(TODAY)),
            Verdict::Save
        );
        match judge(&record, day(BIRTH), &[], day(TODAY)) {
            Verdict::Refuse(reasons) => assert!(
                reasons.contains(&Refusal::TooYoung {
                    earliest: day("2026-11-01")
                }),
                "{reasons:?}"
            ),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn a_duplicate_and_a_future_day_are_refused() {
        let first = dose("2026-11-02", "hepb", 1);
        let again = dose("2026-11-20", "hepb", 1);
        assert_eq!(
            judge(&again, day(BIRTH), std::slice::from_ref(&first), day(TODAY)),
            Verdict::Refuse(vec![Refusal::Duplicate {
                given_on: day("2026-11-02")
            }])
        );
        let later = dose("2026-12-07", "hepb", 2);
        let Verdict::Refuse(reasons) = judge(&later, day(BIRTH), &[first], day(TODAY)) else {
            panic!("a day after today was not refused");
        };
        assert_eq!(reasons[0], Refusal::InFuture);
    }

    #[test]
    fn a_short_interval_asks_for_confirmation_not_refusal() {
        // Hepatitis B dose 2 needs 27 days after dose 1.
        let first = dose("2026-11-02", "hepb", 1);
        let second = dose("2026-11-10", "hepb", 2);
        match judge(&second, day(BIRTH), &[first], day(TODAY)) {
            Verdict::Confirm(warnings) => assert!(!warnings.is_empty()),
            other => panic!("expected a question: {other:?}"),
        }
    }

    #[test]
    fn a_dose_on_time_is_saved_at_once() {
        let record = dose("2026-11-02", "hepb", 1);
        assert_eq!(judge(&record, day(BIRTH), &[], day(TODAY)), Verdict::Save);
    }
}
