//! The map's domain rules, free of any database: the rating an audit earns and why, the badges,
//! how several audits combine, who may move a report to which state, and the legal clock of
//! OG 27/2002 (30 days to answer a petition, extendable once by 15, weekends and holidays rolled over).
use crate::calendar::is_working_day;
use crate::i18n::K;
use serde::{Deserialize, Serialize};

pub const CATEGORIES: &[&str] = &[
    "city_hall",
    "county_council",
    "prefecture",
    "school",
    "kindergarten",
    "university",
    "hospital",
    "clinic",
    "pharmacy",
    "post_office",
    "court",
    "police",
    "tax_office",
    "library",
    "museum",
    "theatre",
    "station",
    "church",
    "park",
    "other",
];

pub fn category_label(code: &str) -> K {
    match code {
        "city_hall" => K::map_cat_city_hall,
        "county_council" => K::map_cat_county_council,
        "prefecture" => K::map_cat_prefecture,
        "school" => K::map_cat_school,
        "kindergarten" => K::map_cat_kindergarten,
        "university" => K::map_cat_university,
        "hospital" => K::map_cat_hospital,
        "clinic" => K::map_cat_clinic,
        "pharmacy" => K::map_cat_pharmacy,
        "post_office" => K::map_cat_post_office,
        "court" => K::map_cat_court,
        "police" => K::map_cat_police,
        "tax_office" => K::map_cat_tax_office,
        "library" => K::map_cat_library,
        "museum" => K::map_cat_museum,
        "theatre" => K::map_cat_theatre,
        "station" => K::map_cat_station,
        "church" => K::map_cat_church,
        "park" => K::map_cat_park,
        _ => K::map_cat_other,
    }
}

/// OSM tags that describe a category (amenity/office/… as OpenStreetMap uses them).
pub fn category_osm(code: &str) -> &'static [(&'static str, &'static str)] {
    match code {
        "city_hall" => &[("amenity", "townhall"), ("townhall:type", "city")],
        "county_council" => &[("office", "government"), ("government", "administrative")],
        "prefecture" => &[("office", "government"), ("government", "prefecture")],
        "school" => &[("amenity", "school")],
        "kindergarten" => &[("amenity", "kindergarten")],
        "university" => &[("amenity", "university")],
        "hospital" => &[("amenity", "hospital")],
        "clinic" => &[("amenity", "clinic")],
        "pharmacy" => &[("amenity", "pharmacy")],
        "post_office" => &[("amenity", "post_office")],
        "court" => &[("amenity", "courthouse")],
        "police" => &[("amenity", "police")],
        "tax_office" => &[("office", "government"), ("government", "tax")],
        "library" => &[("amenity", "library")],
        "museum" => &[("tourism", "museum")],
        "theatre" => &[("amenity", "theatre")],
        "station" => &[("public_transport", "station")],
        "church" => &[("amenity", "place_of_worship")],
        "park" => &[("leisure", "park")],
        _ => &[],
    }
}

/// A structured audit. `None` is "unknown", `Some(false)` is "no": the two are never confused.
/// Field names follow OpenStreetMap keys / A11yJSON where one exists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Audit {
    pub step_free: Option<bool>,
    pub steps: Option<i64>,
    pub step_height_cm: Option<i64>,
    pub ramp: Option<bool>,
    pub ramp_removable: Option<bool>,
    pub ramp_slope_pct: Option<i64>,
    pub handrail: Option<bool>,
    pub door_width_cm: Option<i64>,
    pub automatic_door: Option<bool>,
    pub doorbell: Option<bool>,
    pub lift: Option<bool>,
    pub lift_all_floors: Option<bool>,
    pub toilet: Option<bool>,
    pub toilet_door_cm: Option<i64>,
    pub toilet_turning_space: Option<bool>,
    pub toilet_grab_bars: Option<bool>,
    pub parking: Option<bool>,
    pub parking_count: Option<i64>,
    pub parking_distance_m: Option<i64>,
    pub tactile_paving: Option<bool>,
    pub braille: Option<bool>,
    pub high_contrast: Option<bool>,
    pub audio_loop: Option<bool>,
    pub sign_language: Option<bool>,
    pub staff_trained: Option<bool>,
    pub notes_wheelchair: String,
    pub notes_blind: String,
    pub notes_deaf: String,
}

/// The yes/no/unknown fields of an audit, in form order: (field name, label).
pub const TRI_FIELDS: &[(&str, K)] = &[
    ("step_free", K::map_a_step_free),
    ("ramp", K::map_a_ramp),
    ("ramp_removable", K::map_a_ramp_removable),
    ("handrail", K::map_a_handrail),
    ("automatic_door", K::map_a_automatic_door),
    ("doorbell", K::map_a_doorbell),
    ("lift", K::map_a_lift),
    ("lift_all_floors", K::map_a_lift_all_floors),
    ("toilet", K::map_a_toilet),
    ("toilet_turning_space", K::map_a_toilet_turning_space),
    ("toilet_grab_bars", K::map_a_toilet_grab_bars),
    ("parking", K::map_a_parking),
    ("tactile_paving", K::map_a_tactile_paving),
    ("braille", K::map_a_braille),
    ("high_contrast", K::map_a_high_contrast),
    ("audio_loop", K::map_a_audio_loop),
    ("sign_language", K::map_a_sign_language),
    ("staff_trained", K::map_a_staff_trained),
];

