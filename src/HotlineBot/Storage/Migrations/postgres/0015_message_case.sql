-- The case a partner or officer message is about: a case page shows that case's messages only, never another
-- patient's that went to the same partner.
ALTER TABLE messages ADD COLUMN case_id BIGINT REFERENCES cases(id);
CREATE INDEX ix_messages_case ON messages(case_id) WHERE case_id IS NOT NULL;
-- A contact has at most one handoff waiting for an officer: a citizen stuck twice is one item, even under two writers.
CREATE UNIQUE INDEX ux_cases_waiting_handoff ON cases(reporter_contact_id) WHERE status = 'handoff';
-- Messages written before this column: notifications, "already taken" notices and officer alerts name their case.
UPDATE messages SET case_id = (
    SELECT c.id FROM cases c
    WHERE lower(messages.body) LIKE 'kasus ' || c.code || ':%' OR lower(messages.body) LIKE 'kasus ' || c.code || ' %'
       OR lower(messages.body) LIKE '%: kasus ' || c.code || ' %'
    ORDER BY c.id DESC LIMIT 1)
WHERE case_id IS NULL AND direction = 'out' AND kind IN ('partner_notification', 'officer_alert');
