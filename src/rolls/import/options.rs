//! How an import runs: its mode, what happens to NIKs held elsewhere, and who reads the
//! report.

use crate::domain::access::Scope;

/// How the file relates to the roll (stored with an upload as `upsert`/`replace`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Mode {
    /// Add new voters and update known ones.
    Upsert,
    /// The file is the whole roll: voters not in it are marked departed (kept, not deleted).
    Replace,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "upsert" => Some(Mode::Upsert),
            "replace" => Some(Mode::Replace),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Upsert => "upsert",
            Mode::Replace => "replace",
        }
    }

    /// The import page's field `cara`: `perbarui` or `ganti` (the naming rule); the English
    /// values of the command line are accepted too.
    pub fn from_form(s: &str) -> Option<Mode> {
        match s {
            "perbarui" => Some(Mode::Upsert),
            "ganti" => Some(Mode::Replace),
            other => Mode::parse(other),
        }
    }

    /// How the page names the mode.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Upsert => "tambah dan perbarui",
            Mode::Replace => "ganti seluruh daftar",
        }
    }
}

/// What to do with a row whose NIK is on another facility's active roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfers {
    /// Reject the row.
    Refuse,
    /// Record a pending arrival, which moves the inmate once the origin confirms it (the
    /// pages). The row's name and birth date must match the origin's record, else the row is
    /// rejected as a NIK conflict.
    Request,
    /// Move the inmate at once, each move listed in the report (the operator's command line).
    /// Name and birth date must match as for `Request`.
    Move,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    /// Write the valid rows even when some are rejected.
    pub skip_invalid: bool,
    pub transfers: Transfers,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Who reads the report: another facility is named only when this scope covers it.
    pub viewer: Scope,
    /// The upload this import confirms: claimed (and its content deleted) inside the
    /// import's transaction, so a second confirm changes nothing and a failed one can be
    /// retried.
    pub confirms_upload: Option<i64>,
}

impl Options {
    /// Upsert, all-or-nothing, transfers refused, written, read by an operator.
    pub fn new(mode: Mode) -> Options {
        Options {
            mode,
            skip_invalid: false,
            transfers: Transfers::Refuse,
            dry_run: false,
            viewer: Scope::National,
            confirms_upload: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Mode;

    #[test]
    fn the_page_names_modes_in_indonesian_and_keeps_the_old_values() {
        assert_eq!(Mode::from_form("perbarui"), Some(Mode::Upsert));
        assert_eq!(Mode::from_form("ganti"), Some(Mode::Replace));
        assert_eq!(Mode::from_form("replace"), Some(Mode::Replace));
        assert_eq!(Mode::from_form("hapus"), None);
    }
}
