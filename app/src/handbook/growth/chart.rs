//! The growth chart: hand-written SVG, one indicator at a time (体重, 身長, 頭囲, chosen
//! by buttons), the 3rd–97th percentile band shaded with lines at 3/10/25/50/75/90/97
//! from the reference, the child's values as points at their chart age (corrected for
//! babies born early), one sentence on where the last one stands, and the data table.

use domain::{
    dates::Day,
    handbook::growth::{Band, DAYS_PER_MONTH, Indicator, who2006},
};
use leptos::prelude::*;

use super::{
    State,
    table::{GrowthTable, Row, rows},
    what,
};
use crate::{browser, components::I18n, i18n::*};

/// The SVG's drawing box and the room left for the axes' numbers.
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 270.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 44.0;
/// Ages the reference lines are computed at, across the chart.
const CURVE_POINTS: usize = 73;

#[component]
pub(super) fn ChartSection(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let indicator = RwSignal::new(Indicator::WeightForAge);
    let tab = move |shown: Indicator| {
        view! {
            <button
                type="button"
                class="button secondary"
                aria-pressed=move || if indicator.get() == shown { "true" } else { "false" }
                on:click=move |_| indicator.set(shown)
            >
                {what(i18n, shown)}
            </button>
        }
    };
    let body = move || {
        let shown = indicator.get();
        match state.sex() {
            None => view! {
                <p data-testid="growth-needs-sex">{t!(i18n, growth_chart_needs_sex)}</p>
                {state.guardian.then(|| view! {
                    <p><a class="text-link" href="#birth">{t!(i18n, growth_chart_to_form)}</a></p>
                })}
            }
            .into_any(),
            Some(_) => view! { <Chart state indicator=shown /> }.into_any(),
        }
    };
    view! {
        <section class="card" aria-labelledby="chart-heading">
            <h2 id="chart-heading">{t!(i18n, growth_chart_title)}</h2>
            <div class="view-switch" role="group" aria-label=move || t_string!(i18n, growth_tabs_label)>
                {Indicator::ALL.map(tab).into_iter().collect_view()}
            </div>
            {body}
        </section>
    }
}

/// Evenly spaced round numbers covering `low..=high`: (first, last, step).
fn axis(low: f64, high: f64) -> (f64, f64, f64) {
    let span = (high - low).max(0.5);
    let step = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0]
        .into_iter()
        .find(|s| span / s <= 8.0)
        .unwrap_or(50.0);
    (
        (low / step).floor() * step,
        (high / step).ceil() * step,
        step,
    )
}

/// The words on where the last value stands.
fn band_words(i18n: I18n, indicator: Indicator, band: Band) -> String {
    let what = what(i18n, indicator);
    match band {
        Band::BelowP3 => t_string!(i18n, growth_band_below_p3, what = what).to_string(),
        Band::P3ToP10 => t_string!(i18n, growth_band_p3_p10, what = what).to_string(),
        Band::P10ToP25 => t_string!(i18n, growth_band_p10_p25, what = what).to_string(),
        Band::P25ToP75 => t_string!(i18n, growth_band_p25_p75, what = what).to_string(),
        Band::P75ToP90 => t_string!(i18n, growth_band_p75_p90, what = what).to_string(),
        Band::P90ToP97 => t_string!(i18n, growth_band_p90_p97, what = what).to_string(),
        Band::AboveP97 => t_string!(i18n, growth_band_above_p97, what = what).to_string(),
    }
}

