//! Money in integer bani (1 leu = 100 bani), never a float, and a payment provider's published
//! card fee: shared by the donations feature and the payment port below it.
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
