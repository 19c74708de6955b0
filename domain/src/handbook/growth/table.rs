//! A growth reference as LMS rows by age, read from CSV text, so a ward can load another
//! reference (a Japanese one, say) in the same columns with no code change.
//!
//! The columns, by name in the first line and in any order: `indicator`
//! (`weight_for_age`, `length_height_for_age`, `head_circumference_for_age`), `unit` (`kg`
//! for weight, `cm` for the others), `sex` (`male`, `female`), exactly one age column
//! (`age_days`, `age_weeks` or `age_months`; a month is 30.4375 days, 365.25 / 12, as WHO
//! counts it), `L`, `M`, `S`, and optionally `measure` (`length`: lying down, `height`:
//! standing; empty means length). Other columns (WHO's printed `sd_*` curves) are ignored.
//! Plain comma-separated fields, no quoting; a leading byte-order mark and CRLF line ends
//! are fine.

use std::fmt;

use super::lms::Lms;
use super::{Indicator, Measure, Sex};

/// Days in a month, as WHO converts ages (365.25 / 12).
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// Why a reference table could not be read, and on which line (1 is the header).
#[derive(Debug, Clone, PartialEq)]
pub struct TableError {
    pub line: usize,
    pub problem: TableProblem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TableProblem {
    /// No data rows at all.
    NoRows,
    /// The header lacks this column.
    MissingColumn(&'static str),
    /// The header must have exactly one of `age_days`, `age_weeks`, `age_months`.
    AgeColumn,
    /// A row with more or fewer fields than the header.
    FieldCount {
        expected: usize,
        found: usize,
    },
    /// A field in quotes: this reader takes plain fields only.
    QuotedField,
    UnknownIndicator(String),
    UnknownSex(String),
    UnknownMeasure(String),
    /// A `measure` on a row that is not length/height.
    MeasureNotAllowed,
    /// The unit is not the one this indicator is measured in.
    WrongUnit {
        expected: &'static str,
        found: String,
    },
    NotANumber {
        column: &'static str,
        found: String,
    },
    /// A negative age, or an M or S that is not above zero.
    OutOfRange {
        column: &'static str,
    },
    /// A second row for the same indicator, sex, measure and age.
    DuplicateAge,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match &self.problem {
            TableProblem::NoRows => write!(f, "the table has no rows"),
            TableProblem::MissingColumn(name) => write!(f, "no column named `{name}`"),
            TableProblem::AgeColumn => write!(
                f,
                "exactly one of `age_days`, `age_weeks`, `age_months` is needed"
            ),
            TableProblem::FieldCount { expected, found } => {
                write!(f, "{found} fields, but the header has {expected}")
            }
            TableProblem::QuotedField => write!(f, "quoted fields are not read"),
            TableProblem::UnknownIndicator(s) => write!(f, "unknown indicator `{s}`"),
            TableProblem::UnknownSex(s) => write!(f, "sex must be `male` or `female`, not `{s}`"),
            TableProblem::UnknownMeasure(s) => {
                write!(f, "measure must be `length`, `height` or empty, not `{s}`")
            }
            TableProblem::MeasureNotAllowed => {
                write!(f, "only length_height_for_age rows have a measure")
            }
            TableProblem::WrongUnit { expected, found } => {
                write!(f, "unit must be `{expected}`, not `{found}`")
            }
            TableProblem::NotANumber { column, found } => {
                write!(f, "`{column}` is not a number: `{found}`")
            }
            TableProblem::OutOfRange { column } => write!(f, "`{column}` is out of range"),
            TableProblem::DuplicateAge => write!(f, "a second row for the same age"),
        }
    }
}

impl std::error::Error for TableError {}

/// One curve: one indicator, sex and measure, with its rows sorted by age.
#[derive(Debug, Clone, PartialEq)]
struct Curve {
    indicator: Indicator,
    sex: Sex,
    measure: Option<Measure>,
    /// (age in days, LMS), ages strictly increasing.
    points: Vec<(f64, Lms)>,
}

impl Curve {
    fn first_age(&self) -> f64 {
        self.points[0].0
    }

    fn last_age(&self) -> f64 {
        self.points[self.points.len() - 1].0
    }

