-- Accounts, sessions, roles, families, association membership and the audit log.
-- Times are RFC 3339 UTC text with milliseconds (db::timestamp), so text order is time order.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('health_staff', 'college_staff', 'admin')),
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- The cookie carries a random secret; only its SHA-256 is stored.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE families (
    id TEXT PRIMARY KEY,
    child_name TEXT NOT NULL,
    child_birth_date TEXT NOT NULL,
    health_centre_consent INTEGER NOT NULL DEFAULT 0 CHECK (health_centre_consent IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE family_members (
    family_id TEXT NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('guardian', 'viewer')),
    joined_at TEXT NOT NULL,
    PRIMARY KEY (family_id, user_id)
);
CREATE INDEX family_members_by_user ON family_members (user_id);

-- One-time invite codes; only the SHA-256 of the code is stored.
CREATE TABLE family_invites (
    code_hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('guardian', 'viewer')),
    created_by TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE association_members (
    association_id TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('editor', 'member')),
    joined_at TEXT NOT NULL,
    PRIMARY KEY (association_id, user_id)
);
CREATE INDEX association_members_by_user ON association_members (user_id);

-- Append-only; each row carries the SHA-256 of the previous row's hash and its own fields.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    session TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
