//! Go-live security (#13), workflows, over real HTTP on SQLite and PostgreSQL: who may report and
//! support comments, proven work addresses of officials, gift links that cannot raise and expire,
//! residents' "fixed" as a proposal, locality owners on the map, rate limits on costly actions and
//! the moderation queue's scope. Each test names the threat it closes and says, in one line, what
//! the code before #13 did.

use crate::common::*;
use app::accounts::rules::RoleKind;
use app::error::Problem;
use app::i18n::K;
use leptos::server_fn::ServerFn;
use sqlx::Row;
use std::time::Duration;

/// The problem a refused server function answered with (every feature's error is a `Problem`);
/// a macro, so a failure points at the line that expected the refusal.
macro_rules! problem {
    ($res:expr) => {{
        let res: reqwest::Response = $res;
        let status = res.status();
        let body = res.text().await.unwrap();
        assert!(status.is_client_error(), "a refusal is a 4xx, got {status}: {body}");
        serde_json::from_str::<Problem>(&body).unwrap_or_else(|e| panic!("not a Problem ({e}): {body}"))
    }};
}

fn location(res: &reqwest::Response) -> String {
    let at = res.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    at.unwrap_or_else(|| panic!("no redirect (status {})", res.status()))
}

fn limited(p: &Problem) -> bool {
    matches!(p, Problem::RateLimited { retry_after_secs, .. } if *retry_after_secs > 0)
}

/// One password hash for every account of the test binary (hashing is slow in debug builds).
fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default().hash_password(b"parola-buna-7", &salt).unwrap().to_string()
    })
}

/// An account (verified or not, with a role or not), signed in over HTTP on a new client.
async fn user(s: &TestServer, email: &str, verified: bool, role: Option<(RoleKind, i64)>) -> (reqwest::Client, i64) {
    let id = app::accounts::db::create_user(&s.db, email, password_hash(), "Dana Test", "ro").await.unwrap();
    if verified {
        app::accounts::db::mark_verified(&s.db, id).await.unwrap();
    }
    if let Some((kind, scope)) = role {
        app::accounts::db::grant_role(&s.db, id, kind, scope, id).await.unwrap();
    }
    let c = client();
    let res =
        s.call(&c, app::accounts::Login::PATH, &[("email", email), ("password", "parola-buna-7"), ("next", "")]).await;
    assert!(res.headers().contains_key("set-cookie"), "{email} signed in");
    (c, id)
}

/// The first column of the first row (the tests' own SQL, values written into it).
async fn one<T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>>(s: &TestServer, sql: &str) -> T {
    sqlx::query(sql).fetch_one(&s.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")).get(0)
}

async fn int(s: &TestServer, sql: &str) -> i64 {
    one::<i64>(s, sql).await
}

async fn last_mail_kind(s: &TestServer, to: &str) -> String {
    one(s, &format!("SELECT kind FROM mail_outbox WHERE to_addr = '{to}' ORDER BY id DESC LIMIT 1")).await
}

fn ymd(utc: i64) -> String {
    let (y, m, d, _, _) = app::fmt::bucharest_parts(utc);
    format!("{y:04}-{m:02}-{d:02}")
}

fn consultation_form<'a>(owner: &'a str, days: &'a [String; 3], threshold: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("owner", owner),
        ("title", "Iluminatul public pe strada Cuza Vodă"),
        ("summary", "Becuri LED și stâlpi noi."),
        ("topics[]", "urbanism"),
        ("locality", "Focșani"),
        ("county", "Vrancea"),
        ("draft_text", "HOTĂRÂRE privind iluminatul\n\nArt. 1\nSe modernizează iluminatul public.\n"),
        ("explanatory_note", "Nota de fundamentare."),
        ("opens_on", &days[0]),
        ("closes_on", &days[1]),
        ("adoption_on", &days[2]),
        ("urgency_reason", ""),
        ("officer_contact", "transparenta@focsani.invalid"),
        ("initiator", "mayor"),
        ("report_threshold", threshold),
    ]
}

