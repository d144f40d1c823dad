-- WhatsApp's business-scoped user id (whatsapp:ID.4566…): one person, whether they write with their number or,
-- later, behind a username without it.
ALTER TABLE contacts ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX contacts_external_id ON contacts (external_id) WHERE external_id IS NOT NULL;
