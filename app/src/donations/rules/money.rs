//! Money rules of donations (amounts are integer bani, `types::money`): what a gift charges when
//! the donor covers the fee, a campaign's bounds and its preset amounts.
use crate::i18n::K;
use crate::types::money::{Bani, FeeRule};

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
    use crate::types::money::{NETOPIA_FEE, STRIPE_FEE};

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
