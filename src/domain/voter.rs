//! The closed sets a voter record holds. Each is stored as text in `voters` (the database
//! value is the `sqlx` name) and written in the roll file and on pages in Indonesian.

/// `L` or `P`, as on the KTP-el.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text")]
pub enum Sex {
    #[sqlx(rename = "L")]
    Male,
    #[sqlx(rename = "P")]
    Female,
}

impl Sex {
    /// The database value, also what pages and the file show.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "L",
            Sex::Female => "P",
        }
    }
}

/// Convicted (NAPI in the file) or held on remand (TAHANAN); stored in English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text")]
pub enum LegalStatus {
    #[sqlx(rename = "convict")]
    Convict,
    #[sqlx(rename = "detainee")]
    Detainee,
}

impl LegalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LegalStatus::Convict => "convict",
            LegalStatus::Detainee => "detainee",
        }
    }

    /// As the roll file and the voter form write it.
    pub fn file_value(self) -> &'static str {
        match self {
            LegalStatus::Convict => "NAPI",
            LegalStatus::Detainee => "TAHANAN",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, sqlx::Type)]
#[sqlx(type_name = "text")]
pub enum MaritalStatus {
    #[default]
    #[sqlx(rename = "never_married")]
    NeverMarried,
    #[sqlx(rename = "married")]
    Married,
    #[sqlx(rename = "divorced")]
    Divorced,
    #[sqlx(rename = "widowed")]
    Widowed,
}

impl MaritalStatus {
    pub const ALL: [MaritalStatus; 4] = [
        MaritalStatus::NeverMarried,
        MaritalStatus::Married,
        MaritalStatus::Divorced,
        MaritalStatus::Widowed,
    ];

    /// The database value (what `voter_reasons` and [`crate::domain::eligibility`] read).
    pub fn as_str(self) -> &'static str {
        match self {
            MaritalStatus::NeverMarried => "never_married",
            MaritalStatus::Married => "married",
            MaritalStatus::Divorced => "divorced",
            MaritalStatus::Widowed => "widowed",
        }
    }

    /// As the roll file and the voter form write it.
    pub fn file_value(self) -> &'static str {
        match self {
            MaritalStatus::NeverMarried => "BELUM KAWIN",
            MaritalStatus::Married => "KAWIN",
            MaritalStatus::Divorced => "CERAI HIDUP",
            MaritalStatus::Widowed => "CERAI MATI",
        }
    }
}

/// KPU's list a voter is registered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum VoterList {
    Dpt,
    Dptb,
    Dpk,
}

impl VoterList {
    pub const ALL: [VoterList; 3] = [VoterList::Dpt, VoterList::Dptb, VoterList::Dpk];

    pub fn as_str(self) -> &'static str {
        match self {
            VoterList::Dpt => "dpt",
            VoterList::Dptb => "dptb",
            VoterList::Dpk => "dpk",
        }
    }

    /// `DPT`, `DPTb`, `DPK`: as KPU writes them on forms and prints.
    pub fn label(self) -> &'static str {
        match self {
            VoterList::Dpt => "DPT",
            VoterList::Dptb => "DPTb",
            VoterList::Dpk => "DPK",
        }
    }

    /// `DPT`, `DPTB`, `DPK`: the file's and the pages' spelling.
    pub fn file_value(self) -> &'static str {
        match self {
            VoterList::Dpt => "DPT",
            VoterList::Dptb => "DPTB",
            VoterList::Dpk => "DPK",
        }
    }
}

/// On the facility's roll, or gone from it (released, transferred, absent from a full
/// import); departed voters are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum VoterStatus {
    Active,
    Departed,
}

/// Why a voter's NIK needs Disdukcapil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum NikFlag {
    /// Empty or all-zero NIK.
    NoNik,
    /// A NIK that is not well formed (kept as written, with its problem): no valid NIK.
    NikInvalid,
    /// The NIK's date or sex disagrees with the recorded ones: still eligible, to verify.
    NikMismatch,
}

impl NikFlag {
    pub fn code(self) -> &'static str {
        match self {
            NikFlag::NoNik => "no_nik",
            NikFlag::NikInvalid => "nik_invalid",
            NikFlag::NikMismatch => "nik_mismatch",
        }
    }

    /// What Disdukcapil is asked to do.
    pub fn need(flag: Option<NikFlag>) -> &'static str {
        match flag {
            Some(NikFlag::NoNik) => "perekaman NIK / KTP-el",
            Some(NikFlag::NikInvalid) => "pencarian dan perbaikan NIK (NIK di data WBP rusak)",
            Some(NikFlag::NikMismatch) => {
                "verifikasi NIK (tanggal lahir/jenis kelamin tidak cocok)"
            }
            None => "perekaman KTP-el",
        }
    }
}
