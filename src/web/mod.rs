//! What every page shares: static files, `/health`, the 404 fallback and the middleware stack
//! (request id, tracing, gzip, timeout, security headers).

use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::http::AppState;
use crate::http::error::AppError;

const STYLE_CSS: &str = include_str!("../../static/style.css");
const PRINT_CSS: &str = include_str!("../../static/print.css");
const COPY_JS: &str = include_str!("../../static/copy.js");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/static/style.css", get(|| css(STYLE_CSS)))
        .route("/static/print.css", get(|| css(PRINT_CSS)))
        .route("/static/copy.js", get(copy_js))
}

/// 200 `ok` when the database answers, 503 otherwise.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar!("select 1 as \"one!\"")
        .fetch_one(&state.db)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn css(body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
}

async fn copy_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        COPY_JS,
    )
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// A NUL byte in the path or the query string (raw or as `%00`) cannot be stored or looked
/// up: 400 with the Indonesian page, before any handler runs.
pub async fn reject_nul(req: Request, next: axum::middleware::Next) -> axum::response::Response {
    let uri = req.uri();
    if has_nul(uri.path()) || uri.query().is_some_and(has_nul) {
        return AppError::BadRequest(
            "Alamat halaman memuat karakter NUL yang tidak diizinkan.".into(),
        )
        .into_response();
    }
    next.run(req).await
}

/// A raw NUL, or `%00` (which decodes to one).
pub fn has_nul(s: &str) -> bool {
    s.contains('\0') || s.as_bytes().windows(3).any(|w| w == b"%00")
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps the whole router in the shared middleware.
pub fn layers(router: Router, request_timeout: Duration) -> Router {
    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request| {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map_or(req.uri().path(), |p| p.as_str());
        let id = req
            .headers()
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::info_span!("request", method = %req.method(), route, request_id = id)
    });
    let security = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // Pages hold personal data (rolls, NIKs, the audit, a reset password): no copy in any
        // cache unless a response says otherwise (static files do).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(trace)
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(security)
            .layer(CompressionLayer::new())
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                request_timeout,
            )),
    )
}
