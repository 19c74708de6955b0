-- 回覧板 (issue 5). A circular itself is a sync record (collection `circular`, in its
-- association's scope); these tables keep what only the server knows.
--
-- Files attached to circulars, uploaded by an association's editors and read by its
-- members. The bytes live in the database (at most 5 MiB each, checked by the server),
-- so instances stay stateless; `kind` is what the content is, judged by its first bytes.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY NOT NULL,
    association_id TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'webp', 'pdf')),
    bytes BIGINT NOT NULL CHECK (bytes > 0),
    -- hex SHA-256 of the content, sent as the ETag
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_by_association ON attachments (association_id);

-- Who opened which circular (既読), once per person: the first time counts. Households
-- are worked out from association and family memberships when the counts are written.
CREATE TABLE circular_reads (
    circular_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at TEXT NOT NULL,
    PRIMARY KEY (circular_id, user_id)
);
