//! How long one child's vaccination schedule takes to compute (README "Measured"):
//! `cargo run --release -p domain --example vaccination_figures`.

use domain::dates::Day;
use domain::handbook::vaccinations::{DoseRecord, schedule};

fn main() {
    let birth = Day::parse("2024-05-15").unwrap();
    let day = |s: &str| Day::parse(s).unwrap();
    let given = [
        ("2024-07-15", "hepb", 1),
        ("2024-08-12", "hepb", 2),
        ("2024-07-15", "rota_rv5", 1),
        ("2024-08-12", "rota_rv5", 2),
        ("2024-07-15", "dpt_ipv_hib", 1),
        ("2024-08-12", "dpt_ipv_hib", 2),
        ("2024-09-09", "dpt_ipv_hib", 3),
        ("2024-07-15", "pcv", 1),
        ("2024-08-12", "pcv", 2),
        ("2024-09-09", "pcv", 3),
        ("2024-10-15", "bcg", 1),
    ];
    let records: Vec<DoseRecord> = given
        .iter()
        .map(|&(d, v, n)| DoseRecord::new(day(d), v, n, None, "", "").unwrap())
        .collect();
    let today = day("2024-11-01");
    let _ = schedule(birth, &records, today); // read the rules once
    let runs = 20_000u32;
    let start = std::time::Instant::now();
    let mut rows = 0;
    for _ in 0..runs {
        rows += std::hint::black_box(schedule(std::hint::black_box(birth), &records, today)).len();
    }
    let each = start.elapsed() / runs;
    println!(
        "one child's schedule ({} records, {} doses): {:.1} µs each over {runs} runs",
        records.len(),
        rows / runs as usize,
        each.as_secs_f64() * 1e6
    );
}
