-- Events by name and time, beside the table's own order (profile, time): rules and reports that
-- read one or a few event names over a window (did X in 30 days, revenue in 90 days, RFM over
-- purchases, funnels) read only those events' rows instead of every event of the window. Holds
-- only the narrow columns those aggregates need; a query reading anything else (properties)
-- uses the table itself. ClickHouse picks the projection by itself and writes it with each part.
ALTER TABLE events {{ON_CLUSTER}}
    ADD PROJECTION IF NOT EXISTS by_event
    (SELECT workspace_id, event, timestamp, profile_id, revenue, revenue_is_number ORDER BY workspace_id, event, timestamp);

-- Parts written before this migration get it in the background.
ALTER TABLE events {{ON_CLUSTER}} MATERIALIZE PROJECTION by_event;
