//! Rendered pages kept in memory per data generation, with `ETag` and `If-None-Match`.
//!
//! A handler takes a [`CachedPage`] as its first extractor and answers with
//! [`CachedPage::keep`]: when this process holds the page for the same request (address,
//! user, session, today) and the current data generation, or the browser does, the handler
//! does not run at all. The generation is read from the database for every request (one
//! single-row read that started after the request arrived, shared with the requests that
//! arrived with it): every transaction that wrote data raises it as it commits, so a page
//! rendered before a write is never served after it; figures marked stale are rebuilt while
//! a page renders, never behind a held one.
//!
//! Requests for a page that is being rendered for the same key and generation wait for that
//! render instead of rendering it too: on voting day every save raises the generation, and
//! without this each of the connections reading the dashboard would render it at once.
//!
//! Only pages whose HTML depends on nothing but the data, the request's address, the user's
//! row and session (name, role, scope, CSRF token) and today may take it.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use axum::body::{Body, Bytes};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use super::Caches;
use crate::http::AppState;
use crate::http::error::AppError;
use crate::http::session::CurrentUser;

/// At most this many pages, and this many bytes of them, per process.
const MAX_PAGES: usize = 256;
const MAX_BYTES: usize = 32 << 20;

#[derive(Default)]
pub(crate) struct Pages {
    entries: Mutex<HashMap<String, Page>>,
    /// The renders under way, by key and generation; their channel closes when they end.
    renders: Mutex<HashMap<(String, i64), watch::Receiver<()>>>,
}

struct Page {
    generation: i64,
    body: Bytes,
}

/// This request's place in the page cache; see the module's documentation.
pub struct CachedPage {
    caches: Caches,
    key: String,
    generation: i64,
    etag: HeaderValue,
    _render: Render,
}

/// This request's turn to render a page; the requests waiting for it go on when it is
/// dropped, kept or not.
struct Render {
    caches: Caches,
    key: (String, i64),
    _done: watch::Sender<()>,
}

impl Drop for Render {
    fn drop(&mut self) {
        lock(&self.caches.pages().renders).remove(&self.key);
    }
}

/// What this process can do for a request: the page, a render to wait for, or its own.
enum Lookup {
    Held(Bytes),
    Rendering(watch::Receiver<()>),
    Render(Render),
}

impl FromRequestParts<AppState> for CachedPage {
    /// The page from memory (200), the browser's own copy (304), or why there is none.
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let caches = parts
            .extensions
            .get::<Caches>()
            .cloned()
            .unwrap_or_default();
        let user = CurrentUser::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let generation =
            (caches.generation(&state.db).await).map_err(|e| AppError::from(e).into_response())?;
        let key = key(parts, &user, state);
        let etag = etag(&key, generation);
        if browser_has(parts, &etag) {
            return Err((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
        }
        let render = loop {
            match Pages::lookup(&caches, &key, generation) {
                Lookup::Held(body) => return Err(html(etag, body)),
                // Closed when that render ends; then look again.
                Lookup::Rendering(mut done) => while done.changed().await.is_ok() {},
                Lookup::Render(render) => break render,
            }
        };
        Ok(CachedPage {
            caches,
            key,
            generation,
            etag,
            _render: render,
        })
    }
}

impl CachedPage {
    /// Keeps the page just rendered, and answers with it.
    pub fn keep(self, page: String) -> Response {
        let body = Bytes::from(page);
        self.caches
            .pages()
            .keep(self.key, self.generation, body.clone());
        html(self.etag, body)
    }
}

fn html(etag: HeaderValue, body: Bytes) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::ETAG, etag),
        ],
        Body::from(body),
    )
        .into_response()
}

/// Everything the page's HTML depends on besides the data.
fn key(parts: &Parts, user: &CurrentUser, state: &AppState) -> String {
    let uri = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    format!(
        "{}\n{uri}\n{}\n{}\n{}\n{:?}\n{}\n{}\n{}\n{}",
        env!("CARGO_PKG_VERSION"),
        user.id,
        user.username,
        user.role.as_str(),
        user.scope,
        user.scope_name,
        user.csrf,
        state.config.demo,
        state.config.today(),
    )
}

/// A strong validator for the page of `key` at `generation` (it reveals neither).
fn etag(key: &str, generation: i64) -> HeaderValue {
    let digest = Sha256::new()
        .chain_update(key)
        .chain_update(generation.to_be_bytes())
        .finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("\"{hex}\"")).expect("hex is a valid header value")
}

/// Whether `If-None-Match` names `etag` (or `*`).
fn browser_has(parts: &Parts, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    parts
        .headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == etag)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Pages {
    /// The page of `key` at `generation`; else the render of it under way; else this
    /// request's turn to render it.
    fn lookup(caches: &Caches, key: &str, generation: i64) -> Lookup {
        let pages = caches.pages();
        let mut renders = lock(&pages.renders);
        let held = lock(&pages.entries)
            .get(key)
            .filter(|p| p.generation == generation)
            .map(|p| p.body.clone());
        if let Some(body) = held {
            return Lookup::Held(body);
        }
        let at = (key.to_owned(), generation);
        if let Some(done) = renders.get(&at) {
            return Lookup::Rendering(done.clone());
        }
        let (tx, rx) = watch::channel(());
        renders.insert(at.clone(), rx);
        Lookup::Render(Render {
            caches: caches.clone(),
            key: at,
            _done: tx,
        })
    }

    fn keep(&self, key: String, generation: i64, body: Bytes) {
        let mut entries = lock(&self.entries);
        if entries.get(&key).is_some_and(|p| p.generation > generation) {
            return;
        }
        let full = |e: &HashMap<String, Page>| {
            e.len() >= MAX_PAGES
                || e.values().map(|p| p.body.len()).sum::<usize>() + body.len() > MAX_BYTES
        };
        if full(&entries) {
            entries.retain(|_, p| p.generation >= generation);
            if full(&entries) {
                entries.clear();
            }
        }
        entries.insert(key, Page { generation, body });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_page_is_rendered_once_per_generation_while_the_others_wait() {
        let caches = Caches::default();
        let Lookup::Render(first) = Pages::lookup(&caches, "/", 7) else {
            panic!("nothing held and nothing rendering: this request renders");
        };
        let Lookup::Rendering(mut done) = Pages::lookup(&caches, "/", 7) else {
            panic!("a second render of the same page and generation");
        };
        assert!(
            matches!(Pages::lookup(&caches, "/", 8), Lookup::Render(_)),
            "a newer generation does not wait for an older render"
        );
        let waiting = tokio::spawn(async move { while done.changed().await.is_ok() {} });
        caches
            .pages()
            .keep("/".into(), 7, Bytes::from_static(b"halaman"));
        drop(first);
        waiting.await.unwrap();
        assert!(matches!(Pages::lookup(&caches, "/", 7), Lookup::Held(b) if b == "halaman"));

        let Lookup::Render(failed) = Pages::lookup(&caches, "/provinsi/16", 7) else {
            panic!("nothing held: this request renders");
        };
        drop(failed);
        assert!(
            matches!(Pages::lookup(&caches, "/provinsi/16", 7), Lookup::Render(_)),
            "a render that ended without a page lets the next request render"
        );
    }
}
