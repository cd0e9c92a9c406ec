//! The data generation, read for many requests at once.
//!
//! A page may be served from memory only if it was rendered at the generation the database
//! holds *after the request arrived*. Requests that arrive while a read of the generation is
//! under way cannot use that read (it may have started before a write they must see), but
//! they can all share the next one: they join a batch that starts as soon as the read under
//! way ends. So every request gets a generation read that started after it arrived, as if it
//! had read it itself, and under load one round trip serves a whole batch instead of each
//! request queueing for a pool connection of its own.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use tokio::sync::watch;

/// A read's result for its batch: the generation, or the database's error as text.
type Outcome = Option<Result<i64, String>>;

/// How the generation is read (the database; a stand-in in the tests).
type Read = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = sqlx::Result<i64>> + Send>> + Send + Sync>;

#[derive(Default)]
pub(crate) struct Reads {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Whether a read is under way.
    reading: bool,
    /// The batch waiting for the read under way to end; it reads next.
    next: Option<watch::Sender<Outcome>>,
}

impl Reads {
    /// The data generation, from a read that started after this call.
    pub(crate) async fn generation(self: &Arc<Self>, db: &PgPool) -> sqlx::Result<i64> {
        let db = db.clone();
        self.value(Arc::new(move || {
            let db = db.clone();
            Box::pin(async move { read(&db).await })
        }))
        .await
    }

    async fn value(self: &Arc<Self>, read: Read) -> sqlx::Result<i64> {
        let mut done = self.join(&read);
        let outcome = done
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|o| o.clone());
        match outcome {
            Some(Ok(generation)) => Ok(generation),
            Some(Err(message)) => Err(sqlx::Error::Protocol(message)),
            // The reading task ended without an answer: read alone.
            None => read().await,
        }
    }

    /// Joins the batch waiting to read, or starts a read for a new one.
    fn join(self: &Arc<Self>, read: &Read) -> watch::Receiver<Outcome> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(next) = &state.next {
            return next.subscribe();
        }
        let (tx, rx) = watch::channel(None);
        if state.reading {
            state.next = Some(tx);
        } else {
            state.reading = true;
            // A task of its own: a request that goes away must not take its batch's read along.
            tokio::spawn(Arc::clone(self).reads(Arc::clone(read), tx));
        }
        rx
    }

    /// Reads for `batch`, then for each batch that gathered meanwhile, until none did.
    async fn reads(self: Arc<Self>, read: Read, mut batch: watch::Sender<Outcome>) {
        let mut reading = Reading {
            reads: Arc::clone(&self),
            ended: false,
        };
        loop {
            let outcome = read().await.map_err(|e| e.to_string());
            batch.send_replace(Some(outcome));
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            match state.next.take() {
                Some(next) => batch = next,
                None => {
                    state.reading = false;
                    reading.ended = true;
                    return;
                }
            }
        }
    }
}

/// The reading task's mark: should the task end without finishing (a panic, the runtime
/// shutting down), the batch gathered meanwhile is let go (its requests read alone) and the
/// next request starts a read again.
struct Reading {
    reads: Arc<Reads>,
    ended: bool,
}

impl Drop for Reading {
    fn drop(&mut self) {
        if !self.ended {
            let mut state = (self.reads.state.lock()).unwrap_or_else(|e| e.into_inner());
            state.reading = false;
            state.next = None;
        }
    }
}

async fn read(db: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!("select generation from data_generation")
        .fetch_one(db)
        .await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, Ordering};

    use tokio::sync::Semaphore;

    use super::*;

    #[tokio::test]
    async fn requests_arriving_during_a_read_share_the_next_one_not_that_one() {
        let reads = Arc::new(Reads::default());
        // Each read returns how many reads started before it ended, once let through.
        let started = Arc::new(AtomicI64::new(0));
        let gate = Arc::new(Semaphore::new(0));
        let read: Read = {
            let (started, gate) = (Arc::clone(&started), Arc::clone(&gate));
            Arc::new(move || {
                let (started, gate) = (Arc::clone(&started), Arc::clone(&gate));
                Box::pin(async move {
                    let n = started.fetch_add(1, Ordering::SeqCst) + 1;
                    gate.acquire().await.unwrap().forget();
                    Ok(n)
                })
            })
        };
        let ask = || {
            let (reads, read) = (Arc::clone(&reads), Arc::clone(&read));
            tokio::spawn(async move { reads.value(read).await.unwrap() })
        };
        let first = ask();
        while started.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        // The first read is under way: these two must not take its answer.
        let (second, third) = (ask(), ask());
        tokio::task::yield_now().await;
        gate.add_permits(1);
        assert_eq!(first.await.unwrap(), 1);
        gate.add_permits(1);
        assert_eq!((second.await.unwrap(), third.await.unwrap()), (2, 2));
        assert_eq!(started.load(Ordering::SeqCst), 2, "one read for the two");
    }
}
