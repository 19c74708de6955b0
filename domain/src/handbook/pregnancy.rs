//! Pregnancy arithmetic: the due date (Naegele's rule or a date set by ultrasound), the
//! gestational age 妊娠N週M日 on a day, and the pre-pregnancy BMI with the weight gain the
//! national guidance suggests for it. Entries that cannot be true are refused with an
//! error code; entries that can be true but are worth a second look come back as
//! [`Entry::NeedsConfirmation`].

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::dates::Day;

/// 妊娠N週M日: weeks and days since the first day of the last menstrual period (or the
/// day the due date puts there), 0w0d up to 45w0d.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct GestationalAge(u32);

/// Naegele's rule: the due date is 280 days (40w0d) after the first day of the last period.
pub const TERM_DAYS: u32 = 280;
/// The longest pregnancy this handbook accepts, 45w0d (the bound for an entry that
/// cannot be true; not a clinical threshold).
pub const LONGEST_DAYS: u32 = 45 * 7;

impl GestationalAge {
    pub const TERM: GestationalAge = GestationalAge(TERM_DAYS);

    /// `weeks` weeks and `days` (0–6) days, up to 45w0d.
    pub fn new(weeks: u32, days: u32) -> Option<GestationalAge> {
        if days > 6 {
            return None;
        }
        GestationalAge::from_days(weeks.checked_mul(7)?.checked_add(days)?)
    }

    pub fn from_days(days: u32) -> Option<GestationalAge> {
        (days <= LONGEST_DAYS).then_some(GestationalAge(days))
    }

    /// The N of 妊娠N週.
    pub fn weeks(self) -> u32 {
        self.0 / 7
    }

    /// The M of N週M日 (0–6).
    pub fn days(self) -> u32 {
        self.0 % 7
    }

    pub fn total_days(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for GestationalAge {
    type Error = &'static str;

    fn try_from(days: u32) -> Result<Self, Self::Error> {
        GestationalAge::from_days(days).ok_or("a gestational age is 0 to 315 days")
    }
}

impl From<GestationalAge> for u32 {
    fn from(age: GestationalAge) -> u32 {
        age.0
    }
}

/// The due date by Naegele's rule: the first day of the last period + 280 days.
pub fn naegele(last_period: Day) -> Day {
    last_period.add_days(i64::from(TERM_DAYS))
}

/// The gestational age on a day, counted back from the due date (40w0d); `None` before
/// 0w0d or after 45w0d.
pub fn gestational_age_on(due: Day, on: Day) -> Option<GestationalAge> {
    let days = i64::from(TERM_DAYS) - (due.days_from_epoch() - on.days_from_epoch());
    GestationalAge::from_days(u32::try_from(days).ok()?)
}

/// An entry that passed its checks, or one that may be true but should be confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entry<T> {
    Accepted(T),
    NeedsConfirmation { value: T, reasons: Vec<Unusual> },
}

impl<T> Entry<T> {
    fn with(value: T, reasons: Vec<Unusual>) -> Entry<T> {
        if reasons.is_empty() {
            Entry::Accepted(value)
        } else {
            Entry::NeedsConfirmation { value, reasons }
        }
    }

    pub fn value(&self) -> &T {
        match self {
            Entry::Accepted(value) | Entry::NeedsConfirmation { value, .. } => value,
        }
    }
}

/// What makes an entry worth a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unusual {
    /// The due date given is not Naegele's date from the last period: fine if a doctor set
    /// it by ultrasound (usual since JSOG's 2020 guideline dates by early ultrasound), a
    /// slip otherwise. `days` > 0: later than Naegele's date.
    DueDateDiffersFromLastPeriod { days: i64 },
    /// Height outside 130–200 cm.
    HeightUnusual,
    /// Weight outside 30–150 kg.
    WeightUnusual,
}

/// Where a due date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueDateBasis {
    /// Naegele's rule from the last period.
    LastPeriod,
    /// Set by the doctor (ultrasound).
    Given,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueDate {
    pub day: Day,
    pub basis: DueDateBasis,
}

/// The due date from what a person entered on `today`: the first day of the last period,
/// a due date the doctor gave, or both (the given date wins).
///
/// Refused (`pregnancy_dates_invalid`): neither; a last period after today; a due date
/// more than 280 days after today (today would be before 0w0d); a given due date not
/// after the last period, or more than 45 weeks after it. A given due date that differs
/// from Naegele's date needs confirmation.
pub fn due_date(
    last_period: Option<Day>,
    given: Option<Day>,
    today: Day,
) -> Result<Entry<DueDate>, ErrorCode> {
    let refuse = Err(ErrorCode::PregnancyDatesInvalid);
    if last_period.is_some_and(|lmp| lmp > today) {
        return refuse;
    }
    let due = match (last_period, given) {
        (None, None) => return refuse,
        (Some(lmp), None) => DueDate {
            day: naegele(lmp),
            basis: DueDateBasis::LastPeriod,
        },
        (_, Some(day)) => DueDate {
            day,
            basis: DueDateBasis::Given,
        },
    };
    if days_between(today, due.day) > i64::from(TERM_DAYS) {
        return refuse;
    }
    let mut reasons = Vec::new();
    if let (Some(lmp), Some(given)) = (last_period, given) {
        let after_lmp = days_between(lmp, given);
        if after_lmp <= 0 || after_lmp > i64::from(LONGEST_DAYS) {
            return refuse;
        }
        if given != naegele(lmp) {
            reasons.push(Unusual::DueDateDiffersFromLastPeriod {
                days: after_lmp - i64::from(TERM_DAYS),
            });
        }
    }
    Ok(Entry::with(due, reasons))
}

