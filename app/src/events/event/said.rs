//! What an event's page said after an action, and the check-in code being typed.

use leptos::prelude::*;

/// What the page said after an action and the check-in code being typed: kept outside
/// the part drawn again when the event's data changes (which an action itself causes).
#[derive(Clone, Copy)]
pub(super) struct Said {
    pub(super) rsvp_error: RwSignal<Option<String>>,
    pub(super) rsvp_done: RwSignal<Option<String>>,
    pub(super) error: RwSignal<Option<String>>,
    pub(super) done: RwSignal<Option<String>>,
    pub(super) code: RwSignal<String>,
}

impl Default for Said {
    fn default() -> Said {
        Said {
            rsvp_error: RwSignal::new(None),
            rsvp_done: RwSignal::new(None),
            error: RwSignal::new(None),
            done: RwSignal::new(None),
            code: RwSignal::new(String::new()),
        }
    }
}
