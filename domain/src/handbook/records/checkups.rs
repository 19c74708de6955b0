//! 乳幼児健診: the checkups at the ages the national form lists. Two records, written by
//! different people:
//!
//! - [`Checkup`], the clinician's findings (健康診査の記録), entered by health staff while
//!   the family consents to the health centre; the guardians read them.
//! - [`CheckupNote`], the parent's own record for an age (保護者の記録): the date each
//!   milestone was reached, answers to the form's questions ([`CheckupAge::questions`])
//!   and free notes. One per age, under [`checkup_note_id`], so two phones that write
//!   the 1-month record write the same record.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::checkup_questions::Question;
use super::{FACILITY_MAX_CHARS, HEAD_MM, LENGTH_MM, WEIGHT_G, plain_text, within};
use crate::ErrorCode;
use crate::dates::{Day, ymd};

/// The clinician's findings, one record per checkup visit.
pub const CHECKUP_COLLECTION: &str = "handbook_checkup";
/// The parent's record, one per age, under [`checkup_note_id`].
pub const CHECKUP_NOTE_COLLECTION: &str = "handbook_checkup_note";
/// Only a parent's checkup record's id starts with this.
pub const CHECKUP_NOTE_ID_PREFIX: &str = "checkup-note-";
/// Longest notes (the clinician's and the parent's), in characters.
pub const CHECKUP_NOTES_MAX_CHARS: usize = 500;
/// Longest development finding, in characters.
pub const DEVELOPMENT_MAX_CHARS: usize = 200;

/// The id of a family's parent record for one age.
pub fn checkup_note_id(family_id: &str, age: CheckupAge) -> String {
    format!("{CHECKUP_NOTE_ID_PREFIX}{}-{family_id}", age.as_str())
}

/// The ages of the checkups, as the national form lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CheckupAge {
    #[serde(rename = "2w")]
    Weeks2,
    #[serde(rename = "1m")]
    Month1,
    #[serde(rename = "2m")]
    Months2,
    #[serde(rename = "3-4m")]
    Months3to4,
    #[serde(rename = "6-7m")]
    Months6to7,
    #[serde(rename = "9-10m")]
    Months9to10,
    #[serde(rename = "1y")]
    Year1,
    #[serde(rename = "1y6m")]
    Year1Months6,
    #[serde(rename = "2y")]
    Years2,
    #[serde(rename = "3y")]
    Years3,
    #[serde(rename = "4y")]
    Years4,
    #[serde(rename = "5y")]
    Years5,
    #[serde(rename = "6y")]
    Years6,
}

impl CheckupAge {
    pub const ALL: [CheckupAge; 13] = [
        CheckupAge::Weeks2,
        CheckupAge::Month1,
        CheckupAge::Months2,
        CheckupAge::Months3to4,
        CheckupAge::Months6to7,
        CheckupAge::Months9to10,
        CheckupAge::Year1,
        CheckupAge::Year1Months6,
        CheckupAge::Years2,
        CheckupAge::Years3,
        CheckupAge::Years4,
        CheckupAge::Years5,
        CheckupAge::Years6,
    ];

