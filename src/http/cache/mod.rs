//! The server process's in-memory caches, kept right by the database.
//!
//! - [`sessions::CachedStore`]: session records, in front of the PostgreSQL session store;
//! - [`Caches::users`]: the user rows [`CurrentUser`](super::session::CurrentUser) is built
//!   from;
//! - [`pages::CachedPage`]: rendered report pages, per data generation.
//!
//! Sessions and users change in the database; its triggers send `NOTIFY` when the writing
//! transaction commits, and [`listen`] drops the entries named in every process, within
//! milliseconds. An entry also expires after [`TTL`], in case a notification was missed, and
//! while the listener is not connected nothing is cached at all (every lookup reads the
//! database, as without caches). A write request waits for its own notifications before it
//! answers ([`listen::after_writes`]), so that this process's next request sees what it wrote.
//!
//! Pages are not invalidated by notifications: each request reads the data generation from
//! the database (one single-row read, shared by the requests that arrive while another read
//! is under way: [`generation`]), which every writing transaction raises when it commits, so
//! a page held for an older generation is never served.

mod generation;
pub mod listen;
pub mod pages;
pub mod sessions;

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a cached session or user row is trusted without a notification.
pub const TTL: Duration = Duration::from_secs(5);
/// At most this many sessions and users each; a full map is emptied of expired entries, or
/// else cleared.
const MAX_ENTRIES: usize = 10_000;

/// Every cache of this server process (cheap to clone: shared).
#[derive(Clone, Default)]
pub struct Caches(Arc<Inner>);

#[derive(Default)]
struct Inner {
    /// Whether the listener is connected: entries are only kept and used while it is.
    live: AtomicBool,
    sessions: TtlMap<String, tower_sessions::session::Record>,
    users: TtlMap<i64, UserRow>,
    pages: pages::Pages,
    generations: Arc<generation::Reads>,
    sync: listen::Sync,
}

/// A user row with the name of its scope (what a session's user is checked against).
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub active: bool,
    pub auth_epoch: i32,
    pub user_province: Option<String>,
    pub facility_id: Option<i64>,
    pub facility_province: Option<String>,
    pub scope_name: String,
}

impl Caches {
    /// Whether entries may be used and kept (the listener is connected).
    pub fn is_live(&self) -> bool {
        self.0.live.load(Ordering::Acquire)
    }

    /// The cached row of user `id`, if any.
    pub fn user(&self, id: i64) -> Option<UserRow> {
        self.is_live().then(|| self.0.users.get(&id)).flatten()
    }

    /// Take before reading a user row from the database, to keep it afterwards.
    pub fn user_ticket(&self) -> Ticket {
        self.0.users.ticket()
    }

    pub fn keep_user(&self, ticket: Ticket, row: UserRow) {
        if self.is_live() {
            self.0.users.keep(ticket, row.id, row);
        }
    }

    pub(crate) fn pages(&self) -> &pages::Pages {
        &self.0.pages
    }

    /// The data generation as the database holds it now (see [`generation`]).
    pub(crate) async fn generation(&self, db: &sqlx::PgPool) -> sqlx::Result<i64> {
        self.0.generations.generation(db).await
    }

    /// Drops every session and user (the listener connected, or lost its connection).
    fn set_live(&self, live: bool) {
        self.0.live.store(live, Ordering::Release);
        self.0.sessions.clear();
        self.0.users.clear();
    }
}

/// A map whose entries expire after [`TTL`]. A value read from the database is only kept if
/// nothing was invalidated since the read began ([`TtlMap::ticket`]): a notification that
/// overtakes the read cannot be undone by it.
pub struct TtlMap<K, V> {
    entries: Mutex<HashMap<K, (V, Instant)>>,
    invalidations: AtomicU64,
}

impl<K, V> Default for TtlMap<K, V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            invalidations: AtomicU64::new(0),
        }
    }
}

/// Taken before reading the database; see [`TtlMap::keep`].
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

impl<K: Eq + Hash, V: Clone> TtlMap<K, V> {
    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(_, at)| at.elapsed() < TTL)
            .map(|(v, _)| v.clone())
    }

    pub fn ticket(&self) -> Ticket {
        Ticket(self.invalidations.load(Ordering::Acquire))
    }

    /// Keeps `value`, read from the database after `ticket` was taken, unless something was
    /// invalidated meanwhile.
    pub fn keep(&self, ticket: Ticket, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if self.invalidations.load(Ordering::Acquire) != ticket.0 {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (_, at)| at.elapsed() < TTL);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, (value, Instant::now()));
    }

    pub fn remove(&self, key: &K) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.invalidations.fetch_add(1, Ordering::AcqRel);
        entries.remove(key);
    }

    pub fn clear(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.invalidations.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_overtaken_by_an_invalidation_is_not_kept() {
        let map = TtlMap::<i64, &str>::default();
        let ticket = map.ticket();
        map.remove(&1);
        map.keep(ticket, 1, "old");
        assert_eq!(map.get(&1), None);
        let ticket = map.ticket();
        map.keep(ticket, 1, "new");
        assert_eq!(map.get(&1), Some("new"));
        map.clear();
        assert_eq!(map.get(&1), None);
    }
}
