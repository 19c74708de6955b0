//! What the rules say against one record before it is saved. The same helpers as the
//! schedule (`schedule.rs`), with the record's own day where the schedule has today.

use super::rules::{Anchor, LIVE_GAP, Rules, SUPERSEDED, Vaccine};
use super::schedule::{
    alternatives, anchor_index, given_days, leave_out_last, limits, on_legacy_path, phase_limits,
    variant_index,
};
use super::{DoseRecord, Warning};
use crate::dates::Day;

pub(super) fn check(
    rules: &Rules,
    record: &DoseRecord,
    birth: Day,
    records: &[DoseRecord],
) -> Vec<Warning> {
    let Some(v) = rules.vaccine(&record.vaccine) else {
        return vec![Warning::UnknownVaccine];
    };
    let mut out = Vec::new();
    if let Some(r) = records
        .iter()
        .find(|r| r.vaccine == record.vaccine && r.dose == record.dose)
    {
        out.push(Warning::Duplicate { given_on: r.date });
    }
    series(rules, v, record, records, &mut out);
    if v.born_from.is_some_and(|from| birth < from) {
        out.push(Warning::NotEligible {
            last_eligible: None,
        });
    }
    doses(v, record, birth, records, &mut out);
    if v.injected_live {
        for r in records {
            let live = rules.vaccine(&r.vaccine).is_some_and(|o| o.injected_live);
            if live
                && r.date != record.date
                && record.date < LIVE_GAP.after(r.date)
                && r.date < LIVE_GAP.after(record.date)
            {
                out.push(Warning::LiveVaccineGap {
                    other: r.vaccine.clone(),
                    other_date: r.date,
                });
            }
        }
    }
    product(v, record, records, &mut out);
    out
}

/// 5種混合 against 4種混合 + ヒブ, and one rotavirus product per course.
fn series(
    rules: &Rules,
    v: &Vaccine,
    record: &DoseRecord,
    records: &[DoseRecord],
    out: &mut Vec<Warning>,
) {
    let since = rules.vaccine(SUPERSEDED.0).and_then(|s| s.routine_since);
    let legacy = on_legacy_path(rules, records);
    if v.legacy && !legacy && since.is_some_and(|s| record.date >= s) {
        out.push(Warning::OtherSeries {
            chosen: SUPERSEDED.0.to_owned(),
        });
    }
    if v.id == SUPERSEDED.0
        && legacy
        && let Some(r) = records
            .iter()
            .find(|r| SUPERSEDED.1.contains(&r.vaccine.as_str()))
    {
        out.push(Warning::OtherSeries {
            chosen: r.vaccine.clone(),
        });
    }
    if let Some(other) = alternatives(&v.id).find(|o| records.iter().any(|r| r.vaccine == *o)) {
        out.push(Warning::OtherSeries {
            chosen: other.to_owned(),
        });
    }
}

/// Ages, intervals, deadlines and doses left out, within the child's variant.
fn doses(
    v: &Vaccine,
    record: &DoseRecord,
    birth: Day,
    records: &[DoseRecord],
    out: &mut Vec<Warning>,
) {
    let Some(i) = usize::from(record.dose).checked_sub(1) else {
        out.push(Warning::NoSuchDose);
        return;
    };
    let given = given_days(&v.id, records);
    // Which variant the child is on is known from the first dose; without it only the
    // vaccine's ages can be checked.
    let first = given[0].or((i == 0).then_some(record.date));
    if first.is_none() && v.variants.len() > 1 {
        let Some(rule) = v.variants.iter().find_map(|x| x.doses.get(i)) else {
            out.push(Warning::NoSuchDose);
            return;
        };
        let (from, last) = phase_limits(v, rule.phase, birth);
        age_warnings(record.date, from, last, out);
        return;
    }
    let vi = variant_index(v, birth, first, record.date);
    let variant = &v.variants[vi];
    let Some(rule) = variant.doses.get(i) else {
        out.push(Warning::NoSuchDose);
        return;
    };
    let (from, last) = limits(v, vi, i, birth);
    // Doses left out as of the record's day, by what is recorded.
    let left_out = |k: usize| {
        let r = &variant.doses[k];
        leave_out_last(r, birth).is_some_and(|l| record.date > l)
            || r.leave_out_after.is_some_and(|(n, age)| {
                let when = if usize::from(n) == i + 1 {
                    Some(record.date)
                } else {
                    given.get(usize::from(n).wrapping_sub(1)).copied().flatten()
                };
                when.is_some_and(|d| d >= age.on(birth))
            })
    };
    let left: Vec<bool> = (0..variant.doses.len())
        .map(|k| k != i && given.get(k).copied().flatten().is_none() && left_out(k))
        .collect();
    let given_at = |k: usize| {
        if k == i {
            Some(record.date)
        } else {
            given.get(k).copied().flatten()
        }
    };
    let mut earliest = from;
    let mut short = Vec::new();
    if let Some(iv) = rule.min_interval
        && let Some(k) = anchor_index(variant, i, iv.anchor, &left)
        && let Some(a) = given_at(k)
    {
        let e = iv.amount.after(a);
        if record.date < e {
            short.push((k, a));
        }
        earliest = earliest.max(e);
    }
    if let Some(k) = anchor_index(variant, i, Anchor::Previous, &left)
        && let Some(a) = given_at(k)
    {
        if record.date <= a && !short.iter().any(|(s, _)| *s == k) {
            short.push((k, a));
        }
        earliest = earliest.max(a.add_days(1));
    }
    // Later doses recorded too soon after this one.
    for (j, later) in variant.doses.iter().enumerate().skip(i + 1) {
        let Some(b) = given.get(j).copied().flatten() else {
            continue;
        };
        let by_interval = later
            .min_interval
            .filter(|iv| anchor_index(variant, j, iv.anchor, &left) == Some(i))
            .is_some_and(|iv| b < iv.amount.after(record.date));
        let by_order =
            anchor_index(variant, j, Anchor::Previous, &left) == Some(i) && b <= record.date;
        if by_interval || by_order {
            short.push((j, b));
        }
    }
    age_warnings(record.date, earliest, last, out);
    out.extend(short.into_iter().map(|(k, d)| Warning::IntervalTooShort {
        other_dose: variant.doses[k].number,
        other_date: d,
    }));
    if left_out(i) {
        out.push(Warning::NotNeeded);
    }
}

fn age_warnings(day: Day, earliest: Day, last: Day, out: &mut Vec<Warning>) {
    if day < earliest {
        out.push(Warning::TooEarly { earliest });
    }
    if day > last {
        out.push(Warning::NotEligible {
            last_eligible: Some(last),
        });
    }
}

/// PCV's products: routine on the day, and the one the course started with.
fn product(v: &Vaccine, record: &DoseRecord, records: &[DoseRecord], out: &mut Vec<Warning>) {
    let Some(name) = record.product.as_deref() else {
        return;
    };
    let Some(product) = v.product(name) else {
        out.push(Warning::UnknownProduct);
        return;
    };
    if !product.routine_on(record.date) {
        out.push(Warning::ProductNotRoutine);
    }
    let started = records
        .iter()
        .filter(|r| r.vaccine == v.id && r.date < record.date)
        .filter_map(|r| Some((r.date, v.product(r.product.as_deref()?)?)))
        .min_by_key(|(d, _)| *d);
    if let Some((_, first)) = started
        && first.name != name
        && first.routine_on(record.date)
    {
        out.push(Warning::ProductSwitch {
            started_with: first.name.clone(),
        });
    }
}
