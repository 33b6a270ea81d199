//! Go-live security (#13), over real HTTP on SQLite and PostgreSQL: what a request may cost the
//! server (bodies, images), where a form may lead, which headers and files are served, who can
//! empty the caches, and the status a refusal answers with.

use crate::common::*;
use crate::security::common::*;
use app::accounts::rules::RoleKind;
use app::error::Problem;
use app::i18n::{Lang, K};
use leptos::server_fn::ServerFn;
use sqlx::Row;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The memory test measures this whole process (the servers run in it): while it runs, no other
/// test of this file does (they take the read side, it takes the write side).
static MEMORY: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba,
    0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

// ---- 8. bodies ----

/// This process's resident memory, in bytes.
fn rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS");
    line.split_whitespace().nth(1).unwrap().parse::<usize>().unwrap() * 1024
}

/// Samples the resident memory every 5 ms until `stop` is set; returns the highest seen.
fn watch_peak_rss(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut peak = rss();
        while !stop.load(Ordering::Relaxed) {
            peak = peak.max(rss());
            std::thread::sleep(Duration::from_millis(5));
        }
        peak.max(rss())
    })
}

static CHUNK: [u8; 1 << 20] = [b'a'; 1 << 20];
const BOUNDARY: &str = "participa-test-boundary-7f3a";

/// A multipart body of one field (`head` is its part header) of `size` bytes, made as it is sent
/// (nothing of that size is allocated here); `pulled` counts the bytes the connection took.
fn streamed_field(head: String, size: usize, pulled: Arc<AtomicUsize>) -> reqwest::Body {
    use futures_util::stream;
    let head = format!("--{BOUNDARY}\r\n{head}\r\n\r\n").into_bytes();
    let tail = format!("\r\n--{BOUNDARY}--\r\n").into_bytes();
    let chunks = (size / CHUNK.len()).max(1);
    let body = stream::iter(
        std::iter::once(head)
            .map(bytes_of)
            .chain((0..chunks).map(|_| &CHUNK[..]))
            .chain(std::iter::once(tail).map(bytes_of)),
    );
    let counted = futures_util::StreamExt::map(body, move |b: &'static [u8]| {
        pulled.fetch_add(b.len(), Ordering::Relaxed);
        Ok::<_, std::io::Error>(b)
    });
    reqwest::Body::wrap_stream(counted)
}

/// Leaks a small buffer (the head and tail of a streamed body) so every chunk is `&'static`.
fn bytes_of(v: Vec<u8>) -> &'static [u8] {
    Box::leak(v.into_boxed_slice())
}

/// Posts a streamed multipart body; the status, or None when the server cut the connection.
async fn post_streamed(url: &str, origin: &str, body: reqwest::Body) -> Option<(u16, String)> {
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
        .post(url)
        .header("origin", origin)
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .send()
        .await;
    match res {
        Ok(r) => Some((r.status().as_u16(), location(&r))),
        Err(e) => {
            assert!(!e.is_timeout(), "the server kept reading: {e}");
            None
        }
    }
}

