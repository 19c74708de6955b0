-- Each account's sync quota (issue 15) counts the live records its devices wrote: an
-- index on the writer keeps that count to the account's own rows.
CREATE INDEX sync_records_by_writer ON sync_records (written_by);
