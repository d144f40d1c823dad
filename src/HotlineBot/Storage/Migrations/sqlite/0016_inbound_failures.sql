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
