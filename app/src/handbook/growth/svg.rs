//! The growth chart's drawing as one string of SVG markup: a pure function from the rows
//! to the `<svg>` element's content, which the page sets as its `inner_html` in one step.
//! One `<path>` for the band, one for the seven centile lines, one for the child's line,
//! one for the grid: far fewer elements (and no reactive ones) than a node per line and
//! tick, so that a chart of 100 points draws within a frame. Nothing a person typed goes
//! into it; the few words (the axis title) are escaped all the same.
//!
//! The reference curves of each (indicator, sex, age range) are computed once and kept.

use std::{cell::RefCell, fmt::Write, rc::Rc};

use domain::handbook::growth::{ChartPoint, DAYS_PER_MONTH, Indicator, Sex, who2006};

use super::table::{Row, escape};

/// The SVG's drawing box and the room left for the axes' numbers.
pub(super) const WIDTH: f64 = 360.0;
pub(super) const HEIGHT: f64 = 270.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 44.0;
/// Ages the reference lines are computed at, across the chart.
const CURVE_POINTS: usize = 73;

/// What the drawing is made of besides the rows.
pub(super) struct Frame<'a> {
    pub indicator: Indicator,
    pub sex: Sex,
    /// The child's age today, in days.
    pub age_now: i64,
    /// Born under 2,500 g: the weight axis starts at 0.
    pub small_at_birth: bool,
    /// 「月齢（か月）」 or 「修正月齢（か月）」.
    pub axis_words: &'a str,
}

type Curves = Rc<Vec<ChartPoint>>;
/// (indicator, sex, months across).
type CurvesKey = (Indicator, Sex, u8);

thread_local! {
    /// The reference curves drawn so far, by (indicator, sex, months across).
    static CURVES: RefCell<Vec<(CurvesKey, Curves)>> = const { RefCell::new(Vec::new()) };
}

