//! The readiness checklist of an election: listed for everyone, extended by admins.

use crate::http::form::Form;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::queries::{self, NewItem};
use super::refusal::{FormResult, Refusal, settle};
use crate::db::audit::{self, Entry};
use crate::domain::access::Action;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::{self, Election, ElectionQuery};

pub struct ItemView {
    pub label: String,
    pub required: bool,
    pub auto: bool,
}

#[derive(Template)]
#[template(path = "stations/items.html")]
struct ItemsPage {
    layout: Layout,
    election: Election,
    is_admin: bool,
    items: Vec<ItemView>,
    label: String,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    election: Election,
    label: String,
    error: Option<String>,
) -> Result<String> {
    let items = queries::checklist(&state.db, election.id)
        .await?
        .into_iter()
        .map(|i| ItemView {
            label: i.label,
            required: i.required,
            auto: i.auto.is_some(),
        })
        .collect();
    Ok(ItemsPage {
        layout: user.layout(),
        election,
        is_admin: user.may(Action::Administer),
        items,
        label,
        error,
    }
    .render()?)
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let election = elections::selected(&state.db, &q)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Html(
        render(&state, &user, election, String::new(), None).await?,
    ))
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    singkat: String,
    #[serde(default)]
    wajib: Option<String>,
}

#[tracing::instrument(skip_all, fields(user = %user.username))]
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<AddForm>,
) -> Result<Response> {
    user.require_to(Action::Administer)?;
    let election = elections::selected(&state.db, &q)
        .await?
        .ok_or(AppError::NotFound)?;
    match settle(insert(&state, &user, &election, &form).await)? {
        Ok(()) => {
            let to = format!("/admin/kesiapan?pemilihan={}", election.slug);
            Ok(Redirect::to(&to).into_response())
        }
        Err(r) => {
            let html = render(&state, &user, election, r.typed, Some(r.message)).await?;
            Ok((r.status, Html(html)).into_response())
        }
    }
}

/// Adds the item at the end of the checklist, or refuses a bad label (422) with what was
/// typed.
async fn insert(
    state: &AppState,
    user: &CurrentUser,
    election: &Election,
    form: &AddForm,
) -> FormResult<(), String> {
    let label = form.label.trim();
    if label.is_empty() || label.chars().count() > 200 {
        let msg = "Nama butir wajib diisi (paling banyak 200 karakter).";
        return Err(Refusal::invalid(msg, form.label.clone()).into());
    }
    let short: String = match form.singkat.trim() {
        "" => label.chars().take(24).collect(),
        s => s.chars().take(24).collect(),
    };
    let item = NewItem {
        label,
        short_label: &short,
        required: form.wajib.is_some(),
    };
    let mut tx = state.db.begin().await?;
    let id = queries::insert_item(&mut tx, election.id, &item).await?;
    audit::record(
        &mut tx,
        &user.actor(),
        Entry::new("readiness_item.create")
            .object("readiness_item", id)
            .after(json!({ "election": election.slug, "label": label, "required": item.required })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
