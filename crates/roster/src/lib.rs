//! Rosters: many people at once.
//!
//! - [`row`]: the flat CSV format (one row per person, households by adjacent rows with the same `household`) and
//!   its mapping to cases;
//! - [`batch`]: streaming assessment of a roster on all cores, output in input order, bad rows to a rejects file;
//! - [`columnar`]: rosters and results as Parquet, Arrow IPC files and Arrow record batches;
//! - [`generate`]: a deterministic synthetic population;
//! - [`simulate`]: a population under the law and under a reform, compared.

pub mod batch;
pub mod columnar;
pub mod generate;
pub mod output;
pub mod row;
pub mod simulate;
