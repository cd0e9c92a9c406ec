//! Incidents as the pages show them: times in the facility's local zone (WIB, WITA, WIT),
//! Indonesian labels, and descriptions through the one masking rule (a NIK typed into a
//! description is shown in full only to those who see the facility's NIKs).

use super::queries::{Change, Incident};
use crate::domain::incident::{Category, Severity, Status};
use crate::domain::local_time::Zone;
use crate::http::session::CurrentUser;

/// The zone of a facility's province (every Kemendagri province has one; WIB otherwise).
pub fn zone(province_code: &str) -> Zone {
    Zone::of_province(province_code).unwrap_or(Zone::Wib)
}

pub struct IncidentRow {
    pub id: i64,
    /// `/fasilitas/{code}/insiden/{id}?pemilihan={slug}`.
    pub href: String,
    pub facility_name: String,
    pub when: String,
    pub category: Category,
    pub severity: Severity,
    pub status: Status,
    pub tps: Option<i32>,
    pub description: String,
    pub actor: String,
    pub recorded: String,
}

impl IncidentRow {
    pub fn new(i: Incident, user: &CurrentUser, slug: &str) -> Self {
        let zone = zone(&i.province_code);
        IncidentRow {
            href: format!(
                "/fasilitas/{}/insiden/{}?pemilihan={slug}",
                i.facility_code, i.id
            ),
            id: i.id,
            when: zone.datetime(i.occurred_at),
            recorded: zone.datetime(i.created_at),
            category: i.category,
            severity: i.severity,
            status: i.status,
            tps: i.tps_number,
            description: user.nik_view(i.facility_id).show_text(&i.description),
            actor: i.actor,
            facility_name: i.facility_name,
        }
    }

    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }
}

pub struct ChangeRow {
    pub status: Status,
    pub note: String,
    pub actor: String,
    pub when: String,
}

pub fn change_row(c: Change, zone: Zone, view: &dyn Fn(&str) -> String) -> ChangeRow {
    ChangeRow {
        status: c.status,
        note: c.note.as_deref().map(view).unwrap_or_default(),
        actor: c.actor,
        when: zone.datetime(c.changed_at),
    }
}
