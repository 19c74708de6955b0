//! The Tsunagaru PWA: a leptos client-side app, built to WASM by trunk and served by
//! `server` from `dist/`. It must keep working with no signal: the service worker
//! (`public/sw.js`) keeps the shell, and nothing here needs the network to render.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod account;
pub mod api;
pub mod browser;
pub mod college;
pub mod components;
pub mod crash;
pub mod events;
pub mod form;
pub mod handbook;
pub mod platform;
pub mod pwa;
pub mod routing;
pub mod settings;
pub mod shell;
pub mod sync;
pub mod sync_bar;
pub mod sync_store;
pub mod tasks;

/// Starts the app in `<body>`. A panic shows a notice with a reload button (`crash`).
/// Text size is applied first, so the first paint is already at the size the person chose.
pub fn mount() {
    crash::install();
    settings::apply_text_size(settings::load_text_size());
    leptos::mount::mount_to_body(shell::App);
}
