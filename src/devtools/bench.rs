//! `/bench/fortunes`: the baseline page of `scripts/bench` (TechEmpower's "Fortunes" shape:
//! read a 12-row table, add one row, sort, render). Only served with `--bench-routes`.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::http::AppState;
use crate::http::error::{AppError, Result};

#[derive(Template)]
#[template(path = "bench/fortunes.html")]
struct Fortunes {
    fortunes: Vec<(i32, String)>,
}

pub async fn fortunes(State(state): State<AppState>) -> Result<Html<String>> {
    if !state.config.bench_routes {
        return Err(AppError::NotFound);
    }
    let mut fortunes: Vec<(i32, String)> = sqlx::query!("select id, message from bench_fortunes")
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.message))
        .collect();
    fortunes.push((0, "Pesan tambahan ditambahkan saat permintaan.".to_owned()));
    fortunes.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(Html(Fortunes { fortunes }.render()?))
}
