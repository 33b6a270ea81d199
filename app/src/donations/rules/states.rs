//! The life of a donation, of a monthly gift and of a campaign. Providers deliver events late, twice
//! or out of order, so every transition is a pure function that says whether the event changes
//! anything; the database applies it with a conditional update (`WHERE status IN (…from)`), so a
//! duplicate or late event is a no-op and totals stay exact.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DonationStatus {
    /// Created by Participa; the donor is on the provider's page.
    Pending,
    /// The donor finished checkout with a delayed method (e.g. bank transfer); money not yet in.
    Processing,
    Paid,
    Failed,
    Cancelled,
    /// Refunded or lost to a dispute: the ledger has a reversing entry.
    Refunded,
}

impl DonationStatus {
    pub const ALL: [DonationStatus; 6] = [
        DonationStatus::Pending,
        DonationStatus::Processing,
        DonationStatus::Paid,
        DonationStatus::Failed,
        DonationStatus::Cancelled,
        DonationStatus::Refunded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DonationStatus::Pending => "pending",
            DonationStatus::Processing => "processing",
            DonationStatus::Paid => "paid",
            DonationStatus::Failed => "failed",
            DonationStatus::Cancelled => "cancelled",
            DonationStatus::Refunded => "refunded",
        }
    }

    pub fn parse(code: &str) -> Option<DonationStatus> {
        DonationStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The states an event may move a donation *from* to reach `self`. Money that really arrived
    /// wins over a decline or a cancel seen earlier (the donor may retry on the same checkout), and a
    /// refund is final whatever order the events came in.
    pub fn reachable_from(self) -> &'static [DonationStatus] {
        use DonationStatus::*;
        match self {
            Pending => &[],
            Processing => &[Pending],
            Paid => &[Pending, Processing, Failed, Cancelled],
            Failed => &[Pending, Processing],
            Cancelled => &[Pending],
            Refunded => &[Pending, Processing, Paid, Failed, Cancelled],
        }
    }

    pub fn can_become(self, next: DonationStatus) -> bool {
        next.reachable_from().contains(&self)
    }

    /// Whether the donation may still end up paid (the return page keeps polling).
    pub fn is_open(self) -> bool {
        matches!(self, DonationStatus::Pending | DonationStatus::Processing)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GiftStatus {
    /// Checkout not finished yet.
    Pending,
    Active,
    /// The last renewal failed; the provider retries, the donor was e-mailed.
    PastDue,
    /// Paused by the donor: no renewals until resumed.
    Paused,
    Cancelled,
}

/// What can happen to a monthly gift.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GiftEvent {
    CheckoutCompleted,
    RenewalPaid,
    RenewalFailed,
    DonorPaused,
    DonorResumed,
    Cancelled,
}

