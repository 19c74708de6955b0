//! 予防接種: Japan's routine (定期) immunization schedule as a rule engine.
//!
//! The rules are data: `domain/data/jp_routine_*_2024_2025.csv`, read once into
//! [`Rules`] (`rules.rs`, built by `build.rs` from the files' columns and short phrases,
//! `phrases.rs`). [`schedule`] gives, for a child and their records, every dose with its
//! earliest day, recommended window, overdue day, last eligible day and status; [`check`]
//! tells what the rules say against a record before it is saved. Nothing here is UI text:
//! vaccine names come from the data in both languages, statuses and warnings are enums.
//!
//! How days are counted (see `dates::Day::add_months` and `rules::Amount::after`):
//! - an age counts the day of birth (年齢計算ニ関スル法律): "生後2か月" of a child born
//!   2024-05-15 is 2024-07-15; "に至るまで" ends the day before; a month without the day
//!   of birth gives the 1st of the next month;
//! - an interval does not count the day of the dose (民法 140 条): "27日以上" after
//!   2024-07-15 is 2024-08-12, "6月以上" after 2024-08-26 is 2025-02-27;
//! - two injected live vaccines (BCG, MR, 水痘) on different days need 27 whole days
//!   between them; the same day is allowed; rotavirus (oral) is exempt.

mod build;
mod check;
mod csv;
mod phrases;
mod rules;
mod schedule;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_examples;
#[cfg(test)]
mod tests_props;

use serde::{Deserialize, Serialize};

pub use build::rules;
pub use rules::{
    Age, Amount, Anchor, BOOSTER_NOT_BEFORE, Deadline, DoseRule, INJECTED_LIVE, Interval,
    IntervalRange, LIVE_GAP, Part, Phase, Product, Rules, SUPERSEDED, Until, VERSION, Vaccine,
    Variant,
};

use crate::dates::{Day, ymd};

/// Rotavirus is one course of one product: Rotarix (2 doses) or RotaTeq (3). Both rows'
/// `notes_ja` say "原則として同一製剤で完了"; which ids form the choice is written here.
pub const ONE_OF: &[&[&str]] = &[&["rota_rv1", "rota_rv5"]];

/// Longest lot number, in characters.
pub const LOT_MAX_CHARS: usize = 40;
/// Longest facility name, in characters.
pub const FACILITY_MAX_CHARS: usize = 100;

/// One dose given, as the handbook records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoseRecord {
    /// The day it was given, `YYYY-MM-DD`.
    #[serde(with = "ymd")]
    pub date: Day,
    /// The data's `vaccine_id` (`dpt_ipv_hib`, `pcv`, …).
    pub vaccine: String,
    /// The dose number in its series, from 1.
    pub dose: u8,
    /// The product, where the rules tell products apart (`PCV15`, `PCV20`, `PCV13`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Lot number (ロット番号); may be empty when copied from an old paper handbook.
    #[serde(default)]
    pub lot_number: String,
    /// Where it was given (実施機関); may be empty.
    #[serde(default)]
    pub facility: String,
}

/// Why a record cannot be saved at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordError {
    UnknownVaccine,
    /// No schedule of this vaccine has a dose with this number.
    NoSuchDose,
    /// A product this vaccine does not have, or one given for a vaccine without products.
    UnknownProduct,
    LotNumber,
    Facility,
}

impl DoseRecord {
    /// A record from what a person typed: lot number and facility trimmed, then checked.
    pub fn new(
        date: Day,
        vaccine: &str,
        dose: u8,
        product: Option<&str>,
        lot_number: &str,
        facility: &str,
    ) -> Result<DoseRecord, RecordError> {
        let record = DoseRecord {
            date,
            vaccine: vaccine.to_owned(),
            dose,
            product: product.map(str::to_owned),
            lot_number: lot_number.trim().to_owned(),
            facility: facility.trim().to_owned(),
        };
        record.validate()?;
        Ok(record)
    }

