//! Who may see what: the four roles and the part of the country each account covers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Kanwil,
    Registrar,
    Kpu,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Kanwil, Role::Registrar, Role::Kpu];

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Some(Role::Admin),
            "kanwil" => Some(Role::Kanwil),
            "registrar" => Some(Role::Registrar),
            "kpu" => Some(Role::Kpu),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Kanwil => "kanwil",
            Role::Registrar => "registrar",
            Role::Kpu => "kpu",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin Ditjenpas",
            Role::Kanwil => "Staf Kanwil",
            Role::Registrar => "Registrasi UPT",
            Role::Kpu => "Penghubung KPU",
        }
    }
}

/// What part of the country a user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    National,
    Province(String),
    Facility { id: i64, province: String },
}

impl Scope {
    /// Whether this scope covers the facility `facility_id` of province `province`.
    pub fn covers(&self, facility_id: i64, province: &str) -> bool {
        match self {
            Scope::National => true,
            Scope::Province(p) => p == province,
            Scope::Facility { id, .. } => *id == facility_id,
        }
    }
}

/// What a role may do (the scope is checked separately: outside it, everything is a 404).
/// The one table every page and form consults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read a facility's voter roll, its Disdukcapil list and its transfers.
    ReadRoll,
    /// Import, add, edit, release and transfer voters of the facility's roll.
    WriteRoll,
    /// Confirm or refuse a transfer out of a facility.
    DecideTransfer,
    /// Create, edit and delete TPS, their counts, readiness, ballots and voters' placement.
    WriteStations,
    /// Create a facility, or edit its details.
    EditFacility,
    /// Upload KPU's final voter list for reconciliation.
    UploadKpuList,
    /// Import dapils, add readiness checklist items, manage accounts.
    Administer,
    /// Read the audit log.
    ReadAudit,
    /// Record a facility's incidents and change their status.
    LogIncidents,
    /// Record a facility's ASN neutrality briefing.
    RecordBriefing,
    /// Record a TPS's voting day: turnout during the day, ballot accounting after closing.
    RecordVotingDay,
}

impl Role {
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match action {
            ReadRoll | DecideTransfer | LogIncidents | RecordBriefing | RecordVotingDay => {
                matches!(self, Admin | Kanwil | Registrar)
            }
            WriteRoll => self == Registrar,
            WriteStations | EditFacility | ReadAudit => matches!(self, Admin | Kanwil),
            UploadKpuList => matches!(self, Admin | Kanwil | Kpu),
            Administer => self == Admin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_has_its_roles() {
        let who = |a: Action| -> Vec<&str> {
            Role::ALL
                .iter()
                .filter(|r| r.may(a))
                .map(|r| r.as_str())
                .collect()
        };
        assert_eq!(who(Action::ReadRoll), ["admin", "kanwil", "registrar"]);
        assert_eq!(who(Action::WriteRoll), ["registrar"]);
        assert_eq!(who(Action::WriteStations), ["admin", "kanwil"]);
        assert_eq!(who(Action::UploadKpuList), ["admin", "kanwil", "kpu"]);
        assert_eq!(who(Action::Administer), ["admin"]);
        assert_eq!(who(Action::LogIncidents), ["admin", "kanwil", "registrar"]);
        assert_eq!(
            who(Action::RecordBriefing),
            ["admin", "kanwil", "registrar"]
        );
        assert_eq!(
            who(Action::RecordVotingDay),
            ["admin", "kanwil", "registrar"]
        );
    }

    #[test]
    fn scopes_cover_their_facilities() {
        let kanwil = Scope::Province("16".into());
        assert!(kanwil.covers(3, "16"));
        assert!(!kanwil.covers(3, "31"));
        let registrar = Scope::Facility {
            id: 3,
            province: "16".into(),
        };
        assert!(registrar.covers(3, "16"));
        assert!(!registrar.covers(4, "16"));
        assert!(Scope::National.covers(9, "91"));
    }
}
