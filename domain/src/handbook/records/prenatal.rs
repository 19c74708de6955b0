//! The pregnancy's records (様式第3号's 妊娠中の経過): one pregnancy record per handbook
//! (dates, the body before pregnancy, the lab results) and each 妊婦健診 visit. A
//! handbook is issued at pregnancy and becomes the child's, so both live in the family's
//! scope like the child's records.

use serde::{Deserialize, Serialize};

use super::{FACILITY_MAX_CHARS, plain_text, within};
use crate::ErrorCode;
use crate::dates::{Day, ymd, ymd_option};
use crate::handbook::pregnancy::{LONGEST_DAYS, TERM_DAYS};

/// The pregnancy: one record per handbook, under [`pregnancy_record_id`].
pub const PREGNANCY_COLLECTION: &str = "handbook_pregnancy";
/// Only a pregnancy record's id starts with this (see [`super::BIRTH_ID_PREFIX`]).
pub const PREGNANCY_ID_PREFIX: &str = "pregnancy-";
/// 妊婦健診: one record per visit.
pub const VISIT_COLLECTION: &str = "handbook_prenatal_visit";
/// Longest visit note, in characters.
pub const VISIT_NOTE_MAX_CHARS: usize = 500;

pub fn pregnancy_record_id(family_id: &str) -> String {
    format!("{PREGNANCY_ID_PREFIX}{family_id}")
}

/// ABO blood group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BloodGroup {
    A,
    B,
    O,
    AB,
}

/// Rh(D).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rh {
    Positive,
    Negative,
}

/// A screening test's result as the handbook writes it: 陰性 or 陽性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Screen {
    Negative,
    Positive,
}

/// A dipstick reading (尿たんぱく, 尿糖) or the degree of oedema (浮腫): −, ±, +, 2+, 3+.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dipstick {
    #[serde(rename = "-")]
    Negative,
    #[serde(rename = "+-")]
    Trace,
    #[serde(rename = "+")]
    One,
    #[serde(rename = "2+")]
    Two,
    #[serde(rename = "3+")]
    Three,
}

impl Dipstick {
    pub const ALL: [Dipstick; 5] = [
        Dipstick::Negative,
        Dipstick::Trace,
        Dipstick::One,
        Dipstick::Two,
        Dipstick::Three,
    ];

    /// As the paper handbook prints it.
    pub fn symbol(self) -> &'static str {
        match self {
            Dipstick::Negative => "−",
            Dipstick::Trace => "±",
            Dipstick::One => "+",
            Dipstick::Two => "2+",
            Dipstick::Three => "3+",
        }
    }
}

/// 検査の記録: each result optional (entered as it comes back).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blood_group: Option<BloodGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rh: Option<Rh>,
    /// 不規則抗体
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irregular_antibodies: Option<Screen>,
    /// HBs抗原
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hbs_antigen: Option<Screen>,
    /// HCV抗体
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hcv_antibody: Option<Screen>,
    /// HTLV-1抗体
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub htlv1_antibody: Option<Screen>,
    /// 梅毒
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syphilis: Option<Screen>,
    /// 風しん抗体 (HI法): the titre's reciprocal, 8 to 4096 in doublings; 0 for "< 8".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubella_hi: Option<u16>,
    /// ヘモグロビン in tenths of g/dL (11.8 g/dL is 118).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hemoglobin_dg: Option<u16>,
}

/// The pregnancy record: the dates, the body before pregnancy and the lab results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pregnancy {
    /// 最終月経の開始日
    #[serde(default, with = "ymd_option", skip_serializing_if = "Option::is_none")]
    pub last_period: Option<Day>,
    /// 出産予定日 as the doctor set it (by ultrasound); without it Naegele's date counts.
    #[serde(default, with = "ymd_option", skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Day>,
    /// 妊娠前の身長 and 体重.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_mm: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_before_g: Option<u32>,
    #[serde(default)]
    pub labs: Labs,
}

/// The bounds of `pregnancy::BodySize` (an adult's height and weight), in mm and g.
const HEIGHT_MM: (u32, u32) = (500, 2_500);
const WEIGHT_G: (u32, u32) = (10_000, 500_000);

