//! Personal data (issue #19): the registry covers every column that names a person
//! (`coverage`), "download my data" holds everything a person did in every capability, as JSON
//! and as a ZIP with their photos (`export`), and deleting the account keeps the public record
//! readable, signed "cont șters", with nothing personal left in any covered column (`erase`).
mod coverage;
mod erase;
mod export;

use crate::common::*;
use app::ssr::now;
use leptos::server_fn::ServerFn;
use sqlx::Row;

pub const NAME: &str = "Zamfira Ștergescu";
pub const EMAIL: &str = "zamfira.test@exemplu.ro";
pub const PASSWORD: &str = "parola-buna-7";
/// Words only the person wrote where nobody else reads them (they must not outlive the account).
pub const PRIVATE: &str = "MesajPrivatZamfira";
pub const COMMENT: &str = "Rampa de la intrare lipsește de ani de zile.";
pub const REPORT: &str = "Trei trepte fără rampă, semnalate de Zamfira.";
pub const PHOTO_ALT: &str = "Treptele de la intrarea muzeului";
pub const SENT_ALT: &str = "Ușa îngustă, trimisă primăriei";
/// The demo consultation that is open for comments.
pub const CONSULTATION: &str = "planul-local-de-accesibilitate-focsani";

/// A real 1×1 PNG (re-encoded to JPEG when stored).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba,
    0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A person who did one thing in each capability, and where to find what they did.
pub struct Active {
    pub c: reqwest::Client,
    pub id: i64,
    /// A map report with a photo, never sent: its photo goes with the account.
    pub report: i64,
    pub photo: String,
    /// A report sent to the authority as a petition: its photo is evidence and stays.
    pub sent_report: i64,
    pub sent_photo: String,
    pub comment: i64,
    pub donation: String,
}

