//! What deleting an account does to the gifts made from its address. Donations are accounting
//! documents of the organisation (Legea contabilității 82/1991, art. 25: supporting documents are
//! kept for the legal term), so a donation whose money moved or may still move keeps the donor's
//! name, as its receipt has it; everything else that names or reaches the donor goes, and nothing
//! shows them publicly any more.
use super::states::{DonationStatus, GiftStatus};

/// Does the donation keep the donor's name after they delete their account? Only when money came,
/// may still come (the provider may confirm a pending or processing payment later) or went back
/// (a refund reverses an entry the receipt stands behind). Failed and cancelled ones never were.
pub fn donation_keeps_donor_name(status: DonationStatus) -> bool {
    !matches!(status, DonationStatus::Failed | DonationStatus::Cancelled)
}

/// Is the monthly gift still a running agreement with the provider? Then it keeps the name and
/// address its monthly receipts and management link go to (the donor stops it through that link,
/// which needs no account); only its public name is hidden. A cancelled one is blanked.
pub fn gift_still_running(status: GiftStatus) -> bool {
    status != GiftStatus::Cancelled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn donations_where_money_moved_keep_the_name_for_the_books() {
        use DonationStatus::*;
        for s in [Paid, Refunded, Pending, Processing] {
            assert!(donation_keeps_donor_name(s), "{s:?}");
        }
        assert!(!donation_keeps_donor_name(Failed));
        assert!(!donation_keeps_donor_name(Cancelled));
    }

    #[test]
    fn running_gifts_keep_reaching_their_donor() {
        assert!(gift_still_running(GiftStatus::Active));
        assert!(gift_still_running(GiftStatus::Paused));
        assert!(gift_still_running(GiftStatus::PastDue));
        assert!(!gift_still_running(GiftStatus::Cancelled));
    }
}
