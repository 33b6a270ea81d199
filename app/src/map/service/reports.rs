//! Reports: a report's page, new reports (with photos), and every step of the workflow through
//! one gate (`apply_action`), with the reporter told of each step someone else takes.
use super::super::db::{self, StoredPhoto};
use super::super::rules::{self, report_form::ReportInput};
use super::super::{Action, ReportState, ReportView};
use super::{signed_in, today, MapError, Stop};
use crate::accounts::SessionUser;
use crate::error::{FormState, Problem};
use crate::i18n::K;
use crate::ssr::forms::FieldProblem;
use crate::ssr::{AppState, Db};

pub async fn get(id: i64) -> Result<ReportView, MapError> {
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?;
    view(&st.db, id, me.as_ref(), today()).await?.ok_or(MapError(Problem::NotFound))
}

/// Reports on the places an organisation owns (for its page).
pub async fn of_org(org_id: i64) -> Result<Vec<ReportView>, MapError> {
    let db = &crate::ssr::state().db;
    let mut out = vec![];
    for id in db::org_report_ids(db, org_id).await? {
        if let Some(r) = view(db, id, None, today()).await? {
            out.push(r);
        }
    }
    Ok(out)
}

/// A report's page: its facts, photos, timeline, and the actions `me` may take next.
pub async fn view(db: &Db, id: i64, me: Option<&SessionUser>, today: i64) -> Result<Option<ReportView>, sqlx::Error> {
    let Some(r) = db::report_record(db, id).await? else {
        return Ok(None);
    };
    let who = rules::actor_for(me, r.org_id, r.authority_id, r.reporter_id);
    let photos = db::photos_of_report(db, id).await?;
    let timeline = db::events_of(db, id)
        .await?
        .into_iter()
        .map(|(event, mut e)| {
            e.photos = photos.iter().filter(|(of, _)| *of == Some(event)).map(|(_, p)| p.clone()).collect();
            e
        })
        .collect();
    Ok(Some(ReportView {
        id,
        place_id: r.place_id,
        place_name: r.place_name,
        problem: r.problem,
        description: r.description,
        state: r.state,
        reporter: r.reporter,
        created_at: r.created_at,
        registration_no: r.registration_no,
        registered_day: r.registered_day,
        due_day: r.due_day,
        extended: r.extended,
        overdue: rules::is_overdue(r.state, r.due_day, today),
        photos: photos.into_iter().filter(|(of, _)| of.is_none()).map(|(_, p)| p).collect(),
        timeline,
        actions: if me.is_some() { rules::available_actions(r.state, who, r.extended) } else { vec![] },
    }))
}

/// What comes with an action: typed text, and the photos already stored.
pub struct ActInput {
    pub comment: String,
    pub registration_no: String,
    pub registered_on: String,
    pub photos: Vec<StoredPhoto>,
}

/// An action from the report page (`act_on_report`, no photos): the action taken.
pub async fn act(report_id: i64, action: &str, input: ActInput) -> Result<Action, MapError> {
    let st = crate::ssr::state();
    let me = signed_in().await?;
    let action = Action::parse(action).ok_or(MapError(Problem::NotFound))?;
    apply_action(&st.db, &me, report_id, action, input, &st.settings.public_url).await?;
    Ok(action)
}

/// The one path every state change takes (server fn and the multipart "fixed with photo" form):
/// the workflow's gate, the input the action needs, one transaction, the place's summary, and a
/// mail to the reporter.
pub async fn apply_action(
    db: &Db,
    me: &SessionUser,
    report_id: i64,
    action: Action,
    input: ActInput,
    public_url: &str,
) -> Result<ReportState, MapError> {
    let r = db::report_facts(db, report_id).await?.ok_or(MapError(Problem::NotFound))?;
    let who = rules::actor_for(Some(me), r.org_id, r.authority_id, r.reporter_id);
    let facts = rules::ReportFacts { extended: r.extended, with_photo: !input.photos.is_empty() };
    let next = rules::transition(r.state, action, who, facts).map_err(|k| MapError(Problem::Refused(k)))?;
    let today = today();
    let checked = rules::check_act_input(action, &input.comment, &input.registration_no, &input.registered_on, today)
        .map_err(|errors| {
        let mut form = FormState::new()
            .value("comment", &input.comment)
            .value("registration_no", &input.registration_no)
            .value("registered_on", &input.registered_on);
        for (field, k) in errors {
            form.add(field, k);
        }
        MapError::from(form)
    })?;
    // `Extend` is allowed only while sent, and only `Send` (from confirmed) writes the registered
    // day, so the day read above is the one the petition was registered on.
    let extend_due = if action == Action::Extend { r.registered_day.map(|d| rules::answer_due(d, true)) } else { None };
    let change = db::StateChange {
        report_id,
        place_id: r.place_id,
        actor_id: me.id,
        role: rules::actor_role(who),
        action,
        next,
        comment: checked.comment,
        send: checked.send.map(|(no, day)| (no, day, rules::answer_due(day, false))),
        extend_due,
        photos: input.photos,
    };
    db::apply_change(db, &change).await?;
    super::places::refresh(db, r.place_id, today).await?;
    // The resident who reported hears of every step someone else takes.
    if let Some(reporter) = r.reporter_id.filter(|id| *id != me.id) {
        if let Some(u) = crate::accounts::db::find_user_by_id(db, reporter).await?.filter(|u| u.deleted_at.is_none()) {
            // In the language the person chose (Romanian unless they picked English).
            let lang = db::user_lang(db, reporter).await?;
            let link = format!("{}/map/reports/{report_id}", public_url.trim_end_matches('/'));
            let para = lang.tf(K::map_mail_state_body, &[("state", lang.t(next.label()))]);
            let mail = crate::ssr::mail::compose(
                lang,
                &u.email,
                "map.report_state",
                K::map_mail_state_subject,
                &[para],
                Some((K::map_mail_open_report, &link)),
            );
            crate::ssr::mail::enqueue(db, &mail).await?;
        }
    }
    Ok(next)
}