impl GiftStatus {
    pub const ALL: [GiftStatus; 5] =
        [GiftStatus::Pending, GiftStatus::Active, GiftStatus::PastDue, GiftStatus::Paused, GiftStatus::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            GiftStatus::Pending => "pending",
            GiftStatus::Active => "active",
            GiftStatus::PastDue => "past_due",
            GiftStatus::Paused => "paused",
            GiftStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<GiftStatus> {
        GiftStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The next state, or `None` when the event does not apply (a late or repeated event).
    pub fn on(self, ev: GiftEvent) -> Option<GiftStatus> {
        use GiftEvent::*;
        use GiftStatus::*;
        match (self, ev) {
            (GiftStatus::Cancelled, _) => None,
            (_, GiftEvent::Cancelled) => Some(GiftStatus::Cancelled),
            (Pending, CheckoutCompleted | RenewalPaid) => Some(Active),
            (PastDue, RenewalPaid) => Some(Active),
            (Active | Pending, RenewalFailed) => Some(PastDue),
            (Active | PastDue, DonorPaused) => Some(Paused),
            (Paused, DonorResumed) => Some(Active),
            _ => None,
        }
    }

    /// The states from which `ev` leads to `to` (for the conditional update in SQL).
    pub fn sources(ev: GiftEvent, to: GiftStatus) -> Vec<GiftStatus> {
        GiftStatus::ALL.into_iter().filter(|s| s.on(ev) == Some(to)).collect()
    }

    /// The donor may change the amount while the gift is running.
    pub fn can_change_amount(self) -> bool {
        matches!(self, GiftStatus::Active | GiftStatus::Paused | GiftStatus::PastDue)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignStatus {
    Draft,
    Live,
    Ended,
    Archived,
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 4] =
        [CampaignStatus::Draft, CampaignStatus::Live, CampaignStatus::Ended, CampaignStatus::Archived];

    pub fn code(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Live => "live",
            CampaignStatus::Ended => "ended",
            CampaignStatus::Archived => "archived",
        }
    }

    pub fn parse(code: &str) -> Option<CampaignStatus> {
        CampaignStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// draft → live → ended → archived; a draft may be archived unpublished, an ended one reopened.
    pub fn can_become(self, next: CampaignStatus) -> bool {
        use CampaignStatus::*;
        matches!((self, next), (Draft, Live) | (Draft, Archived) | (Live, Ended) | (Ended, Live) | (Ended, Archived))
    }

    /// A campaign takes gifts while live and before its end date.
    pub fn accepts_gifts(self, ends_at: Option<i64>, now: i64) -> bool {
        self == CampaignStatus::Live && ends_at.is_none_or(|e| now < e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DonationStatus::*;

    #[test]
    fn donation_transitions() {
        assert!(Pending.can_become(Paid));
        assert!(Processing.can_become(Paid));
        assert!(Pending.can_become(Processing));
        assert!(!Paid.can_become(Processing), "a late 'completed, unpaid' does not undo a payment");
        assert!(!Paid.can_become(Failed), "a late failure does not undo a payment");
        assert!(!Paid.can_become(Paid), "a duplicate does nothing");
        assert!(Failed.can_become(Paid), "the donor retried on the same checkout");
        assert!(Paid.can_become(Refunded));
        assert!(Pending.can_become(Refunded), "a refund seen before the payment still wins");
        assert!(!Refunded.can_become(Paid), "and the payment seen after it changes nothing");
        for s in DonationStatus::ALL {
            assert!(!Refunded.can_become(s));
            assert_eq!(DonationStatus::parse(s.code()), Some(s));
            assert!(!s.can_become(Pending));
        }
        assert!(Pending.is_open() && Processing.is_open() && !Paid.is_open());
    }

    #[test]
    fn every_order_of_pay_and_refund_ends_refunded() {
        // Apply the events in both orders: the final state must be the same.
        let apply = |mut s: DonationStatus, evs: &[DonationStatus]| {
            for e in evs {
                if s.can_become(*e) {
                    s = *e;
                }
            }
            s
        };
        assert_eq!(apply(Pending, &[Processing, Paid, Refunded]), Refunded);
        assert_eq!(apply(Pending, &[Refunded, Paid, Processing]), Refunded);
        assert_eq!(apply(Pending, &[Paid, Processing]), Paid);
        assert_eq!(apply(Pending, &[Processing, Paid]), Paid);
        assert_eq!(apply(Pending, &[Failed, Paid]), Paid);
        assert_eq!(apply(Pending, &[Paid, Failed]), Paid);
    }

    #[test]
    fn monthly_gift_transitions() {
        use GiftEvent::*;
        use GiftStatus::*;
        assert_eq!(GiftStatus::Pending.on(CheckoutCompleted), Some(Active));
        assert_eq!(Active.on(CheckoutCompleted), None, "duplicate");
        assert_eq!(Active.on(RenewalFailed), Some(PastDue));
        assert_eq!(PastDue.on(RenewalPaid), Some(Active));
        assert_eq!(Active.on(DonorPaused), Some(Paused));
        assert_eq!(Paused.on(DonorPaused), None);
        assert_eq!(Paused.on(DonorResumed), Some(Active));
        assert_eq!(Paused.on(RenewalPaid), None, "no renewals while paused");
        assert_eq!(Active.on(GiftEvent::Cancelled), Some(GiftStatus::Cancelled));
        assert_eq!(GiftStatus::Cancelled.on(RenewalPaid), None, "cancelled is final");
        assert_eq!(GiftStatus::Cancelled.on(DonorResumed), None);
        let mut from = GiftStatus::sources(CheckoutCompleted, Active);
        from.sort_by_key(|s| s.code());
        assert_eq!(from, vec![GiftStatus::Pending]);
        assert!(Paused.can_change_amount() && !GiftStatus::Cancelled.can_change_amount());
    }

    #[test]
    fn campaign_transitions() {
        use CampaignStatus::*;
        assert!(Draft.can_become(Live) && Live.can_become(Ended) && Ended.can_become(Archived));
        assert!(!Archived.can_become(Live) && !Live.can_become(Draft) && !Draft.can_become(Ended));
        assert!(Live.accepts_gifts(None, 100));
        assert!(Live.accepts_gifts(Some(200), 100));
        assert!(!Live.accepts_gifts(Some(100), 100));
        assert!(!Draft.accepts_gifts(None, 100));
    }
}
