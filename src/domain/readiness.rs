//! The readiness checklist of a TPS: statuses, the items that follow from other data, and
//! when a TPS counts as ready. Pure rules.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Belum,
    Sebagian,
    Siap,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Belum, Status::Sebagian, Status::Siap];

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "belum" => Some(Status::Belum),
            "sebagian" => Some(Status::Sebagian),
            "siap" => Some(Status::Siap),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Belum => "belum",
            Status::Sebagian => "sebagian",
            Status::Siap => "siap",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Belum => "Belum",
            Status::Sebagian => "Sebagian",
            Status::Siap => "Siap",
        }
    }
}

/// Items whose status is not set by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auto {
    /// Siap once the TPS has a location.
    Location,
    /// Siap once every ballot type has arrived in the number needed.
    Ballots,
}

impl Auto {
    pub fn parse(s: Option<&str>) -> Option<Auto> {
        match s {
            Some("location") => Some(Auto::Location),
            Some("ballots") => Some(Auto::Ballots),
            _ => None,
        }
    }
}

pub fn location_status(has_location: bool) -> Status {
    if has_location {
        Status::Siap
    } else {
        Status::Belum
    }
}

/// `(needed, received)` per ballot type. Nothing needed yet (no voters placed) is not ready.
pub fn ballots_status(per_type: &[(i64, i64)]) -> Status {
    let needed: i64 = per_type.iter().map(|(n, _)| n).sum();
    if needed > 0 && per_type.iter().all(|(n, r)| r >= n) {
        Status::Siap
    } else if per_type.iter().any(|(_, r)| *r > 0) {
        Status::Sebagian
    } else {
        Status::Belum
    }
}

/// A TPS is ready when every required item is siap.
pub fn is_ready(items: &[(bool, Status)]) -> bool {
    items
        .iter()
        .all(|(required, status)| !required || *status == Status::Siap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_needs_every_required_item() {
        assert!(is_ready(&[(true, Status::Siap), (false, Status::Belum)]));
        assert!(!is_ready(&[(true, Status::Siap), (true, Status::Sebagian)]));
        assert!(is_ready(&[]));
    }

    #[test]
    fn ballots_are_ready_when_every_type_arrived() {
        assert_eq!(ballots_status(&[(10, 10), (5, 6)]), Status::Siap);
        assert_eq!(ballots_status(&[(10, 10), (5, 4)]), Status::Sebagian);
        assert_eq!(ballots_status(&[(10, 0), (5, 0)]), Status::Belum);
        assert_eq!(ballots_status(&[(0, 0)]), Status::Belum);
    }
}