// Old code: uploads read whole bodies before the session check (map: 50 MB read), server fns took any size (no 413).
// It measures this process's memory, so it runs alone: `test.sh` runs it by name after the rest.
#[tokio::test]
#[ignore = "measures the whole process's memory: run alone (server/scripts/test.sh does)"]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let _alone = MEMORY.write().await;
    const MB: usize = 1024 * 1024;
    for kind in backends() {
        let s = spawn(kind).await;
        let org = id_by_slug(&s, "organisations", "grupul-dizabil-eu-vrancea").await;
        let before = rss();
        let stop = Arc::new(AtomicBool::new(false));
        let peak = watch_peak_rss(stop.clone());

        // (a) 300 MB of text, streamed without a length, to the logo upload, anonymously.
        let pulled = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let body = streamed_field("Content-Disposition: form-data; name=\"logo_alt\"".into(), 300 * MB, pulled.clone());
        let answer = post_streamed(&format!("{}/organisations/{org}/logo", s.base), &s.base, body).await;
        if let Some((status, _)) = &answer {
            assert_eq!(*status, 403, "{kind:?}: the logo upload is the organisation admins' only");
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{kind:?}: refused quickly ({:?})", started.elapsed());
        let sent = pulled.load(Ordering::Relaxed);
        assert!(sent < 32 * MB, "{kind:?}: the server read {} MB of the logo body", sent / MB);

        // (b) a 3 MB form to a server function (sign-in): refused from its declared length.
        let big = "a".repeat(3 * MB);
        let res = s
            .call(
                &client_t(),
                app::accounts::Login::PATH,
                &[("email", "a@exemplu.ro"), ("password", &big), ("next", "")],
            )
            .await;
        assert_eq!(res.status(), 413, "{kind:?}: a server function takes 2 MB at most");
        drop(big);

        // (c) 50 MB of photo to the map's report form, anonymously: refused from the headers.
        let pulled = Arc::new(AtomicUsize::new(0));
        let body = streamed_field(
            "Content-Disposition: form-data; name=\"photo_1\"; filename=\"mare.jpg\"\r\nContent-Type: image/jpeg"
                .into(),
            50 * MB,
            pulled.clone(),
        );
        let answer = post_streamed(&format!("{}/map/reports", s.base), &s.base, body).await;
        if let Some((status, to)) = &answer {
            assert_eq!(*status, 303, "{kind:?}");
            assert!(to.contains("error=form:sign_in"), "{kind:?}: {to}");
        }
        let sent = pulled.load(Ordering::Relaxed);
        assert!(sent < 32 * MB, "{kind:?}: the server read {} MB of the photo before checking the session", sent / MB);

        stop.store(true, Ordering::Relaxed);
        let grown = peak.join().unwrap().saturating_sub(before);
        assert!(grown < 64 * MB, "{kind:?}: memory grew by {} MB", grown / MB);
        // The server still answers.
        assert_eq!(s.get(&client_t(), "/healthz").await.status(), 200);
    }
}

// ---- 9. image bombs ----

/// A `side`×`side` black greyscale PNG, written by hand so that nothing of the image's size is
/// allocated here: its zlib stream is one fixed-Huffman deflate block, a literal 0 and then
/// back-references of 258 bytes at distance 1 (13 bits each), so 141 MP take about 0.9 MB.
fn black_png(side: u32) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        /// `len` bits of `v`, least significant first (deflate's bit order).
        fn put(&mut self, v: u32, len: u32) {
            self.acc |= u64::from(v) << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            let rev = (0..len).fold(0, |r, i| r | (((code >> i) & 1) << (len - 1 - i)));
            self.put(rev, len);
        }
    }
    fn crc32(bytes: &[u8]) -> u32 {
        let table: Vec<u32> = (0..256u32)
            .map(|n| (0..8).fold(n, |c, _| if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 }))
            .collect();
        !bytes.iter().fold(!0u32, |c, b| table[((c ^ u32::from(*b)) & 0xff) as usize] ^ (c >> 8))
    }
    fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    // Every row: filter byte 0, then `side` zero pixels.
    let raw = u64::from(side) * (u64::from(side) + 1);
    let mut bits = Bits { out: vec![0x78, 0x01], acc: 0, n: 0 };
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    let rest = raw - 1;
    for _ in 0..rest / 258 {
        bits.code(0xC5, 8); // length 258 (code 285)
        bits.code(0, 5); // distance 1
    }
    for _ in 0..rest % 258 {
        bits.code(0x30, 8);
    }
    bits.code(0, 7); // end of block
    if bits.n > 0 {
        bits.out.push(bits.acc as u8);
    }
    // Adler-32 of zeros: a stays 1, b adds 1 per byte.
    let adler = (((raw % 65_521) as u32) << 16) | 1;
    bits.out.extend_from_slice(&adler.to_be_bytes());

    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut ihdr = side.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, deflate, no interlace
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &bits.out);
    chunk(&mut png, b"IEND", &[]);
    png
}

