//! Rows: accounts (self-service, platform administration) and organisations (membership,
//! profile, events, stories, newsletter issues, officials, an authority's contact).
use super::*;
use app::accounts::notify::{MyNotifications, SaveNotifications};
use app::accounts::*;
use app::orgs::catalogue::UpdateOrgProfile;
use app::orgs::events::{CancelRegistration, CreateEvent, RegisterEvent};
use app::orgs::members::{AcceptInvite, DecideJoin, GetMembership, InviteMember, RemoveMember, RequestJoin};
use app::orgs::newsletter::{AdminIssues, CreateIssue, StartSending, TestSendIssue};
use app::orgs::officer::{AuthorityContactForm, SaveAuthorityContact};
use app::orgs::officials::{DecideOfficial, PendingOfficialRequests, RequestOfficial};
use app::orgs::stories::CreateStory;
use app::orgs::{GetOrg, RegisterOrg, SetOrgStatus};
use leptos::server_fn::ServerFn;

fn future_day(days: i64) -> String {
    let (y, m, d, _, _) = app::fmt::bucharest_parts(now() + days * 86_400);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn rows() -> Vec<Row> {
    vec![
        // ---- accounts: what a person does to their own account (anyone signed in) ----
        row!("update_profile", UpdateProfile::PATH, SIGNED_IN, Status, |c, r| {
            let m = format!("Loc{}", c.n());
            Call::post(
                UpdateProfile::PATH,
                form!["display_name" => "Matrice Profil", "locality" => m, "county" => "Vrancea"],
            )
            .probe(format!("SELECT COUNT(*) FROM users WHERE locality = '{m}'"))
        }),
        row!("change_email", ChangeEmail::PATH, SIGNED_IN, Status, |c, r| {
            let m = format!("nou-{}@matrice.invalid", c.n());
            Call::post(ChangeEmail::PATH, form!["email" => m, "password" => PASSWORD])
                .probe(format!("SELECT COUNT(*) FROM auth_tokens WHERE data = '{m}'"))
        }),
        row!("delete_account (own, password and word)", DeleteAccount::PATH, SIGNED_IN, Status, |c, r| {
            let (uid, sid) = c.fresh(r).await;
            let word = app::i18n::Lang::Ro.t(app::i18n::K::account_delete_word);
            Call::post(DeleteAccount::PATH, form!["password" => PASSWORD, "confirm" => word])
                .probe(format!("SELECT COUNT(*) FROM users WHERE id = {uid} AND deleted_at IS NULL"))
                .session(Some(sid))
        }),
        row!("end_sessions (someone else's device)", EndSessions::PATH, NOBODY, Changes, |c, r| {
            let (victim, _) = c.account(Resident, "Matrice Alt Om").await;
            let public = c.text(format!("SELECT public_id FROM sessions WHERE user_id = {victim}")).await;
            Call::post(EndSessions::PATH, form!["session" => public])
                .probe(format!("SELECT COUNT(*) FROM sessions WHERE user_id = {victim}"))
        }),
        row!("my_sessions", MySessions::PATH, SIGNED_IN, Status, |c, r| Call::post(MySessions::PATH, vec![])),
        row!("end_sessions (all others)", EndSessions::PATH, SIGNED_IN, Status, |c, r| {
            let (uid, sid) = c.fresh(r).await;
            // A second device of the same person: it must outlive an anonymous request.
            let other = format!("matrice-alt-{}", c.n());
            app::accounts::db::create_session(c.db(), &sha256_hex(&other), uid, now() + 3600, "other").await.unwrap();
            Call::post(EndSessions::PATH, form!["session" => "all"])
                .probe(format!("SELECT COUNT(*) FROM sessions WHERE user_id = {uid}"))
                .session(Some(sid))
        }),
        row!("export_my_data (GET)", ExportMyData::PATH, SIGNED_IN, Status, |c, r| Call::get(ExportMyData::PATH)),
        row!("export.zip (own data and files)", "/account/export.zip", SIGNED_IN, Status, |c, r| {
            Call::get("/account/export.zip")
        }),
        row!("my_notifications", MyNotifications::PATH, SIGNED_IN, Reveals, |c, r| {
            Call::post(MyNotifications::PATH, vec![]).marker("paused")
        }),
        row!("save_notifications", SaveNotifications::PATH, SIGNED_IN, Status, |c, r| {
            Call::post(SaveNotifications::PATH, form!["pause" => "yes"])
                .probe("SELECT COUNT(*) FROM notification_prefs")
        }),
        // ---- platform administration ----
        row!("admin_list_users", AdminListUsers::PATH, ADMIN, Status, |c, r| {
            Call::post(AdminListUsers::PATH, form!["q" => "matrice"])
        }),
        row!("admin_scope_options", AdminScopeOptions::PATH, ADMIN, Status, |c, r| {
            Call::post(AdminScopeOptions::PATH, vec![])
        }),
        row!("grant_role (moderator to someone)", GrantRole::PATH, ADMIN, Status, |c, r| {
            let (uid, _) = c.account(Resident, "Matrice Tinta").await;
            let email = c.text(format!("SELECT email FROM users WHERE id = {uid}")).await;
            Call::post(GrantRole::PATH, form!["email" => email, "role" => "moderator", "scope" => ""])
                .probe(format!("SELECT COUNT(*) FROM roles WHERE user_id = {uid}"))
        }),
        row!("revoke_role (someone's moderator role)", RevokeRole::PATH, ADMIN, Status, |c, r| {
            let (uid, _) = c.account(Moderator, "Matrice Moderator De Revocat").await;
            let role = c.scalar(format!("SELECT id FROM roles WHERE user_id = {uid}")).await;
            Call::post(RevokeRole::PATH, form!["role_id" => role])
                .probe(format!("SELECT COUNT(*) FROM roles WHERE id = {role}"))
        }),
        row!("admin_outbox", AdminOutbox::PATH, ADMIN, Status, |c, r| Call::post(AdminOutbox::PATH, vec![])),
        // ---- organisations ----
        row!("get_org (a pending organisation)", GetOrg::PATH, ORG_MANAGERS, Status, |c, r| {
            Call::post(GetOrg::PATH, form!["slug" => c.pending_org])
        }),
        row!("register_org", RegisterOrg::PATH, VERIFIED, Status, |c, r| {
            // A fresh account: the founder becomes the new organisation's admin.
            let (_, sid) = c.fresh(r).await;
            let name = format!("Grupul Matrice {}", c.n());
            Call::post(
                RegisterOrg::PATH,
                form![
                    "name" => name, "legal_form" => "informal", "cui" => "", "registry_number" => "",
                    "locality" => "Focșani", "county" => "Vrancea", "domains[]" => "disability",
                    "short_description" => "Cartografiem rampele din Focsani.", "website" => "",
                    "contact_email" => "",
                ],
            )
            .probe(format!("SELECT COUNT(*) FROM organisations WHERE name = '{name}'"))
            .session(Some(sid))
        }),
        row!("set_org_status (verify a pending organisation)", SetOrgStatus::PATH, ADMIN, Status, |c, r| {
            let n = c.n();
            let p = app::orgs::db::NewOrg {
                slug: format!("de-verificat-{n}"),
                name: format!("De verificat {n}"),
                legal_form: "informal".into(),
                cui: None,
                registry_number: String::new(),
                locality: "Focșani".into(),
                county: "Vrancea".into(),
                short_description: "Asteapta verificarea.".into(),
                website: String::new(),
                contact_email: String::new(),
                domains: vec!["disability".into()],
            };
            // Its own admin (the owner) asks too: only a platform admin verifies.
            let id = app::orgs::db::create(c.db(), &p, c.uid(OrgAdmin)).await.unwrap();
            Call::post(SetOrgStatus::PATH, form!["org_id" => id, "status" => "active"])
                .probe(format!("SELECT status FROM organisations WHERE id = {id}"))
        }),
        row!("get_membership (members and join requests)", GetMembership::PATH, ORG_MANAGERS, Reveals, |c, r| {
            Call::post(GetMembership::PATH, form!["org_id" => c.org]).marker(c.member_name.clone())
        }),
        row!("invite_member", InviteMember::PATH, ORG_MANAGERS, Status, |c, r| {
            let email = format!("invitat-{}@matrice.invalid", c.n());
            Call::post(InviteMember::PATH, form!["org_id" => c.org, "email" => email, "role" => "org_admin"])
                .probe(format!("SELECT COUNT(*) FROM org_invites WHERE email = '{email}'"))
        }),
        row!(
            "accept_invite (invited address: resident's; the link alone is not enough)",
            AcceptInvite::PATH,
            &[Resident],
            Status,
            |c, r| {
                // A fresh resident is the invited person, so accepting leaves the matrix's resident as it was.
                let (invitee, sid) = c.account(Resident, "Matrice Invitat").await;
                let email = c.text(format!("SELECT email FROM users WHERE id = {invitee}")).await;
                let token = app::ssr::random_token();
                app::orgs::members::db::create_invite(
                    c.db(),
                    &sha256_hex(&token),
                    c.org,
                    &email,
                    "org_member",
                    c.uid(OrgAdmin),
                    now() + 3600,
                )
                .await
                .unwrap();
                let call = Call::post(AcceptInvite::PATH, form!["token" => token])
                    .probe(format!("SELECT COUNT(*) FROM roles WHERE scope_id = {} AND role = 'org_member'", c.org));
                if r == Resident {
                    call.session(Some(sid))
                } else {
                    call
                }
            }
        ),
        row!("request_join", RequestJoin::PATH, VERIFIED, Status, |c, r| {
            Call::post(RequestJoin::PATH, form!["org_id" => c.org_neutral, "message" => "As vrea sa ajut."])
                .probe(format!("SELECT COUNT(*) FROM org_join_requests WHERE org_id = {}", c.org_neutral))
        }),
        row!("decide_join (approve someone's request)", DecideJoin::PATH, ORG_MANAGERS, Status, |c, r| {
            let (uid, _) = c.account(Resident, "Matrice Solicitant").await;
            app::orgs::members::db::create_join_request(c.db(), c.org, uid, "Vreau sa intru.").await.unwrap();
            let req = c.scalar(format!("SELECT id FROM org_join_requests WHERE user_id = {uid}")).await;
            Call::post(DecideJoin::PATH, form!["org_id" => c.org, "request_id" => req, "approve" => "yes"])
                .probe(format!("SELECT (SELECT status FROM org_join_requests WHERE id = {req}), (SELECT COUNT(*) FROM roles WHERE user_id = {uid})"))
        }),
        row!("remove_member", RemoveMember::PATH, ORG_MANAGERS, Status, |c, r| {
            let (uid, _) = c.account(OrgMember, "Matrice Membru De Scos").await;
            let role = c.scalar(format!("SELECT id FROM roles WHERE user_id = {uid}")).await;
            Call::post(RemoveMember::PATH, form!["org_id" => c.org, "role_id" => role])
                .probe(format!("SELECT COUNT(*) FROM roles WHERE id = {role}"))
        }),
        row!(
            "decide_join (the organisation's request, through another org)",
            DecideJoin::PATH,
            NOBODY,
            Changes,
            |c, r| {
                let (uid, _) = c.account(Resident, "Matrice Solicitant").await;
                app::orgs::members::db::create_join_request(c.db(), c.org, uid, "Vreau sa intru.").await.unwrap();
                let req = c.scalar(format!("SELECT id FROM org_join_requests WHERE user_id = {uid}")).await;
                Call::post(DecideJoin::PATH, form!["org_id" => c.org_other, "request_id" => req, "approve" => "yes"])
                .probe(format!("SELECT (SELECT status FROM org_join_requests WHERE id = {req}), (SELECT COUNT(*) FROM roles WHERE user_id = {uid})"))
            }
        ),
        row!(
            "remove_member (the organisation's member, through another org)",
            RemoveMember::PATH,
            NOBODY,
            Changes,
            |c, r| {
                let (uid, _) = c.account(OrgMember, "Matrice Membru De Scos").await;
                let role = c.scalar(format!("SELECT id FROM roles WHERE user_id = {uid}")).await;
                Call::post(RemoveMember::PATH, form!["org_id" => c.org_other, "role_id" => role])
                    .probe(format!("SELECT COUNT(*) FROM roles WHERE id = {role}"))
            }
        ),
        row!("update_org_profile", UpdateOrgProfile::PATH, ORG_MANAGERS, Status, |c, r| {
            Call::post(
                UpdateOrgProfile::PATH,
                form![
                    "org_id" => c.org, "short_description" => "Persoane cu dizabilitati din Focsani.",
                    "description" => "", "website" => "", "social_links" => "",
                    "areas" => format!("Zona {}", c.n()), "founding_year" => "", "contact_email" => "",
                ],
            )
            .probe(format!("SELECT areas, short_description FROM organisations WHERE id = {}", c.org))
        }),
        row!(
            "upload_logo (POST /organisations/{id}/logo)",
            "/organisations/{slug}/logo",
            ORG_MANAGERS,
            Status,
            |c, r| {
                let parts = vec![
                    Part::File("logo", "logo.png", PNG.to_vec(), "image/png"),
                    Part::Text("logo_alt", "Sigla grupului".into()),
                ];
                Call::multipart(format!("/organisations/{}/logo", c.org), parts, false)
                    .probe(format!("SELECT logo_key FROM organisations WHERE id = {}", c.org))
            }
        ),
        row!("register_event", RegisterEvent::PATH, SIGNED_IN, Status, |c, r| {
            Call::post(RegisterEvent::PATH, form!["event_id" => c.event])
                .probe(format!("SELECT COUNT(*) FROM event_registrations WHERE event_id = {}", c.event))
        }),
        row!("cancel_registration (own)", CancelRegistration::PATH, SIGNED_IN, Status, |c, r| {
            if let Some((uid, _)) = c.users.get(&r) {
                let _ = app::orgs::events::db::register_for_event(c.db(), c.event, *uid, now()).await.unwrap();
            }
            Call::post(CancelRegistration::PATH, form!["event_id" => c.event])
                .probe(format!("SELECT COUNT(*) FROM event_registrations WHERE event_id = {}", c.event))
        }),
        row!("create_event", CreateEvent::PATH, ORG_MANAGERS, Status, |c, r| {
            let title = format!("Atelier matrice {}", c.n());
            Call::post(
                CreateEvent::PATH,
                form![
                    "org_id" => c.org, "title" => title, "description" => "Un atelier.", "kind" => "workshop",
                    "date" => future_day(20), "time" => "18:00", "duration_minutes" => "90",
                    "place" => "Biblioteca", "online_url" => "", "capacity" => "",
                ],
            )
            .probe(format!("SELECT COUNT(*) FROM events WHERE title = '{title}'"))
        }),
        row!("create_story", CreateStory::PATH, ORG_MANAGERS, Status, |c, r| {
            let title = format!("Poveste matrice {}", c.n());
            Call::post(
                CreateStory::PATH,
                form![
                    "org_id" => c.org, "title" => title, "summary" => "Cum am obtinut o rampa.",
                    "body" => "Am masurat treptele si am depus o petitie la primarie.",
                    "domain" => "disability", "locality" => "Focșani",
                ],
            )
            .probe(format!("SELECT COUNT(*) FROM stories WHERE title = '{title}'"))
        }),
        // ---- newsletter issues (platform admins) ----
        row!("admin_issues", AdminIssues::PATH, ADMIN, Status, |c, r| Call::post(AdminIssues::PATH, vec![])),
        row!("create_issue", CreateIssue::PATH, ADMIN, Status, |c, r| {
            let subject = format!("Buletin matrice {}", c.n());
            Call::post(
                CreateIssue::PATH,
                form!["subject" => subject, "body" => "Vesti bune din comunitate, pe scurt.", "topic" => "", "county" => ""],
            )
            .probe(format!("SELECT COUNT(*) FROM newsletter_issues WHERE subject = '{subject}'"))
        }),
        row!("test_send_issue", TestSendIssue::PATH, ADMIN, Status, |c, r| {
            Call::post(TestSendIssue::PATH, form!["issue_id" => c.issue])
                .probe("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE '%Numar de proba matrice%'")
        }),
        row!("start_sending", StartSending::PATH, ADMIN, Status, |c, r| {
            let id = app::orgs::newsletter::db::create_issue(
                c.db(),
                "De trimis",
                "Un numar gata de trimis.",
                "",
                "",
                c.uid(Admin),
            )
            .await
            .unwrap();
            Call::post(StartSending::PATH, form!["issue_id" => id])
                .probe(format!("SELECT status FROM newsletter_issues WHERE id = {id}"))
        }),
        // ---- officials ----
        row!("request_official", RequestOfficial::PATH, VERIFIED, Status, |c, r| {
            Call::post(
                RequestOfficial::PATH,
                form!["authority_id" => c.auth_request, "position" => "Consilier", "work_email" => "consilier@icc.ro", "message" => ""],
            )
            .probe(format!("SELECT COUNT(*) FROM official_requests WHERE authority_id = {}", c.auth_request))
        }),
        row!("pending_official_requests", PendingOfficialRequests::PATH, ADMIN, Status, |c, r| {
            Call::post(PendingOfficialRequests::PATH, vec![])
        }),
        row!("decide_official (approve, work address not confirmed)", DecideOfficial::PATH, NOBODY, Changes, |c, r| {
            let (uid, _) = c.account(Resident, "Matrice Functionar").await;
            let hash = sha256_hex(&app::ssr::random_token());
            app::orgs::officials::db::create_official_request(
                c.db(),
                uid,
                c.auth_request,
                "Consilier",
                "x@icc.ro",
                "",
                &hash,
            )
            .await
            .unwrap();
            let id = c.scalar(format!("SELECT id FROM official_requests WHERE user_id = {uid}")).await;
            Call::post(DecideOfficial::PATH, form!["request_id" => id, "approve" => "yes", "note" => ""])
                .probe(format!("SELECT (SELECT status FROM official_requests WHERE id = {id}), (SELECT COUNT(*) FROM roles WHERE user_id = {uid})"))
        }),
        row!("decide_official (approve, work address confirmed)", DecideOfficial::PATH, ADMIN, Status, |c, r| {
            let (uid, _) = c.account(Resident, "Matrice Functionar").await;
            let hash = sha256_hex(&app::ssr::random_token());
            app::orgs::officials::db::create_official_request(
                c.db(),
                uid,
                c.auth_request,
                "Consilier",
                "x@icc.ro",
                "",
                &hash,
            )
            .await
            .unwrap();
            let id = c.scalar(format!("SELECT id FROM official_requests WHERE user_id = {uid}")).await;
            c.exec(format!("UPDATE official_requests SET work_verified_at = {} WHERE id = {id}", now())).await;
            Call::post(DecideOfficial::PATH, form!["request_id" => id, "approve" => "yes", "note" => ""])
                .probe(format!("SELECT (SELECT status FROM official_requests WHERE id = {id}), (SELECT COUNT(*) FROM roles WHERE user_id = {uid})"))
        }),
        row!("decide_official (decline someone's request)", DecideOfficial::PATH, ADMIN, Status, |c, r| {
            let (uid, _) = c.account(Resident, "Matrice Functionar").await;
            let hash = sha256_hex(&app::ssr::random_token());
            app::orgs::officials::db::create_official_request(
                c.db(),
                uid,
                c.auth_request,
                "Consilier",
                "x@icc.ro",
                "",
                &hash,
            )
            .await
            .unwrap();
            let id = c.scalar(format!("SELECT id FROM official_requests WHERE user_id = {uid}")).await;
            Call::post(DecideOfficial::PATH, form!["request_id" => id, "approve" => "no", "note" => ""])
                .probe(format!("SELECT status FROM official_requests WHERE id = {id}"))
        }),
        // ---- an authority's contact (transparency officer, registry address) ----
        row!("authority_contact_form (own authority)", AuthorityContactForm::PATH, ORGANISERS, Status, |c, r| {
            let slug = c.text(format!("SELECT slug FROM authorities WHERE id = {}", c.auth)).await;
            Call::post(AuthorityContactForm::PATH, form!["slug" => slug])
        }),
        row!("save_authority_contact (own authority)", SaveAuthorityContact::PATH, ORGANISERS, Status, |c, r| {
            let name = format!("Responsabil Matrice {}", c.n());
            Call::post(
                SaveAuthorityContact::PATH,
                form![
                    "authority_id" => c.auth, "officer_name" => name, "officer_email" => "transparenta@matrice.invalid",
                    "officer_phone" => "0237 236 000", "registry_email" => "registratura@matrice.invalid",
                ],
            )
            .probe(format!("SELECT officer_name FROM authorities WHERE id = {}", c.auth))
        }),
    ]
}
