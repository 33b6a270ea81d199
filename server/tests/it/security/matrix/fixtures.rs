//! The fixtures every row builds from: one server per database, an account and a session per
//! role, and the targets (consultations in each state, comments, files, a place, campaigns).
use super::*;
use crate::common::{self, TestServer};
use app::accounts::rules::RoleKind;
use sqlx::Row as _;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// A consultation fixture.
#[derive(Clone)]
pub struct Cons {
    pub id: i64,
    pub slug: String,
}

/// Everything the rows build from, on one database.
pub struct Ctx {
    pub s: TestServer,
    http: reqwest::Client,
    hash: String,
    seq: AtomicU64,
    /// Each signed-in role's account: (user id, session token).
    pub users: HashMap<Role, (i64, String)>,
    pub org: i64,
    pub org_slug: String,
    pub org_name: String,
    pub org_other: i64,
    /// An organisation nobody in the matrix belongs to (join requests go there).
    pub org_neutral: i64,
    /// A pending (unvetted) organisation; the owner is its admin.
    pub pending_org: String,
    pub auth: i64,
    pub auth_other: i64,
    /// An authority nobody in the matrix is an official of (official requests go there).
    pub auth_request: i64,
    /// Someone outside the matrix who writes the comments and reports others act on.
    pub person: i64,
    pub open: Cons,
    pub closed: Cons,
    pub draft: Cons,
    pub answered: Cons,
    pub place: i64,
    pub event: i64,
    pub live_campaign: i64,
    pub live_campaign_slug: String,
    pub draft_campaign: i64,
    pub draft_campaign_slug: String,
    pub issue: i64,
    /// Files: a paper under a hidden comment (slug, id, storage key); an attachment of a draft.
    pub hidden_paper: (String, i64, String),
    pub draft_file: (String, i64),
    /// An attachment of a consultation another authority owns (slug, id).
    pub foreign_file: (String, i64),
    /// Consultations the demo organisation owns: open, and a draft.
    pub org_open: Cons,
    pub org_draft: Cons,
    pub org_queue_marker: String,
    pub thread_hidden_marker: String,
    /// Texts that only some roles may read.
    pub queue_marker: String,
    pub pending_marker: String,
    pub hidden_marker: String,
    pub org_draft_title: String,
    pub draft_campaign_title: String,
    pub member_name: String,
}