pub async fn scalar(s: &TestServer, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(&s.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")).get(0)
}

pub async fn text(s: &TestServer, sql: &str) -> String {
    sqlx::query(sql).fetch_one(&s.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")).get(0)
}

/// A server function or form that went through: 2xx, or a redirect that is not an error.
async fn ok(what: &str, res: reqwest::Response) -> reqwest::Response {
    let loc = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    if res.status().as_u16() >= 400 || loc.contains("error=") || loc.contains("__err=") {
        panic!("{what}: {} {loc} {}", res.status(), res.text().await.unwrap_or_default());
    }
    res
}

async fn report_with_photo(s: &TestServer, c: &reqwest::Client, place: i64, alt: &str) -> i64 {
    let part = reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("poza.png").mime_str("image/png").unwrap();
    let f = reqwest::multipart::Form::new()
        .text("place_id", place.to_string())
        .text("problem", "entrance")
        .text("description", REPORT)
        .part("photo_1", part)
        .text("alt_1", alt.to_string());
    let res = c.post(format!("{}/map/reports", s.base)).header("origin", &s.base).multipart(f).send().await.unwrap();
    let res = ok("map report", res).await;
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    let id = loc.trim_start_matches("/map/reports/").split('?').next().unwrap();
    id.parse().unwrap_or_else(|_| panic!("report id in {loc}"))
}

/// Signs a new person up and has them take part everywhere: a map report with a photo (and one
/// sent to the authority), an audit, a comment (which follows the consultation), a support and a
/// report of someone else's comment, a subscription to new consultations, a seat at a debate, an
/// event, the newsletter, a notification setting, a join request, an official request, a donation.
pub async fn active_person(s: &TestServer) -> Active {
    use app::accounts::{Login, Register, VerifyEmail};
    let c = client();
    let reg = [("display_name", NAME), ("email", EMAIL), ("password", PASSWORD), ("website", "")];
    ok("register", s.call(&c, Register::PATH, &reg).await).await;
    let token = s.token_for(EMAIL).await;
    ok("verify", s.call(&c, VerifyEmail::PATH, &[("token", &token)]).await).await;
    ok("login", s.call(&c, Login::PATH, &[("email", EMAIL), ("password", PASSWORD), ("next", "")]).await).await;
    let id = scalar(s, &format!("SELECT id FROM users WHERE email = '{EMAIL}'")).await;

    // The map: two reports with a photo each; the second is sent to the authority as a petition.
    let place = scalar(s, "SELECT id FROM map_places WHERE name = 'Muzeul Vrancei'").await;
    let report = report_with_photo(s, &c, place, PHOTO_ALT).await;
    let sent_report = report_with_photo(s, &c, place, SENT_ALT).await;
    sqlx::query(
        "INSERT INTO map_report_events (report_id, actor_id, actor_role, action, to_state, comment, created_at)
         VALUES ($1, NULL, 'org', 'send', 'sent', '', $2)",
    )
    .bind(sent_report)
    .bind(now())
    .execute(&s.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE map_reports SET state = 'sent' WHERE id = $1")
        .bind(sent_report)
        .execute(&s.db.pool)
        .await
        .unwrap();
    let key = |r: i64| format!("SELECT key_full FROM map_photos WHERE report_id = {r}");
    let (photo, sent_photo) = (text(s, &key(report)).await, text(s, &key(sent_report)).await);
    let audit = [("place_id", place.to_string()), ("checked_on", String::new()), ("audit[step_free]", "yes".into())];
    let audit: Vec<(&str, &str)> = audit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ok("audit", s.call(&c, app::map::SaveAudit::PATH, &audit).await).await;

    // A consultation: a comment (its author follows it), a support and a report of others' comments.
    use app::consultations::{PostComment, RegisterDebate, ReportComment, SubscribeNew, ToggleSupport};
    let cid = scalar(s, &format!("SELECT id FROM consultations WHERE slug = '{CONSULTATION}'")).await;
    let timing = s.settings.keys.sign(app::ssr::signing::Purpose::FormTiming, &(now() - 10).to_string());
    let form = [
        ("slug", CONSULTATION),
        ("scope", "general"),
        ("stance", "against"),
        ("body", COMMENT),
        ("form_token", timing.as_str()),
        ("form_key", "new"),
        ("website", ""),
    ];
    ok("comment", s.call(&c, PostComment::PATH, &form).await).await;
    let comment = scalar(s, &format!("SELECT id FROM consultation_comments WHERE user_id = {id}")).await;
    let others = format!(
        "SELECT id FROM consultation_comments WHERE consultation_id = {cid} AND status = 'visible' AND depth = 0
         AND user_id IS NOT NULL AND user_id <> {id} ORDER BY id"
    );
    let others: Vec<i64> = sqlx::query_scalar(&others).fetch_all(&s.db.pool).await.unwrap();
    assert!(others.len() >= 2, "the demo consultation has comments by others");
    let (a, b) = (others[0].to_string(), others[1].to_string());
    ok("support", s.call(&c, ToggleSupport::PATH, &[("id", &a)]).await).await;
    let flag = [("id", b.as_str()), ("reason", "spam"), ("details", PRIVATE)];
    ok("report a comment", s.call(&c, ReportComment::PATH, &flag).await).await;
    ok("subscribe", s.call(&c, SubscribeNew::PATH, &[("topic", "urbanism"), ("county", "Vrancea")]).await).await;
    sqlx::query("INSERT INTO consultation_debates (consultation_id, starts_at, place, created_at) VALUES ($1, $2, 'Sala mare', $3)")
        .bind(cid)
        .bind(now() + 5 * 86_400)
        .bind(now())
        .execute(&s.db.pool)
        .await
        .unwrap();
    ok("debate seat", s.call(&c, RegisterDebate::PATH, &[("id", &cid.to_string())]).await).await;

    // Organisations: an event, the newsletter, a join request, an official request.
    let event = scalar(s, "SELECT id FROM events WHERE slug = 'atelier-harta-accesibilitatii-focsani'").await;
    ok("event", s.call(&c, app::orgs::events::RegisterEvent::PATH, &[("event_id", &event.to_string())]).await).await;
    let news = [("email", EMAIL), ("topics[]", "map"), ("county", ""), ("consent", "yes"), ("website", "")];
    ok("newsletter", s.call(&c, app::orgs::newsletter::Subscribe::PATH, &news).await).await;
    let org = scalar(s, "SELECT id FROM organisations WHERE slug = 'rise-out-iasi'").await.to_string();
    let join = [("org_id", org.as_str()), ("message", PRIVATE)];
    ok("join", s.call(&c, app::orgs::members::RequestJoin::PATH, &join).await).await;
    let auth = scalar(s, "SELECT id FROM authorities WHERE slug = 'consiliul-judetean-iasi'").await.to_string();
    let official = [
        ("authority_id", auth.as_str()),
        ("position", "Consilier"),
        ("work_email", "zamfira@cjiasi.invalid"),
        ("message", PRIVATE),
    ];
    ok("official", s.call(&c, app::orgs::officials::RequestOfficial::PATH, &official).await).await;
    ok("notifications", s.call(&c, app::accounts::notify::SaveNotifications::PATH, &[("pause", "yes")]).await).await;

    // A donation from the same address, shown by name on the campaign's wall once paid.
    let gift = [
        ("campaign", "rampe-la-institutiile-din-focsani"),
        ("attempt", "attempt-zamfira-0000000000001"),
        ("amount", "5000"),
        ("custom_amount", ""),
        ("frequency", "one_time"),
        ("name", NAME),
        ("email", EMAIL),
        ("message", PRIVATE),
        ("show_name", "yes"),
        ("consent", "yes"),
        ("website", ""),
    ];
    ok("donation", s.call(&c, app::donations::Donate::PATH, &gift).await).await;
    let donation = text(s, &format!("SELECT public_id FROM donations WHERE donor_email = '{EMAIL}'")).await;
    sqlx::query("UPDATE donations SET status = 'paid', paid_at = $1 WHERE public_id = $2")
        .bind(now())
        .bind(&donation)
        .execute(&s.db.pool)
        .await
        .unwrap();
    Active { c, id, report, photo, sent_report, sent_photo, comment, donation }
}
