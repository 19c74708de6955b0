//! Offline-first sync: see docs/sync.md.

pub mod client;
pub mod collections;
pub mod commands;
pub mod ids;
pub mod protocol;
pub mod rules;
#[cfg(test)]
mod simulation;
pub mod view;