/// The numeric fields: (field name, label, largest plausible value).
pub const NUM_FIELDS: &[(&str, K, i64)] = &[
    ("steps", K::map_a_steps, 200),
    ("step_height_cm", K::map_a_step_height_cm, 100),
    ("ramp_slope_pct", K::map_a_ramp_slope_pct, 100),
    ("door_width_cm", K::map_a_door_width_cm, 500),
    ("toilet_door_cm", K::map_a_toilet_door_cm, 500),
    ("parking_count", K::map_a_parking_count, 10_000),
    ("parking_distance_m", K::map_a_parking_distance_m, 10_000),
];

impl Audit {
    pub fn tri(&self, field: &str) -> Option<bool> {
        match field {
            "step_free" => self.step_free,
            "ramp" => self.ramp,
            "ramp_removable" => self.ramp_removable,
            "handrail" => self.handrail,
            "automatic_door" => self.automatic_door,
            "doorbell" => self.doorbell,
            "lift" => self.lift,
            "lift_all_floors" => self.lift_all_floors,
            "toilet" => self.toilet,
            "toilet_turning_space" => self.toilet_turning_space,
            "toilet_grab_bars" => self.toilet_grab_bars,
            "parking" => self.parking,
            "tactile_paving" => self.tactile_paving,
            "braille" => self.braille,
            "high_contrast" => self.high_contrast,
            "audio_loop" => self.audio_loop,
            "sign_language" => self.sign_language,
            "staff_trained" => self.staff_trained,
            _ => None,
        }
    }

    pub fn set_tri(&mut self, field: &str, v: Option<bool>) {
        let slot = match field {
            "step_free" => &mut self.step_free,
            "ramp" => &mut self.ramp,
            "ramp_removable" => &mut self.ramp_removable,
            "handrail" => &mut self.handrail,
            "automatic_door" => &mut self.automatic_door,
            "doorbell" => &mut self.doorbell,
            "lift" => &mut self.lift,
            "lift_all_floors" => &mut self.lift_all_floors,
            "toilet" => &mut self.toilet,
            "toilet_turning_space" => &mut self.toilet_turning_space,
            "toilet_grab_bars" => &mut self.toilet_grab_bars,
            "parking" => &mut self.parking,
            "tactile_paving" => &mut self.tactile_paving,
            "braille" => &mut self.braille,
            "high_contrast" => &mut self.high_contrast,
            "audio_loop" => &mut self.audio_loop,
            "sign_language" => &mut self.sign_language,
            "staff_trained" => &mut self.staff_trained,
            _ => return,
        };
        *slot = v;
    }

    pub fn num(&self, field: &str) -> Option<i64> {
        match field {
            "steps" => self.steps,
            "step_height_cm" => self.step_height_cm,
            "ramp_slope_pct" => self.ramp_slope_pct,
            "door_width_cm" => self.door_width_cm,
            "toilet_door_cm" => self.toilet_door_cm,
            "parking_count" => self.parking_count,
            "parking_distance_m" => self.parking_distance_m,
            _ => None,
        }
    }

    pub fn set_num(&mut self, field: &str, v: Option<i64>) {
        let slot = match field {
            "steps" => &mut self.steps,
            "step_height_cm" => &mut self.step_height_cm,
            "ramp_slope_pct" => &mut self.ramp_slope_pct,
            "door_width_cm" => &mut self.door_width_cm,
            "toilet_door_cm" => &mut self.toilet_door_cm,
            "parking_count" => &mut self.parking_count,
            "parking_distance_m" => &mut self.parking_distance_m,
            _ => return,
        };
        *slot = v;
    }

