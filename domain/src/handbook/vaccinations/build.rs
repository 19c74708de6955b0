//! From the two CSV files to `Rules`: every column read, every phrase understood, and the
//! numbers the files state twice (a phrase and a column) checked against each other.

use std::sync::OnceLock;

use super::csv::Table;
use super::phrases::{self, StdInterval, Timing};
use super::rules::{
    Age, Anchor, BOOSTER_NOT_BEFORE, Deadline, DoseRule, INJECTED_LIVE, Interval, IntervalRange,
    Part, Phase, Product, Rules, SUPERSEDED, Until, VERSION, Vaccine, Variant,
};
use crate::dates::Day;

const VACCINES_CSV: &str = include_str!("../../../data/jp_routine_vaccines_2024_2025.csv");
const DOSES_CSV: &str = include_str!("../../../data/jp_routine_immunization_doses_2024_2025.csv");

impl Rules {
    /// Reads the two files. Errors name the line and what was not understood.
    pub fn parse(version: &str, vaccines_csv: &str, doses_csv: &str) -> Result<Rules, String> {
        read_rules(version, vaccines_csv, doses_csv)
    }
}

/// The shipped rules, read once. The files are compiled in and a test reads them, so a
/// broken file fails `cargo test`: the `expect` below is never reached by a user.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        Rules::parse(VERSION, VACCINES_CSV, DOSES_CSV).expect("the shipped rules parse (tested)")
    })
}

/// The shipped files, for tests.
#[cfg(test)]
pub(super) fn shipped() -> (&'static str, &'static str) {
    (VACCINES_CSV, DOSES_CSV)
}

fn read_rules(version: &str, vaccines_csv: &str, doses_csv: &str) -> Result<Rules, String> {
    let mut read = read_vaccines(vaccines_csv)?;
    read_doses(doses_csv, &mut read)?;
    let vaccines: Vec<Vaccine> = read.into_iter().map(|r| r.vaccine).collect();
    for v in &vaccines {
        if v.variants.is_empty() {
            return Err(format!("{}: no dose rows", v.id));
        }
    }
    for id in INJECTED_LIVE
        .iter()
        .chain([SUPERSEDED.0].iter())
        .chain(SUPERSEDED.1)
    {
        if !vaccines.iter().any(|v| v.id == *id) {
            return Err(format!("{id}: named in the code, not in the data"));
        }
    }
    let current = vaccines.iter().find(|v| v.id == SUPERSEDED.0);
    if current.is_none_or(|v| v.legacy || v.routine_since.is_none())
        || !SUPERSEDED
            .1
            .iter()
            .all(|id| vaccines.iter().any(|v| v.id == *id && v.legacy))
    {
        return Err("5種混合 must be current with a routine date, 4種混合 and ヒブ legacy".into());
    }
    // The newest date any rule took effect on.
    let valid_from = vaccines
        .iter()
        .flat_map(|v| {
            v.products
                .iter()
                .flat_map(|p| [p.from, p.last.map(|l| l.add_days(1))])
                .chain([v.routine_since])
        })
        .flatten()
        .max()
        .ok_or("no dates")?;
    Ok(Rules {
        version: version.to_owned(),
        valid_from,
        vaccines,
    })
}

fn err(line: usize, column: &str, text: &str) -> String {
    format!("line {line}, {column}: not understood: {text:?}")
}

fn num<T: std::str::FromStr>(line: usize, column: &str, text: &str) -> Result<Option<T>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| err(line, column, text))
}

/// A vaccine row, with what its dose rows need from it.
struct Read {
    vaccine: Vaccine,
    /// "初回接種は出生N週D日後までに" in `notes_ja`.
    first_dose_by: Option<Age>,
    total_doses: u8,
}

