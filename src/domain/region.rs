//! Kemendagri region codes as people type them, and what to tell them about a code the
//! reference does not hold. Which codes exist is the database's business
//! (`crate::read::regions` asks it); the rules here are pure.

use std::fmt;

/// The four levels of the Kemendagri hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Province,
    KabKota,
    Kecamatan,
    Desa,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Province,
        Level::KabKota,
        Level::Kecamatan,
        Level::Desa,
    ];

    /// The value of `regions.level` and of `--level`: `provinsi`, `kabkota`, `kecamatan`, `desa`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "provinsi",
            Level::KabKota => "kabkota",
            Level::Kecamatan => "kecamatan",
            Level::Desa => "desa",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s.trim())
    }

    /// As messages write it.
    pub fn label(self) -> &'static str {
        match self {
            Level::Province => "provinsi",
            Level::KabKota => "kab/kota",
            Level::Kecamatan => "kecamatan",
            Level::Desa => "desa/kelurahan",
        }
    }

    /// Length of a dotted code of this level.
    fn code_len(self) -> usize {
        match self {
            Level::Province => 2,
            Level::KabKota => 5,
            Level::Kecamatan => 8,
            Level::Desa => 13,
        }
    }
}

/// A well-formed region code in dotted form: `16`, `16.73`, `16.73.01`, `16.73.01.1001`.
/// Whether the region exists is another question (see [`unknown_message`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionCode(String);

impl RegionCode {
    /// Accepts the dotted form or the digits alone (`1673`, `1673011001`); dots, when
    /// given, must be where they belong. Surrounding spaces are ignored.
    pub fn parse(s: &str) -> Option<RegionCode> {
        let s = s.trim();
        let digits: String = s.chars().filter(|c| *c != '.').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let cuts: &[usize] = match digits.len() {
            2 => &[2],
            4 => &[2, 4],
            6 => &[2, 4, 6],
            10 => &[2, 4, 6, 10],
            _ => return None,
        };
        let dotted = cuts
            .iter()
            .scan(0, |start, &end| {
                let part = &digits[*start..end];
                *start = end;
                Some(part)
            })
            .collect::<Vec<_>>()
            .join(".");
        (!s.contains('.') || s == dotted).then_some(RegionCode(dotted))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn level(&self) -> Level {
        match self.0.len() {
            2 => Level::Province,
            5 => Level::KabKota,
            8 => Level::Kecamatan,
            _ => Level::Desa,
        }
    }

    /// The province's two digits.
    pub fn province(&self) -> &str {
        &self.0[..2]
    }

    /// The codes from the province down to this one: `16`, `16.73`, `16.73.01`.
    pub fn lineage(&self) -> Vec<(Level, &str)> {
        Level::ALL
            .into_iter()
            .take_while(|l| *l <= self.level())
            .map(|l| (l, &self.0[..l.code_len()]))
            .collect()
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why `code` is refused when the reference does not hold it, naming the nearest level that
/// exists: `Kode wilayah 16.75.01 tidak dikenal: provinsi 16 (Sumatera Selatan) ada, tetapi
/// kab/kota 16.75 tidak ada.` `name_of` gives the name of a code the reference holds. `None`
/// when the code itself is known.
pub fn unknown_message<'a>(
    code: &RegionCode,
    name_of: impl Fn(&str) -> Option<&'a str>,
) -> Option<String> {
    let lineage = code.lineage();
    let missing = lineage.iter().position(|(_, c)| name_of(c).is_none())?;
    let (level, missing_code) = lineage[missing];
    let found = match missing.checked_sub(1).map(|i| lineage[i]) {
        Some((l, c)) => format!(
            "{} {c} ({}) ada, tetapi ",
            l.label(),
            name_of(c).unwrap_or_default()
        ),
        None => String::new(),
    };
    Some(format!(
        "Kode wilayah {code} tidak dikenal: {found}{} {missing_code} tidak ada.",
        level.label()
    ))
}

/// Why a typed value is not a region code at all.
pub fn malformed_message(typed: &str) -> String {
    format!(
        "Kode wilayah \"{}\" tidak sah: tulis kode Kemendagri seperti 16, 16.73, 16.73.01 atau \
         16.73.01.1001 (titik boleh dihilangkan).",
        typed.trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn codes_are_read_with_or_without_dots() {
        assert_eq!(code("16").as_str(), "16");
        assert_eq!(code("1673").as_str(), "16.73");
        assert_eq!(code(" 16.73.01 ").as_str(), "16.73.01");
        assert_eq!(code("1673011001").as_str(), "16.73.01.1001");
        assert_eq!(code("16.73.01.1001").level(), Level::Desa);
        for bad in [
            "",
            "1",
            "167",
            "16.7.3",
            "1673.01",
            "16.73.01.100",
            "16-73",
            "ab.cd",
        ] {
            assert_eq!(RegionCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_lineage_runs_from_the_province_down() {
        assert_eq!(
            code("16.73.01").lineage(),
            vec![
                (Level::Province, "16"),
                (Level::KabKota, "16.73"),
                (Level::Kecamatan, "16.73.01")
            ]
        );
        assert_eq!(code("16").lineage(), vec![(Level::Province, "16")]);
    }

    fn sumsel(c: &str) -> Option<&'static str> {
        match c {
            "16" => Some("Sumatera Selatan"),
            "16.73" => Some("Kota Lubuk Linggau"),
            "16.73.01" => Some("Lubuk Linggau Timur I"),
            _ => None,
        }
    }

    #[test]
    fn unknown_codes_name_the_nearest_level_that_exists() {
        assert_eq!(
            unknown_message(&code("16.75.01"), sumsel).unwrap(),
            "Kode wilayah 16.75.01 tidak dikenal: provinsi 16 (Sumatera Selatan) ada, tetapi \
             kab/kota 16.75 tidak ada."
        );
        assert_eq!(
            unknown_message(&code("1673019999"), sumsel).unwrap(),
            "Kode wilayah 16.73.01.9999 tidak dikenal: kecamatan 16.73.01 (Lubuk Linggau Timur I) \
             ada, tetapi desa/kelurahan 16.73.01.9999 tidak ada."
        );
        assert_eq!(
            unknown_message(&code("99.01"), sumsel).unwrap(),
            "Kode wilayah 99.01 tidak dikenal: provinsi 99 tidak ada."
        );
        assert_eq!(unknown_message(&code("16.73"), sumsel), None);
    }

    #[test]
    fn malformed_codes_say_how_to_write_one() {
        assert!(malformed_message(" 16.7 ").starts_with("Kode wilayah \"16.7\" tidak sah"));
    }

    #[test]
    fn levels_read_as_the_command_line_writes_them() {
        assert_eq!(Level::parse("kabkota"), Some(Level::KabKota));
        assert_eq!(Level::parse("kota"), None);
        assert!(
            Level::ALL
                .iter()
                .all(|l| Level::parse(l.as_str()) == Some(*l))
        );
    }
}