    /// Fills what this audit does not know from an older one (this one wins where both know).
    pub fn fill_from(&mut self, older: &Audit) {
        for (f, _) in TRI_FIELDS {
            if self.tri(f).is_none() {
                self.set_tri(f, older.tri(f));
            }
        }
        for (f, _, _) in NUM_FIELDS {
            if self.num(f).is_none() {
                self.set_num(f, older.num(f));
            }
        }
        for (mine, theirs) in [
            (&mut self.notes_wheelchair, &older.notes_wheelchair),
            (&mut self.notes_blind, &older.notes_blind),
            (&mut self.notes_deaf, &older.notes_deaf),
        ] {
            if mine.is_empty() {
                mine.clone_from(theirs);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Rating {
    Accessible,
    Partly,
    NotAccessible,
    Unknown,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Accessible, Rating::Partly, Rating::NotAccessible, Rating::Unknown];

    pub fn code(self) -> &'static str {
        match self {
            Rating::Accessible => "yes",
            Rating::Partly => "limited",
            Rating::NotAccessible => "no",
            Rating::Unknown => "unknown",
        }
    }

    pub fn parse(code: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> K {
        match self {
            Rating::Accessible => K::map_rating_yes,
            Rating::Partly => K::map_rating_limited,
            Rating::NotAccessible => K::map_rating_no,
            Rating::Unknown => K::map_rating_unknown,
        }
    }

    /// Sort order "best first" (used by the list's rating sort).
    pub fn rank(self) -> i64 {
        match self {
            Rating::Accessible => 0,
            Rating::Partly => 1,
            Rating::NotAccessible => 2,
            Rating::Unknown => 3,
        }
    }

    /// A symbol that tells the rating apart without colour (also drawn as a shape on the map).
    pub fn symbol(self) -> &'static str {
        match self {
            Rating::Accessible => "✓",
            Rating::Partly => "!",
            Rating::NotAccessible => "✕",
            Rating::Unknown => "?",
        }
    }
}

/// One sentence of why a place got its rating: a message and an optional number in it (`{n}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub key: K,
    pub n: Option<i64>,
}

fn reason(key: K) -> Reason {
    Reason { key, n: None }
}

fn reason_n(key: K, n: i64) -> Reason {
    Reason { key, n: Some(n) }
}

/// Wheelmap's anchor: one step of at most 7 cm still lets many wheelchair users in ("partly").
pub const SMALL_STEP_CM: i64 = 7;
/// Ramps up to 6 % are usable alone (Romanian NP 051 and most guides); up to 12 % with help.
pub const RAMP_OK_PCT: i64 = 6;
pub const RAMP_HARD_PCT: i64 = 12;
/// Door clear widths: 90 cm is the norm, 80 cm passes most chairs, below 70 cm most do not.
pub const DOOR_OK_CM: i64 = 90;
pub const DOOR_TIGHT_CM: i64 = 80;
pub const DOOR_BLOCKED_CM: i64 = 70;

/// The rating of a place from its (combined) audit, with its reasons in words.
/// The entrance decides; a narrow door or a lift that misses floors lowers it.
pub fn rate(a: &Audit) -> (Rating, Vec<Reason>) {
    let mut reasons = vec![];
    // 1. Entrance.
    let good_ramp = a.ramp == Some(true) && a.ramp_slope_pct.is_some_and(|s| s <= RAMP_OK_PCT);
    let mut rating = if a.step_free == Some(true) || a.steps == Some(0) {
        reasons.push(reason(K::map_why_step_free));
        Rating::Accessible
    } else if good_ramp && a.ramp_removable != Some(true) {
        reasons.push(reason_n(K::map_why_ramp_ok, a.ramp_slope_pct.unwrap_or(0)));
        Rating::Accessible
    } else if a.ramp == Some(true) {
        // A removable ramp needs someone to bring it; a steep or unmeasured one needs help.
        if a.ramp_removable == Some(true) {
            reasons.push(reason(K::map_why_ramp_removable));
        } else if let Some(s) = a.ramp_slope_pct {
            if s > RAMP_HARD_PCT {
                reasons.push(reason_n(K::map_why_ramp_too_steep, s));
            } else {
                reasons.push(reason_n(K::map_why_ramp_steep, s));
            }
        } else {
            reasons.push(reason(K::map_why_ramp_unmeasured));
        }
        match a.ramp_slope_pct {
            Some(s) if s > RAMP_HARD_PCT => Rating::NotAccessible,
            _ => Rating::Partly,
        }
    } else if a.steps == Some(1) && a.step_height_cm.is_some_and(|h| h <= SMALL_STEP_CM) {
        reasons.push(reason_n(K::map_why_one_small_step, a.step_height_cm.unwrap_or(0)));
        Rating::Partly
    } else if a.steps == Some(1) && a.step_height_cm.is_none() {
        reasons.push(reason(K::map_why_step_height_unknown));
        Rating::Unknown
    } else if let Some(n) = a.steps.filter(|n| *n >= 1) {
        reasons.push(reason_n(K::map_why_steps, n));
        Rating::NotAccessible
    } else if a.step_free == Some(false) {
        reasons.push(reason(K::map_why_not_step_free));
        Rating::NotAccessible
    } else {
        reasons.push(reason(K::map_why_entrance_unknown));
        Rating::Unknown
    };
    // 2. The door: a narrow door blocks even a step-free entrance.
    if let Some(w) = a.door_width_cm {
        if w < DOOR_BLOCKED_CM {
            reasons.push(reason_n(K::map_why_door_blocked, w));
            rating = Rating::NotAccessible;
        } else if w < DOOR_TIGHT_CM {
            reasons.push(reason_n(K::map_why_door_narrow, w));
            if rating == Rating::Accessible {
                rating = Rating::Partly;
            }
        } else if w < DOOR_OK_CM && rating == Rating::Accessible {
            reasons.push(reason_n(K::map_why_door_tight, w));
        }
    }
    // 3. Floors: a lift that does not reach every public floor leaves part of the building out.
    if a.lift_all_floors == Some(false) && rating == Rating::Accessible {
        reasons.push(reason(K::map_why_lift_partial));
        rating = Rating::Partly;
    }
    (rating, reasons)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Badges {
    pub toilet: bool,
    pub blind: bool,
    pub deaf: bool,
}

/// Badges shown beside the rating.
/// - toilet: an accessible toilet with turning space and grab bars, its door not under 80 cm;
/// - blind-friendly: tactile paving or braille, plus one more aid (high contrast, trained staff);
/// - deaf-friendly: an induction loop or a sign-language service.
pub fn badges(a: &Audit) -> Badges {
    let toilet = a.toilet == Some(true)
        && a.toilet_turning_space == Some(true)
        && a.toilet_grab_bars == Some(true)
        && a.toilet_door_cm.is_none_or(|w| w >= DOOR_TIGHT_CM);
    let tactile = a.tactile_paving == Some(true) || a.braille == Some(true);
    let aids =
        [a.tactile_paving, a.braille, a.high_contrast, a.staff_trained].iter().filter(|v| **v == Some(true)).count();
    let blind = tactile && aids >= 2;
    let deaf = a.audio_loop == Some(true) || a.sign_language == Some(true);
    Badges { toilet, blind, deaf }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    None,
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn code(self) -> &'static str {
        match self {
            Confidence::None => "none",
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    pub fn parse(s: &str) -> Confidence {
        match s {
            "low" => Confidence::Low,
            "medium" => Confidence::Medium,
            "high" => Confidence::High,
            _ => Confidence::None,
        }
    }

    pub fn label(self) -> K {
        match self {
            Confidence::None => K::map_conf_none,
            Confidence::Low => K::map_conf_low,
            Confidence::Medium => K::map_conf_medium,
            Confidence::High => K::map_conf_high,
        }
    }

    fn lower(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low.min(self),
        }
    }
}

/// One audit as stored: who stands behind it and when it was checked on the spot.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditRecord {
    pub audit: Audit,
    /// Day (days since 1970-01-01) the place was checked.
    pub checked_day: i64,
    /// Verified by a moderator or a member of the organisation running the campaign.
    pub verified: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Combined {
    pub audit: Audit,
    pub confidence: Confidence,
    /// The day the winning audit was checked (shown as "verified on").
    pub verified_day: Option<i64>,
}

/// Two years: after that an audit may describe a building that has changed.
pub const FRESH_DAYS: i64 = 730;

/// Combines the audits of a place: the newest verified audit wins on conflicts (else the newest
/// one), older audits fill in what it does not know. Confidence grows with verification, agreement
/// and freshness; open confirmed problem reports lower it one step (the place may have changed).
pub fn combine(records: &[AuditRecord], open_confirmed_reports: i64, today: i64) -> Combined {
    if records.is_empty() {
        return Combined { audit: Audit::default(), confidence: Confidence::None, verified_day: None };
    }
    let mut order: Vec<&AuditRecord> = records.iter().collect();
    // Verified first, then newest first.
    order.sort_by(|a, b| b.verified.cmp(&a.verified).then(b.checked_day.cmp(&a.checked_day)));
    let winner = order[0];
    let mut audit = winner.audit.clone();
    for older in &order[1..] {
        audit.fill_from(&older.audit);
    }
    let fresh = today - winner.checked_day <= FRESH_DAYS;
    let rating = rate(&audit).0;
    let agreeing = records.iter().filter(|r| rate(&r.audit).0 == rating).count();
    let mut confidence = match (winner.verified, fresh, agreeing >= 2) {
        (true, true, true) => Confidence::High,
        (true, true, false) | (false, true, true) | (true, false, true) => Confidence::Medium,
        _ => Confidence::Low,
    };
    if rating == Rating::Unknown {
        confidence = Confidence::Low;
    }
    if open_confirmed_reports > 0 {
        confidence = confidence.lower();
    }
    Combined { audit, confidence, verified_day: Some(winner.checked_day) }
}

// ---------------------------------------------------------------------------------------------
// Reports: states, actions and who may take them.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportState {
    New,
    Confirmed,
    Sent,
    Answered,
    Fixed,
    Rejected,
    Duplicate,
    NotResponsible,
}

impl ReportState {
    pub const ALL: [ReportState; 8] = [
        ReportState::New,
        ReportState::Confirmed,
        ReportState::Sent,
        ReportState::Answered,
        ReportState::Fixed,
        ReportState::Rejected,
        ReportState::Duplicate,
        ReportState::NotResponsible,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportState::New => "new",
            ReportState::Confirmed => "confirmed",
            ReportState::Sent => "sent",
            ReportState::Answered => "answered",
            ReportState::Fixed => "fixed",
            ReportState::Rejected => "rejected",
            ReportState::Duplicate => "duplicate",
            ReportState::NotResponsible => "not_responsible",
        }
    }

