-- The kecamatan and village the reported address resolved to (Kemendagri codes with dots); routing uses these.
ALTER TABLE cases ADD COLUMN district_code TEXT;
ALTER TABLE cases ADD COLUMN village_code TEXT;
CREATE INDEX ix_cases_district ON cases(district_code);
