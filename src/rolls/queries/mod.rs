//! Every query of the roll pages (the import's own statements are in `rolls::import`), each
//! returning plain structs: the list and its counts, uploads, one voter, transfers, the
//! pindah memilih worklist.

pub mod list;
pub mod transfers;
pub mod uploads;
pub mod vote_moves;
pub mod voters;
