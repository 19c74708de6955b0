//! 体重の増え方: the gain since before pregnancy at each check-up, against the guide's
//! total for the BMI class. The guide (2021) gives a total for the whole pregnancy, not a
//! curve week by week, so the chart draws that total as a bar at 40 weeks and no band
//! across the weeks: drawing one would invent numbers. The check-up list beside it is
//! the same data in words.

use domain::{
    handbook::{
        pregnancy::{BmiClass, BodySize, WeightGainGuide, gestational_age_on},
        records::prenatal::Visit,
    },
    sync::view::Item,
};
use leptos::prelude::*;

use super::Stored;
use crate::i18n::*;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 28.0;
const LAST_WEEK: f64 = 42.0;

/// (week of pregnancy, kg gained) at each check-up, by week.
type Points = Vec<(f64, f64)>;
/// The guide's total, lowest and highest kg.
type Guide = (f64, f64);

/// The points and the guide, when there is something to draw.
pub(super) fn chart_data(stored: &Stored, visits: &[Item]) -> Option<(Points, Guide)> {
    let pregnancy = &stored.pregnancy;
    let before = pregnancy.weight_before_g?;
    let due = pregnancy.due()?;
    let mut points: Points = visits
        .iter()
        .filter_map(|item| serde_json::from_value::<Visit>(item.record.body.clone()).ok())
        .filter_map(|visit| {
            let weight = visit.weight_g?;
            let age = gestational_age_on(due, visit.date)?;
            Some((
                f64::from(age.total_days()) / 7.0,
                (f64::from(weight) - f64::from(before)) / 1000.0,
            ))
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let body = BodySize {
        height_cm: f64::from(pregnancy.height_mm?) / 10.0,
        weight_kg: f64::from(before) / 1000.0,
    };
    let guide = match BmiClass::of(body.bmi()).weight_gain_guide() {
        WeightGainGuide::Range { min_kg, max_kg } => (f64::from(min_kg), f64::from(max_kg)),
        WeightGainGuide::Individual { upper_kg } => (0.0, f64::from(upper_kg)),
    };
    Some((points, guide))
}

#[component]
pub fn GainChart(stored: RwSignal<Option<Stored>>, visits: RwSignal<Vec<Item>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let data = stored.with(|s| s.as_ref().and_then(|s| visits.with(|v| chart_data(s, v))));
        let Some((points, (low, high))) = data else {
            return ().into_any();
        };
        let lowest = points.iter().map(|p| p.1).fold(-2.0_f64, f64::min).floor();
        let highest = points.iter().map(|p| p.1).fold(high + 1.0, f64::max).ceil();
        let x = move |week: f64| LEFT + week / LAST_WEEK * (WIDTH - LEFT - RIGHT);
        let y = move |kg: f64| TOP + (highest - kg) / (highest - lowest) * (HEIGHT - TOP - BOTTOM);
        let line: String = points
            .iter()
            .map(|(w, kg)| format!("{:.1},{:.1}", x(*w), y(*kg)))
            .collect::<Vec<_>>()
            .join(" ");
        let kg_ticks: Vec<f64> = (lowest as i32..=highest as i32)
            .filter(|kg| kg % 5 == 0)
            .map(f64::from)
            .collect();
        let label = t_string!(i18n, pregnancy_chart_label, min = low, max = high).to_string();
        view! {
            <figure class="gain-chart">
                <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label>
                    {kg_ticks.into_iter().map(|kg| view! {
                        <line x1=LEFT x2=WIDTH - RIGHT y1=y(kg) y2=y(kg) class="grid" />
                        <text x=LEFT - 4.0 y=y(kg) + 4.0 text-anchor="end" class="tick">{format!("{kg:+}")}</text>
                    }).collect_view()}
                    {[0.0, 10.0, 20.0, 30.0, 40.0].into_iter().map(|week| view! {
                        <text x=x(week) y=HEIGHT - 8.0 text-anchor="middle" class="tick">{format!("{week}")}</text>
                    }).collect_view()}
                    <rect class="guide" x=x(40.0) - 4.0 width="8" y=y(high) height=y(low) - y(high) />
                    <polyline class="gain-line" points=line fill="none" />
                    {points.iter().map(|(w, kg)| view! {
                        <circle class="gain-point" cx=x(*w) cy=y(*kg) r="4" />
                    }).collect_view()}
                </svg>
                <figcaption>{t!(i18n, pregnancy_chart_caption)}</figcaption>
            </figure>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use domain::{
        dates::Day,
        handbook::records::prenatal::{Pregnancy, VISIT_COLLECTION},
        sync::{
            protocol::{Record, Scope},
            view::Item,
        },
    };

    use super::{Stored, chart_data};

    fn visit(date: &str, weight_g: u32) -> Item {
        Item {
            record: Record {
                id: format!("v-{date}"),
                collection: VISIT_COLLECTION.into(),
                scope: Scope::of("family", "f1"),
                version: 1,
                body: serde_json::json!({"date": date, "weight_g": weight_g}),
                deleted: false,
            },
            pending: false,
        }
    }

    #[test]
    fn the_chart_plots_the_gain_at_each_week_against_the_guides_total() {
        let stored = Stored {
            pregnancy: Pregnancy {
                last_period: Day::parse("2026-07-20"),
                due_date: None,
                height_mm: Some(1_580),
                weight_before_g: Some(52_000),
                labs: Default::default(),
            },
            pending: false,
        };
        // 2026-10-12 is 12w0d, 2026-11-23 18w0d.
        let visits = [visit("2026-11-23", 55_500), visit("2026-10-12", 52_800)];
        let (points, guide) = chart_data(&stored, &visits).unwrap();
        assert_eq!(points.len(), 2);
        assert!(
            (points[0].0 - 12.0).abs() < 1e-9 && (points[0].1 - 0.8).abs() < 1e-9,
            "{points:?}"
        );
        assert!(
            (points[1].0 - 18.0).abs() < 1e-9 && (points[1].1 - 3.5).abs() < 1e-9,
            "{points:?}"
        );
        assert_eq!(guide, (10.0, 13.0), "BMI 20.8: ふつう");
        let mut no_weight = stored.clone();
        no_weight.pregnancy.weight_before_g = None;
        assert!(
            chart_data(&no_weight, &visits).is_none(),
            "nothing to measure from"
        );
    }
}
