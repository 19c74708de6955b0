//! The demo child's 乳幼児健診: the health centre's findings at each checkup held so far,
//! with the sizes measured there (the same as the growth records of that day), and the
//! parent's own record for each of those ages. The milestones are dated on the day of
//! the checkup that asks for them (a parent writes 「首がすわった」 by the 3–4 month one):
//! no development figure is made up.

use std::collections::BTreeMap;

use domain::handbook::records::{
    Measurement,
    checkups::{
        CHECKUP_COLLECTION, CHECKUP_NOTE_COLLECTION, Checkup, CheckupAge, CheckupNote, Feeding,
        Judgement, Milestone, Nutrition, checkup_note_id,
    },
};

/// The checkups the demo child has a measurement from, in `handbook::CHECKUPS`' order.
const AGES: [CheckupAge; 4] = [
    CheckupAge::Weeks2,
    CheckupAge::Month1,
    CheckupAge::Months3to4,
    CheckupAge::Months6to7,
];

/// The findings and the parent's records for the checkups measured so far.
pub(super) fn records(
    family: &str,
    measured: &[(String, Measurement)],
) -> anyhow::Result<Vec<(String, &'static str, String)>> {
    let mut out = Vec::new();
    for (n, (age, (_, m))) in AGES.iter().zip(measured).enumerate() {
        let findings = Checkup {
            age: *age,
            date: m.measured_on,
            weight_g: m.weight_g,
            length_mm: m.length_mm,
            head_mm: m.head_mm,
            chest_mm: None,
            nutrition: Some(Nutrition::Good),
            feeding: Some(if *age < CheckupAge::Months3to4 {
                Feeding::Breast
            } else {
                Feeding::Mixed
            }),
            development: "年齢相応".into(),
            teeth: None,
            judgement: Judgement::Healthy,
            notes: String::new(),
            facility: if *age < CheckupAge::Months3to4 {
                "デモ産院（練馬区）".into()
            } else {
                "練馬区 デモ保健相談所".into()
            },
        };
        out.push((
            format!("0193a6f0-0000-7000-8000-00000f0c00{:02}", n + 1),
            CHECKUP_COLLECTION,
            serde_json::to_string(&findings)?,
        ));
        let milestones: BTreeMap<Milestone, _> = Milestone::at(*age)
            .map(|milestone| (milestone, m.measured_on))
            .collect();
        let answers = (age.questions().iter())
            .map(|q| (q.id.to_owned(), true))
            .collect();
        let note = CheckupNote {
            age: *age,
            milestones,
            answers,
            notes: String::new(),
        };
        out.push((
            checkup_note_id(family, *age),
            CHECKUP_NOTE_COLLECTION,
            serde_json::to_string(&note)?,
        ));
    }
    Ok(out)
}
