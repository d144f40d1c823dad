-- The dashboard's long lists are paged and filtered by date, with their totals (DashboardQueries.MessagesAsync,
-- AuditLog.PageAsync): counting a day's messages or audit entries reads an index, not the whole table.
CREATE INDEX ix_messages_direction_created ON messages(direction, created_at);
CREATE INDEX ix_audit_log_created ON audit_log(created_at);
