-- Private calendar feeds (issue 5): a person's "my RSVPs" feed, read by calendar apps
-- that cannot sign in, so its address carries a random secret. Only the secret's
-- SHA-256 is stored, as for sessions: a leaked database gives no feed addresses. One
-- feed per account; making a new one replaces the old, and deleting the row revokes it.
CREATE TABLE calendar_feeds (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
