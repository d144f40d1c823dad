-- ASP.NET Core Data Protection's key ring (sign-in cookies, antiforgery tokens), kept in the database so every instance
-- reads the same keys and a restore of the database keeps officers signed in.
CREATE TABLE data_protection_keys (
    name        TEXT    PRIMARY KEY,
    xml         TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
