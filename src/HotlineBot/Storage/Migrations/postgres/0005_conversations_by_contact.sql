-- The webhook reads a contact's newest conversation on every message: without this it scanned the table.
CREATE INDEX ix_conversations_contact ON conversations(contact_id, id);
