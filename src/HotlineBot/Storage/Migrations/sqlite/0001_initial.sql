-- Times are Unix milliseconds (bigint) so the same stores run on PostgreSQL.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    address     TEXT    NOT NULL UNIQUE,          -- tel:+62..., whatsapp:+62..., sim:+62...
    channel     TEXT    NOT NULL,                 -- sms | whatsapp | simulator
    language    TEXT    NOT NULL DEFAULT 'id',
    opted_out   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE conversations (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id),
    flow_id     TEXT    NOT NULL,
    step_id     TEXT    NOT NULL,
    status      TEXT    NOT NULL,                 -- active | completed | cancelled | replaced
    state       TEXT    NOT NULL,                 -- DialogSession JSON; a NIK only as ciphertext + masked form
    started_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_conversations_active ON conversations(contact_id) WHERE status = 'active';

CREATE TABLE messages (
    id                  INTEGER PRIMARY KEY,
    contact_id          INTEGER NOT NULL REFERENCES contacts(id),
    direction           TEXT    NOT NULL,         -- in | out
    provider            TEXT    NOT NULL,         -- twilio | simulator
    provider_message_id TEXT,                     -- Twilio MessageSid; unique per provider and direction
    in_reply_to         INTEGER REFERENCES messages(id),
    body                TEXT    NOT NULL,         -- a NIK in it is masked
    status              TEXT    NOT NULL,         -- received | replied (sent inline with the webhook response)
    created_at          INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_messages_provider_id ON messages(provider, direction, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX ix_messages_in_reply_to ON messages(in_reply_to);
CREATE INDEX ix_messages_contact ON messages(contact_id, id);

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY,
    code                TEXT    NOT NULL UNIQUE,
    status              TEXT    NOT NULL,         -- new | ... (routing arrives later)
    reporter_contact_id INTEGER NOT NULL REFERENCES contacts(id),
    conversation_id     INTEGER REFERENCES conversations(id),
    patient_name        TEXT    NOT NULL,
    nik_ciphertext      TEXT,                     -- AES-256-GCM, base64
    nik_index           TEXT,                     -- HMAC-SHA256 blind index, hex
    nik_masked          TEXT,                     -- 3302********0003
    address             TEXT    NOT NULL,
    needs               TEXT    NOT NULL,         -- need keys, comma-separated
    flags               TEXT    NOT NULL,         -- e.g. needs_documents
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX ix_cases_nik_index ON cases(nik_index);
CREATE INDEX ix_cases_status ON cases(status, created_at);

CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    kind        TEXT    NOT NULL,                 -- created | ...
    actor       TEXT    NOT NULL,                 -- contact address, officer, system
    detail      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX ix_case_events_case ON case_events(case_id, id);
