-- Webhook items whose processing failed (a poison message): counted per provider id across the provider's retries, and
-- parked after a few, so the provider gets an answer and the duty officers see the message instead of a retry loop.
CREATE TABLE inbound_failures (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    provider_message_id TEXT NOT NULL,
    contact_address TEXT NOT NULL,
    body TEXT NOT NULL,                -- NIK masked, as every stored text
    attempts INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    parked_at INTEGER,
    UNIQUE (provider, provider_message_id)
);
CREATE INDEX ix_inbound_failures_parked ON inbound_failures(parked_at) WHERE parked_at IS NOT NULL;
-- The outbox's hot reads: a contact's waiting messages (each delivery job asks), and the depth by state (each scrape).
CREATE INDEX ix_messages_contact_waiting ON messages(contact_id, id) WHERE direction = 'out' AND status IN ('queued', 'sending');
CREATE INDEX ix_messages_outbox_state ON messages(status, provider) WHERE direction = 'out' AND status IN ('queued', 'sending', 'failed', 'undelivered');
