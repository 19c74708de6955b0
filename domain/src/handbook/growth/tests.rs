use proptest::prelude::*;

use super::*;

/// WHO's printed SD curves are rounded to 0.1, so a computed curve is within half of that.
const PRINTED_TOLERANCE: f64 = 0.05 + 1e-9;

/// A row of a shipped file, by column name.
struct Row<'a> {
    line: usize,
    fields: std::collections::HashMap<&'a str, &'a str>,
}

impl Row<'_> {
    fn text(&self, column: &str) -> &str {
        self.fields[column]
    }

    fn number(&self, column: &str) -> f64 {
        self.fields[column].parse().unwrap()
    }

    fn indicator(&self) -> Indicator {
        Indicator::parse(self.text("indicator")).unwrap()
    }

    fn sex(&self) -> Sex {
        Sex::parse(self.text("sex")).unwrap()
    }

    fn lms(&self) -> Lms {
        Lms {
            l: self.number("L"),
            m: self.number("M"),
            s: self.number("S"),
        }
    }
}

fn rows(csv: &str) -> Vec<Row<'_>> {
    let mut lines = csv.lines().map(|l| l.trim_end_matches('\r'));
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .enumerate()
        .map(|(i, line)| Row {
            line: i + 2,
            fields: header.iter().copied().zip(line.split(',')).collect(),
        })
        .collect()
}

const SD_COLUMNS: [(&str, f64); 7] = [
    ("sd_m3", -3.0),
    ("sd_m2", -2.0),
    ("sd_m1", -1.0),
    ("sd_0", 0.0),
    ("sd_p1", 1.0),
    ("sd_p2", 2.0),
    ("sd_p3", 3.0),
];

/// For every row of a WHO file, the curves computed from L, M, S match the printed SD
/// values, and each printed value's z-score is its z as far as the rounding allows.
/// Returns how many values were checked and the largest differences seen.
fn check_printed_sd_curves(csv: &str) -> (usize, f64, f64) {
    let (mut checked, mut worst_value, mut worst_z) = (0, 0.0_f64, 0.0_f64);
    for row in rows(csv) {
        let (lms, tails) = (row.lms(), row.indicator().tails());
        for (column, z) in SD_COLUMNS {
            let printed = row.number(column);
            let computed = lms.value_at(z, tails).unwrap();
            let off = (computed - printed).abs();
            assert!(
                off <= PRINTED_TOLERANCE,
                "line {} {column}: {computed} vs printed {printed}",
                row.line
            );
            let z_printed = lms.z_score(printed, tails).unwrap();
            let rounding_in_z = [printed - 0.05, printed + 0.05]
                .map(|v| (lms.z_score(v, tails).unwrap() - z_printed).abs());
            let z_off = (z_printed - z).abs();
            assert!(
                z_off <= rounding_in_z[0].max(rounding_in_z[1]) + 1e-9,
                "line {} {column}: z of printed {printed} is {z_printed}",
                row.line
            );
            worst_value = worst_value.max(off);
            worst_z = worst_z.max(z_off);
            checked += 1;
        }
    }
    (checked, worst_value, worst_z)
}

#[test]
fn the_monthly_table_reproduces_whos_printed_sd_curves() {
    let (checked, worst_value, worst_z) = check_printed_sd_curves(WHO2006_MONTHLY_CSV);
    assert_eq!(checked, 368 * 7);
    println!("monthly: {checked} values, largest differences {worst_value:.4} and z {worst_z:.4}");
}

#[test]
fn the_weekly_table_reproduces_whos_printed_sd_curves() {
    let (checked, worst_value, worst_z) = check_printed_sd_curves(WHO2006_WEEKLY_CSV);
    assert_eq!(checked, 84 * 7);
    println!("weekly: {checked} values, largest differences {worst_value:.4} and z {worst_z:.4}");
}

