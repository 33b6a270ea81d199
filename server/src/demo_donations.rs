//! Demo donations: a live campaign for three of the programme's civic groups, with some gifts
//! (recorded through the same event path as real ones, so the ledger is the real thing).
use app::donations::db::{self, CampaignInput, NewDonation};
use app::ssr::payments::{Effect, Event};
use app::ssr::Db;

/// (organisation slug, campaign slug, title, summary, story, goal in lei, days to run)
const CAMPAIGNS: &[(&str, &str, &str, &str, &str, i64, i64)] = &[
    (
        "grupul-dizabil-eu-vrancea",
        "rampe-la-institutiile-din-focsani",
        "Rampe la instituțiile din Focșani",
        "Cumpărăm rampe mobile pentru trei instituții publice din Focșani până vin cele definitive.",
        "Am cartografiat **42 de instituții** din Focșani: 17 nu au nicio rampă.\n\nCu banii strânși cumpărăm rampe mobile omologate pentru biblioteca județeană, policlinică și direcția de taxe, și le montăm împreună cu voluntarii noștri.",
        15_000,
        45,
    ),
    (
        "caravana-cu-medici",
        "caravana-de-primavara-2027",
        "Caravana de primăvară în satele din Iași",
        "Consultații gratuite în zece sate fără cabinet medical: transport, analize și medicamente de bază.",
        "În fiecare primăvară mergem cu medici voluntari în satele fără medic de familie.\n\n- transportul echipei\n- analize de sânge pe loc\n- medicamente de bază pentru pacienții cronici",
        40_000,
        60,
    ),
    (
        "loc-de-joaca-pentru-grozavesti",
        "loc-de-joaca-accesibil-grozavesti",
        "Un loc de joacă accesibil în Grozăvești",
        "Strângem contribuția locală pentru un leagăn și un carusel accesibile copiilor în scaun rulant.",
        "Primăria a aprobat locul de joacă; noi strângem contribuția comunității pentru **echipamentele accesibile**, pe care proiectul inițial nu le avea.",
        25_000,
        30,
    ),
];

/// (name, shown, message, lei, monthly)
const GIFTS: &[(&str, bool, &str, i64, bool)] = &[
    ("Ioana Marin", true, "Mult succes!", 100, false),
    ("Anonim", false, "", 50, false),
    ("Radu Petrescu", true, "Pentru o comunitate în care încăpem toți.", 250, false),
    ("Anonim", false, "", 50, true),
    ("Elena Dobre", true, "", 25, false),
];

pub async fn load(db: &Db) -> Result<(), sqlx::Error> {
    let now = app::ssr::now();
    for (org_slug, slug, title, summary, story, goal, days) in CAMPAIGNS {
        if db::campaign_slug_taken(db, slug).await? {
            continue;
        }
        let Some((org_id, _)) = db::org_by_slug(db, org_slug).await? else { continue };
        let input = CampaignInput {
            title: title.to_string(),
            summary: summary.to_string(),
            story_md: story.to_string(),
            cover_url: String::new(),
            cover_alt: String::new(),
            goal_bani: Some(goal * 100),
            ends_at: Some(now + days * 86_400),
            presets: vec![2_500, 5_000, 10_000, 25_000],
            min_bani: 1_000,
            max_bani: 1_000_000,
            allow_monthly: true,
            thanks: "Mulțumim! Vă ținem la curent cu fiecare pas.".into(),
        };
        let id = db::create_campaign(db, org_id, slug, &input, 0, true).await?;
        db::set_campaign_status(db, id, "draft", "live").await?;
        for (i, (name, shown, message, lei, monthly)) in GIFTS.iter().enumerate() {
            let public_id = app::ssr::public_id();
            let new = NewDonation {
                public_id: public_id.clone(),
                campaign_id: id,
                amount_bani: lei * 100,
                fee_bani: 0,
                currency: "RON".into(),
                monthly: *monthly,
                provider: "demo".into(),
                idempotency_key: format!("demo:{slug}:{i}"),
                donor_name: name.to_string(),
                donor_email: format!("donator{i}@demo.participa.local"),
                message: message.to_string(),
                show_name: *shown,
                lang: "ro".into(),
                consent_version: app::donations::rules::CONSENT_VERSION.into(),
                newsletter: false,
                ip_hash: String::new(),
                is_demo: true,
            };
            db::create_donation(db, &new).await?;
            let ev = Event {
                id: format!("demo:{slug}:{i}"),
                kind: "demo".into(),
                effect: Effect::AsyncSucceeded {
                    donation: public_id,
                    amount: lei * 100,
                    currency: "RON".into(),
                    payment: None,
                },
            };
            app::donations::service::events::apply_event(db, "demo", &ev).await?;
        }
    }
    Ok(())
}
