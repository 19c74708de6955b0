//! One child's schedule: every dose of every vaccine that applies to them, with its days
//! and its status on a given day. The helpers here are shared with `check.rs`, so the
//! schedule never proposes a day that `check` would warn about.

use super::rules::{Anchor, DoseRule, LIVE_GAP, Part, Rules, SUPERSEDED, Vaccine, Variant};
use super::{DoseRecord, DoseStatus, ONE_OF, Status};
use crate::dates::Day;

/// Whether the child is on 4種混合 + ヒブ: a dose of either recorded before 5種混合 became
/// routine.
pub(super) fn on_legacy_path(rules: &Rules, records: &[DoseRecord]) -> bool {
    let since = rules
        .vaccine(SUPERSEDED.0)
        .and_then(|v| v.routine_since)
        .unwrap_or(Day {
            year: 1900,
            month: 1,
            day: 1,
        });
    records
        .iter()
        .any(|r| SUPERSEDED.1.contains(&r.vaccine.as_str()) && r.date < since)
}

/// The other vaccines of `id`'s one-of group (rotavirus products).
pub(super) fn alternatives(id: &str) -> impl Iterator<Item = &'static str> + '_ {
    ONE_OF
        .iter()
        .filter(move |group| group.contains(&id))
        .flat_map(|group| group.iter().copied())
        .filter(move |other| *other != id)
}

/// The first and last day of a phase, with the year before school (MR 第2期) and the
/// vaccine's routine start.
pub(super) fn phase_limits(v: &Vaccine, phase: u8, birth: Day) -> (Day, Day) {
    let phase = v.phase(phase);
    let mut from = phase.from.on(birth);
    let mut last = phase.until.last_day(birth);
    if phase.year_before_school {
        let (first, end) = year_before_school(birth);
        from = from.max(first);
        last = last.min(end);
    }
    if let Some(since) = v.routine_since {
        from = from.max(since);
    }
    (from, last)
}

/// The first day a child born on `birth` may have dose `i` of variant `vi` and the last
/// day it is routine, by age and calendar alone (no intervals): the phase's limits, the
/// dose's own "not before" ages, the variant's first starting age for a first dose, and the
/// deadlines that end eligibility.
pub(super) fn limits(v: &Vaccine, vi: usize, i: usize, birth: Day) -> (Day, Day) {
    let variant = &v.variants[vi];
    let rule = &variant.doses[i];
    let (mut from, mut last) = phase_limits(v, rule.phase, birth);
    for age in &rule.not_before {
        from = from.max(age.on(birth));
    }
    // A first dose after the variant's starting ages is the next variant's first dose,
    // so only the start bounds it here.
    if i == 0
        && let Some((start, _)) = variant.starts
    {
        from = from.max(start.on(birth));
    }
    for d in rule.deadlines.iter().filter(|d| !d.leave_out) {
        last = last.min(d.until.last_day(birth));
    }
    (from, last)
}

/// The school year before a child born on `birth` starts primary school (年長): school
/// starts on the first April 1 after the day they reach six (学校教育法 第17条; they reach
/// it the day before the sixth birthday, so a child born on April 1 starts that April).
pub(super) fn year_before_school(birth: Day) -> (Day, Day) {
    let sixth = birth.add_months(72);
    let april = |year| Day {
        year,
        month: 4,
        day: 1,
    };
    let entry = if sixth <= april(sixth.year) {
        april(sixth.year)
    } else {
        april(sixth.year + 1)
    };
    (april(entry.year - 1), entry.add_days(-1))
}

/// The last day before which a late dose is left out, if its series goes on without it.
pub(super) fn leave_out_last(rule: &DoseRule, birth: Day) -> Option<Day> {
    rule.deadlines
        .iter()
        .filter(|d| d.leave_out)
        .map(|d| d.until.last_day(birth))
        .min()
}

/// The dose an anchor points to (an index into the variant), skipping doses left out.
pub(super) fn anchor_index(
    variant: &Variant,
    i: usize,
    anchor: Anchor,
    left: &[bool],
) -> Option<usize> {
    let nearest = |below: usize| (0..below).rev().find(|&k| !left[k]);
    match anchor {
        Anchor::Previous => nearest(i),
        // A named dose left out: the last dose given before it (for PCV, "最後の初回の
        // 接種終了後" — 定期接種実施要領, restated by chails.jp).
        Anchor::Dose(n) => {
            let k = usize::from(n).checked_sub(1)?;
            if k >= i {
                None
            } else if left[k] {
                nearest(k)
            } else {
                Some(k)
            }
        }
        Anchor::PrimaryEnd => (0..i)
            .rev()
            .find(|&k| !left[k] && variant.doses[k].part == Part::Primary),
    }
}

