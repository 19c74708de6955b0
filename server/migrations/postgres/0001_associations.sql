-- 町会・自治会: the neighbourhood associations that post events and circulars.
-- Ids are UUIDs in text form and timestamps RFC 3339 UTC text written by the server,
-- so the same queries run on SQLite and PostgreSQL (see server/src/db.rs).
CREATE TABLE associations (
    id         TEXT PRIMARY KEY NOT NULL,
    -- a short stable name for links and for idempotent seeding
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    -- the area (町丁目) it serves, in words
    area       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
