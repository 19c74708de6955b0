//! The LMS method (Cole 1990): a measurement's z-score and centile from a reference's
//! L (skewness, Box-Cox power), M (median) and S (coefficient of variation) at an age, and
//! back from a z-score to the measurement, as the WHO Child Growth Standards define them.

use serde::{Deserialize, Serialize};

/// The three LMS parameters of a reference at one age.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Lms {
    pub l: f64,
    pub m: f64,
    pub s: f64,
}

/// How z-scores far from the median are computed.
///
/// WHO fits weight with a skewed LMS curve whose far tails it does not trust, so beyond
/// ±3 SD it measures distance in steps of the 2→3 SD distance instead ("restricted
/// application of the LMS method"): WHO Multicentre Growth Reference Study Group, *WHO Child
/// Growth Standards: Methods and development* (WHO, 2006), chapter 7, "Computation of
/// centiles and z-scores"; the same rule is `compute_zscore_adjusted` in WHO's own R package
/// `anthro`, used there for weight-for-age but not for length/height-for-age or head
/// circumference-for-age (whose L is 1 anyway, a normal distribution).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tails {
    /// The LMS formula at every z.
    Lms,
    /// The LMS formula within ±3 SD, straight lines beyond.
    Restricted,
}

impl Lms {
    /// The measurement at z-score `z`: M·(1 + L·S·z)^(1/L), or M·e^(S·z) when L is 0.
    /// `None` where that has no positive value (a z so far out that the curve ends).
    pub fn value_at(self, z: f64, tails: Tails) -> Option<f64> {
        let value = match tails {
            Tails::Restricted if z > 3.0 => {
                let sd3 = self.plain_value(3.0)?;
                sd3 + (z - 3.0) * (sd3 - self.plain_value(2.0)?)
            }
            Tails::Restricted if z < -3.0 => {
                let sd3 = self.plain_value(-3.0)?;
                sd3 + (z + 3.0) * (self.plain_value(-2.0)? - sd3)
            }
            _ => self.plain_value(z)?,
        };
        (value.is_finite() && value > 0.0).then_some(value)
    }

    /// The z-score of a measurement; `None` unless it is a positive number.
    pub fn z_score(self, value: f64, tails: Tails) -> Option<f64> {
        if !(value.is_finite() && value > 0.0) {
            return None;
        }
        let z = if self.l == 0.0 {
            (value / self.m).ln() / self.s
        } else {
            ((value / self.m).powf(self.l) - 1.0) / (self.l * self.s)
        };
        let z = match tails {
            Tails::Restricted if z > 3.0 => {
                let sd3 = self.plain_value(3.0)?;
                3.0 + (value - sd3) / (sd3 - self.plain_value(2.0)?)
            }
            Tails::Restricted if z < -3.0 => {
                let sd3 = self.plain_value(-3.0)?;
                -3.0 + (value - sd3) / (self.plain_value(-2.0)? - sd3)
            }
            _ => z,
        };
        z.is_finite().then_some(z)
    }

    fn plain_value(self, z: f64) -> Option<f64> {
        let value = if self.l == 0.0 {
            self.m * (self.s * z).exp()
        } else {
            let base = 1.0 + self.l * self.s * z;
            if base <= 0.0 {
                return None;
            }
            self.m * base.powf(1.0 / self.l)
        };
        value.is_finite().then_some(value)
    }
}

/// The centile (0–100) of a z-score: 100·Φ(z), Φ the standard normal distribution.
pub fn percentile_of(z: f64) -> f64 {
    50.0 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The z-score of a centile strictly between 0 and 100: Φ⁻¹(p/100).
///
/// P. J. Acklam's rational approximation of the normal quantile (relative error below
/// 1.15e-9), then one Halley step against `libm::erfc`, which brings it to about the
/// precision of an `f64`.
pub fn z_of_percentile(percentile: f64) -> Option<f64> {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.024_25;

    let p = percentile / 100.0;
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - P_LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    let e = 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    Some(x - u / (1.0 + x * u / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEIGHT_BOY_AT_BIRTH: Lms = Lms {
        l: 0.3487,
        m: 3.3464,
        s: 0.14602,
    };

    #[test]
    fn the_median_has_z_zero_and_centile_fifty() {
        let lms = WEIGHT_BOY_AT_BIRTH;
        assert_eq!(lms.z_score(lms.m, Tails::Lms), Some(0.0));
        assert_eq!(percentile_of(0.0), 50.0);
        assert!((lms.value_at(0.0, Tails::Restricted).unwrap() - lms.m).abs() < 1e-12);
    }

    #[test]
    fn known_normal_quantiles_come_back() {
        // Φ(1.959963984540054) = 0.975 and Φ(-1) = 0.158655253931457 (any statistics table).
        assert!((z_of_percentile(97.5).unwrap() - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((percentile_of(-1.0) - 15.865_525_393_145_7).abs() < 1e-10);
        for p in [0.001, 1.0, 2.425, 3.0, 50.0, 97.0, 99.999] {
            let back = percentile_of(z_of_percentile(p).unwrap());
            assert!((back - p).abs() < 1e-9 * p.max(1.0), "{p} -> {back}");
        }
        assert_eq!(z_of_percentile(0.0), None);
        assert_eq!(z_of_percentile(100.0), None);
        assert_eq!(z_of_percentile(f64::NAN), None);
    }

    #[test]
    fn beyond_three_sd_weight_goes_in_steps_of_the_two_to_three_sd_distance() {
        let lms = WEIGHT_BOY_AT_BIRTH;
        let sd2 = lms.value_at(2.0, Tails::Lms).unwrap();
        let sd3 = lms.value_at(3.0, Tails::Lms).unwrap();
        let four = lms.value_at(4.0, Tails::Restricted).unwrap();
        assert!((four - (sd3 + (sd3 - sd2))).abs() < 1e-12);
        assert!((lms.z_score(four, Tails::Restricted).unwrap() - 4.0).abs() < 1e-12);
        // The plain LMS curve would call that weight something else.
        assert!((lms.z_score(four, Tails::Lms).unwrap() - 4.0).abs() > 0.01);
        let low = lms.value_at(-3.5, Tails::Restricted).unwrap();
        assert!((lms.z_score(low, Tails::Restricted).unwrap() + 3.5).abs() < 1e-12);
        // Within ±3 SD both rules agree.
        let x = lms.value_at(2.5, Tails::Lms).unwrap();
        assert_eq!(
            lms.z_score(x, Tails::Lms),
            lms.z_score(x, Tails::Restricted)
        );
    }

    #[test]
    fn nonsense_measurements_have_no_z_score() {
        let lms = WEIGHT_BOY_AT_BIRTH;
        assert_eq!(lms.z_score(0.0, Tails::Lms), None);
        assert_eq!(lms.z_score(-1.0, Tails::Restricted), None);
        assert_eq!(lms.z_score(f64::NAN, Tails::Lms), None);
        // Far below the restricted line there is no positive weight.
        assert_eq!(lms.value_at(-40.0, Tails::Restricted), None);
    }
}
