//! Public consultations over real HTTP, on SQLite and PostgreSQL: every action by every role
//! (anonymous, resident, unverified, organisation member, moderator, organiser, admin) allowed or
//! refused on the server; XSS inert; the full loop from publishing to the published report.
mod common;

use app::accounts::rules::RoleKind;
use app::consultations::*;
use app::error::Problem;
use app::i18n::K;
use common::*;
use leptos::server_fn::ServerFn;
use sqlx::Row;

async fn error_of(res: reqwest::Response) -> Problem {
    let body = res.text().await.unwrap();
    serde_json::from_str::<ConsultationsError>(&body)
        .unwrap_or_else(|e| panic!("not a ConsultationsError ({e}): {body}"))
        .0
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn user(s: &TestServer, email: &str, verify: bool) -> (reqwest::Client, i64) {
    let c = client();
    let res = s
        .call(
            &c,
            app::accounts::Register::PATH,
            &[("display_name", "Dana Test"), ("email", email), ("password", "parola-buna-7"), ("website", "")],
        )
        .await;
    assert!(res.headers().contains_key("location"));
    if verify {
        let token = s.token_for(email).await;
        s.call(&c, app::accounts::VerifyEmail::PATH, &[("token", &token)]).await;
    }
    let res =
        s.call(&c, app::accounts::Login::PATH, &[("email", email), ("password", "parola-buna-7"), ("next", "")]).await;
    assert!(res.headers().contains_key("set-cookie"), "signed in");
    let id = app::accounts::db::find_user_by_email(&s.db, email).await.unwrap().unwrap().id;
    (c, id)
}

async fn grant(s: &TestServer, uid: i64, role: RoleKind, scope: i64) {
    app::accounts::db::grant_role(&s.db, uid, role, scope, uid).await.unwrap();
}

async fn id_of(s: &TestServer, table: &str, slug: &str) -> i64 {
    sqlx::query(&format!("SELECT id FROM {table} WHERE slug = $1"))
        .bind(slug)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0)
}

/// A form served ten seconds ago (the minimum fill time has passed).
fn token(s: &TestServer) -> String {
    form_token(s, app::ssr::now() - 10)
}

/// The form timing token the server issues, for a form served at `at`.
fn form_token(s: &TestServer, at: i64) -> String {
    s.settings.keys.sign(app::ssr::signing::Purpose::FormTiming, &at.to_string())
}

const DRAFT: &str = "HOTĂRÂRE privind iluminatul public\n\nArt. 1. - Obiect\n(1) Se modernizează iluminatul public pe strada Cuza Vodă.\n(2) Lucrările încep în anul 2027.\n\nArt. 2\nFinanțarea se asigură din bugetul local.\n";

fn create_form<'a>(owner: &'a str, opens: &'a str, closes: &'a str, adoption: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("owner", owner),
        ("title", "Iluminatul public pe strada Cuza Vodă"),
        ("summary", "Becuri LED și stâlpi noi."),
        ("topics[]", "urbanism"),
        ("locality", "Focșani"),
        ("county", "Vrancea"),
        ("draft_text", DRAFT),
        ("explanatory_note", "Nota de fundamentare."),
        ("opens_on", opens),
        ("closes_on", closes),
        ("adoption_on", adoption),
        ("urgency_reason", ""),
        ("officer_contact", "transparenta@focsani.invalid"),
    ]
}

fn ymd(utc: i64) -> String {
    let (y, m, d, _, _) = app::fmt::bucharest_parts(utc);
    format!("{y:04}-{m:02}-{d:02}")
}

async fn comment(
    s: &TestServer,
    c: &reqwest::Client,
    slug: &str,
    scope: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let tok = token(s);
    let mut form = vec![
        ("slug", slug),
        ("scope", scope),
        ("stance", "against"),
        ("body", "Lucrările ar trebui să înceapă mai devreme."),
        ("form_token", tok.as_str()),
        ("form_key", "new"),
        ("website", ""),
    ];
    for (k, v) in extra {
        if let Some(f) = form.iter_mut().find(|f| f.0 == *k) {
            f.1 = v;
        } else {
            form.push((k, v));
        }
    }
    s.call(c, PostComment::PATH, &form).await
}