fn read_vaccines(csv: &str) -> Result<Vec<Read>, String> {
    let table = Table::parse(csv)?;
    let col = |name| table.column(name);
    let (id, ja, en, status, since) = (
        col("vaccine_id")?,
        col("name_ja")?,
        col("name_en")?,
        col("status")?,
        col("routine_since")?,
    );
    let (total, ages, start, end, route, notes) = (
        col("total_doses_standard")?,
        col("eligible_age_ja")?,
        col("eligible_start_months")?,
        col("eligible_end_months")?,
        col("route_ja")?,
        col("notes_ja")?,
    );
    let mut out = Vec::new();
    for (line, row) in &table.rows {
        let line = *line;
        let legacy = match row[status].as_str() {
            "current" => false,
            "legacy" => true,
            other => return Err(err(line, "status", other)),
        };
        let (routine_since, products) =
            routine_since(&row[since]).ok_or_else(|| err(line, "routine_since", &row[since]))?;
        let phases: Vec<Phase> = phrases::eligibility(&row[ages])
            .ok_or_else(|| err(line, "eligible_age_ja", &row[ages]))?
            .into_iter()
            .map(|(number, (from, until, school))| Phase {
                number,
                from,
                until,
                year_before_school: school,
            })
            .collect();
        // The month columns restate the first phase.
        let first = &phases[0];
        let start_ok = num::<u32>(line, "eligible_start_months", &row[start])?
            .is_none_or(|m| first.from == Age::Months(m));
        let end_ok = num::<u32>(line, "eligible_end_months", &row[end])?
            .is_none_or(|m| first.until == Until::Before(Age::Months(m)));
        if !start_ok || !end_ok {
            return Err(err(
                line,
                "eligible_*_months",
                "differs from eligible_age_ja",
            ));
        }
        let oral = match row[route].as_str() {
            "経口" => true,
            "" | "皮下又は筋肉内" => false,
            other => return Err(err(line, "route_ja", other)),
        };
        let injected_live = INJECTED_LIVE.contains(&row[id].as_str());
        if oral && injected_live {
            return Err(err(
                line,
                "route_ja",
                "an injected live vaccine given by mouth",
            ));
        }
        let born_from = match phrases::born_from(&row[notes]) {
            Some((y, m, d)) => Some(
                Day::parse(&format!("{y:04}-{m:02}-{d:02}"))
                    .ok_or_else(|| err(line, "notes_ja", &row[notes]))?,
            ),
            None => None,
        };
        let first_dose_by = phrases::first_dose_by(&row[notes]);
        let total_doses: u8 = num(line, "total_doses_standard", &row[total])?
            .ok_or_else(|| err(line, "total_doses_standard", ""))?;
        out.push(Read {
            vaccine: Vaccine {
                id: row[id].clone(),
                name_ja: row[ja].clone(),
                name_en: row[en].clone(),
                legacy,
                routine_since,
                products,
                born_from,
                oral,
                injected_live,
                phases,
                variants: Vec::new(),
            },
            first_dose_by,
            total_doses,
        });
    }
    Ok(out)
}

/// `routine_since`: a day, a month ("2012-11 (…)"), nothing, or products
/// ("PCV15: 2024-04-01; PCV20: 2024-10-01 (PCV13は2024-10-01に定期接種から除外)").
fn routine_since(text: &str) -> Option<(Option<Day>, Vec<Product>)> {
    if text.is_empty() {
        return Some((None, Vec::new()));
    }
    let (main, aside) = match text.split_once(" (") {
        Some((main, aside)) => (main, Some(aside.strip_suffix(')')?)),
        None => (text, None),
    };
    if !main.contains(": ") {
        // A month is read as its first day: only 4種混合's "2012-11" is one, years before
        // any child this app holds.
        let day = Day::parse(main).or_else(|| Day::parse(&format!("{main}-01")))?;
        return Some((Some(day), Vec::new()));
    }
    let mut products = Vec::new();
    for part in main.split("; ") {
        let (name, day) = part.split_once(": ")?;
        products.push(Product {
            name: name.to_owned(),
            from: Some(Day::parse(day)?),
            last: None,
        });
    }
    if let Some(aside) = aside {
        let (name, rest) = aside.split_once('は')?;
        let day = Day::parse(rest.strip_suffix("に定期接種から除外")?)?;
        products.push(Product {
            name: name.to_owned(),
            from: None,
            last: Some(day.add_days(-1)),
        });
    }
    // Routine since the first product, unless one (PCV13) was routine from before the
    // files' dates.
    let since = products
        .iter()
        .map(|p| p.from)
        .collect::<Option<Vec<_>>>()
        .and_then(|f| f.into_iter().min());
    Some((since, products))
}

