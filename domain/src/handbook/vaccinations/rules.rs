//! The rules as typed values, read from the two data files (`domain/data/`, provenance in
//! `domain/data/SOURCES-vaccines.md`) the first time they are needed.
//!
//! Everything numeric comes from the files' columns or their short Japanese phrases
//! (`phrases.rs`); the few rules the files do not carry are the constants below, each with
//! the national rule it comes from.

use crate::dates::Day;

/// The shipped rules' version: the data files' name.
pub const VERSION: &str = "jp_routine_2024_2025";

/// The injected live vaccines among the routine ones, for the rule that two of them on
/// different days need 27 whole days between them. The files have no column for it: the
/// 定期接種実施要領 as revised on 2020-10-01 names BCG, MR, 水痘 and おたふくかぜ (not routine)
/// as 注射生ワクチン; rotavirus is an oral live vaccine and exempt (hagisawa-iin.jp/news/597,
/// city.yoshikawa.saitama.jp, akimoto-clinic.com). BCG is given through the skin, and still
/// on that list.
pub const INJECTED_LIVE: &[&str] = &["bcg", "mr", "varicella"];

/// The 27-day rule: whole days between two injected live vaccines given on different days
/// (the same day is allowed).
pub const LIVE_GAP: Amount = Amount::Days(27);

/// 5種混合 replaced 4種混合 + ヒブ for children who start on or after its routine date; a
/// child who started 4種混合 + ヒブ before it completes them. The three rows' `notes_ja` say
/// so in words; which ids they mean is written here.
pub const SUPERSEDED: (&str, &[&str]) = ("dpt_ipv_hib", &["dpt_ipv", "hib"]);

/// Boosters not given before this age, where the dose rows give it only as the standard
/// window: the PCV booster "生後12月に至った日以降" (定期接種実施要領, restated by
/// town.mie-kihoku.lg.jp's 小児用肺炎球菌 page and chails.jp). The catch-up row for a start
/// at 7–12 months says the same in the data.
pub const BOOSTER_NOT_BEFORE: &[(&str, u32)] = &[("pcv", 12)];

/// An age as the rules state it, counted from the day of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    /// "出生N週D日後": 7N+D days after birth.
    Days(u32),
    /// "生後N月", "N歳" (12N): the same day of the month (`Day::add_months`).
    Months(u32),
}

impl Age {
    /// The day a child born on `birth` reaches this age.
    pub fn on(self, birth: Day) -> Day {
        match self {
            Age::Days(n) => birth.add_days(i64::from(n)),
            Age::Months(n) => birth.add_months(n as i32),
        }
    }
}

/// The end of an age range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Up to the day before this age ("に至るまで", "未満", "に達するまで").
    Before(Age),
    /// Up to and including the day of this age ("出生24週0日後まで").
    Through(Age),
}

impl Until {
    /// The last day inside the range.
    pub fn last_day(self, birth: Day) -> Day {
        match self {
            Until::Before(age) => age.on(birth).add_days(-1),
            Until::Through(age) => age.on(birth),
        }
    }
}

/// A length of time between two doses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    Days(u32),
    Months(u32),
}

impl Amount {
    /// The first day with this much time whole between `day` and it: the day of a dose is
    /// not counted (民法 140 条), so "27日以上" after a Monday is the Monday four weeks later
    /// and "6月以上" after 2024-01-10 is 2024-07-11.
    pub fn after(self, day: Day) -> Day {
        let next = day.add_days(1);
        match self {
            Amount::Days(n) => next.add_days(i64::from(n)),
            Amount::Months(n) => next.add_months(n as i32),
        }
    }
}

/// The dose an interval counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The dose before ("前回から", or a phrase that names none).
    Previous,
    /// A named dose ("1回目から").
    Dose(u8),
    /// The last primary dose given ("初回接種終了後").
    PrimaryEnd,
}

/// The least time after a dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub anchor: Anchor,
    pub amount: Amount,
}

