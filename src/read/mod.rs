//! Read models the features share, below them: which election a page is about, the place
//! (facility or province) a user may see, the TPS summaries and the pre-aggregated figures.

pub mod elections;
pub mod figures;
pub mod places;
pub mod scope;
pub mod stations;
pub mod summary;