    /// The shape of a record. Whether the rules allow it for this child is [`check`]'s.
    pub fn validate(&self) -> Result<(), RecordError> {
        let Some(vaccine) = rules().vaccine(&self.vaccine) else {
            return Err(RecordError::UnknownVaccine);
        };
        let most = vaccine.variants.iter().map(|v| v.doses.len()).max();
        if self.dose == 0 || most.is_none_or(|m| usize::from(self.dose) > m) {
            return Err(RecordError::NoSuchDose);
        }
        if self
            .product
            .as_deref()
            .is_some_and(|p| vaccine.product(p).is_none())
        {
            return Err(RecordError::UnknownProduct);
        }
        let text_ok = |t: &str, max: usize| {
            t.trim() == t && t.chars().count() <= max && !t.chars().any(char::is_control)
        };
        if !text_ok(&self.lot_number, LOT_MAX_CHARS) {
            return Err(RecordError::LotNumber);
        }
        if !text_ok(&self.facility, FACILITY_MAX_CHARS) {
            return Err(RecordError::Facility);
        }
        Ok(())
    }
}

/// Where a dose stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Recorded.
    Done,
    /// Not yet due: before the recommended window (it may be allowed from `earliest`).
    Upcoming,
    /// In its recommended window, or allowed with no window named.
    Due,
    /// Past the recommended window, still routine.
    Overdue,
    /// Past the last eligible day, or it can no longer fit before it.
    NoLongerEligible,
    /// The rules leave this dose out (a primary dose past its age, or after a late
    /// previous dose); the series goes on without it.
    NotNeeded,
}

/// One dose of one child's schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoseStatus {
    /// The data's `vaccine_id`; names are in [`rules()`].
    pub vaccine: String,
    /// The data's `schedule_variant` this child is on.
    pub variant: String,
    pub dose: u8,
    /// The 期 (0 when the data names none).
    pub phase: u8,
    pub part: Part,
    pub status: Status,
    pub given_on: Option<Day>,
    /// The first day the rules allow it (age, interval after the previous dose as given
    /// or as could be given from today, the 27-day rule against recorded doses).
    pub earliest: Day,
    /// The recommended window's first day (`earliest` when the data names no window).
    pub due: Day,
    /// The recommended window's last day, if the data names one.
    pub due_until: Option<Day>,
    /// From this day it is overdue (past the recommended window but still routine).
    pub overdue_from: Option<Day>,
    /// The last day it is routine.
    pub last_eligible: Day,
    /// Products the rules point to, the one to continue with first (PCV only).
    pub products: Vec<String>,
    /// Vaccines that are the other choice for the same course (rotavirus products).
    pub one_of: Vec<String>,
}

/// What the rules say against a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    UnknownVaccine,
    /// Before the first day the rules allow: the age, the vaccine's routine start, or the
    /// interval after the previous dose.
    TooEarly {
        earliest: Day,
    },
    /// Too little time between this dose and dose `other_dose` of the same vaccine
    /// (given on `other_date`, before or after this one).
    IntervalTooShort {
        other_dose: u8,
        other_date: Day,
    },
    /// The same vaccine and dose is already recorded.
    Duplicate {
        given_on: Day,
    },
    /// Past the last eligible day (`None`: never routine for this child).
    NotEligible {
        last_eligible: Option<Day>,
    },
    /// The rules leave this dose out for this child.
    NotNeeded,
    /// The child's schedule has no such dose.
    NoSuchDose,
    /// The child's course is on another vaccine (`chosen`): 5種混合 against 4種混合 + ヒブ,
    /// Rotarix against RotaTeq.
    OtherSeries {
        chosen: String,
    },
    /// Fewer than 27 whole days from an injected live vaccine given on another day.
    LiveVaccineGap {
        other: String,
        other_date: Day,
    },
    /// The product was not routine on that day.
    ProductNotRoutine,
    /// The course started with another product that is still routine ("原則として同一").
    ProductSwitch {
        started_with: String,
    },
    UnknownProduct,
}

/// The schedule of a child born on `birth`, with their `records`, as it stands on `today`.
pub fn schedule(birth: Day, records: &[DoseRecord], today: Day) -> Vec<DoseStatus> {
    schedule::schedule(rules(), birth, records, today)
}

/// What the rules say against `record` for a child born on `birth` with the other
/// `records` already saved (leave `record` itself out of them). Empty: nothing.
pub fn check(record: &DoseRecord, birth: Day, records: &[DoseRecord]) -> Vec<Warning> {
    check::check(rules(), record, birth, records)
}
