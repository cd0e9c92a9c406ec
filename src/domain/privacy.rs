//! One rule for personal data in every output (pages, CSV and XLSX downloads, prints, the
//! audit page):
//! - the full NIK only to the facility's own registrar and to admins; everyone else sees the
//!   last four digits (`************0115`);
//! - where an inmate is held is named only to users whose scope covers that facility; others
//!   read "fasilitas lain";
//! - a user who sees masked NIKs may find a voter by NIK only with all 16 digits (exact
//!   match), never by a prefix, and every user's search text is matched literally (`%` and `_`
//!   are not wildcards).

use crate::domain::access::{Role, Scope};

/// How NIKs of one facility's roll are shown to one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NikView {
    Full,
    Masked,
}

impl NikView {
    /// The view a user of `role` and `scope` gets of the NIKs on `facility_id`'s roll.
    pub fn for_viewer(role: Role, scope: &Scope, facility_id: i64) -> NikView {
        match (role, scope) {
            (Role::Admin, _) => NikView::Full,
            (Role::Registrar, Scope::Facility { id, .. }) if *id == facility_id => NikView::Full,
            _ => NikView::Masked,
        }
    }

    pub fn show(self, nik: &str) -> String {
        match self {
            NikView::Full => nik.to_owned(),
            NikView::Masked => mask_nik(nik),
        }
    }

    /// Masks every NIK inside free text (the audit log's JSON) unless the view is full.
    pub fn show_text(self, text: &str) -> String {
        match self {
            NikView::Full => text.to_owned(),
            NikView::Masked => mask_niks_in(text),
        }
    }
}

/// All but the last four characters replaced by `*`: `************0115`.
pub fn mask_nik(nik: &str) -> String {
    let n = nik.chars().count();
    if n <= 4 {
        return "*".repeat(n);
    }
    let tail: String = nik.chars().skip(n - 4).collect();
    format!("{}{tail}", "*".repeat(n - 4))
}

/// Masks every run of 16 ASCII digits (a NIK) in `text`; other numbers stay.
pub fn mask_niks_in(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let run = &text[start..i];
            if run.len() == 16 {
                out.push_str(&mask_nik(run));
            } else {
                out.push_str(run);
            }
        } else {
            let ch = text[i..].chars().next().expect("inside the string");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The facility's name for a user whose scope covers it, else "fasilitas lain".
pub fn facility_name(scope: &Scope, facility_id: i64, province: &str, name: &str) -> String {
    if scope.covers(facility_id, province) {
        name.to_owned()
    } else {
        OTHER_FACILITY.to_owned()
    }
}

pub const OTHER_FACILITY: &str = "fasilitas lain";

/// `text` as a literal inside a `like`/`ilike` pattern (escape character `\`).
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What a roll search may match: `(name pattern, nik prefix pattern, exact nik)`. A user with
/// masked NIKs gets no prefix pattern, and an exact NIK only for 16 digits.
pub fn roll_search(view: NikView, q: &str) -> (String, Option<String>, Option<String>) {
    let q = q.trim();
    let name = format!("%{}%", escape_like(q));
    let is_nik = q.len() == 16 && q.bytes().all(|b| b.is_ascii_digit());
    match view {
        NikView::Full if !q.is_empty() => (name, Some(format!("{}%", escape_like(q))), None),
        NikView::Full => (name, None, None),
        NikView::Masked => (name, None, is_nik.then(|| q.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_last_four() {
        assert_eq!(mask_nik("1674011508900115"), "************0115");
        assert_eq!(mask_nik("123"), "***");
    }

    #[test]
    fn masks_niks_inside_json_but_not_other_numbers() {
        let json =
            r#"{"nik":"1674011508900115","id":12,"phone":"081234567890","n":12345678901234567}"#;
        let masked = mask_niks_in(json);
        assert!(masked.contains(r#""nik":"************0115""#));
        assert!(masked.contains("081234567890"));
        assert!(masked.contains("12345678901234567"));
        assert_eq!(
            mask_niks_in("Dürr 1674011508900115."),
            "Dürr ************0115."
        );
    }

    #[test]
    fn like_wildcards_are_literal() {
        assert_eq!(escape_like("16_4%\\"), "16\\_4\\%\\\\");
    }

    #[test]
    fn masked_viewers_search_niks_only_whole() {
        let (_, prefix, exact) = roll_search(NikView::Masked, "1674");
        assert_eq!((prefix, exact), (None, None));
        let (_, prefix, exact) = roll_search(NikView::Masked, "1674011508900115");
        assert_eq!(prefix, None);
        assert_eq!(exact.as_deref(), Some("1674011508900115"));
        let (name, prefix, _) = roll_search(NikView::Full, "16_");
        assert_eq!(prefix.as_deref(), Some("16\\_%"));
        assert_eq!(name, "%16\\_%");
    }

    #[test]
    fn other_facilities_are_named_only_within_scope() {
        let kanwil = Scope::Province("16".into());
        assert_eq!(facility_name(&kanwil, 3, "16", "Lapas A"), "Lapas A");
        assert_eq!(facility_name(&kanwil, 9, "31", "Lapas B"), "fasilitas lain");
        let registrar = Scope::Facility {
            id: 3,
            province: "16".into(),
        };
        assert_eq!(
            facility_name(&registrar, 4, "16", "Lapas C"),
            "fasilitas lain"
        );
    }
}
