//! `loksus user add`, `loksus user passwd` and `loksus user list`.

use clap::Subcommand;

use crate::db::audit::Actor;
use crate::devtools::Database;
use crate::domain::access::Role;
use crate::domain::password;
use crate::users::{self, NewUser};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input (first line); when
    /// standard input is a terminal, or with --generate, one is generated and printed once.
    Add {
        #[arg(long)]
        username: String,
        /// admin, kanwil, registrar or kpu.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Province code (kanwil: required; kpu: optional, national when omitted).
        #[arg(long)]
        province: Option<String>,
        /// Facility code (registrar: required), e.g. lapas-lubuklinggau.
        #[arg(long)]
        facility: Option<String>,
        /// Generate a password instead of reading one.
        #[arg(long)]
        generate: bool,
    },
    /// Set a new password (read or generated as for `add`); ends the user's open sessions.
    Passwd {
        username: String,
        #[arg(long)]
        generate: bool,
    },
    /// List the accounts.
    List,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "expected admin, kanwil, registrar or kpu".to_owned())
}

/// The password for `user add` / `user passwd`: generated (and printed) or read from stdin.
fn password_from_stdin_or_generated(generate: bool) -> anyhow::Result<(String, bool)> {
    use std::io::{BufRead as _, IsTerminal as _};
    let stdin = std::io::stdin();
    if generate || stdin.is_terminal() {
        return Ok((password::generate(), true));
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if let Err(msg) = password::check_policy(&line) {
        anyhow::bail!(
            "password refused: {msg} (at least {} characters)",
            password::MIN_LENGTH
        );
    }
    Ok((line, false))
}

pub(super) async fn run(db: &Database, command: UserCommand) -> anyhow::Result<()> {
    let actor = Actor::command_line();
    match command {
        UserCommand::Add {
            username,
            role,
            province,
            facility,
            generate,
        } => {
            let (password, generated) = password_from_stdin_or_generated(generate)?;
            let new = NewUser {
                username: username.clone(),
                role,
                province_code: province,
                facility_code: facility,
                password: password.clone(),
            };
            users::store::create(&db.pool, new, &actor).await?;
            println!(
                "user {} created ({})",
                username.trim().to_lowercase(),
                role.as_str()
            );
            if generated {
                println!("password: {password}");
            }
        }
        UserCommand::Passwd { username, generate } => {
            let (password, generated) = password_from_stdin_or_generated(generate)?;
            users::store::set_password(&db.pool, &username, password.clone(), &actor).await?;
            println!("password of {username} changed; its open sessions have ended");
            if generated {
                println!("password: {password}");
            }
        }
        UserCommand::List => {
            println!("{:<24} {:<10} {:<30} status", "username", "role", "scope");
            for u in users::store::list(&db.pool).await? {
                let status = if u.active { "active" } else { "inactive" };
                println!(
                    "{:<24} {:<10} {:<30} {status}",
                    u.username, u.role, u.scope_name
                );
            }
        }
    }
    Ok(())
}
