-- A delivery report names the message by the provider's id (Twilio's MessageSid, Meta's wamid): found through this
-- index instead of a read of every outbound message on the writer (QueryPlanTests). Only messages a provider took
-- have such an id.
CREATE INDEX ix_messages_sent_by_provider ON messages(provider_message_id) WHERE direction = 'out' AND provider_message_id IS NOT NULL;
