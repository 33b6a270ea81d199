//! Money is integer bani (1 leu = 100 bani) with its currency; never a float. Amounts typed by
//! people are parsed here once, and the fee a donor may choose to cover follows the provider's
//! published rule in one function.
use crate::i18n::K;
use serde::{Deserialize, Serialize};

pub const CURRENCY: &str = "RON";

/// A positive amount in bani.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Bani(pub i64);

impl Bani {
    /// Parses what a person types in lei: "50", "50,5", "1.234,50", "1234.50", "1 234,50 lei".
    /// A lone separator followed by exactly three digits is read as thousands ("1.234" = 1234 lei).
    pub fn parse_lei(raw: &str) -> Result<Bani, K> {
        let s: String = raw
            .trim()
            .trim_end_matches("lei")
            .trim_end_matches("RON")
            .trim_start_matches("RON")
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        if s.is_empty() {
            return Err(K::donations_err_amount_required);
        }
        if !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
            return Err(K::donations_err_amount_invalid);
        }
        // The last separator followed by one or two digits is the decimal point; every other one groups thousands.
        let last_sep = s.rfind(['.', ',']);
        let (whole, frac) = match last_sep {
            Some(i) if s.len() - i - 1 <= 2 => (&s[..i], &s[i + 1..]),
            _ => (s.as_str(), ""),
        };
        // Grouping separators must split the whole part into groups of three.
        let groups: Vec<&str> = whole.split(['.', ',']).collect();
        if groups.len() > 1 && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
        {
            return Err(K::donations_err_amount_invalid);
        }
        let digits: String = groups.concat();
        if digits.is_empty() || digits.len() > 9 {
            return Err(K::donations_err_amount_invalid);
        }
        let lei: i64 = digits.parse().map_err(|_| K::donations_err_amount_invalid)?;
        let bani: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| K::donations_err_amount_invalid)? * 10,
            _ => frac.parse().map_err(|_| K::donations_err_amount_invalid)?,
        };
        let total = lei * 100 + bani;
        if total <= 0 {
            return Err(K::donations_err_amount_invalid);
        }
        Ok(Bani(total))
    }

    /// "50" or "50,50": the value put back into an amount field.
    pub fn to_input(self) -> String {
        if self.0 % 100 == 0 {
            (self.0 / 100).to_string()
        } else {
            format!("{},{:02}", self.0 / 100, self.0 % 100)
        }
    }
}

/// A provider's published card fee: `bps` hundredths of a percent of the charge plus a fixed part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRule {
    pub bps: i64,
    pub fixed_bani: i64,
}

/// Stripe's published rate for standard EEA cards charged by a Romanian account: 1.5 % + 1 leu.
pub const STRIPE_FEE: FeeRule = FeeRule { bps: 150, fixed_bani: 100 };
/// Netopia's published standard card rate: 2 % + 0,50 lei (configurable by the deployment).
pub const NETOPIA_FEE: FeeRule = FeeRule { bps: 200, fixed_bani: 50 };

impl FeeRule {
    /// The provider's fee on a charge, rounded up to the next ban (providers never round in our favour).
    pub fn fee_on(self, charge: i64) -> i64 {
        (charge * self.bps + 9_999) / 10_000 + self.fixed_bani
    }

    /// What to charge so that, after the provider's fee, the organisation receives at least `gift`;
    /// returns (charge, fee covered by the donor).
    pub fn cover(self, gift: i64) -> (i64, i64) {
        // charge − ceil(charge·bps/10000) − fixed ≥ gift  ⇐  charge = ceil((gift + fixed)·10000 / (10000 − bps)).
        let mut charge = ((gift + self.fixed_bani) * 10_000 + (10_000 - self.bps - 1)) / (10_000 - self.bps);
        // The ceiling of the fee can still take one ban too many: step up until the gift is whole.
        while charge - self.fee_on(charge) < gift {
            charge += 1;
        }
        (charge, charge - gift)
    }
}

/// The amount a donation charges: the gift, plus the fee when the donor chose to cover it.
pub fn charge_for(rule: FeeRule, gift: Bani, cover_fee: bool) -> (i64, i64) {
    if cover_fee {
        rule.cover(gift.0)
    } else {
        (gift.0, 0)
    }
}

