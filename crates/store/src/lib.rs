//! The case register: organisations and their users, people, households, permits, contracts, immutable assessment
//! snapshots and an append-only audit log, behind one [`Store`] over SQLite (the embedded default: a file created on
//! first use) or PostgreSQL (a `postgres://` URL).
//!
//! Every read and write takes an [`Actor`] and checks its organisation and role: another organisation's records
//! are "not found", never shown. Every write runs in a transaction together with its audit entry, so an
//! acknowledged write is durable or absent, never half there.

mod bsn;
mod edit;
mod session;
mod store;
mod url;
mod users;

pub use bsn::valid_bsn;
pub use edit::*;
pub use session::*;
pub use store::*;
pub use url::{redact_in, redact_url};
pub use users::*;
