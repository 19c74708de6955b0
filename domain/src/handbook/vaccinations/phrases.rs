//! The short Japanese phrases of the data files, read into ages, intervals and limits.
//!
//! Each reader accepts only the shapes the files use and answers `None` for anything
//! else, so a phrase the code does not understand fails the parsing test instead of being
//! skipped. Counting, as the data's SOURCES says: "生後N月" and "N歳" are months from birth
//! (`Day::add_months`), "出生N週D日後" is 7N+D days after birth; "に至るまで", "未満" and
//! "に達するまで" exclude the age they name, "まで" after a count of days includes it.

use super::rules::{Age, Amount, Anchor, Until};

/// A cursor over a phrase.
struct Cursor<'a>(&'a str);

impl<'a> Cursor<'a> {
    fn eat(&mut self, word: &str) -> bool {
        match self.0.strip_prefix(word) {
            Some(rest) => {
                self.0 = rest;
                true
            }
            None => false,
        }
    }

    fn number(&mut self) -> Option<u32> {
        let digits = self.0.bytes().take_while(u8::is_ascii_digit).count();
        let n = self.0[..digits].parse().ok()?;
        self.0 = &self.0[digits..];
        Some(n)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An age: 生後N月, 生後Nか月, 生後N歳, N歳, N歳Mか月, Nか月, 出生N週D日後, N週D日後.
    fn age(&mut self) -> Option<Age> {
        let born = self.eat("出生");
        let after_birth = !born && self.eat("生後");
        let n = self.number()?;
        if self.eat("週") {
            let d = self.number()?;
            return (self.eat("日後") && !after_birth).then_some(Age::Days(7 * n + d));
        }
        if born {
            return None;
        }
        if self.eat("歳") {
            let before = Cursor(self.0);
            let months = self.number().filter(|_| self.eat("か月"));
            if months.is_none() {
                *self = before;
            }
            return Some(Age::Months(12 * n + months.unwrap_or(0)));
        }
        (self.eat("か月") || self.eat("月")).then_some(Age::Months(n))
    }

    /// A length of time: N日, N月, Nか月, N年, N年Mか月.
    fn amount(&mut self) -> Option<Amount> {
        let n = self.number()?;
        if self.eat("日") {
            return Some(Amount::Days(n));
        }
        if self.eat("年") {
            let before = Cursor(self.0);
            let months = self.number().filter(|_| self.eat("か月"));
            if months.is_none() {
                *self = before;
            }
            return Some(Amount::Months(12 * n + months.unwrap_or(0)));
        }
        (self.eat("か月") || self.eat("月")).then_some(Amount::Months(n))
    }

    /// What an interval counts from, if the phrase says.
    fn anchor(&mut self) -> Option<Anchor> {
        if self.eat("前回から") {
            return Some(Anchor::Previous);
        }
        if ["初回接種終了後", "初回終了後", "初回完了後"]
            .iter()
            .any(|w| self.eat(w))
        {
            return Some(Anchor::PrimaryEnd);
        }
        let before = Cursor(self.0);
        if let Some(n) = self.number()
            && self.eat("回目から")
        {
            return u8::try_from(n).ok().map(Anchor::Dose);
        }
        *self = before;
        None
    }

    /// The end of an age range.
    fn until(&mut self, age: Age) -> Option<Until> {
        if self.eat("に至るまで") || self.eat("未満") || self.eat("に達するまで") {
            Some(Until::Before(age))
        } else if matches!(age, Age::Days(_)) && self.eat("まで") {
            Some(Until::Through(age))
        } else {
            None
        }
    }
}

/// One eligibility range: from, until, and whether it is also only the year before
/// primary school ("…で小学校就学前の1年間", MR 第2期).
pub(super) type Ages = (Age, Until, bool);

/// `eligible_age_ja`: one range, or phases "第1期: …／第2期: …" as (phase, range).
pub(super) fn eligibility(text: &str) -> Option<Vec<(u8, Ages)>> {
    let mut phases = Vec::new();
    for part in text.split('／') {
        let mut c = Cursor(part);
        let phase = if c.eat("第") {
            let n = u8::try_from(c.number()?).ok()?;
            if !(c.eat("期: ") || c.eat("期:")) {
                return None;
            }
            n
        } else {
            0
        };
        phases.push((phase, age_range(c.0)?));
    }
    Some(phases)
}

fn age_range(text: &str) -> Option<Ages> {
    let mut c = Cursor(text);
    let first = c.age()?;
    let (from, until) = if c.eat("から") || c.eat("以上") {
        let end = c.age()?;
        (first, c.until(end)?)
    } else {
        (Age::Days(0), c.until(first)?)
    };
    let school = c.eat("で小学校就学前の1年間");
    c.is_empty().then_some((from, until, school))
}

/// `series_ja`: (phase, part) — "1期初回", "1期追加", "第2期", "2期", "初回", "追加", "".
pub(super) fn series(text: &str) -> Option<(u8, Option<bool>)> {
    let mut c = Cursor(text);
    c.eat("第");
    let phase = match c.number() {
        Some(n) if c.eat("期") => u8::try_from(n).ok()?,
        Some(_) => return None,
        None => 0,
    };
    let booster = if c.eat("初回") {
        Some(false)
    } else if c.eat("追加") {
        Some(true)
    } else {
        None
    };
    c.is_empty().then_some((phase, booster))
}

/// `schedule_variant`: the starting ages "start_A_to_B_months" (B excluded) and whether
/// the data calls it a catch-up.
pub(super) fn variant(text: &str) -> Option<(Option<(Age, Until)>, bool)> {
    let (name, tag) = match text.split_once(" (") {
        Some((name, tag)) => (name, tag.strip_suffix(')')?),
        None => (text, ""),
    };
    let catch_up = tag == "catch-up";
    if name == "standard" || name == "legacy" {
        return Some((None, catch_up));
    }
    let mut c = Cursor(name);
    let ok = c.eat("start_");
    let from = c.number()?;
    let ok = ok && c.eat("_to_");
    let to = c.number()?;
    (ok && c.eat("_months") && c.is_empty()).then_some((
        Some((Age::Months(from), Until::Before(Age::Months(to)))),
        catch_up,
    ))
}

/// `min_interval_ja`: "[anchor]N日以上" and the like; days must equal `min_interval_days`.
pub(super) fn min_interval(text: &str) -> Option<(Option<Anchor>, Amount)> {
    let mut c = Cursor(text);
    let anchor = c.anchor();
    let amount = c.amount()?;
    (c.eat("以上") && c.is_empty()).then_some((anchor, amount))
}

/// What `std_interval_ja` says: a range after an anchor, or "おおむね1年" (about a year),
/// which names no range.
pub(super) enum StdInterval {
    Range(Option<Anchor>, Amount, Amount),
    About,
}

pub(super) fn std_interval(text: &str) -> Option<StdInterval> {
    if text == "おおむね1年" {
        return Some(StdInterval::About);
    }
    let mut c = Cursor(text);
    let anchor = c.anchor();
    let from = c.amount()?;
    let ok = c.eat("から");
    let to = c.amount()?;
    c.eat("まで");
    (ok && c.is_empty()).then_some(StdInterval::Range(anchor, from, to))
}

/// A rule stated in `standard_timing_ja` that the numeric columns do not carry.
#[derive(Debug, PartialEq)]
pub(super) enum Timing {
    /// These doses are given before this age (`leave_out`: or not at all).
    Deadline {
        doses: Vec<u8>,
        until: Until,
        leave_out: bool,
    },
    /// Dose `then` is left out when dose `when` was given at this age or later.
    LeaveOutAfter { when: u8, age: Age, then: u8 },
    /// Not before this age.
    NotBefore(Age),
}

/// The `standard_timing_ja` phrases that only restate the numeric columns, the
/// eligibility or the interval columns; each was read against its row. "標準的には生後3か月"
/// and "標準的には生後7～8か月" (B型肝炎 2nd and 3rd doses) name a usual age but no range,
/// and the columns are empty: the engine gives those doses no recommended window.
const RESTATED: &[&str] = &[
    "",
    "1回のみ",
    "生後2か月から9か月に至るまで（1回目は標準的には生後2か月）",
    "標準的には生後3か月",
    "標準的には生後7～8か月",
    "生後2月から出生14週6日後まで（出生6週0日後から接種可）",
    "生後2月から生後7月に至るまでに開始",
    "初回接種終了後6月から18月までの間隔をおいて",
    "生後2か月から7か月に至るまでに開始",
    "生後12か月から15か月に至るまで",
    "生後5月に達した時から生後8月に達するまで",
    "生後12月から生後24月に至るまで",
    "5歳以上7歳未満で小学校就学前の1年間（年長児の4月1日～3月31日）",
    "生後12月から15月に至るまで",
    "1回目終了後6月から12月の間隔をおいて",
    "3歳から4歳未満",
    "4歳から5歳未満",
    "9歳から10歳未満（対象: 9歳以上13歳未満）",
    "11歳に達した時から12歳に達するまで",
    "生後2か月以降",
];

/// `standard_timing_ja` of a row that is dose `dose`: the rules it states.
pub(super) fn timing(text: &str, dose: u8) -> Option<Vec<Timing>> {
    if RESTATED.contains(&text) {
        return Some(Vec::new());
    }
    let mut c = Cursor(text);
    // 出生24週0日後までに完了
    if text.starts_with("出生") {
        let age = c.age()?;
        let ok = c.eat("までに完了") && c.is_empty();
        return ok.then(|| {
            vec![Timing::Deadline {
                doses: vec![dose],
                until: Until::Through(age),
                leave_out: false,
            }]
        });
    }
    // 生後12か月までに行う（越えた場合は行わない）; 生後12月に至った日以降
    if text.starts_with("生後") {
        let age = c.age()?;
        if c.eat("に至った日以降") && c.is_empty() {
            return Some(vec![Timing::NotBefore(age)]);
        }
        let ok = c.eat("までに行う");
        let explicit = c.eat("（越えた場合は行わない）");
        return (ok && c.is_empty()).then(|| {
            vec![Timing::Deadline {
                doses: vec![dose],
                until: Until::Before(age),
                leave_out: explicit,
            }]
        });
    }
    // 2回目・3回目は生後24月に至るまでに行う（2回目が生後12月を超えた場合3回目は行わない）
    let mut doses = vec![dose_number(&mut c)?];
    while c.eat("・") {
        doses.push(dose_number(&mut c)?);
    }
    let age = if c.eat("は") { c.age()? } else { return None };
    let until = c.until(age)?;
    c.eat("に");
    c.eat("行う");
    let mut rules = vec![Timing::Deadline {
        doses,
        until,
        leave_out: false,
    }];
    if c.eat("（") {
        let when = dose_number(&mut c)?;
        let ok = c.eat("が");
        let age = c.age()?;
        let ok = ok && c.eat("を超えた場合");
        let then = dose_number(&mut c)?;
        if !(ok && c.eat("は行わない）")) {
            return None;
        }
        rules.push(Timing::LeaveOutAfter { when, age, then });
    }
    c.is_empty().then_some(rules)
}

fn dose_number(c: &mut Cursor) -> Option<u8> {
    let n = c.number()?;
    c.eat("回目").then_some(u8::try_from(n).ok()?)
}

/// In `notes_ja`: "初回接種は出生14週6日後までに" — the first dose's last day.
pub(super) fn first_dose_by(notes: &str) -> Option<Age> {
    let (_, rest) = notes.split_once("初回接種は")?;
    let mut c = Cursor(rest);
    let age = c.age().filter(|a| matches!(a, Age::Days(_)))?;
    c.eat("までに").then_some(age)
}

/// In `notes_ja`: "定期接種の対象は2020年8月1日以降生まれ" — the first birth day covered.
pub(super) fn born_from(notes: &str) -> Option<(i32, u32, u32)> {
    let (_, rest) = notes.split_once("定期接種の対象は")?;
    let mut c = Cursor(rest);
    let y = c.number()?;
    let ok = c.eat("年");
    let m = c.number()?;
    let ok = ok && c.eat("月");
    let d = c.number()?;
    (ok && c.eat("日以降生まれ")).then_some((i32::try_from(y).ok()?, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_read_as_the_data_means_them() {
        let hepb = eligibility("生後1歳に至るまで").unwrap();
        assert_eq!(
            hepb,
            vec![(0, (Age::Days(0), Until::Before(Age::Months(12)), false))]
        );
        let rota = eligibility("出生6週0日後から24週0日後まで").unwrap();
        assert_eq!(
            rota[0].1,
            (Age::Days(42), Until::Through(Age::Days(168)), false)
        );
        let mr = eligibility(
            "第1期: 生後12月から生後24月に至るまで／第2期: 5歳以上7歳未満で小学校就学前の1年間",
        )
        .unwrap();
        assert_eq!(
            mr[1],
            (2, (Age::Months(60), Until::Before(Age::Months(84)), true))
        );
        let dpt = eligibility("生後2か月から7歳6か月未満").unwrap();
        assert_eq!(dpt[0].1.1, Until::Before(Age::Months(90)));
        assert_eq!(eligibility("生後2か月から"), None);
        assert_eq!(
            min_interval("1回目から139日以上"),
            Some((Some(Anchor::Dose(1)), Amount::Days(139)))
        );
        assert_eq!(
            min_interval("初回接種終了後6月以上"),
            Some((Some(Anchor::PrimaryEnd), Amount::Months(6)))
        );
        assert_eq!(min_interval("60日以上"), Some((None, Amount::Days(60))));
        assert!(matches!(
            std_interval("初回完了後1年から1年6か月"),
            Some(StdInterval::Range(
                Some(Anchor::PrimaryEnd),
                Amount::Months(12),
                Amount::Months(18)
            ))
        ));
        assert_eq!(series("1期追加"), Some((1, Some(true))));
        assert_eq!(series("第2期"), Some((2, None)));
        assert_eq!(series("初回"), Some((0, Some(false))));
        assert_eq!(
            timing(
                "2回目・3回目は生後24月に至るまでに行う（2回目が生後12月を超えた場合3回目は行わない）",
                2
            ),
            Some(vec![
                Timing::Deadline {
                    doses: vec![2, 3],
                    until: Until::Before(Age::Months(24)),
                    leave_out: false
                },
                Timing::LeaveOutAfter {
                    when: 2,
                    age: Age::Months(12),
                    then: 3
                }
            ])
        );
        assert_eq!(
            timing("生後3か月ごろ", 1),
            None,
            "an unknown phrase is an error"
        );
        assert_eq!(
            first_dose_by("初回接種は出生14週6日後までに（標準: 生後2月から）。"),
            Some(Age::Days(104))
        );
        assert_eq!(
            born_from("定期接種の対象は2020年8月1日以降生まれ。"),
            Some((2020, 8, 1))
        );
    }
}