impl Labs {
    pub fn validate(&self) -> Result<(), ErrorCode> {
        let rubella_ok = self
            .rubella_hi
            .is_none_or(|t| t == 0 || ((8..=4096).contains(&t) && t.is_power_of_two()));
        if !rubella_ok || !within(self.hemoglobin_dg.map(u32::from), (30, 250)) {
            return Err(ErrorCode::LabResultInvalid);
        }
        Ok(())
    }
}

impl Pregnancy {
    /// The record's shape: at least one date; a given due date after the last period and
    /// at most 45 weeks after it (`pregnancy_dates_invalid`); an adult's height and
    /// weight (`body_size_invalid`); lab results in their ranges (`lab_result_invalid`).
    /// Whether the dates make sense today is `pregnancy::due_date`'s.
    pub fn validate(&self) -> Result<(), ErrorCode> {
        let dates_ok = match (self.last_period, self.due_date) {
            (None, None) => false,
            (Some(lmp), Some(due)) => {
                let days = due.days_from_epoch() - lmp.days_from_epoch();
                days > 0 && days <= i64::from(LONGEST_DAYS)
            }
            _ => true,
        };
        if !dates_ok {
            return Err(ErrorCode::PregnancyDatesInvalid);
        }
        if !within(self.height_mm, HEIGHT_MM) || !within(self.weight_before_g, WEIGHT_G) {
            return Err(ErrorCode::BodySizeInvalid);
        }
        self.labs.validate()
    }

    /// The due date that counts: the doctor's, else Naegele's.
    pub fn due(&self) -> Option<Day> {
        self.due_date
            .or_else(|| self.last_period.map(crate::handbook::pregnancy::naegele))
    }
}

/// 妊婦健診: one visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    #[serde(with = "ymd")]
    pub date: Day,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_g: Option<u32>,
    /// 血圧, mmHg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systolic: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diastolic: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urine_protein: Option<Dipstick>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urine_glucose: Option<Dipstick>,
    /// 浮腫
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oedema: Option<Dipstick>,
    /// 子宮底長
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fundal_height_mm: Option<u32>,
    /// 腹囲
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abdominal_girth_mm: Option<u32>,
    /// 次回の健診
    #[serde(default, with = "ymd_option", skip_serializing_if = "Option::is_none")]
    pub next_visit: Option<Day>,
    #[serde(default)]
    pub facility: String,
    /// 特記指示 and the like; may be empty.
    #[serde(default)]
    pub note: String,
}

impl Visit {
    /// The record's shape (`prenatal_visit_invalid`): values a pregnant woman can have
    /// (a slip of units is refused), a systolic pressure above the diastolic, a next visit
    /// after this one.
    pub fn validate(&self) -> Result<(), ErrorCode> {
        let pressure_ok = match (self.systolic, self.diastolic) {
            (Some(s), Some(d)) => (50..=260).contains(&s) && (30..=160).contains(&d) && s > d,
            (None, None) => true,
            _ => false,
        };
        if !pressure_ok
            || !within(self.weight_g, WEIGHT_G)
            || !within(self.fundal_height_mm, (50, 500))
            || !within(self.abdominal_girth_mm, (400, 1_600))
            || self.next_visit.is_some_and(|next| next <= self.date)
            || !plain_text(&self.facility, FACILITY_MAX_CHARS)
            || !plain_text_lines(&self.note, VISIT_NOTE_MAX_CHARS)
        {
            return Err(ErrorCode::PrenatalVisitInvalid);
        }
        Ok(())
    }

    /// Before saving, for the pregnancy's due date as seen on `today`: a visit after today
    /// or outside the pregnancy (before its 0w0d, or after 45 weeks) is refused
    /// (`pregnancy_dates_invalid`).
    pub fn check_for(&self, due: Day, today: Day) -> Result<(), ErrorCode> {
        self.validate()?;
        let start = due.add_days(-i64::from(TERM_DAYS));
        let end = start.add_days(i64::from(LONGEST_DAYS));
        if self.date > today || self.date < start || self.date > end {
            return Err(ErrorCode::PregnancyDatesInvalid);
        }
        Ok(())
    }
}

fn plain_text_lines(text: &str, max: usize) -> bool {
    text.trim() == text
        && text.chars().count() <= max
        && !text.chars().any(|c| c.is_control() && c != '\n')
}

#[cfg(test)]
#[path = "prenatal_tests.rs"]
mod tests;
