-- Which instance (Hotline:InstanceId) is sending a message: after a crash, the restarted instance takes back its own
-- half-sent messages at once, and never another live instance's.
ALTER TABLE messages ADD COLUMN claimed_by TEXT;
