//! Rows: donations (campaigns, the dashboard, refunds, exports) and the accessibility map (audits,
//! the report workflow, locality owners, imports, petitions).
use super::*;
use app::donations::CampaignForEdit;
use app::donations::{GetCampaign, OrgCampaignCards, PostCampaignUpdate, SaveCampaign, SetCampaignStatus};
use app::donations::{HideDonation, OrgDashboard, RefundDonation};
use app::map::{ActOnReport, AssignLocality, LocalityOwners, PetitionTargets, SaveAudit, UnassignLocality};
use app::map::{ImportCommit, ImportUpload};
use leptos::server_fn::ServerFn;

fn campaign_form(org: i64, slug: &str, title: &str) -> Vec<(String, String)> {
    form![
        "org_id" => org, "slug" => slug, "title" => title, "summary" => "Rampe mobile pentru trei institutii.",
        "story" => "Povestea **noastra**.", "cover_url" => "", "cover_alt" => "", "goal" => "10.000",
        "ends_on" => "2031-06-30", "presets" => "20 50 100", "min" => "10", "max" => "5000", "thanks" => "Multumim!",
    ]
}

fn report_state(id: i64) -> String {
    format!("SELECT state, extended, registration_no FROM map_reports WHERE id = {id}")
}

/// A workflow step on a fresh report in `from`.
fn act(c: &Ctx, id: i64, action: &str) -> Call {
    let yesterday = app::map::day_iso(app::map::today() - 1);
    let _ = c;
    Call::post(
        ActOnReport::PATH,
        form!["report_id" => id, "action" => action, "comment" => "Verificat de echipa.", "registration_no" => "123/2027", "registered_on" => yesterday],
    )
    .probe(report_state(id))
}

const STAFF_OR_OFFICIAL: &[Role] = &[Role::OrgMember, Role::OrgAdmin, Role::Moderator, Role::Admin, Role::Official];
const OFFICIAL_OR_MODERATOR: &[Role] = &[Role::Official, Role::Moderator, Role::Admin];

