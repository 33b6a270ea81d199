//! What the server functions do: parse the input, check the role, apply the rules, store, mail.
use super::db::{self, Scope};
use super::rules::*;
use super::*;
use crate::accounts::SessionUser;
use crate::error::{FormState, Problem};
use crate::i18n::{fill, Lang, K};
use crate::ssr::{self, mail, now, rate_limit, request, state};

type R<T> = Result<T, ConsultationsError>;

fn refuse(k: K) -> ConsultationsError {
    ConsultationsError(Problem::Refused(k))
}

fn problem(p: Problem) -> ConsultationsError {
    ConsultationsError(p)
}

async fn me() -> R<Option<SessionUser>> {
    Ok(crate::accounts::session::current_user().await?)
}

async fn signed_in() -> R<SessionUser> {
    me().await?.ok_or(problem(Problem::Unauthenticated))
}

fn organiser_of(user: Option<&SessionUser>, d: &Detail) -> bool {
    user.is_some_and(|u| is_organiser(u, &d.card.owner_kind, d.card.owner_id))
}

/// A consultation the person may see: published ones for everyone, drafts for their organisers.
async fn visible(slug: &str, user: Option<&SessionUser>) -> R<Detail> {
    let d = db::detail_by_slug(&state().db, slug).await?.ok_or(problem(Problem::NotFound))?;
    visible_to(d, user)
}

fn visible_to(d: Detail, user: Option<&SessionUser>) -> R<Detail> {
    if d.card.status.is_public() || organiser_of(user, &d) {
        Ok(d)
    } else {
        Err(problem(Problem::NotFound))
    }
}

async fn organised(id: i64) -> R<(SessionUser, Detail)> {
    let user = signed_in().await?;
    let d = db::detail_by_id(&state().db, id).await?.ok_or(problem(Problem::NotFound))?;
    if !organiser_of(Some(&user), &d) {
        return Err(problem(Problem::Forbidden));
    }
    Ok((user, d))
}

fn base_url() -> String {
    state().settings.public_url.trim_end_matches('/').to_string()
}

fn redirect(path: &str) {
    leptos_axum::redirect(path);
}

fn thread_href(slug: &str, position: i64) -> String {
    let scope = if position < 0 { "general".to_string() } else { position.to_string() };
    format!("/consultations/{slug}/comments?scope={scope}")
}

/// Queues a mail in the person's language; `unsub` adds a one-click unsubscribe link.
async fn send(
    to: &str,
    lang: &str,
    kind: &'static str,
    subject: K,
    paragraphs: &[(K, Vec<(&str, String)>)],
    link: Option<(K, String)>,
    unsub: Option<String>,
) -> R<()> {
    let lang = Lang::from_code(lang);
    let mut texts: Vec<String> = paragraphs
        .iter()
        .map(|(k, args)| {
            let args: Vec<(&str, &str)> = args.iter().map(|(a, b)| (*a, b.as_str())).collect();
            lang.tf(*k, &args)
        })
        .collect();
    if let Some(u) = &unsub {
        texts.push(fill(lang.t(K::consultations_mail_unsubscribe), &[("url", u)]));
    }
    let mut m = mail::compose(lang, to, kind, subject, &texts, link.as_ref().map(|(k, u)| (*k, u.as_str())));
    // Mail clients POST to the one-click address (RFC 8058); people follow the page link in the text.
    m.unsubscribe_url = unsub.map(|u| u.replace("/consultations/unsubscribe?", "/consultations/one-click?"));
    mail::enqueue(&state().db, &m).await?;
    Ok(())
}

/// The token of a one-click unsubscribe link: `follow:<public id>` or `sub:<public id>`, signed.
pub fn unsubscribe_token(keys: &ssr::signing::Keys, kind: &str, public_id: &str) -> String {
    keys.sign(ssr::signing::Purpose::Unsubscribe, &format!("{kind}:{public_id}"))
}

fn unsub_url(kind: &str, public_id: &str) -> String {
    let token = unsubscribe_token(&state().settings.keys, kind, public_id);
    format!("{}/consultations/unsubscribe?token={token}", base_url())
}

/// Mails every follower of a consultation (except `skip`).
async fn notify_followers(d: &Detail, kind: &'static str, subject: K, body: K, skip: Option<i64>) -> R<()> {
    let st = state();
    let link = format!("{}/consultations/{}", base_url(), d.card.slug);
    for (fid, uid, email, lang) in db::followers(&st.db, d.card.id).await? {
        if Some(uid) == skip {
            continue;
        }
        send(
            &email,
            &lang,
            kind,
            subject,
            &[(body, vec![("title", d.card.title.clone())])],
            Some((K::consultations_mail_open, link.clone())),
            Some(unsub_url("follow", &fid)),
        )
        .await?;
    }
    Ok(())
}

fn viewer(user: Option<&SessionUser>, d: &Detail, following: bool) -> Viewer {
    Viewer {
        signed_in: user.is_some(),
        verified: user.is_some_and(|u| u.verified),
        organiser: organiser_of(user, d),
        moderator: user.is_some_and(|u| is_moderator(u, &d.card.owner_kind, d.card.owner_id)),
        following,
        orgs: user.map(speaking_for).unwrap_or_default(),
    }
}

pub async fn list(mut filter: ListFilter) -> R<ListPage> {
    let st = state();
    filter.page = filter.page.max(1);
    let (cards, total) = db::list(&st.db, &filter).await?;
    let user = me().await?;
    let can_create = user.as_ref().is_some_and(|u| {
        use crate::accounts::rules::RoleKind;
        u.is_admin() || u.has(RoleKind::Official) || u.has(RoleKind::OrgAdmin)
    });
    Ok(ListPage {
        cards,
        total,
        page: filter.page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        counties: db::counties(&st.db).await?,
        can_create,
    })
}

pub async fn by_owner(kind: &str, id: i64) -> R<Vec<Card>> {
    let user = me().await?;
    let cards = db::by_owner(&state().db, kind, id).await?;
    let organiser = user.as_ref().is_some_and(|u| is_organiser(u, kind, id));
    Ok(cards.into_iter().filter(|c| organiser || c.status.is_public()).collect())
}

