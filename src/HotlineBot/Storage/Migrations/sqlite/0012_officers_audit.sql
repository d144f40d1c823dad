-- Dashboard users (duty officers and admins). Passwords only as ASP.NET Core Identity's PasswordHasher output.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT    NOT NULL UNIQUE,      -- lower case
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL,             -- officer | admin
    password_hash   TEXT    NOT NULL,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,                      -- Unix ms; sign-in refused until then
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL
);

-- Who looked at or did what that the law asks us to account for: NIK reveals, sign-ins, lockouts.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,                 -- nik_revealed | signed_in | sign_in_failed | locked_out | user_added
    subject     TEXT    NOT NULL DEFAULT '',      -- a case code, a username
    detail      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX ix_audit_log_subject ON audit_log(subject, id);

-- A case an officer found to be a second report of another; it is closed and points at the one kept.
ALTER TABLE cases ADD COLUMN duplicate_of TEXT;
CREATE INDEX ix_case_events_kind ON case_events(kind, case_id);
