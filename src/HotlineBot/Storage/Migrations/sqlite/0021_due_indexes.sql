-- What the minutely and per-second jobs look for, each found through an index of its own rows instead of a read of
-- the whole table on the writer (a stall that grew with the history; QueryPlanTests checks every writer statement):
-- rows being sent, whose lease's end is in due_at (the outbox sweep and the start-up give back what a crash left) ...
CREATE INDEX ix_messages_sending ON messages(due_at) WHERE status = 'sending';
-- ... and open cases by each SLA deadline (EscalateOverdueCasesJob).
CREATE INDEX ix_cases_accept_due ON cases(accept_due_at) WHERE status NOT IN ('resolved', 'cancelled');
CREATE INDEX ix_cases_arrive_due ON cases(arrive_due_at) WHERE status NOT IN ('resolved', 'cancelled');
CREATE INDEX ix_cases_resolve_due ON cases(resolve_due_at) WHERE status NOT IN ('resolved', 'cancelled');