/// What every reader of one page of a consultation's draft sees alike, kept in the shared-reads cache.
struct SharedPage {
    detail: Detail,
    units: db::UnitsPage,
    files: Vec<files::FileInfo>,
    versions: Vec<VersionInfo>,
    debate: Debate,
}

async fn shared_page(slug: &str, unit_page: i64) -> R<std::sync::Arc<SharedPage>> {
    let st = state();
    let key = format!("consultation-page|{slug}|{unit_page}");
    st.db
        .reads
        .get(&key, || async {
            let detail = db::detail_by_slug(&st.db, slug).await?.ok_or(problem(Problem::NotFound))?;
            let id = detail.card.id;
            Ok(SharedPage {
                units: db::units_page(&st.db, id, detail.current_version, unit_page, UNITS_PER_PAGE).await?,
                files: db::consultation_files(&st.db, id).await?,
                // One version (the usual case) needs no list.
                versions: if detail.current_version > 1 { db::versions(&st.db, id).await? } else { vec![] },
                debate: db::debate(&st.db, id).await?,
                detail,
            })
        })
        .await
}

pub async fn page(slug: &str, unit_page: i64) -> R<ConsultationPage> {
    let st = state();
    let user = me().await?;
    let unit_page = unit_page.max(0);
    let shared = shared_page(slug, unit_page).await?;
    let mut d = visible_to(shared.detail.clone(), user.as_ref())?;
    let mut debate = shared.debate.clone();
    let following = match &user {
        Some(u) => {
            let (following, registered) = db::viewer_flags(&st.db, d.card.id, u.id).await?;
            debate.me_registered = registered;
            following
        }
        None => false,
    };
    let v = viewer(user.as_ref(), &d, following);
    if v.organiser {
        d.draft_text = db::draft_text(&st.db, d.card.id).await?;
    }
    let announced = d.published_at.unwrap_or_else(now);
    let checks = law52::checks(announced, d.card.opens_at, d.card.closes_at, d.adoption_at, &d.urgency_reason);
    Ok(ConsultationPage {
        units: shared.units.units.clone(),
        unit_page,
        units_total: shared.units.total,
        files: shared.files.clone(),
        general_comments: shared.units.general,
        versions: shared.versions.clone(),
        checks,
        debate,
        unanswered: if v.organiser { db::unanswered(&st.db, d.card.id).await? } else { 0 },
        viewer: v,
        detail: d,
        now: now(),
    })
}

fn parse_scope(scope: &str) -> Option<Scope> {
    match scope.trim() {
        "" | "general" => Some(Scope::General),
        "all" => Some(Scope::All),
        n => n.parse::<i64>().ok().filter(|p| *p >= 0).map(Scope::Unit),
    }
}

/// Renders a stored comment for this viewer: sanitised text, the diff, what they may do.
fn render(row: db::CommentRow, unit_text: Option<&str>, viewer_id: i64, moderator: bool, open: bool) -> CommentView {
    let mut v = row.view;
    let show_text = match v.status {
        CommentStatus::Visible => true,
        CommentStatus::Pending => true,
        CommentStatus::Hidden => moderator,
        CommentStatus::Deleted => false,
    };
    if show_text {
        v.body_html = ssr::markdown::render(&row.body);
        if let (Some(text), false) = (unit_text, v.alternative.is_empty()) {
            v.diff = diff_words(text, &v.alternative);
        }
    } else {
        v.alternative.clear();
    }
    v.can_edit = row.user_id.is_some_and(|u| can_edit(u, viewer_id, v.created_at, now(), v.status, open));
    if v.can_edit {
        v.body_source = row.body;
    }
    v
}

fn paragraph_text(unit: &UnitView, paragraph: &str) -> String {
    unit.paragraphs
        .iter()
        .find(|p| !paragraph.is_empty() && p.label == paragraph)
        .map(|p| p.text.clone())
        .unwrap_or_else(|| {
            unit.paragraphs
                .iter()
                .map(|p| if p.label.is_empty() { p.text.clone() } else { format!("{} {}", p.label, p.text) })
                .collect::<Vec<_>>()
                .join("\n")
        })
}

pub async fn thread(slug: &str, scope: &str, sort: &str, page: i64) -> R<ThreadPage> {
    let st = state();
    let user = me().await?;
    let d = visible(slug, user.as_ref()).await?;
    let scope_v = parse_scope(scope).ok_or(problem(Problem::NotFound))?;
    let unit = match scope_v {
        Scope::Unit(p) => {
            Some(db::unit_at(&st.db, d.card.id, d.current_version, p).await?.ok_or(problem(Problem::NotFound))?)
        }
        _ => None,
    };
    let following = match &user {
        Some(u) => db::is_following(&st.db, d.card.id, u.id).await?,
        None => false,
    };
    let v = viewer(user.as_ref(), &d, following);
    let viewer_id = user.as_ref().map(|u| u.id).unwrap_or(-1);
    let sort_v = Sort::parse(sort);
    let page = page.max(1);
    let (top, total) = db::thread(&st.db, d.card.id, scope_v, sort_v, page, viewer_id, v.moderator).await?;
    let open = d.card.phase == Phase::Open;
    let ids: Vec<i64> = top.iter().map(|r| r.view.id).collect();
    let level1 = db::replies(&st.db, &ids, viewer_id, v.moderator).await?;
    let ids1: Vec<i64> = level1.iter().map(|r| r.view.id).collect();
    let level2 = db::replies(&st.db, &ids1, viewer_id, v.moderator).await?;
    let all_ids: Vec<i64> = ids.iter().chain(ids1.iter()).copied().chain(level2.iter().map(|r| r.view.id)).collect();
    let mut papers = db::papers_for(&st.db, &all_ids).await?;
    let text_for = |r: &db::CommentRow| unit.as_ref().map(|u| paragraph_text(u, &r.view.paragraph));
    // A paper is shown with its comment's text: not under a hidden comment (except to moderators)
    // nor under a deleted one.
    let mut with_paper = |mut c: CommentView| {
        if !c.body_html.is_empty() {
            if let Some(i) = papers.iter().position(|f| f.comment_id == Some(c.id)) {
                c.paper = Some(papers.swap_remove(i));
            }
        }
        c
    };
    let mut l2: Vec<CommentView> = level2
        .into_iter()
        .map(|r| {
            let t = text_for(&r);
            with_paper(render(r, t.as_deref(), viewer_id, v.moderator, open))
        })
        .collect();
    let mut l1: Vec<CommentView> = level1
        .into_iter()
        .map(|r| {
            let t = text_for(&r);
            with_paper(render(r, t.as_deref(), viewer_id, v.moderator, open))
        })
        .collect();
    for c in l1.iter_mut() {
        c.replies = l2.iter().filter(|r| r.parent_id == Some(c.id)).cloned().collect();
    }
    l2.clear();
    let comments = top
        .into_iter()
        .map(|r| {
            let t = text_for(&r);
            let mut c = with_paper(render(r, t.as_deref(), viewer_id, v.moderator, open));
            c.replies = l1.iter().filter(|r| r.parent_id == Some(c.id)).cloned().collect();
            c
        })
        .collect();
    Ok(ThreadPage {
        card: d.card,
        unit,
        scope: scope.trim().to_string(),
        comments,
        total,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        sort: sort_v.code().to_string(),
        viewer: v,
        form_token: st.settings.keys.sign(ssr::signing::Purpose::FormTiming, &now().to_string()),
        open,
    })
}

