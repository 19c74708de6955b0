//! The handbook's records as a family's sync collections hold them. A family is one
//! child's handbook (one 母子健康手帳 per child, twins get two), so a record needs no
//! child id: its scope is the child. Every body is checked here, by the app before it
//! saves and by the server on push (`sync::collections::check`); what depends on the
//! child's birth day or on today is checked by [`Birth::check_on`],
//! [`Measurement::check_for`] and the vaccination rules before saving.
//!
//! Units are whole grams and millimetres, so a record never carries a float that two
//! devices could print differently.

pub mod checkup_questions;
pub mod checkups;
pub mod prenatal;

use serde::{Deserialize, Serialize};

use super::growth::{Indicator, Sex, chart_age, who2006};
use super::pregnancy::GestationalAge;
use crate::ErrorCode;
use crate::dates::{Day, parse_time, ymd};

/// 出生時の記録: one record per handbook, under [`birth_record_id`].
pub const BIRTH_COLLECTION: &str = "handbook_birth";
/// Only a birth record's id starts with this, so no other record can take the id a
/// family's birth record will have.
pub const BIRTH_ID_PREFIX: &str = "birth-";

/// The id of a family's birth record: there is one, and a second device that writes it
/// updates the same record instead of adding another.
pub fn birth_record_id(family_id: &str) -> String {
    format!("{BIRTH_ID_PREFIX}{family_id}")
}
/// Growth measurements (身体発育の記録).
pub const MEASUREMENT_COLLECTION: &str = "handbook_measurement";
/// Vaccination doses given (予防接種の記録), bodies of [`super::vaccinations::DoseRecord`].
pub const DOSE_COLLECTION: &str = "handbook_dose";

/// Longest facility name and longest measurement note, in characters.
pub const FACILITY_MAX_CHARS: usize = 100;
pub const MEASUREMENT_NOTE_MAX_CHARS: usize = 200;

/// How the baby was born (分娩方法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 経腟分娩
    Vaginal,
    /// 吸引・鉗子分娩
    Assisted,
    /// 帝王切開
    Caesarean,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::Vaginal, Delivery::Assisted, Delivery::Caesarean];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Vaginal => "vaginal",
            Delivery::Assisted => "assisted",
            Delivery::Caesarean => "caesarean",
        }
    }
}

/// 出生時の記録. The day of birth is the family's (`child_birth_date`); this is the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Birth {
    /// For the growth charts, whose curves differ by sex.
    pub sex: Sex,
    /// The time of birth, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// 在胎週数, as total days (`39w2d` is 275).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gestation: Option<GestationalAge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_g: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_mm: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_mm: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chest_mm: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// Where the baby was born; may be empty.
    #[serde(default)]
    pub facility: String,
}

/// What makes a record worth a second look before it is saved: possible, but rare
/// enough that a slip of digits or units is likelier. The person confirms, or corrects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unusual {
    /// A birth weight under 1,000 g or over 5,000 g.
    BirthWeight,
    /// Born before 28 weeks or after 42 weeks.
    Gestation,
    /// A measurement more than 4 standard deviations from the reference median for the
    /// child's age (the chart's 3rd–97th band is about ±1.9).
    FarFromCurves(Indicator),
}

/// Values no newborn can have: outside them the entry is refused (a slip of units).
const BIRTH_WEIGHT_G: (u32, u32) = (200, 7_000);
const BIRTH_LENGTH_MM: (u32, u32) = (200, 650);
const BIRTH_GIRTH_MM: (u32, u32) = (150, 450);
/// Values no child under six can have.
const WEIGHT_G: (u32, u32) = (200, 60_000);
const LENGTH_MM: (u32, u32) = (200, 1_500);
const HEAD_MM: (u32, u32) = (150, 650);
/// Beyond this many SD from the median, a measurement asks for confirmation.
const FAR_Z: f64 = 4.0;

fn within(value: Option<u32>, (low, high): (u32, u32)) -> bool {
    value.is_none_or(|v| (low..=high).contains(&v))
}

fn plain_text(text: &str, max: usize) -> bool {
    text.trim() == text && text.chars().count() <= max && !text.chars().any(char::is_control)
}

