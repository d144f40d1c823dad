-- Partners as imported from the partners file (DESIGN.md §3); ids are the file's slugs. A partner missing from a
-- newer file is deactivated, never deleted: old cases keep pointing at it.
CREATE TABLE partners (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    contact     TEXT    NOT NULL,                 -- tel:+62... or whatsapp:+62...
    serves      TEXT    NOT NULL,                 -- need keys, comma-separated
    areas       TEXT    NOT NULL,                 -- Kemendagri codes, comma-separated
    latitude    REAL,
    longitude   REAL,
    radius_km   REAL,
    active      INTEGER NOT NULL DEFAULT 1,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX ix_partners_contact ON partners(contact);

-- Which partner was asked to take which need of a case, and what they said.
CREATE TABLE case_assignments (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    partner_id   TEXT    NOT NULL REFERENCES partners(id),
    need         TEXT    NOT NULL,
    status       TEXT    NOT NULL,                -- notified | accepted | declined | released | done
    notified_at  INTEGER NOT NULL,
    responded_at INTEGER,
    UNIQUE (case_id, partner_id, need)
);
CREATE INDEX ix_case_assignments_partner ON case_assignments(partner_id, status);

-- SLA deadlines (Unix ms): the escalation sweep reads them, so they survive a restart.
ALTER TABLE cases ADD COLUMN accept_due_at INTEGER;
ALTER TABLE cases ADD COLUMN arrive_due_at INTEGER;
ALTER TABLE cases ADD COLUMN resolve_due_at INTEGER;