pub async fn owner_options() -> R<Vec<OwnerOption>> {
    use crate::accounts::rules::RoleKind;
    let user = signed_in().await?;
    let mut out = vec![];
    for r in &user.roles {
        let name = r.scope_name.clone().unwrap_or_default();
        match r.kind {
            RoleKind::Official => out.push(OwnerOption { value: format!("authority:{}", r.scope_id), name }),
            RoleKind::OrgAdmin => out.push(OwnerOption { value: format!("org:{}", r.scope_id), name }),
            _ => {}
        }
    }
    if user.is_admin() {
        for (id, name) in db::all_authorities(&state().db).await? {
            let value = format!("authority:{id}");
            if !out.iter().any(|o| o.value == value) {
                out.push(OwnerOption { value, name });
            }
        }
    }
    Ok(out)
}

pub struct NewForm {
    pub owner: String,
    pub title: String,
    pub summary: String,
    pub topics: Vec<String>,
    pub locality: String,
    pub county: String,
    pub draft_text: String,
    pub explanatory_note: String,
    pub opens_on: String,
    pub closes_on: String,
    pub adoption_on: String,
    pub urgency_reason: String,
    pub officer_contact: String,
    pub premoderation: bool,
    pub report_threshold: String,
}

fn parse_owner(raw: &str) -> Option<(String, i64)> {
    let (kind, id) = raw.split_once(':')?;
    let id: i64 = id.parse().ok()?;
    matches!(kind, "authority" | "org").then(|| (kind.to_string(), id))
}

pub async fn create(f: NewForm) -> R<()> {
    use crate::text::clean_text;
    let st = state();
    let user = signed_in().await?;
    let mut form = FormState::new()
        .value("owner", &f.owner)
        .value("title", &f.title)
        .value("summary", &f.summary)
        .value("topics", &f.topics.join(","))
        .value("locality", &f.locality)
        .value("county", &f.county)
        .value("draft_text", &f.draft_text)
        .value("explanatory_note", &f.explanatory_note)
        .value("opens_on", &f.opens_on)
        .value("closes_on", &f.closes_on)
        .value("adoption_on", &f.adoption_on)
        .value("urgency_reason", &f.urgency_reason)
        .value("officer_contact", &f.officer_contact)
        .value("report_threshold", &f.report_threshold);
    let owner = parse_owner(&f.owner);
    match &owner {
        Some((kind, id)) if is_organiser(&user, kind, *id) => {}
        Some(_) => return Err(problem(Problem::Forbidden)),
        None => form.add("owner", K::err_choose),
    }
    let title = clean_text(&f.title, 200);
    if title.chars().count() < 5 {
        form.add("title", K::consultations_err_title);
    }
    let topics: Vec<String> = clean_topics(&f.topics).into_iter().map(str::to_string).collect();
    if topics.is_empty() {
        form.add("topics", K::consultations_err_topics);
    }
    let draft = clean_multiline(&f.draft_text, 400_000);
    let units = split::split(&draft);
    // An empty draft is fine here: the organiser uploads the file on the next page.
    if !draft.trim().is_empty() && !units.iter().any(|u| u.kind == split::UnitKind::Article) {
        form.add("draft_text", K::consultations_err_no_articles);
    }
    let opens_at = crate::fmt::parse_local(&f.opens_on, "00:00");
    let closes_at = crate::fmt::parse_local(&f.closes_on, "23:59");
    let adoption_at =
        if f.adoption_on.trim().is_empty() { None } else { crate::fmt::parse_local(&f.adoption_on, "12:00") };
    if opens_at.is_none() {
        form.add("opens_on", K::consultations_err_date);
    }
    if closes_at.is_none() {
        form.add("closes_on", K::consultations_err_date);
    }
    if adoption_at.is_none() {
        form.add("adoption_on", K::consultations_err_date);
    }
    let urgency = clean_multiline(&f.urgency_reason, 2_000);
    if let (Some(o), Some(c)) = (opens_at, closes_at) {
        if c <= o || o < now() - 86_400 {
            form.add("closes_on", K::consultations_err_window_order);
        } else {
            // The law's checks, counted from today (the earliest publication).
            for check in law52::checks(now(), o, c, adoption_at, &urgency) {
                if !check.ok {
                    match check.check {
                        law52::Check::CommentWindow => form.add("closes_on", K::consultations_err_law_window),
                        law52::Check::Notice if adoption_at.is_some() => {
                            form.add("adoption_on", K::consultations_err_law_notice)
                        }
                        law52::Check::Notice => {}
                        law52::Check::Urgency => form.add("urgency_reason", K::consultations_err_urgency),
                    }
                }
            }
        }
    }
    // 0 turns automatic hiding off; a moderator still sees every report.
    let report_threshold = form.check("report_threshold", parse_threshold(&f.report_threshold)).unwrap_or(0);
    if !form.is_ok() {
        return Err(form.into());
    }
    let (Some((owner_kind, owner_id)), Some(opens_at), Some(closes_at)) = (owner, opens_at, closes_at) else {
        return Err(problem(Problem::Internal));
    };
    let base = crate::types::Slug::from_name(&title)
        .map(|s| s.as_str().chars().take(60).collect::<String>())
        .unwrap_or_default();
    let slug = format!("{}-{}", base.trim_end_matches('-'), &ssr::public_id()[..6]);
    let new = db::NewConsultation {
        slug: slug.clone(),
        title,
        summary: clean_multiline(&f.summary, 2_000),
        topics,
        locality: clean_text(&f.locality, 80),
        county: clean_text(&f.county, 40),
        owner_kind,
        owner_id,
        draft_text: draft,
        explanatory_note: clean_multiline(&f.explanatory_note, 100_000),
        opens_at,
        closes_at,
        adoption_at,
        urgency_reason: urgency,
        officer_contact: clean_text(&f.officer_contact, 300),
        premoderation: f.premoderation,
        report_threshold,
        created_by: Some(user.id),
        is_demo: false,
    };
    db::insert(&st.db, &new, &units).await?;
    redirect(&format!("/consultations/{slug}/manage?created=1"));
    Ok(())
}