/// `who2006_percentiles_monthly_0_60m_DERIVED.csv` was computed from the same monthly L, M,
/// S by another program (SOURCES.md); it is a check of our normal quantiles, not of WHO.
#[test]
fn centile_lines_match_the_derived_centile_file() {
    let derived = include_str!("../../../data/who2006_percentiles_monthly_0_60m_DERIVED.csv");
    let columns = ["p3", "p10", "p25", "p50", "p75", "p90", "p97"];
    let mut checked = 0;
    for row in rows(derived) {
        let lms = row.lms();
        for (column, p) in columns.iter().zip(CHART_PERCENTILES) {
            let z = z_of_percentile(p).unwrap();
            let value = lms.value_at(z, row.indicator().tails()).unwrap();
            // Rounded to 0.01 in the file.
            assert!(
                (value - row.number(column)).abs() <= 0.005 + 1e-9,
                "line {} {column}: {value}",
                row.line
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 368 * 7);
}

#[test]
fn the_shipped_reference_returns_each_files_rows_at_their_ages() {
    let who = who2006();
    let files = [
        (WHO2006_DAILY_FIRST_DAYS_CSV, "age_days", 1.0),
        (WHO2006_WEEKLY_CSV, "age_weeks", 7.0),
        (WHO2006_MONTHLY_CSV, "age_months", DAYS_PER_MONTH),
    ];
    for (csv, age_column, days) in files {
        let table = ReferenceTable::parse(csv).unwrap();
        for row in rows(csv)
            .iter()
            .filter(|r| r.fields.get("measure") != Some(&"height"))
        {
            let age = row.number(age_column) * days;
            assert_eq!(
                table.lms(row.indicator(), row.sex(), age),
                Some(row.lms()),
                "line {}",
                row.line
            );
            // The rows the shipped reference kept from each file are its own.
            let kept = match age_column {
                "age_days" => true,
                "age_weeks" => age > 13.0,
                _ => age > 91.0,
            };
            if kept {
                assert_eq!(who.lms(row.indicator(), row.sex(), age), Some(row.lms()));
            }
        }
    }
    for indicator in Indicator::ALL {
        for sex in [Sex::Male, Sex::Female] {
            assert_eq!(
                who.age_span(indicator, sex),
                Some((0.0, 60.0 * DAYS_PER_MONTH))
            );
        }
    }
}

#[test]
fn a_median_boy_at_birth_is_on_the_50th_centile() {
    let who = who2006();
    let a = who
        .assess(Indicator::WeightForAge, Sex::Male, 0.0, 3.3464)
        .unwrap();
    assert!(a.z.abs() < 1e-12);
    assert!((a.percentile - 50.0).abs() < 1e-9);
    assert_eq!(a.band, Band::P25ToP75);
    assert!(!a.band.is_outside());
    assert_eq!(a.measure, None);
}

#[test]
fn bands_and_the_outside_flag_follow_the_chart_lines() {
    let who = who2006();
    let (ind, sex, age) = (Indicator::WeightForAge, Sex::Female, 6.0 * DAYS_PER_MONTH);
    let at = |p: f64| who.value_at_percentile(ind, sex, age, p).unwrap();
    let band = |v: f64| who.assess(ind, sex, age, v).unwrap().band;
    assert_eq!(band(at(2.0)), Band::BelowP3);
    assert_eq!(band(at(5.0)), Band::P3ToP10);
    assert_eq!(band(at(20.0)), Band::P10ToP25);
    assert_eq!(band(at(60.0)), Band::P25ToP75);
    assert_eq!(band(at(80.0)), Band::P75ToP90);
    assert_eq!(band(at(95.0)), Band::P90ToP97);
    assert_eq!(band(at(98.0)), Band::AboveP97);
    assert!(band(at(2.9)).is_outside());
    assert!(!band(at(3.1)).is_outside());
    assert!(band(at(97.1)).is_outside());
    assert_eq!(Band::of_percentile(3.0), Band::P3ToP10);
    assert_eq!(Band::of_percentile(97.0), Band::P90ToP97);
    assert_eq!(Band::of_percentile(25.0), Band::P25ToP75);
    assert_eq!(Band::of_percentile(75.0), Band::P25ToP75);
}

#[test]
fn a_very_heavy_weight_gets_whos_restricted_z_score() {
    let who = who2006();
    let lms = who.lms(Indicator::WeightForAge, Sex::Male, 365.0).unwrap();
    let sd2 = lms.value_at(2.0, Tails::Lms).unwrap();
    let sd3 = lms.value_at(3.0, Tails::Lms).unwrap();
    let a = who
        .assess(Indicator::WeightForAge, Sex::Male, 365.0, sd3 + (sd3 - sd2))
        .unwrap();
    assert!((a.z - 4.0).abs() < 1e-9, "{}", a.z);
    assert_eq!(a.band, Band::AboveP97);
    // Length is never restricted.
    assert_eq!(Indicator::LengthHeightForAge.tails(), Tails::Lms);
    assert_eq!(Indicator::HeadCircumferenceForAge.tails(), Tails::Lms);
}

#[test]
fn length_turns_to_height_after_24_months() {
    let who = who2006();
    let ind = Indicator::LengthHeightForAge;
    assert_eq!(who.measure(ind, Sex::Male, 730.0), Some(Measure::Length));
    assert_eq!(who.measure(ind, Sex::Male, 731.0), Some(Measure::Height));
    let length = who.lms(ind, Sex::Male, 24.0 * DAYS_PER_MONTH).unwrap();
    let height = who.lms(ind, Sex::Male, 731.0).unwrap();
    // WHO's standing heights sit 0.7 cm below lying lengths at 24 months.
    assert!((length.m - 87.8161).abs() < 1e-9);
    assert!(height.m < length.m - 0.6);
    assert_eq!(who.measure(Indicator::WeightForAge, Sex::Male, 731.0), None);
}

#[test]
fn between_rows_l_m_and_s_are_read_on_straight_lines() {
    let who = who2006();
    let (ind, sex) = (Indicator::HeadCircumferenceForAge, Sex::Female);
    let a = who.lms(ind, sex, 6.0 * DAYS_PER_MONTH).unwrap();
    let b = who.lms(ind, sex, 7.0 * DAYS_PER_MONTH).unwrap();
    let mid = who.lms(ind, sex, 6.5 * DAYS_PER_MONTH).unwrap();
    assert!((mid.m - (a.m + b.m) / 2.0).abs() < 1e-9);
    assert!((mid.s - (a.s + b.s) / 2.0).abs() < 1e-12);
    assert_eq!(who.lms(ind, sex, -1.0), None);
    assert_eq!(who.lms(ind, sex, 60.0 * DAYS_PER_MONTH + 0.5), None);
}

#[test]
fn a_chart_has_seven_rising_lines_with_the_median_in_the_middle() {
    let who = who2006();
    let chart = who.chart(Indicator::WeightForAge, Sex::Male, 0.0, 1826.0, 100);
    assert_eq!(chart.len(), 100);
    assert_eq!(chart[0].age_days, 0.0);
    assert!((chart[99].age_days - 1826.0).abs() < 1e-9);
    for point in &chart {
        assert!(point.values.windows(2).all(|w| w[0] < w[1]), "{point:?}");
        let lms = who
            .lms(Indicator::WeightForAge, Sex::Male, point.age_days)
            .unwrap();
        assert!((point.values[3] - lms.m).abs() < 1e-9);
    }
    // Ages the table does not cover are left out.
    let beyond = who.chart(Indicator::WeightForAge, Sex::Male, 1800.0, 1900.0, 11);
    assert_eq!(beyond.len(), 3);
}

#[test]
fn a_ward_table_in_the_same_columns_is_read_as_is() {
    // Made-up numbers in the schema, with a BOM, CRLF, other columns and blank lines.
    let csv = "\u{feff}indicator,unit,sex,age_months,L,M,S,note\r\n\
        weight_for_age,kg,female,0,1,3.0,0.1,x\r\n\
        \r\n\
        weight_for_age,kg,female,1,1,4.0,0.1,\r\n";
    let table = ReferenceTable::parse(csv).unwrap();
    let half = table
        .lms(Indicator::WeightForAge, Sex::Female, DAYS_PER_MONTH / 2.0)
        .unwrap();
    assert!((half.m - 3.5).abs() < 1e-12);
    assert_eq!(table.lms(Indicator::WeightForAge, Sex::Male, 0.0), None);
    assert_eq!(
        table.age_span(Indicator::HeadCircumferenceForAge, Sex::Female),
        None
    );
}

#[test]
fn a_finer_table_laid_over_replaces_rows_only_within_its_span() {
    let coarse = ReferenceTable::parse(
        "indicator,unit,sex,age_days,L,M,S\n\
         weight_for_age,kg,male,0,1,3.0,0.1\n\
         weight_for_age,kg,male,10,1,4.0,0.1\n\
         weight_for_age,kg,male,20,1,5.0,0.1\n",
    )
    .unwrap();
    let fine = ReferenceTable::parse(
        "indicator,unit,sex,age_days,L,M,S\n\
         weight_for_age,kg,male,0,1,3.5,0.1\n\
         weight_for_age,kg,male,5,1,3.6,0.1\n",
    )
    .unwrap();
    let table = coarse.overlay(fine);
    let m = |age| {
        table
            .lms(Indicator::WeightForAge, Sex::Male, age)
            .unwrap()
            .m
    };
    assert_eq!((m(0.0), m(5.0), m(10.0), m(20.0)), (3.5, 3.6, 4.0, 5.0));
    assert!((m(7.5) - 3.8).abs() < 1e-12);
}

#[test]
fn a_broken_table_says_which_line_and_why() {
    let header = "indicator,unit,sex,age_months,L,M,S";
    let error = |body: &str| {
        ReferenceTable::parse(&format!("{header}\n{body}"))
            .unwrap_err()
            .to_string()
    };
    let good = "weight_for_age,kg,male,0,0.3487,3.3464,0.14602";
    assert_eq!(
        error(&format!("{good}\nweight_for_age,kg,male,1,0.2,abc,0.1")),
        "line 3: `M` is not a number: `abc`"
    );
    assert_eq!(
        error("weight_for_age,kg,boy,0,1,3,0.1"),
        "line 2: sex must be `male` or `female`, not `boy`"
    );
    assert_eq!(
        error("weight_for_age,g,male,0,1,3300,0.1"),
        "line 2: unit must be `kg`, not `g`"
    );
    assert_eq!(
        error("chest_for_age,cm,male,0,1,33,0.1"),
        "line 2: unknown indicator `chest_for_age`"
    );
    assert_eq!(
        error(&format!("{good}\n{good}")),
        "line 3: a second row for the same age"
    );
    assert_eq!(
        error("weight_for_age,kg,male,0,1,3"),
        "line 2: 6 fields, but the header has 7"
    );
    assert_eq!(
        error("\"weight_for_age\",kg,male,0,1,3,0.1"),
        "line 2: quoted fields are not read"
    );
    assert_eq!(
        error("weight_for_age,kg,male,-1,1,3,0.1"),
        "line 2: `age` is out of range"
    );
    assert_eq!(
        error("weight_for_age,kg,male,0,1,3,0"),
        "line 2: `S` is out of range"
    );
    assert_eq!(error(""), "line 1: the table has no rows");
    let parse = |csv: &str| ReferenceTable::parse(csv).unwrap_err().to_string();
    assert_eq!(
        parse("indicator,unit,sex,age_months,L,S\n"),
        "line 1: no column named `m`"
    );
    assert_eq!(
        parse("indicator,unit,sex,age_days,age_months,L,M,S\n"),
        "line 1: exactly one of `age_days`, `age_weeks`, `age_months` is needed"
    );
    assert_eq!(
        parse("indicator,unit,sex,age_days,measure,L,M,S\nweight_for_age,kg,male,0,length,1,3,0.1"),
        "line 2: only length_height_for_age rows have a measure"
    );
    assert_eq!(parse(""), "line 1: the table has no rows");
}

proptest! {
    /// The value drawn at a centile reads back as that centile, for every indicator, sex
    /// and age the WHO reference covers.
    #[test]
    fn the_centile_of_the_value_at_a_centile_is_that_centile(
        indicator in prop::sample::select(Indicator::ALL.to_vec()),
        male in any::<bool>(),
        age_days in 0.0..1826.25_f64,
        percentile in 0.1..99.9_f64,
    ) {
        let sex = if male { Sex::Male } else { Sex::Female };
        let who = who2006();
        let value = who.value_at_percentile(indicator, sex, age_days, percentile).unwrap();
        let back = who.assess(indicator, sex, age_days, value).unwrap().percentile;
        prop_assert!((back - percentile).abs() < 1e-8, "{percentile} -> {value} -> {back}");
    }
}
