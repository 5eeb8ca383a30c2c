-- Segment membership: the current state, one row per (segment, profile) after FINAL. Every
-- change writes a new row with a higher version; is_member = 0 marks an exit. entered_at is the
-- time of the latest change (for members: when they entered).
CREATE TABLE IF NOT EXISTS segment_members {{ON_CLUSTER}}
(
    workspace_id LowCardinality(String),
    segment_id String,
    profile_id String,
    entered_at DateTime64(3, 'UTC'),
    version UInt64,
    is_member UInt8
)
ENGINE = {{REPLICATED}}ReplacingMergeTree(version)
ORDER BY (workspace_id, segment_id, profile_id);

-- Every enter (entered = 1) and exit (entered = 0), append-only: history and "entered today"
-- reports are queries over it. One evaluation writes all its rows with one (at, version).
-- source: recompute | realtime | upload | snapshot | copy.
CREATE TABLE IF NOT EXISTS segment_history {{ON_CLUSTER}}
(
    workspace_id LowCardinality(String),
    segment_id String,
    profile_id String,
    at DateTime64(3, 'UTC'),
    entered UInt8,
    source LowCardinality(String),
    version UInt64
)
ENGINE = {{REPLICATED}}MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (workspace_id, segment_id, at, profile_id);

-- Profile ids of an uploaded list on their way into a static segment (one batch per upload),
-- so the membership diff runs inside ClickHouse. Dropped after a day.
CREATE TABLE IF NOT EXISTS segment_staging {{ON_CLUSTER}}
(
    workspace_id LowCardinality(String),
    batch_id String,
    profile_id String,
    created_at DateTime DEFAULT now()
)
ENGINE = {{REPLICATED}}MergeTree
ORDER BY (workspace_id, batch_id, profile_id)
TTL created_at + INTERVAL 1 DAY;