pub async fn update_draft(id: i64, text: &str) -> R<()> {
    let (_, d) = organised(id).await?;
    if d.card.status != Status::Draft {
        return Err(refuse(K::consultations_err_not_draft));
    }
    let text = clean_multiline(text, 400_000);
    let units = split::split(&text);
    if !units.iter().any(|u| u.kind == split::UnitKind::Article) {
        let mut form = FormState::new().value("draft_text", &text);
        form.add("draft_text", K::consultations_err_no_articles);
        return Err(form.into());
    }
    db::replace_draft(&state().db, id, &text, &units).await?;
    redirect(&format!("/consultations/{}/manage?split=1", d.card.slug));
    Ok(())
}

pub async fn change_status(id: i64, action: &str) -> R<()> {
    let st = state();
    let (_, d) = organised(id).await?;
    let action = rules::Action::parse(action).ok_or(refuse(K::consultations_err_transition))?;
    // An open consultation is closed by the clock; the organiser can only confirm it afterwards.
    if action == rules::Action::Close && now() < d.card.closes_at {
        return Err(refuse(K::consultations_err_window_running));
    }
    if action == rules::Action::Publish
        && !db::units(&st.db, id, d.current_version).await?.iter().any(|u| u.kind == split::UnitKind::Article)
    {
        return Err(refuse(K::consultations_err_publish_empty));
    }
    let unanswered = db::unanswered(&st.db, id).await?;
    let status =
        if action == rules::Action::PublishReport && d.card.status == Status::Open && d.card.phase == Phase::Closed {
            // The window ended but the job has not run yet: close first, then publish.
            db::set_status(&st.db, id, Status::Closed).await?;
            transition(Status::Closed, action, unanswered)
        } else {
            transition(d.card.status, action, unanswered)
        }
        .map_err(refuse)?;
    db::set_status(&st.db, id, status).await?;
    match status {
        Status::Open => notify_new(&d).await?,
        Status::Answered => {
            notify_followers(
                &d,
                "consultations.answer",
                K::consultations_mail_report_subject,
                K::consultations_mail_report_body,
                None,
            )
            .await?
        }
        _ => {}
    }
    redirect(&format!("/consultations/{}/manage?status=1", d.card.slug));
    Ok(())
}

/// Tells subscribers whose topics and county match that a consultation opened.
async fn notify_new(d: &Detail) -> R<()> {
    let st = state();
    let link = format!("{}/consultations/{}", base_url(), d.card.slug);
    for (sid, email, lang) in db::subscribers_for(&st.db, &d.card.topics, &d.card.county).await? {
        send(
            &email,
            &lang,
            "consultations.new",
            K::consultations_mail_new_subject,
            &[(
                K::consultations_mail_new_body,
                vec![("title", d.card.title.clone()), ("owner", d.card.owner_name.clone())],
            )],
            Some((K::consultations_mail_open, link.clone())),
            Some(unsub_url("sub", &sid)),
        )
        .await?;
    }
    Ok(())
}

pub async fn new_version(id: i64, text: &str, changelog: &str) -> R<()> {
    let (user, d) = organised(id).await?;
    if d.card.phase != Phase::Open && d.card.phase != Phase::Upcoming {
        return Err(refuse(K::consultations_err_not_open));
    }
    let text = clean_multiline(text, 400_000);
    let changelog = clean_multiline(changelog, 4_000);
    let mut form = FormState::new().value("draft_text", &text).value("changelog", &changelog);
    let units = split::split(&text);
    if !units.iter().any(|u| u.kind == split::UnitKind::Article) {
        form.add("draft_text", K::consultations_err_no_articles);
    }
    if changelog.chars().count() < 5 {
        form.add("changelog", K::consultations_err_changelog);
    }
    if !form.is_ok() {
        return Err(form.into());
    }
    db::add_version(&state().db, id, &text, &changelog, &units).await?;
    notify_followers(
        &d,
        "consultations.new_version",
        K::consultations_mail_version_subject,
        K::consultations_mail_version_body,
        Some(user.id),
    )
    .await?;
    redirect(&format!("/consultations/{}?version=1", d.card.slug));
    Ok(())
}

pub struct CommentForm {
    pub slug: String,
    pub scope: String,
    pub paragraph: String,
    pub parent_id: Option<i64>,
    pub stance: String,
    pub body: String,
    pub alternative: String,
    pub org_id: Option<i64>,
    pub form_token: String,
    pub form_key: String,
    pub website: String,
}

