-- RSVPs (参加申込), decided by the server as domain commands (docs/sync.md,
-- domain::events). `arrived` is the sync counter value when the RSVP was made: the
-- order of the waiting list. Residents receive their own RSVPs as `rsvp` records and
-- everyone who sees an event its `event_places` record; only the server writes either.
CREATE TABLE rsvps (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    adults INTEGER NOT NULL CHECK (adults >= 0),
    children INTEGER NOT NULL CHECK (children >= 0),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    position INTEGER,
    arrived BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX rsvps_by_event ON rsvps (event_id, arrived);
