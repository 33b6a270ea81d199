//! A short-lived cache of what many readers load alike (a consultation's page of articles, a map
//! list, a map view), beside the page micro-cache that serves only anonymous HTML.
//!
//! Why: a signed-in reader still needs their own render, but the rows under it are the same for
//! everyone; loading them once per `DATA_CACHE_MS` (2 s by default) instead of once per request
//! takes most queries off a busy page.
//!
//! Rules that keep it correct:
//! - only data that does not depend on who asks goes in; per-person parts are read beside it;
//! - every successful write starts a new generation (the server's middleware calls
//!   [`crate::ssr::Db::touch_public`]), so nothing loaded before it is served again; the number is
//!   also kept in the database (`cache_generation`), so the other servers behind the same
//!   PostgreSQL drop theirs when they next read it ([`ReadCache::observe`]);
//! - concurrent misses of one key wait for a single load instead of all querying at once;
//! - when a value merely expires (no write since), one reader reloads it while the others are
//!   still given the expired copy, so a slow load (a whole country's map) never stalls everyone.
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// When this many keys are kept, the cache starts again from empty.
const MAX_ENTRIES: usize = 4096;

type Value = Arc<dyn Any + Send + Sync>;

struct Slot {
    generation: u64,
    at: Instant,
    cell: Arc<OnceCell<Value>>,
    /// The expired value of the same generation, given out while `cell` loads.
    stale: Option<Value>,
    loading: Arc<AtomicBool>,
}

/// What a caller finds under a key.
struct Found {
    cell: Arc<OnceCell<Value>>,
    stale: Option<Value>,
    loading: Arc<AtomicBool>,
}

/// Clears the loading flag however the load ends, a dropped request included.
struct Loading(Arc<AtomicBool>);

impl Drop for Loading {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

#[derive(Clone, Default)]
pub struct ReadCache(Arc<Inner>);

#[derive(Default)]
struct Inner {
    /// Milliseconds; 0 = off (every call loads).
    ttl_ms: AtomicU64,
    generation: AtomicU64,
    /// The highest shared generation (the `cache_generation` row) this server has seen.
    shared: AtomicI64,
    slots: Mutex<HashMap<(TypeId, String), Slot>>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache").field("ttl_ms", &self.0.ttl_ms.load(Ordering::Relaxed)).finish()
    }
}

impl ReadCache {
    pub fn set_ttl_ms(&self, ms: u64) {
        self.0.ttl_ms.store(ms, Ordering::Relaxed);
    }

    /// Forgets everything: something may have changed.
    pub fn invalidate(&self) {
        self.0.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// This server's generation: anything kept under another one is not served.
    pub fn generation(&self) -> u64 {
        self.0.generation.load(Ordering::Acquire)
    }

    /// The shared generation this server last saw.
    pub fn shared(&self) -> i64 {
        self.0.shared.load(Ordering::Acquire)
    }

    /// A shared generation read from the database: a newer one means a write somewhere (this
    /// server or another), so everything kept is dropped. Returns whether it was newer.
    pub fn observe(&self, shared: i64) -> bool {
        let newer = self.0.shared.fetch_max(shared, Ordering::AcqRel) < shared;
        if newer {
            self.invalidate();
        }
        newer
    }

    /// The value kept under `key`, or what `load` returns (kept when it succeeds).
    pub async fn get<T, E, F, Fut>(&self, key: &str, load: F) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let ttl = Duration::from_millis(self.0.ttl_ms.load(Ordering::Relaxed));
        if ttl.is_zero() {
            return load().await.map(Arc::new);
        }
        let Some(found) = self.slot::<T>(key, ttl) else {
            return load().await.map(Arc::new);
        };
        let value = match (found.cell.get(), found.stale) {
            (Some(v), _) => v.clone(),
            // Someone else is reloading an expired value: the old copy will do meanwhile.
            (None, Some(stale)) if found.loading.swap(true, Ordering::AcqRel) => stale,
            (None, stale) => {
                let _flag = stale.is_some().then(|| Loading(found.loading.clone()));
                found.cell.get_or_try_init(|| async { load().await.map(|v| Arc::new(v) as Value) }).await?.clone()
            }
        };
        match value.downcast::<T>() {
            Ok(v) => Ok(v),
            // Keys are typed, so this cannot happen; load rather than fail if it ever did.
            Err(_) => load().await.map(Arc::new),
        }
    }