pub async fn post_comment(f: CommentForm) -> R<()> {
    let st = state();
    let mut form = FormState::new()
        .value("form_key", &f.form_key)
        .value("body", &f.body)
        .value("alternative", &f.alternative)
        .value("stance", &f.stance)
        .value("paragraph", &f.paragraph);
    if !f.website.is_empty() {
        return Err(refuse(K::consultations_err_spam));
    }
    let user = signed_in().await?;
    let d = db::detail_for_comment(&st.db, &f.slug).await?.ok_or(problem(Problem::NotFound))?;
    let d = visible_to(d, Some(&user))?;
    if d.card.phase != Phase::Open {
        return Err(refuse(K::consultations_err_not_open));
    }
    let served_at =
        st.settings.keys.verify(ssr::signing::Purpose::FormTiming, &f.form_token).and_then(|t| t.parse().ok());
    if !rules::filled_in_time(served_at, now(), MIN_FILL_SECS) {
        return Err(problem(Problem::rate_limited(MIN_FILL_SECS, form)));
    }
    if !user.verified && db::recent_by_user(&st.db, user.id, 86_400).await? >= UNVERIFIED_PER_DAY {
        return Err(refuse(K::consultations_err_unverified_limit));
    }
    let scope = parse_scope(&f.scope).ok_or(problem(Problem::NotFound))?;
    let (unit_id, position) = match scope {
        Scope::Unit(p) => {
            let u = db::unit_at(&st.db, d.card.id, d.current_version, p).await?.ok_or(problem(Problem::NotFound))?;
            if !u.kind.commentable() {
                return Err(problem(Problem::NotFound));
            }
            (Some(u.id), p)
        }
        _ => (None, -1),
    };
    let parent = match f.parent_id {
        Some(pid) => {
            let m = db::comment_meta(&st.db, pid).await?.ok_or(problem(Problem::NotFound))?;
            if m.consultation_id != d.card.id || m.unit_position != position || m.status != CommentStatus::Visible {
                return Err(problem(Problem::NotFound));
            }
            Some(m)
        }
        None => None,
    };
    let depth = reply_depth(parent.as_ref().map(|p| p.depth)).map_err(refuse)?;
    let stance = if parent.is_some() && f.stance.is_empty() {
        Some(Stance::Neutral)
    } else {
        form.check("stance", Stance::parse(&f.stance))
    };
    let body = form.check("body", check_comment_body(&f.body));
    let alternative = clean_multiline(&f.alternative, MAX_COMMENT_CHARS + 1);
    if alternative.chars().count() > MAX_COMMENT_CHARS {
        form.add("alternative", K::consultations_err_too_long);
    }
    let org_id = match f.org_id.filter(|o| *o > 0) {
        Some(o) if speaking_for(&user).iter().any(|(id, _)| *id == o) => Some(o),
        Some(_) => return Err(problem(Problem::Forbidden)),
        None => None,
    };
    let paragraph: String = crate::text::clean_text(&f.paragraph, 20);
    let (Some(stance), Some(body), true) = (stance, body, form.is_ok()) else {
        return Err(form.into());
    };
    let status = initial_status(d.premoderation, user.verified);
    let new = db::NewComment {
        consultation_id: d.card.id,
        version: d.current_version,
        unit_id,
        unit_position: position,
        paragraph,
        parent_id: parent.as_ref().map(|p| p.id),
        depth,
        user_id: user.id,
        org_id,
        stance,
        body,
        alternative,
        status,
        created_at: now(),
    };
    let limits = [
        (format!("consult-comment:u:{}", user.id), COMMENTS_PER_MINUTE, 60),
        (format!("consult-comment:ip:{}", request::client_ip()), COMMENTS_PER_MINUTE * 3, 60),
    ];
    let base = base_url();
    let thread = thread_href(&d.card.slug, position);
    let lang = crate::i18n::request_lang();
    let when = crate::fmt::date_time(Lang::Ro, new.created_at);
    // The receipt is stored in the same transaction as the comment and its register number.
    let receipt = |id: i64, reg: &str| {
        let body =
            lang.tf(K::consultations_mail_receipt_body, &[("reg", reg), ("title", &d.card.title), ("when", &when)]);
        let link = format!("{base}{thread}#c-{id}");
        mail::compose(
            lang,
            &user.email,
            "consultations.receipt",
            K::consultations_mail_receipt_subject,
            &[body],
            Some((K::consultations_mail_open, &link)),
        )
    };
    let (id, reg_no) = match db::post_comment(&st.db, &new, &limits, receipt).await? {
        Ok(done) => done,
        Err(wait) => return Err(problem(Problem::rate_limited(wait, form))),
    };
    let link = format!("{base}{thread}#c-{id}");
    if let Some(p) = parent.as_ref().and_then(|p| p.user_id).filter(|u| *u != user.id) {
        if status == CommentStatus::Visible {
            if let Some((email, lang)) = db::user_contact(&st.db, p).await? {
                send(
                    &email,
                    &lang,
                    "consultations.reply",
                    K::consultations_mail_reply_subject,
                    &[(K::consultations_mail_reply_body, vec![("title", d.card.title.clone())])],
                    Some((K::consultations_mail_open, link)),
                    None,
                )
                .await?;
            }
        }
    }
    if status == CommentStatus::Pending {
        alert_moderators(&d).await?;
    }
    redirect(&format!("{}&posted={}#c-{id}", thread_href(&d.card.slug, position), urlencoding::encode(&reg_no)));
    Ok(())
}

/// At most one alert an hour per consultation, so a busy queue does not flood anyone.
async fn alert_moderators(d: &Detail) -> R<()> {
    let st = state();
    if rate_limit::hit(&st.db, &format!("consult-alert:{}", d.card.id), 1, 3_600).await?.is_some() {
        return Ok(());
    }
    let link = format!("{}/consultations/moderation?consultation={}", base_url(), d.card.slug);
    for (email, lang) in db::moderator_emails(&st.db).await? {
        send(
            &email,
            &lang,
            "consultations.moderation_alert",
            K::consultations_mail_alert_subject,
            &[(K::consultations_mail_alert_body, vec![("title", d.card.title.clone())])],
            Some((K::consultations_mail_open, link.clone())),
            None,
        )
        .await?;
    }
    Ok(())
}