fn polyline(points: impl Iterator<Item = (f64, f64)>) -> String {
    points
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
fn Chart(state: State, indicator: Indicator) -> impl IntoView {
    let i18n = use_i18n();
    let sex = state.sex();
    let data = Memo::new(move |_| rows(state, indicator, sex));
    let sentence = move || {
        data.with(|rows| {
            let Some(last) = rows.last() else {
                return view! { <p>{t_string!(i18n, growth_no_points, what = what(i18n, indicator)).to_string()}</p> }.into_any();
            };
            match last.assessed {
                Some(a) => view! {
                    <p class="growth-words" data-testid="growth-words">
                        {band_words(i18n, indicator, a.band)}
                        {a.band.is_outside().then(|| format!(" {}", t_string!(i18n, growth_band_consult)))}
                    </p>
                }
                .into_any(),
                None => ().into_any(),
            }
        })
    };
    let corrected = move || {
        data.with(|rows| rows.iter().any(|r| r.age.corrected))
            .then(|| view! { <p class="note">{t!(i18n, growth_corrected_note)}</p> })
    };
    view! {
        {move || {
            let sex = sex?;
            Some(view! { <Svg state indicator sex rows=data.get() /> })
        }}
        {sentence}
        {corrected}
        <GrowthTable indicator rows=data />
    }
}

#[component]
fn Svg(
    state: State,
    indicator: Indicator,
    sex: domain::handbook::growth::Sex,
    rows: Vec<Row>,
) -> impl IntoView {
    let i18n = use_i18n();
    let born = state.born.get_untracked();
    let today = Day::parse(&browser::today());
    let age_now = born
        .zip(today)
        .map_or(0, |(b, t)| t.days_from_epoch() - b.days_from_epoch());
    let oldest_point = rows.iter().map(|r| r.age.days).max().unwrap_or(0);
    let months = if (age_now.max(oldest_point) as f64) > 24.0 * DAYS_PER_MONTH {
        60.0
    } else {
        24.0
    };
    let to_days = months * DAYS_PER_MONTH;
    let curves = who2006().chart(indicator, sex, 0.0, to_days, CURVE_POINTS);
    let shown: Vec<&Row> = rows
        .iter()
        .filter(|r| r.age.days >= 0 && (r.age.days as f64) <= to_days)
        .collect();
    let low = curves
        .iter()
        .map(|c| c.values[0])
        .chain(shown.iter().map(|r| r.value))
        .fold(f64::INFINITY, f64::min);
    let high = curves
        .iter()
        .map(|c| c.values[6])
        .chain(shown.iter().map(|r| r.value))
        .fold(f64::NEG_INFINITY, f64::max);
    let small_at_birth = state
        .birth
        .with_untracked(|b| b.as_ref().and_then(|b| b.body.weight_g))
        .is_some_and(|g| g < 2_500);
    let low = if indicator == Indicator::WeightForAge && small_at_birth {
        0.0
    } else {
        low
    };
    let (y_low, y_high, y_step) = axis(low, high);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = move |days: f64| LEFT + days / to_days * plot_w;
    let y = move |value: f64| TOP + (y_high - value) / (y_high - y_low) * plot_h;
    let band = polyline(
        curves
            .iter()
            .map(|c| (x(c.age_days), y(c.values[0])))
            .chain(curves.iter().rev().map(|c| (x(c.age_days), y(c.values[6])))),
    );
    let lines = (0..7)
        .map(|i| {
            let points = polyline(curves.iter().map(|c| (x(c.age_days), y(c.values[i]))));
            let class = if i == 3 { "line median" } else { "line" };
            view! { <polyline class=class points=points /> }
        })
        .collect_view();
    let line_labels = curves.last().map(|last| {
        [(0, "3"), (3, "50"), (6, "97")]
            .map(|(i, label)| {
                view! { <text class="line-label" x=format!("{:.1}", WIDTH - RIGHT + 3.0) y=format!("{:.1}", y(last.values[i]) + 4.0)>{label}</text> }
            })
            .into_iter()
            .collect_view()
    });
    let x_step = if months > 24.0 { 6 } else { 3 };
    let x_ticks = (0..=months as i32)
        .step_by(x_step)
        .map(|m| {
            let at = x(f64::from(m) * DAYS_PER_MONTH);
            view! {
                <line class="grid" x1=format!("{at:.1}") x2=format!("{at:.1}") y1=format!("{TOP}") y2=format!("{:.1}", TOP + plot_h) />
                <text class="tick x" x=format!("{at:.1}") y=format!("{:.1}", TOP + plot_h + 16.0)>{m.to_string()}</text>
            }
        })
        .collect_view();
    let steps = ((y_high - y_low) / y_step).round() as i32;
    let y_ticks = (0..=steps)
        .map(|i| {
            let value = y_low + f64::from(i) * y_step;
            let at = y(value);
            let label = if y_step < 1.0 { format!("{value:.1}") } else { format!("{value:.0}") };
            view! {
                <line class="grid" x1=format!("{LEFT}") x2=format!("{:.1}", WIDTH - RIGHT) y1=format!("{at:.1}") y2=format!("{at:.1}") />
                <text class="tick y" x=format!("{:.1}", LEFT - 4.0) y=format!("{:.1}", at + 4.0)>{label}</text>
            }
        })
        .collect_view();
    let path = polyline(shown.iter().map(|r| (x(r.age.days as f64), y(r.value))));
    let dots = shown
        .iter()
        .map(|r| {
            view! { <circle class="point" data-testid="growth-point" cx=format!("{:.1}", x(r.age.days as f64)) cy=format!("{:.1}", y(r.value)) r="5" /> }
        })
        .collect_view();
    let corrected = rows.iter().any(|r| r.age.corrected);
    let axis_words = if corrected {
        t_string!(i18n, growth_axis_corrected)
    } else {
        t_string!(i18n, growth_axis_months)
    };
    let label = t_string!(
        i18n,
        growth_chart_label,
        what = what(i18n, indicator),
        count = rows.len()
    )
    .to_string();
    view! {
        <svg
            class="growth-chart"
            data-testid="growth-chart"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            aria-label=label
        >
            <polygon class="band" points=band />
            {x_ticks}
            {y_ticks}
            {lines}
            {line_labels}
            <polyline class="child" points=path />
            {dots}
            <text class="axis-title" x=format!("{:.1}", LEFT + plot_w / 2.0) y=format!("{:.1}", HEIGHT - 6.0)>{axis_words}</text>
            <text class="axis-title unit" x="4" y="12">{indicator.unit()}</text>
        </svg>
    }
}
