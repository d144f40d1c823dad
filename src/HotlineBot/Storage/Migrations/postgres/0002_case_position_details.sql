-- A WhatsApp location shared as the address, and the further answers a flow maps (JSON object of strings).
ALTER TABLE cases ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE cases ADD COLUMN longitude DOUBLE PRECISION;
ALTER TABLE cases ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