#[tokio::test]
async fn only_verified_accounts_report_and_support_comments() {
    // Old code: unverified accounts reported and supported; one report re-hid a restored comment; threshold 1 passed.
    use app::consultations::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let slug = "planul-local-de-accesibilitate-focsani";
        assert_eq!(int(&s, &format!("SELECT report_threshold FROM consultations WHERE slug = '{slug}'")).await, 3);
        let comment = int(
            &s,
            &format!(
                "SELECT k.id FROM consultation_comments k JOIN consultations c ON c.id = k.consultation_id
                 WHERE c.slug = '{slug}' AND k.status = 'visible' AND k.body LIKE 'Un plan bun%'"
            ),
        )
        .await;
        let id = comment.to_string();
        let status =
            async || one::<String>(&s, &format!("SELECT status FROM consultation_comments WHERE id = {id}")).await;
        let report = async |c: &reqwest::Client| {
            s.call(c, ReportComment::PATH, &[("id", &id), ("reason", "spam"), ("details", "")]).await
        };

        let (newbie, _) = user(&s, "nou@exemplu.ro", false, None).await;
        assert_eq!(problem!(report(&newbie).await), Problem::Refused(K::err_verify_first), "{kind:?}");
        let res = s.call(&newbie, ToggleSupport::PATH, &[("id", &id)]).await;
        assert_eq!(problem!(res), Problem::Refused(K::err_verify_first), "{kind:?}");
        for col in ["report_count", "support_count"] {
            let n = int(&s, &format!("SELECT {col} FROM consultation_comments WHERE id = {id}")).await;
            assert_eq!(n, 0, "{kind:?}: {col} untouched");
        }

        let mut verified = vec![];
        for i in 0..4 {
            verified.push(user(&s, &format!("verificat{i}@exemplu.ro"), true, None).await.0);
        }
        for (i, c) in verified[..3].iter().enumerate() {
            assert!(location(&report(c).await).contains("reported=1"));
            let want = if i < 2 { "visible" } else { "hidden" };
            assert_eq!(status().await, want, "{kind:?}: after {} verified reports", i + 1);
        }
        let (moderator, _) = user(&s, "moderator@exemplu.ro", true, Some((RoleKind::Moderator, 0))).await;
        let res = s
            .call(
                &moderator,
                ModerateComment::PATH,
                &[("id", &id), ("action", "restore"), ("reason", ""), ("next", "")],
            )
            .await;
        location(&res);
        assert_eq!(status().await, "visible");
        // The moderator's decision closed those reports: one more does not hide it again.
        assert!(location(&report(&verified[3]).await).contains("reported=1"));
        assert_eq!(status().await, "visible", "{kind:?}: a restored comment starts again from zero");

        // The organiser cannot let one or two accounts hide a comment.
        let council = int(&s, "SELECT id FROM authorities WHERE slug = 'consiliul-local-focsani'").await;
        let (official, _) = user(&s, "functionar@exemplu.ro", true, Some((RoleKind::Official, council))).await;
        let owner = format!("authority:{council}");
        let now = app::ssr::now();
        let days = [ymd(now), ymd(now + 15 * 86_400), ymd(now + 80 * 86_400)];
        for low in ["1", "2"] {
            let res = s.call(&official, CreateConsultation::PATH, &consultation_form(&owner, &days, low)).await;
            let p = problem!(res);
            let errors = &p.form().unwrap_or_else(|| panic!("{kind:?}: threshold {low} accepted: {p:?}")).errors;
            assert!(errors.iter().any(|e| e.field == "report_threshold" && e.msg == K::consultations_err_threshold));
        }
        let res = s.call(&official, CreateConsultation::PATH, &consultation_form(&owner, &days, "3")).await;
        assert!(location(&res).ends_with("/manage?created=1"), "{kind:?}: 3 is the floor");
    }
}