/// The 7 centile curves of `indicator` for `sex` from birth to `months`, computed once.
fn curves(indicator: Indicator, sex: Sex, months: u8) -> Curves {
    let key = (indicator, sex, months);
    CURVES.with(|cache| {
        if let Some((_, curves)) = cache.borrow().iter().find(|(k, _)| *k == key) {
            return Rc::clone(curves);
        }
        let to_days = f64::from(months) * DAYS_PER_MONTH;
        let curves = Rc::new(who2006().chart(indicator, sex, 0.0, to_days, CURVE_POINTS));
        cache.borrow_mut().push((key, Rc::clone(&curves)));
        curves
    })
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

/// Appends a path's data through `points`: `M x,y L x,y …`.
fn path_data(out: &mut String, points: impl Iterator<Item = (f64, f64)>) {
    for (i, (x, y)) in points.enumerate() {
        let _ = write!(out, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
    }
}

/// The `<svg>` element's content for these rows.
pub(super) fn drawing(frame: &Frame, rows: &[Row]) -> String {
    let oldest_point = rows.iter().map(|r| r.age.days).max().unwrap_or(0);
    let months: u8 = if (frame.age_now.max(oldest_point) as f64) > 24.0 * DAYS_PER_MONTH {
        60
    } else {
        24
    };
    let to_days = f64::from(months) * DAYS_PER_MONTH;
    let curves = curves(frame.indicator, frame.sex, months);
    let shown = || {
        rows.iter()
            .filter(move |r| r.age.days >= 0 && (r.age.days as f64) <= to_days)
    };
    let low = curves
        .iter()
        .map(|c| c.values[0])
        .chain(shown().map(|r| r.value))
        .fold(f64::INFINITY, f64::min);
    let high = curves
        .iter()
        .map(|c| c.values[6])
        .chain(shown().map(|r| r.value))
        .fold(f64::NEG_INFINITY, f64::max);
    let low = if frame.indicator == Indicator::WeightForAge && frame.small_at_birth {
        0.0
    } else {
        low
    };
    let (y_low, y_high, y_step) = axis(low, high);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |days: f64| LEFT + days / to_days * plot_w;
    let y = |value: f64| TOP + (y_high - value) / (y_high - y_low) * plot_h;

    let mut out = String::with_capacity(16 * 1024);
    // The band between the 3rd and the 97th centile.
    out.push_str(r#"<path class="band" d=""#);
    path_data(
        &mut out,
        curves
            .iter()
            .map(|c| (x(c.age_days), y(c.values[0])))
            .chain(curves.iter().rev().map(|c| (x(c.age_days), y(c.values[6])))),
    );
    out.push_str(r#"Z"/>"#);

    // The grid and the ticks' numbers.
    let x_step = if months > 24 { 6 } else { 3 };
    let steps = ((y_high - y_low) / y_step).round() as i32;
    out.push_str(r#"<path class="grid" d=""#);
    for m in (0..=i32::from(months)).step_by(x_step) {
        let at = x(f64::from(m) * DAYS_PER_MONTH);
        let _ = write!(out, "M{at:.1},{TOP}V{:.1}", TOP + plot_h);
    }
    for i in 0..=steps {
        let at = y(y_low + f64::from(i) * y_step);
        let _ = write!(out, "M{LEFT},{at:.1}H{:.1}", WIDTH - RIGHT);
    }
    out.push_str(r#""/>"#);
    for m in (0..=i32::from(months)).step_by(x_step) {
        let at = x(f64::from(m) * DAYS_PER_MONTH);
        let _ = write!(
            out,
            r#"<text class="tick x" x="{at:.1}" y="{:.1}">{m}</text>"#,
            TOP + plot_h + 16.0
        );
    }
    for i in 0..=steps {
        let value = y_low + f64::from(i) * y_step;
        let at = y(value);
        let _ = write!(
            out,
            r#"<text class="tick y" x="{:.1}" y="{:.1}">"#,
            LEFT - 4.0,
            at + 4.0
        );
        let _ = if y_step < 1.0 {
            write!(out, "{value:.1}</text>")
        } else {
            write!(out, "{value:.0}</text>")
        };
    }

    // The centile lines: the median on its own, for its own style.
    out.push_str(r#"<path class="line" d=""#);
    for i in [0, 1, 2, 4, 5, 6] {
        path_data(
            &mut out,
            curves.iter().map(|c| (x(c.age_days), y(c.values[i]))),
        );
    }
    out.push_str(r#""/><path class="line median" d=""#);
    path_data(
        &mut out,
        curves.iter().map(|c| (x(c.age_days), y(c.values[3]))),
    );
    out.push_str(r#""/>"#);
    if let Some(last) = curves.last() {
        for (i, label) in [(0, "3"), (3, "50"), (6, "97")] {
            let _ = write!(
                out,
                r#"<text class="line-label" x="{:.1}" y="{:.1}">{label}</text>"#,
                WIDTH - RIGHT + 3.0,
                y(last.values[i]) + 4.0
            );
        }
    }

    // The child's values.
    out.push_str(r#"<path class="child" d=""#);
    path_data(
        &mut out,
        shown().map(|r| (x(r.age.days as f64), y(r.value))),
    );
    out.push_str(r#""/>"#);
    for r in shown() {
        let _ = write!(
            out,
            r#"<circle class="point" data-testid="growth-point" cx="{:.1}" cy="{:.1}" r="5"/>"#,
            x(r.age.days as f64),
            y(r.value)
        );
    }

    let _ = write!(
        out,
        r#"<text class="axis-title" x="{:.1}" y="{:.1}">{}</text><text class="axis-title unit" x="4" y="12">{}</text>"#,
        LEFT + plot_w / 2.0,
        HEIGHT - 6.0,
        escape(frame.axis_words),
        frame.indicator.unit()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_covers_the_values_with_round_steps() {
        assert_eq!(axis(2.3, 9.6), (2.0, 10.0, 1.0));
        assert_eq!(axis(45.0, 110.0), (40.0, 110.0, 10.0));
    }
}