/// Checks a gift against a campaign's bounds (in bani).
pub fn check_bounds(gift: Bani, min: i64, max: i64) -> Result<Bani, K> {
    if gift.0 < min {
        Err(K::donations_err_amount_min)
    } else if gift.0 > max {
        Err(K::donations_err_amount_max)
    } else {
        Ok(gift)
    }
}

/// "25, 50, 100, 250" (lei) → bani, sorted, without repeats; at most eight.
pub fn parse_presets(raw: &str) -> Result<Vec<i64>, K> {
    let mut out = Vec::new();
    for part in raw.split([';', ' ', '/']).flat_map(|p| p.split(", ")).map(str::trim).filter(|p| !p.is_empty()) {
        let b = Bani::parse_lei(part.trim_end_matches(',')).map_err(|_| K::donations_err_presets)?;
        out.push(b.0);
    }
    out.sort_unstable();
    out.dedup();
    if out.is_empty() || out.len() > 8 {
        return Err(K::donations_err_presets);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_typed_in_lei_become_bani() {
        for (raw, bani) in [
            ("50", 5_000),
            ("50,5", 5_050),
            ("50,50", 5_050),
            ("50.50", 5_050),
            ("1.234,50", 123_450),
            ("1,234.50", 123_450),
            ("1 234,50 lei", 123_450),
            ("1.234", 123_400),
            ("0,01", 1),
            (" 250 lei ", 25_000),
        ] {
            assert_eq!(Bani::parse_lei(raw), Ok(Bani(bani)), "{raw}");
        }
        assert_eq!(Bani::parse_lei(""), Err(K::donations_err_amount_required));
        for bad in ["abc", "-5", "0", "0,00", "1,2,3", "12.34.5", "1e3", "1234567890", ",5."] {
            assert!(Bani::parse_lei(bad).is_err(), "{bad}");
        }
        assert_eq!(Bani(5_000).to_input(), "50");
        assert_eq!(Bani(5_050).to_input(), "50,50");
        assert_eq!(crate::fmt::lei(crate::i18n::Lang::Ro, 123_450), "1.234,50 lei");
    }

    #[test]
    fn fee_rule_rounds_up_and_covering_leaves_the_whole_gift() {
        assert_eq!(STRIPE_FEE.fee_on(10_000), 250, "1,5 % of 100 lei + 1 leu");
        assert_eq!(STRIPE_FEE.fee_on(5_001), 176, "75,015 bani round up to 76");
        for gift in [100, 2_500, 5_000, 5_001, 10_000, 25_000, 99_999, 1_000_000] {
            for rule in [STRIPE_FEE, NETOPIA_FEE] {
                let (charge, fee) = rule.cover(gift);
                assert_eq!(charge, gift + fee);
                assert!(charge - rule.fee_on(charge) >= gift, "{gift}: the organisation gets the whole gift");
                assert!(charge - 1 - rule.fee_on(charge - 1) < gift, "{gift}: and not a ban more is charged");
            }
        }
        assert_eq!(STRIPE_FEE.cover(5_000), (5_178, 178));
        assert_eq!(charge_for(STRIPE_FEE, Bani(5_000), false), (5_000, 0));
    }

    #[test]
    fn bounds_and_presets() {
        assert_eq!(check_bounds(Bani(500), 1_000, 100_000), Err(K::donations_err_amount_min));
        assert_eq!(check_bounds(Bani(200_000), 1_000, 100_000), Err(K::donations_err_amount_max));
        assert_eq!(check_bounds(Bani(5_000), 1_000, 100_000), Ok(Bani(5_000)));
        assert_eq!(parse_presets("25, 50, 100, 250"), Ok(vec![2_500, 5_000, 10_000, 25_000]));
        assert_eq!(parse_presets("100 50 50"), Ok(vec![5_000, 10_000]));
        assert_eq!(parse_presets(""), Err(K::donations_err_presets));
        assert_eq!(parse_presets("x"), Err(K::donations_err_presets));
    }
}