async fn own_comment(id: i64) -> R<(SessionUser, db::CommentMeta, Detail)> {
    let user = signed_in().await?;
    let m = db::comment_meta(&state().db, id).await?.ok_or(problem(Problem::NotFound))?;
    if m.user_id != Some(user.id) {
        return Err(problem(Problem::Forbidden));
    }
    let d = db::detail_by_id(&state().db, m.consultation_id).await?.ok_or(problem(Problem::NotFound))?;
    Ok((user, m, d))
}

pub async fn edit_comment(id: i64, body: &str, alternative: &str) -> R<()> {
    let (user, m, d) = own_comment(id).await?;
    if !can_edit(user.id, user.id, m.created_at, now(), m.status, d.card.phase == Phase::Open) {
        return Err(refuse(K::consultations_err_edit_window));
    }
    let mut form =
        FormState::new().value("form_key", &format!("edit-{id}")).value("body", body).value("alternative", alternative);
    let body = form.check("body", check_comment_body(body));
    let alternative = clean_multiline(alternative, MAX_COMMENT_CHARS);
    let Some(body) = body else { return Err(form.into()) };
    db::edit_comment(&state().db, id, &body, &alternative).await?;
    redirect(&format!("{}#c-{id}", thread_href(&d.card.slug, m.unit_position)));
    Ok(())
}

pub async fn delete_comment(id: i64) -> R<()> {
    let (_, m, d) = own_comment(id).await?;
    if d.card.phase != Phase::Open || m.status == CommentStatus::Deleted {
        return Err(refuse(K::consultations_err_not_open));
    }
    db::mark_deleted(&state().db, id).await?;
    redirect(&format!("{}#c-{id}", thread_href(&d.card.slug, m.unit_position)));
    Ok(())
}

/// A signed-in person whose address is verified: supports and reports weigh on what others see.
async fn verified() -> R<SessionUser> {
    let user = signed_in().await?;
    if user.verified {
        Ok(user)
    } else {
        Err(refuse(K::err_verify_first))
    }
}