/// One row of the dose file, before the variant's phrases are applied across its doses.
struct Row {
    line: usize,
    rule: DoseRule,
    timing: Vec<Timing>,
}

fn read_doses(csv: &str, vaccines: &mut [Read]) -> Result<(), String> {
    let table = Table::parse(csv)?;
    let col = |name| table.column(name);
    let (id, variant, series, dose, timing) = (
        col("vaccine_id")?,
        col("schedule_variant")?,
        col("series_ja")?,
        col("dose_no")?,
        col("standard_timing_ja")?,
    );
    let (sm, em, sd, ed) = (
        col("std_start_months")?,
        col("std_end_months")?,
        col("std_start_days")?,
        col("std_end_days")?,
    );
    let (min_ja, min_days, std_ja) = (
        col("min_interval_ja")?,
        col("min_interval_days")?,
        col("std_interval_ja")?,
    );
    let mut groups: Vec<(usize, String, Vec<Row>)> = Vec::new();
    for (line, r) in &table.rows {
        let line = *line;
        let v = vaccines
            .iter()
            .position(|v| v.vaccine.id == r[id])
            .ok_or_else(|| err(line, "vaccine_id", &r[id]))?;
        let number: u8 = num(line, "dose_no", &r[dose])?.ok_or_else(|| err(line, "dose_no", ""))?;
        let (phase, booster) =
            phrases::series(&r[series]).ok_or_else(|| err(line, "series_ja", &r[series]))?;
        let part = match booster {
            Some(false) => Part::Primary,
            Some(true) => Part::Booster,
            None => Part::Single,
        };
        let from = match (
            num(line, "std_start_months", &r[sm])?,
            num(line, "std_start_days", &r[sd])?,
        ) {
            (Some(m), None) => Some(Age::Months(m)),
            (None, Some(d)) => Some(Age::Days(d)),
            (None, None) => None,
            _ => return Err(err(line, "std_start_*", "both months and days")),
        };
        let until = match (
            num(line, "std_end_months", &r[em])?,
            num(line, "std_end_days", &r[ed])?,
        ) {
            (Some(m), None) => Some(Until::Before(Age::Months(m))),
            (None, Some(d)) => Some(Until::Through(Age::Days(d))),
            (None, None) => None,
            _ => return Err(err(line, "std_end_*", "both months and days")),
        };
        let min_interval = if r[min_ja].is_empty() {
            if !r[min_days].is_empty() {
                return Err(err(line, "min_interval_days", "without min_interval_ja"));
            }
            None
        } else {
            let (anchor, amount) = phrases::min_interval(&r[min_ja])
                .ok_or_else(|| err(line, "min_interval_ja", &r[min_ja]))?;
            let days: Option<u32> = num(line, "min_interval_days", &r[min_days])?;
            let same = match amount {
                super::rules::Amount::Days(n) => days == Some(n),
                super::rules::Amount::Months(_) => days.is_none(),
            };
            if !same {
                return Err(err(
                    line,
                    "min_interval_days",
                    "differs from min_interval_ja",
                ));
            }
            Some(Interval {
                anchor: anchor.unwrap_or(Anchor::Previous),
                amount,
            })
        };
        let recommended_interval = match r[std_ja].as_str() {
            "" => None,
            text => match phrases::std_interval(text)
                .ok_or_else(|| err(line, "std_interval_ja", text))?
            {
                StdInterval::About => None,
                StdInterval::Range(anchor, from, to) => Some(IntervalRange {
                    anchor: anchor
                        .or(min_interval.map(|i| i.anchor))
                        .unwrap_or(Anchor::Previous),
                    from,
                    to,
                }),
            },
        };
        let timing = phrases::timing(&r[timing], number)
            .ok_or_else(|| err(line, "standard_timing_ja", &r[timing]))?;
        let rule = DoseRule {
            number,
            phase,
            part,
            recommended_from: from,
            recommended_until: until,
            recommended_interval,
            min_interval,
            not_before: Vec::new(),
            deadlines: Vec::new(),
            leave_out_after: None,
        };
        let row = Row { line, rule, timing };
        match groups
            .iter_mut()
            .find(|(gv, name, _)| *gv == v && *name == r[variant])
        {
            Some((_, _, rows)) => rows.push(row),
            None => groups.push((v, r[variant].clone(), vec![row])),
        }
    }
    for (v, name, rows) in groups {
        let read = &mut vaccines[v];
        let variant = variant_from(&read.vaccine.id, &name, rows, read.first_dose_by)?;
        let total = read.total_doses;
        let vaccine = &mut read.vaccine;
        if vaccine.variants.is_empty() && variant.doses.len() != usize::from(total) {
            return Err(format!(
                "{}: total_doses_standard is not the standard variant's",
                vaccine.id
            ));
        }
        vaccine.variants.push(variant);
    }
    Ok(())
}

