//! The chart's data table, the accessible reading of the chart: each value of one
//! indicator with the day, the age it is plotted at and its percentile; and the rows
//! both are drawn from.

use domain::{
    dates::Day,
    handbook::growth::{Assessment, ChartAge, Indicator, Sex, chart_age, who2006},
};
use leptos::prelude::*;

use super::{State, what};
use crate::handbook::units;
use crate::{browser, components::I18n, i18n::*, settings};

/// One value of one indicator: at birth (from the birth record) or measured.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    pub day: Day,
    pub age: ChartAge,
    /// In the reference's unit (kg, cm).
    pub value: f64,
    /// Where it stands; `None` before the due date of a baby born early (the curves
    /// start at the due date) or beyond the reference's ages.
    pub assessed: Option<Assessment>,
    pub at_birth: bool,
}

/// The rows of `indicator`, oldest first; empty until the birth day is known.
pub(super) fn rows(state: State, indicator: Indicator, sex: Option<Sex>) -> Vec<Row> {
    let Some(born) = state.born.get() else {
        return Vec::new();
    };
    let birth = state.birth.with(|b| b.as_ref().map(|b| b.body.clone()));
    let gestation = birth.as_ref().and_then(|b| b.gestation);
    let assess = |age: ChartAge, value: f64| {
        let sex = sex?;
        (age.days >= 0)
            .then(|| who2006().assess(indicator, sex, age.days as f64, value))
            .flatten()
    };
    let mut rows = Vec::new();
    if let Some(birth) = &birth {
        let at_birth = match indicator {
            Indicator::WeightForAge => birth.weight_g.map(|g| f64::from(g) / 1000.0),
            Indicator::LengthHeightForAge => birth.length_mm.map(|mm| f64::from(mm) / 10.0),
            Indicator::HeadCircumferenceForAge => birth.head_mm.map(|mm| f64::from(mm) / 10.0),
        };
        if let (Some(value), Some(age)) = (at_birth, chart_age(born, born, gestation)) {
            rows.push(Row {
                day: born,
                age,
                value,
                assessed: assess(age, value),
                at_birth: true,
            });
        }
    }
    state.measurements.with(|measurements| {
        for m in measurements.iter().rev() {
            let Some(age) = chart_age(born, m.body.measured_on, gestation) else {
                continue;
            };
            for (i, value) in m.body.values() {
                if i == indicator {
                    rows.push(Row {
                        day: m.body.measured_on,
                        age,
                        value,
                        assessed: assess(age, value),
                        at_birth: false,
                    });
                }
            }
        }
    });
    rows.sort_by_key(|r| (r.day, !r.at_birth));
    rows
}

/// The value as the table and the list print it: kg with up to 3 decimals, cm with 1.
pub(super) fn value_text(indicator: Indicator, value: f64) -> String {
    match indicator {
        Indicator::WeightForAge => units::kg((value * 1000.0).round() as u32),
        _ => units::cm((value * 10.0).round() as u32),
    }
}

/// 「3か月12日（修正月齢）」, 「出生時」, 「予定日前」.
pub(super) fn age_text(i18n: I18n, row: &Row) -> String {
    if row.at_birth && row.age.days == 0 {
        return t_string!(i18n, growth_at_birth).to_string();
    }
    if row.age.days < 0 {
        return t_string!(i18n, growth_age_before_due).to_string();
    }
    let (months, days) = units::months_and_days(row.age.days);
    let age = t_string!(i18n, growth_age_value, months = months, days = days).to_string();
    if row.age.corrected {
        format!("{age}{}", t_string!(i18n, growth_age_corrected))
    } else {
        age
    }
}

/// `text` safe inside an element or a quoted attribute.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The table's body: one row a value, as one string of markup (see `svg.rs`). The
/// cells hold only numbers, days and our own words, escaped all the same.
fn body(i18n: I18n, indicator: Indicator, rows: &[Row]) -> String {
    let lang = settings::lang(i18n.get_locale());
    let mut out = String::with_capacity(rows.len() * 160);
    for row in rows {
        let percentile = row
            .assessed
            .map_or_else(|| "—".to_owned(), |a| units::percentile(a.percentile));
        for (i, cell) in [
            browser::format_day(&row.day.to_string(), lang),
            age_text(i18n, row),
            value_text(indicator, row.value),
            percentile,
        ]
        .iter()
        .enumerate()
        {
            out.push_str(if i == 0 { "<tr><td>" } else { "<td>" });
            out.push_str(&escape(cell));
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out
}

#[component]
pub(super) fn GrowthTable(indicator: ReadSignal<Indicator>, rows: Memo<Vec<Row>>) -> impl IntoView {
    let i18n = use_i18n();
    let value_heading = move || match indicator.get() {
        Indicator::WeightForAge => t_string!(i18n, growth_weight_kg),
        Indicator::LengthHeightForAge => t_string!(i18n, growth_length_cm),
        Indicator::HeadCircumferenceForAge => t_string!(i18n, growth_head_cm),
    };
    let caption = move || {
        t_string!(
            i18n,
            growth_table_caption,
            what = what(i18n, indicator.get())
        )
        .to_string()
    };
    view! {
        <div class="table-scroll">
            <table class="growth-table" data-testid="growth-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, growth_col_date)}</th>
                        <th scope="col">{t!(i18n, growth_col_age)}</th>
                        <th scope="col">{value_heading}</th>
                        <th scope="col">{t!(i18n, growth_col_percentile)}</th>
                    </tr>
                </thead>
                <tbody inner_html=move || rows.with(|rows| body(i18n, indicator.get(), rows))></tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a href="x">&</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
