//! Calendar feeds (.ics): what the app is told about a person's private "my RSVPs" feed.
//! The calendar files themselves are made on the server; the app only links to them.

use serde::{Deserialize, Serialize};

/// A new private feed. Its address holds the secret, so it is shown this once: the
/// server keeps only a hash of it and cannot tell it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    /// The feed's path on this site, `/api/cal/u/<secret>.ics`.
    pub url: String,
}

/// Whether the person has a private feed running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeedStatus {
    /// When the live link was made (RFC 3339, UTC); none when there is no link.
    #[serde(default)]
    pub created_at: Option<String>,
}
