//! Health, static files, headers and what happens when the database goes away.

use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_answers_ok_while_the_database_answers() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "ok");
}

#[tokio::test]
async fn health_and_pages_answer_503_when_the_database_is_gone() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    assert_eq!(admin.get("/").await.0, StatusCode::OK);
    app.db.drop_now().await;

    let (status, _) = app.get("/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, body) = admin.get("/provinsi/16").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("Layanan sedang tidak tersedia"));
    // No internal detail reaches the browser.
    assert!(!body.contains("database \""));
    assert!(!body.to_lowercase().contains("sqlx"));
}

#[tokio::test]
async fn stylesheet_is_cached_and_pages_are_compressed() {
    let app = TestApp::spawn_with_demo().await;
    let resp = app
        .client
        .get(app.url("/static/style.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(
        resp.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );

    let admin = app.admin().await;
    let resp = admin
        .client
        .get(admin.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    assert!(resp.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/masuk", "/tidak-ada", "/"] {
        let resp = app.client.get(app.url(path)).send().await.unwrap();
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
    }
}