    pub fn parse(s: &str) -> Option<ReportState> {
        ReportState::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn label(self) -> K {
        match self {
            ReportState::New => K::map_state_new,
            ReportState::Confirmed => K::map_state_confirmed,
            ReportState::Sent => K::map_state_sent,
            ReportState::Answered => K::map_state_answered,
            ReportState::Fixed => K::map_state_fixed,
            ReportState::Rejected => K::map_state_rejected,
            ReportState::Duplicate => K::map_state_duplicate,
            ReportState::NotResponsible => K::map_state_not_responsible,
        }
    }

    /// Still waiting for something to happen (shown as "open").
    pub fn is_open(self) -> bool {
        matches!(self, ReportState::New | ReportState::Confirmed | ReportState::Sent | ReportState::Answered)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    Confirm,
    Send,
    Extend,
    Answer,
    Fixed,
    /// A resident (not the organisation, a moderator or the authority) says it is fixed, with a
    /// photo: recorded for the organisation or a moderator to confirm; the state and its clock stay.
    ProposeFixed,
    Reject,
    Duplicate,
    NotResponsible,
    Reopen,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Confirm,
        Action::Send,
        Action::Extend,
        Action::Answer,
        Action::Fixed,
        Action::ProposeFixed,
        Action::Reject,
        Action::Duplicate,
        Action::NotResponsible,
        Action::Reopen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Send => "send",
            Action::Extend => "extend",
            Action::Answer => "answer",
            Action::Fixed => "fixed",
            Action::ProposeFixed => "propose_fixed",
            Action::Reject => "reject",
            Action::Duplicate => "duplicate",
            Action::NotResponsible => "not_responsible",
            Action::Reopen => "reopen",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == s)
    }

    pub fn label(self) -> K {
        match self {
            Action::Confirm => K::map_act_confirm,
            Action::Send => K::map_act_send,
            Action::Extend => K::map_act_extend,
            Action::Answer => K::map_act_answer,
            Action::Fixed => K::map_act_fixed,
            Action::ProposeFixed => K::map_act_propose_fixed,
            Action::Reject => K::map_act_reject,
            Action::Duplicate => K::map_act_duplicate,
            Action::NotResponsible => K::map_act_not_responsible,
            Action::Reopen => K::map_act_reopen,
        }
    }
}

/// What the person acting is, for this report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    /// Any signed-in, verified resident.
    pub resident: bool,
    /// The resident who filed this report.
    pub reporter: bool,
    /// Platform moderator or admin.
    pub moderator: bool,
    /// Member or admin of the organisation that owns the campaign (the place's owner).
    pub org: bool,
    /// Official of the authority responsible for the place.
    pub official: bool,
}

