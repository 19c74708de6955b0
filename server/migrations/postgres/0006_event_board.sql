-- The event board (issue 5): each RSVP gets a check-in code shown on the resident's
-- phone, and whether the party has been checked in (受付) by an association editor.
ALTER TABLE rsvps ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE rsvps ADD COLUMN checked_in INTEGER NOT NULL DEFAULT 0;
