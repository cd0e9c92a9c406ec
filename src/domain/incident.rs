//! Incidents on and around voting day: their closed sets (category, severity, status; stored
//! in English, written on pages and forms in Indonesian) and the checks of the two forms
//! (a new incident, a status change). Pure rules.

use time::{Duration, OffsetDateTime};

use crate::domain::local_time::Zone;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Category {
    /// `kamtib`: security and order.
    Security,
    /// `bencana`: flood, fire, other disaster.
    Disaster,
    /// `logistik`: missing or damaged material.
    Logistics,
    /// `netralitas`: a breach of ASN neutrality.
    Neutrality,
    /// `kampanye`: campaigning inside the facility.
    Campaigning,
    /// `pemilih`: a voter turned away or given the wrong ballot.
    Voters,
    /// `lainnya`.
    Other,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Security,
        Category::Disaster,
        Category::Logistics,
        Category::Neutrality,
        Category::Campaigning,
        Category::Voters,
        Category::Other,
    ];

    pub fn form_value(self) -> &'static str {
        match self {
            Category::Security => "kamtib",
            Category::Disaster => "bencana",
            Category::Logistics => "logistik",
            Category::Neutrality => "netralitas",
            Category::Campaigning => "kampanye",
            Category::Voters => "pemilih",
            Category::Other => "lainnya",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Security => "Keamanan dan ketertiban",
            Category::Disaster => "Bencana (banjir, kebakaran)",
            Category::Logistics => "Logistik hilang atau rusak",
            Category::Neutrality => "Netralitas ASN",
            Category::Campaigning => "Kampanye di dalam fasilitas",
            Category::Voters => "Pemilih ditolak atau salah surat suara",
            Category::Other => "Lainnya",
        }
    }

    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Disaster => "disaster",
            Category::Logistics => "logistics",
            Category::Neutrality => "neutrality",
            Category::Campaigning => "campaigning",
            Category::Voters => "voters",
            Category::Other => "other",
        }
    }

    pub fn from_form(s: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.form_value() == s.trim())
    }
}

/// How urgent it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Severity {
    /// `info`.
    Info,
    /// `perhatian`.
    Attention,
    /// `darurat`: shown on the dashboards at once.
    Emergency,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Attention, Severity::Emergency];

    pub fn form_value(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Attention => "perhatian",
            Severity::Emergency => "darurat",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "Info",
            Severity::Attention => "Perhatian",
            Severity::Emergency => "Darurat",
        }
    }

    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Attention => "attention",
            Severity::Emergency => "emergency",
        }
    }

    pub fn from_form(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.form_value() == s.trim())
    }
}

/// Where the handling stands. Open and handling incidents count as open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Status {
    /// `terbuka`.
    Open,
    /// `ditangani`.
    Handling,
    /// `selesai`.
    Closed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Handling, Status::Closed];

    pub fn form_value(self) -> &'static str {
        match self {
            Status::Open => "terbuka",
            Status::Handling => "ditangani",
            Status::Closed => "selesai",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "Terbuka",
            Status::Handling => "Ditangani",
            Status::Closed => "Selesai",
        }
    }

    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Handling => "handling",
            Status::Closed => "closed",
        }
    }

    pub fn from_form(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.form_value() == s.trim())
    }

    pub fn is_open(self) -> bool {
        self != Status::Closed
    }
}

/// Descriptions and notes hold at most this many characters.
pub const MAX_TEXT: usize = 2000;

/// A new incident as the form sends it.
pub struct IncidentForm<'a> {
    pub category: &'a str,
    pub severity: &'a str,
    pub occurred_at: &'a str,
    /// A TPS number of the facility, or empty.
    pub tps: &'a str,
    pub description: &'a str,
}

/// A new incident, checked.
#[derive(Debug, PartialEq, Eq)]
pub struct NewIncident {
    pub category: Category,
    pub severity: Severity,
    pub occurred_at: OffsetDateTime,
    /// The station id of the TPS, when one was named.
    pub station_id: Option<i64>,
    pub description: String,
}

/// A report a few minutes ahead of the server's clock is a clock difference, not a
/// report from the future.
const CLOCK_SKEW: Duration = Duration::minutes(10);

/// Checks a new incident: the facility's `stations` are `(tps number, station id)`, the time
/// is read in the facility's `zone`; `Err` holds the message for the form.
pub fn check_new(
    form: &IncidentForm,
    zone: Zone,
    stations: &[(i32, i64)],
    now: OffsetDateTime,
) -> Result<NewIncident, String> {
    let category = Category::from_form(form.category).ok_or_else(|| {
        format!(
            "Kategori \"{}\" tidak dikenal: pilih kamtib, bencana, logistik, netralitas, \
             kampanye, pemilih atau lainnya.",
            form.category.trim()
        )
    })?;
    let severity = Severity::from_form(form.severity).ok_or_else(|| {
        format!(
            "Tingkat \"{}\" tidak dikenal: pilih info, perhatian atau darurat.",
            form.severity.trim()
        )
    })?;
    let occurred_at = zone.parse_local(form.occurred_at).ok_or_else(|| {
        format!(
            "Waktu kejadian harus berupa tanggal dan jam ({}), misalnya 2024-02-14 10:30.",
            zone.label()
        )
    })?;
    if occurred_at > now + CLOCK_SKEW {
        return Err("Waktu kejadian tidak boleh di masa depan.".into());
    }
    let station_id = station_of(form.tps, stations)?;
    let description = checked_text(form.description, "Uraian kejadian")?;
    if description.is_empty() {
        return Err("Uraian kejadian wajib diisi.".into());
    }
    Ok(NewIncident {
        category,
        severity,
        occurred_at,
        station_id,
        description,
    })
}

