//! A short-lived cache of what many readers load alike (a consultation's page of articles, a map
//! list, a map view), beside the page micro-cache that serves only anonymous HTML.
//!
//! Why: a signed-in reader still needs their own render, but the rows under it are the same for
//! everyone; loading them once per `DATA_CACHE_MS` (2 s by default) instead of once per request
//! takes most queries off a busy page.
//!
//! Rules that keep it correct:
//! - only data that does not depend on who asks goes in; per-person parts are read beside it;
//! - every successful write handled by this server starts a new generation (the server's middleware
//!   calls [`ReadCache::invalidate`]), so nothing loaded before it is served again; writes on other
//!   servers behind the same PostgreSQL show up after the time-to-live, as with the page cache;
//! - concurrent misses of one key wait for a single load instead of all querying at once.
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
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
}

#[derive(Clone, Default)]
pub struct ReadCache(Arc<Inner>);

#[derive(Default)]
struct Inner {
    /// Milliseconds; 0 = off (every call loads).
    ttl_ms: AtomicU64,
    generation: AtomicU64,
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
        let Some(cell) = self.slot::<T>(key, ttl) else {
            return load().await.map(Arc::new);
        };
        let value = cell.get_or_try_init(|| async { load().await.map(|v| Arc::new(v) as Value) }).await?;
        match value.clone().downcast::<T>() {
            Ok(v) => Ok(v),
            // Keys are typed, so this cannot happen; load rather than fail if it ever did.
            Err(_) => load().await.map(Arc::new),
        }
    }

    /// The cell for this key in the current generation, made afresh when absent, old or expired.
    fn slot<T: 'static>(&self, key: &str, ttl: Duration) -> Option<Arc<OnceCell<Value>>> {
        let generation = self.0.generation.load(Ordering::Acquire);
        let mut slots = self.0.slots.lock().ok()?;
        let k = (TypeId::of::<T>(), key.to_string());
        if let Some(s) = slots.get(&k) {
            if s.generation == generation && s.at.elapsed() <= ttl {
                return Some(s.cell.clone());
            }
        }
        if slots.len() >= MAX_ENTRIES {
            slots.clear();
        }
        let cell = Arc::new(OnceCell::new());
        slots.insert(k, Slot { generation, at: Instant::now(), cell: cell.clone() });
        Some(cell)
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