    /// The cell for this key in the current generation, made afresh when absent, old or expired
    /// (an expired value of this generation is kept beside the new cell as its stale copy).
    fn slot<T: 'static>(&self, key: &str, ttl: Duration) -> Option<Found> {
        let generation = self.0.generation.load(Ordering::Acquire);
        let mut slots = self.0.slots.lock().ok()?;
        let k = (TypeId::of::<T>(), key.to_string());
        let mut stale = None;
        if let Some(s) = slots.get(&k) {
            if s.generation == generation {
                if s.at.elapsed() <= ttl {
                    return Some(Found { cell: s.cell.clone(), stale: s.stale.clone(), loading: s.loading.clone() });
                }
                // Only a value loaded in the last round: if that reload never finished, everyone
                // waits for the next one rather than being served ever older copies.
                stale = s.cell.get().cloned();
            }
        }
        if slots.len() >= MAX_ENTRIES {
            slots.clear();
        }
        let slot = Slot {
            generation,
            at: Instant::now(),
            cell: Arc::new(OnceCell::new()),
            stale,
            loading: Arc::new(AtomicBool::new(false)),
        };
        let found = Found { cell: slot.cell.clone(), stale: slot.stale.clone(), loading: slot.loading.clone() };
        slots.insert(k, slot);
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    async fn count(c: &ReadCache, key: &str, loads: &AtomicUsize) -> usize {
        *c.get(key, || async { Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst) + 1) }).await.unwrap()
    }

    #[tokio::test]
    async fn keeps_until_a_write_or_the_time_to_live() {
        let c = ReadCache::default();
        let loads = AtomicUsize::new(0);
        // Off by default: every call loads.
        assert_eq!(count(&c, "a", &loads).await, 1);
        assert_eq!(count(&c, "a", &loads).await, 2);
        c.set_ttl_ms(60_000);
        assert_eq!(count(&c, "a", &loads).await, 3);
        assert_eq!(count(&c, "a", &loads).await, 3, "kept");
        assert_eq!(count(&c, "b", &loads).await, 4, "keys apart");
        c.invalidate();
        assert_eq!(count(&c, "a", &loads).await, 5, "a write drops it");
        c.set_ttl_ms(1);
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert_eq!(count(&c, "a", &loads).await, 6, "expired");
    }

    #[tokio::test]
    async fn a_newer_shared_generation_drops_everything_an_older_one_nothing() {
        let c = ReadCache::default();
        c.set_ttl_ms(60_000);
        let loads = AtomicUsize::new(0);
        assert_eq!(count(&c, "a", &loads).await, 1);
        assert!(c.observe(3), "another server wrote");
        assert_eq!(count(&c, "a", &loads).await, 2);
        assert!(!c.observe(3) && !c.observe(2), "seen already, or older");
        assert_eq!(count(&c, "a", &loads).await, 2, "kept");
        assert_eq!(c.shared(), 3);
    }

    #[tokio::test]
    async fn failures_are_not_kept_and_types_are_apart() {
        let c = ReadCache::default();
        c.set_ttl_ms(60_000);
        let r: Result<Arc<i32>, &str> = c.get("k", || async { Err("down") }).await;
        assert_eq!(r.unwrap_err(), "down");
        let r: Result<Arc<i32>, &str> = c.get("k", || async { Ok(7) }).await;
        assert_eq!(*r.unwrap(), 7);
        let s: Result<Arc<String>, ()> = c.get("k", || async { Ok("other".to_string()) }).await;
        assert_eq!(s.unwrap().as_str(), "other", "same key, another type: another entry");
    }

    #[tokio::test]
    async fn an_expired_value_is_served_while_one_reader_reloads_it() {
        let c = ReadCache::default();
        c.set_ttl_ms(300);
        let loads = Arc::new(AtomicUsize::new(0));
        let get = |c: ReadCache, loads: Arc<AtomicUsize>, ms: u64| async move {
            *c.get("v", || {
                let loads = loads.clone();
                async move {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst) + 1)
                }
            })
            .await
            .unwrap()
        };
        assert_eq!(get(c.clone(), loads.clone(), 0).await, 1);
        tokio::time::sleep(Duration::from_millis(320)).await;
        // Expired: the first reader reloads slowly; a reader meanwhile gets the old value at once.
        let reloading = tokio::spawn(get(c.clone(), loads.clone(), 100));
        tokio::time::sleep(Duration::from_millis(20)).await;
        let started = Instant::now();
        assert_eq!(get(c.clone(), loads.clone(), 0).await, 1, "the expired copy");
        assert!(started.elapsed() < Duration::from_millis(60), "did not wait for the reload");
        assert_eq!(reloading.await.unwrap(), 2);
        assert_eq!(get(c.clone(), loads.clone(), 0).await, 2, "then the fresh one");
        // A write is not an expiry: nothing old is given out after it.
        c.invalidate();
        assert_eq!(get(c.clone(), loads.clone(), 0).await, 3);
        assert_eq!(loads.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_failed_reload_lets_the_next_reader_try_again() {
        let c = ReadCache::default();
        c.set_ttl_ms(20);
        let v: Result<Arc<i32>, &str> = c.get("k", || async { Ok(1) }).await;
        assert_eq!(*v.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(30)).await;
        let v: Result<Arc<i32>, &str> = c.get("k", || async { Err("down") }).await;
        assert_eq!(v.unwrap_err(), "down", "the reader who reloads sees its failure");
        let v: Result<Arc<i32>, &str> = c.get("k", || async { Ok(2) }).await;
        assert_eq!(*v.unwrap(), 2, "nobody is left holding the flag");
    }

    #[tokio::test]
    async fn concurrent_misses_load_once() {
        let c = ReadCache::default();
        c.set_ttl_ms(60_000);
        let loads = Arc::new(AtomicUsize::new(0));
        let mut tasks = vec![];
        for _ in 0..16 {
            let (c, loads) = (c.clone(), loads.clone());
            tasks.push(tokio::spawn(async move {
                *c.get("slow", || {
                    let loads = loads.clone();
                    async move {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst))
                    }
                })
                .await
                .unwrap()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 0);
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }
}
