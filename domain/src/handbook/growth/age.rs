//! The age a measurement is plotted at: days since birth, or for a baby born before 37
//! weeks, days since birth less the weeks it came early (corrected age), until it is two.

use serde::{Deserialize, Serialize};

use super::DAYS_PER_MONTH;
use crate::dates::Day;
use crate::handbook::pregnancy::GestationalAge;

/// Born before this is preterm (37 weeks 0 days).
const PRETERM_BEFORE_DAYS: u32 = 37 * 7;
/// Corrected age is used while the chronological age is under 24 months (730.5 days, the
/// age at which WHO's tables turn from length to height).
const CORRECTED_UNDER_DAYS: f64 = 24.0 * DAYS_PER_MONTH;

/// The age to plot at, in days (negative for a preterm baby measured before its due
/// date: the reference curves start at 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartAge {
    pub days: i64,
    /// Whether `days` is corrected for prematurity.
    pub corrected: bool,
}

/// The age to plot a measurement taken `on` at, for a child `born` then at
/// `gestation_at_birth` (unknown: no correction). Corrected age is chronological age
/// minus (40 weeks − gestational age at birth), for babies born before 37 weeks, until
/// the chronological age reaches 24 months. `None` for a day before the birth.
pub fn chart_age(
    born: Day,
    on: Day,
    gestation_at_birth: Option<GestationalAge>,
) -> Option<ChartAge> {
    let days = on.days_from_epoch() - born.days_from_epoch();
    if days < 0 {
        return None;
    }
    let early_by = gestation_at_birth
        .filter(|ga| ga.total_days() < PRETERM_BEFORE_DAYS && (days as f64) < CORRECTED_UNDER_DAYS)
        .map(|ga| i64::from(GestationalAge::TERM.total_days() - ga.total_days()));
    Some(match early_by {
        Some(early_by) => ChartAge {
            days: days - early_by,
            corrected: true,
        },
        None => ChartAge {
            days,
            corrected: false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    fn ga(weeks: u32, days: u32) -> Option<GestationalAge> {
        GestationalAge::new(weeks, days)
    }

    #[test]
    fn a_baby_born_at_32_weeks_is_plotted_eight_weeks_younger() {
        let born = day("2026-01-10");
        // 100 days old, 8 weeks (56 days) early: 44 days corrected.
        let age = chart_age(born, born.add_days(100), ga(32, 0)).unwrap();
        assert_eq!(
            age,
            ChartAge {
                days: 44,
                corrected: true
            }
        );
        // 34w3d: 5w4d = 39 days early.
        assert_eq!(
            chart_age(born, born.add_days(60), ga(34, 3)).unwrap().days,
            21
        );
    }

    #[test]
    fn before_the_due_date_a_preterm_baby_has_a_negative_corrected_age() {
        let born = day("2026-03-01");
        let age = chart_age(born, born.add_days(14), ga(30, 0)).unwrap();
        assert_eq!(
            age,
            ChartAge {
                days: -56,
                corrected: true
            }
        );
    }

    #[test]
    fn term_and_unknown_gestation_are_not_corrected() {
        let born = day("2026-01-10");
        let on = day("2026-04-20");
        for gestation in [ga(37, 0), ga(40, 0), ga(42, 1), None] {
            assert_eq!(
                chart_age(born, on, gestation),
                Some(ChartAge {
                    days: 100,
                    corrected: false
                }),
                "{gestation:?}"
            );
        }
        // 36w6d is still preterm.
        assert!(chart_age(born, on, ga(36, 6)).unwrap().corrected);
    }

    #[test]
    fn correction_stops_at_24_months() {
        let born = day("2025-01-01");
        let at = |days: i64| chart_age(born, born.add_days(days), ga(28, 0)).unwrap();
        assert_eq!(
            at(730),
            ChartAge {
                days: 730 - 84,
                corrected: true
            }
        );
        assert_eq!(
            at(731),
            ChartAge {
                days: 731,
                corrected: false
            }
        );
    }

    #[test]
    fn a_day_before_the_birth_has_no_age() {
        let born = day("2026-01-10");
        assert_eq!(chart_age(born, born.add_days(-1), None), None);
        assert_eq!(
            chart_age(born, born, None),
            Some(ChartAge {
                days: 0,
                corrected: false
            })
        );
    }
}
