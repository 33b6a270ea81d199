//! A monthly gift managed through its mailed link: what the donor may change and how each of their
//! actions moves the gift.
use super::money::check_bounds;
use super::states::{GiftEvent, GiftStatus};
use crate::i18n::K;
use crate::types::money::Bani;

/// Through the link a donor may lower the monthly amount, never raise it: a link read by someone
/// else must not be able to charge the donor more. Giving more starts a new checkout.
pub fn link_may_set_amount(current_bani: i64, new_bani: i64) -> bool {
    new_bani <= current_bani
}

/// The new monthly amount typed through the link: lei, within the campaign's bounds, not above
/// what the donor gives now (`current_bani`, fee included).
pub fn new_monthly_amount(raw: &str, current_bani: i64, min_bani: i64, max_bani: i64) -> Result<Bani, K> {
    Bani::parse_lei(raw).and_then(|b| check_bounds(b, min_bani, max_bani)).and_then(|b| {
        if link_may_set_amount(current_bani, b.0) {
            Ok(b)
        } else {
            Err(K::donations_err_gift_raise)
        }
    })
}

/// The donor's button (`pause`, `resume`, `cancel`) as the gift's event and the state it leads to.
pub fn donor_action(action: &str) -> Option<(GiftEvent, GiftStatus)> {
    match action {
        "pause" => Some((GiftEvent::DonorPaused, GiftStatus::Paused)),
        "resume" => Some((GiftEvent::DonorResumed, GiftStatus::Active)),
        "cancel" => Some((GiftEvent::Cancelled, GiftStatus::Cancelled)),
        _ => None,
    }
}

/// What the mail to the donor says was done.
pub fn action_notice(ev: GiftEvent) -> K {
    match ev {
        GiftEvent::DonorPaused => K::donations_gift_paused_notice,
        GiftEvent::DonorResumed => K::donations_gift_resumed_notice,
        _ => K::donations_gift_cancelled_notice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_only_lowers_the_amount_within_the_bounds() {
        assert_eq!(new_monthly_amount("30", 5_178, 1_000, 100_000), Ok(Bani(3_000)));
        assert_eq!(new_monthly_amount("51,78", 5_178, 1_000, 100_000), Ok(Bani(5_178)));
        assert_eq!(new_monthly_amount("60", 5_178, 1_000, 100_000), Err(K::donations_err_gift_raise));
        assert_eq!(new_monthly_amount("5", 5_178, 1_000, 100_000), Err(K::donations_err_amount_min));
        assert_eq!(new_monthly_amount("x", 5_178, 1_000, 100_000), Err(K::donations_err_amount_invalid));
    }

    #[test]
    fn donor_actions() {
        assert_eq!(donor_action("pause"), Some((GiftEvent::DonorPaused, GiftStatus::Paused)));
        assert_eq!(donor_action("resume"), Some((GiftEvent::DonorResumed, GiftStatus::Active)));
        assert_eq!(donor_action("cancel"), Some((GiftEvent::Cancelled, GiftStatus::Cancelled)));
        assert_eq!(donor_action("raise"), None);
        assert_eq!(action_notice(GiftEvent::DonorPaused), K::donations_gift_paused_notice);
        assert_eq!(action_notice(GiftEvent::Cancelled), K::donations_gift_cancelled_notice);
    }
}