    /// L, M and S at an age, each straight-line between the two rows around it.
    fn at(&self, age_days: f64) -> Option<Lms> {
        if !(self.first_age()..=self.last_age()).contains(&age_days) {
            return None;
        }
        let after = self.points.partition_point(|(age, _)| *age <= age_days);
        let (a0, lms0) = self.points[after - 1];
        if a0 == age_days || after == self.points.len() {
            return Some(lms0);
        }
        let (a1, lms1) = self.points[after];
        let t = (age_days - a0) / (a1 - a0);
        let mix = |x0: f64, x1: f64| x0 + (x1 - x0) * t;
        Some(Lms {
            l: mix(lms0.l, lms1.l),
            m: mix(lms0.m, lms1.m),
            s: mix(lms0.s, lms1.s),
        })
    }
}

/// A growth reference: LMS rows by indicator, sex and age.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceTable {
    curves: Vec<Curve>,
}

impl ReferenceTable {
    /// Reads a table in the columns described in this module's documentation.
    pub fn parse(csv: &str) -> Result<ReferenceTable, TableError> {
        let csv = csv.strip_prefix('\u{feff}').unwrap_or(csv);
        let mut lines = csv
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
            .filter(|(_, line)| !line.trim().is_empty());
        let (header_line, header) = lines.next().ok_or(TableError {
            line: 1,
            problem: TableProblem::NoRows,
        })?;
        let columns = Columns::of(header).map_err(|problem| TableError {
            line: header_line,
            problem,
        })?;
        let mut table = ReferenceTable { curves: Vec::new() };
        for (line, text) in lines {
            let Row {
                indicator,
                sex,
                measure,
                point,
            } = columns
                .row(text)
                .map_err(|problem| TableError { line, problem })?;
            let curve = table.curve_mut(indicator, sex, measure);
            match curve
                .points
                .binary_search_by(|(age, _)| age.total_cmp(&point.0))
            {
                Ok(_) => {
                    return Err(TableError {
                        line,
                        problem: TableProblem::DuplicateAge,
                    });
                }
                Err(at) => curve.points.insert(at, point),
            }
        }
        if table.curves.is_empty() {
            return Err(TableError {
                line: header_line,
                problem: TableProblem::NoRows,
            });
        }
        Ok(table)
    }

    /// This table with `finer`'s rows laid over it: for each curve `finer` has, its rows
    /// replace this table's rows of the same curve within `finer`'s age span.
    pub fn overlay(mut self, finer: ReferenceTable) -> ReferenceTable {
        for fine in finer.curves {
            let (from, to) = (fine.first_age(), fine.last_age());
            let curve = self.curve_mut(fine.indicator, fine.sex, fine.measure);
            curve.points.retain(|(age, _)| *age < from || *age > to);
            curve.points.extend(fine.points);
            curve.points.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        self
    }

    /// L, M and S for a child of this sex at this age (days, may be fractional), or `None`
    /// outside the table's ages. For length/height, a table with both measures gives
    /// lying length up to the last age that has a length row and standing height after it
    /// (WHO: length below 24 months, height from 24 months).
    pub fn lms(&self, indicator: Indicator, sex: Sex, age_days: f64) -> Option<Lms> {
        self.curve_at(indicator, sex, age_days)?.at(age_days)
    }

    /// Whether the curve used at this age is for length (lying) or height (standing);
    /// `None` for indicators other than length/height or outside the table.
    pub fn measure(&self, indicator: Indicator, sex: Sex, age_days: f64) -> Option<Measure> {
        self.curve_at(indicator, sex, age_days)?.measure
    }

    /// The first and last age (days) the table covers for this indicator and sex.
    pub fn age_span(&self, indicator: Indicator, sex: Sex) -> Option<(f64, f64)> {
        let mut curves = self.curves_of(indicator, sex);
        let first = curves.next()?;
        Some(
            curves.fold((first.first_age(), first.last_age()), |(a, b), c| {
                (a.min(c.first_age()), b.max(c.last_age()))
            }),
        )
    }

    fn curves_of(&self, indicator: Indicator, sex: Sex) -> impl Iterator<Item = &Curve> {
        self.curves
            .iter()
            .filter(move |c| c.indicator == indicator && c.sex == sex)
    }

    fn curve_at(&self, indicator: Indicator, sex: Sex, age_days: f64) -> Option<&Curve> {
        let mut length = None;
        let mut other = None;
        for curve in self.curves_of(indicator, sex) {
            match curve.measure {
                Some(Measure::Length) => length = Some(curve),
                _ => other = Some(curve),
            }
        }
        match (length, other) {
            (Some(length), Some(height)) if age_days > length.last_age() => Some(height),
            (Some(length), _) => Some(length),
            (None, other) => other,
        }
    }

    fn curve_mut(
        &mut self,
        indicator: Indicator,
        sex: Sex,
        measure: Option<Measure>,
    ) -> &mut Curve {
        let found = self
            .curves
            .iter()
            .position(|c| c.indicator == indicator && c.sex == sex && c.measure == measure);
        let at = found.unwrap_or_else(|| {
            self.curves.push(Curve {
                indicator,
                sex,
                measure,
                points: Vec::new(),
            });
            self.curves.len() - 1
        });
        &mut self.curves[at]
    }
}

/// One row read.
struct Row {
    indicator: Indicator,
    sex: Sex,
    measure: Option<Measure>,
    point: (f64, Lms),
}

/// Where each needed column is in a row, and how many days one unit of its age is.
struct Columns {
    count: usize,
    indicator: usize,
    unit: usize,
    sex: usize,
    age: usize,
    days_per_age_unit: f64,
    measure: Option<usize>,
    l: usize,
    m: usize,
    s: usize,
}

impl Columns {
    fn of(header: &str) -> Result<Columns, TableProblem> {
        let names: Vec<String> = header
            .split(',')
            .map(|name| name.trim().to_ascii_lowercase())
            .collect();
        let find = |name: &'static str| names.iter().position(|n| n == name);
        let need = |name: &'static str| find(name).ok_or(TableProblem::MissingColumn(name));
        let ages: Vec<(usize, f64)> = [
            ("age_days", 1.0),
            ("age_weeks", 7.0),
            ("age_months", DAYS_PER_MONTH),
        ]
        .into_iter()
        .filter_map(|(name, days)| Some((find(name)?, days)))
        .collect();
        let [(age, days_per_age_unit)] = ages[..] else {
            return Err(TableProblem::AgeColumn);
        };
        Ok(Columns {
            count: names.len(),
            indicator: need("indicator")?,
            unit: need("unit")?,
            sex: need("sex")?,
            age,
            days_per_age_unit,
            measure: find("measure"),
            l: need("l")?,
            m: need("m")?,
            s: need("s")?,
        })
    }

