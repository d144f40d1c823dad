-- A number that moves with every change to the partners table, whoever makes it (the service, an import, a hand edit):
-- routing keeps the active partners in memory and reads the table again only when it moved (PartnerStore), instead
-- of reading and parsing every partner for each new case on the writer.
CREATE TABLE partners_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO partners_version (id, version) VALUES (1, 0);
CREATE TRIGGER partners_inserted AFTER INSERT ON partners BEGIN UPDATE partners_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER partners_updated AFTER UPDATE ON partners BEGIN UPDATE partners_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER partners_deleted AFTER DELETE ON partners BEGIN UPDATE partners_version SET version = version + 1 WHERE id = 1; END;