/// Facts about the report the rules need besides its state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportFacts {
    pub extended: bool,
    /// The person acting attached a photo (a resident's "fixed" needs one as evidence).
    pub with_photo: bool,
}

/// The single gate of the workflow: the next state, or why not.
///
/// new → confirmed (moderator / organisation) → sent to authority (organisation) → answered
/// (official; the organisation may record a paper answer) → fixed; rejected / duplicate from
/// new or confirmed (moderator / organisation); not responsible (official) once sent; fixed from
/// confirmed, sent or answered (anyone involved; a resident with a photo); the deadline may be
/// extended once while sent; closed reports can be reopened by a moderator or the organisation.
/// Only the organisation, a moderator or the authority closes a report as fixed; a resident's word
/// (with a photo) is a proposal they confirm, so nobody else can stop the OG 27 clock.
pub fn transition(state: ReportState, action: Action, who: Actor, facts: ReportFacts) -> Result<ReportState, K> {
    use ReportState as S;
    let staff = who.moderator || who.org;
    let (allowed_from, allowed_by, next): (&[S], bool, S) = match action {
        Action::Confirm => (&[S::New], staff, S::Confirmed),
        Action::Reject => (&[S::New, S::Confirmed], staff, S::Rejected),
        Action::Duplicate => (&[S::New, S::Confirmed], staff, S::Duplicate),
        Action::Send => (&[S::Confirmed], who.org || who.moderator, S::Sent),
        Action::Extend => (&[S::Sent], who.official || staff, S::Sent),
        Action::Answer => (&[S::Sent], who.official || staff, S::Answered),
        Action::NotResponsible => (&[S::Sent, S::Answered], who.official || who.moderator, S::NotResponsible),
        Action::Fixed => (&[S::Confirmed, S::Sent, S::Answered], staff || who.official, S::Fixed),
        Action::ProposeFixed => {
            let proposer = (who.reporter || who.resident) && !(staff || who.official);
            (&[S::Confirmed, S::Sent, S::Answered], proposer, state)
        }
        Action::Reopen => (&[S::Fixed, S::Rejected, S::Duplicate, S::NotResponsible], staff, S::Confirmed),
    };
    if !allowed_by {
        return Err(K::map_err_not_allowed);
    }
    if !allowed_from.contains(&state) {
        return Err(K::map_err_wrong_state);
    }
    if action == Action::Extend && facts.extended {
        return Err(K::map_err_already_extended);
    }
    // Someone without a role in the campaign proves a repair with a photo.
    if action == Action::ProposeFixed && !facts.with_photo {
        return Err(K::map_err_fixed_needs_photo);
    }
    Ok(next)
}

/// The actions offered to this person in this state (the same gate, asked for each action).
pub fn available_actions(state: ReportState, who: Actor, extended: bool) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| transition(state, *a, who, ReportFacts { extended, with_photo: true }).is_ok())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// OG 27/2002: petitions are answered within 30 days of registration, extendable once by 15.
// Terms in days end at the end of the last day; a last day that is not a working day moves to the
// next working day (Code of Civil Procedure, art. 181, applied to administrative terms).

pub const ANSWER_DAYS: i64 = 30;
pub const EXTENSION_DAYS: i64 = 15;

/// The last day to answer a petition registered on `registered_day`.
pub fn answer_due(registered_day: i64, extended: bool) -> i64 {
    let mut due = registered_day + ANSWER_DAYS + if extended { EXTENSION_DAYS } else { 0 };
    while !is_working_day(due) {
        due += 1;
    }
    due
}

/// Overdue once the due day has ended without an answer.
pub fn is_overdue(state: ReportState, due_day: Option<i64>, today: i64) -> bool {
    state == ReportState::Sent && due_day.is_some_and(|d| today > d)
}

/// Distance in metres between two points (haversine; good enough inside a country).
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let r = 6_371_000.0_f64;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

/// Coordinates that can be on a map (and inside Romania's rough box when `romania` is set).
pub fn valid_coords(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}

/// Map data for a bounding box: single points when few enough, else clusters.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MapData {
    /// [id, lat, lon, rating code, name, overdue 0/1]
    pub points: Vec<(i64, f64, f64, &'static str, String, i64)>,
    /// [lat, lon, count, accessible count]
    pub clusters: Vec<(f64, f64, i64, i64)>,
}

/// Marker centres closer than this (screen pixels) are merged, so no two targets overlap
/// (markers are 32 px, clusters 40 px; WCAG 2.5.8 asks for 24 px targets with spacing).
pub const MIN_MARKER_GAP_PX: f64 = 44.0;

/// Web-Mercator pixel position of a point at a zoom level (256 px tiles).
fn pixel(lat: f64, lon: f64, zoom: i64) -> (f64, f64) {
    let scale = 256.0 * f64::powi(2.0, zoom.clamp(0, 22) as i32);
    let lat = lat.clamp(-85.0, 85.0).to_radians();
    let x = (lon + 180.0) / 360.0 * scale;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * scale;
    (x, y)
}

