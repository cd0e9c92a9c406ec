//! Read models the features share, below them: which election a page is about, the place
//! (facility or province) a user may see, the TPS summaries, the pre-aggregated figures (and
//! the roll's counts per filter, the reconciliation counts with KPU's lists), the voting day's figures (turnout, ballot accounting, open
//! incidents), the check of typed region codes against the Kemendagri reference, the ASN
//! neutrality briefings, and what is left to do in a place (the home page's tasks).

pub mod day;
pub mod elections;
pub mod figures;
pub mod kpu_figures;
pub mod neutrality;
pub mod places;
pub mod regions;
pub mod roll_figures;
pub mod scope;
pub mod stations;
pub mod summary;
pub mod tasks;