pub fn rows() -> Vec<Row> {
    vec![
        // ---- donations ----
        row!(
            "org_campaign_cards (the organisation's drafts)",
            OrgCampaignCards::PATH,
            ORG_MANAGERS,
            Reveals,
            |c, r| {
                Call::post(OrgCampaignCards::PATH, form!["org_id" => c.org]).marker(c.draft_campaign_title.clone())
            }
        ),
        row!("get_campaign (a draft)", GetCampaign::PATH, ORG_MANAGERS, Status, |c, r| {
            Call::post(GetCampaign::PATH, form!["slug" => c.draft_campaign_slug])
        }),
        row!(
            "get_campaign (live: name of a donor who asked to stay anonymous)",
            GetCampaign::PATH,
            NOBODY,
            Reveals,
            |c, r| {
                c.paid_donation().await;
                Call::post(GetCampaign::PATH, form!["slug" => c.live_campaign_slug]).marker("Donator Matrice")
            }
        ),
        row!("campaign_for_edit (a draft)", CampaignForEdit::PATH, ORG_MANAGERS, Status, |c, r| {
            Call::post(CampaignForEdit::PATH, form!["slug" => c.draft_campaign_slug, "org" => c.org])
        }),
        row!("save_campaign (new, for the organisation)", SaveCampaign::PATH, ORG_MANAGERS, Status, |c, r| {
            let title = format!("Campanie noua matrice {}", c.n());
            Call::post(SaveCampaign::PATH, campaign_form(c.org, "", &title))
                .probe(format!("SELECT COUNT(*) FROM donation_campaigns WHERE title = '{title}'"))
        }),
        row!("save_campaign (edit its draft, naming another org)", SaveCampaign::PATH, ORG_MANAGERS, Status, |c, r| {
            let title = format!("Campanie editata matrice {}", c.n());
            Call::post(SaveCampaign::PATH, campaign_form(c.org_other, &c.draft_campaign_slug, &title))
                .probe(format!("SELECT title, org_id FROM donation_campaigns WHERE id = {}", c.draft_campaign))
        }),
        row!("set_campaign_status (draft to live)", SetCampaignStatus::PATH, ORG_MANAGERS, Status, |c, r| {
            let (id, _) = c.draft_campaign("Campanie de lansat").await;
            Call::post(SetCampaignStatus::PATH, form!["campaign_id" => id, "status" => "live"])
                .probe(format!("SELECT status FROM donation_campaigns WHERE id = {id}"))
        }),
        row!("post_campaign_update", PostCampaignUpdate::PATH, ORG_MANAGERS, Status, |c, r| {
            let body = format!("Am cumparat prima rampa {}", c.n());
            Call::post(PostCampaignUpdate::PATH, form!["campaign_id" => c.live_campaign, "body" => body])
                .probe(format!("SELECT COUNT(*) FROM donation_updates WHERE body_md = '{body}'"))
        }),
        row!("upload_cover (POST /campaigns/{slug}/cover)", "/campaigns/{slug}/cover", ORG_MANAGERS, Status, |c, r| {
            let parts = vec![
                Part::File("cover", "c.png", PNG.to_vec(), "image/png"),
                Part::Text("cover_alt", format!("Rampa {}", c.n())),
            ];
            Call::multipart(format!("/campaigns/{}/cover", c.draft_campaign_slug), parts, false)
                .probe(format!("SELECT cover_url, cover_alt FROM donation_campaigns WHERE id = {}", c.draft_campaign))
        }),
        row!("org_dashboard (donors)", OrgDashboard::PATH, ORG_MANAGERS, Status, |c, r| {
            Call::post(
                OrgDashboard::PATH,
                form!["org" => c.org_slug, "filter[campaign]" => "", "filter[status]" => "", "filter[kind]" => "", "filter[q]" => ""],
            )
        }),
        row!("donations.csv (donors)", "/organisations/{slug}/donations.csv", ORG_MANAGERS, Status, |c, r| {
            Call::get(format!("/organisations/{}/donations.csv", c.org_slug))
        }),
        row!("refund_donation (a paid gift)", RefundDonation::PATH, ORG_MANAGERS, Status, |c, r| {
            let id = c.paid_donation().await;
            Call::post(RefundDonation::PATH, form!["donation_id" => id])
                .probe(format!("SELECT status FROM donations WHERE id = {id}"))
        }),
        row!("hide_donation", HideDonation::PATH, ORG_MANAGERS, Status, |c, r| {
            let id = c.paid_donation().await;
            Call::post(HideDonation::PATH, form!["donation_id" => id, "hidden" => "true"])
                .probe(format!("SELECT hidden FROM donations WHERE id = {id}"))
        }),
        // ---- map: audits, locality owners, petitions, imports ----
        row!("save_audit", SaveAudit::PATH, VERIFIED, Status, |c, r| {
            Call::post(SaveAudit::PATH, form!["place_id" => c.place, "checked_on" => "", "audit[step_free]" => "yes"])
                .probe(format!("SELECT COUNT(*) FROM map_audits WHERE place_id = {}", c.place))
        }),
        row!("locality_owners", LocalityOwners::PATH, ADMIN, Status, |c, r| Call::post(LocalityOwners::PATH, vec![])),
        row!("assign_locality", AssignLocality::PATH, ADMIN, Status, |c, r| {
            let locality = format!("Localitatea{}", c.n());
            Call::post(AssignLocality::PATH, form!["locality" => locality, "org_id" => c.org])
                .probe(format!("SELECT COUNT(*) FROM map_locality_owners WHERE locality = '{locality}'"))
        }),
        row!("unassign_locality", UnassignLocality::PATH, ADMIN, Status, |c, r| {
            let locality = format!("Localitatea{}", c.n());
            app::map::db::assign_locality(c.db(), &locality, c.org, c.uid(Role::Admin)).await.unwrap();
            let key =
                c.text(format!("SELECT locality_key FROM map_locality_owners WHERE locality = '{locality}'")).await;
            Call::post(UnassignLocality::PATH, form!["locality_key" => key])
                .probe(format!("SELECT COUNT(*) FROM map_locality_owners WHERE locality = '{locality}'"))
        }),
        row!(
            "petition_targets (confirmed reports)",
            PetitionTargets::PATH,
            &[Role::OrgMember, Role::OrgAdmin, Role::Admin],
            Reveals,
            |c, r| Call::post(PetitionTargets::PATH, vec![]).marker(c.org_name.clone())
        ),
        row!("petition.pdf", "/map/petition.pdf", &[Role::OrgMember, Role::OrgAdmin, Role::Admin], Status, |c, r| {
            c.map_report("confirmed").await;
            Call::get(format!("/map/petition.pdf?org={}&authority={}", c.org, c.auth))
        }),
        row!("upload_import (POST /map/import/upload)", "/map/import/upload", ORG_MANAGERS, Status, |c, r| {
            let csv = format!("name,lat,lon,locality\nScoala matrice {},45.7,27.18,Focșani\n", c.n());
            let parts = vec![
                Part::Text("org_id", c.org.to_string()),
                Part::File("file", "institutii.csv", csv.into_bytes(), "text/csv"),
            ];
            Call::multipart("/map/import/upload", parts, false)
                .probe(format!("SELECT COUNT(*) FROM map_imports WHERE org_id = {}", c.org))
        }),
        row!(
            "import_upload (preview of a file org_admin staged)",
            ImportUpload::PATH,
            &[Role::OrgAdmin],
            Reveals,
            |c, r| {
                let token = app::ssr::public_id();
                let name = format!("Dispensarul matrice {}", c.n());
                let csv = format!("name,lat,lon,locality\n{name},45.7,27.18,Focșani\n");
                app::map::db::save_import(c.db(), &token, c.uid(Role::OrgAdmin), c.org, "institutii.csv", &csv)
                    .await
                    .unwrap();
                Call::post(ImportUpload::PATH, form!["token" => token]).marker(name)
            }
        ),
        row!("import_commit (a file org_admin staged)", ImportCommit::PATH, &[Role::OrgAdmin], Status, |c, r| {
            let token = app::ssr::public_id();
            let name = format!("Spitalul matrice {}", c.n());
            let csv = format!("name,lat,lon,locality\n{name},45.7,27.18,Focșani\n");
            app::map::db::save_import(c.db(), &token, c.uid(Role::OrgAdmin), c.org, "institutii.csv", &csv)
                .await
                .unwrap();
            Call::post(ImportCommit::PATH, form!["token" => token])
                .probe(format!("SELECT COUNT(*) FROM map_places WHERE name = '{name}'"))
        }),
        // ---- map: reports and their workflow (a place the organisation and the authority own) ----
        row!("create_report (POST /map/reports)", "/map/reports", VERIFIED, Status, |c, r| {
            let description = format!("Usa prea ingusta {}", c.n());
            let parts = vec![
                Part::Text("place_id", c.place.to_string()),
                Part::Text("problem", "door".into()),
                Part::Text("description", description.clone()),
            ];
            Call::multipart("/map/reports", parts, true)
                .probe(format!("SELECT COUNT(*) FROM map_reports WHERE description = '{description}'"))
        }),
        row!("act_on_report confirm (new)", ActOnReport::PATH, MAP_STAFF, Status, |c, r| {
            let id = c.map_report("new").await;
            act(&c, id, "confirm")
        }),
        row!("act_on_report reject (new)", ActOnReport::PATH, MAP_STAFF, Status, |c, r| {
            let id = c.map_report("new").await;
            act(&c, id, "reject")
        }),
        row!("act_on_report duplicate (confirmed)", ActOnReport::PATH, MAP_STAFF, Status, |c, r| {
            let id = c.map_report("confirmed").await;
            act(&c, id, "duplicate")
        }),
        row!("act_on_report send (confirmed)", ActOnReport::PATH, MAP_STAFF, Status, |c, r| {
            let id = c.map_report("confirmed").await;
            act(&c, id, "send")
        }),
        row!("act_on_report extend (sent)", ActOnReport::PATH, STAFF_OR_OFFICIAL, Status, |c, r| {
            let id = c.map_report("sent").await;
            act(&c, id, "extend")
        }),
        row!("act_on_report answer (sent)", ActOnReport::PATH, STAFF_OR_OFFICIAL, Status, |c, r| {
            let id = c.map_report("sent").await;
            act(&c, id, "answer")
        }),
        row!("act_on_report not_responsible (sent)", ActOnReport::PATH, OFFICIAL_OR_MODERATOR, Status, |c, r| {
            let id = c.map_report("sent").await;
            act(&c, id, "not_responsible")
        }),
        row!("act_on_report fixed (confirmed)", ActOnReport::PATH, STAFF_OR_OFFICIAL, Status, |c, r| {
            let id = c.map_report("confirmed").await;
            act(&c, id, "fixed")
        }),
        row!("act_on_report reopen (fixed)", ActOnReport::PATH, MAP_STAFF, Status, |c, r| {
            let id = c.map_report("fixed").await;
            act(&c, id, "reopen")
        }),
        row!(
            "mark_fixed with a photo closes a report (POST /map/reports/{id}/fixed)",
            "/map/reports/{id}/fixed",
            STAFF_OR_OFFICIAL,
            Changes,
            |c, r| {
                let id = c.map_report("sent").await;
                let parts = vec![
                    Part::Text("comment", "Rampa a fost montata.".into()),
                    Part::File("photo_1", "rampa.png", PNG.to_vec(), "image/png"),
                    Part::Text("alt_1", "Rampa noua la intrare".into()),
                ];
                Call::multipart(format!("/map/reports/{id}/fixed"), parts, true)
                    .probe(format!("SELECT state FROM map_reports WHERE id = {id}"))
            }
        ),
    ]
}
