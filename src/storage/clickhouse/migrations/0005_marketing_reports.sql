-- Marketing spend per day and campaign (POST /api/v1/marketing/spend). Uploading the same
-- (date, source, medium, campaign) again replaces the row: read with FINAL. Reports also read
-- segment_members (0003_segments.sql) for segment filters and breakdowns.
CREATE TABLE IF NOT EXISTS marketing_spend {{ON_CLUSTER}}
(
    workspace_id LowCardinality(String),
    date Date,
    source String,
    medium String,
    campaign String,
    cost Float64,
    impressions UInt64,
    clicks UInt64,
    uploaded_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = {{REPLICATED}}ReplacingMergeTree(version)
ORDER BY (workspace_id, date, source, medium, campaign);
