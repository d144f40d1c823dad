-- 1 when WhatsApp reported (after accepting it) that the message's 24-hour window was closed: it goes again as the
-- kind's template or by SMS, once.
ALTER TABLE messages ADD COLUMN outside_window BIGINT NOT NULL DEFAULT 0;
