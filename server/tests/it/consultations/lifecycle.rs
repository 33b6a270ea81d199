//! The whole loop of a consultation, by role: create, publish, comment, moderate, answer, report.
use super::*;

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
        // Who proposed the draft (the Administrative Code's list) is required, and must be one of it.
        for initiator in ["", "primarul"] {
            let mut odd = form.clone();
            odd.retain(|(k, _)| *k != "initiator");
            odd.push(("initiator", initiator));
            let p = error_of(s.call(&official, CreateConsultation::PATH, &odd).await).await;
            let errors = &p.form().unwrap_or_else(|| panic!("{kind:?}: {initiator:?} accepted")).errors;
            assert!(errors.iter().any(|e| e.field == "initiator" && e.msg == K::err_choose), "{p:?}");
            assert_eq!(p.kept().unwrap().value_of("title").as_deref(), Some("Iluminatul public pe strada Cuza Vodă"));
        }
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
        assert_eq!(page.detail.initiator, "mayor");
        let html = s.get(&anon, &format!("/consultations/{slug}")).await.text().await.unwrap().replace("<!>", "");
        let at = html.find("Inițiatorul proiectului</dt>").unwrap_or_else(|| panic!("{kind:?}: no initiator shown"));
        assert!(html[at..].chars().take(60).collect::<String>().contains("Primarul"), "{kind:?}: {}", &html[at..]);
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
        let q: Queue = s.call(&moderator, ModerationQueue::PATH, &[("state", "pending")]).await.json().await.unwrap();
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
        let log: Log = s.call(&anon, ModerationLog::PATH, &[("slug", &slug)]).await.json().await.unwrap();
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
        let (closed, _) = app::consultations::service::jobs::run_jobs(&s.db, &s.settings).await.unwrap();
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
        let open: AnswersPage =
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
        let rep: rules::report_page::ReportPage =
            s.call(&anon, GetReport::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        assert!(rep.published);
        let rows: Vec<_> = rep
            .sections
            .iter()
            .flat_map(|u| u.rows.iter().map(|r| (r.reg_no.clone(), r.depth, r.status, r.answer)))
            .collect();
        assert_eq!(
            rep.summary.unwrap().totals.answers[4],
            3,
            "two replies and the deleted comment carry no answer: {rows:?}"
        );
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
