-- The answers of a single-choice question (JSON array), for channels that show them as buttons.
ALTER TABLE messages ADD COLUMN options TEXT;
