//! Traffic for the fault tests: comment posts by many people from many addresses, signed webhook
//! deliveries of the test provider, anonymous page reads; each request timed and its answer kept,
//! so a test can check afterwards that every write that was acknowledged is in the database.
use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Comment,
    Webhook,
    Page,
}

/// One request of a storm.
#[derive(Clone, Debug)]
pub struct Shot {
    pub kind: Kind,
    /// When it was sent, from the storm's start.
    pub at: Duration,
    pub took: Duration,
    pub ok: bool,
    /// The status, or the client's error ("timeout", "connect" …).
    pub answer: String,
    /// The comment's text, the webhook's donation, or the page.
    pub key: String,
}

/// People with sessions for the comment writers, and pending gifts for the webhook senders.
pub struct Storm {
    people: Vec<Person>,
    gifts: Vec<(String, i64)>,
    pub campaign: i64,
    secret: String,
    next_gift: AtomicUsize,
    next: AtomicUsize,
}

impl Storm {
    /// `people` accounts (each may post 10 comments a minute) and `gifts` pending donations.
    pub async fn prepare(c: &Cluster, people: usize, gifts: usize) -> Arc<Storm> {
        let mut ps = vec![];
        for _ in 0..people {
            ps.push(c.person("furtuna").await);
        }
        let slug = format!("furtuna-{}", &app::ssr::public_id()[..10]);
        let campaign = live_campaign(&c.db, &slug).await;
        let mut gs = vec![];
        for n in 0..gifts {
            let amount = 1_000 + (n as i64 % 13) * 500;
            gs.push((pending_gift(&c.db, campaign, n, amount).await, amount));
        }
        Arc::new(Storm {
            people: ps,
            gifts: gs,
            campaign,
            secret: server::payments::test_provider::webhook_secret(&c.settings),
            next_gift: AtomicUsize::new(0),
            next: AtomicUsize::new(0),
        })
    }

    /// Runs `writers` comment posters, `senders` webhook senders and `readers` page readers
    /// against `base` for `secs` seconds; returns every request, in no order.
    pub async fn run(
        self: &Arc<Self>,
        c: &Arc<Cluster>,
        base: &str,
        secs: f64,
        (writers, senders, readers): (usize, usize, usize),
    ) -> Vec<Shot> {
        let started = Instant::now();
        let until = Duration::from_secs_f64(secs);
        let mut tasks = vec![];
        let kinds = std::iter::repeat_n(Kind::Comment, writers)
            .chain(std::iter::repeat_n(Kind::Webhook, senders))
            .chain(std::iter::repeat_n(Kind::Page, readers));
        for kind in kinds {
            let (s, c, base) = (self.clone(), c.clone(), base.to_string());
            tasks.push(tokio::spawn(async move {
                let mut shots = vec![];
                while started.elapsed() < until {
                    let at = started.elapsed();
                    let Some((ok, answer, key)) = s.shoot(&c, &base, kind).await else { break };
                    shots.push(Shot { kind, at, took: started.elapsed() - at, ok, answer, key });
                }
                shots
            }));
        }
        let mut all = vec![];
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all
    }

