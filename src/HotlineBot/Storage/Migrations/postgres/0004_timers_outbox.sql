-- Conversation timers live here, not in Hangfire: a sweep fires what is due, after any restart.
ALTER TABLE conversations ADD COLUMN remind_at BIGINT;
ALTER TABLE conversations ADD COLUMN expires_at BIGINT;
CREATE INDEX ix_conversations_remind ON conversations(remind_at) WHERE status = 'active' AND remind_at IS NOT NULL;
CREATE INDEX ix_conversations_expires ON conversations(expires_at) WHERE status = 'active' AND expires_at IS NOT NULL;

-- The outbox: outbound messages not carried by a webhook response are rows with status 'queued' until a job sends them.
ALTER TABLE messages ADD COLUMN due_at BIGINT;
ALTER TABLE messages ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN last_error TEXT;
ALTER TABLE messages ADD COLUMN sent_at BIGINT;
CREATE INDEX ix_messages_queued ON messages(due_at) WHERE status = 'queued';
