-- When a closed case's personal data was purged (Privacy:PurgeClosedCasesAfter); the case row stays for the figures.
ALTER TABLE cases ADD COLUMN purged_at BIGINT;
CREATE INDEX ix_cases_to_purge ON cases(updated_at) WHERE purged_at IS NULL AND status IN ('resolved', 'cancelled');
