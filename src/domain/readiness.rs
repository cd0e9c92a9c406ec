//! The readiness checklist of a TPS: statuses, the items that follow from other data, and
//! when a TPS counts as ready. Pure rules.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// `belum` on the form.
    Missing,
    /// `sebagian` on the form.
    Partial,
    /// `siap` on the form.
    Ready,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Missing, Status::Partial, Status::Ready];

    /// The value a form sends (`status_{item}`): `belum`, `sebagian`, `siap`.
    pub fn from_form(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.form_value() == s)
    }

    pub fn form_value(self) -> &'static str {
        match self {
            Status::Missing => "belum",
            Status::Partial => "sebagian",
            Status::Ready => "siap",
        }
    }

    /// The database value (`station_readiness.status`).
    pub fn from_db(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The database value: `missing`, `partial`, `ready`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Partial => "partial",
            Status::Ready => "ready",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Missing => "Belum",
            Status::Partial => "Sebagian",
            Status::Ready => "Siap",
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
        Status::Ready
    } else {
        Status::Missing
    }
}

/// `(needed, received)` per ballot type. Nothing needed yet (no voters placed) is not ready.
pub fn ballots_status(per_type: &[(i64, i64)]) -> Status {
    let needed: i64 = per_type.iter().map(|(n, _)| n).sum();
    if needed > 0 && per_type.iter().all(|(n, r)| r >= n) {
        Status::Ready
    } else if per_type.iter().any(|(_, r)| *r > 0) {
        Status::Partial
    } else {
        Status::Missing
    }
}

/// A TPS is ready when every required item is siap.
pub fn is_ready(items: &[(bool, Status)]) -> bool {
    items
        .iter()
        .all(|(required, status)| !required || *status == Status::Ready)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_needs_every_required_item() {
        assert!(is_ready(&[(true, Status::Ready), (false, Status::Missing)]));
        assert!(!is_ready(&[(true, Status::Ready), (true, Status::Partial)]));
        assert!(is_ready(&[]));
    }

    #[test]
    fn ballots_are_ready_when_every_type_arrived() {
        assert_eq!(ballots_status(&[(10, 10), (5, 6)]), Status::Ready);
        assert_eq!(ballots_status(&[(10, 10), (5, 4)]), Status::Partial);
        assert_eq!(ballots_status(&[(10, 0), (5, 0)]), Status::Missing);
        assert_eq!(ballots_status(&[(0, 0)]), Status::Missing);
    }
}