    /// The serialised name, also used in ids.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckupAge::Weeks2 => "2w",
            CheckupAge::Month1 => "1m",
            CheckupAge::Months2 => "2m",
            CheckupAge::Months3to4 => "3-4m",
            CheckupAge::Months6to7 => "6-7m",
            CheckupAge::Months9to10 => "9-10m",
            CheckupAge::Year1 => "1y",
            CheckupAge::Year1Months6 => "1y6m",
            CheckupAge::Years2 => "2y",
            CheckupAge::Years3 => "3y",
            CheckupAge::Years4 => "4y",
            CheckupAge::Years5 => "5y",
            CheckupAge::Years6 => "6y",
        }
    }

    /// The age as the form heads it: years and months (the first of a range), and weeks
    /// for the two-week checkup.
    pub fn parts(self) -> (u8, u8, u8) {
        match self {
            CheckupAge::Weeks2 => (0, 0, 2),
            CheckupAge::Month1 => (0, 1, 0),
            CheckupAge::Months2 => (0, 2, 0),
            CheckupAge::Months3to4 => (0, 3, 0),
            CheckupAge::Months6to7 => (0, 6, 0),
            CheckupAge::Months9to10 => (0, 9, 0),
            CheckupAge::Year1 => (1, 0, 0),
            CheckupAge::Year1Months6 => (1, 6, 0),
            CheckupAge::Years2 => (2, 0, 0),
            CheckupAge::Years3 => (3, 0, 0),
            CheckupAge::Years4 => (4, 0, 0),
            CheckupAge::Years5 => (5, 0, 0),
            CheckupAge::Years6 => (6, 0, 0),
        }
    }

    /// The day a child born on `born` reaches this age (the start of a range).
    pub fn reached(self, born: Day) -> Day {
        let (years, months, weeks) = self.parts();
        let day = born.add_months(i32::from(years) * 12 + i32::from(months));
        day.add_days(i64::from(weeks) * 7)
    }

    /// The form's yes/no questions for the parent's record at this age (none at 2 weeks
    /// and 2 months: notes only).
    pub fn questions(self) -> &'static [Question] {
        use super::checkup_questions as q;
        match self {
            CheckupAge::Weeks2 | CheckupAge::Months2 => &[],
            CheckupAge::Month1 => q::MONTH1,
            CheckupAge::Months3to4 => q::MONTHS3,
            CheckupAge::Months6to7 => q::MONTHS6,
            CheckupAge::Months9to10 => q::MONTHS9,
            CheckupAge::Year1 => q::YEAR1,
            CheckupAge::Year1Months6 => q::YEAR1M6,
            CheckupAge::Years2 => q::YEARS2,
            CheckupAge::Years3 => q::YEARS3,
            CheckupAge::Years4 => q::YEARS4,
            CheckupAge::Years5 => q::YEARS5,
            CheckupAge::Years6 => q::YEARS6,
        }
    }

    /// The form records teeth from the 1 y 6 m checkup.
    pub fn has_teeth(self) -> bool {
        self >= CheckupAge::Year1Months6
    }

    /// The last age a child born on `born` has reached on `today` (none before 2 weeks).
    pub fn current(born: Day, today: Day) -> Option<CheckupAge> {
        CheckupAge::ALL
            .into_iter()
            .take_while(|age| age.reached(born) <= today)
            .last()
    }
}

/// 栄養状態.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nutrition {
    /// 良
    Good,
    /// 要指導
    NeedsGuidance,
}

/// 栄養法.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feeding {
    /// 母乳
    Breast,
    /// 混合
    Mixed,
    /// 人工乳
    Formula,
}

/// The checkup's judgement: 健康・要観察・要精査.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Judgement {
    Healthy,
    Observe,
    Refer,
}

impl Nutrition {
    pub const ALL: [Nutrition; 2] = [Nutrition::Good, Nutrition::NeedsGuidance];
}
impl Feeding {
    pub const ALL: [Feeding; 3] = [Feeding::Breast, Feeding::Mixed, Feeding::Formula];
}
impl Judgement {
    pub const ALL: [Judgement; 3] = [Judgement::Healthy, Judgement::Observe, Judgement::Refer];
}

/// 歯: erupted teeth and decayed ones among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Teeth {
    pub erupted: u8,
    #[serde(default)]
    pub decayed: u8,
}

/// The clinician's findings at one checkup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkup {
    pub age: CheckupAge,
    #[serde(with = "ymd")]
    pub date: Day,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_g: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_mm: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_mm: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chest_mm: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nutrition: Option<Nutrition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feeding: Option<Feeding>,
    /// 発達: the clinician's words; may be empty.
    #[serde(default)]
    pub development: String,
    /// From the 1 y 6 m checkup on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teeth: Option<Teeth>,
    pub judgement: Judgement,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub facility: String,
}

/// Chest girth: the same bounds as the head's.
const CHEST_MM: (u32, u32) = HEAD_MM;