/// Greedy screen-space clustering: every point or cluster closer than `MIN_MARKER_GAP_PX` to a
/// group joins it (weighted centre); lone points stay points. Repeated until no two groups touch.
pub fn declutter(
    points: Vec<(i64, f64, f64, &'static str, String, i64)>,
    clusters: Vec<(f64, f64, i64, i64)>,
    zoom: i64,
) -> MapData {
    struct Group {
        lat: f64,
        lon: f64,
        count: i64,
        accessible: i64,
        point: Option<usize>,
    }
    let mut groups: Vec<Group> = points
        .iter()
        .enumerate()
        .map(|(i, p)| Group { lat: p.1, lon: p.2, count: 1, accessible: (p.3 == "yes") as i64, point: Some(i) })
        .chain(clusters.iter().map(|c| Group { lat: c.0, lon: c.1, count: c.2, accessible: c.3, point: None }))
        .collect();
    loop {
        let mut merged = false;
        let mut out: Vec<Group> = Vec::with_capacity(groups.len());
        for g in groups {
            let (gx, gy) = pixel(g.lat, g.lon, zoom);
            let near = out.iter_mut().find(|o| {
                let (ox, oy) = pixel(o.lat, o.lon, zoom);
                (ox - gx).hypot(oy - gy) < MIN_MARKER_GAP_PX
            });
            match near {
                Some(o) => {
                    let n = (o.count + g.count) as f64;
                    o.lat = (o.lat * o.count as f64 + g.lat * g.count as f64) / n;
                    o.lon = (o.lon * o.count as f64 + g.lon * g.count as f64) / n;
                    o.count += g.count;
                    o.accessible += g.accessible;
                    o.point = None;
                    merged = true;
                }
                None => out.push(g),
            }
        }
        groups = out;
        if !merged {
            break;
        }
    }
    let round5 = |x: f64| (x * 100_000.0).round() / 100_000.0;
    let mut data = MapData { points: vec![], clusters: vec![] };
    for g in groups {
        match g.point {
            Some(i) => data.points.push(points[i].clone()),
            None => data.clusters.push((round5(g.lat), round5(g.lon), g.count, g.accessible)),
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::days_from_civil;

    fn a() -> Audit {
        Audit::default()
    }

    #[test]
    fn nothing_known_is_unknown_not_no() {
        let (r, why) = rate(&a());
        assert_eq!(r, Rating::Unknown);
        assert_eq!(why[0].key, K::map_why_entrance_unknown);
    }

    #[test]
    fn step_free_entrance_is_accessible() {
        assert_eq!(rate(&Audit { step_free: Some(true), ..a() }).0, Rating::Accessible);
        assert_eq!(rate(&Audit { steps: Some(0), door_width_cm: Some(95), ..a() }).0, Rating::Accessible);
    }

    #[test]
    fn wheelmap_anchor_one_step_up_to_7_cm_is_partly() {
        let one = |h| Audit { step_free: Some(false), steps: Some(1), step_height_cm: Some(h), ..a() };
        assert_eq!(rate(&one(7)).0, Rating::Partly);
        assert_eq!(rate(&one(3)).0, Rating::Partly);
        assert_eq!(rate(&one(8)).0, Rating::NotAccessible);
        assert_eq!(rate(&Audit { steps: Some(2), step_height_cm: Some(5), ..a() }).0, Rating::NotAccessible);
        // One step of unknown height is not guessed either way.
        assert_eq!(rate(&Audit { steps: Some(1), ..a() }).0, Rating::Unknown);
    }

    #[test]
    fn ramps_by_slope_and_kind() {
        let ramp = |s: Option<i64>, removable| Audit {
            steps: Some(3),
            ramp: Some(true),
            ramp_slope_pct: s,
            ramp_removable: Some(removable),
            ..a()
        };
        assert_eq!(rate(&ramp(Some(5), false)).0, Rating::Accessible);
        assert_eq!(rate(&ramp(Some(6), false)).0, Rating::Accessible);
        assert_eq!(rate(&ramp(Some(8), false)).0, Rating::Partly);
        assert_eq!(rate(&ramp(Some(15), false)).0, Rating::NotAccessible);
        assert_eq!(rate(&ramp(Some(5), true)).0, Rating::Partly);
        assert_eq!(rate(&ramp(None, false)).0, Rating::Partly);
    }

    #[test]
    fn doors_and_lifts_lower_the_rating() {
        let base = Audit { step_free: Some(true), ..a() };
        assert_eq!(rate(&Audit { door_width_cm: Some(85), ..base.clone() }).0, Rating::Accessible);
        assert_eq!(rate(&Audit { door_width_cm: Some(75), ..base.clone() }).0, Rating::Partly);
        assert_eq!(rate(&Audit { door_width_cm: Some(60), ..base.clone() }).0, Rating::NotAccessible);
        let (r, why) = rate(&Audit { lift_all_floors: Some(false), ..base.clone() });
        assert_eq!(r, Rating::Partly);
        assert!(why.iter().any(|w| w.key == K::map_why_lift_partial));
        // "No" is not "unknown": a known step-free "no" with no ramp is not accessible.
        assert_eq!(rate(&Audit { step_free: Some(false), ramp: Some(false), ..a() }).0, Rating::NotAccessible);
    }

    #[test]
    fn reasons_carry_their_numbers() {
        let (_, why) = rate(&Audit { steps: Some(4), ..a() });
        assert_eq!(why, vec![Reason { key: K::map_why_steps, n: Some(4) }]);
    }

    #[test]
    fn badges_need_the_whole_picture() {
        let toilet = Audit {
            toilet: Some(true),
            toilet_turning_space: Some(true),
            toilet_grab_bars: Some(true),
            toilet_door_cm: Some(90),
            ..a()
        };
        assert!(badges(&toilet).toilet);
        assert!(!badges(&Audit { toilet_grab_bars: None, ..toilet.clone() }).toilet);
        assert!(!badges(&Audit { toilet_door_cm: Some(70), ..toilet }).toilet);
        assert!(badges(&Audit { tactile_paving: Some(true), high_contrast: Some(true), ..a() }).blind);
        assert!(!badges(&Audit { high_contrast: Some(true), staff_trained: Some(true), ..a() }).blind);
        assert!(!badges(&Audit { braille: Some(true), ..a() }).blind);
        assert!(badges(&Audit { audio_loop: Some(true), ..a() }).deaf);
        assert!(badges(&Audit { sign_language: Some(true), ..a() }).deaf);
        assert!(!badges(&Audit { audio_loop: Some(false), ..a() }).deaf);
    }

    #[test]
    fn newest_verified_audit_wins_and_older_fill_gaps() {
        let today = 20_000;
        let old = AuditRecord {
            audit: Audit { steps: Some(3), toilet: Some(true), ..a() },
            checked_day: today - 400,
            verified: true,
        };
        let newer_unverified =
            AuditRecord { audit: Audit { steps: Some(5), ..a() }, checked_day: today - 10, verified: false };
        let new_verified = AuditRecord {
            audit: Audit { step_free: Some(true), steps: Some(0), ..a() },
            checked_day: today - 30,
            verified: true,
        };
        let c = combine(&[old.clone(), newer_unverified.clone(), new_verified.clone()], 0, today);
        assert_eq!(c.audit.steps, Some(0), "newest verified wins over a newer unverified audit");
        assert_eq!(c.audit.toilet, Some(true), "gaps filled from older audits");
        assert_eq!(c.verified_day, Some(today - 30));
        assert_eq!(c.confidence, Confidence::Medium);
        // Two agreeing audits, the winner verified and fresh: high; a confirmed open report lowers it.
        let again = AuditRecord { checked_day: today - 100, verified: false, ..new_verified.clone() };
        assert_eq!(combine(&[new_verified.clone(), again.clone()], 0, today).confidence, Confidence::High);
        assert_eq!(combine(&[new_verified.clone(), again], 1, today).confidence, Confidence::Medium);
        // One unverified audit: low; none: none; stale: low.
        assert_eq!(combine(&[newer_unverified], 0, today).confidence, Confidence::Low);
        assert_eq!(combine(&[], 0, today).confidence, Confidence::None);
        let stale = AuditRecord { checked_day: today - 3 * 365, ..new_verified };
        assert_eq!(combine(&[stale], 0, today).confidence, Confidence::Low);
    }

    fn who(f: impl FnOnce(&mut Actor)) -> Actor {
        let mut a = Actor { resident: true, ..Actor::default() };
        f(&mut a);
        a
    }

    #[test]
    fn transitions_follow_the_workflow_by_role() {
        use ReportState as S;
        let resident = who(|_| {});
        let reporter = who(|a| a.reporter = true);
        let moderator = who(|a| a.moderator = true);
        let org = who(|a| a.org = true);
        let official = who(|a| a.official = true);
        let f = ReportFacts::default();
        // Confirm: moderators and the organisation, never the reporter or an official.
        assert_eq!(transition(S::New, Action::Confirm, moderator, f), Ok(S::Confirmed));
        assert_eq!(transition(S::New, Action::Confirm, org, f), Ok(S::Confirmed));
        assert_eq!(transition(S::New, Action::Confirm, reporter, f), Err(K::map_err_not_allowed));
        assert_eq!(transition(S::New, Action::Confirm, official, f), Err(K::map_err_not_allowed));
        // Send only a confirmed report; an unconfirmed one cannot skip the step.
        assert_eq!(transition(S::Confirmed, Action::Send, org, f), Ok(S::Sent));
        assert_eq!(transition(S::New, Action::Send, org, f), Err(K::map_err_wrong_state));
        assert_eq!(transition(S::Confirmed, Action::Send, resident, f), Err(K::map_err_not_allowed));
        // Answers come from the authority while the petition is pending.
        assert_eq!(transition(S::Sent, Action::Answer, official, f), Ok(S::Answered));
        assert_eq!(transition(S::Sent, Action::Answer, reporter, f), Err(K::map_err_not_allowed));
        assert_eq!(transition(S::Confirmed, Action::Answer, official, f), Err(K::map_err_wrong_state));
        assert_eq!(transition(S::Sent, Action::NotResponsible, official, f), Ok(S::NotResponsible));
        assert_eq!(transition(S::Sent, Action::NotResponsible, org, f), Err(K::map_err_not_allowed));
        // One extension only.
        assert_eq!(transition(S::Sent, Action::Extend, official, f), Ok(S::Sent));
        let ext = ReportFacts { extended: true, ..f };
        assert_eq!(transition(S::Sent, Action::Extend, official, ext), Err(K::map_err_already_extended));
        // A resident proposes "fixed" with a photo (the state and its clock stay); staff and
        // officials close it, with or without one.
        assert_eq!(transition(S::Answered, Action::ProposeFixed, reporter, f), Err(K::map_err_fixed_needs_photo));
        let photo = ReportFacts { with_photo: true, ..f };
        assert_eq!(transition(S::Answered, Action::ProposeFixed, reporter, photo), Ok(S::Answered));
        assert_eq!(transition(S::Sent, Action::ProposeFixed, resident, photo), Ok(S::Sent));
        assert_eq!(transition(S::Sent, Action::Fixed, resident, photo), Err(K::map_err_not_allowed));
        assert_eq!(transition(S::Answered, Action::Fixed, reporter, photo), Err(K::map_err_not_allowed));
        assert_eq!(transition(S::Sent, Action::ProposeFixed, org, photo), Err(K::map_err_not_allowed));
        assert_eq!(transition(S::Sent, Action::Fixed, official, f), Ok(S::Fixed));
        assert_eq!(transition(S::Sent, Action::Fixed, org, f), Ok(S::Fixed));
        assert_eq!(transition(S::New, Action::Fixed, moderator, f), Err(K::map_err_wrong_state));
        // Closed reports stay closed unless staff reopen them.
        assert_eq!(transition(S::Fixed, Action::Reject, moderator, f), Err(K::map_err_wrong_state));
        assert_eq!(transition(S::Rejected, Action::Reopen, org, f), Ok(S::Confirmed));
        assert_eq!(transition(S::Rejected, Action::Reopen, reporter, f), Err(K::map_err_not_allowed));
        // Nobody with no role at all (not signed in) acts.
        assert_eq!(transition(S::New, Action::Fixed, Actor::default(), photo), Err(K::map_err_not_allowed));
    }

    #[test]
    fn available_actions_are_the_gate_asked_per_action() {
        let org = who(|a| a.org = true);
        assert_eq!(
            available_actions(ReportState::New, org, false),
            vec![Action::Confirm, Action::Reject, Action::Duplicate]
        );
        let official = who(|a| a.official = true);
        assert_eq!(
            available_actions(ReportState::Sent, official, true),
            vec![Action::Answer, Action::Fixed, Action::NotResponsible]
        );
    }

    #[test]
    fn og27_thirty_days_rolled_past_weekends_and_holidays() {
        let d = |y, m, dd| days_from_civil(y, m, dd);
        // Registered Mon 2 Mar 2026: day 30 is Wed 1 Apr 2026, a working day.
        assert_eq!(answer_due(d(2026, 3, 2), false), d(2026, 4, 1));
        // Registered Fri 6 Mar 2026: day 30 is Sun 5 Apr → Mon 6 Apr.
        assert_eq!(answer_due(d(2026, 3, 6), false), d(2026, 4, 6));
        // Registered Thu 5 Mar 2026: day 30 is Sat 4 Apr → Mon 6 Apr.
        assert_eq!(answer_due(d(2026, 3, 5), false), d(2026, 4, 6));
        // Day 30 on Orthodox Good Friday 10 Apr 2026 → over Easter weekend and Monday → Tue 14 Apr.
        assert_eq!(answer_due(d(2026, 3, 11), false), d(2026, 4, 14));
        // Day 30 on 1 Dec (national day, Tue in 2026) → Wed 2 Dec.
        assert_eq!(answer_due(d(2026, 11, 1), false), d(2026, 12, 2));
    }

    #[test]
    fn og27_extension_adds_fifteen_days_once() {
        let d = |y, m, dd| days_from_civil(y, m, dd);
        // Registered Mon 2 Mar 2026: 45 days → Thu 16 Apr 2026.
        assert_eq!(answer_due(d(2026, 3, 2), true), d(2026, 4, 16));
        // Registered Wed 4 Mar 2026: 45 days → Sat 18 Apr → Mon 20 Apr.
        assert_eq!(answer_due(d(2026, 3, 4), true), d(2026, 4, 20));
    }

    #[test]
    fn overdue_only_while_waiting_for_an_answer() {
        let due = Some(100);
        assert!(!is_overdue(ReportState::Sent, due, 100), "the due day itself is still in time");
        assert!(is_overdue(ReportState::Sent, due, 101));
        assert!(!is_overdue(ReportState::Answered, due, 200));
        assert!(!is_overdue(ReportState::Sent, None, 200));
    }

    #[test]
    fn markers_never_overlap_on_screen() {
        // Three places 10 m apart and one 2 km away, at a city zoom: one cluster of three, one point.
        let p = |id, lat, lon| (id, lat, lon, "yes", format!("P{id}"), 0);
        let pts =
            vec![p(1, 45.7000, 27.1800), p(2, 45.70009, 27.1800), p(3, 45.7000, 27.18013), p(4, 45.7180, 27.1800)];
        let d = declutter(pts.clone(), vec![], 15);
        assert_eq!(d.points.len(), 1);
        assert_eq!(d.points[0].0, 4);
        assert_eq!(d.clusters.len(), 1);
        assert_eq!((d.clusters[0].2, d.clusters[0].3), (3, 3));
        // Zoomed far in, the same places are far enough apart to stand alone.
        assert_eq!(declutter(pts, vec![], 21).points.len(), 4);
        // Every pair of remaining markers is at least the gap apart.
        let many: Vec<_> =
            (0..200).map(|i| p(i, 45.69 + (i % 20) as f64 * 0.001, 27.17 + (i / 20) as f64 * 0.003)).collect();
        let d = declutter(many, vec![], 14);
        let centres: Vec<(f64, f64)> = d
            .points
            .iter()
            .map(|p| pixel(p.1, p.2, 14))
            .chain(d.clusters.iter().map(|c| pixel(c.0, c.1, 14)))
            .collect();
        for (i, a) in centres.iter().enumerate() {
            for b in &centres[i + 1..] {
                assert!((a.0 - b.0).hypot(a.1 - b.1) >= MIN_MARKER_GAP_PX);
            }
        }
        let total: i64 = d.points.len() as i64 + d.clusters.iter().map(|c| c.2).sum::<i64>();
        assert_eq!(total, 200, "nobody lost");
    }

    #[test]
    fn distances() {
        // Focșani centre to the railway station is about 1.5 km.
        let d = distance_m(45.6965, 27.1840, 45.6900, 27.2020);
        assert!((1_400.0..1_700.0).contains(&d), "{d}");
        assert!(valid_coords(45.7, 27.18));
        assert!(!valid_coords(f64::NAN, 27.0));
        assert!(!valid_coords(95.0, 27.0));
    }
}