async fn thread(s: &TestServer, c: &reqwest::Client, slug: &str, scope: &str) -> ThreadPage {
    let res = s.call(c, GetThread::PATH, &[("slug", slug), ("scope", scope), ("sort", "newest"), ("page", "1")]).await;
    let body = res.text().await.unwrap();
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn last_mail(s: &TestServer, to: &str) -> (String, String) {
    let r = sqlx::query("SELECT kind, body_text FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
        .bind(to)
        .fetch_one(&s.db.pool)
        .await
        .expect("a mail");
    (r.get(0), r.get(1))
}

#[tokio::test]
async fn the_whole_loop_by_role() {
    for kind in backends() {
        let s = spawn(kind).await;
        let council = id_of(&s, "authorities", "consiliul-local-focsani").await;
        let owner = format!("authority:{council}");
        let now = app::ssr::now();
        let (opens, closes, adoption) = (ymd(now), ymd(now + 15 * 86_400), ymd(now + 80 * 86_400));
        let form = create_form(&owner, &opens, &closes, &adoption);

        // Creating: anonymous and residents are refused; the authority's official may.
        let anon = client();
        assert_eq!(error_of(s.call(&anon, CreateConsultation::PATH, &form).await).await, Problem::Unauthenticated);
        let (resident, _) = user(&s, "rezident@exemplu.ro", true).await;
        assert_eq!(error_of(s.call(&resident, CreateConsultation::PATH, &form).await).await, Problem::Forbidden);
        let (official, official_id) = user(&s, "functionar@exemplu.ro", true).await;
        grant(&s, official_id, RoleKind::Official, council).await;
        // Law 52: a 5-day window is refused next to its field.
        let short_end = ymd(now + 4 * 86_400);
        let short = create_form(&owner, &opens, &short_end, &adoption);
        let p = error_of(s.call(&official, CreateConsultation::PATH, &short).await).await;
        assert_eq!(p.form().unwrap().errors[0].msg, K::consultations_err_law_window, "{p:?}");
        assert_eq!(p.kept().unwrap().value_of("draft_text").as_deref(), Some(DRAFT));
        let res = s.call(&official, CreateConsultation::PATH, &form).await;
        let loc = location(&res);
        assert!(
            loc.starts_with("/consultations/iluminatul-public-pe-strada-cuza-voda-")
                && loc.ends_with("/manage?created=1"),
            "{loc}"
        );
        let slug = loc.trim_start_matches("/consultations/").split('/').next().unwrap().to_string();

        // A draft is the organiser's alone; its split is there to review.
        assert_eq!(error_of(s.call(&anon, GetConsultation::PATH, &[("slug", &slug)]).await).await, Problem::NotFound);
        let page: ConsultationPage =
            s.call(&official, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        let labels: Vec<_> = page.units.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(labels, ["", "Art. 1", "Art. 2"]);
        assert!(page.viewer.organiser && page.checks.iter().all(|c| c.ok), "{:?}", page.checks);
        let id = page.detail.card.id.to_string();
        // Correcting the split: a forced unit.
        let corrected = format!("{DRAFT}\n## Anexa 1 – Străzile\nCuza Vodă, Unirii.\n");
        let res = s.call(&official, UpdateDraft::PATH, &[("id", &id), ("draft_text", &corrected)]).await;
        assert!(location(&res).ends_with("?split=1"));
        assert_eq!(
            error_of(s.call(&resident, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await).await,
            Problem::Forbidden
        );
        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await;
        assert!(location(&res).ends_with("?status=1"));
        let page: ConsultationPage =
            s.call(&anon, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        assert_eq!(page.units.len(), 4);
        assert_eq!(page.detail.card.phase, rules::Phase::Open);
        assert!(page.detail.draft_text.is_empty(), "the raw text is the organiser's");
        let res = s.call(&official, UpdateDraft::PATH, &[("id", &id), ("draft_text", DRAFT)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_not_draft));

        // Commenting.
        assert_eq!(error_of(comment(&s, &anon, &slug, "1", &[]).await).await, Problem::Unauthenticated);
        let fresh = form_token(&s, app::ssr::now());
        let res = comment(&s, &resident, &slug, "1", &[("form_token", &fresh)]).await;
        assert!(matches!(error_of(res).await, Problem::RateLimited { .. }), "filled faster than a person");
        let res = comment(&s, &resident, &slug, "1", &[("website", "http://spam")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_spam));
        let res = comment(&s, &resident, &slug, "1", &[("stance", "")]).await;
        let p = error_of(res).await;
        assert_eq!(p.form().unwrap().errors[0].field, "stance");
        let xss = "**bold**\n\n<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))";
        let res = comment(
            &s,
            &resident,
            &slug,
            "1",
            &[("body", xss), ("paragraph", "(2)"), ("alternative", "Lucrările încep în anul 2026.")],
        )
        .await;
        let loc = location(&res);
        assert!(loc.contains("posted=CP-"), "{loc}");
        let (kind_, body) = last_mail(&s, "rezident@exemplu.ro").await;
        assert_eq!(kind_, "consultations.receipt");
        assert!(body.contains(&format!("CP-{id}/00001")), "{body}");
        let html = s.get(&anon, &format!("/consultations/{slug}/comments?scope=1")).await.text().await.unwrap();
        assert!(html.contains("<strong>bold</strong>"));
        for bad in ["<script>alert", "onerror", "href=\"javascript"] {
            let at = html.find(bad).map(|i| html[i.saturating_sub(200)..(i + 100).min(html.len())].to_string());
            assert!(at.is_none(), "{bad}: {at:?}");
        }
        assert!(html.contains("<del>") && html.contains("<ins>"), "the proposal is shown as a diff");
        let th = thread(&s, &anon, &slug, "1").await;
        let top = th.comments[0].id;
        assert_eq!(th.comments[0].diff.iter().filter(|(op, _)| *op == rules::DiffOp::Added).count(), 1);
        // The consultation page counts comments per article.
        let page: ConsultationPage =
            s.call(&anon, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        assert_eq!(page.units[1].comments, 1);

        // Threads stop at three levels.
        let (member, member_id) = user(&s, "membru@exemplu.ro", true).await;
        let org = id_of(&s, "organisations", "grupul-dizabil-eu-vrancea").await;
        grant(&s, member_id, RoleKind::OrgMember, org).await;
        let top_s = top.to_string();
        let org_s = org.to_string();
        let res = comment(&s, &member, &slug, "1", &[("parent_id", &top_s), ("stance", ""), ("org_id", &org_s)]).await;
        assert!(location(&res).contains("posted="), "a member speaks for the organisation");
        let (kind_, _) = last_mail(&s, "rezident@exemplu.ro").await;
        assert_eq!(kind_, "consultations.reply", "the author hears about the reply");
        let th = thread(&s, &anon, &slug, "1").await;
        let r1 = &th.comments[0].replies[0];
        assert_eq!(r1.org_name, "Grupul DizAbil.Eu Vrancea");
        let r1s = r1.id.to_string();
        comment(&s, &resident, &slug, "1", &[("parent_id", &r1s), ("stance", "")]).await;
        let th = thread(&s, &anon, &slug, "1").await;
        let r2s = th.comments[0].replies[0].replies[0].id.to_string();
        let res = comment(&s, &member, &slug, "1", &[("parent_id", &r2s), ("stance", "")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_depth));
        // Speaking for an organisation one does not belong to is refused.
        let res = comment(&s, &resident, &slug, "1", &[("org_id", &org_s)]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);

        // Edit own within 15 minutes; not someone else's.
        let res = s.call(&member, EditComment::PATH, &[("id", &top_s), ("body", "altceva")]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        let res = s
            .call(
                &resident,
                EditComment::PATH,
                &[("id", &top_s), ("body", "Text corectat, **clar**."), ("alternative", "")],
            )
            .await;
        assert!(location(&res).contains(&format!("#c-{top}")));
        sqlx::query("UPDATE consultation_comments SET created_at = created_at - 901 WHERE id = $1")
            .bind(top)
            .execute(&s.db.pool)
            .await
            .unwrap();
        let res = s.call(&resident, EditComment::PATH, &[("id", &top_s), ("body", "prea târziu")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_edit_window));
        let th = thread(&s, &anon, &slug, "1").await;
        assert!(th.comments[0].edited && th.comments[0].body_html.contains("corectat"));

        // Support: one per person, retractable, never one's own.
        let res = s.call(&resident, ToggleSupport::PATH, &[("id", &top_s)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_own_support));
        s.call(&member, ToggleSupport::PATH, &[("id", &top_s)]).await;
        assert_eq!(thread(&s, &anon, &slug, "1").await.comments[0].support, 1);
        s.call(&member, ToggleSupport::PATH, &[("id", &top_s)]).await;
        assert_eq!(thread(&s, &anon, &slug, "1").await.comments[0].support, 0);
        s.call(&member, ToggleSupport::PATH, &[("id", &top_s)]).await;

        // Unverified accounts: held for moderation; the public does not see the text.
        let (newbie, _) = user(&s, "nou@exemplu.ro", false).await;
        let res = comment(&s, &newbie, &slug, "general", &[("body", "Propun și iluminat pe strada Unirii.")]).await;
        assert!(location(&res).contains("posted="));
        assert!(thread(&s, &anon, &slug, "general").await.comments.is_empty());
        let mine = thread(&s, &newbie, &slug, "general").await;
        assert_eq!(mine.comments[0].status, rules::CommentStatus::Pending);
        let pending = mine.comments[0].id.to_string();

        // Reports: three hide a comment automatically; a moderator decides with a public reason.
        let bad = {
            comment(
                &s,
                &member,
                &slug,
                "2",
                &[("body", "Cumpărați acum, reduceri la becuri!!!"), ("stance", "neutral")],
            )
            .await;
            thread(&s, &anon, &slug, "2").await.comments[0].id.to_string()
        };
        // An unverified account cannot report (three throwaway accounts must not hide a comment).
        let res =
            s.call(&newbie, ReportComment::PATH, &[("id", &bad), ("reason", "spam"), ("details", "reclamă")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_verify_first));
        let (third, _) = user(&s, "al-treilea@exemplu.ro", true).await;
        for (i, c) in [&resident, &third, &official].into_iter().enumerate() {
            let res = s.call(c, ReportComment::PATH, &[("id", &bad), ("reason", "spam"), ("details", "reclamă")]).await;
            assert!(location(&res).contains("reported=1"), "report {i}");
        }
        let res = s.call(&resident, ReportComment::PATH, &[("id", &bad), ("reason", "nonsense")]).await;
        assert!(error_of(res).await.form().is_some());
        let th = thread(&s, &anon, &slug, "2").await;
        assert_eq!(th.comments[0].status, rules::CommentStatus::Hidden);
        assert!(th.comments[0].body_html.is_empty(), "hidden text is not shown to the public");
        // Residents cannot moderate; a platform moderator and the organiser can.
        let res =
            s.call(&resident, ModerateComment::PATH, &[("id", &bad), ("action", "restore"), ("reason", "")]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        let (moderator, mod_id) = user(&s, "moderator@exemplu.ro", true).await;
        grant(&s, mod_id, RoleKind::Moderator, 0).await;
        let q: moderation::Queue =
            s.call(&moderator, ModerationQueue::PATH, &[("state", "pending")]).await.json().await.unwrap();
        assert!(q.items.iter().any(|i| i.id.to_string() == pending));
        let res = s
            .call(
                &moderator,
                ModerateComment::PATH,
                &[("id", &pending), ("action", "approve"), ("reason", ""), ("next", "")],
            )
            .await;
        assert_eq!(location(&res), "/consultations/moderation");
        assert_eq!(thread(&s, &anon, &slug, "general").await.comments.len(), 1);
        let res = s.call(&moderator, ModerateComment::PATH, &[("id", &bad), ("action", "hide"), ("reason", "x")]).await;
        assert!(error_of(res).await.form().is_some(), "a public reason is required");
        s.call(
            &moderator,
            ModerateComment::PATH,
            &[("id", &bad), ("action", "hide"), ("reason", "reclamă comercială"), ("next", "")],
        )
        .await;
        let log: moderation::Log = s.call(&anon, ModerationLog::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        let actions: Vec<_> = log.entries.iter().map(|e| (e.action.as_str(), e.reason.as_str())).collect();
        assert!(
            actions.contains(&("hide", "reclamă comercială")) && actions.iter().any(|a| a.0 == "auto_hide"),
            "{actions:?}"
        );
        let html = s.get(&anon, &format!("/consultations/{slug}/comments?scope=2")).await.text().await.unwrap();
        assert!(html.contains("reclamă comercială") && !html.contains("reduceri la becuri"));
        // Residents have no queue.
        assert_eq!(error_of(s.call(&resident, ModerationQueue::PATH, &[]).await).await, Problem::Forbidden);

        // Delete own → placeholder; the reply under it stays.
        let own = {
            comment(&s, &resident, &slug, "2", &[("body", "Îl voi retrage.")]).await;
            thread(&s, &resident, &slug, "2").await.comments.iter().find(|c| c.mine).unwrap().id.to_string()
        };
        assert_eq!(error_of(s.call(&member, DeleteComment::PATH, &[("id", &own)]).await).await, Problem::Forbidden);
        s.call(&resident, DeleteComment::PATH, &[("id", &own)]).await;
        let th = thread(&s, &anon, &slug, "2").await;
        let deleted = th.comments.iter().find(|c| c.id.to_string() == own).unwrap();
        assert_eq!(deleted.status, rules::CommentStatus::Deleted);
        assert!(deleted.body_html.is_empty());

        // Answers only after the window; the clock closes it.
        let res = s
            .call(
                &official,
                AnswerComments::PATH,
                &[("consultation_id", &id), ("ids[]", &top_s), ("answer", "accepted"), ("justification", "")],
            )
            .await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_answer_phase));
        sqlx::query("UPDATE consultations SET closes_at = $1 WHERE id = $2")
            .bind(app::ssr::now() - 1)
            .bind(page.detail.card.id)
            .execute(&s.db.pool)
            .await
            .unwrap();
        let res = comment(&s, &resident, &slug, "1", &[]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_not_open), "closed at the exact second");
        let (closed, _) = app::consultations::server::run_jobs(&s.db, &s.settings).await.unwrap();
        assert_eq!(closed, 1);
        // The report waits for every answer.
        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish_report")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_unanswered));
        let res = s.call(&anon, GetReport::PATH, &[("slug", &slug)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_report_not_yet));
        // Residents and moderators do not answer; a rejection needs its reason.
        let res = s
            .call(
                &moderator,
                AnswerComments::PATH,
                &[("consultation_id", &id), ("ids[]", &top_s), ("answer", "noted"), ("justification", "")],
            )
            .await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        let res = s
            .call(
                &official,
                AnswerComments::PATH,
                &[("consultation_id", &id), ("ids[]", &top_s), ("answer", "rejected"), ("justification", "nu")],
            )
            .await;
        assert_eq!(error_of(res).await.form().unwrap().errors[0].msg, K::consultations_err_justification);
        let open: report::AnswersPage =
            s.call(&official, GetAnswers::PATH, &[("slug", &slug), ("filter", "")]).await.json().await.unwrap();
        // Hidden comments can be answered too, but only visible ones hold the report back.
        assert_eq!(open.unanswered, 2);
        assert_eq!(open.items.len(), 3, "{:?}", open.items);
        let mut form: Vec<(&str, String)> = vec![
            ("consultation_id", id.clone()),
            ("answer", "partial".into()),
            ("justification", "Începem în 2027, cu strada Cuza Vodă.".into()),
        ];
        for it in &open.items {
            form.push(("ids[]", it.id.to_string()));
        }
        let form_ref: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = s.call(&official, AnswerComments::PATH, &form_ref).await;
        assert!(location(&res).contains("answered="), "bulk answer");
        let (kind_, body) = last_mail(&s, "rezident@exemplu.ro").await;
        assert_eq!(kind_, "consultations.answer");
        assert!(body.contains("Începem în 2027"));
        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish_report")]).await;
        if !res.headers().contains_key("location") {
            panic!("publish_report: {} {}", res.status(), res.text().await.unwrap());
        }
        assert!(location(&res).ends_with("?status=1"));
        let rep: report::Report = s.call(&anon, GetReport::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        assert!(rep.published);
        let rows: Vec<_> = rep
            .units
            .iter()
            .flat_map(|u| u.rows.iter().map(|r| (r.reg_no.clone(), r.depth, r.status, r.answer)))
            .collect();
        assert_eq!(rep.totals.answers[4], 3, "two replies and the deleted comment carry no answer: {rows:?}");
        let csv = s.get(&anon, &format!("/consultations/{slug}/report.csv")).await.text().await.unwrap();
        assert!(
            csv.contains(&format!("CP-{id}/00001"))
                && csv.contains("Începem în 2027")
                && csv.contains("reclamă comercială")
        );
        let pdf = s.get(&anon, &format!("/consultations/{slug}/report.pdf")).await.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        // After the report, adoption; nothing goes back.
        s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "adopt")]).await;
        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_transition));
    }
}

#[tokio::test]
async fn demo_data_lists_follows_and_unsubscribes() {
    for kind in backends() {
        let s = spawn(kind).await;
        let anon = client();
        let list: ListPage = s
            .call(
                &anon,
                ListConsultations::PATH,
                &[
                    ("filter[topic]", "accessibility"),
                    ("filter[county]", ""),
                    ("filter[status]", ""),
                    ("filter[page]", "1"),
                ],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list.total, 3, "{:?}", list.cards.iter().map(|c| &c.title).collect::<Vec<_>>());
        assert_eq!(list.cards[0].slug, "planul-local-de-accesibilitate-focsani", "open first");
        for card in &list.cards {
            let page: ConsultationPage =
                s.call(&anon, GetConsultation::PATH, &[("slug", &card.slug)]).await.json().await.unwrap();
            assert!(page.checks.iter().all(|c| c.ok), "{}: {:?}", card.slug, page.checks);
        }
        let html = s.get(&anon, "/consultations/planul-local-de-accesibilitate-focsani").await.text().await.unwrap();
        assert!(html.contains("Art. 3") && html.contains("Trotuare și treceri de pietoni"));
        let th = thread(&s, &anon, "planul-local-de-accesibilitate-focsani", "all").await;
        let states: Vec<_> = th.comments.iter().map(|c| c.status).collect();
        assert!(states.contains(&rules::CommentStatus::Hidden) && states.contains(&rules::CommentStatus::Deleted));
        let rep: report::Report = s
            .call(&anon, GetReport::PATH, &[("slug", "regulamentul-parcarilor-rezervate-focsani")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(rep.totals.total(), 4);
        assert_eq!(rep.totals.answers, [1, 1, 1, 1, 0]);
        // The organisation page lists the consultations it runs (none for this group).
        let cards: Vec<Card> = s
            .call(
                &anon,
                OrgConsultations::PATH,
                &[("org_id", &id_of(&s, "organisations", "grupul-dizabil-eu-vrancea").await.to_string())],
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(cards.is_empty());

        // Follow → the closing-soon mail carries a one-click unsubscribe that works.
        let (resident, _) = user(&s, "urmaritor@exemplu.ro", true).await;
        let cid = id_of(&s, "consultations", "planul-local-de-accesibilitate-focsani").await;
        let res = s.call(&resident, ToggleFollow::PATH, &[("id", &cid.to_string())]).await;
        assert!(location(&res).ends_with("?follow=1"));
        sqlx::query("UPDATE consultations SET closes_at = $1 WHERE id = $2")
            .bind(app::ssr::now() + 3_600)
            .bind(cid)
            .execute(&s.db.pool)
            .await
            .unwrap();
        let (_, soon) = app::consultations::server::run_jobs(&s.db, &s.settings).await.unwrap();
        assert_eq!(soon, 1);
        let (_, again) = app::consultations::server::run_jobs(&s.db, &s.settings).await.unwrap();
        assert_eq!(again, 0, "one reminder only");
        let r =
            sqlx::query("SELECT kind, unsubscribe_url FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
                .bind("urmaritor@exemplu.ro")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert_eq!(r.get::<String, _>(0), "consultations.closing_soon");
        let url: String = r.get(1);
        assert!(url.contains("/consultations/one-click?token="));
        // A forged token is refused; the real one works without cookies or origin.
        let bare = reqwest::Client::new();
        let forged = url.replace("follow:", "follow:9");
        assert_eq!(bare.post(&forged).send().await.unwrap().status(), 400);
        assert_eq!(bare.post(&url).send().await.unwrap().status(), 200);
        let page: ConsultationPage = s
            .call(&resident, GetConsultation::PATH, &[("slug", "planul-local-de-accesibilitate-focsani")])
            .await
            .json()
            .await
            .unwrap();
        assert!(!page.viewer.following);
    }
}

// ---- files: attachments, the draft as a file, position papers, minutes ----

fn pdf_bytes(text: &str) -> Vec<u8> {
    let mut d = app::ssr::pdf::PdfDoc::new("test");
    d.text(text);
    d.render().unwrap()
}

/// A Word document with these paragraphs, built the way Word stores it (a zip with word/document.xml).
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let body: String =
        paragraphs.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>")).collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    z.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
    z.write_all(xml.as_bytes()).unwrap();
    z.finish().unwrap();
    out.into_inner()
}

async fn upload(
    s: &TestServer,
    c: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>, &str)>,
) -> reqwest::Response {
    let mut f = reqwest::multipart::Form::new();
    for (k, v) in fields {
        f = f.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes, mime)) = file {
        f = f.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()).mime_str(mime).unwrap());
    }
    c.post(format!("{}{path}", s.base)).header("origin", &s.base).multipart(f).send().await.unwrap()
}

fn decoded(loc: &str) -> String {
    urlencoding_decode(loc)
}

fn urlencoding_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn files_by_role() {
    for kind in backends() {
        let s = spawn(kind).await;
        let council = id_of(&s, "authorities", "consiliul-local-focsani").await;
        let owner = format!("authority:{council}");
        let now = app::ssr::now();
        let (opens, closes, adoption) = (ymd(now), ymd(now + 15 * 86_400), ymd(now + 80 * 86_400));
        let mut form = create_form(&owner, &opens, &closes, &adoption);
        // The draft may be left empty at creation and uploaded as a file.
        form.iter_mut().find(|f| f.0 == "draft_text").unwrap().1 = "";
        let anon = client();
        let (resident, _) = user(&s, "rezident@exemplu.ro", true).await;
        let (official, official_id) = user(&s, "functionar@exemplu.ro", true).await;
        grant(&s, official_id, RoleKind::Official, council).await;
        let (org_admin, org_admin_id) = user(&s, "admin-ong@exemplu.ro", true).await;
        let org = id_of(&s, "organisations", "grupul-dizabil-eu-vrancea").await;
        grant(&s, org_admin_id, RoleKind::OrgAdmin, org).await;
        let (admin, admin_id) = user(&s, "admin@exemplu.ro", true).await;
        grant(&s, admin_id, RoleKind::Admin, 0).await;
        let (moderator, mod_id) = user(&s, "moderator@exemplu.ro", true).await;
        grant(&s, mod_id, RoleKind::Moderator, 0).await;
        let res = s.call(&official, CreateConsultation::PATH, &form).await;
        let loc = location(&res);
        assert!(loc.ends_with("/manage?created=1"), "{loc}");
        let slug = loc.trim_start_matches("/consultations/").split('/').next().unwrap().to_string();
        let page: ConsultationPage =
            s.call(&official, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        let id = page.detail.card.id.to_string();
        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_publish_empty));

        // The draft as a file: organisers only, judged by content, split for review.
        let draft_path = format!("/consultations/{slug}/draft-file");
        let word = docx(&[
            "HOTĂRÂRE privind iluminatul public",
            "Art. 1. - Obiect",
            "(1) Se modernizează iluminatul public pe strada Cuza Vodă &amp; Unirii.",
            "(2) Lucrările încep în anul 2027.",
            "Art. 2",
            "Finanțarea se asigură din bugetul local.",
        ]);
        let res = upload(&s, &anon, &draft_path, &[], Some(("p.docx", word.clone(), "application/octet-stream"))).await;
        assert!(location(&res).starts_with("/account/login"), "anonymous: sign in first");
        for c in [&resident, &org_admin, &moderator] {
            let res = upload(&s, c, &draft_path, &[], Some(("p.docx", word.clone(), "application/octet-stream"))).await;
            assert_eq!(res.status(), 403);
        }
        let res =
            upload(&s, &official, &draft_path, &[], Some(("p.docx", vec![0, 1, 2, 3, 0xff, 0xfe], "text/plain"))).await;
        assert!(decoded(&location(&res)).contains("error=draft_file:not_text"), "{}", location(&res));
        let res = upload(
            &s,
            &official,
            &draft_path,
            &[],
            Some(("p.txt", b"Doar o idee, fara articole.".to_vec(), "text/plain")),
        )
        .await;
        assert!(decoded(&location(&res)).contains("error=draft_file:no_articles"));
        let res = upload(
            &s,
            &official,
            &draft_path,
            &[],
            Some(("proiect.docx", word, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
        )
        .await;
        assert_eq!(location(&res), format!("/consultations/{slug}/manage?split=1#split"));
        let page: ConsultationPage =
            s.call(&official, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        let labels: Vec<_> = page.units.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(labels, ["", "Art. 1", "Art. 2"]);
        assert!(page.units[1].paragraphs[0].text.contains("Cuza Vodă & Unirii"), "{:?}", page.units[1].paragraphs);
        assert_eq!(page.units[1].paragraphs.len(), 2, "paragraphs kept");
        let art1 = page.units[1].position.to_string();

        // Attachments: organisers (and admins) only; PDFs by content; 20 MB at most.
        let files_path = format!("/consultations/{slug}/files");
        let study = pdf_bytes("Studiu de impact: iluminat public");
        let res = upload(
            &s,
            &anon,
            &files_path,
            &[("kind", "attachment")],
            Some(("s.pdf", study.clone(), "application/pdf")),
        )
        .await;
        assert!(location(&res).starts_with("/account/login"));
        for c in [&resident, &org_admin, &moderator] {
            let res = upload(
                &s,
                c,
                &files_path,
                &[("kind", "attachment")],
                Some(("s.pdf", study.clone(), "application/pdf")),
            )
            .await;
            assert_eq!(res.status(), 403, "not an organiser of this consultation");
        }
        let fake = b"<html><script>alert(1)</script></html> padding padding padding".to_vec();
        let res = upload(
            &s,
            &official,
            &files_path,
            &[("kind", "attachment"), ("title", "Anexa falsă")],
            Some(("anexa.pdf", fake, "application/pdf")),
        )
        .await;
        let loc = decoded(&location(&res));
        assert!(
            loc.contains("error=file:not_pdf") && loc.contains("title=Anexa falsă") && loc.ends_with("#files"),
            "{loc}"
        );
        let res = upload(&s, &official, &files_path, &[("kind", "attachment")], None).await;
        assert!(decoded(&location(&res)).contains("error=file:required"));
        let mut big = study.clone();
        big.resize(app::consultations::files::MAX_PDF_BYTES + 1, b' ');
        let res =
            upload(&s, &official, &files_path, &[("kind", "attachment")], Some(("mare.pdf", big, "application/pdf")))
                .await;
        assert!(decoded(&location(&res)).contains("error=file:too_large"), "{}", location(&res));
        let xss_title = "Studiu de impact <img src=x onerror=alert(1)>";
        let res = upload(
            &s,
            &official,
            &files_path,
            &[("kind", "attachment"), ("title", xss_title)],
            Some(("studiu.pdf", study.clone(), "application/pdf")),
        )
        .await;
        assert_eq!(location(&res), format!("/consultations/{slug}/manage?uploaded=1#files"));
        let res = upload(
            &s,
            &admin,
            &files_path,
            &[("kind", "attachment")],
            Some(("C:\\acte\\Anexa 2.pdf", pdf_bytes("Anexa 2"), "application/pdf")),
        )
        .await;
        assert!(location(&res).contains("uploaded=1"), "a platform admin may too");
        let page: ConsultationPage =
            s.call(&official, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        let names: Vec<_> = page.files.iter().map(|f| f.name.as_str()).collect();
        assert!(names.len() == 2 && names[0].starts_with("Studiu de impact") && names[1] == "Anexa 2.pdf", "{names:?}");
        let study_href = app::consultations::files::href(&slug, page.files[0].id);
        let anexa = page.files[1].id.to_string();
        // While a draft, only its organisers see the files.
        assert_eq!(s.get(&anon, &study_href).await.status(), 404);
        let res = s.get(&official, &study_href).await;
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert_eq!(res.bytes().await.unwrap().to_vec(), study);
        // Removing: organisers only.
        let del = format!("/consultations/{slug}/files/{anexa}/delete");
        assert_eq!(s.call(&resident, &del, &[]).await.status(), 403);
        assert!(location(&s.call(&official, &del, &[]).await).contains("removed=1"));
        assert_eq!(
            s.get(&official, &app::consultations::files::href(&slug, anexa.parse().unwrap())).await.status(),
            404
        );

        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await;
        assert!(location(&res).ends_with("?status=1"));
        // The public page lists them with name and size; anyone downloads them.
        let html = s.get(&anon, &format!("/consultations/{slug}")).await.text().await.unwrap();
        assert!(html.contains(&format!("href=\"{study_href}\"")) && html.contains(" KB"), "listed with its size");
        assert!(!html.contains("<img src=x"), "the title is text, not markup");
        let res = s.get(&anon, &study_href).await;
        assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename="));
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.bytes().await.unwrap().to_vec(), study);
        // The draft file is for drafts only.
        let res =
            upload(&s, &official, &draft_path, &[], Some(("p.txt", DRAFT.as_bytes().to_vec(), "text/plain"))).await;
        assert!(decoded(&location(&res)).contains("error=draft_file:not_draft"));

        // Minutes of the debate as a file.
        let res = upload(
            &s,
            &official,
            &files_path,
            &[("kind", "minutes"), ("title", "Minuta dezbaterii")],
            Some(("m.pdf", pdf_bytes("Minuta"), "application/pdf")),
        )
        .await;
        assert!(location(&res).ends_with("#minutes"));
        let html = s.get(&anon, &format!("/consultations/{slug}")).await.text().await.unwrap();
        assert!(html.contains("Minuta dezbaterii.pdf"));

        // Position papers: the comment's author only, PDFs by content.
        let res = comment(&s, &resident, &slug, &art1, &[]).await;
        assert!(location(&res).contains("posted="));
        let th = thread(&s, &anon, &slug, &art1).await;
        let cid = th.comments[0].id;
        let paper_path = format!("/consultations/{slug}/papers/{cid}");
        let paper = pdf_bytes("Pozitia asociatiei");
        let res = upload(&s, &anon, &paper_path, &[], Some(("p.pdf", paper.clone(), "application/pdf"))).await;
        assert!(location(&res).starts_with("/account/login"));
        for c in [&org_admin, &official, &moderator] {
            let res = upload(&s, c, &paper_path, &[], Some(("p.pdf", paper.clone(), "application/pdf"))).await;
            assert_eq!(res.status(), 403, "only the author attaches a paper");
        }
        let res = upload(
            &s,
            &resident,
            &paper_path,
            &[],
            Some(("p.pdf", b"GIF89a not a pdf at all, really not".to_vec(), "application/pdf")),
        )
        .await;
        assert!(decoded(&location(&res)).contains(&format!("error=paper-{cid}:not_pdf")), "{}", location(&res));
        let res =
            upload(&s, &resident, &paper_path, &[], Some(("Poziție asociație.pdf", paper.clone(), "application/pdf")))
                .await;
        assert!(location(&res).contains("paper=1"), "{}", location(&res));
        let th = thread(&s, &anon, &slug, &art1).await;
        let p = th.comments[0].paper.clone().expect("the paper under the comment");
        assert_eq!(p.name, "Poziție asociație.pdf");
        let paper_href = app::consultations::files::href(&slug, p.id);
        let html = s.get(&anon, &format!("/consultations/{slug}/comments?scope={art1}")).await.text().await.unwrap();
        assert!(html.contains(&format!("href=\"{paper_href}\"")));
        assert_eq!(s.get(&anon, &paper_href).await.bytes().await.unwrap().to_vec(), paper);
        // In the report (the organiser's preview) and its CSV.
        let rep: report::Report = s.call(&official, GetReport::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        assert!(rep.units.iter().flat_map(|u| &u.rows).any(|r| r.paper.as_ref().is_some_and(|f| f.id == p.id)));
        let csv = s.get(&official, &format!("/consultations/{slug}/report.csv")).await.text().await.unwrap();
        assert!(csv.contains(&paper_href), "{csv}");
        // A hidden comment's paper is for moderators (and its author) only.
        let res = s
            .call(
                &moderator,
                ModerateComment::PATH,
                &[("id", &cid.to_string()), ("action", "hide"), ("reason", "date personale"), ("next", "")],
            )
            .await;
        assert!(location(&res).contains("/consultations/moderation"), "hidden");
        assert_eq!(s.get(&anon, &paper_href).await.status(), 404);
        assert_eq!(s.get(&moderator, &paper_href).await.status(), 200);
        assert_eq!(s.get(&resident, &paper_href).await.status(), 200);
        assert!(thread(&s, &anon, &slug, &art1).await.comments[0].paper.is_none());

        // The consultation page shows the draft a page at a time.
        let page: ConsultationPage =
            s.call(&anon, GetConsultation::PATH, &[("slug", &slug), ("page", "1")]).await.json().await.unwrap();
        assert_eq!((page.unit_page, page.units_total, page.units.len()), (1, 3, 3));
        let page: ConsultationPage =
            s.call(&anon, GetConsultation::PATH, &[("slug", &slug), ("page", "2")]).await.json().await.unwrap();
        assert!(page.units.is_empty());
    }
}