/// Before a report's body is read: a verified resident, under the hourly limit.
pub async fn may_report(db: &Db, me: &SessionUser) -> Result<(), Stop> {
    if !me.verified {
        return Err(Stop::back("form", "verify"));
    }
    if crate::ssr::rate_limit::hit(db, &format!("map.report:{}", me.id), 20, 3600).await?.is_some() {
        return Err(Stop::back("form", "rate"));
    }
    Ok(())
}

/// Stores a report checked by `rules::report_form::check_report` (its `problems` included):
/// a known place must exist; the photos are checked only once the text is right; a new place
/// gets its locality's authority and campaign. The new report's id.
pub async fn create_report(
    st: &AppState,
    me: &SessionUser,
    input: ReportInput,
    problems: Vec<(String, &'static str)>,
    parts: &crate::ssr::multipart::Form,
) -> Result<i64, Stop> {
    if let Some(id) = input.place_id {
        if db::place_owners(&st.db, id).await?.is_none() {
            return Err(Stop::NotFound);
        }
    }
    let mut errors: Vec<FieldProblem> = problems.iter().map(|(f, code)| FieldProblem::new(f, code)).collect();
    if !errors.is_empty() {
        return Err(Stop::Back(errors));
    }
    let photos = super::photos::photos_of(st, parts, &mut errors).await;
    if !errors.is_empty() {
        return Err(Stop::Back(errors));
    }
    let place = match (input.place_id, input.new_place) {
        (Some(id), _) => id,
        (None, Some(p)) => {
            let mut p = db::NewPlace {
                name: p.name,
                category: p.category,
                locality: p.locality,
                address: p.address,
                lat: p.lat,
                lon: p.lon,
                ..Default::default()
            };
            p.authority_id = db::default_authority(&st.db, &p.locality, &p.category).await?;
            p.org_id = db::locality_org(&st.db, &p.locality).await?;
            db::insert_place(&st.db.pool, &p, Some(me.id), false).await?
        }
        (None, None) => return Err(sqlx::Error::RowNotFound.into()),
    };
    let id = db::insert_report(&st.db, place, &input.problem, &input.description, me.id, &photos).await?;
    super::places::refresh(&st.db, place, today()).await?;
    Ok(id)
}

/// May this person say "fixed" here at all, and how (close it, or propose it)? Decided before any
/// photo is read or stored; the hourly limit counts only those who may.
pub async fn fixed_action_for(db: &Db, me: &SessionUser, report_id: i64) -> Result<Action, Stop> {
    let r = db::report_facts(db, report_id).await?.ok_or(Stop::NotFound)?;
    let who = rules::actor_for(Some(me), r.org_id, r.authority_id, r.reporter_id);
    let action = rules::fixed_action(r.state, who, r.extended).ok_or_else(|| Stop::back("form", "not_allowed"))?;
    if crate::ssr::rate_limit::hit(db, &format!("map.fixed:{}", me.id), 20, 3600).await?.is_some() {
        return Err(Stop::back("form", "rate"));
    }
    Ok(action)
}

/// "It is fixed", with the form's photo as evidence.
pub async fn mark_fixed(
    st: &AppState,
    me: &SessionUser,
    report_id: i64,
    action: Action,
    comment: String,
    parts: &crate::ssr::multipart::Form,
) -> Result<(), Stop> {
    let mut errors = vec![];
    let photos = super::photos::photos_of(st, parts, &mut errors).await;
    if !errors.is_empty() {
        return Err(Stop::Back(errors));
    }
    let input = ActInput { comment, registration_no: String::new(), registered_on: String::new(), photos };
    match apply_action(&st.db, me, report_id, action, input, &st.settings.public_url).await {
        Ok(_) => Ok(()),
        Err(MapError(Problem::Refused(K::map_err_fixed_needs_photo))) => Err(Stop::back("photo_1", "photo_required")),
        Err(MapError(Problem::NotFound)) => Err(Stop::NotFound),
        Err(MapError(Problem::Refused(_))) => Err(Stop::Forbidden),
        Err(MapError(other)) => Err(Stop::Internal(format!("{other:?}"))),
    }
}
