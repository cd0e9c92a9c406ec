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