/// The first day on or after `day` that keeps 27 whole days from every recorded injected
/// live dose given on another day (the same day is allowed).
pub(super) fn clear_of_live(rules: &Rules, mut day: Day, records: &[DoseRecord]) -> Day {
    let live: Vec<Day> = records
        .iter()
        .filter(|r| rules.vaccine(&r.vaccine).is_some_and(|v| v.injected_live))
        .map(|r| r.date)
        .collect();
    loop {
        let clash = live
            .iter()
            .find(|&&r| r != day && day < LIVE_GAP.after(r) && r < LIVE_GAP.after(day));
        match clash {
            // Before a recorded dose: the same day is the first day allowed.
            Some(&r) if day < r => day = r,
            Some(&r) => day = LIVE_GAP.after(r),
            None => return day,
        }
    }
}

/// Whether this vaccine is part of this child's schedule at all.
fn applies(v: &Vaccine, birth: Day, records: &[DoseRecord], legacy: bool) -> bool {
    if v.born_from.is_some_and(|from| birth < from) {
        return false;
    }
    if (v.legacy && !legacy) || (v.id == SUPERSEDED.0 && legacy) {
        return false;
    }
    let has = |id: &str| records.iter().any(|r| r.vaccine == id);
    has(&v.id) || !alternatives(&v.id).any(has)
}

/// What later doses need from an earlier one.
#[derive(Clone, Copy)]
struct Planned {
    /// Given, or the first day it could now be given.
    early: Day,
    /// Given, or the first day of its window from today.
    typical: Day,
    left_out: bool,
    lost: bool,
}

pub(super) fn schedule(
    rules: &Rules,
    birth: Day,
    records: &[DoseRecord],
    today: Day,
) -> Vec<DoseStatus> {
    let legacy = on_legacy_path(rules, records);
    let mut out = Vec::with_capacity(48);
    for v in &rules.vaccines {
        if applies(v, birth, records, legacy) {
            let one_of: Vec<String> = alternatives(&v.id)
                .filter(|id| {
                    rules
                        .vaccine(id)
                        .is_some_and(|o| applies(o, birth, records, legacy))
                })
                .map(str::to_owned)
                .collect();
            vaccine(rules, v, birth, records, today, &one_of, &mut out);
        }
    }
    out
}

/// The first recorded day of each dose number of a vaccine.
pub(super) fn given_days(id: &str, records: &[DoseRecord]) -> [Option<Day>; 8] {
    let mut given = [None; 8];
    for r in records.iter().filter(|r| r.vaccine == id) {
        if let Some(slot) = given.get_mut(usize::from(r.dose).wrapping_sub(1)) {
            *slot = Some(slot.map_or(r.date, |d: Day| d.min(r.date)));
        }
    }
    given
}

/// The variant for this child: by the recorded first dose, else by the first day they
/// could start from today.
pub(super) fn variant_index(v: &Vaccine, birth: Day, first: Option<Day>, today: Day) -> usize {
    let start = first.unwrap_or_else(|| {
        let (from, _) = limits(v, 0, 0, birth);
        today.max(from)
    });
    let chosen = v.variant_for(birth, start);
    v.variants
        .iter()
        .position(|x| std::ptr::eq(x, chosen))
        .unwrap_or(0)
}