pub async fn setup(kind: DbKind) -> Arc<Ctx> {
    let s = common::spawn(kind).await;
    let hash = {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        argon2::Argon2::default()
            .hash_password(PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string()
    };
    let org_id = |slug: &'static str| app::donations::db::org_by_slug(&s.db, slug);
    let (org, org_name) = org_id("grupul-dizabil-eu-vrancea").await.unwrap().unwrap();
    let (org_other, _) = org_id("apta-iasi").await.unwrap().unwrap();
    let (org_neutral, _) = org_id("rise-out-iasi").await.unwrap().unwrap();
    let auth_id = |slug: &'static str| scalar(&s, format!("SELECT id FROM authorities WHERE slug = '{slug}'"));
    let (auth, auth_other, auth_request) = (
        auth_id("consiliul-local-focsani").await,
        auth_id("primaria-municipiului-iasi").await,
        auth_id("consiliul-judetean-iasi").await,
    );
    let person = scalar(&s, "SELECT id FROM users WHERE email = 'ana.popescu@demo.participa.invalid'").await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut c = Ctx {
        s,
        http,
        hash,
        seq: AtomicU64::new(1),
        users: HashMap::new(),
        org,
        org_slug: "grupul-dizabil-eu-vrancea".into(),
        org_name,
        org_other,
        org_neutral,
        pending_org: String::new(),
        auth,
        auth_other,
        auth_request,
        person,
        open: Cons { id: 0, slug: String::new() },
        closed: Cons { id: 0, slug: String::new() },
        draft: Cons { id: 0, slug: String::new() },
        answered: Cons { id: 0, slug: String::new() },
        place: 0,
        event: 0,
        live_campaign: 0,
        live_campaign_slug: "rampe-la-institutiile-din-focsani".into(),
        draft_campaign: 0,
        draft_campaign_slug: String::new(),
        issue: 0,
        hidden_paper: (String::new(), 0, String::new()),
        draft_file: (String::new(), 0),
        foreign_file: (String::new(), 0),
        org_open: Cons { id: 0, slug: String::new() },
        org_draft: Cons { id: 0, slug: String::new() },
        org_queue_marker: "SemnalatOrganizatieMatrice".into(),
        thread_hidden_marker: "AscunsInFirMatrice".into(),
        queue_marker: "RaportatMatrice".into(),
        pending_marker: "InAsteptareMatrice".into(),
        hidden_marker: "AscunsMatrice".into(),
        org_draft_title: "Ciorna organizatiei matrice".into(),
        draft_campaign_title: "Campanie ciorna matrice".into(),
        member_name: "Matrice Membra Organizatie".into(),
    };
    for role in Role::ALL.into_iter().skip(1) {
        let (uid, token) = c.account(role, &format!("Matrice {}", role.name())).await;
        c.users.insert(role, (uid, token));
    }
    // A member outside the matrix (whose name only the organisation's managers may read).
    let member = c.member_name.clone();
    c.account(OrgMember, &member).await;
    c.fixtures().await;
    Arc::new(c)
}

async fn scalar(s: &TestServer, sql: impl AsRef<str>) -> i64 {
    sqlx::query(sql.as_ref()).fetch_one(&s.db.pool).await.unwrap_or_else(|e| panic!("{}: {e}", sql.as_ref())).get(0)
}

impl Ctx {
    pub fn n(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    pub fn uid(&self, role: Role) -> i64 {
        self.users[&role].0
    }

    pub fn db(&self) -> &app::ssr::Db {
        &self.s.db
    }

    pub async fn scalar(&self, sql: impl AsRef<str>) -> i64 {
        scalar(&self.s, sql).await
    }

    pub async fn text(&self, sql: impl AsRef<str>) -> String {
        sqlx::query(sql.as_ref())
            .fetch_one(&self.s.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", sql.as_ref()))
            .get(0)
    }

    pub async fn exec(&self, sql: impl AsRef<str>) {
        sqlx::query(sql.as_ref()).execute(&self.s.db.pool).await.unwrap_or_else(|e| panic!("{}: {e}", sql.as_ref()));
    }

    /// A new account with what `role` has (verified or not, its roles) and a session.
    pub async fn account(&self, role: Role, name: &str) -> (i64, String) {
        let n = self.n();
        let email = format!("{}-{n}@matrice.invalid", role.name().replace(['(', ')'], ""));
        let db = self.db();
        let id = app::accounts::db::create_user(db, &email, &self.hash, name, "ro").await.unwrap();
        if role != Unverified {
            app::accounts::db::mark_verified(db, id).await.unwrap();
        }
        let grants: Vec<(RoleKind, i64)> = match role {
            Anonymous | Unverified | Resident => vec![],
            OrgMember => vec![(RoleKind::OrgMember, self.org)],
            OrgAdminOther => vec![(RoleKind::OrgAdmin, self.org_other)],
            Moderator => vec![(RoleKind::Moderator, 0)],
            OfficialOther => vec![(RoleKind::Official, self.auth_other)],
            Admin => vec![(RoleKind::Admin, 0)],
            OrgAdmin => vec![(RoleKind::OrgAdmin, self.org)],
            Official => vec![(RoleKind::Official, self.auth)],
        };
        for (kind, scope) in grants {
            app::accounts::db::grant_role(db, id, kind, scope, id).await.unwrap();
        }
        let token = format!("matrice-{n}-{}", app::ssr::random_token());
        app::accounts::db::create_session(db, &sha256_hex(&token), id, now() + 86_400, "matrix").await.unwrap();
        (id, token)
    }

    /// A fresh account for an action that uses it up (anonymous callers get a resident's).
    pub async fn fresh(&self, role: Role) -> (i64, String) {
        let r = if role == Anonymous { Resident } else { role };
        self.account(r, "Matrice Cont Nou").await
    }

    pub async fn consultation(&self, status: Status, owner_kind: &str, owner_id: i64, title: &str) -> Cons {
        use app::consultations::db as cdb;
        let n = self.n();
        let day = 86_400;
        let t = now();
        let (opens, closes) = match status {
            Status::Draft => (t + day, t + 30 * day),
            Status::Open => (t - day, t + 20 * day),
            _ => (t - 30 * day, t - day),
        };
        let slug = format!("matrice-{n}-{}", status.code());
        let c = cdb::NewConsultation {
            slug: slug.clone(),
            title: format!("{title} {n}"),
            summary: "Consultare creata pentru matricea de securitate.".into(),
            topics: vec!["urbanism".into()],
            locality: "Focșani".into(),
            county: "Vrancea".into(),
            owner_kind: owner_kind.into(),
            owner_id,
            draft_text: DRAFT.into(),
            explanatory_note: "Nota de fundamentare.".into(),
            opens_at: opens,
            closes_at: closes,
            adoption_at: Some(t + 90 * day),
            urgency_reason: String::new(),
            officer_contact: "transparenta@focsani.invalid".into(),
            initiator: "mayor".into(),
            premoderation: false,
            report_threshold: 3,
            created_by: None,
            is_demo: false,
        };
        let id = cdb::insert(self.db(), &c, &app::consultations::rules::split::split(DRAFT)).await.unwrap();
        let steps: &[Status] = match status {
            Status::Draft => &[],
            Status::Open => &[Status::Open],
            Status::Closed => &[Status::Open, Status::Closed],
            _ => &[Status::Open, Status::Closed, Status::Answered],
        };
        for s in steps {
            cdb::set_status(self.db(), id, *s).await.unwrap();
        }
        Cons { id, slug }
    }

    /// A general comment on consultation `cid`.
    pub async fn comment(&self, cid: i64, author: i64, status: CommentStatus, body: &str) -> i64 {
        let new = app::consultations::db::NewComment {
            consultation_id: cid,
            version: 1,
            unit_id: None,
            unit_position: -1,
            paragraph: String::new(),
            parent_id: None,
            depth: 0,
            user_id: author,
            org_id: None,
            stance: Stance::Against,
            body: body.into(),
            alternative: format!("{body} (formulare alternativa)"),
            status,
            created_at: now(),
        };
        app::consultations::db::insert_comment(self.db(), &new).await.unwrap().0
    }

    /// A report about the matrix's place, in `state` (new, confirmed, sent, fixed).
    pub async fn map_report(&self, state: &str) -> i64 {
        let id = app::map::db::insert_report(
            self.db(),
            self.place,
            "entrance",
            "Trei trepte fara rampa la intrare (matrice).",
            self.person,
            &[],
        )
        .await
        .unwrap();
        let today = app::map::today();
        match state {
            "new" => {}
            "sent" => {
                let due = app::map::rules::answer_due(today - 1, false);
                self.exec(format!(
                    "UPDATE map_reports SET state = 'sent', registration_no = 'NR-{id}', registered_day = {}, due_day = {due} WHERE id = {id}",
                    today - 1
                ))
                .await
            }
            s => self.exec(format!("UPDATE map_reports SET state = '{s}' WHERE id = {id}")).await,
        }
        id
    }

    pub async fn draft_campaign(&self, title: &str) -> (i64, String) {
        let n = self.n();
        let slug = format!("campanie-matrice-{n}");
        let input = app::donations::db::CampaignInput {
            title: title.into(),
            summary: "Strangem bani pentru matricea de securitate.".into(),
            story_md: "O poveste **scurta**.".into(),
            cover_url: String::new(),
            cover_alt: String::new(),
            goal_bani: Some(1_000_000),
            ends_at: Some(now() + 40 * 86_400),
            presets: vec![2_000, 5_000],
            min_bani: 1_000,
            max_bani: 500_000,
            allow_monthly: false,
            thanks: "Multumim!".into(),
        };
        let id = app::donations::db::create_campaign(self.db(), self.org, &slug, &input, 0, false).await.unwrap();
        (id, slug)
    }

    /// A gift through the test provider, paid, with a payment reference (so it can be refunded).
    pub async fn paid_donation(&self) -> i64 {
        use app::ssr::payments::{Effect, Event};
        let n = self.n();
        let public_id = app::ssr::public_id();
        let new = app::donations::db::NewDonation {
            public_id: public_id.clone(),
            campaign_id: self.live_campaign,
            amount_bani: 5_000,
            fee_bani: 0,
            currency: "RON".into(),
            monthly: false,
            provider: "test".into(),
            idempotency_key: format!("matrice-{n}-{public_id}"),
            donor_name: "Donator Matrice".into(),
            donor_email: format!("donator-{n}@matrice.invalid"),
            message: String::new(),
            show_name: false,
            lang: "ro".into(),
            consent_version: app::donations::rules::CONSENT_VERSION.into(),
            newsletter: false,
            ip_hash: String::new(),
            is_demo: false,
        };
        let id = app::donations::db::create_donation(self.db(), &new).await.unwrap();
        let ev = Event {
            id: format!("evt_matrice_{n}_{public_id}"),
            kind: "payment_intent.succeeded".into(),
            effect: Effect::AsyncSucceeded {
                donation: public_id,
                amount: 5_000,
                currency: "RON".into(),
                payment: Some(format!("pi_matrice_{n}")),
            },
        };
        app::donations::service::events::apply_event(self.db(), "test", &ev).await.unwrap();
        id
    }

    /// Sends a request as the holder of `sid` (none: anonymous), the way a browser on our pages does.
    pub async fn send(&self, sid: Option<&str>, req: Req) -> Answer {
        let base = &self.s.base;
        let rb = match req {
            Req::Post(path, form) => self.http.post(format!("{base}{path}")).header("origin", base).form(&form),
            Req::Get(path) => self.http.get(format!("{base}{path}")),
            Req::Multipart(path, parts, json) => {
                let mut f = reqwest::multipart::Form::new();
                for p in parts {
                    f = match p {
                        Part::Text(k, v) => f.text(k, v),
                        Part::File(k, name, bytes, mime) => {
                            f.part(k, reqwest::multipart::Part::bytes(bytes).file_name(name).mime_str(mime).unwrap())
                        }
                    };
                }
                let rb = self.http.post(format!("{base}{path}")).header("origin", base).multipart(f);
                if json {
                    rb.header("accept", "application/json")
                } else {
                    rb
                }
            }
        };
        let rb = match sid {
            Some(t) => rb.header("cookie", format!("sid={t}")),
            None => rb,
        };
        let res = rb.send().await.unwrap();
        let status = res.status().as_u16();
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let body = String::from_utf8_lossy(&res.bytes().await.unwrap_or_default()).into_owned();
        Answer { status, location, body }
    }

    pub async fn send_as(&self, role: Role, req: Req) -> Answer {
        let sid = self.users.get(&role).map(|u| u.1.clone());
        self.send(sid.as_deref(), req).await
    }

    /// The rows the probe returns, as text.
    pub async fn probe(&self, sql: &str) -> String {
        let rows = sqlx::query(sql).fetch_all(&self.s.db.pool).await.unwrap_or_else(|e| panic!("probe {sql}: {e}"));
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
                            format!("{v:?}")
                        } else if let Ok(v) = r.try_get::<Option<String>, _>(i) {
                            format!("{v:?}")
                        } else if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
                            format!("{v:?}")
                        } else {
                            "?".into()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// The targets that stay put: consultations in each state, a place, a campaign, files.
    async fn fixtures(&mut self) {
        let open = self.consultation(Status::Open, "authority", self.auth, "Consultare deschisa").await;
        self.closed = self.consultation(Status::Closed, "authority", self.auth, "Consultare inchisa").await;
        self.draft = self.consultation(Status::Draft, "authority", self.auth, "Ciorna autoritatii").await;
        self.answered = self.consultation(Status::Answered, "authority", self.auth, "Raport publicat").await;
        let org_draft = self.org_draft_title.clone();
        self.org_draft = self.consultation(Status::Draft, "org", self.org, &org_draft).await;
        self.org_open = self.consultation(Status::Open, "org", self.org, "Consultarea organizatiei").await;
        let db = self.s.db.clone();
        app::consultations::db::set_debate(&db, open.id, now() + 10 * 86_400, "Sala mare", "", "").await.unwrap();
        // A reported comment (the queue), a pending one by the resident, a hidden one in a published report.
        let reported = self.comment(open.id, self.person, CommentStatus::Visible, &self.queue_marker.clone()).await;
        let reporter = self.account(Resident, "Matrice Raportor").await.0;
        app::consultations::db::add_report(&db, reported, reporter, "spam", "").await.unwrap();
        let org_reported =
            self.comment(self.org_open.id, self.person, CommentStatus::Visible, &self.org_queue_marker.clone()).await;
        app::consultations::db::add_report(&db, org_reported, reporter, "spam", "").await.unwrap();
        let thread_hidden = self.thread_hidden_marker.clone();
        self.comment(open.id, self.person, CommentStatus::Hidden, &thread_hidden).await;
        let pending = self.pending_marker.clone();
        self.comment(open.id, self.uid(Resident), CommentStatus::Pending, &pending).await;
        let hidden = self.hidden_marker.clone();
        self.comment(self.answered.id, self.person, CommentStatus::Hidden, &hidden).await;
        // A position paper under a comment a moderator hid; an attachment of a draft.
        let by_resident = self.comment(open.id, self.uid(Resident), CommentStatus::Visible, "Cu document anexat").await;
        let paper = vec![Part::File("file", "pozitie.pdf", PDF.to_vec(), "application/pdf")];
        let a = self
            .send_as(
                Resident,
                Req::Multipart(format!("/consultations/{}/papers/{by_resident}", open.slug), paper, false),
            )
            .await;
        assert_eq!(a.status, 303, "paper uploaded: {}", a.location);
        self.exec(format!("UPDATE consultation_comments SET status = 'hidden' WHERE id = {by_resident}")).await;
        let (id, key): (i64, String) = {
            let r = sqlx::query("SELECT id, storage_key FROM consultation_files WHERE comment_id = $1")
                .bind(by_resident)
                .fetch_one(&db.pool)
                .await
                .unwrap();
            (r.get(0), r.get(1))
        };
        self.hidden_paper = (open.slug.clone(), id, key);
        let attachment = vec![
            Part::Text("kind", "attachment".into()),
            Part::Text("title", "Anexa ciornei".into()),
            Part::File("file", "anexa.pdf", PDF.to_vec(), "application/pdf"),
        ];
        let draft_slug = self.draft.slug.clone();
        let a = self
            .send_as(Official, Req::Multipart(format!("/consultations/{draft_slug}/files"), attachment, false))
            .await;
        assert_eq!(a.status, 303, "attachment uploaded: {}", a.location);
        let fid =
            self.scalar(format!("SELECT id FROM consultation_files WHERE consultation_id = {}", self.draft.id)).await;
        self.draft_file = (draft_slug, fid);
        // An attachment another authority's official added to that authority's consultation.
        let foreign =
            self.consultation(Status::Open, "authority", self.auth_other, "Consultarea altei autoritati").await;
        let attachment = vec![
            Part::Text("kind", "attachment".into()),
            Part::Text("title", "Anexa altei autoritati".into()),
            Part::File("file", "anexa.pdf", PDF.to_vec(), "application/pdf"),
        ];
        let a = self
            .send_as(OfficialOther, Req::Multipart(format!("/consultations/{}/files", foreign.slug), attachment, false))
            .await;
        assert_eq!(a.status, 303, "foreign attachment uploaded: {}", a.location);
        let fid =
            self.scalar(format!("SELECT id FROM consultation_files WHERE consultation_id = {}", foreign.id)).await;
        self.foreign_file = (foreign.slug, fid);
        self.open = open;
        // The organisation side: a pending organisation the owner runs, a place, a campaign, an issue.
        let n = self.n();
        let p = app::orgs::db::NewOrg {
            slug: format!("organizatie-in-asteptare-{n}"),
            name: format!("Organizatie in asteptare {n}"),
            legal_form: "informal".into(),
            cui: None,
            registry_number: String::new(),
            locality: "Focșani".into(),
            county: "Vrancea".into(),
            short_description: "O organizatie inca neverificata.".into(),
            website: String::new(),
            contact_email: String::new(),
            domains: vec!["disability".into()],
        };
        app::orgs::db::create(&db, &p, self.uid(OrgAdmin)).await.unwrap();
        self.pending_org = p.slug;
        let place = app::map::db::NewPlace {
            name: "Biblioteca Matricei".into(),
            category: "library".into(),
            address: "Str. Matricei 1".into(),
            locality: "Focșani".into(),
            county: "Vrancea".into(),
            lat: 45.69,
            lon: 27.18,
            authority_id: Some(self.auth),
            org_id: Some(self.org),
            ..Default::default()
        };
        self.place = app::map::db::insert_place(&db.pool, &place, None, false).await.unwrap();
        self.event = self.scalar("SELECT id FROM events WHERE slug = 'dialog-ong-autoritati-iasi'").await;
        self.live_campaign =
            self.scalar(format!("SELECT id FROM donation_campaigns WHERE slug = '{}'", self.live_campaign_slug)).await;
        let title = self.draft_campaign_title.clone();
        (self.draft_campaign, self.draft_campaign_slug) = self.draft_campaign(&title).await;
        self.issue = app::orgs::newsletter::db::create_issue(
            &db,
            "Numar de proba matrice",
            "Un numar al buletinului, scris pentru matricea de securitate.",
            "",
            "",
            self.uid(Admin),
        )
        .await
        .unwrap();
    }
}
