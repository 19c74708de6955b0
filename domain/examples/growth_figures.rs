//! The figures quoted in `handbook/growth/mod.rs`, measured again:
//!
//! ```sh
//! cargo run --release -p domain --example growth_figures -- [path/to/who2006_lms_daily_0_1856d.csv]
//! ```
//!
//! With WHO's daily table (not shipped: see `domain/data/SOURCES.md`) it prints how far the
//! shipped reference, read between its rows, is from the daily rows; always, how long a
//! z-score and a chart's centile lines take on this machine.

use std::hint::black_box;
use std::time::Instant;

use domain::handbook::growth::{
    Indicator, ReferenceTable, Sex, Tails, WHO2006_MONTHLY_CSV, WHO2006_WEEKLY_CSV, who2006,
};

fn main() {
    let started = Instant::now();
    who2006();
    println!(
        "reading the shipped tables (first use): {:?}",
        started.elapsed()
    );
    if let Some(path) = std::env::args().nth(1) {
        let text = std::fs::read_to_string(&path).expect("read the daily table");
        let daily = ReferenceTable::parse(&text).expect("the daily table reads");
        let without_daily_rows = ReferenceTable::parse(WHO2006_MONTHLY_CSV)
            .unwrap()
            .overlay(ReferenceTable::parse(WHO2006_WEEKLY_CSV).unwrap());
        compare("shipped (daily 0-13 d, weekly, monthly)", &daily, who2006());
        compare("weekly and monthly only", &daily, &without_daily_rows);
    }
    time();
}

/// The largest differences, per indicator and age span, between the daily rows and the
/// reference read at the same day, over the curves z = -3..3.
fn compare(name: &str, daily: &ReferenceTable, reference: &ReferenceTable) {
    println!("{name}, against every daily row:");
    let spans = [
        ("days 0-6", 0, 6),
        ("days 7-13", 7, 13),
        ("2-13 weeks", 14, 91),
        ("13 weeks-24 months", 92, 730),
        ("24-60 months", 731, 1826),
    ];
    for indicator in [Indicator::WeightForAge, Indicator::LengthHeightForAge] {
        for (span, from, to) in spans {
            let (mut value_off, mut z_off) = (0.0_f64, 0.0_f64);
            for sex in [Sex::Male, Sex::Female] {
                for day in from..=to {
                    let age = f64::from(day);
                    let exact = daily.lms(indicator, sex, age).unwrap();
                    let read = reference.lms(indicator, sex, age).unwrap();
                    for z in -3..=3 {
                        let z = f64::from(z);
                        let value = exact.value_at(z, Tails::Lms).unwrap();
                        let ours = read.value_at(z, Tails::Lms).unwrap();
                        value_off = value_off.max((ours - value).abs());
                        let z_ours = read.z_score(value, indicator.tails()).unwrap();
                        z_off = z_off.max((z_ours - z).abs());
                    }
                }
            }
            println!(
                "  {:<22} {span:<19} value off by <= {value_off:.4} {}, z-score by <= {z_off:.4}",
                indicator.as_str(),
                indicator.unit()
            );
        }
    }
}

fn time() {
    let who = who2006();
    let rounds = 1_000_000;
    let started = Instant::now();
    let mut sum = 0.0;
    for i in 0..rounds {
        let age = f64::from(i % 1826);
        let a = who
            .assess(
                black_box(Indicator::WeightForAge),
                black_box(Sex::Female),
                black_box(age),
                black_box(9.0),
            )
            .unwrap();
        sum += a.percentile;
    }
    let per = started.elapsed() / rounds;
    println!("one z-score, centile and band (table lookup included): {per:?} ({sum:.0})");

    let rounds = 10_000;
    let started = Instant::now();
    let mut points = 0;
    for _ in 0..rounds {
        let chart = who.chart(
            black_box(Indicator::WeightForAge),
            black_box(Sex::Male),
            0.0,
            1826.0,
            100,
        );
        points += black_box(chart).len();
    }
    let per = started.elapsed() / rounds;
    println!("a 100-age chart of the 7 centile lines: {per:?} ({points} points)");
}
