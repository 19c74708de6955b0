-- Offline sync (docs/sync.md): records with a server version from one commit counter,
-- each client's last applied mutation, the first outcome of every mutation (retries are
-- answered from here), and the losing side of every conflict.

CREATE TABLE sync_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);

CREATE TABLE sync_records (
    id TEXT PRIMARY KEY,
    collection TEXT NOT NULL,
    scope TEXT NOT NULL,
    version BIGINT NOT NULL UNIQUE,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    body TEXT NOT NULL,
    written_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sync_records_by_scope ON sync_records (scope, version);

CREATE TABLE sync_clients (
    client_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_mutation_id BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sync_outcomes (
    client_id TEXT NOT NULL REFERENCES sync_clients (client_id) ON DELETE CASCADE,
    mutation_id BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (client_id, mutation_id)
);

CREATE TABLE sync_conflicts (
    client_id TEXT NOT NULL REFERENCES sync_clients (client_id) ON DELETE CASCADE,
    mutation_id BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    record_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (client_id, mutation_id)
);
