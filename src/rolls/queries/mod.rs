//! Every query of the roll pages (the import's own statements are in `rolls::import`), each
//! returning plain structs: the list and its counts, uploads, one voter, transfers.

pub mod list;
pub mod transfers;
pub mod uploads;
pub mod voters;
