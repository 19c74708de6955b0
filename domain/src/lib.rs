//! The pure heart of Tsunagaru, shared by the WASM client and the server.
//!
//! Everything here is plain data and rules: wire types, validated values, and the
//! decisions both sides must agree on. It performs no I/O, so it compiles for
//! `wasm32-unknown-unknown` and native alike and is tested with plain unit tests.

pub mod accounts;
pub mod admin;
pub mod associations;
pub mod calendar;
pub mod circulars;
pub mod dates;
pub mod error;
pub mod events;
pub mod families;
pub mod handbook;
pub mod health;
pub mod lang;
pub mod moderation;
pub mod search;
pub mod settings;
pub mod sync;

pub use error::{ApiError, ErrorCode};
pub use lang::Lang;
