-- A board event belongs to the association that first wrote it, for ever (issue 15):
-- `owner` is set by the first write of a record and never changed, so a tombstone still
-- says whose event it was and no other association's editor can write over it.
-- Existing live events take the association their body names; an event deleted before
-- this migration has no owner left to read, and only an admin may write its id again.
ALTER TABLE sync_records ADD COLUMN owner TEXT;
UPDATE sync_records SET owner = (body::jsonb) ->> 'association_id'
    WHERE collection = 'event' AND deleted = 0;