fn variant_from(
    id: &str,
    name: &str,
    rows: Vec<Row>,
    first_dose_by: Option<Age>,
) -> Result<Variant, String> {
    let line = rows[0].line;
    let (starts, catch_up) =
        phrases::variant(name).ok_or_else(|| err(line, "schedule_variant", name))?;
    let has_booster = rows.iter().any(|r| r.rule.part == Part::Booster);
    let mut timings = Vec::new();
    let mut doses = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        if usize::from(row.rule.number) != i + 1 {
            return Err(err(row.line, "dose_no", "not in order from 1"));
        }
        timings.extend(
            row.timing
                .into_iter()
                .map(|t| (row.line, row.rule.number, t)),
        );
        doses.push(row.rule);
    }
    for (line, on, t) in timings {
        match t {
            Timing::Deadline {
                doses: named,
                until,
                leave_out,
            } => {
                for n in named {
                    let dose = doses
                        .get_mut(usize::from(n).wrapping_sub(1))
                        .ok_or_else(|| {
                            err(line, "standard_timing_ja", "names a dose the variant lacks")
                        })?;
                    let deadline = Deadline {
                        until,
                        // A primary dose of a series with a booster is left out when late
                        // ("越えた場合は行わない"; the booster then follows the last primary
                        // dose given — 定期接種実施要領, restated by chails.jp).
                        leave_out: leave_out || (dose.part == Part::Primary && has_booster),
                    };
                    if !dose.deadlines.contains(&deadline) {
                        dose.deadlines.push(deadline);
                    }
                }
            }
            Timing::LeaveOutAfter { when, age, then } => {
                let dose = doses
                    .get_mut(usize::from(then).wrapping_sub(1))
                    .filter(|_| when < then)
                    .ok_or_else(|| {
                        err(line, "standard_timing_ja", "names a dose the variant lacks")
                    })?;
                dose.leave_out_after = Some((when, age));
            }
            Timing::NotBefore(age) => doses[usize::from(on) - 1].not_before.push(age),
        }
    }
    if let Some(age) = first_dose_by {
        doses[0].deadlines.push(Deadline {
            until: Until::Through(age),
            leave_out: false,
        });
    }
    for (vaccine, months) in BOOSTER_NOT_BEFORE {
        if *vaccine == id {
            for d in doses.iter_mut().filter(|d| d.part == Part::Booster) {
                if !d.not_before.contains(&Age::Months(*months)) {
                    d.not_before.push(Age::Months(*months));
                }
            }
        }
    }
    Ok(Variant {
        name: name.to_owned(),
        starts,
        catch_up,
        doses,
    })
}
