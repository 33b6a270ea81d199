//! Rows: public consultations (drafts, comments, moderation, answers, debates, reports, files).
use super::*;
use app::consultations::*;
use leptos::server_fn::ServerFn;

fn ymd(utc: i64) -> String {
    let (y, m, d, _, _) = app::fmt::bucharest_parts(utc);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A form served ten seconds ago (the minimum fill time has passed).
fn form_token(c: &Ctx) -> String {
    c.s.settings.keys.sign(app::ssr::signing::Purpose::FormTiming, &(now() - 10).to_string())
}

fn create_form(owner: String, title: &str) -> Vec<(String, String)> {
    let t = now();
    form![
        "owner" => owner, "title" => title, "summary" => "Becuri LED si stalpi noi.", "topics[]" => "urbanism",
        "locality" => "Focșani", "county" => "Vrancea", "draft_text" => DRAFT,
        "explanatory_note" => "Nota de fundamentare.", "opens_on" => ymd(t), "closes_on" => ymd(t + 15 * 86_400),
        "adoption_on" => ymd(t + 80 * 86_400), "urgency_reason" => "", "officer_contact" => "transparenta@focsani.invalid",
        "initiator" => "mayor",
    ]
}

fn comment_form(c: &Ctx, slug: &str, body: &str, org: Option<i64>) -> Vec<(String, String)> {
    let mut f = form![
        "slug" => slug, "scope" => "general", "stance" => "against", "body" => body,
        "form_token" => form_token(c), "form_key" => "new", "website" => "",
    ];
    if let Some(o) = org {
        f.push(("org_id".into(), o.to_string()));
    }
    f
}

fn count_comments(body: &str) -> String {
    format!("SELECT COUNT(*) FROM consultation_comments WHERE body = '{body}'")
}

fn comment_state(id: i64) -> String {
    format!("SELECT status, body, support_count, report_count, answer FROM consultation_comments WHERE id = {id}")
}

pub fn rows() -> Vec<Row> {
    vec![
        // ---- reading what is not public yet ----
        row!("get_consultation (a draft)", GetConsultation::PATH, ORGANISERS, Status, |c, r| {
            Call::post(GetConsultation::PATH, form!["slug" => c.draft.slug, "page" => 0])
        }),
        row!("get_consultation (the organisation's draft)", GetConsultation::PATH, ORG_MANAGERS, Status, |c, r| {
            Call::post(GetConsultation::PATH, form!["slug" => c.org_draft.slug, "page" => 0])
        }),
        row!("get_thread (text of a hidden comment)", GetThread::PATH, MODERATORS, Reveals, |c, r| {
            Call::post(GetThread::PATH, form!["slug" => c.open.slug, "scope" => "general", "sort" => "", "page" => 1])
                .marker(c.thread_hidden_marker.clone())
        }),
        row!("get_thread (a draft)", GetThread::PATH, ORGANISERS, Status, |c, r| {
            Call::post(GetThread::PATH, form!["slug" => c.draft.slug, "scope" => "general", "sort" => "", "page" => 1])
        }),
        row!(
            "get_thread (a comment waiting for moderation, by resident)",
            GetThread::PATH,
            &[Role::Resident, Role::Moderator, Role::Admin, Role::Official],
            Reveals,
            |c, r| {
                Call::post(
                    GetThread::PATH,
                    form!["slug" => c.open.slug, "scope" => "general", "sort" => "", "page" => 1],
                )
                .marker(c.pending_marker.clone())
            }
        ),
        row!("org_consultations (the organisation's drafts)", OrgConsultations::PATH, ORG_MANAGERS, Reveals, |c, r| {
            Call::post(OrgConsultations::PATH, form!["org_id" => c.org]).marker(c.org_draft_title.clone())
        }),
        row!("owner_options (own roles)", OwnerOptions::PATH, SIGNED_IN, Status, |c, r| Call::post(
            OwnerOptions::PATH,
            vec![]
        )),
        row!(
            "moderation_queue (a reported comment on the authority's consultation)",
            ModerationQueue::PATH,
            MODERATORS,
            Reveals,
            |c, r| {
                Call::post(ModerationQueue::PATH, form!["consultation" => "", "reason" => "", "state" => ""])
                    .marker(c.queue_marker.clone())
            }
        ),
        row!(
            "moderation_queue (a reported comment on the organisation's consultation)",
            ModerationQueue::PATH,
            &[Role::Moderator, Role::Admin, Role::OrgAdmin],
            Reveals,
            |c, r| {
                Call::post(ModerationQueue::PATH, form!["consultation" => "", "reason" => "", "state" => ""])
                    .marker(c.org_queue_marker.clone())
            }
        ),
        row!("get_answers", GetAnswers::PATH, ORGANISERS, Status, |c, r| {
            Call::post(GetAnswers::PATH, form!["slug" => c.closed.slug, "filter" => "all"])
        }),
        row!("get_report (not yet published)", GetReport::PATH, ORGANISERS, Status, |c, r| {
            Call::post(GetReport::PATH, form!["slug" => c.closed.slug])
        }),
        row!("get_report (published: text of a hidden comment)", GetReport::PATH, MODERATORS, Reveals, |c, r| {
            Call::post(GetReport::PATH, form!["slug" => c.answered.slug]).marker(c.hidden_marker.clone())
        }),
        row!("report.csv (not yet published)", "/consultations/{slug}/report.csv", ORGANISERS, Status, |c, r| {
            Call::get(format!("/consultations/{}/report.csv", c.closed.slug))
        }),
        row!("report.pdf (not yet published)", "/consultations/{slug}/report.pdf", ORGANISERS, Status, |c, r| {
            Call::get(format!("/consultations/{}/report.pdf", c.closed.slug))
        }),
        // ---- the organiser's work ----
        row!("create_consultation (for the authority)", CreateConsultation::PATH, ORGANISERS, Status, |c, r| {
            let title = format!("Iluminatul public matrice {}", c.n());
            Call::post(CreateConsultation::PATH, create_form(format!("authority:{}", c.auth), &title))
                .probe(format!("SELECT COUNT(*) FROM consultations WHERE title = '{title}'"))
        }),
        row!("create_consultation (for the organisation)", CreateConsultation::PATH, ORG_MANAGERS, Status, |c, r| {
            let title = format!("Parcul cartierului matrice {}", c.n());
            Call::post(CreateConsultation::PATH, create_form(format!("org:{}", c.org), &title))
                .probe(format!("SELECT COUNT(*) FROM consultations WHERE title = '{title}'"))
        }),
        row!("update_draft", UpdateDraft::PATH, ORGANISERS, Status, |c, r| {
            let text = format!("{DRAFT}\nArt. 3\nVarianta {}.\n", c.n());
            Call::post(UpdateDraft::PATH, form!["id" => c.draft.id, "draft_text" => text])
                .probe(format!("SELECT draft_text FROM consultations WHERE id = {}", c.draft.id))
        }),
        row!(
            "upload_draft (POST /consultations/{slug}/draft-file)",
            "/consultations/{slug}/draft-file",
            ORGANISERS,
            Status,
            |c, r| {
                let text = format!("Art. 1. - Obiect\n(1) Text din fisier {}.\n", c.n());
                let parts = vec![Part::File("file", "proiect.txt", text.into_bytes(), "text/plain")];
                Call::multipart(format!("/consultations/{}/draft-file", c.draft.slug), parts, false)
                    .probe(format!("SELECT draft_text FROM consultations WHERE id = {}", c.draft.id))
            }
        ),
        row!("change_status (publish a draft)", ChangeStatus::PATH, ORGANISERS, Status, |c, r| {
            let d = c.consultation(app::consultations::rules::Status::Draft, "authority", c.auth, "De publicat").await;
            Call::post(ChangeStatus::PATH, form!["id" => d.id, "action" => "publish"])
                .probe(format!("SELECT status FROM consultations WHERE id = {}", d.id))
        }),
        row!("correct_dates (a draft)", CorrectDates::PATH, ORGANISERS, Status, |c, r| {
            let d = c.consultation(app::consultations::rules::Status::Draft, "authority", c.auth, "De corectat").await;
            let t = now();
            Call::post(
                CorrectDates::PATH,
                form![
                    "id" => d.id, "fix_opens_on" => ymd(t + 86_400), "fix_closes_on" => ymd(t + 35 * 86_400),
                    "fix_adoption_on" => ymd(t + 90 * 86_400), "fix_reason" => "Termen corectat in matrice.",
                ],
            )
            .probe(format!("SELECT closes_at FROM consultations WHERE id = {}", d.id))
        }),
        row!("extend_window", ExtendWindow::PATH, ORGANISERS, Status, |c, r| {
            let d = c.consultation(app::consultations::rules::Status::Open, "authority", c.auth, "De prelungit").await;
            Call::post(
                ExtendWindow::PATH,
                form![
                    "id" => d.id, "ext_closes_on" => ymd(now() + 30 * 86_400), "ext_adoption_on" => "",
                    "ext_reason" => "Prelungire ceruta in matrice.",
                ],
            )
            .probe(format!("SELECT closes_at FROM consultations WHERE id = {}", d.id))
        }),
        row!("new_version", NewVersion::PATH, ORGANISERS, Status, |c, r| {
            let text = format!("{DRAFT}\nArt. 3\nVersiunea {}.\n", c.n());
            Call::post(
                NewVersion::PATH,
                form!["id" => c.open.id, "draft_text" => text, "changelog" => "Am adaugat art. 3."],
            )
            .probe(format!("SELECT current_version FROM consultations WHERE id = {}", c.open.id))
        }),
        row!("schedule_debate", ScheduleDebate::PATH, ORGANISERS, Status, |c, r| {
            let place = format!("Sala {}", c.n());
            Call::post(
                ScheduleDebate::PATH,
                form!["id" => c.open.id, "date" => ymd(now() + 12 * 86_400), "time" => "17:00", "place" => place, "online_url" => "", "minutes" => ""],
            )
            .probe(format!("SELECT COUNT(*) FROM consultation_debates WHERE place = '{place}'"))
        }),
        row!("answer_comments", AnswerComments::PATH, ORGANISERS, Status, |c, r| {
            let id = c.comment(c.closed.id, c.person, CommentStatus::Visible, "Un comentariu de raspuns.").await;
            Call::post(
                AnswerComments::PATH,
                form!["consultation_id" => c.closed.id, "ids[]" => id, "answer" => "accepted", "justification" => ""],
            )
            .probe(comment_state(id))
        }),
        row!(
            "answer_comments (a comment of another authority's consultation)",
            AnswerComments::PATH,
            NOBODY,
            Changes,
            |c, r| {
                let other = c
                    .consultation(
                        app::consultations::rules::Status::Closed,
                        "authority",
                        c.auth_other,
                        "Alta autoritate",
                    )
                    .await;
                let id = c.comment(other.id, c.person, CommentStatus::Visible, "Comentariu strain.").await;
                Call::post(AnswerComments::PATH, form!["consultation_id" => c.closed.id, "ids[]" => id, "answer" => "accepted", "justification" => ""])
                .probe(comment_state(id))
            }
        ),
        row!(
            "upload_file (POST /consultations/{slug}/files)",
            "/consultations/{slug}/files",
            ORGANISERS,
            Status,
            |c, r| {
                let parts = vec![
                    Part::Text("kind", "attachment".into()),
                    Part::Text("title", "Studiu de impact".into()),
                    Part::File("file", "studiu.pdf", PDF.to_vec(), "application/pdf"),
                ];
                Call::multipart(format!("/consultations/{}/files", c.open.slug), parts, false)
                    .probe(format!("SELECT COUNT(*) FROM consultation_files WHERE consultation_id = {}", c.open.id))
            }
        ),
        row!(
            "delete_file (POST /consultations/{slug}/files/{id}/delete)",
            "/consultations/{slug}/files/{id}/delete",
            ORGANISERS,
            Status,
            |c, r| {
                let parts = vec![
                    Part::Text("kind", "attachment".into()),
                    Part::Text("title", "De sters".into()),
                    Part::File("file", "sters.pdf", PDF.to_vec(), "application/pdf"),
                ];
                let a = c
                    .send_as(Role::Admin, Req::Multipart(format!("/consultations/{}/files", c.open.slug), parts, false))
                    .await;
                assert_eq!(a.status, 303, "fixture: an attachment ({})", a.location);
                let id = c
                    .scalar(format!(
                        "SELECT MAX(id) FROM consultation_files WHERE consultation_id = {} AND comment_id IS NULL",
                        c.open.id
                    ))
                    .await;
                Call::post(format!("/consultations/{}/files/{id}/delete", c.open.slug), vec![])
                    .probe(format!("SELECT COUNT(*) FROM consultation_files WHERE id = {id}"))
            }
        ),
        row!(
            "delete_file (another authority's file, through an own consultation)",
            "/consultations/{slug}/files/{id}/delete",
            NOBODY,
            Changes,
            |c, r| {
                Call::post(format!("/consultations/{}/files/{}/delete", c.open.slug, c.foreign_file.1), vec![])
                    .probe(format!("SELECT COUNT(*) FROM consultation_files WHERE id = {}", c.foreign_file.1))
            }
        ),
        // ---- files that are not public ----
        row!(
            "download (a paper under a hidden comment, by resident)",
            "/consultations/{slug}/files/{id}",
            &[Role::Resident, Role::Moderator, Role::Admin, Role::Official],
            Status,
            |c, r| Call::get(format!("/consultations/{}/files/{}", c.hidden_paper.0, c.hidden_paper.1))
        ),
        row!("download (an attachment of a draft)", "/consultations/{slug}/files/{id}", ORGANISERS, Status, |c, r| {
            Call::get(format!("/consultations/{}/files/{}", c.draft_file.0, c.draft_file.1))
        }),
        row!("/media/ (the stored key of that hidden paper)", "/media/{*key}", NOBODY, Status, |c, r| {
            Call::get(format!("/media/{}", c.hidden_paper.2))
        }),
        // ---- taking part ----
        row!("post_comment", PostComment::PATH, SIGNED_IN, Status, |c, r| {
            let body = format!("Comentariu matrice {}", c.n());
            Call::post(PostComment::PATH, comment_form(&c, &c.open.slug, &body, None)).probe(count_comments(&body))
        }),
        row!("post_comment (published at once, without moderation)", PostComment::PATH, VERIFIED, Changes, |c, r| {
            let body = format!("Comentariu vizibil {}", c.n());
            Call::post(PostComment::PATH, comment_form(&c, &c.open.slug, &body, None)).probe(format!(
                "SELECT COUNT(*) FROM consultation_comments WHERE body = '{body}' AND status = 'visible'"
            ))
        }),
        row!("post_comment (on behalf of the organisation)", PostComment::PATH, ORG_PEOPLE, Status, |c, r| {
            let body = format!("In numele grupului {}", c.n());
            Call::post(PostComment::PATH, comment_form(&c, &c.open.slug, &body, Some(c.org)))
                .probe(count_comments(&body))
        }),
        row!("edit_comment (resident's own)", EditComment::PATH, &[Role::Resident], Status, |c, r| {
            let id = c.comment(c.open.id, c.uid(Role::Resident), CommentStatus::Visible, "De corectat").await;
            Call::post(
                EditComment::PATH,
                form!["id" => id, "body" => format!("Corectat {}", c.n()), "alternative" => ""],
            )
            .probe(comment_state(id))
        }),
        row!("delete_comment (resident's own)", DeleteComment::PATH, &[Role::Resident], Status, |c, r| {
            let id = c.comment(c.open.id, c.uid(Role::Resident), CommentStatus::Visible, "De sters").await;
            Call::post(DeleteComment::PATH, form!["id" => id]).probe(comment_state(id))
        }),
        row!(
            "upload_paper (resident's own comment)",
            "/consultations/{slug}/papers/{comment}",
            &[Role::Resident],
            Status,
            |c, r| {
                let id = c.comment(c.open.id, c.uid(Role::Resident), CommentStatus::Visible, "Cu pozitie").await;
                let parts = vec![Part::File("file", "pozitie.pdf", PDF.to_vec(), "application/pdf")];
                Call::multipart(format!("/consultations/{}/papers/{id}", c.open.slug), parts, false)
                    .probe(format!("SELECT COUNT(*) FROM consultation_files WHERE comment_id = {id}"))
            }
        ),
        row!("toggle_support", ToggleSupport::PATH, VERIFIED, Status, |c, r| {
            let id = c.comment(c.open.id, c.person, CommentStatus::Visible, "Merita sustinut").await;
            Call::post(ToggleSupport::PATH, form!["id" => id])
                .probe(format!("SELECT COUNT(*) FROM consultation_votes WHERE comment_id = {id}"))
        }),
        row!("report_comment", ReportComment::PATH, VERIFIED, Status, |c, r| {
            let id = c.comment(c.open.id, c.person, CommentStatus::Visible, "Poate fi raportat").await;
            Call::post(ReportComment::PATH, form!["id" => id, "reason" => "spam", "details" => ""])
                .probe(format!("SELECT COUNT(*) FROM consultation_reports WHERE comment_id = {id}"))
        }),
        row!("moderate_comment (hide)", ModerateComment::PATH, MODERATORS, Status, |c, r| {
            let id = c.comment(c.open.id, c.person, CommentStatus::Visible, "Poate fi ascuns").await;
            Call::post(
                ModerateComment::PATH,
                form!["id" => id, "action" => "hide", "reason" => "Date personale ale altcuiva", "next" => ""],
            )
            .probe(comment_state(id))
        }),
        row!(
            "moderate_comment (hide, on the organisation's consultation)",
            ModerateComment::PATH,
            &[Role::Moderator, Role::Admin, Role::OrgAdmin],
            Status,
            |c, r| {
                let id = c.comment(c.org_open.id, c.person, CommentStatus::Visible, "Poate fi ascuns").await;
                Call::post(
                    ModerateComment::PATH,
                    form!["id" => id, "action" => "hide", "reason" => "Date personale ale altcuiva", "next" => ""],
                )
                .probe(comment_state(id))
            }
        ),
        row!("toggle_follow", ToggleFollow::PATH, SIGNED_IN, Status, |c, r| {
            Call::post(ToggleFollow::PATH, form!["id" => c.open.id])
                .probe(format!("SELECT COUNT(*) FROM consultation_follows WHERE consultation_id = {}", c.open.id))
        }),
        row!("subscribe_new", SubscribeNew::PATH, SIGNED_IN, Status, |c, r| {
            let county = format!("Judet{}", c.n());
            Call::post(SubscribeNew::PATH, form!["topic" => "urbanism", "county" => county])
                .probe(format!("SELECT COUNT(*) FROM consultation_subscriptions WHERE county = '{county}'"))
        }),
        row!("request_debate (for the organisation)", RequestDebate::PATH, ORG_PEOPLE, Status, |c, r| {
            let d =
                c.consultation(app::consultations::rules::Status::Open, "authority", c.auth, "Dezbatere ceruta").await;
            Call::post(RequestDebate::PATH, form!["id" => d.id, "org_id" => c.org, "reason" => "Multe intrebari."])
                .probe(format!("SELECT COUNT(*) FROM consultation_debate_requests WHERE consultation_id = {}", d.id))
        }),
        row!("register_debate", RegisterDebate::PATH, SIGNED_IN, Status, |c, r| {
            Call::post(RegisterDebate::PATH, form!["id" => c.open.id]).probe(format!(
                "SELECT COUNT(*) FROM consultation_debate_registrations WHERE consultation_id = {}",
                c.open.id
            ))
        }),
    ]
}
