//! The listener: one connection of its own that `LISTEN`s to the database's notifications
//! and drops what they name; and the wait of a write request for its own notifications.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use sqlx::PgPool;
use sqlx::postgres::{PgListener, PgNotification, PgPoolOptions};
use tokio::sync::oneshot;

use super::Caches;
use crate::http::AppState;

const SESSION: &str = "loksus_session";
const USER: &str = "loksus_user";
/// A process's own marker, sent after its writes (payload: process token, number).
const SYNC: &str = "loksus_sync";

/// How long a write request waits for its own notifications before it drops every cached
/// session and user instead.
const SYNC_WAIT: Duration = Duration::from_secs(1);

/// The markers this process sent and waits for.
pub(super) struct Sync {
    token: String,
    next: AtomicU64,
    waiting: Mutex<HashMap<u64, oneshot::Sender<()>>>,
}

impl Default for Sync {
    fn default() -> Self {
        Self {
            token: crate::http::session::random_token()[..16].to_owned(),
            next: AtomicU64::new(0),
            waiting: Mutex::new(HashMap::new()),
        }
    }
}

/// Listens until the task is aborted: while connected, the caches are live and follow the
/// notifications; when the connection is lost they are emptied and bypassed until it is back
/// (tried again every second).
pub async fn listen(caches: Caches, db: PgPool) {
    // A connection of its own, outside the server's pool.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with((*db.connect_options()).clone());
    loop {
        match connect(&pool).await {
            Ok(mut listener) => {
                caches.set_live(true);
                tracing::debug!("cache listener connected");
                while let Ok(Some(n)) = listener.try_recv().await {
                    apply(&caches, &n);
                }
                caches.set_live(false);
                tracing::warn!("cache listener lost its connection; caches off until it is back");
            }
            Err(e) => tracing::debug!(error = %e, "cache listener cannot connect"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn connect(pool: &PgPool) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([SESSION, USER, SYNC]).await?;
    Ok(listener)
}

fn apply(caches: &Caches, n: &PgNotification) {
    let payload = n.payload();
    match n.channel() {
        SESSION => caches.0.sessions.remove(&payload.to_owned()),
        USER => match payload.parse::<i64>() {
            Ok(id) => caches.0.users.remove(&id),
            Err(_) => caches.0.users.clear(),
        },
        SYNC => {
            let sync = &caches.0.sync;
            if let Some((token, n)) = payload.split_once(':')
                && token == sync.token
                && let Ok(n) = n.parse::<u64>()
                && let Some(tx) = lock(&sync.waiting).remove(&n)
            {
                let _ = tx.send(());
            }
        }
        _ => {}
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Middleware: after a request that may have written (any method but GET and HEAD), waits
/// until this process's listener has received every notification of those writes, so that
/// the next request here sees them (a deactivated user, a changed password). Notifications
/// arrive in commit order: once a marker sent after the writes arrives, theirs have too.
pub async fn after_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let caches = req.extensions().get::<Caches>().cloned();
    let writes = !req.method().is_safe();
    let response = next.run(req).await;
    if let Some(caches) = caches.filter(|c| writes && c.is_live()) {
        sync(&caches, &state.db).await;
    }
    response
}

async fn sync(caches: &Caches, db: &PgPool) {
    let sync = &caches.0.sync;
    let n = sync.next.fetch_add(1, Ordering::Relaxed);
    let (tx, rx) = oneshot::channel();
    lock(&sync.waiting).insert(n, tx);
    let sent = sqlx::query("select pg_notify($1, $2)")
        .bind(SYNC)
        .bind(format!("{}:{n}", sync.token))
        .execute(db)
        .await;
    let arrived = sent.is_ok()
        && tokio::time::timeout(SYNC_WAIT, rx)
            .await
            .is_ok_and(|r| r.is_ok());
    if !arrived {
        lock(&sync.waiting).remove(&n);
        caches.0.sessions.clear();
        caches.0.users.clear();
    }
}
