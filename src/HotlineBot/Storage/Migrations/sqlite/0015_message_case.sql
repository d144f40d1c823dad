-- The case a partner or officer message is about: a case page shows that case's messages only, never another
-- patient's that went to the same partner.
ALTER TABLE messages ADD COLUMN case_id INTEGER REFERENCES cases(id);
CREATE INDEX ix_messages_case ON messages(case_id) WHERE case_id IS NOT NULL;