impl Checkup {
    /// The record's shape (`checkup_invalid`): sizes a child under seven can have, teeth
    /// only from 1 y 6 m (at most 20 milk teeth, no more decayed than erupted), plain text
    /// within its length.
    pub fn validate(&self) -> Result<(), ErrorCode> {
        let teeth_ok = match self.teeth {
            None => true,
            Some(t) => self.age.has_teeth() && t.erupted <= 24 && t.decayed <= t.erupted,
        };
        if !teeth_ok
            || !within(self.weight_g, WEIGHT_G)
            || !within(self.length_mm, LENGTH_MM)
            || !within(self.head_mm, HEAD_MM)
            || !within(self.chest_mm, CHEST_MM)
            || !plain_text(&self.development, DEVELOPMENT_MAX_CHARS)
            || !plain_text(&self.notes, CHECKUP_NOTES_MAX_CHARS)
            || !plain_text(&self.facility, FACILITY_MAX_CHARS)
        {
            return Err(ErrorCode::CheckupInvalid);
        }
        Ok(())
    }

    /// Before saving, for a child born on `born`, on `today`: the date between the two
    /// (`checkup_date_invalid`).
    pub fn check_for(&self, born: Day, today: Day) -> Result<(), ErrorCode> {
        self.validate()?;
        if self.date < born || self.date > today {
            return Err(ErrorCode::CheckupDateInvalid);
        }
        Ok(())
    }
}

/// Milestones the parent's record asks the date of (「…したのはいつですか」).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// 首がすわった
    HeadControl,
    /// 寝返り
    RollOver,
    /// ひとりすわり
    SitAlone,
    /// はいはい
    Crawl,
    /// つかまり立ち
    PullToStand,
    /// つたい歩き
    Cruise,
    /// ひとり歩き
    WalkAlone,
}

impl Milestone {
    /// The checkup whose parent record asks for it.
    pub fn age(self) -> CheckupAge {
        match self {
            Milestone::HeadControl => CheckupAge::Months3to4,
            Milestone::RollOver | Milestone::SitAlone => CheckupAge::Months6to7,
            Milestone::Crawl | Milestone::PullToStand => CheckupAge::Months9to10,
            Milestone::Cruise => CheckupAge::Year1,
            Milestone::WalkAlone => CheckupAge::Year1Months6,
        }
    }

    /// The milestones asked at `age`.
    pub fn at(age: CheckupAge) -> impl Iterator<Item = Milestone> {
        [
            Milestone::HeadControl,
            Milestone::RollOver,
            Milestone::SitAlone,
            Milestone::Crawl,
            Milestone::PullToStand,
            Milestone::Cruise,
            Milestone::WalkAlone,
        ]
        .into_iter()
        .filter(move |m| m.age() == age)
    }
}

/// The parent's record for one age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckupNote {
    pub age: CheckupAge,
    /// The day each milestone was reached.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub milestones: BTreeMap<Milestone, Day>,
    /// The form's yes/no questions for this age, by id: `true` is はい.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, bool>,
    #[serde(default)]
    pub notes: String,
}

impl CheckupNote {
    /// The record's shape (`checkup_invalid`): milestones and questions of its own age,
    /// notes within their length.
    pub fn validate(&self) -> Result<(), ErrorCode> {
        let questions = self.age.questions();
        let milestones_ok = self.milestones.keys().all(|m| m.age() == self.age);
        let answers_ok = self
            .answers
            .keys()
            .all(|id| questions.iter().any(|q| q.id == id));
        if !milestones_ok || !answers_ok || !plain_text(&self.notes, CHECKUP_NOTES_MAX_CHARS) {
            return Err(ErrorCode::CheckupInvalid);
        }
        Ok(())
    }

    /// Before saving: each milestone between the birth and today (`checkup_date_invalid`).
    pub fn check_for(&self, born: Day, today: Day) -> Result<(), ErrorCode> {
        self.validate()?;
        if self.milestones.values().any(|d| *d < born || *d > today) {
            return Err(ErrorCode::CheckupDateInvalid);
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "checkups_tests.rs"]
mod tests;