#[tokio::test]
async fn an_official_role_needs_a_confirmed_work_address() {
    // Old code: any typed work address got the green "at the authority's domain" badge and could be approved unproven.
    use app::orgs::officials::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let a = app::orgs::db::authorities(&s.db, "")
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.slug == "primaria-municipiului-focsani")
            .expect("demo authority");
        let work = format!("ion.popescu@{}", web_domain(&a.website));
        let (ion, _) = user(&s, "ion@exemplu.ro", true, None).await;
        let aid = a.id.to_string();
        let form = [("authority_id", aid.as_str()), ("position", "Consilier"), ("work_email", &work), ("message", "")];
        let res = s.call(&ion, RequestOfficial::PATH, &form).await;
        assert_eq!(location(&res), format!("/authorities/{}?requested=1", a.slug));
        assert_eq!(last_mail_kind(&s, &work).await, "official_work_email", "{kind:?}: a link to the work address");

        let (admin, _) = user(&s, "admin@exemplu.ro", true, Some((RoleKind::Admin, 0))).await;
        let list: Vec<OfficialRequest> = s.call(&admin, PendingOfficialRequests::PATH, &[]).await.json().await.unwrap();
        assert_eq!(list.len(), 1);
        assert!(!list[0].work_verified, "{kind:?}");
        assert!(!list[0].domain_matches, "{kind:?}: no badge for an address nobody proved");
        let rid = list[0].id.to_string();
        let approve = [("request_id", rid.as_str()), ("approve", "yes"), ("note", "")];
        let res = s.call(&admin, DecideOfficial::PATH, &approve).await;
        assert_eq!(problem!(res), Problem::Refused(K::officials_err_unconfirmed), "{kind:?}");
        let is_official = async || {
            let me: Option<app::accounts::SessionUser> =
                s.call(&ion, app::accounts::GetMe::PATH, &[]).await.json().await.unwrap();
            me.unwrap().roles.iter().any(|r| r.kind == RoleKind::Official && r.scope_id == a.id)
        };
        assert!(!is_official().await);

        // Whoever reads the work mailbox follows the link (no account needed).
        let token = s.token_for(&work).await;
        let res = s.call(&client(), ConfirmWorkEmail::PATH, &[("token", &token)]).await;
        assert_eq!(location(&res), format!("/authorities/{}?work_confirmed=1", a.slug));
        let list: Vec<OfficialRequest> = s.call(&admin, PendingOfficialRequests::PATH, &[]).await.json().await.unwrap();
        assert!(list[0].work_verified && list[0].domain_matches, "{kind:?}: proven and at the domain");
        let res = s.call(&admin, DecideOfficial::PATH, &approve).await;
        assert_eq!(location(&res), "/admin/officials?decided=1");
        assert!(is_official().await, "{kind:?}");
        let res = s.call(&client(), ConfirmWorkEmail::PATH, &[("token", &token)]).await;
        assert_eq!(problem!(res), Problem::Refused(K::err_link_invalid), "{kind:?}: single use");
    }
}