fn vaccine(
    rules: &Rules,
    v: &Vaccine,
    birth: Day,
    records: &[DoseRecord],
    today: Day,
    one_of: &[String],
    out: &mut Vec<DoseStatus>,
) {
    let given = given_days(&v.id, records);
    let vi = variant_index(v, birth, given[0], today);
    let variant = &v.variants[vi];
    let mut plan: Vec<Planned> = Vec::with_capacity(variant.doses.len());
    let mut left: Vec<bool> = Vec::with_capacity(variant.doses.len());
    for (i, rule) in variant.doses.iter().enumerate() {
        let given_on = given.get(i).copied().flatten();
        let (mut earliest, last) = limits(v, vi, i, birth);
        let mut lost = false;
        if let Some(iv) = rule.min_interval
            && let Some(k) = anchor_index(variant, i, iv.anchor, &left)
        {
            lost |= plan[k].lost;
            earliest = earliest.max(iv.amount.after(plan[k].early));
        }
        // Dose n comes after dose n-1, unless that one can no longer be given.
        if let Some(k) = anchor_index(variant, i, Anchor::Previous, &left)
            && !plan[k].lost
        {
            earliest = earliest.max(plan[k].early.add_days(1));
        }
        if v.injected_live {
            earliest = clear_of_live(rules, earliest, records);
        }
        // The recommended window: by age (for a first dose on a later-start variant, the
        // standard variant's, which is what it is late for), then after the anchor.
        let by_age = if i == 0 {
            &v.variants[0].doses[0]
        } else {
            rule
        };
        let mut rec_from = by_age.recommended_from.map(|a| a.on(birth));
        let mut rec_until = by_age.recommended_until.map(|u| u.last_day(birth));
        if let Some(ri) = rule.recommended_interval
            && let Some(k) = anchor_index(variant, i, ri.anchor, &left)
        {
            let (from, to) = (ri.from.after(plan[k].typical), ri.to.after(plan[k].typical));
            rec_from = Some(rec_from.map_or(from, |d| d.max(from)));
            rec_until = Some(rec_until.map_or(to, |d| d.min(to)));
        }
        let due = rec_from.map_or(earliest, |d| d.max(earliest));
        let overdue_from = rec_until
            .map(|d| d.add_days(1).max(due))
            .filter(|d| *d <= last);
        let due_until = rec_until.filter(|d| *d >= due);
        let left_out = given_on.is_none()
            && (leave_out_last(rule, birth).is_some_and(|l| today > l || earliest > l)
                || rule.leave_out_after.is_some_and(|(n, age)| {
                    usize::from(n)
                        .checked_sub(1)
                        .is_some_and(|k| k < i && !left[k] && plan[k].early >= age.on(birth))
                }));
        let status = if given_on.is_some() {
            Status::Done
        } else if left_out {
            Status::NotNeeded
        } else if lost || today > last || earliest > last {
            Status::NoLongerEligible
        } else if today < due {
            Status::Upcoming
        } else if overdue_from.is_some_and(|d| d <= today) {
            Status::Overdue
        } else {
            Status::Due
        };
        let early = given_on.unwrap_or(earliest.max(today));
        plan.push(Planned {
            early,
            typical: given_on.unwrap_or(due.max(today)),
            left_out,
            lost: status == Status::NoLongerEligible,
        });
        left.push(left_out);
        out.push(DoseStatus {
            vaccine: v.id.clone(),
            variant: variant.name.clone(),
            dose: rule.number,
            phase: rule.phase,
            part: rule.part,
            status,
            given_on,
            earliest,
            due,
            due_until,
            overdue_from,
            last_eligible: last,
            products: products(v, records, given_on, early),
            one_of: one_of.to_vec(),
        });
    }
    debug_assert!(plan.iter().zip(&left).all(|(p, l)| p.left_out == *l));
}

/// The products the rules point to for a dose of `v` on `day`: the recorded one; else the
/// product the course started with while it is still routine ("原則として同一"); else
/// every product routine that day, the newest first ("2024年10月1日以降に初めて接種する場合は
/// PCV20が基本").
fn products(v: &Vaccine, records: &[DoseRecord], given_on: Option<Day>, day: Day) -> Vec<String> {
    if v.products.is_empty() {
        return Vec::new();
    }
    let mine = || records.iter().filter(|r| r.vaccine == v.id);
    if let Some(on) = given_on {
        return mine()
            .filter(|r| r.date == on)
            .find_map(|r| r.product.clone())
            .into_iter()
            .collect();
    }
    let started = mine()
        .filter(|r| r.product.is_some())
        .min_by_key(|r| r.date)
        .and_then(|r| v.product(r.product.as_deref()?));
    if let Some(p) = started.filter(|p| p.routine_on(day)) {
        return vec![p.name.clone()];
    }
    let mut routine: Vec<_> = v.products.iter().filter(|p| p.routine_on(day)).collect();
    routine.sort_by_key(|p| std::cmp::Reverse(p.from));
    routine.into_iter().map(|p| p.name.clone()).collect()
}