    async fn shoot(&self, c: &Cluster, base: &str, kind: Kind) -> Option<(bool, String, String)> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let (res, key) = match kind {
            Kind::Comment => {
                let who = &self.people[n % self.people.len()];
                let body = format!("Furtună {n}-{}: trotuarele să fie refăcute înaintea rampelor.", who.id);
                (c.comment(base, &who.sid, &body, &ip(n)).await, body)
            }
            Kind::Webhook => {
                let g = self.next_gift.fetch_add(1, Ordering::Relaxed);
                let (gift, amount) = self.gifts.get(g)?;
                (self.deliver(base, gift, *amount).await, gift.clone())
            }
            Kind::Page => {
                let path = ["/consultations", THREAD, "/map", "/organisations"][n % 4];
                (http().get(format!("{base}{path}")).header("x-forwarded-for", ip(n)).send().await, path.into())
            }
        };
        Some(match res {
            Ok(r) => (succeeded(&r), r.status().as_u16().to_string(), key),
            Err(e) if e.is_timeout() => (false, "timeout".into(), key),
            Err(e) if e.is_connect() => (false, "connect".into(), key),
            Err(e) => (false, format!("error: {e}"), key),
        })
    }

    /// The provider's "paid" event for `gift`, signed as the test provider signs it.
    pub async fn deliver(&self, base: &str, gift: &str, amount: i64) -> reqwest::Result<reqwest::Response> {
        let body = serde_json::json!({"id": format!("evt_{gift}"), "type": "checkout.session.completed",
            "data": {"object": {"id": format!("cs_{gift}"), "amount_total": amount, "currency": "ron",
            "payment_status": "paid", "metadata": {"donation_id": gift}, "payment_intent": format!("pi_{gift}")}}})
        .to_string();
        let sig = server::payments::stripe_format::sign(&self.secret, now(), body.as_bytes());
        http()
            .post(format!("{base}/webhooks/test"))
            .header("stripe-signature", sig)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
    }

    /// Every gift that was sent, and its amount (for the campaign's total).
    pub fn sent_gifts(&self) -> &[(String, i64)] {
        &self.gifts[..self.next_gift.load(Ordering::Relaxed).min(self.gifts.len())]
    }

    /// Every acknowledged write is in the database, whole: each comment once with its receipt
    /// (written in the same transaction), each paid gift with its one ledger entry.
    pub async fn check_acknowledged(&self, c: &Cluster, shots: &[Shot]) {
        for s in shots.iter().filter(|s| s.ok) {
            match s.kind {
                Kind::Comment => {
                    let q = "SELECT COUNT(*) FROM consultation_comments WHERE body = $1";
                    assert_eq!(c.count(q, &s.key).await, 1, "acknowledged comment stored once: {}", s.key);
                }
                Kind::Webhook => {
                    let q = "SELECT COUNT(*) FROM donations WHERE public_id = $1 AND status = 'paid'";
                    assert_eq!(c.count(q, &s.key).await, 1, "acknowledged payment recorded: {}", s.key);
                }
                Kind::Page => {}
            }
        }
        // Nothing half-written: each storm person's comments and receipts match one for one.
        for p in &self.people {
            let comments = c
                .count(
                    "SELECT COUNT(*) FROM consultation_comments WHERE user_id = CAST($1 AS BIGINT)",
                    &p.id.to_string(),
                )
                .await;
            let receipts = c
                .count(
                    "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'consultations.receipt' AND to_addr = $1",
                    &p.email,
                )
                .await;
            assert_eq!(comments, receipts, "{}: a comment without its receipt, or the reverse", p.email);
        }
        let q = "SELECT COUNT(*) FROM donations d WHERE d.campaign_id = CAST($1 AS BIGINT) AND d.status = 'paid' AND (SELECT COUNT(*) FROM donation_ledger l WHERE l.donation_id = d.id AND l.entry = 'gift') <> 1";
        assert_eq!(c.count(q, &self.campaign.to_string()).await, 0, "each paid gift has one ledger entry");
    }
}

/// Answers by kind and status, for the test's output.
pub fn summary(shots: &[Shot]) -> String {
    let mut m = std::collections::BTreeMap::<String, usize>::new();
    for s in shots {
        *m.entry(format!("{:?} {}", s.kind, s.answer)).or_default() += 1;
    }
    m.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")
}

async fn live_campaign(db: &Db, slug: &str) -> i64 {
    use app::donations::db as ddb;
    let (org_id, _) = ddb::org_by_slug(db, "grupul-dizabil-eu-vrancea").await.unwrap().unwrap();
    let input = ddb::CampaignInput {
        title: format!("Campanie {slug}"),
        summary: "O campanie pentru testul de cluster.".into(),
        story_md: "Povestea".into(),
        cover_url: String::new(),
        cover_alt: String::new(),
        goal_bani: Some(10_000_000),
        ends_at: None,
        presets: vec![2_500, 5_000, 10_000],
        min_bani: 1_000,
        max_bani: 1_000_000,
        allow_monthly: false,
        thanks: "Mulțumim!".into(),
    };
    let id = ddb::create_campaign(db, org_id, slug, &input, 0, false).await.unwrap();
    assert!(ddb::set_campaign_status(db, id, "draft", "live").await.unwrap());
    id
}

async fn pending_gift(db: &Db, campaign_id: i64, n: usize, amount: i64) -> String {
    use app::donations::db as ddb;
    let public_id = format!("furtuna{n:05}{}", app::ssr::public_id());
    let d = ddb::NewDonation {
        public_id: public_id.clone(),
        campaign_id,
        amount_bani: amount,
        fee_bani: 0,
        currency: "RON".into(),
        monthly: false,
        provider: "test".into(),
        idempotency_key: format!("key-{public_id}"),
        donor_name: format!("Donator {n}"),
        donor_email: format!("donator{n}-{}@cluster.invalid", &public_id[12..20]),
        message: String::new(),
        show_name: false,
        lang: "ro".into(),
        consent_version: "v1".into(),
        newsletter: false,
        ip_hash: String::new(),
        is_demo: false,
    };
    ddb::create_donation(db, &d).await.unwrap();
    public_id
}