    fn row(&self, text: &str) -> Result<Row, TableProblem> {
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        if fields.len() != self.count {
            return Err(TableProblem::FieldCount {
                expected: self.count,
                found: fields.len(),
            });
        }
        if fields.iter().any(|f| f.starts_with('"')) {
            return Err(TableProblem::QuotedField);
        }
        let indicator = Indicator::parse(fields[self.indicator])
            .ok_or_else(|| TableProblem::UnknownIndicator(fields[self.indicator].to_owned()))?;
        if fields[self.unit] != indicator.unit() {
            return Err(TableProblem::WrongUnit {
                expected: indicator.unit(),
                found: fields[self.unit].to_owned(),
            });
        }
        let sex = Sex::parse(fields[self.sex])
            .ok_or_else(|| TableProblem::UnknownSex(fields[self.sex].to_owned()))?;
        let measure_text = self.measure.map_or("", |i| fields[i]);
        let measure = match (indicator, measure_text) {
            (Indicator::LengthHeightForAge, "" | "length") => Some(Measure::Length),
            (Indicator::LengthHeightForAge, "height") => Some(Measure::Height),
            (Indicator::LengthHeightForAge, other) => {
                return Err(TableProblem::UnknownMeasure(other.to_owned()));
            }
            (_, "") => None,
            (_, _) => return Err(TableProblem::MeasureNotAllowed),
        };
        let number = |column: &'static str, at: usize| {
            fields[at]
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| TableProblem::NotANumber {
                    column,
                    found: fields[at].to_owned(),
                })
        };
        let age = number("age", self.age)?;
        let lms = Lms {
            l: number("L", self.l)?,
            m: number("M", self.m)?,
            s: number("S", self.s)?,
        };
        if age < 0.0 {
            return Err(TableProblem::OutOfRange { column: "age" });
        }
        if lms.m <= 0.0 {
            return Err(TableProblem::OutOfRange { column: "M" });
        }
        if lms.s <= 0.0 {
            return Err(TableProblem::OutOfRange { column: "S" });
        }
        Ok(Row {
            indicator,
            sex,
            measure,
            point: (age * self.days_per_age_unit, lms),
        })
    }
}