fn days_between(from: Day, to: Day) -> i64 {
    to.days_from_epoch() - from.days_from_epoch()
}

/// Height and weight before pregnancy, as entered.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BodySize {
    pub height_cm: f64,
    pub weight_kg: f64,
}

/// Bounds for catching typing slips (a height in metres, a weight in grams), chosen by
/// the developers, not taken from a guideline: refused outside the outer bounds, which lie
/// beyond every adult on record; confirmed outside the inner ones. For review by the
/// ward's health staff.
const HEIGHT_CM: EntryBounds = EntryBounds {
    possible: (50.0, 250.0),
    usual: (130.0, 200.0),
};
const WEIGHT_KG: EntryBounds = EntryBounds {
    possible: (10.0, 500.0),
    usual: (30.0, 150.0),
};

struct EntryBounds {
    possible: (f64, f64),
    usual: (f64, f64),
}

impl EntryBounds {
    fn possible(&self, x: f64) -> bool {
        x.is_finite() && (self.possible.0..=self.possible.1).contains(&x)
    }

    fn usual(&self, x: f64) -> bool {
        (self.usual.0..=self.usual.1).contains(&x)
    }
}

impl BodySize {
    /// Checks an entry: `body_size_invalid` when it cannot be an adult's, needing
    /// confirmation when it is unusual.
    pub fn check(height_cm: f64, weight_kg: f64) -> Result<Entry<BodySize>, ErrorCode> {
        if !HEIGHT_CM.possible(height_cm) || !WEIGHT_KG.possible(weight_kg) {
            return Err(ErrorCode::BodySizeInvalid);
        }
        let mut reasons = Vec::new();
        if !HEIGHT_CM.usual(height_cm) {
            reasons.push(Unusual::HeightUnusual);
        }
        if !WEIGHT_KG.usual(weight_kg) {
            reasons.push(Unusual::WeightUnusual);
        }
        Ok(Entry::with(
            BodySize {
                height_cm,
                weight_kg,
            },
            reasons,
        ))
    }

    /// BMI = weight (kg) / height (m)², rounded to one decimal as it is shown, so that
    /// the class never contradicts the number a person sees (the guideline's bounds are
    /// given to one decimal: 18.5, 25.0, 30.0).
    pub fn bmi(self) -> f64 {
        let metres = self.height_cm / 100.0;
        (self.weight_kg / (metres * metres) * 10.0).round() / 10.0
    }
}

/// 妊娠前の体格: the pre-pregnancy BMI classes of 「妊娠中の体重増加指導の目安」
/// (日本産科婦人科学会, 2021-03-08), which 厚生労働省「妊娠前からはじめる妊産婦のための
/// 食生活指針」(2021-03) adopts; the classes follow 日本肥満学会's obesity classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BmiClass {
    /// 低体重(やせ): BMI < 18.5.
    Underweight,
    /// ふつう: 18.5 ≤ BMI < 25.0.
    Normal,
    /// 肥満(1度): 25.0 ≤ BMI < 30.0.
    Obese1,
    /// 肥満(2度以上): BMI ≥ 30.0.
    Obese2OrMore,
}

/// 体重増加指導の目安: the total weight gain over the pregnancy the guidance suggests.
/// The guidance itself adds that the evidence does not support strict targets and asks
/// for gentle advice that allows for individual differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightGainGuide {
    /// From `min_kg` to `max_kg` kilograms.
    Range { min_kg: u32, max_kg: u32 },
    /// 個別対応(上限5kgまでが目安): advised person by person, about 5 kg at most.
    Individual { upper_kg: u32 },
}

impl BmiClass {
    pub fn of(bmi: f64) -> BmiClass {
        match bmi {
            b if b < 18.5 => BmiClass::Underweight,
            b if b < 25.0 => BmiClass::Normal,
            b if b < 30.0 => BmiClass::Obese1,
            _ => BmiClass::Obese2OrMore,
        }
    }

    pub fn weight_gain_guide(self) -> WeightGainGuide {
        match self {
            BmiClass::Underweight => WeightGainGuide::Range {
                min_kg: 12,
                max_kg: 15,
            },
            BmiClass::Normal => WeightGainGuide::Range {
                min_kg: 10,
                max_kg: 13,
            },
            BmiClass::Obese1 => WeightGainGuide::Range {
                min_kg: 7,
                max_kg: 10,
            },
            BmiClass::Obese2OrMore => WeightGainGuide::Individual { upper_kg: 5 },
        }
    }
}

#[cfg(test)]
mod tests;
