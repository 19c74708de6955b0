//! The growth chart: SVG, one indicator at a time (体重, 身長, 頭囲, chosen by buttons),
//! the 3rd–97th percentile band shaded with lines at 3/10/25/50/75/90/97 from the
//! reference, the child's values as points at their chart age (corrected for babies born
//! early), one sentence on where the last one stands, and the data table.
//!
//! The chart is built once for the page and follows the chosen indicator: the drawing is
//! one string (`svg.rs`) set as the `<svg>`'s content, the table's body likewise
//! (`table.rs`), so a switch redraws them in one step each.

use domain::{
    dates::Day,
    handbook::growth::{Band, Indicator, Sex},
};
use leptos::prelude::*;

use super::{
    State,
    svg::{self, Frame, HEIGHT, WIDTH},
    table::{GrowthTable, rows},
    what,
};
use crate::{browser, components::I18n, i18n::*};

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
    // Redrawn when the sex on the birth record changes, not on every switch.
    let sex = Memo::new(move |_| state.sex());
    let body = move || match sex.get() {
        None => view! {
            <p data-testid="growth-needs-sex">{t!(i18n, growth_chart_needs_sex)}</p>
            {state.guardian.then(|| view! {
                <p><a class="text-link" href="#birth">{t!(i18n, growth_chart_to_form)}</a></p>
            })}
        }
        .into_any(),
        Some(sex) => view! { <Chart state indicator=indicator.read_only() sex /> }.into_any(),
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

#[component]
fn Chart(state: State, indicator: ReadSignal<Indicator>, sex: Sex) -> impl IntoView {
    let i18n = use_i18n();
    let data = Memo::new(move |_| rows(state, indicator.get(), Some(sex)));
    let corrected = Memo::new(move |_| data.with(|rows| rows.iter().any(|r| r.age.corrected)));
    let sentence = move || {
        let indicator = indicator.get();
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
    let label = move || {
        t_string!(
            i18n,
            growth_chart_label,
            what = what(i18n, indicator.get()),
            count = data.with(Vec::len)
        )
        .to_string()
    };
    let drawing = move || {
        let born = state.born.get_untracked();
        let today = Day::parse(&browser::today());
        let frame = Frame {
            indicator: indicator.get(),
            sex,
            age_now: born
                .zip(today)
                .map_or(0, |(b, t)| t.days_from_epoch() - b.days_from_epoch()),
            small_at_birth: state
                .birth
                .with_untracked(|b| b.as_ref().and_then(|b| b.body.weight_g))
                .is_some_and(|g| g < 2_500),
            axis_words: if corrected.get() {
                t_string!(i18n, growth_axis_corrected)
            } else {
                t_string!(i18n, growth_axis_months)
            },
        };
        data.with(|rows| svg::drawing(&frame, rows))
    };
    view! {
        <svg
            class="growth-chart"
            data-testid="growth-chart"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            aria-label=label
            inner_html=drawing
        ></svg>
        {sentence}
        {move || corrected.get().then(|| view! { <p class="note">{t!(i18n, growth_corrected_note)}</p> })}
        <GrowthTable indicator rows=data />
    }
}
