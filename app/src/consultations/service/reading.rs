//! What readers see: the list, an owner's consultations, a consultation's page (the part every
//! reader shares is cached) and a thread of comments rendered for its viewer.
use super::{me, organiser_of, problem, visible, visible_to, R};
use crate::accounts::SessionUser;
use crate::consultations::rules::dates::{checks_from, Dates};
use crate::consultations::rules::files::FileInfo;
use crate::consultations::rules::{
    can_create, can_edit, diff_words, is_moderator, is_organiser, parse_scope, shows_text, speaking_for, Phase, Scope,
    Sort, PAGE_SIZE, UNITS_PER_PAGE,
};
use crate::consultations::{
    db, Card, CommentView, ConsultationPage, DateChange, Debate, Detail, ListFilter, ListPage, ThreadPage, UnitView,
    VersionInfo, Viewer,
};
use crate::error::Problem;
use crate::ssr::{self, now, state};

/// What this person may do on this consultation.
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
    let can_create = user.as_ref().is_some_and(can_create);
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
    files: Vec<FileInfo>,
    versions: Vec<VersionInfo>,
    debate: Debate,
    date_changes: Vec<DateChange>,
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
                date_changes: db::date_changes(&st.db, id).await?,
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
    // Counted from the publication (or from now for a draft, as publishing will count them).
    let announced = d.published_at.unwrap_or_else(now);
    let dates = Dates { opens_at: d.card.opens_at, closes_at: d.card.closes_at, adoption_at: d.adoption_at };
    let checks = checks_from(announced, dates, &d.urgency_reason);
    Ok(ConsultationPage {
        units: shared.units.units.clone(),
        unit_page,
        units_total: shared.units.total,
        files: shared.files.clone(),
        general_comments: shared.units.general,
        versions: shared.versions.clone(),
        checks,
        debate,
        date_changes: shared.date_changes.clone(),
        unanswered: if v.organiser { db::unanswered(&st.db, d.card.id).await? } else { 0 },
        viewer: v,
        detail: d,
        now: now(),
    })
}

/// Renders a stored comment for this viewer: sanitised text, the diff, what they may do.
fn render(row: db::CommentRow, unit_text: Option<&str>, viewer_id: i64, moderator: bool, open: bool) -> CommentView {
    let mut v = row.view;
    if shows_text(v.status, moderator) {
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

/// The home page's figure: consultations taking comments now.
pub async fn open_now(db: &ssr::Db) -> Result<i64, sqlx::Error> {
    crate::consultations::db::count_open(db, now()).await
}
