//! A child's growth against a reference: where a weight, length/height or head
//! circumference stands (z-score, centile, the band between the chart's lines), the
//! chart's centile lines, and the age to plot at (corrected for babies born early).
//!
//! The reference is a table of LMS rows (`table.rs`), WHO Child Growth Standards (2006)
//! by default; a ward may load another in the same columns. Between rows, L, M and S are
//! read on straight lines. WHO recommends its daily tables; the default here is the daily
//! rows for days 0–13 (where weight dips and recovers after birth), the weekly rows to 13
//! weeks and the monthly rows to 60 months: 44 KB of text, 11 KB gzipped, in place of the
//! daily file's 420 KB (69 KB gzipped). Measured against every row of WHO's daily table
//! (days 0–1826, weight and length/height, the curves z = −3…3) by
//! `examples/growth_figures.rs`, the curves differ by at most 0.018 kg and 0.065 cm, and a
//! measurement's z-score by at most 0.029 (weight) and 0.032 (length), both between 3 and
//! 4 months: about one centile near the median. Without the daily rows, weight in the
//! first week would be off by up to 0.14 in z-score. WHO prints no daily head
//! circumference, so it is read from the weekly, then the monthly rows.

mod age;
mod lms;
mod table;

pub use age::{ChartAge, chart_age};
pub use lms::{Lms, Tails, percentile_of, z_of_percentile};
pub use table::{DAYS_PER_MONTH, ReferenceTable, TableError, TableProblem};

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// What is measured against age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    WeightForAge,
    /// Length lying down (WHO: under 24 months) or height standing (from 24 months).
    LengthHeightForAge,
    HeadCircumferenceForAge,
}

impl Indicator {
    pub const ALL: [Indicator; 3] = [
        Indicator::WeightForAge,
        Indicator::LengthHeightForAge,
        Indicator::HeadCircumferenceForAge,
    ];

    /// The name in a reference table's `indicator` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::WeightForAge => "weight_for_age",
            Indicator::LengthHeightForAge => "length_height_for_age",
            Indicator::HeadCircumferenceForAge => "head_circumference_for_age",
        }
    }

    pub fn parse(text: &str) -> Option<Indicator> {
        Indicator::ALL.into_iter().find(|i| i.as_str() == text)
    }

    /// The unit values are in: kilograms for weight, centimetres for the others.
    pub fn unit(self) -> &'static str {
        match self {
            Indicator::WeightForAge => "kg",
            _ => "cm",
        }
    }

    /// Weight's z-scores beyond ±3 follow WHO's restricted rule (see [`Tails`]).
    pub fn tails(self) -> Tails {
        match self {
            Indicator::WeightForAge => Tails::Restricted,
            _ => Tails::Lms,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    pub fn parse(text: &str) -> Option<Sex> {
        [Sex::Male, Sex::Female]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// How a length/height is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Lying down (recumbent length).
    Length,
    /// Standing.
    Height,
}

/// The centile lines a chart draws: the 母子手帳's set, 3rd to 97th.
pub const CHART_PERCENTILES: [f64; 7] = [3.0, 10.0, 25.0, 50.0, 75.0, 90.0, 97.0];

/// Where a measurement lies between the chart's lines. The app words it ("50パーセンタイル
/// 付近" for the middle band) from its locale files. A value exactly on the 3rd or 97th
/// line is inside; the middle band is 25th–75th inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    BelowP3,
    P3ToP10,
    P10ToP25,
    P25ToP75,
    P75ToP90,
    P90ToP97,
    AboveP97,
}

impl Band {
    pub fn of_percentile(percentile: f64) -> Band {
        match percentile {
            p if p < 3.0 => Band::BelowP3,
            p if p < 10.0 => Band::P3ToP10,
            p if p < 25.0 => Band::P10ToP25,
            p if p <= 75.0 => Band::P25ToP75,
            p if p <= 90.0 => Band::P75ToP90,
            p if p <= 97.0 => Band::P90ToP97,
            _ => Band::AboveP97,
        }
    }

    /// Below the 3rd or above the 97th centile: outside the chart's shaded area.
    pub fn is_outside(self) -> bool {
        matches!(self, Band::BelowP3 | Band::AboveP97)
    }
}

/// Where one measurement stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// WHO's z-score (restricted beyond ±3 for weight).
    pub z: f64,
    /// 0–100.
    pub percentile: f64,
    pub band: Band,
    /// For length/height: the curve it was read against (lying or standing).
    pub measure: Option<Measure>,
}

/// One age of a chart: the values of [`CHART_PERCENTILES`] there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    pub age_days: f64,
    pub values: [f64; 7],
}

/// The shipped WHO tables, as one reference (see the module documentation).
pub const WHO2006_MONTHLY_CSV: &str = include_str!("../../../data/who2006_lms_monthly_0_60m.csv");
pub const WHO2006_WEEKLY_CSV: &str = include_str!("../../../data/who2006_lms_weekly_0_13w.csv");
pub const WHO2006_DAILY_FIRST_DAYS_CSV: &str =
    include_str!("../../../data/who2006_lms_daily_0_13d.csv");

/// WHO Child Growth Standards (2006), read once.
pub fn who2006() -> &'static ReferenceTable {
    static TABLE: OnceLock<ReferenceTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let read = |csv| ReferenceTable::parse(csv).expect("the shipped WHO tables read (tested)");
        read(WHO2006_MONTHLY_CSV)
            .overlay(read(WHO2006_WEEKLY_CSV))
            .overlay(read(WHO2006_DAILY_FIRST_DAYS_CSV))
    })
}

impl ReferenceTable {
    /// Where `value` stands for a child of this sex and age (days); `None` outside the
    /// table's ages or for a value that is not a positive number.
    pub fn assess(
        &self,
        indicator: Indicator,
        sex: Sex,
        age_days: f64,
        value: f64,
    ) -> Option<Assessment> {
        let z = self
            .lms(indicator, sex, age_days)?
            .z_score(value, indicator.tails())?;
        let percentile = percentile_of(z);
        Some(Assessment {
            z,
            percentile,
            band: Band::of_percentile(percentile),
            measure: self.measure(indicator, sex, age_days),
        })
    }

    /// The value at a centile (strictly between 0 and 100) at this age.
    pub fn value_at_percentile(
        &self,
        indicator: Indicator,
        sex: Sex,
        age_days: f64,
        percentile: f64,
    ) -> Option<f64> {
        let z = z_of_percentile(percentile)?;
        self.lms(indicator, sex, age_days)?
            .value_at(z, indicator.tails())
    }

    /// The chart's centile lines at `points` ages evenly spread from `from_days` to
    /// `to_days` (both included), leaving out ages the table does not cover.
    pub fn chart(
        &self,
        indicator: Indicator,
        sex: Sex,
        from_days: f64,
        to_days: f64,
        points: usize,
    ) -> Vec<ChartPoint> {
        let zs = CHART_PERCENTILES.map(|p| z_of_percentile(p).expect("0 < p < 100"));
        let step = if points > 1 {
            (to_days - from_days) / (points - 1) as f64
        } else {
            0.0
        };
        (0..points)
            .filter_map(|i| {
                let age_days = from_days + step * i as f64;
                let lms = self.lms(indicator, sex, age_days)?;
                let mut values = [0.0; 7];
                for (value, z) in values.iter_mut().zip(zs) {
                    *value = lms.value_at(z, indicator.tails())?;
                }
                Some(ChartPoint { age_days, values })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
