//! Reports: their states, the actions that move them and who may take each one, what an action
//! needs typed with it, and the legal clock of OG 27/2002 (30 days to answer a petition,
//! extendable once by 15, weekends and holidays rolled over).
use crate::accounts::rules::RoleKind;
use crate::accounts::SessionUser;
use crate::calendar::is_working_day;
use crate::i18n::K;
use crate::text::clean_text;
use serde::{Deserialize, Serialize};

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
    /// The reporter answers the "has it been fixed?" mail with "not yet": a note on the timeline
    /// for the organisation; the state stays. Only the signed follow-up link records it (see
    /// `rules::followup`), never the report page.
    StillBroken,
}

impl Action {
    pub const ALL: [Action; 11] = [
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
        Action::StillBroken,
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
            Action::StillBroken => "still_broken",
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
            Action::StillBroken => K::map_act_still_broken,
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
        // Nobody takes it from the report page: it is the follow-up link's answer.
        Action::StillBroken => (&[S::Answered], false, state),
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

// ---------------------------------------------------------------------------------------------
// Who is acting: the roles of a signed-in person, seen from one report or place.

/// What `user` is for a place owned by `org_id`, answered for by `authority_id` (and, for a
/// report, filed by `reporter_id`). Nobody signed in has no role at all.
pub fn actor_for(
    user: Option<&SessionUser>,
    org_id: Option<i64>,
    authority_id: Option<i64>,
    reporter_id: Option<i64>,
) -> Actor {
    let Some(u) = user else {
        return Actor::default();
    };
    Actor {
        resident: u.verified,
        reporter: reporter_id == Some(u.id),
        moderator: u.is_admin() || u.has(RoleKind::Moderator),
        org: org_id.is_some_and(|o| u.has_scoped(RoleKind::OrgAdmin, o) || u.has_scoped(RoleKind::OrgMember, o)),
        official: authority_id.is_some_and(|a| u.has_scoped(RoleKind::Official, a)),
    }
}

/// The role a step is recorded under on the public timeline: the strongest one the person holds.
pub fn actor_role(who: Actor) -> &'static str {
    if who.official {
        "official"
    } else if who.org {
        "org"
    } else if who.moderator {
        "moderator"
    } else if who.reporter {
        "reporter"
    } else {
        "resident"
    }
}

impl Actor {
    /// A moderator's or the owning organisation's audit counts as verified.
    pub fn may_verify_audit(self) -> bool {
        self.moderator || self.org
    }
}

/// The "it is fixed" action this person may take: staff and the authority close the report, a
/// resident proposes it (with a photo) for the organisation or a moderator to confirm.
pub fn fixed_action(state: ReportState, who: Actor, extended: bool) -> Option<Action> {
    let facts = ReportFacts { extended, with_photo: true };
    [Action::Fixed, Action::ProposeFixed].into_iter().find(|a| transition(state, *a, who, facts).is_ok())
}

/// Petitions are written for an organisation by its members (and by platform admins).
pub fn may_petition(me: &SessionUser, org_id: i64) -> bool {
    me.is_admin() || me.has_scoped(RoleKind::OrgAdmin, org_id) || me.has_scoped(RoleKind::OrgMember, org_id)
}

/// Places are imported for an organisation by its admins (and by platform admins). `None` asks
/// whether the person may import for some organisation at all.
pub fn may_import(me: &SessionUser, org_id: Option<i64>) -> bool {
    me.is_admin()
        || match org_id {
            Some(o) => me.has_scoped(RoleKind::OrgAdmin, o),
            None => me.has(RoleKind::OrgAdmin),
        }
}

// ---------------------------------------------------------------------------------------------
// What is typed with an action.

/// An action's typed input, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedAct {
    pub comment: String,
    /// Registration number and day of a petition being sent.
    pub send: Option<(String, i64)>,
}

