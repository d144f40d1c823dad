-- Changes whenever a user's password is reset or changed or the user is deactivated: sign-in cookies and live
-- dashboard sessions carrying an older stamp stop working.
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
UPDATE users SET security_stamp = upper(replace(gen_random_uuid()::text, '-', '')) WHERE security_stamp = '';
