-- Devices that signed in to an account before (issue 15): OWASP's device cookies. A
-- sign-in from such a device, with its cookie, counts against that device's own limit,
-- so a stranger's wrong guesses never lock the owner out of their phone. Only the
-- SHA-256 of the cookie's secret is kept; a device is forgotten after a year.
CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX trusted_devices_by_user ON trusted_devices (user_id);
