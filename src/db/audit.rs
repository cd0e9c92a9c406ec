//! The audit log: every write records who, when, from where, which object, and the values
//! before and after, in the same transaction as the write (the audit page reads it).

use serde_json::Value;
use sqlx::PgConnection;

/// Who made a change: a logged-in user, or the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub client_addr: Option<String>,
}

impl Actor {
    /// The demo loader.
    pub fn demo() -> Self {
        Actor {
            user_id: None,
            name: "demo".into(),
            client_addr: None,
        }
    }

    /// The operator at the command line (`loksus user add`, imports, ...).
    pub fn command_line() -> Self {
        let who = std::env::var("SUDO_USER")
            .or_else(|_| std::env::var("USER"))
            .unwrap_or_else(|_| "unknown".into());
        Actor {
            user_id: None,
            name: format!("cli:{who}"),
            client_addr: None,
        }
    }
}

/// One audited event.
#[derive(Debug, Default)]
pub struct Entry {
    pub action: &'static str,
    pub object_type: Option<&'static str>,
    pub object_id: Option<String>,
    pub province_code: Option<String>,
    pub facility_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Entry {
    pub fn new(action: &'static str) -> Self {
        Entry {
            action,
            ..Entry::default()
        }
    }

    pub fn object(mut self, kind: &'static str, id: impl ToString) -> Self {
        self.object_type = Some(kind);
        self.object_id = Some(id.to_string());
        self
    }

    pub fn province(mut self, code: Option<String>) -> Self {
        self.province_code = code;
        self
    }

    pub fn facility(mut self, id: Option<i64>) -> Self {
        self.facility_id = id;
        self
    }

    pub fn before(mut self, v: Value) -> Self {
        self.before = Some(v);
        self
    }

    pub fn after(mut self, v: Value) -> Self {
        self.after = Some(v);
        self
    }
}

/// Writes `entry` on `conn`: pass the transaction of the change it records.
pub async fn record(conn: &mut PgConnection, actor: &Actor, entry: Entry) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (user_id, actor, client_addr, action, object_type, object_id,
                                province_code, facility_id, before, after)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        actor.user_id,
        actor.name,
        actor.client_addr,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.province_code,
        entry.facility_id,
        entry.before,
        entry.after,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Names the writer of this transaction for the triggers that record one (the TPS count
/// history reads `loksus.user_id` and `loksus.actor`).
pub async fn act_as(conn: &mut PgConnection, actor: &Actor) -> sqlx::Result<()> {
    sqlx::query!(
        "select set_config('loksus.user_id', $1, true) as user_id, \
                set_config('loksus.actor', $2, true) as actor",
        actor.user_id.map(|i| i.to_string()).unwrap_or_default(),
        actor.name
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}
