-- A number that moves with every change to the partners table, whoever makes it (any instance, an import, a hand
-- edit): routing keeps the active partners in memory and reads the table again only when it moved (PartnerStore),
-- instead of reading and parsing every partner for each new case.
CREATE TABLE partners_version (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
INSERT INTO partners_version (id, version) VALUES (1, 0);
CREATE FUNCTION partners_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE partners_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER partners_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partners
    FOR EACH STATEMENT EXECUTE FUNCTION partners_changed();