async fn monthly_gift(s: &TestServer, donor: &str) -> i64 {
    use app::donations::db as ddb;
    // The demo organisation's live campaign (monthly gifts allowed, 50 lei a preset).
    let slug: String = one(
        s,
        "SELECT c.slug FROM donation_campaigns c JOIN organisations o ON o.id = c.org_id
         WHERE o.slug = 'grupul-dizabil-eu-vrancea' AND c.status = 'live' AND c.allow_monthly = 1
         ORDER BY c.id LIMIT 1",
    )
    .await;
    let form = [
        ("campaign", slug.as_str()),
        ("attempt", "attempt-gift-link-000000000001"),
        ("amount", "5000"),
        ("custom_amount", ""),
        ("frequency", "monthly"),
        ("name", "Ana Popescu"),
        ("email", donor),
        ("message", ""),
        ("consent", "yes"),
        ("website", ""),
    ];
    let checkout = location(&s.call(&client(), app::donations::Donate::PATH, &form).await);
    let res = s.client.post(&checkout).header("origin", &s.base).form(&[("outcome", "success")]).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let public_id = checkout.rsplit('/').next().unwrap().to_string();
    for _ in 0..100 {
        let d = ddb::donation_by_public(&s.db, &public_id).await.unwrap().unwrap();
        let receipts = int(
            s,
            &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'donations.receipt' AND to_addr = '{donor}'"),
        )
        .await;
        if d.status == "paid" && receipts == 1 {
            return d.gift_id.expect("a monthly gift");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the monthly gift was never paid and receipted");
}

#[tokio::test]
async fn gift_links_can_lower_pause_and_stop_but_not_raise_and_expire() {
    // Old code: the link never expired or rotated, and raised 50 lei/month to 80 without telling the donor.
    use app::donations::service::links::manage_token;
    use app::donations::{ChangeGiftAmount, GetGift, GiftAction, GiftView};
    for kind in backends() {
        let s = spawn(kind).await;
        let donor = "donator@exemplu.ro";
        let gift = monthly_gift(&s, donor).await;
        let amount = || async { app::donations::db::gift_by_id(&s.db, gift).await.unwrap().unwrap() };
        let old = s.token_for(donor).await;
        let anon = client();
        let view: GiftView = s.call(&anon, GetGift::PATH, &[("token", &old)]).await.json().await.unwrap();
        assert_eq!((view.amount_bani, view.status.as_str()), (5_000, "active"));

        let res = s.call(&anon, ChangeGiftAmount::PATH, &[("token", &old), ("amount", "80")]).await;
        let p = problem!(res);
        let errors = &p.form().unwrap_or_else(|| panic!("{kind:?}: raised through the link: {p:?}")).errors;
        assert!(errors.iter().any(|e| e.field == "amount" && e.msg == K::donations_err_gift_raise), "{errors:?}");
        assert_eq!(amount().await.amount_bani, 5_000);

        let res = s.call(&anon, ChangeGiftAmount::PATH, &[("token", &old), ("amount", "30")]).await;
        let to = location(&res);
        assert!(to.starts_with("/donate/manage?token=") && to.ends_with("changed=1"), "{to}");
        assert_eq!(amount().await.amount_bani, 3_000, "{kind:?}: lowering works");
        assert_eq!(last_mail_kind(&s, donor).await, "donations.gift_changed", "{kind:?}: the donor is told");
        let new = s.token_for(donor).await;
        assert_ne!(new, old);
        let view: GiftView = s.call(&anon, GetGift::PATH, &[("token", &new)]).await.json().await.unwrap();
        assert_eq!(view.amount_bani, 3_000, "the mailed link works");
        for res in [
            s.call(&anon, GetGift::PATH, &[("token", &old)]).await,
            s.call(&anon, ChangeGiftAmount::PATH, &[("token", &old), ("amount", "20")]).await,
            s.call(&anon, GiftAction::PATH, &[("token", &old), ("action", "cancel")]).await,
        ] {
            assert_eq!(problem!(res), Problem::Refused(K::donations_err_gift_link), "{kind:?}: the used link");
        }
        assert_eq!(amount().await.status, "active");

        // A link of the current version made now works; the same made 61 days ago has expired.
        let g = amount().await;
        let now = app::ssr::now();
        let fresh = manage_token(&s.settings.keys, &g.public_id, g.link_version, now);
        assert!(s.call(&anon, GetGift::PATH, &[("token", &fresh)]).await.status().is_success());
        let stale = manage_token(&s.settings.keys, &g.public_id, g.link_version, now - 61 * 86_400);
        let res = s.call(&anon, GetGift::PATH, &[("token", &stale)]).await;
        assert_eq!(problem!(res), Problem::Refused(K::donations_err_gift_link), "{kind:?}: expired");
        // Pausing and stopping stay possible (each with a new link).
        let res = s.call(&anon, GiftAction::PATH, &[("token", &new), ("action", "pause")]).await;
        assert!(location(&res).contains("done=pause"));
        let latest = s.token_for(donor).await;
        let res = s.call(&anon, GiftAction::PATH, &[("token", &latest), ("action", "cancel")]).await;
        assert!(location(&res).contains("done=cancel"));
        assert_eq!(amount().await.status, "cancelled");
    }
}

/// `allowed` calls succeed (a redirect containing `ok`), the next one is told to wait.
async fn allowed_then_limited(
    what: &str,
    allowed: usize,
    ok: &str,
    mut call: impl AsyncFnMut(usize) -> reqwest::Response,
) {
    for i in 1..=allowed {
        let to = location(&call(i).await);
        assert!(to.contains(ok), "{what} {i} of {allowed} is allowed: {to}");
    }
    let p = problem!(call(allowed + 1).await);
    assert!(limited(&p), "{what}: number {} waits, got {p:?}", allowed + 1);
}

#[tokio::test]
async fn costly_actions_are_rate_limited() {
    // Old code: none of these had a limit (8 join requests = 8 mails to the admins; newsletter limited per IP only).
    use app::orgs::{
        events::CreateEvent, members::RequestJoin, newsletter::Subscribe, stories::CreateStory, RegisterOrg,
    };
    for kind in backends() {
        let s = spawn_with(kind, |st| st.proxy_hops = 1).await;
        let org = int(&s, "SELECT id FROM organisations WHERE slug = 'grupul-dizabil-eu-vrancea'").await;
        let org_s = org.to_string();
        let (admin, _) = user(&s, "admin-dizabil@exemplu.ro", true, Some((RoleKind::OrgAdmin, org))).await;
        let (joiner, _) = user(&s, "doritor@exemplu.ro", true, None).await;
        let w = |what: &str| format!("{kind:?}: {what}");

        // Join requests: asking again tells the admins nothing new; the sixth in an hour waits.
        allowed_then_limited(&w("join request"), 5, "requested=1", async |i| {
            s.call(&joiner, RequestJoin::PATH, &[("org_id", &org_s), ("message", &format!("Cererea {i}"))]).await
        })
        .await;
        let mails =
            "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'org_join_request' AND to_addr = 'admin-dizabil@exemplu.ro'";
        assert_eq!(int(&s, mails).await, 1, "{kind:?}: the admins are mailed once");

        // Registering organisations: three a day per person.
        allowed_then_limited(&w("organisation registration"), 3, "created=1", async |i| {
            let name = format!("Rampa numărul {i}");
            let form = [
                ("name", name.as_str()),
                ("legal_form", "informal"),
                ("cui", ""),
                ("registry_number", ""),
                ("locality", "Focșani"),
                ("county", "Vrancea"),
                ("domains[]", "disability"),
                ("short_description", "Cartografiem rampele din Focșani."),
                ("website", ""),
                ("contact_email", ""),
            ];
            s.call(&joiner, RegisterOrg::PATH, &form).await
        })
        .await;

        // Stories and events: twenty a day per organisation.
        allowed_then_limited(&w("story"), 20, "/stories/", async |i| {
            let title = format!("Povestea numărul {i}");
            let body = "Am cerut, am insistat și rampa a fost construită.";
            let form = [("org_id", org_s.as_str()), ("title", &title), ("summary", "Primăria a construit rampa.")];
            let form = [&form[..], &[("body", body), ("domain", "disability"), ("locality", "Focșani")]].concat();
            s.call(&admin, CreateStory::PATH, &form).await
        })
        .await;
        let date = ymd(app::ssr::now() + 30 * 86_400);
        allowed_then_limited(&w("event"), 20, "/events/", async |i| {
            let title = format!("Atelierul numărul {i}");
            let form = [
                ("org_id", org_s.as_str()),
                ("title", &title),
                ("description", "Cartografiem împreună."),
                ("kind", "workshop"),
                ("date", &date),
                ("time", "18:00"),
                ("duration_minutes", "90"),
                ("place", "Biblioteca Județeană"),
                ("online_url", ""),
                ("capacity", ""),
            ];
            s.call(&admin, CreateEvent::PATH, &form).await
        })
        .await;

        // Campaign updates: ten a day per campaign.
        let campaign =
            int(&s, &format!("SELECT MIN(id) FROM donation_campaigns WHERE org_id = {org}")).await.to_string();
        allowed_then_limited(&w("campaign update"), 10, "posted=1", async |i| {
            let body = format!("Vești bune, numărul {i}: am ajuns mai departe.");
            let form = [("campaign_id", campaign.as_str()), ("body", &body)];
            s.call(&admin, app::donations::PostCampaignUpdate::PATH, &form).await
        })
        .await;

        // Consultation subscriptions: twenty an hour per person.
        allowed_then_limited(&w("consultation subscription"), 20, "subscribed=1", async |_| {
            let form = [("topic", "accessibility"), ("county", "Vrancea")];
            s.call(&joiner, app::consultations::SubscribeNew::PATH, &form).await
        })
        .await;

        // The newsletter: confirmations to one address from many client addresses behind our proxy.
        let subscribe = async |email: &str, ip: String| {
            let form = [("email", email), ("topics[]", "map"), ("county", ""), ("consent", "yes"), ("website", "")];
            let req = client().post(format!("{}{}", s.base, Subscribe::PATH)).header("origin", &s.base);
            req.header("x-forwarded-for", ip).form(&form).send().await.unwrap()
        };
        allowed_then_limited(&w("newsletter confirmation"), 3, "/newsletter?sent=1", async |i| {
            subscribe("tinta@exemplu.ro", format!("203.0.113.{i}")).await
        })
        .await;
        assert_eq!(int(&s, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = 'tinta@exemplu.ro'").await, 3);
        let res = subscribe("altcineva@exemplu.ro", "203.0.113.4".into()).await;
        assert_eq!(location(&res), "/newsletter?sent=1", "{kind:?}: that client may still subscribe itself");
    }
}

#[tokio::test]
async fn the_moderation_queue_is_scoped_before_its_limit() {
    // Old code: took the 200 oldest reported comments, then dropped those out of scope: B's official saw none.
    use app::consultations::db as cdb;
    use app::consultations::rules::{CommentStatus, Stance};
    for kind in backends() {
        let s = spawn(kind).await;
        let council = int(&s, "SELECT id FROM authorities WHERE slug = 'consiliul-local-focsani'").await;
        let city = int(&s, "SELECT id FROM authorities WHERE slug = 'primaria-municipiului-focsani'").await;
        let first_of = |owner: i64| {
            format!("SELECT MIN(id) FROM consultations WHERE owner_kind = 'authority' AND owner_id = {owner}")
        };
        let (a, b) = (int(&s, &first_of(council)).await, int(&s, &first_of(city)).await);
        let reporter = app::accounts::db::create_user(&s.db, "raportor@exemplu.ro", "x", "R", "ro").await.unwrap();
        let author = app::accounts::db::create_user(&s.db, "autor@exemplu.ro", "x", "A", "ro").await.unwrap();
        let now = app::ssr::now();
        let put = async |consultation: i64, body: String, at: i64| {
            let c = cdb::NewComment {
                consultation_id: consultation,
                version: 1,
                unit_id: None,
                unit_position: -1,
                paragraph: String::new(),
                parent_id: None,
                depth: 0,
                user_id: author,
                org_id: None,
                stance: Stance::Neutral,
                body,
                alternative: String::new(),
                status: CommentStatus::Visible,
                created_at: at,
            };
            let (id, _) = cdb::insert_comment(&s.db, &c).await.unwrap();
            assert!(cdb::add_report(&s.db, id, reporter, "spam", "").await.unwrap().is_some());
            id
        };
        for i in 0..250 {
            put(a, format!("Comentariul raportat {i}"), now - 100_000 + i).await;
        }
        let mine = put(b, "Comentariul din consultarea primăriei".into(), now).await;

        let (official, _) = user(&s, "functionar-primarie@exemplu.ro", true, Some((RoleKind::Official, city))).await;
        let q: app::consultations::Queue = s
            .call(&official, app::consultations::ModerationQueue::PATH, &[("state", "reported")])
            .await
            .json()
            .await
            .unwrap();
        assert!(q.items.iter().any(|i| i.id == mine), "{kind:?}: the official's own comment is in the queue");
        for i in &q.items {
            let owner = int(&s, &format!("SELECT owner_id FROM consultations WHERE slug = '{}'", i.slug)).await;
            assert_eq!(owner, city, "{kind:?}: only the city hall's consultations");
        }
        let (other, _) = user(&s, "functionar-consiliu@exemplu.ro", true, Some((RoleKind::Official, council))).await;
        let q: app::consultations::Queue = s
            .call(&other, app::consultations::ModerationQueue::PATH, &[("state", "reported")])
            .await
            .json()
            .await
            .unwrap();
        assert!(q.items.len() >= 200 && q.items.iter().all(|i| i.id != mine), "{kind:?}: and the council its own");
    }
}

mod map;
