-- Moderation (issue 5, domain::moderation): residents report an event or a circular
-- with a reason. One report per resident and target (the unique key); `closed_at` is
-- set when an admin reviews the target, so the count that hides a target is of the
-- reports since the last review. Whether a target is hidden, and who decided, is its
-- `moderation` record in sync_records, which every reader of the target pulls.
CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    UNIQUE (target_id, user_id)
);
CREATE INDEX reports_open ON reports (closed_at, target_id);

-- An admin hides or shows a reported target with a reason, which the audit log keeps
-- (and hashes, so it cannot be changed unseen). Entries before this have none.
ALTER TABLE audit_log ADD COLUMN reason TEXT;
