//! The session store: PostgreSQL's, with the records this process read or wrote kept in
//! memory. A save or a delete reaches the database first, then this process's cache; other
//! processes drop their copy on the `loksus_session` notification the database sends.

use async_trait::async_trait;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Result, SessionStore};
use tower_sessions_sqlx_store::PostgresStore;

use super::Caches;

#[derive(Clone)]
pub struct CachedStore {
    store: PostgresStore,
    caches: Caches,
}

impl std::fmt::Debug for CachedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedStore").finish_non_exhaustive()
    }
}

impl CachedStore {
    pub fn new(store: PostgresStore, caches: Caches) -> Self {
        Self { store, caches }
    }

    /// Replaces this process's copy of the record with `record`, as just written.
    fn written(&self, record: &Record) {
        let map = &self.caches.0.sessions;
        let key = record.id.to_string();
        map.remove(&key);
        if self.caches.is_live() {
            map.keep(map.ticket(), key, record.clone());
        }
    }
}

#[async_trait]
impl SessionStore for CachedStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        self.store.create(record).await?;
        self.written(record);
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.store.save(record).await?;
        self.written(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let map = &self.caches.0.sessions;
        let key = id.to_string();
        if self.caches.is_live()
            && let Some(record) = map.get(&key)
        {
            // The store never returns an expired session; neither does its copy.
            return Ok((record.expiry_date > OffsetDateTime::now_utc()).then_some(record));
        }
        let ticket = map.ticket();
        let record = self.store.load(id).await?;
        if let Some(r) = &record
            && self.caches.is_live()
        {
            map.keep(ticket, key, r.clone());
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.store.delete(id).await?;
        self.caches.0.sessions.remove(&id.to_string());
        Ok(())
    }
}