// Old code: no pixel cap under 12,000 px a side: both bombs were decoded on the async workers and accepted.
#[tokio::test]
async fn image_bombs_are_refused_without_blocking_other_requests() {
    let _turn = MEMORY.read().await;
    // The generator writes real PNGs: a small one decodes to what it says.
    let small = image::load_from_memory(&black_png(300)).expect("a valid PNG").to_luma8();
    assert_eq!(small.dimensions(), (300, 300));
    assert!(small.pixels().all(|p| p.0 == [0]));
    let bomb = black_png(11_900);
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    let dims = image::ImageReader::new(std::io::Cursor::new(&bomb)).with_guessed_format().unwrap().into_dimensions();
    assert_eq!(dims.unwrap(), (11_900, 11_900));

    for kind in backends() {
        let s = spawn(kind).await;
        let (c, uid) = person(&s, "bomba@exemplu.ro", None).await;
        let place = place_id(&s, "Muzeul Vrancei").await;
        for json in [false, true] {
            let part = |name: &str| {
                reqwest::multipart::Part::bytes(bomb.clone()).file_name(name.to_string()).mime_str("image/png").unwrap()
            };
            let form = reqwest::multipart::Form::new()
                .text("place_id", place.to_string())
                .text("problem", "entrance")
                .text("description", "Trei trepte fără rampă la intrarea principală.")
                .part("photo_1", part("intrarea.png"))
                .text("alt_1", "Intrarea principală")
                .part("photo_2", part("treptele.png"))
                .text("alt_2", "Treptele de la intrare");
            let mut req = c.post(format!("{}/map/reports", s.base)).header("origin", &s.base).multipart(form);
            if json {
                req = req.header("accept", "application/json");
            }
            let upload = tokio::spawn(req.send());
            let started = Instant::now();
            let mut polls = 0;
            loop {
                let t = Instant::now();
                let res = s.get(&client_t(), "/healthz").await;
                assert_eq!(res.status(), 200);
                assert!(t.elapsed() < Duration::from_secs(1), "{kind:?}: /healthz took {:?}", t.elapsed());
                polls += 1;
                if upload.is_finished() {
                    break;
                }
                assert!(started.elapsed() < Duration::from_secs(60), "{kind:?}: the upload is still being handled");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            assert!(polls >= 1);
            let res = upload.await.unwrap().unwrap();
            if json {
                assert_eq!(res.status(), 422, "{kind:?}");
                let v: serde_json::Value = res.json().await.unwrap();
                let fields: Vec<&str> =
                    v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
                assert_eq!(fields, ["photo_1", "photo_2"], "{kind:?}: {v}");
                let said = v["errors"][0]["message"].as_str().unwrap();
                let pixels = |l: Lang| app::map::http::problem_message(l, "too_many_pixels");
                assert!(said == pixels(Lang::Ro) || said == pixels(Lang::En), "{kind:?}: {said}");
            } else {
                assert_eq!(res.status(), 303, "{kind:?}");
                let to = location(&res);
                assert!(to.contains("error=photo_1:too_many_pixels"), "{kind:?}: {to}");
                assert!(to.contains("error=photo_2:too_many_pixels"), "{kind:?}: {to}");
            }
        }
        let reports: i64 = sqlx::query("SELECT COUNT(*) FROM map_reports WHERE reporter_id = $1")
            .bind(uid)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(reports, 0, "{kind:?}: nothing was created");
    }
}

// ---- 10. the donation form leads to the provider's checkout, and nowhere else ----

/// A local stand-in for Stripe's API: checkout sessions whose `url` the test chooses.
async fn fake_stripe(url: Arc<std::sync::Mutex<String>>, calls: Arc<AtomicUsize>) -> String {
    let app = axum::Router::new().route(
        "/v1/checkout/sessions",
        axum::routing::post(move || {
            let (url, calls) = (url.clone(), calls.clone());
            async move {
                let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                let url = url.lock().unwrap().clone();
                axum::Json(serde_json::json!({"id": format!("cs_test_{n}"), "object": "checkout.session", "url": url}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

// Old code: CSP `form-action 'self'` blocked the redirect to Stripe, and any URL the API returned was followed.
#[tokio::test]
async fn donation_forms_may_lead_only_to_the_providers_checkout() {
    let _turn = MEMORY.read().await;
    const CHECKOUT: &str = "https://checkout.participa-test.example";
    for kind in backends() {
        let url = Arc::new(std::sync::Mutex::new(format!("{CHECKOUT}/c/pay/cs_test_1")));
        let calls = Arc::new(AtomicUsize::new(0));
        let api = fake_stripe(url.clone(), calls.clone()).await;
        let s = spawn_full(
            kind,
            |_| {},
            |_| app::ssr::payments::Payments {
                provider: Arc::new(server::payments::stripe::StripeProvider::new(
                    api.clone(),
                    CHECKOUT.into(),
                    "sk_test_participa".into(),
                    "whsec_participa".into(),
                )),
                limits: Default::default(),
            },
        )
        .await;
        let res = s.get(&client_t(), "/campaigns/rampe-la-institutiile-din-focsani").await;
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains(&format!("form-action 'self' {CHECKOUT};")), "{kind:?}: {csp}");

        let donate = |attempt: &'static str, email: &'static str| {
            let s = &s;
            async move {
                let form = [
                    ("campaign", "rampe-la-institutiile-din-focsani"),
                    ("attempt", attempt),
                    ("amount", "5000"),
                    ("custom_amount", ""),
                    ("frequency", "one_time"),
                    ("name", "Ana Popescu"),
                    ("email", email),
                    ("message", ""),
                    ("consent", "yes"),
                    ("website", ""),
                ];
                s.call(&client_t(), app::donations::Donate::PATH, &form).await
            }
        };
        let res = donate("attempt-stripe-origin-000001", "ana-stripe@exemplu.ro").await;
        assert_eq!(location(&res), format!("{CHECKOUT}/c/pay/cs_test_1"), "{kind:?}: to the provider's page");

        // The API answers with a page on another origin: the donor is not sent there.
        *url.lock().unwrap() = "https://evil.example/c/pay/cs_test_2".into();
        let res = donate("attempt-stripe-origin-000002", "ion-stripe@exemplu.ro").await;
        assert_eq!(calls.load(Ordering::SeqCst), 2, "{kind:?}: the provider was asked");
        assert!(location(&res).is_empty(), "{kind:?}: sent to {}", location(&res));
        let body = res.text().await.unwrap();
        let err: app::donations::DonationsError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        let form = err.0.form().unwrap_or_else(|| panic!("{kind:?}: {body}")).clone();
        assert_eq!((form.errors[0].field.as_str(), form.errors[0].msg), ("payment", K::donations_err_provider));
        let status: String = sqlx::query("SELECT status FROM donations WHERE idempotency_key = $1")
            .bind("attempt-stripe-origin-000002")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(status, "failed", "{kind:?}");
    }
}

// ---- 11. HSTS ----

// Old code: no Strict-Transport-Security header, even when served over https.
#[tokio::test]
async fn https_deployments_send_hsts() {
    let _turn = MEMORY.read().await;
    for kind in backends() {
        let s = spawn_with(kind, |st| st.cookie_secure = true).await;
        let res = s.get(&client_t(), "/").await;
        let hsts = res.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_string());
        let hsts = hsts.unwrap_or_else(|| panic!("{kind:?}: no HSTS over https"));
        assert!(hsts.contains("max-age=31536000"), "{kind:?}: {hsts}");
        let plain = spawn(kind).await;
        let res = plain.get(&client_t(), "/").await;
        assert!(!res.headers().contains_key("strict-transport-security"), "{kind:?}: not over plain http");
    }
}

// ---- 12. /media ----

// Old code: /media served any valid key, private consultation files included, to anyone holding the key.
#[tokio::test]
async fn media_serves_only_public_files() {
    let _turn = MEMORY.read().await;
    const SLUG: &str = "planul-local-de-accesibilitate-focsani";
    for kind in backends() {
        let s = spawn(kind).await;
        let (admin, _) = person(&s, "admin-media@exemplu.ro", Some((RoleKind::Admin, 0))).await;
        let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer\n%%EOF".to_vec();
        let part = reqwest::multipart::Part::bytes(pdf).file_name("anexa.pdf").mime_str("application/pdf").unwrap();
        let form =
            reqwest::multipart::Form::new().text("kind", "attachment").text("title", "Anexa 1").part("file", part);
        let res = admin
            .post(format!("{}/consultations/{SLUG}/files", s.base))
            .header("origin", &s.base)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert!(location(&res).contains("uploaded=1"), "{kind:?}: {} {}", res.status(), location(&res));
        let file = sqlx::query("SELECT id, storage_key FROM consultation_files ORDER BY id DESC LIMIT 1")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let (file_id, key): (i64, String) = (file.get(0), file.get(1));
        assert!(key.starts_with("consultations/"), "{key}");
        // Stored, and served by the handler that checks who may see it...
        let res = s.get(&admin, &format!("/consultations/{SLUG}/files/{file_id}")).await;
        assert_eq!(res.status(), 200, "{kind:?}");
        assert!(app::ssr::pdf::is_pdf(&res.bytes().await.unwrap()));
        // ...but not under /media, by anyone.
        assert_eq!(s.get(&client_t(), &format!("/media/{key}")).await.status(), 404, "{kind:?}: anonymous");
        assert_eq!(s.get(&admin, &format!("/media/{key}")).await.status(), 404, "{kind:?}: even its organiser");

        // A map photo is public.
        let (resident, _) = person(&s, "foto-media@exemplu.ro", None).await;
        let place = place_id(&s, "Muzeul Vrancei").await;
        let part = reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("rampa.png").mime_str("image/png").unwrap();
        let form = reqwest::multipart::Form::new()
            .text("place_id", place.to_string())
            .text("problem", "entrance")
            .text("description", "Trei trepte fără rampă la intrarea principală.")
            .part("photo_1", part)
            .text("alt_1", "Intrarea principală");
        let res = resident
            .post(format!("{}/map/reports", s.base))
            .header("origin", &s.base)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert!(location(&res).contains("created=1"), "{kind:?}: {}", location(&res));
        let photo: String = sqlx::query("SELECT key_full FROM map_photos ORDER BY id DESC LIMIT 1")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert!(photo.starts_with("map/"), "{photo}");
        let res = s.get(&client_t(), &format!("/media/{photo}")).await;
        assert_eq!(res.status(), 200, "{kind:?}");
        assert_eq!(res.headers()["content-type"], "image/jpeg");
    }
}

// ---- 13. the caches ----

const ORG_PAGE: &str = "/organisations/grupul-dizabil-eu-vrancea";

/// The organisation page as a fresh anonymous visitor gets it.
async fn org_page(s: &TestServer) -> String {
    let res = s.get(&client_t(), ORG_PAGE).await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

// Old code: any successful POST (language, register, subscribe) or GET with `token=` emptied the caches.
#[tokio::test]
async fn anonymous_requests_cannot_empty_the_caches() {
    let _turn = MEMORY.read().await;
    use app::accounts::{Login, Register, SetLanguage};
    const RENAMED: &str = "Grup redenumit pe la spate";
    for kind in backends() {
        let s = spawn_with(kind, |st| st.page_cache_ms = 60_000).await;
        let (admin, _) = person(&s, "admin-cache@exemplu.ro", Some((RoleKind::Admin, 0))).await;
        assert!(!org_page(&s).await.contains(RENAMED));
        sqlx::query("UPDATE organisations SET name = $1 WHERE slug = 'grupul-dizabil-eu-vrancea'")
            .bind(RENAMED)
            .execute(&s.db.pool)
            .await
            .unwrap();
        assert!(!org_page(&s).await.contains(RENAMED), "{kind:?}: the kept copy is served");

        let anon = client_t();
        let ok = |res: &reqwest::Response, what: &str| {
            assert!(res.status().is_success() || res.status().is_redirection(), "{kind:?} {what}: {}", res.status());
        };
        let res = s.call(&anon, SetLanguage::PATH, &[("lang", "en"), ("next", "/")]).await;
        ok(&res, "language");
        let res = s
            .call(&anon, Login::PATH, &[("email", "nimeni@exemplu.ro"), ("password", "gresita-123"), ("next", "")])
            .await;
        assert!(res.status().is_client_error(), "{kind:?}: a failed sign-in ({})", res.status());
        let res = s
            .call(
                &anon,
                Register::PATH,
                &[
                    ("display_name", "Ion Nou"),
                    ("email", "ion-nou@exemplu.ro"),
                    ("password", "parola-buna-7"),
                    ("website", ""),
                ],
            )
            .await;
        ok(&res, "register");
        let res = s
            .call(
                &anon,
                app::orgs::newsletter::Subscribe::PATH,
                &[
                    ("email", "abonat@exemplu.ro"),
                    ("topics[]", "map"),
                    ("county", ""),
                    ("consent", "yes"),
                    ("website", ""),
                ],
            )
            .await;
        ok(&res, "newsletter");
        let res = s.get(&anon, "/account/verify?token=nu-este-un-token").await;
        assert_eq!(res.status(), 200);
        assert!(!org_page(&s).await.contains(RENAMED), "{kind:?}: anonymous requests left the kept page");

        // A write that changes what the public sees drops it.
        let org = id_by_slug(&s, "organisations", "grupul-dizabil-eu-vrancea").await;
        let res =
            s.call(&admin, app::orgs::SetOrgStatus::PATH, &[("org_id", &org.to_string()), ("status", "active")]).await;
        ok(&res, "organisation status");
        assert!(org_page(&s).await.contains(RENAMED), "{kind:?}: a public write drops the kept page");
    }
}

// ---- 14. refusals ----

// Old code: every server-function refusal (a wrong password included) answered 500 and was logged as an error.
#[tokio::test]
async fn refusals_answer_with_their_own_status() {
    let _turn = MEMORY.read().await;
    for kind in backends() {
        let s = spawn(kind).await;
        let (resident, _) = person(&s, "refuz@exemplu.ro", None).await;

        let res = s
            .call(
                &client_t(),
                app::accounts::Login::PATH,
                &[("email", "refuz@exemplu.ro"), ("password", "gresita-123"), ("next", "")],
            )
            .await;
        assert_eq!(res.status(), 422, "{kind:?}: a wrong password");
        let body = res.text().await.unwrap();
        let err: app::accounts::AccountsError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(err.0.form().unwrap().errors[0].msg, K::err_login_failed);

        let res = s
            .call(
                &client_t(),
                app::accounts::UpdateProfile::PATH,
                &[("display_name", "Anonim"), ("locality", ""), ("county", "")],
            )
            .await;
        assert_eq!(res.status(), 401, "{kind:?}: no session");
        let body = res.text().await.unwrap();
        let err: app::accounts::AccountsError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(err.0, Problem::Unauthenticated);

        let org = id_by_slug(&s, "organisations", "grupul-dizabil-eu-vrancea").await;
        let res = s
            .call(&resident, app::orgs::SetOrgStatus::PATH, &[("org_id", &org.to_string()), ("status", "suspended")])
            .await;
        assert_eq!(res.status(), 403, "{kind:?}: not an admin");
        let body = res.text().await.unwrap();
        let err: app::orgs::OrgsError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(err.0, Problem::Forbidden);
    }
}
