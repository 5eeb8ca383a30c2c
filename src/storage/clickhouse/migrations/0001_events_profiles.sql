-- Events: the append-only stream. One row per accepted message, deduplicated on
-- (workspace_id, message_id) before insert; the by_message_id projection is written atomically
-- with each part, so the dedup lookup sees exactly what was stored.
-- profile_id is the profile at ingestion; reads map it to the surviving profile through
-- profile_aliases.
CREATE TABLE IF NOT EXISTS events {{ON_CLUSTER}}
(
    workspace_id LowCardinality(String),
    message_id String,
    type LowCardinality(String),
    event String,
    profile_id String,
    user_id String,
    anonymous_id String,
    source_id LowCardinality(String),
    timestamp DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    properties String CODEC(ZSTD(1)),
    traits String CODEC(ZSTD(1)),
    context String CODEC(ZSTD(1)),
    revenue Float64 MATERIALIZED JSONExtractFloat(properties, 'revenue'),
    PROJECTION by_message_id (SELECT workspace_id, message_id, profile_id ORDER BY workspace_id, message_id)
)
ENGINE = {{REPLICATED}}MergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (workspace_id, profile_id, timestamp)
SETTINGS lightweight_mutation_projection_mode = 'rebuild';

-- Analytical replica of profiles (the system of record is PostgreSQL). Every change writes a
-- new row with a higher version; read with FINAL (or argMax) and deleted = 0.
CREATE TABLE IF NOT EXISTS profiles {{ON_CLUSTER}}
(
    workspace_id LowCardinality(String),
    profile_id String,
    traits String CODEC(ZSTD(1)),
    identifier_types Array(LowCardinality(String)),
    identifiers String CODEC(ZSTD(1)),
    first_seen DateTime64(3, 'UTC'),
    last_seen DateTime64(3, 'UTC'),
    created_at DateTime64(3, 'UTC'),
    version UInt64,
    deleted UInt8 DEFAULT 0
)
ENGINE = {{REPLICATED}}ReplacingMergeTree(version)
ORDER BY (workspace_id, profile_id);

-- Merged-away profile -> surviving profile. Joined at read time so that history is never
-- rewritten synchronously. An unmerge writes a newer version pointing back at itself.
CREATE TABLE IF NOT EXISTS profile_aliases {{ON_CLUSTER}}
(
    workspace_id LowCardinality(String),
    profile_id String,
    survivor_id String,
    version UInt64
)
ENGINE = {{REPLICATED}}ReplacingMergeTree(version)
ORDER BY (workspace_id, profile_id);