/// The usual time after a dose, from–to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntervalRange {
    pub anchor: Anchor,
    pub from: Amount,
    pub to: Amount,
}

/// Where a dose sits in its series (`series_ja`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// 初回
    Primary,
    /// 追加
    Booster,
    /// Neither named.
    Single,
}

/// Who the routine covers (`eligible_age_ja`), for the whole vaccine (`number` 0) or one
/// 期.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    pub number: u8,
    pub from: Age,
    pub until: Until,
    /// Also only in the school year before primary school (MR 第2期).
    pub year_before_school: bool,
}

/// A last day for a dose. `leave_out`: past it the dose is left out and the series goes
/// on (a primary dose of a series with a booster); otherwise it is no longer routine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub until: Until,
    pub leave_out: bool,
}

/// One dose of one schedule variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoseRule {
    pub number: u8,
    pub phase: u8,
    pub part: Part,
    /// The standard window by age (`std_start_*`, `std_end_*`).
    pub recommended_from: Option<Age>,
    pub recommended_until: Option<Until>,
    /// The standard window after an earlier dose (`std_interval_ja`).
    pub recommended_interval: Option<IntervalRange>,
    /// The least time after an earlier dose (`min_interval_ja`, `min_interval_days`).
    pub min_interval: Option<Interval>,
    /// Not before these ages (beyond the vaccine's eligibility).
    pub not_before: Vec<Age>,
    pub deadlines: Vec<Deadline>,
    /// Left out when dose `.0` was given at age `.1` or later.
    pub leave_out_after: Option<(u8, Age)>,
}

/// A schedule by the age at the first dose (`schedule_variant`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub name: String,
    /// The ages at the first dose this variant is for; `None`: any.
    pub starts: Option<(Age, Until)>,
    pub catch_up: bool,
    pub doses: Vec<DoseRule>,
}

/// A product of one vaccine with its own routine dates (PCV15, PCV20, PCV13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub name: String,
    pub from: Option<Day>,
    /// The last routine day.
    pub last: Option<Day>,
}

impl Product {
    pub fn routine_on(&self, day: Day) -> bool {
        self.from.is_none_or(|f| f <= day) && self.last.is_none_or(|l| day <= l)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vaccine {
    pub id: String,
    pub name_ja: String,
    pub name_en: String,
    /// Only for children who started it before its successor (`SUPERSEDED`).
    pub legacy: bool,
    /// Doses before this day were not routine.
    pub routine_since: Option<Day>,
    pub products: Vec<Product>,
    /// Routine only for children born on or after this day.
    pub born_from: Option<Day>,
    pub oral: bool,
    pub injected_live: bool,
    pub phases: Vec<Phase>,
    /// The standard variant first.
    pub variants: Vec<Variant>,
}

impl Vaccine {
    /// The eligibility of a phase (or the vaccine's only one).
    pub fn phase(&self, number: u8) -> &Phase {
        self.phases
            .iter()
            .find(|p| p.number == number)
            .unwrap_or(&self.phases[0])
    }

    /// The variant for a first dose on `start`: the one whose starting ages hold it, or
    /// the standard one.
    pub fn variant_for(&self, birth: Day, start: Day) -> &Variant {
        self.variants
            .iter()
            .find(|v| {
                v.starts.is_some_and(|(from, until)| {
                    from.on(birth) <= start && start <= until.last_day(birth)
                })
            })
            .unwrap_or(&self.variants[0])
    }

    pub fn product(&self, name: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.name == name)
    }
}

/// The whole rule set, versioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub version: String,
    /// The day the newest rule in the files took effect (PCV20: 2024-10-01).
    pub valid_from: Day,
    /// In the files' order.
    pub vaccines: Vec<Vaccine>,
}

impl Rules {
    pub fn vaccine(&self, id: &str) -> Option<&Vaccine> {
        self.vaccines.iter().find(|v| v.id == id)
    }
}
