//! Creating and changing accounts, shared by the admin page and `loksus user`. Every change
//! is audited in its own transaction.

use serde_json::json;
use sqlx::PgPool;

use crate::db::audit::{self, Actor, Entry};
use crate::domain::access::Role;
use crate::domain::password;

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// Input the user can fix (Indonesian message).
    #[error("{0}")]
    Invalid(String),
    #[error("Pengguna tidak ditemukan.")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub role: Role,
    pub province_code: Option<String>,
    pub facility_code: Option<String>,
    pub password: String,
}

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub province_code: Option<String>,
    pub facility_code: Option<String>,
    pub scope_name: String,
    pub active: bool,
}

fn valid_username(u: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    (3..=40).contains(&u.len())
        && u.chars().all(ok_char)
        && u.starts_with(|c: char| c.is_ascii_alphanumeric())
}

async fn hash_off_thread(password: String) -> Result<String, UserError> {
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|e| UserError::Invalid(format!("hashing failed: {e}")))
}

/// The province and facility codes an account of `role` keeps (trimmed; a facility code in
/// lower case): a kanwil account needs a province, a registrar a facility.
fn scope_codes(
    role: Role,
    province: Option<String>,
    facility: Option<String>,
) -> Result<(Option<String>, Option<String>), UserError> {
    let province = province
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    let facility = facility
        .map(|f| f.trim().to_lowercase())
        .filter(|f| !f.is_empty());
    match role {
        Role::Admin => Ok((None, None)),
        Role::Kanwil => match province {
            Some(p) => Ok((Some(p), None)),
            None => Err(UserError::Invalid(
                "Staf Kanwil harus punya provinsi.".into(),
            )),
        },
        Role::Registrar => match facility {
            Some(f) => Ok((None, Some(f))),
            None => Err(UserError::Invalid(
                "Petugas registrasi harus punya fasilitas (kode UPT).".into(),
            )),
        },
        Role::Kpu => Ok((province, None)),
    }
}

/// Creates an account; returns its id.
pub async fn create(pool: &PgPool, new: NewUser, actor: &Actor) -> Result<i64, UserError> {
    let username = new.username.trim().to_lowercase();
    if !valid_username(&username) {
        return Err(UserError::Invalid(
            "Nama pengguna 3–40 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung."
                .into(),
        ));
    }
    password::check_policy(&new.password).map_err(|m| UserError::Invalid(m.into()))?;
    let (province, facility) = scope_codes(new.role, new.province_code, new.facility_code)?;
    let hash = hash_off_thread(new.password).await?;

    let mut tx = pool.begin().await?;
    let province_ok = match &province {
        Some(p) => sqlx::query_scalar!(
            "select exists (select 1 from regions where code = $1 and parent_code is null) as \"e!\"",
            p
        )
        .fetch_one(&mut *tx)
        .await?,
        None => true,
    };
    if !province_ok {
        return Err(UserError::Invalid(format!(
            "Kode provinsi {} tidak dikenal.",
            province.unwrap_or_default()
        )));
    }
    let facility_row = match &facility {
        Some(code) => Some(
            sqlx::query!(
                "select id, province_code from facilities where code = $1",
                code
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| UserError::Invalid(format!("Fasilitas {code} tidak dikenal.")))?,
        ),
        None => None,
    };
    let facility_id = facility_row.as_ref().map(|f| f.id);
    let id = sqlx::query_scalar!(
        "insert into users (username, password_hash, role, province_code, facility_id)
         values ($1, $2, $3, $4, $5) returning id",
        username,
        hash,
        new.role.as_str(),
        province,
        facility_id,
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        match crate::db::unique_violation_message(&e, &[("users_username_key", "sudah dipakai")]) {
            Some(m) => UserError::Invalid(format!("Nama pengguna {username} {m}.")),
            None => e.into(),
        }
    })?;
    audit::record(
        &mut tx,
        actor,
        Entry::new("user.create")
            .object("user", id)
            .province(province.clone().or(facility_row.map(|f| f.province_code)))
            .facility(facility_id)
            .after(json!({
                "username": username,
                "role": new.role.as_str(),
                "province_code": province,
                "facility": facility,
                "active": true,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets a new password and ends the account's open sessions.
pub async fn set_password(
    pool: &PgPool,
    username: &str,
    new_password: String,
    actor: &Actor,
) -> Result<(), UserError> {
    password::check_policy(&new_password).map_err(|m| UserError::Invalid(m.into()))?;
    let hash = hash_off_thread(new_password).await?;
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"update users u set password_hash = $2, auth_epoch = auth_epoch + 1
           where username = $1
           returning id, u.province_code, u.facility_id,
                     (select province_code from facilities f where f.id = u.facility_id) as fprov"#,
        username.trim().to_lowercase(),
        hash
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(UserError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Entry::new("user.password_reset")
            .object("user", row.id)
            .province(row.province_code.or(row.fprov))
            .facility(row.facility_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Activates or deactivates an account; deactivation ends its sessions at once.
pub async fn set_active(
    pool: &PgPool,
    id: i64,
    active: bool,
    actor: &Actor,
) -> Result<(), UserError> {
    if actor.user_id == Some(id) && !active {
        return Err(UserError::Invalid(
            "Anda tidak dapat menonaktifkan akun Anda sendiri.".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    let before = sqlx::query_scalar!("select active from users where id = $1 for update", id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(UserError::NotFound)?;
    let row = sqlx::query!(
        r#"update users u set active = $2, auth_epoch = auth_epoch + 1 where id = $1
           returning u.province_code, u.facility_id,
                     (select province_code from facilities f where f.id = u.facility_id) as fprov"#,
        id,
        active
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Entry::new(if active {
            "user.activate"
        } else {
            "user.deactivate"
        })
        .object("user", id)
        .province(row.province_code.or(row.fprov))
        .facility(row.facility_id)
        .before(json!({ "active": before }))
        .after(json!({ "active": active })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list(pool: &PgPool) -> Result<Vec<UserRow>, UserError> {
    Ok(sqlx::query_as!(
        UserRow,
        r#"select u.id, u.username, u.role, u.province_code, f.code as "facility_code?",
                  coalesce(f.name, p.name, 'Nasional') as "scope_name!", u.active
           from users u
           left join facilities f on f.id = u.facility_id
           left join regions p on p.code = u.province_code
           order by u.username"#
    )
    .fetch_all(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::valid_username;

    #[test]
    fn usernames_are_simple_lowercase_words() {
        assert!(valid_username("kanwil-sumsel"));
        assert!(valid_username("registrar.lubuklinggau"));
        assert!(!valid_username("ab"));
        assert!(!valid_username("-abc"));
        assert!(!valid_username("Budi"));
        assert!(!valid_username("budi santoso"));
    }
}
