-- Pacing slots shared by every instance on one PostgreSQL (Pacing:*): the next free moment per provider
-- ('provider:twilio') and per contact ('contact:tel:+62…'). Unused on SQLite, where one process paces in memory.
CREATE TABLE pacing (
    key      TEXT    PRIMARY KEY,
    next_at  BIGINT  NOT NULL
);