/// Checks what comes with an action: sending needs the petition's registration number and a day
/// that is not in the future; an answer, a rejection, "duplicate" and "not responsible" need a
/// comment. Problems are (field, message), in the form's order.
pub fn check_act_input(
    action: Action,
    comment: &str,
    registration_no: &str,
    registered_on: &str,
    today: i64,
) -> Result<CheckedAct, Vec<(&'static str, K)>> {
    let comment = clean_text(comment, 2000);
    let mut errors = vec![];
    let mut send = None;
    match action {
        Action::Send => {
            let no = clean_text(registration_no, 60);
            if no.is_empty() {
                errors.push(("registration_no", K::err_required));
            }
            match super::parse_day(registered_on) {
                Some(d) if d <= today => send = Some((no, d)),
                _ => errors.push(("registered_on", K::map_err_date)),
            }
        }
        Action::Answer | Action::Reject | Action::NotResponsible | Action::Duplicate if comment.is_empty() => {
            errors.push(("comment", K::map_err_comment_required))
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok(CheckedAct { comment, send })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::fmt::days_from_civil;

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

    fn person(id: i64, verified: bool, roles: &[(RoleKind, i64)]) -> SessionUser {
        SessionUser {
            id,
            email: format!("p{id}@exemplu.ro"),
            display_name: String::new(),
            locality: String::new(),
            county: String::new(),
            verified,
            roles: roles
                .iter()
                .map(|(kind, scope_id)| Role { id: 0, kind: *kind, scope_id: *scope_id, scope_name: None })
                .collect(),
        }
    }

    #[test]
    fn actors_are_read_from_roles_for_this_place() {
        let (org, city) = (8, 3);
        let at = |u: &SessionUser, reporter| actor_for(Some(u), Some(org), Some(city), reporter);
        assert_eq!(actor_for(None, Some(org), Some(city), Some(1)), Actor::default());
        let resident = person(1, true, &[]);
        assert_eq!(at(&resident, Some(1)), Actor { resident: true, reporter: true, ..Actor::default() });
        assert_eq!(at(&person(1, false, &[]), None), Actor::default(), "an unverified account is not a resident");
        assert!(at(&person(2, true, &[(RoleKind::Admin, 0)]), None).moderator);
        assert!(at(&person(2, true, &[(RoleKind::Moderator, 0)]), None).moderator);
        assert!(at(&person(2, true, &[(RoleKind::OrgMember, org)]), None).org);
        assert!(!at(&person(2, true, &[(RoleKind::OrgAdmin, org + 1)]), None).org, "another organisation");
        assert!(at(&person(2, true, &[(RoleKind::Official, city)]), None).official);
        assert!(!actor_for(Some(&person(2, true, &[(RoleKind::Official, city)])), None, None, None).official);
    }

    #[test]
    fn the_timeline_names_the_strongest_role() {
        let all = Actor { resident: true, reporter: true, moderator: true, org: true, official: true };
        assert_eq!(actor_role(all), "official");
        assert_eq!(actor_role(Actor { official: false, ..all }), "org");
        assert_eq!(actor_role(Actor { official: false, org: false, ..all }), "moderator");
        assert_eq!(actor_role(who(|a| a.reporter = true)), "reporter");
        assert_eq!(actor_role(who(|_| {})), "resident");
        assert!(who(|a| a.org = true).may_verify_audit() && who(|a| a.moderator = true).may_verify_audit());
        assert!(!who(|a| a.official = true).may_verify_audit());
    }

    #[test]
    fn fixed_is_closed_by_staff_and_proposed_by_residents() {
        use ReportState as S;
        assert_eq!(fixed_action(S::Sent, who(|a| a.org = true), false), Some(Action::Fixed));
        assert_eq!(fixed_action(S::Answered, who(|a| a.official = true), true), Some(Action::Fixed));
        assert_eq!(fixed_action(S::Answered, who(|a| a.reporter = true), false), Some(Action::ProposeFixed));
        assert_eq!(fixed_action(S::New, who(|_| {}), false), None, "not before it is confirmed");
        assert_eq!(fixed_action(S::Sent, Actor::default(), false), None);
    }

    #[test]
    fn petitions_and_imports_by_role() {
        let org = 8;
        assert!(may_petition(&person(1, true, &[(RoleKind::OrgMember, org)]), org));
        assert!(may_petition(&person(1, true, &[(RoleKind::Admin, 0)]), org));
        assert!(!may_petition(&person(1, true, &[(RoleKind::OrgMember, org + 1)]), org));
        let admin_of = person(1, true, &[(RoleKind::OrgAdmin, org)]);
        assert!(may_import(&admin_of, Some(org)) && may_import(&admin_of, None));
        assert!(!may_import(&admin_of, Some(org + 1)));
        let member = person(1, true, &[(RoleKind::OrgMember, org)]);
        assert!(!may_import(&member, Some(org)) && !may_import(&member, None), "members do not import");
        assert!(may_import(&person(1, true, &[(RoleKind::Admin, 0)]), Some(org + 1)));
    }

    #[test]
    fn actions_bring_what_they_need() {
        let today = days_from_civil(2026, 3, 10);
        let sent = check_act_input(Action::Send, " Trimis ", " 4521/2026 ", "2026-03-09", today).unwrap();
        assert_eq!(sent, CheckedAct { comment: "Trimis".into(), send: Some(("4521/2026".into(), today - 1)) });
        assert_eq!(
            check_act_input(Action::Send, "", "", "2026-03-11", today),
            Err(vec![("registration_no", K::err_required), ("registered_on", K::map_err_date)]),
            "no number, and a day still to come"
        );
        assert_eq!(
            check_act_input(Action::Send, "", "1", "ieri", today),
            Err(vec![("registered_on", K::map_err_date)])
        );
        for a in [Action::Answer, Action::Reject, Action::NotResponsible, Action::Duplicate] {
            assert_eq!(check_act_input(a, "  ", "", "", today), Err(vec![("comment", K::map_err_comment_required)]));
        }
        let confirm = check_act_input(Action::Confirm, "", "4521", "2026-03-09", today).unwrap();
        assert_eq!(confirm.send, None, "only sending records a registration");
    }
}