pub async fn toggle_support(id: i64) -> R<()> {
    let st = state();
    let user = verified().await?;
    let m = db::comment_meta(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    let d = db::detail_by_id(&st.db, m.consultation_id).await?.ok_or(problem(Problem::NotFound))?;
    if !d.card.status.is_public() || m.status != CommentStatus::Visible {
        return Err(problem(Problem::NotFound));
    }
    if m.user_id == Some(user.id) {
        return Err(refuse(K::consultations_err_own_support));
    }
    if d.card.phase != Phase::Open {
        return Err(refuse(K::consultations_err_not_open));
    }
    if let Some(wait) = rate_limit::hit(&st.db, &format!("consult-vote:{}", user.id), 60, 60).await? {
        return Err(problem(Problem::rate_limited(wait, FormState::new())));
    }
    db::toggle_vote(&st.db, id, user.id).await?;
    redirect(&format!("{}#c-{id}", thread_href(&d.card.slug, m.unit_position)));
    Ok(())
}

pub async fn report_comment(id: i64, reason: &str, details: &str) -> R<()> {
    let st = state();
    let user = verified().await?;
    let m = db::comment_meta(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    let d = db::detail_by_id(&st.db, m.consultation_id).await?.ok_or(problem(Problem::NotFound))?;
    if !d.card.status.is_public() || m.status == CommentStatus::Deleted {
        return Err(problem(Problem::NotFound));
    }
    let mut form =
        FormState::new().value("form_key", &format!("report-{id}")).value("reason", reason).value("details", details);
    if !REPORT_REASONS.contains(&reason) {
        form.add("reason", K::err_choose);
        return Err(form.into());
    }
    if let Some(wait) = rate_limit::hit(&st.db, &format!("consult-report:{}", user.id), 20, 3_600).await? {
        return Err(problem(Problem::rate_limited(wait, form)));
    }
    let details = clean_multiline(details, 1_000);
    if let Some(count) = db::add_report(&st.db, id, user.id, reason, &details).await? {
        if m.status == CommentStatus::Visible && should_auto_hide(count, d.report_threshold) {
            let why = Lang::Ro.tf(K::consultations_auto_hidden_reason, &[("n", &count.to_string())]);
            db::moderate(&st.db, d.card.id, id, CommentStatus::Hidden, "auto_hide", &why, None).await?;
        }
        alert_moderators(&d).await?;
    }
    redirect(&format!("{}&reported=1#c-{id}", thread_href(&d.card.slug, m.unit_position)));
    Ok(())
}

pub async fn moderate(id: i64, action: &str, reason: &str, next: &str) -> R<()> {
    let st = state();
    let user = signed_in().await?;
    let m = db::comment_meta(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    let d = db::detail_by_id(&st.db, m.consultation_id).await?.ok_or(problem(Problem::NotFound))?;
    if !is_moderator(&user, &d.card.owner_kind, d.card.owner_id) {
        return Err(problem(Problem::Forbidden));
    }
    let reason = clean_multiline(reason, 500);
    let mut form = FormState::new().value("form_key", &format!("mod-{id}")).value("reason", &reason);
    let status = match (action, m.status) {
        ("hide", CommentStatus::Visible | CommentStatus::Pending | CommentStatus::Hidden) => {
            if reason.chars().count() < 5 {
                form.add("reason", K::consultations_err_reason);
                return Err(form.into());
            }
            CommentStatus::Hidden
        }
        ("restore", CommentStatus::Hidden) | ("approve", CommentStatus::Pending) => CommentStatus::Visible,
        // Dismissing the reports keeps the comment as it is.
        ("dismiss", s @ (CommentStatus::Visible | CommentStatus::Hidden)) => s,
        _ => return Err(refuse(K::consultations_err_transition)),
    };
    db::moderate(&st.db, d.card.id, id, status, action, &reason, Some(user.id)).await?;
    let next = crate::accounts::rules::safe_next(next);
    let next = if next == "/account" { "/consultations/moderation" } else { next };
    redirect(next);
    Ok(())
}

pub async fn answer(cid: i64, ids: &[i64], answer: &str, justification: &str) -> R<()> {
    let st = state();
    let (user, d) = organised(cid).await?;
    if !can_answer(d.card.status, d.card.phase) {
        return Err(refuse(K::consultations_err_answer_phase));
    }
    let mut form = FormState::new().value("answer", answer).value("justification", justification);
    if ids.is_empty() {
        form.add("ids", K::consultations_err_pick_comments);
    }
    let checked = form.check("justification", check_answer(answer, justification));
    let (Some((kind, text)), true) = (checked, form.is_ok()) else { return Err(form.into()) };
    let done = db::answer(&st.db, cid, ids, kind, &text, user.id).await?;
    // The commenters hear about the answer under their comment.
    for row in db::comments_by_ids(&st.db, &done).await? {
        if let Some(uid) = row.user_id {
            if let Some((email, lang)) = db::user_contact(&st.db, uid).await? {
                let l = Lang::from_code(&lang);
                send(
                    &email,
                    &lang,
                    "consultations.answer",
                    K::consultations_mail_answer_subject,
                    &[(
                        K::consultations_mail_answer_body,
                        vec![
                            ("reg", row.view.reg_no.clone()),
                            ("title", d.card.title.clone()),
                            ("answer", l.t(kind.label()).to_string()),
                            ("why", text.clone()),
                        ],
                    )],
                    Some((
                        K::consultations_mail_open,
                        format!(
                            "{}{}#c-{}",
                            base_url(),
                            thread_href(&d.card.slug, row.view.unit_position),
                            row.view.id
                        ),
                    )),
                    None,
                )
                .await?;
            }
        }
    }
    redirect(&format!("/consultations/{}/answers?answered={}", d.card.slug, done.len()));
    Ok(())
}

pub async fn toggle_follow(id: i64) -> R<()> {
    let st = state();
    let user = signed_in().await?;
    if let Some(wait) = rate_limit::hit(&st.db, &format!("consult-follow:{}", user.id), 60, 3_600).await? {
        return Err(problem(Problem::rate_limited(wait, FormState::new())));
    }
    let d = db::detail_by_id(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    if !d.card.status.is_public() {
        return Err(problem(Problem::NotFound));
    }
    if db::is_following(&st.db, id, user.id).await? {
        db::unfollow(&st.db, id, user.id).await?;
    } else {
        db::follow(&st.db, id, user.id).await?;
    }
    redirect(&format!("/consultations/{}?follow=1", d.card.slug));
    Ok(())
}

pub async fn subscribe(topic: &str, county: &str) -> R<()> {
    let user = signed_in().await?;
    if let Some(wait) = rate_limit::hit(&state().db, &format!("consult-subscribe:{}", user.id), 20, 3_600).await? {
        return Err(problem(Problem::rate_limited(wait, FormState::new())));
    }
    let topic = if TOPICS.contains(&topic) { topic } else { "" };
    let county = crate::text::clean_text(county, 40);
    db::subscribe(&state().db, user.id, topic, &county).await?;
    redirect("/consultations?subscribed=1");
    Ok(())
}

/// The unsubscribe behind every follow and subscription mail; false when the link is not ours.
pub async fn unsubscribe_with(db_: &ssr::Db, keys: &ssr::signing::Keys, token: &str) -> Result<bool, sqlx::Error> {
    let what = keys.verify(ssr::signing::Purpose::Unsubscribe, token);
    match what.as_deref().and_then(|w| w.split_once(':')) {
        Some(("follow", id)) => db::unfollow_by_public(db_, id).await.map(|_| true),
        Some(("sub", id)) => db::unsubscribe_by_public(db_, id).await.map(|_| true),
        _ => Ok(false),
    }
}

/// RFC 8058 one-click unsubscribe: mail clients POST here without cookies or a page.
pub async fn one_click(
    axum::extract::State(st): ssr::one_click::St,
    axum::extract::Query(q): ssr::one_click::TokenQuery,
) -> axum::response::Response {
    ssr::one_click::answer(st, q, "consultations", |st, token| async move {
        unsubscribe_with(&st.db, &st.settings.keys, &token).await
    })
    .await
}

pub async fn request_debate(id: i64, org_id: i64, reason: &str) -> R<()> {
    let st = state();
    let user = signed_in().await?;
    let d = db::detail_by_id(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    if !d.card.status.is_public() {
        return Err(problem(Problem::NotFound));
    }
    if !speaking_for(&user).iter().any(|(o, _)| *o == org_id) {
        return Err(problem(Problem::Forbidden));
    }
    if !matches!(d.card.phase, Phase::Open | Phase::Upcoming) {
        return Err(refuse(K::consultations_err_not_open));
    }
    let reason = clean_multiline(reason, 2_000);
    db::add_debate_request(&st.db, id, org_id, user.id, &reason).await?;
    redirect(&format!("/consultations/{}?debate=1#debate", d.card.slug));
    Ok(())
}

pub async fn schedule_debate(id: i64, date: &str, time: &str, place: &str, url: &str, minutes: &str) -> R<()> {
    let (_, d) = organised(id).await?;
    let mut form = FormState::new()
        .value("date", date)
        .value("time", time)
        .value("place", place)
        .value("online_url", url)
        .value("minutes", minutes);
    let starts = crate::fmt::parse_local(date, time);
    if starts.is_none() {
        form.add("date", K::consultations_err_date);
    }
    let url = crate::text::clean_text(url, 300);
    if !url.is_empty() && !url.starts_with("https://") {
        form.add("online_url", K::err_url);
    }
    let place = crate::text::clean_text(place, 300);
    if place.is_empty() && url.is_empty() {
        form.add("place", K::consultations_err_place);
    }
    let (Some(starts), true) = (starts, form.is_ok()) else { return Err(form.into()) };
    db::set_debate(&state().db, id, starts, &place, &url, &clean_multiline(minutes, 50_000)).await?;
    notify_followers(
        &d,
        "consultations.debate",
        K::consultations_mail_debate_subject,
        K::consultations_mail_debate_body,
        None,
    )
    .await?;
    redirect(&format!("/consultations/{}/manage?debate=1", d.card.slug));
    Ok(())
}

pub async fn register_debate(id: i64) -> R<()> {
    let st = state();
    let user = signed_in().await?;
    let d = db::detail_by_id(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    let debate = db::debate(&st.db, id).await?;
    if !d.card.status.is_public() || debate.starts_at.is_none_or(|s| s < now()) {
        return Err(refuse(K::consultations_err_no_debate));
    }
    db::register_debate(&st.db, id, user.id).await?;
    redirect(&format!("/consultations/{}?registered=1#debate", d.card.slug));
    Ok(())
}

pub async fn queue(consultation: &str, reason: &str, state_filter: &str) -> R<moderation::Queue> {
    use crate::accounts::rules::RoleKind;
    let user = signed_in().await?;
    let everywhere = user.is_admin() || user.has(RoleKind::Moderator);
    let owned: Vec<(String, i64)> = user
        .roles
        .iter()
        .filter_map(|r| match r.kind {
            RoleKind::Official => Some(("authority".to_string(), r.scope_id)),
            RoleKind::OrgAdmin => Some(("org".to_string(), r.scope_id)),
            _ => None,
        })
        .collect();
    if !everywhere && owned.is_empty() {
        return Err(problem(Problem::Forbidden));
    }
    let st = state();
    let reason = if REPORT_REASONS.contains(&reason) { reason } else { "" };
    let state_filter = match state_filter {
        "pending" | "hidden" => state_filter,
        _ => "reported",
    };
    // The organiser's own consultations only, chosen in the query before its limit.
    let items = db::queue(&st.db, consultation.trim(), reason, state_filter, (!everywhere).then_some(user.id)).await?;
    let (pending, reported, hidden) = if everywhere { db::queue_counts(&st.db).await? } else { (0, 0, 0) };
    Ok(moderation::Queue {
        items,
        pending,
        reported,
        hidden,
        state: state_filter.to_string(),
        reason: reason.to_string(),
        consultation: consultation.trim().to_string(),
        everywhere,
    })
}

pub async fn log(slug: &str) -> R<moderation::Log> {
    let user = me().await?;
    let d = visible(slug, user.as_ref()).await?;
    Ok(moderation::Log { card: d.card.clone(), entries: db::log(&state().db, d.card.id).await? })
}

pub async fn answers_page(slug: &str, filter: &str) -> R<report::AnswersPage> {
    let st = state();
    let user = signed_in().await?;
    let d = db::detail_by_slug(&st.db, slug).await?.ok_or(problem(Problem::NotFound))?;
    if !organiser_of(Some(&user), &d) {
        return Err(problem(Problem::Forbidden));
    }
    let rows = db::report_rows(&st.db, d.card.id, true).await?;
    let only_open = filter != "all";
    let items = rows
        .into_iter()
        .filter(|r| r.depth == 0 && matches!(r.status, CommentStatus::Visible | CommentStatus::Hidden))
        .filter(|r| !only_open || r.answer.is_none())
        .collect();
    Ok(report::AnswersPage {
        unanswered: db::unanswered(&st.db, d.card.id).await?,
        can_answer: can_answer(d.card.status, d.card.phase),
        card: d.card,
        items,
        filter: if only_open { "open".into() } else { "all".into() },
    })
}

/// The report: public once published; the organiser can preview it before.
pub async fn report(slug: &str) -> R<report::Report> {
    let st = state();
    let user = me().await?;
    let d = visible(slug, user.as_ref()).await?;
    let published = d.report_published_at.is_some();
    if !published && !organiser_of(user.as_ref(), &d) {
        return Err(refuse(K::consultations_err_report_not_yet));
    }
    let units = db::units(&st.db, d.card.id, d.current_version).await?;
    let moderator = user.as_ref().is_some_and(|u| is_moderator(u, &d.card.owner_kind, d.card.owner_id));
    let mut rows = db::report_rows(&st.db, d.card.id, moderator).await?;
    let papers: std::collections::HashMap<i64, files::FileInfo> =
        db::papers_of(&st.db, d.card.id).await?.into_iter().filter_map(|f| f.comment_id.map(|c| (c, f))).collect();
    if !papers.is_empty() {
        for r in rows.iter_mut().filter(|r| r.status == CommentStatus::Visible) {
            r.paper = papers.get(&r.id).cloned();
        }
    }
    Ok(report::build(d, units, rows, published))
}

// ---- background work, called from the server's 60-second job loop ----

/// Closes consultations whose window ended and mails "closing soon" reminders to followers.
pub async fn run_jobs(db_: &ssr::Db, settings: &ssr::Settings) -> Result<(usize, usize), sqlx::Error> {
    let now = now();
    let closed = db::close_due(db_, now).await?;
    let soon = db::take_closing_soon(db_, now, CLOSING_SOON_SECS).await?;
    let base = settings.public_url.trim_end_matches('/');
    for id in &soon {
        let Some(d) = db::detail_by_id(db_, *id).await? else { continue };
        for (fid, _, email, lang) in db::followers(db_, *id).await? {
            let l = Lang::from_code(&lang);
            let token = unsubscribe_token(&settings.keys, "follow", &fid);
            let unsub = format!("{base}/consultations/unsubscribe?token={token}");
            let body = l.tf(
                K::consultations_mail_closing_body,
                &[("title", &d.card.title), ("when", &crate::fmt::date_time(l, d.card.closes_at))],
            );
            let tail = fill(l.t(K::consultations_mail_unsubscribe), &[("url", &unsub)]);
            let link = format!("{base}/consultations/{}", d.card.slug);
            let mut m = mail::compose(
                l,
                &email,
                "consultations.closing_soon",
                K::consultations_mail_closing_subject,
                &[body, tail],
                Some((K::consultations_mail_open, &link)),
            );
            m.unsubscribe_url = Some(unsub.replace("/consultations/unsubscribe?", "/consultations/one-click?"));
            mail::enqueue(db_, &m).await?;
        }
    }
    Ok((closed.len(), soon.len()))
}
