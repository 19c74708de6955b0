//! The checkups in words: an age as the form heads it, a milestone, the clinician's
//! choices. Written here as pairs (not locale keys): they are the form's own terms.

use domain::{
    Lang,
    handbook::records::{
        checkup_questions::Question,
        checkups::{CheckupAge, Feeding, Judgement, Milestone, Nutrition},
    },
};

fn pick(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// 「6〜7か月児健診」, "6–7 month checkup".
pub fn age(age: CheckupAge, lang: Lang) -> &'static str {
    use CheckupAge::*;
    match age {
        Weeks2 => pick(lang, "2週間児健診", "2 week checkup"),
        Month1 => pick(lang, "1か月児健診", "1 month checkup"),
        Months2 => pick(lang, "2か月児健診", "2 month checkup"),
        Months3to4 => pick(lang, "3〜4か月児健診", "3–4 month checkup"),
        Months6to7 => pick(lang, "6〜7か月児健診", "6–7 month checkup"),
        Months9to10 => pick(lang, "9〜10か月児健診", "9–10 month checkup"),
        Year1 => pick(lang, "1歳児健診", "1 year checkup"),
        Year1Months6 => pick(lang, "1歳6か月児健診", "1 year 6 month checkup"),
        Years2 => pick(lang, "2歳児健診", "2 year checkup"),
        Years3 => pick(lang, "3歳児健診", "3 year checkup"),
        Years4 => pick(lang, "4歳児健診", "4 year checkup"),
        Years5 => pick(lang, "5歳児健診", "5 year checkup"),
        Years6 => pick(lang, "6歳児健診", "6 year checkup"),
    }
}

/// The question a milestone answers: 「首がすわったのはいつですか」.
pub fn milestone(m: Milestone, lang: Lang) -> &'static str {
    use Milestone::*;
    match m {
        HeadControl => pick(lang, "首がすわった日", "Day the head was held steady"),
        RollOver => pick(lang, "寝返りをした日", "Day of the first roll-over"),
        SitAlone => pick(lang, "ひとりすわりをした日", "Day of sitting alone"),
        Crawl => pick(lang, "はいはいをした日", "Day of the first crawl"),
        PullToStand => pick(lang, "つかまり立ちをした日", "Day of pulling to stand"),
        Cruise => pick(lang, "つたい歩きをした日", "Day of walking holding on"),
        WalkAlone => pick(lang, "ひとり歩きをした日", "Day of the first steps alone"),
    }
}

pub fn nutrition(n: Nutrition, lang: Lang) -> &'static str {
    match n {
        Nutrition::Good => pick(lang, "良", "Good"),
        Nutrition::NeedsGuidance => pick(lang, "要指導", "Needs guidance"),
    }
}

pub fn feeding(f: Feeding, lang: Lang) -> &'static str {
    match f {
        Feeding::Breast => pick(lang, "母乳", "Breast milk"),
        Feeding::Mixed => pick(lang, "混合", "Mixed"),
        Feeding::Formula => pick(lang, "人工乳", "Formula"),
    }
}

pub fn judgement(j: Judgement, lang: Lang) -> &'static str {
    match j {
        Judgement::Healthy => pick(lang, "健康", "Healthy"),
        Judgement::Observe => pick(lang, "要観察", "To be watched"),
        Judgement::Refer => pick(lang, "要精査", "Further tests advised"),
    }
}

pub fn question(q: &Question, lang: Lang) -> &'static str {
    pick(lang, q.ja, q.en)
}
