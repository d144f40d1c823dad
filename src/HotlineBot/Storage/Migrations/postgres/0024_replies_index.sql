-- Only replies have in_reply_to; every inbound message and every notification had an entry of NULL here, a write to
-- this index on each webhook for nothing. The replies of a retried message (in_reply_to = its id) and the foreign key's
-- checks still find their rows through it: an equality implies IS NOT NULL. Built before the old one is dropped, so the
-- exclusive lock of the drop is held only for the rest of this script, not for the build.
CREATE INDEX ix_messages_replies ON messages(in_reply_to) WHERE in_reply_to IS NOT NULL;
DROP INDEX ix_messages_in_reply_to;
ALTER INDEX ix_messages_replies RENAME TO ix_messages_in_reply_to;
