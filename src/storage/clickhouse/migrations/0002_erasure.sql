-- Message ids of erased events: a later replay of an erased event is answered 200 and dropped
-- (the dedup lookup reads this table beside events), so erasure is never undone by a retry.
CREATE TABLE IF NOT EXISTS erased_messages {{ON_CLUSTER}}
(
    workspace_id LowCardinality(String),
    message_id String,
    erased_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{REPLICATED}}ReplacingMergeTree
ORDER BY (workspace_id, message_id);