/// The station id of the TPS number typed (`901`, `TPS 901`), `None` when empty.
fn station_of(tps: &str, stations: &[(i32, i64)]) -> Result<Option<i64>, String> {
    let t = tps.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = t
        .strip_prefix("TPS")
        .or_else(|| t.strip_prefix("tps"))
        .unwrap_or(t)
        .trim();
    digits
        .parse::<i32>()
        .ok()
        .and_then(|n| stations.iter().find(|(number, _)| *number == n))
        .map(|(_, id)| Some(*id))
        .ok_or_else(|| format!("TPS \"{t}\" bukan TPS fasilitas ini pada pemilihan ini."))
}

/// Trimmed text of at most [`MAX_TEXT`] characters.
fn checked_text(s: &str, what: &str) -> Result<String, String> {
    let t = s.trim();
    if t.chars().count() > MAX_TEXT {
        return Err(format!("{what} paling banyak 2.000 karakter."));
    }
    Ok(t.to_owned())
}

/// A status change, checked: the new status and the note (`None` when empty).
pub fn check_change(
    current: Status,
    status: &str,
    note: &str,
) -> Result<(Status, Option<String>), String> {
    let new = Status::from_form(status).ok_or_else(|| {
        format!(
            "Status \"{}\" tidak dikenal: pilih terbuka, ditangani atau selesai.",
            status.trim()
        )
    })?;
    if new == current {
        return Err(format!(
            "Status kejadian sudah \"{}\": pilih status lain.",
            new.form_value()
        ));
    }
    let note = checked_text(note, "Catatan")?;
    Ok((new, (!note.is_empty()).then_some(note)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2024-02-14 05:00 UTC);
    const STATIONS: [(i32, i64); 2] = [(901, 11), (902, 12)];

    fn form<'a>(tps: &'a str, description: &'a str) -> IncidentForm<'a> {
        IncidentForm {
            category: "bencana",
            severity: "darurat",
            occurred_at: "2024-02-14T11:30",
            tps,
            description,
        }
    }

    #[test]
    fn a_good_incident_is_read_in_the_facility_zone() {
        let i = check_new(
            &form("TPS 902", " Banjir di aula "),
            Zone::Wita,
            &STATIONS,
            NOW,
        )
        .unwrap();
        assert_eq!(i.category, Category::Disaster);
        assert_eq!(i.severity, Severity::Emergency);
        assert_eq!(i.occurred_at, datetime!(2024-02-14 03:30 UTC));
        assert_eq!(i.station_id, Some(12));
        assert_eq!(i.description, "Banjir di aula");
        let none = check_new(&form("", "x"), Zone::Wib, &STATIONS, NOW).unwrap();
        assert_eq!(none.station_id, None);
    }

    #[test]
    fn bad_input_is_named() {
        let err = |f: IncidentForm| check_new(&f, Zone::Wib, &STATIONS, NOW).unwrap_err();
        assert_eq!(err(form("", "  ")), "Uraian kejadian wajib diisi.");
        assert!(err(form("903", "x")).contains("TPS \"903\" bukan TPS fasilitas ini"));
        assert!(err(form("x", "x")).contains("bukan TPS fasilitas ini"));
        assert!(err(form("", &"a".repeat(2001))).contains("paling banyak 2.000"));
        let mut f = form("", "x");
        f.category = "security";
        assert!(err(f).starts_with("Kategori \"security\" tidak dikenal"));
        let mut f = form("", "x");
        f.severity = "tinggi";
        assert!(err(f).starts_with("Tingkat \"tinggi\" tidak dikenal"));
        let mut f = form("", "x");
        f.occurred_at = "kemarin";
        assert!(err(f).starts_with("Waktu kejadian harus"));
        let mut f = form("", "x");
        f.occurred_at = "2024-02-14T13:00"; // 06.00 UTC, an hour ahead
        assert_eq!(err(f), "Waktu kejadian tidak boleh di masa depan.");
    }

    #[test]
    fn a_status_change_must_change_the_status() {
        assert_eq!(
            check_change(Status::Open, "ditangani", " tim dikirim "),
            Ok((Status::Handling, Some("tim dikirim".into())))
        );
        assert_eq!(
            check_change(Status::Handling, "selesai", ""),
            Ok((Status::Closed, None))
        );
        assert!(
            check_change(Status::Open, "terbuka", "")
                .unwrap_err()
                .contains("sudah \"terbuka\"")
        );
        assert!(
            check_change(Status::Open, "closed", "")
                .unwrap_err()
                .starts_with("Status \"closed\" tidak dikenal")
        );
    }
}
