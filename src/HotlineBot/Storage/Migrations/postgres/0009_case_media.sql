-- References (provider URLs or media ids, JSON array) to the photos and documents sent during the report.
ALTER TABLE cases ADD COLUMN media TEXT NOT NULL DEFAULT '[]';
