-- Only replies have in_reply_to; every inbound message and every notification had an entry of NULL here, a write to
-- this index on each webhook for nothing. The replies of a retried message (in_reply_to = its id) and the foreign key's
-- checks still find their rows through it: an equality implies IS NOT NULL.
DROP INDEX ix_messages_in_reply_to;
CREATE INDEX ix_messages_in_reply_to ON messages(in_reply_to) WHERE in_reply_to IS NOT NULL;