impl Birth {
    /// The shape of the record (`birth_record_invalid`): each size a newborn can have,
    /// a real time, a gestation between 22 and 45 weeks.
    pub fn validate(&self) -> Result<(), ErrorCode> {
        let time_ok = self.time.as_deref().is_none_or(|t| parse_time(t).is_some());
        let gestation_ok = self
            .gestation
            .is_none_or(|g| (22 * 7..=45 * 7).contains(&g.total_days()));
        if !time_ok
            || !gestation_ok
            || !within(self.weight_g, BIRTH_WEIGHT_G)
            || !within(self.length_mm, BIRTH_LENGTH_MM)
            || !within(self.head_mm, BIRTH_GIRTH_MM)
            || !within(self.chest_mm, BIRTH_GIRTH_MM)
            || !plain_text(&self.facility, FACILITY_MAX_CHARS)
        {
            return Err(ErrorCode::BirthRecordInvalid);
        }
        Ok(())
    }

    /// Before saving, for a child born on `born` as seen on `today`: a birth in the future
    /// is refused (`birth_in_future`); rare values are returned for confirmation.
    pub fn check_on(&self, born: Day, today: Day) -> Result<Vec<Unusual>, ErrorCode> {
        self.validate()?;
        if born > today {
            return Err(ErrorCode::BirthInFuture);
        }
        let mut unusual = Vec::new();
        if self.weight_g.is_some_and(|w| !(1_000..=5_000).contains(&w)) {
            unusual.push(Unusual::BirthWeight);
        }
        if self
            .gestation
            .is_some_and(|g| !(28 * 7..=42 * 7 + 6).contains(&g.total_days()))
        {
            unusual.push(Unusual::Gestation);
        }
        Ok(unusual)
    }
}

/// One growth measurement (身体発育の記録): at least one of weight, length/height and
/// head circumference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    #[serde(with = "ymd")]
    pub measured_on: Day,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_g: Option<u32>,
    /// Length lying down before 2 years, height standing after: the chart knows which.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_mm: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_mm: Option<u32>,
    /// Where or how it was measured (健診, 自宅); may be empty.
    #[serde(default)]
    pub note: String,
}

impl Measurement {
    /// The values measured, with the growth indicator each is read against, in the
    /// reference's units (kg, cm).
    pub fn values(&self) -> Vec<(Indicator, f64)> {
        [
            (Indicator::WeightForAge, self.weight_g, 1_000.0),
            (Indicator::LengthHeightForAge, self.length_mm, 10.0),
            (Indicator::HeadCircumferenceForAge, self.head_mm, 10.0),
        ]
        .into_iter()
        .filter_map(|(indicator, value, per_unit)| {
            value.map(|v| (indicator, f64::from(v) / per_unit))
        })
        .collect()
    }

    /// The shape of the record (`measurement_invalid`).
    pub fn validate(&self) -> Result<(), ErrorCode> {
        let any = self.weight_g.is_some() || self.length_mm.is_some() || self.head_mm.is_some();
        if !any
            || !within(self.weight_g, WEIGHT_G)
            || !within(self.length_mm, LENGTH_MM)
            || !within(self.head_mm, HEAD_MM)
            || !plain_text(&self.note, MEASUREMENT_NOTE_MAX_CHARS)
        {
            return Err(ErrorCode::MeasurementInvalid);
        }
        Ok(())
    }

    /// Before saving, for a child born on `born` (with its birth record, if any) as seen
    /// on `today`: a day before the birth or after today is refused
    /// (`measurement_date_invalid`); a value far from the reference curves for the
    /// child's age is returned for confirmation.
    pub fn check_for(
        &self,
        born: Day,
        birth: Option<&Birth>,
        today: Day,
    ) -> Result<Vec<Unusual>, ErrorCode> {
        self.validate()?;
        if self.measured_on < born || self.measured_on > today {
            return Err(ErrorCode::MeasurementDateInvalid);
        }
        let mut unusual = Vec::new();
        let Some(birth) = birth else {
            return Ok(unusual);
        };
        let Some(age) = chart_age(born, self.measured_on, birth.gestation) else {
            return Ok(unusual);
        };
        for (indicator, value) in self.values() {
            let assessed = who2006().assess(indicator, birth.sex, age.days.max(0) as f64, value);
            if assessed.is_some_and(|a| a.z.abs() > FAR_Z) {
                unusual.push(Unusual::FarFromCurves(indicator));
            }
        }
        Ok(unusual)
    }
}

#[cfg(test)]
mod tests;
