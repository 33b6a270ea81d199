//! Who initiated the draft, as the Administrative Code (OUG 57/2019) names them: a local council's
//! decisions are proposed by the mayor, the deputy mayor, local councillors or citizens; a county
//! council's by its president, a vice-president, county councillors or citizens. Ministries and
//! other central authorities consult on their own drafts under the same Law 52.
use crate::i18n::K;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Initiator {
    Mayor,
    DeputyMayor,
    LocalCouncillors,
    CountyPresident,
    CountyVicePresident,
    CountyCouncillors,
    Citizens,
    CentralAuthority,
}

impl Initiator {
    pub const ALL: [Initiator; 8] = [
        Initiator::Mayor,
        Initiator::DeputyMayor,
        Initiator::LocalCouncillors,
        Initiator::CountyPresident,
        Initiator::CountyVicePresident,
        Initiator::CountyCouncillors,
        Initiator::Citizens,
        Initiator::CentralAuthority,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Initiator::Mayor => "mayor",
            Initiator::DeputyMayor => "deputy_mayor",
            Initiator::LocalCouncillors => "local_councillors",
            Initiator::CountyPresident => "county_president",
            Initiator::CountyVicePresident => "county_vice_president",
            Initiator::CountyCouncillors => "county_councillors",
            Initiator::Citizens => "citizens",
            Initiator::CentralAuthority => "central_authority",
        }
    }

    pub fn from_code(code: &str) -> Option<Initiator> {
        Initiator::ALL.into_iter().find(|i| i.code() == code.trim())
    }

    pub fn label(self) -> K {
        match self {
            Initiator::Mayor => K::consultations_initiator_mayor,
            Initiator::DeputyMayor => K::consultations_initiator_deputy_mayor,
            Initiator::LocalCouncillors => K::consultations_initiator_local_councillors,
            Initiator::CountyPresident => K::consultations_initiator_county_president,
            Initiator::CountyVicePresident => K::consultations_initiator_county_vice_president,
            Initiator::CountyCouncillors => K::consultations_initiator_county_councillors,
            Initiator::Citizens => K::consultations_initiator_citizens,
            Initiator::CentralAuthority => K::consultations_initiator_central_authority,
        }
    }
}

/// The label of a stored code; consultations made before the field existed have none.
pub fn initiator_label(code: &str) -> Option<K> {
    Initiator::from_code(code).map(Initiator::label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknowns_are_refused() {
        for i in Initiator::ALL {
            assert_eq!(Initiator::from_code(i.code()), Some(i));
        }
        assert_eq!(Initiator::from_code(" mayor "), Some(Initiator::Mayor));
        for bad in ["", "Mayor", "council", "primar", "mayor;drop"] {
            assert_eq!(Initiator::from_code(bad), None, "{bad}");
        }
        assert_eq!(initiator_label(""), None);
        assert_eq!(initiator_label("citizens"), Some(K::consultations_initiator_citizens));
    }
}
