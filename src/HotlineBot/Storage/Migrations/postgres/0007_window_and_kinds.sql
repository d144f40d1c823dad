-- WhatsApp's 24-hour window is counted from the contact's last message to us.
ALTER TABLE contacts ADD COLUMN last_inbound_at BIGINT;
-- What an outbox message is (reply, reporter_update, partner_notification, officer_alert, reminder): outside the
-- WhatsApp window each kind has its own approved template, or falls back to SMS.
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'reply';
